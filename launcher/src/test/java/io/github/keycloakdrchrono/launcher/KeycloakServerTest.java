package io.github.keycloakdrchrono.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("KeycloakServer")
class KeycloakServerTest {

    @TempDir
    Path tmp;

    private KeycloakServer.Builder builder() {
        return KeycloakServer.builder()
                .distribution(tmp.resolve("dist.zip"))
                .workDir(tmp.resolve("kc"))
                .httpPort(8081)
                .managementPort(9001);
    }

    @Nested
    @DisplayName("builder")
    class Builder {

        @Test
        @DisplayName("requires a work directory")
        void requiresWorkDir() {
            assertThatThrownBy(() -> KeycloakServer.builder().distribution(tmp).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("workDir");
        }

        @Test
        @DisplayName("rejects impossible ports and option names")
        void validates() {
            assertThatThrownBy(() -> KeycloakServer.builder().httpPort(70000))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> KeycloakServer.builder().option("a=b", "c"))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("defaults the log file into the work directory")
        void defaults() {
            KeycloakServer kc = builder().build();

            assertThat(kc.home()).isEqualTo(tmp.resolve("kc").toAbsolutePath());
            assertThat(kc.logFile()).isEqualTo(tmp.resolve("kc/keycloak.log").toAbsolutePath());
            assertThat(kc.isRunning()).isFalse();
        }

        @Test
        @DisplayName("knows fixed ports before start, and refuses to guess free ones")
        void urlsBeforeStart() {
            assertThat(builder().build().baseUrl()).isEqualTo("http://localhost:8081");
            assertThat(builder().build().managementUrl()).isEqualTo("http://localhost:9001");
            assertThatThrownBy(() -> builder().httpPort(0).build().baseUrl())
                    .isInstanceOf(IllegalStateException.class);
        }

        @Test
        @DisplayName("adds http-relative-path to the base URL")
        void relativePath() {
            assertThat(builder().option("http-relative-path", "/auth/").build().baseUrl())
                    .isEqualTo("http://localhost:8081/auth");
        }
    }

    @Nested
    @DisplayName("command line")
    class CommandLine {

        @Test
        @DisplayName("runs start-dev with ports, health and metrics")
        void devMode() {
            KeycloakServer kc = builder().build();

            assertThat(kc.command("start-dev")).containsExactly(
                    kc.home().resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-port=8081", "--http-management-port=9001", "--health-enabled=true",
                    "--metrics-enabled=true", "--log-console-output=default");
        }

        @Test
        @DisplayName("runs an optimized start with HTTP and a lax hostname in production mode")
        void productionMode() {
            List<String> command = builder().devMode(false).build().command("start");

            assertThat(command).contains("start", "--optimized", "--http-enabled=true", "--hostname-strict=false");
        }

        @Test
        @DisplayName("lets options override the launcher's and passes null values as flags")
        void options() {
            List<String> command = builder()
                    .option("--metrics-enabled", "false")
                    .option("features", "token-exchange")
                    .option("verbose", null)
                    .build().command("start-dev");

            assertThat(command).contains("--metrics-enabled=false", "--features=token-exchange", "--verbose")
                    .doesNotContain("--metrics-enabled=true");
        }

        @Test
        @DisplayName("imports realms at start but not at build")
        void realmImport() {
            KeycloakServer kc = builder().realmImport(tmp.resolve("demo-realm.json")).build();

            assertThat(kc.command("start-dev")).contains("--import-realm");
            assertThat(kc.command("build")).doesNotContain("--import-realm").contains("--health-enabled=true");
        }
    }

    @Nested
    @DisplayName("environment")
    class Environment {

