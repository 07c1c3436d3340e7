package io.github.keycloakdrchrono.sandbox;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process stand-in for DrChrono's OAuth 2.0 server ({@code /o/authorize/}, {@code /o/token/},
 * {@code /o/revoke_token/}) and its user API ({@code /api/...}), on one host and port.
 *
 * <pre>{@code
 * try (DrChronoSandbox sandbox = DrChronoSandbox.builder()
 *         .client("keycloak", "sandbox-secret", "http://localhost:8080/realms/demo/broker/drchrono/endpoint")
 *         .build()
 *         .start()) {
 *     sandbox.faults().next(Endpoint.TOKEN_REFRESH, Fault.serverError());
 *     ...
 * }
 * }</pre>
 */
public final class DrChronoSandbox implements AutoCloseable {

    private final String host;
    private final int requestedPort;
    private final SandboxSettings settings;
    private final ClientRegistry clients = new ClientRegistry();
    private final SandboxUsers users;
    private final TokenStore store;
    private final SignInSessions sessions;
    private final Faults faults = new Faults();
    private final Counters counters = new Counters();
    private final Tokens tokens;
    private final StopSignal stopSignal = new StopSignal();

    private HttpServer server;
    private ExecutorService executor;
    private volatile String baseUrl;
    private volatile int boundPort = -1;
    private boolean stopped;

