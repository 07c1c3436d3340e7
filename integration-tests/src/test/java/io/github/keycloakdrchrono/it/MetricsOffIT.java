package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.github.keycloakdrchrono.launcher.KeycloakServer;
import io.github.keycloakdrchrono.sandbox.DrChronoSandbox;
import io.github.keycloakdrchrono.sandbox.Endpoint;
import io.github.keycloakdrchrono.testkit.Browser;

/**
 * Metrics are off unless an admin turns them on (Keycloak's default), and the extension records on every login,
 * refresh and hand-out: with them off all of that must still work. A server of its own, since the shared one runs
 * with metrics on.
 */
@DisplayName("Keycloak with metrics off (its default)")
class MetricsOffIT {

    private static DrChronoSandbox sandbox;
    private static KeycloakServer keycloak;
    private static TestEnvironment env;

    @BeforeAll
    static void start() {
        sandbox = DrChronoSandbox.builder().withDemoUsers().build().start();
        keycloak = KeycloakServer.builder()
                .distribution(Path.of(TestProperties.required("keycloak.dist.zip")))
                .workDir(Path.of(TestProperties.required("keycloak.work.dir") + "-metrics-off"))
                .provider(Path.of(TestProperties.required("provider.jar")))
                .httpPort(0)
                .managementPort(0)
                .adminUser("admin", "admin")
                .freshData(true)
                .option("metrics-enabled", "false")
                .heap("-Xms256m -Xmx1g")
                .startupTimeout(Duration.ofMinutes(5))
                .build();
        try {
            keycloak.start();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        env = TestEnvironment.of(sandbox, keycloak);
    }

    @AfterAll
    static void stop() {
        if (keycloak != null) {
            keycloak.stop();
        }
        sandbox.stop();
    }

    @Test
    @DisplayName("then a DrChrono sign-in and a hand-out that refreshes the token work, and /metrics is not served")
    void works() throws Exception {
        try (TestRealm realm = TestRealm.create(env, Map.of())) {
            KnownTokens.nextCodeExchange(sandbox, realm.name, "jhollis", 60);
            Browser.Page landed = realm.signIn(new Browser(), "jhollis");
            assertThat(landed.atApp()).as(landed.text()).isTrue();
            String appToken = realm.appTokens(landed.param("code")).path("access_token").asText();

            HttpResponse<String> handOut = realm.brokerToken(appToken);

            assertThat(handOut.statusCode()).as(handOut.body()).isEqualTo(200);
            JsonNode body = TestRealm.read(handOut.body());
            assertThat(sandbox.tokens().isAccessTokenValid(body.path("access_token").asText())).isTrue();
            assertThat(sandbox.counters().get(Endpoint.TOKEN_REFRESH)).isEqualTo(1);
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(keycloak.managementUrl() + "/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(404);
        }
    }
}
