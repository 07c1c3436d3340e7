package io.github.keycloakdrchrono.launcher;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real Keycloak distribution running as a child process, with chosen provider jars installed.
 *
 * <pre>{@code
 * try (KeycloakServer kc = KeycloakServer.builder()
 *         .distribution(KeycloakServer.distributionFromLocalRepository("26.7.3"))
 *         .workDir(Path.of("target/keycloak"))
 *         .provider(Path.of("target/my-provider.jar"))
 *         .build()) {
 *     kc.start();
 *     new AdminClient(kc).get("master");
 * }
 * }</pre>
 */
public final class KeycloakServer implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(5);
    private static final int TAIL_LINES = 60;

    /** Holds a digest of what the last {@code kc.sh build} was run with, so production starts skip rebuilding. */
    private static final String BUILD_HASH_FILE = ".launcher-build-hash";

    /**
     * Options that only matter at run time (kc.sh build says it ignores them), so they must not force a rebuild
     * when they vary: ports picked afresh at each start, and what differs between nodes of one cluster that share
     * a build (database address, public hostname, cluster transport address).
     */
    private static final Set<String> RUNTIME_ONLY = Set.of("http-port", "http-management-port", "import-realm",
            "db-url", "db-username", "db-password", "hostname", "cache-embedded-network-bind-address",
            "cache-embedded-network-bind-port", "cache-embedded-network-external-address",
            "cache-embedded-network-external-port");

    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private final Path distribution;
    private final Path home;
    private final List<Path> providers;
    private final List<Path> realmImports;
    private final int requestedHttpPort;
    private final int requestedManagementPort;
    private final String adminUsername;
    private final String adminPassword;
    private final Map<String, String> options;
    private final Map<String, String> env;
    private final boolean devMode;
    private final boolean inheritIO;
    private final boolean freshData;
    private final Path logFile;
    private final Path javaHome;
    private final String heap;
    private final Duration startupTimeout;

    private final Object lifecycle = new Object();
    private final AtomicReference<Process> process = new AtomicReference<>();
    private final HttpClient http = AdminTokens.newHttpClient();
    private final AdminTokens tokens;
    private final Thread shutdownHook = new Thread(this::stopQuietly, "keycloak-launcher-shutdown");

    private volatile Thread outputPump;
    private volatile int httpPort;
    private volatile int managementPort;
    private boolean prepared;
    private boolean hookRegistered;

    private KeycloakServer(Builder builder) {
        this.distribution = builder.distribution;
        this.home = builder.workDir.toAbsolutePath().normalize();
        this.providers = List.copyOf(builder.providers);
        this.realmImports = List.copyOf(builder.realmImports);
        this.requestedHttpPort = builder.httpPort;
        this.requestedManagementPort = builder.managementPort;
        this.httpPort = builder.httpPort;
        this.managementPort = builder.managementPort;
        this.adminUsername = builder.adminUsername;
        this.adminPassword = builder.adminPassword;
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(builder.options));
        this.env = Collections.unmodifiableMap(new LinkedHashMap<>(builder.env));
        this.devMode = builder.devMode;
        this.inheritIO = builder.inheritIO;
        this.freshData = builder.freshData;
        this.logFile = (builder.logFile != null ? builder.logFile : home.resolve("keycloak.log"))
                .toAbsolutePath().normalize();
        this.javaHome = builder.javaHome != null ? builder.javaHome : Path.of(System.getProperty("java.home"));
        this.heap = builder.heap;
        this.startupTimeout = builder.startupTimeout;
        this.tokens = new AdminTokens(http, this::baseUrl, adminUsername, adminPassword, Clock.systemUTC());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The distribution zip as Maven stores it: {@code ~/.m2/repository} or {@code -Dmaven.repo.local}.
     *
     * @throws IllegalStateException naming the Maven build to run when the zip is not there
     */
    public static Path distributionFromLocalRepository(String version) {
        Objects.requireNonNull(version, "version");
        String configured = System.getProperty("maven.repo.local");
        Path repository = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path zip = repository.resolve(Path.of("org", "keycloak", "keycloak-quarkus-dist", version,
                "keycloak-quarkus-dist-" + version + ".zip"));
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("Keycloak distribution " + version + " is not in the local Maven "
                    + "repository (" + zip + "). Run the Maven build once (mvn install), which downloads "
                    + "org.keycloak:keycloak-quarkus-dist:" + version + ":zip.");
        }
        return zip;
    }

    /** The distribution version this launcher was built and tested with. */
    public static String defaultDistributionVersion() {
        Properties properties = new Properties();
        try (InputStream in = KeycloakServer.class.getResourceAsStream("launcher.properties")) {
            if (in == null) {
                throw new IllegalStateException("launcher.properties is missing from the launcher jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("keycloak.dist.version");
    }

    /**
     * Installs the distribution and providers if needed, starts Keycloak and blocks until it serves requests.
     * Does nothing if it is already running.
     *
     * @throws IllegalStateException with the end of the server log if Keycloak exits or is not ready in time
     */
    public void start() {
        synchronized (lifecycle) {
            if (isRunning()) {
                return;
            }
            try {
                prepare();
                if (!devMode) {
                    buildIfNeeded();
                }
                List<String> command = command(devMode ? "start-dev" : "start");
                awaitReady(launch(command));
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start Keycloak in " + home, e);
            }
        }
    }

    /**
     * Stops Keycloak and every process it started: SIGTERM first, a hard kill after 30 s. Safe to call at any
     * time, any number of times.
     */
    public void stop() {
        Process running = process.getAndSet(null);
        if (running != null) {
            long pid = running.pid();
            if (!ProcessTree.stop(running.toHandle(), STOP_GRACE)) {
                throw new IllegalStateException("Keycloak (pid " + pid + ") survived SIGTERM and SIGKILL");
            }
        }
        awaitOutputDrained();
        tokens.invalidate();
        unregisterShutdownHook();
    }

    /** Stops and starts again on the same ports, keeping the data. */
    public void restart() {
        synchronized (lifecycle) {
            stop();
            start();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        Process running = process.get();
        return running != null && running.isAlive();
    }

    /** {@code http://localhost:PORT}, plus the {@code http-relative-path} option if one was given. */
    public String baseUrl() {
        return "http://localhost:" + requirePort(httpPort) + relativePath();
    }

    /** Keycloak's management interface, where {@code /health} and {@code /metrics} live. */
    public String managementUrl() {
        return "http://localhost:" + requirePort(managementPort);
    }

    /** The Keycloak JVM: the child of {@code kc.sh}, or {@code kc.sh} itself once it re-executed as java. */
    public long pid() {
        Process running = process.get();
        if (running == null) {
            throw new IllegalStateException("Keycloak is not running");
        }
        return running.toHandle().descendants()
                .filter(KeycloakServer::isJava)
                .map(ProcessHandle::pid)
                .findFirst()
                .orElse(running.pid());
    }

    public Path logFile() {
        return logFile;
    }

    /** The Keycloak installation directory, i.e. the work directory. */
    public Path home() {
        return home;
    }

    /** A valid master-realm access token for the bootstrap admin, reused until shortly before it expires. */
    public String adminToken() {
        return tokens.get();
    }

    AdminTokens adminTokens() {
        return tokens;
    }

    /** The kc.sh command line for a verb ({@code start-dev}, {@code start}, {@code build}). */
    List<String> command(String verb) {
        List<String> command = new ArrayList<>();
        if (WINDOWS) {
            command.add("cmd.exe");
            command.add("/c");
            command.add(home.resolve("bin").resolve("kc.bat").toString());
        } else {
            command.add(home.resolve("bin").resolve("kc.sh").toString());
        }
        command.add(verb);
        boolean build = verb.equals("build");
        if (verb.equals("start")) {
            // buildIfNeeded() has just built with these very options.
            command.add("--optimized");
        }
        effectiveOptions().forEach((name, value) -> {
            if (!(build && name.equals("import-realm"))) {
                command.add(value == null ? "--" + name : "--" + name + "=" + value);
            }
        });
        return command;
    }

    /** Options in the order passed: the launcher's own first, the caller's overriding them. */
    Map<String, String> effectiveOptions() {
        Map<String, String> effective = new LinkedHashMap<>();
        effective.put("http-port", String.valueOf(httpPort));
        effective.put("http-management-port", String.valueOf(managementPort));
        effective.put("health-enabled", "true");
        effective.put("metrics-enabled", "true");
        effective.put("log-console-output", "default");
        if (!devMode) {
            effective.put("http-enabled", "true");
            effective.put("hostname-strict", "false");
        }
        if (!realmImports.isEmpty()) {
            effective.put("import-realm", null);
        }
        effective.putAll(options);
        return effective;
    }

    /**
     * The child's environment: inherited variables minus anything that would configure Keycloak or its JVM
     * behind the builder's back, plus the builder's settings.
     */
    Map<String, String> environment(Map<String, String> inherited) {
        inherited.keySet().removeIf(name -> name.startsWith("KC_") || name.startsWith("QUARKUS_")
                || name.startsWith("JAVA_OPTS") || Set.of("JAVA", "JAVA_ADD_OPENS", "JAVA_LOCALE", "PRINT_ENV",
                "DEBUG", "DEBUG_PORT", "DEBUG_SUSPEND").contains(name));
        inherited.put("JAVA_HOME", javaHome.toString());
        inherited.put("JAVA", javaHome.resolve("bin").resolve(WINDOWS ? "java.exe" : "java").toString());
        inherited.put("KC_BOOTSTRAP_ADMIN_USERNAME", adminUsername);
        inherited.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        if (heap != null) {
            inherited.put("JAVA_OPTS_KC_HEAP", heap);
        }
        inherited.putAll(env);
        return inherited;
    }

    private void prepare() throws IOException {
        Distribution.install(distribution, home);
        if (!prepared) {
            if (freshData) {
                Distribution.deleteRecursively(home.resolve("data"));
            }
            int[] ports = Ports.resolve(requestedHttpPort, requestedManagementPort);
            httpPort = ports[0];
            managementPort = ports[1];
            Files.createDirectories(logFile.getParent());
            Files.write(logFile, new byte[0]);
            prepared = true;
        }
        FileSync.sync(home.resolve("providers"), providers, ".jar");
        FileSync.sync(home.resolve("data").resolve("import"), realmImports, ".json");
        for (int port : new int[] {httpPort, managementPort}) {
            // Otherwise a leftover server on that port would answer the readiness probe in our server's place.
            if (!Ports.isFree(port)) {
                throw new IllegalStateException("Port " + port + " is already in use; is another Keycloak running?");
            }
        }
    }

    private void buildIfNeeded() throws IOException {
        List<Path> sortedProviders = new ArrayList<>(providers);
        sortedProviders.sort(Comparator.comparing(path -> path.getFileName().toString()));
        Map<String, String> buildInputs = new TreeMap<>();
        effectiveOptions().forEach((name, value) -> {
            if (!RUNTIME_ONLY.contains(name)) {
                buildInputs.put("--" + name, String.valueOf(value));
            }
        });
        env.forEach((name, value) -> {
            if (name.startsWith("KC_")) {
                buildInputs.put("$" + name, value);
            }
        });
        String hash = FileSync.digest(Distribution.versionIn(home) + "\n" + FileSync.digest(sortedProviders)
                + "\n" + buildInputs);
        Path hashFile = home.resolve(BUILD_HASH_FILE);
        if (Files.isRegularFile(hashFile) && hash.equals(Files.readString(hashFile, StandardCharsets.UTF_8).trim())) {
            return;
        }
        Files.deleteIfExists(hashFile);
        Process build = launch(command("build"));
        Instant deadline = Instant.now().plus(startupTimeout);
        try {
            while (!build.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
                if (process.get() != build) {
                    throw failure("Keycloak was stopped while building");
                }
                if (Instant.now().isAfter(deadline)) {
                    stop();
                    throw failure("kc.sh build did not finish within " + startupTimeout);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("Interrupted while building Keycloak", e);
        }
        process.compareAndSet(build, null);
        if (build.exitValue() != 0) {
            stop();
            throw failure("kc.sh build failed with exit code " + build.exitValue());
        }
        Files.writeString(hashFile, hash + "\n", StandardCharsets.UTF_8);
    }

    private Process launch(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        environment(builder.environment());
        if (inheritIO) {
            builder.redirectOutput(ProcessBuilder.Redirect.PIPE);
        } else {
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        }
        registerShutdownHook();
        Process started = builder.start();
        process.set(started);
        if (inheritIO) {
            Thread pump = new Thread(() -> copyToLogAndStdout(started.getInputStream()), "keycloak-launcher-output");
            pump.setDaemon(true);
            pump.start();
            outputPump = pump;
        }
        return started;
    }

    private void awaitReady(Process server) {
        Instant deadline = Instant.now().plus(startupTimeout);
        while (true) {
            if (process.get() != server) {
                throw failure("Keycloak was stopped while starting");
            }
            if (!server.isAlive()) {
                stop();
                throw failure("Keycloak exited with code " + server.exitValue() + " before it was ready");
            }
            if (isReady()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                stop();
                throw failure("Keycloak was not ready within " + startupTimeout);
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IllegalStateException("Interrupted while waiting for Keycloak to start", e);
            }
        }
    }

    private boolean isReady() {
        boolean health = "true".equals(effectiveOptions().get("health-enabled"));
        return (!health || answers200(managementUrl() + "/health/ready"))
                && answers200(baseUrl() + "/realms/master");
    }

    private boolean answers200(String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(PROBE_TIMEOUT).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private IllegalStateException failure(String what) {
        return new IllegalStateException(what + " (log: " + logFile + "). Last " + TAIL_LINES + " log lines:\n"
                + LogTail.lastLines(logFile, TAIL_LINES));
    }

    private void copyToLogAndStdout(InputStream output) {
        PrintStream console = System.out;
        try (InputStream in = output; OutputStream log = new FileOutputStream(logFile.toFile(), true)) {
            byte[] buffer = new byte[8192];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                log.write(buffer, 0, read);
                log.flush();
                console.write(buffer, 0, read);
                console.flush();
            }
        } catch (IOException e) {
            // The process is gone or the log is unwritable; either way there is nobody left to tell.
        }
    }

    /** So that the log is complete once stop() returns, also when it is fed through our pipe. */
    private void awaitOutputDrained() {
        Thread pump = outputPump;
        if (pump != null) {
            try {
                pump.join(OUTPUT_DRAIN.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            // Called while the JVM exits: nothing sensible remains to be done with the failure.
        }
    }

    private synchronized void registerShutdownHook() {
        if (!hookRegistered) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            hookRegistered = true;
        }
    }

    private synchronized void unregisterShutdownHook() {
        if (hookRegistered) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
                hookRegistered = false;
            } catch (IllegalStateException e) {
                // The JVM is already shutting down, and this very hook is what called stop().
            }
        }
    }

    private String relativePath() {
        String path = options.get("http-relative-path");
        if (path == null || path.isBlank() || path.equals("/")) {
            return "";
        }
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.startsWith("/") ? trimmed : "/" + trimmed;
    }

    private static int requirePort(int port) {
        if (port == 0) {
            throw new IllegalStateException("Keycloak has not been started; its free ports are chosen by start()");
        }
        return port;
    }

    private static boolean isJava(ProcessHandle handle) {
        return handle.info().command()
                .map(command -> Path.of(command).getFileName().toString())
                .map(name -> name.equals("java") || name.equals("java.exe"))
                .orElse(false);
    }

    /** Configures a {@link KeycloakServer}; only {@link #workDir(Path)} is required. */
    public static final class Builder {

        private Path distribution;
        private Path workDir;
        private final List<Path> providers = new ArrayList<>();
        private final List<Path> realmImports = new ArrayList<>();
        private int httpPort;
        private int managementPort;
        private String adminUsername = "admin";
        private String adminPassword = "admin";
        private final Map<String, String> options = new LinkedHashMap<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private boolean devMode = true;
        private boolean inheritIO;
        private boolean freshData;
        private Path logFile;
        private Path javaHome;
        private String heap;
        private Duration startupTimeout = Duration.ofMinutes(4);

        private Builder() {
        }

        /**
         * A keycloak-quarkus-dist zip or an unpacked Keycloak directory. Defaults to the zip of
         * {@link KeycloakServer#defaultDistributionVersion()} in the local Maven repository. The directory may be
         * another server's {@link KeycloakServer#home()}: its production build is then reused as long as the build
         * options and providers are the same.
         */
        public Builder distribution(Path zipOrUnpackedDir) {
            this.distribution = Objects.requireNonNull(zipOrUnpackedDir, "distribution");
            return this;
        }

        /** Where the server is unpacked and runs; reused across runs while it holds the same version. */
        public Builder workDir(Path dir) {
            this.workDir = Objects.requireNonNull(dir, "workDir");
            return this;
        }

        /** A jar for {@code providers/}; jars there that were not named are removed at start. */
        public Builder provider(Path jar) {
            providers.add(Objects.requireNonNull(jar, "provider"));
            return this;
        }

        /** 0 (the default) picks a free port at the first start and keeps it for restarts. */
        public Builder httpPort(int port) {
            this.httpPort = checkPort(port);
            return this;
        }

        /** 0 (the default) picks a free port, so that several servers do not all claim Keycloak's 9000. */
        public Builder managementPort(int port) {
            this.managementPort = checkPort(port);
            return this;
        }

        /** The bootstrap admin of the master realm; admin/admin unless set. */
        public Builder adminUser(String username, String password) {
            this.adminUsername = Objects.requireNonNull(username, "username");
            this.adminPassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * Any kc.sh option, passed as {@code --name=value} (or as the bare flag {@code --name} when value is
         * null). Overrides the launcher's own choice for the same option.
         */
        public Builder option(String name, String value) {
            Objects.requireNonNull(name, "name");
            String bare = name.startsWith("--") ? name.substring(2) : name;
            if (bare.isEmpty() || bare.contains("=")) {
                throw new IllegalArgumentException("Not an option name: " + name);
            }
            options.put(bare, value);
            return this;
        }

        /** An environment variable for the server process, set after (so over) the launcher's own. */
        public Builder env(String name, String value) {
            env.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * true (the default) runs {@code start-dev}; false runs {@code kc.sh build} when providers or options
         * changed and then {@code start --optimized} with HTTP enabled and a non-strict hostname.
         */
        public Builder devMode(boolean devMode) {
            this.devMode = devMode;
            return this;
        }

        /** A realm JSON file for {@code data/import}; giving any adds {@code --import-realm}. */
        public Builder realmImport(Path jsonFile) {
            realmImports.add(Objects.requireNonNull(jsonFile, "realmImport"));
            return this;
        }

        /** Server stdout and stderr; {@code keycloak.log} in the work directory unless set. */
        public Builder logFile(Path file) {
            this.logFile = Objects.requireNonNull(file, "logFile");
            return this;
        }

        /** Also copy the server output to this JVM's stdout (it always goes to the log file). */
        public Builder inheritIO(boolean inheritIO) {
            this.inheritIO = inheritIO;
            return this;
        }

        /** Delete {@code data/} (realms, users, the dev database) before the first start. */
        public Builder freshData(boolean freshData) {
            this.freshData = freshData;
            return this;
        }

        /** The JDK to run Keycloak on; the one running this code unless set. */
        public Builder javaHome(Path javaHome) {
            this.javaHome = Objects.requireNonNull(javaHome, "javaHome");
            return this;
        }

        /** Replaces only the heap part of Keycloak's JVM options, e.g. {@code -Xms256m -Xmx1g}. */
        public Builder heap(String jvmHeapOptions) {
            this.heap = Objects.requireNonNull(jvmHeapOptions, "heap");
            return this;
        }

        /** How long start() waits for readiness (and a production build) before giving up; 4 minutes default. */
        public Builder startupTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "startupTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive: " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        public KeycloakServer build() {
            if (workDir == null) {
                throw new IllegalStateException("workDir is required");
            }
            if (distribution == null) {
                distribution = distributionFromLocalRepository(defaultDistributionVersion());
            }
            return new KeycloakServer(this);
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("Not a port: " + port);
            }
            return port;
        }
    }
}
