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
 */
final class TestEnvironment {

    static final String VERSION_PROPERTY = "keycloak.dist.version";

    private static TestEnvironment instance;

    final DrChronoSandbox sandbox;
    final KeycloakServer keycloak;
    final AdminClient admin;

    private TestEnvironment(DrChronoSandbox sandbox, KeycloakServer keycloak) {
        this.sandbox = sandbox;
        this.keycloak = keycloak;
        this.admin = new AdminClient(keycloak);
    }

    /** A server a test class started for itself, e.g. with other options; that class stops it. */
    static TestEnvironment of(DrChronoSandbox sandbox, KeycloakServer keycloak) {
        return new TestEnvironment(sandbox, keycloak);
    }

    /** A failed start is remembered: every later test fails at once instead of starting yet another server. */
    private static RuntimeException startFailure;

    static synchronized TestEnvironment get() {
        if (startFailure != null) {
            throw new IllegalStateException("The test environment did not start", startFailure);
        }
        if (instance == null) {
            DrChronoSandbox sandbox = null;
            KeycloakServer keycloak = null;
            try {
                sandbox = DrChronoSandbox.builder().withDemoUsers().build().start();
                keycloak = KeycloakServer.builder()
                        .distribution(Path.of(TestProperties.required("keycloak.dist.zip")))
                        .workDir(Path.of(TestProperties.required("keycloak.work.dir")))
                        .provider(Path.of(TestProperties.required("provider.jar")))
                        .httpPort(0)
                        .managementPort(0)
                        .adminUser("admin", "admin")
                        .freshData(true)
                        // Our code at its most talkative, so LogHygieneIT proves that even TRACE leaks nothing.
                        .option("log-level", "INFO,io.github.keycloakdrchrono:trace")
                        .heap("-Xms256m -Xmx1g")
                        .startupTimeout(Duration.ofMinutes(5))
                        .build();
                keycloak.start();
                instance = new TestEnvironment(sandbox, keycloak);
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
            }, "stop-test-environment"));
        }
        return instance;
    }
}