        @Test
        @DisplayName("drops inherited Keycloak and JVM settings and adds the builder's")
        void environment() {
            Map<String, String> inherited = new HashMap<>(Map.of(
                    "PATH", "/usr/bin", "KC_DB", "postgres", "JAVA_OPTS", "-Xmx8g", "DEBUG", "true",
                    "QUARKUS_HTTP_PORT", "1"));

            Map<String, String> env = builder()
                    .adminUser("root", "s3cret")
                    .heap("-Xms256m -Xmx1g")
                    .javaHome(Path.of("/opt/jdk"))
                    .env("KC_DB", "dev-mem")
                    .build()
                    .environment(inherited);

            assertThat(env).containsEntry("PATH", "/usr/bin")
                    .containsEntry("KC_DB", "dev-mem")
                    .containsEntry("KC_BOOTSTRAP_ADMIN_USERNAME", "root")
                    .containsEntry("KC_BOOTSTRAP_ADMIN_PASSWORD", "s3cret")
                    .containsEntry("JAVA_OPTS_KC_HEAP", "-Xms256m -Xmx1g")
                    .containsEntry("JAVA_HOME", "/opt/jdk")
                    .containsEntry("JAVA", "/opt/jdk/bin/java")
                    .doesNotContainKeys("JAVA_OPTS", "DEBUG", "QUARKUS_HTTP_PORT");
        }

        @Test
        @DisplayName("keeps Keycloak's heap default unless one is given")
        void defaultHeap() {
            assertThat(builder().build().environment(new HashMap<>())).doesNotContainKey("JAVA_OPTS_KC_HEAP")
                    .containsEntry("JAVA_HOME", System.getProperty("java.home"));
        }
    }

    @Nested
    @DisplayName("distributionFromLocalRepository")
    class LocalRepository {

        @AfterEach
        void restore() {
            System.clearProperty("maven.repo.local");
        }

        @Test
        @DisplayName("finds the zip in -Dmaven.repo.local")
        void honoursRepoLocal() throws IOException {
            Path zip = tmp.resolve("repo/org/keycloak/keycloak-quarkus-dist/9.9.9/keycloak-quarkus-dist-9.9.9.zip");
            Files.createDirectories(zip.getParent());
            Files.writeString(zip, "zip");
            System.setProperty("maven.repo.local", tmp.resolve("repo").toString());

            assertThat(KeycloakServer.distributionFromLocalRepository("9.9.9")).isEqualTo(zip);
        }

