package io.github.keycloakdrchrono.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the sandbox on its own, for the demo and for trying a client by hand:
 * {@code java -jar drchrono-sandbox.jar [--port 8099] [--host 127.0.0.1] [--client id:secret:redirectUri]...
 * [--no-rotation] [--access-token-lifetime SECONDS]}.
 */
public final class SandboxMain {

    static final int DEFAULT_PORT = 8099;

    // The demo realm's broker endpoint; published in the README, so printing this secret discloses nothing.
    static final String DEFAULT_CLIENT_ID = "keycloak";
    static final String DEFAULT_CLIENT_SECRET = "sandbox-secret";
    static final String DEFAULT_REDIRECT_URI = "http://localhost:8080/realms/demo/broker/drchrono/endpoint";

    private static final String USAGE = """
            Usage: java -jar drchrono-sandbox.jar [options]
              --port N                         port to listen on (default 8099; 0 picks a free one)
              --host ADDRESS                   address to bind (default 127.0.0.1)
              --client ID:SECRET:REDIRECT_URI  register a client; repeatable (default keycloak:sandbox-secret:%s)
              --no-rotation                    return the same refresh token on refresh
              --access-token-lifetime SECONDS  access token lifetime (default 172800)
              --help                           show this text
            """.formatted(DEFAULT_REDIRECT_URI);

    private SandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(USAGE);
            return;
        }
        DrChronoSandbox sandbox = options.builder().build().start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.stop();
            stopped.countDown();
        }, "drchrono-sandbox-shutdown"));
        System.out.print(banner(sandbox, options.usesDefaultClient()));
        System.out.flush();
        stopped.await();
    }

    static String banner(DrChronoSandbox sandbox, boolean defaultClient) {
        StringBuilder out = new StringBuilder()
                .append("DrChrono sandbox listening on ").append(sandbox.baseUrl()).append('\n')
                .append("  authorize  ").append(sandbox.authorizationUrl()).append('\n')
                .append("  token      ").append(sandbox.tokenUrl()).append('\n')
                .append("  revoke     ").append(sandbox.revocationUrl()).append('\n')
                .append("  API        ").append(sandbox.apiUrl()).append("/api/\n");
        if (defaultClient) {
            out.append("Client ").append(DEFAULT_CLIENT_ID).append(" / ").append(DEFAULT_CLIENT_SECRET)
                    .append(" redirecting to ").append(DEFAULT_REDIRECT_URI).append('\n');
        }
        out.append("Demo users (password ").append(SandboxUsers.DEMO_PASSWORD).append("):\n")
                .append(String.format("  %-12s %-8s %-7s %-8s %s%n", "username", "id", "role", "doctor", "name"));
        for (SandboxUser user : sandbox.users().list()) {
            if (user.active()) {
                out.append(String.format("  %-12s %-8d %-7s %-8d %s %s%n", user.username(), user.id(),
                        user.isDoctor() ? "doctor" : "staff", user.doctor(), user.firstName(), user.lastName()));
            }
        }
        return out.append("Press Ctrl-C to stop.\n").toString();
    }

    /** The command line, parsed without side effects so that tests can check it. */
    record Options(DrChronoSandbox.Builder builder, boolean usesDefaultClient, boolean help) {

        static Options parse(String... args) {
            DrChronoSandbox.Builder builder = DrChronoSandbox.builder().port(DEFAULT_PORT).withDemoUsers();
            List<String[]> clients = new ArrayList<>();
            boolean help = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> builder.port(integer(args, ++i, "--port"));
                    case "--host" -> builder.host(value(args, ++i, "--host"));
                    case "--client" -> clients.add(client(value(args, ++i, "--client")));
                    case "--no-rotation" -> builder.refreshTokenRotation(false);
                    case "--access-token-lifetime" -> builder.accessTokenLifetime(
                            Duration.ofSeconds(integer(args, ++i, "--access-token-lifetime")));
                    case "--help", "-h" -> help = true;
                    default -> throw new IllegalArgumentException("Unknown option: " + args[i]);
                }
            }
            if (clients.isEmpty()) {
                clients.add(new String[] {DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REDIRECT_URI});
            }
            clients.forEach(client -> builder.client(client[0], client[1], client[2]));
            return new Options(builder, clients.size() == 1 && clients.get(0)[0].equals(DEFAULT_CLIENT_ID)
                    && clients.get(0)[1].equals(DEFAULT_CLIENT_SECRET), help);
        }

        private static String[] client(String spec) {
            // The redirect URI has colons of its own, so only the first two separate fields.
            String[] parts = spec.split(":", 3);
            if (parts.length < 3 || parts[0].isEmpty() || parts[2].isEmpty()) {
                throw new IllegalArgumentException("--client wants ID:SECRET:REDIRECT_URI, got " + spec);
            }
            return parts;
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }

        private static int integer(String[] args, int index, String option) {
            String text = value(args, index, option);
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " wants a number, got " + text);
            }
        }
    }
}
