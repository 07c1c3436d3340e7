package io.github.keycloakdrchrono.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Starts the real distribution: about a minute, so it runs in {@code mvn verify}, not {@code mvn test}. */
@Tag("slow")
@DisplayName("KeycloakServer with the real distribution")
class KeycloakServerRealStartTest {

    @Test
    @DisplayName("starts stock Keycloak, hands out admin tokens, and stops without leftovers")
    void realStart() throws Exception {
        String zip = System.getProperty("keycloak.dist.zip");
        Path distribution = zip != null && !zip.isBlank() && !zip.startsWith("${")
                ? Path.of(zip)
                : KeycloakServer.distributionFromLocalRepository(KeycloakServer.defaultDistributionVersion());
        Path workDir = Path.of(System.getProperty("launcher.test.work", "target/test-work"), "real-start");
        HttpClient http = HttpClient.newHttpClient();

        try (KeycloakServer kc = KeycloakServer.builder()
                .distribution(distribution)
                .workDir(workDir)
                .freshData(true)
                .heap("-Xms256m -Xmx1g")
                .startupTimeout(Duration.ofMinutes(5))
                .build()) {
            long began = System.nanoTime();
            kc.start();
            Duration startup = Duration.ofNanos(System.nanoTime() - began);
            System.out.printf("%s started in %.1f s (log: %s)%n",
                    Distribution.versionIn(kc.home()), startup.toMillis() / 1000.0, kc.logFile());

            HttpResponse<String> master = http.send(
                    HttpRequest.newBuilder(URI.create(kc.baseUrl() + "/realms/master")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(master.statusCode()).isEqualTo(200);
            assertThat(master.body()).contains("\"realm\":\"master\"");

            String token = kc.adminToken();
            assertThat(token.split("\\.")).hasSize(3);
            assertThat(kc.adminToken()).isSameAs(token);
            assertThat(new AdminClient(kc).get("master").path("realm").asText()).isEqualTo("master");

            ProcessHandle jvm = ProcessHandle.of(kc.pid()).orElseThrow();
            List<ProcessHandle> tree = ProcessHandle.current().children()
                    .filter(child -> child.equals(jvm) || child.descendants().anyMatch(jvm::equals))
                    .flatMap(child -> Stream.concat(Stream.of(child),
                            child.descendants()))
                    .toList();
            assertThat(tree).contains(jvm);
            int httpPort = URI.create(kc.baseUrl()).getPort();
            int managementPort = URI.create(kc.managementUrl()).getPort();

            kc.stop();

            assertThat(tree).noneMatch(ProcessHandle::isAlive);
            assertThat(Ports.isFree(httpPort)).isTrue();
            assertThat(Ports.isFree(managementPort)).isTrue();
            assertThat(kc.logFile()).content().contains("Keycloak " + Distribution.versionIn(kc.home())
                    .replace("Keycloak - Version ", ""));
        }
    }
}
