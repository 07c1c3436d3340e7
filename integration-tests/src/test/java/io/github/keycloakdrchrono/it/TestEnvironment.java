package io.github.keycloakdrchrono.it;

import java.nio.file.Path;
import java.time.Duration;

import io.github.keycloakdrchrono.launcher.AdminClient;
import io.github.keycloakdrchrono.launcher.KeycloakServer;
import io.github.keycloakdrchrono.sandbox.DrChronoSandbox;

/**
 * One sandbox and one Keycloak {@value #VERSION_PROPERTY} distribution, with the built jar in providers/, for the
 * whole test run: starting Keycloak costs about a minute, a realm a fraction of a second, so tests share the
 * server and each gets a realm of its own.
 *
 * <p>A second server, started only by the tests that ask for it, runs with what the first cannot have: Keycloak
 * features that replace defaults (version 2 of the brokering API replaces version 1; token exchange to an identity
 * provider exists only in legacy token exchange, v1, which needs fine-grained admin permissions v1), and metrics
 * off, Keycloak's own default, which the launcher turns on.
 */
final class TestEnvironment {

    static final String VERSION_PROPERTY = "keycloak.dist.version";

    static final String OPTIONAL_FEATURES = "identity-brokering-api:v2,token-exchange:v1,admin-fine-grained-authz:v1";

    private static final Starter DEFAULT = new Starter("keycloak", null);
    private static final Starter WITH_OPTIONAL_FEATURES = new Starter("keycloak-features", OPTIONAL_FEATURES);

    final DrChronoSandbox sandbox;
    final KeycloakServer keycloak;
    final AdminClient admin;

    private TestEnvironment(DrChronoSandbox sandbox, KeycloakServer keycloak) {
        this.sandbox = sandbox;
        this.keycloak = keycloak;
        this.admin = new AdminClient(keycloak);
    }

    /** The server with Keycloak's default features, which most tests use. */
    static TestEnvironment get() {
        return DEFAULT.get();
    }

    /** The second server: {@value #OPTIONAL_FEATURES} on, metrics off. */
    static TestEnvironment nonDefault() {
        return WITH_OPTIONAL_FEATURES.get();
    }

    /** The directory of this environment's Keycloak home (its H2 files are under data/h2). */
    Path workDir() {
        return keycloak.home();
    }

    private static final class Starter {

        private final String directory;
        private final String features;
        private TestEnvironment instance;
        /** A failed start is remembered: every later test fails at once instead of starting yet another server. */
        private RuntimeException startFailure;

        Starter(String directory, String features) {
            this.directory = directory;
            this.features = features;
        }

        synchronized TestEnvironment get() {
            if (startFailure != null) {
                throw new IllegalStateException("The test environment did not start", startFailure);
            }
            if (instance == null) {
                instance = start();
            }
            return instance;
        }

        private TestEnvironment start() {
            DrChronoSandbox sandbox = null;
            KeycloakServer keycloak = null;
            try {
                sandbox = DrChronoSandbox.builder().withDemoUsers().build().start();
                Path target = Path.of(TestProperties.required("keycloak.work.dir")).getParent();
                KeycloakServer.Builder builder = KeycloakServer.builder()
                        .distribution(Path.of(TestProperties.required("keycloak.dist.zip")))
                        .workDir(target.resolve(directory))
                        .provider(Path.of(TestProperties.required("provider.jar")))
                        .httpPort(0)
                        .managementPort(0)
                        .adminUser("admin", "admin")
                        .freshData(true)
                        // Our code at its most talkative, so LogHygieneIT proves that even TRACE leaks nothing.
                        .option("log-level", "INFO,io.github.keycloakdrchrono:trace")
                        .heap("-Xms256m -Xmx1g")
                        .startupTimeout(Duration.ofMinutes(5));
                if (features != null) {
                    builder.option("features", features).option("metrics-enabled", "false");
                }
                keycloak = builder.build();
                keycloak.start();
            } catch (RuntimeException | Error e) {
                // Whatever started must not outlive the test JVM as an orphan holding ports and memory.
                if (keycloak != null) {
                    keycloak.stop();
                }
                if (sandbox != null) {
                    sandbox.stop();
                }
                startFailure = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                throw e;
            }
            KeycloakServer server = keycloak;
            DrChronoSandbox stub = sandbox;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.stop();
                stub.stop();
            }, "stop-test-environment-" + directory));
            return new TestEnvironment(sandbox, keycloak);
        }
    }
}