    private DrChronoSandbox(Builder builder) {
        host = builder.host;
        requestedPort = builder.port;
        settings = new SandboxSettings(builder.refreshTokenRotation, builder.staffUserIdMatchesUserId,
                builder.revocationEndpointLive, builder.retryAfterHeader, builder.accessTokenLifetime,
                builder.codeLifetime);
        List<SandboxUser> initialUsers = new ArrayList<>();
        if (builder.demoUsers || builder.users.isEmpty()) {
            initialUsers.addAll(DemoPractice.users());
        }
        initialUsers.addAll(builder.users);
        users = new SandboxUsers(initialUsers);
        Clock clock = Clock.systemUTC();
        store = new TokenStore(clock);
        sessions = new SignInSessions(clock);
        tokens = new Tokens(store, clients, users, settings);
        builder.clients.forEach(client ->
                clients.register(client.clientId(), client.secret(), client.redirectUris().toArray(String[]::new)));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds and starts serving; returns {@code this} so that a builder chain can end with it. */
    public synchronized DrChronoSandbox start() {
        if (server != null || stopped) {
            throw new IllegalStateException("A sandbox starts once");
        }
        Dispatcher dispatcher = new Dispatcher(counters, faults, stopSignal, settings.retryAfterHeader(),
                new AuthorizeHandler(clients, users, store, sessions, settings),
                new TokenHandler(clients, store, settings, counters),
                new RevokeHandler(clients, store, settings),
                new ApiHandler(store, users, settings, this::authority),
                () -> Pages.index(baseUrl(), users.list().stream().filter(SandboxUser::active).toList()));
        try {
            server = HttpServer.create(new InetSocketAddress(host, requestedPort), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind the DrChrono sandbox to " + host + ":" + requestedPort, e);
        }
        // Concurrent requests are the point of several tests (refresh storms, a hung call beside a healthy one),
        // and the JDK server's default executor would run them one at a time.
        executor = Executors.newCachedThreadPool(daemonThreads());
        server.setExecutor(executor);
        server.createContext("/", dispatcher);
        server.start();
        boundPort = server.getAddress().getPort();
        baseUrl = "http://" + authority();
        return this;
    }

    /** Stops at once: hung and dripping answers are abandoned rather than waited for. Safe to call twice. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        stopSignal.fire();
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** {@code http://host:port}, the base of {@code /o/authorize/}, {@code /o/token/} and {@code /o/revoke_token/}. */
    public String baseUrl() {
        String url = baseUrl;
        if (url == null) {
            throw new IllegalStateException("The sandbox has not started");
        }
        return url;
    }

    /** The API base; the same host and port, with every API path starting with {@code /api/}. */
    public String apiUrl() {
        return baseUrl();
    }

    public String authorizationUrl() {
        return baseUrl() + Route.AUTHORIZE_PATH;
    }

    public String tokenUrl() {
        return baseUrl() + Route.TOKEN_PATH;
    }

    public String revocationUrl() {
        return baseUrl() + Route.REVOKE_PATH;
    }

    public int port() {
        int port = boundPort;
        if (port < 0) {
            throw new IllegalStateException("The sandbox has not started");
        }
        return port;
    }

    /** Registers a confidential client, or replaces the one with that id; works while running. */
    public void registerClient(String clientId, String secret, String... redirectUris) {
        clients.register(clientId, secret, redirectUris);
    }

    public SandboxUsers users() {
        return users;
    }

    public Faults faults() {
        return faults;
    }

    public Counters counters() {
        return counters;
    }

    public Tokens tokens() {
        return tokens;
    }

    /** Clears faults, counters, codes, tokens and sign-ins, and restores the users the sandbox was built with. */
    public void reset() {
        faults.clear();
        counters.reset();
        store.clear();
        sessions.clear();
        users.restore();
    }

    private String authority() {
        // A wildcard bind address is no address to send a browser to.
        String visibleHost = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        if (visibleHost.contains(":")) {
            visibleHost = "[" + visibleHost + "]";
        }
        return visibleHost + ":" + port();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "drchrono-sandbox-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Configuration; every switch defaults to the behaviour of the OAuth server code DrChrono published. */
    public static final class Builder {
        private int port;
        private String host = "127.0.0.1";
        private final List<RegisteredClient> clients = new ArrayList<>();
        private boolean refreshTokenRotation = true;
        private boolean staffUserIdMatchesUserId;
        private boolean revocationEndpointLive = true;
        private boolean retryAfterHeader = true;
        private Duration accessTokenLifetime = Duration.ofHours(48);
        private Duration codeLifetime = Duration.ofSeconds(60);
        private boolean demoUsers;
        private final List<SandboxUser> users = new ArrayList<>();

        private Builder() {
        }

        /** 0, the default, picks a free port. */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port out of range: " + value);
            }
            port = value;
            return this;
        }

        /** Bind address; {@code 127.0.0.1} by default. */
        public Builder host(String value) {
            host = Objects.requireNonNull(value, "host");
            return this;
        }

        public Builder client(String clientId, String secret, String... redirectUris) {
            clients.add(new RegisteredClient(clientId, secret, List.of(redirectUris)));
            return this;
        }

        /** On: each refresh returns a new refresh token and kills the old one. Off: the same one comes back. */
        public Builder refreshTokenRotation(boolean value) {
            refreshTokenRotation = value;
            return this;
        }

        /**
         * Whether a staff record's {@code user_id} equals the user's {@code id}. Off by default, so that clients
         * are made to match the two records on {@code username}.
         */
        public Builder staffUserIdMatchesUserId(boolean value) {
            staffUserIdMatchesUserId = value;
            return this;
        }

        /** Off: {@code /o/revoke_token/} answers 404, as if DrChrono did not serve it. */
        public Builder revocationEndpointLive(boolean value) {
            revocationEndpointLive = value;
            return this;
        }

        /** Whether a 429 carries {@code Retry-After} besides the seconds in its body. */
        public Builder retryAfterHeader(boolean value) {
            retryAfterHeader = value;
            return this;
        }

        public Builder accessTokenLifetime(Duration value) {
            accessTokenLifetime = positive(value, "accessTokenLifetime");
            return this;
        }

        public Builder codeLifetime(Duration value) {
            codeLifetime = positive(value, "codeLifetime");
            return this;
        }

        /** Serves the demo practice; implied when no user is added. */
        public Builder withDemoUsers() {
            demoUsers = true;
            return this;
        }

        public Builder user(SandboxUser user) {
            users.add(Objects.requireNonNull(user, "user"));
            return this;
        }

        public DrChronoSandbox build() {
            return new DrChronoSandbox(this);
        }

        private static Duration positive(Duration value, String name) {
            if (value == null || value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }
    }
}