        @Test
        @DisplayName("tells the user to run the Maven build when the zip is missing")
        void missing() {
            System.setProperty("maven.repo.local", tmp.resolve("empty").toString());

            assertThatThrownBy(() -> KeycloakServer.distributionFromLocalRepository("9.9.9"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("mvn install")
                    .hasMessageContaining("keycloak-quarkus-dist-9.9.9.zip");
        }

        @Test
        @DisplayName("knows the version it was built for")
        void defaultVersion() {
            assertThat(KeycloakServer.defaultDistributionVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
        }
    }

    @Nested
    @DisplayName("lifecycle, with a fake kc.sh")
    class Lifecycle {

        private final HttpClient http = HttpClient.newHttpClient();

        @Test
        @DisplayName("starts, answers, and stops the whole process tree")
        void startAndStop() throws Exception {
            Path provider = TestDistributions.jar(tmp.resolve("build"), "drchrono.jar", "new");
            try (KeycloakServer kc = KeycloakServer.builder()
                    .distribution(TestDistributions.fakeServer(tmp.resolve("dist")))
                    .workDir(tmp.resolve("kc"))
                    .provider(provider)
                    .startupTimeout(Duration.ofSeconds(60))
                    .build()) {
                kc.start();

                assertThat(status(kc.baseUrl() + "/realms/master")).isEqualTo(200);
                assertThat(status(kc.managementUrl() + "/health/ready")).isEqualTo(200);
                assertThat(kc.home().resolve("providers/drchrono.jar")).hasContent("new");
                ProcessHandle jvm = ProcessHandle.of(kc.pid()).orElseThrow();
                assertThat(jvm.info().command()).hasValueSatisfying(command -> assertThat(command).endsWith("java"));
                int port = Integer.parseInt(kc.baseUrl().substring(kc.baseUrl().lastIndexOf(':') + 1));

                kc.stop();

                assertThat(jvm.isAlive()).isFalse();
                assertThat(kc.isRunning()).isFalse();
                assertThat(Ports.isFree(port)).isTrue();
                assertThat(kc.logFile()).content().contains("fake kc.sh start-dev", "fake keycloak listening");
                kc.stop();
            }
        }

        @Test
        @DisplayName("removes the previous run's providers when started without them")
        void stockAfterProviders() throws Exception {
            Path dist = TestDistributions.fakeServer(tmp.resolve("dist"));
            Path provider = TestDistributions.jar(tmp.resolve("build"), "drchrono.jar", "new");
            try (KeycloakServer withProvider = KeycloakServer.builder()
                    .distribution(dist).workDir(tmp.resolve("kc")).provider(provider).build()) {
                withProvider.start();
            }
            try (KeycloakServer stock = KeycloakServer.builder()
                    .distribution(dist).workDir(tmp.resolve("kc")).build()) {
                stock.start();

                assertThat(stock.home().resolve("providers/drchrono.jar")).doesNotExist();
            }
        }

        @Test
        @DisplayName("copies the server output to stdout when asked, and still logs it")
        void inheritIO() throws Exception {
            PrintStream original = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try (KeycloakServer kc = KeycloakServer.builder()
                    .distribution(TestDistributions.fakeServer(tmp.resolve("dist")))
                    .workDir(tmp.resolve("kc"))
                    .inheritIO(true)
                    .build()) {
                kc.start();
                kc.stop();

                assertThat(captured.toString(StandardCharsets.UTF_8)).contains("fake keycloak listening");
                assertThat(kc.logFile()).content().contains("fake keycloak listening");
            } finally {
                System.setOut(original);
            }
        }

        @Test
        @DisplayName("restarts on the same ports")
        void restart() throws Exception {
            try (KeycloakServer kc = KeycloakServer.builder()
                    .distribution(TestDistributions.fakeServer(tmp.resolve("dist")))
                    .workDir(tmp.resolve("kc"))
                    .build()) {
                kc.start();
                String baseUrl = kc.baseUrl();
                long pid = kc.pid();

                kc.restart();

                assertThat(kc.baseUrl()).isEqualTo(baseUrl);
                assertThat(kc.pid()).isNotEqualTo(pid);
                assertThat(status(baseUrl + "/realms/master")).isEqualTo(200);
            }
        }

        @Test
        @DisplayName("fails fast with the end of the log when the server exits")
        void failsFastOnExit() throws IOException {
            KeycloakServer kc = KeycloakServer.builder()
                    .distribution(TestDistributions.unpacked(tmp.resolve("dist"),
                            "#!/bin/sh\necho 'ERROR: Unknown option: --bogus'\nexit 2\n"))
                    .workDir(tmp.resolve("kc"))
                    .startupTimeout(Duration.ofMinutes(5))
                    .build();
            long began = System.nanoTime();

            assertThatThrownBy(kc::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited with code 2")
                    .hasMessageContaining("ERROR: Unknown option: --bogus")
                    .hasMessageContaining(kc.logFile().toString());
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(30));
            assertThat(kc.isRunning()).isFalse();
        }

        @Test
        @DisplayName("gives up after the startup timeout and leaves no process behind")
        void timesOut() throws IOException {
            Path pids = tmp.resolve("pids");
            KeycloakServer kc = KeycloakServer.builder()
                    .distribution(TestDistributions.unpacked(tmp.resolve("dist"),
                            "#!/bin/sh\necho starting forever\nsleep 300 &\n"
                                    + "echo $$ $! > '" + pids + "'\nwait\n"))
                    .workDir(tmp.resolve("kc"))
                    .startupTimeout(Duration.ofSeconds(2))
                    .build();

            assertThatThrownBy(kc::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not ready within PT2S")
                    .hasMessageContaining("starting forever");
            for (String pid : Files.readString(pids).trim().split(" ")) {
                assertThat(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive))
                        .isIn(Optional.empty(), Optional.of(false));
            }
        }

        @Test
        @DisplayName("refuses a port that something else already serves")
        void portTaken() throws IOException {
            try (ServerSocket taken = new ServerSocket(0)) {
                KeycloakServer kc = KeycloakServer.builder()
                        .distribution(TestDistributions.fakeServer(tmp.resolve("dist")))
                        .workDir(tmp.resolve("kc"))
                        .httpPort(taken.getLocalPort())
                        .build();

                assertThatThrownBy(kc::start).hasMessageContaining("already in use");
            }
        }

        private int status(String url) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        }
    }
}
