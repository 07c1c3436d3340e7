package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.github.keycloakdrchrono.sandbox.DrChronoSandbox;
import io.github.keycloakdrchrono.sandbox.Endpoint;
import io.github.keycloakdrchrono.sandbox.TokenPair;

/**
 * Metrics are off unless an admin turns them on (Keycloak's default), and the extension records on every login,
 * refresh and hand-out: with them off all of that must still work. On {@link TestEnvironment#nonDefault()}, the
 * server with metrics off, since the shared one runs with them on.
 */
@DisplayName("Keycloak with metrics off (its default)")
class MetricsOffIT {

    @AfterEach
    void resetSandbox() {
        TestEnvironment.nonDefault().sandbox.reset();
    }

    @Test
    @DisplayName("then a DrChrono sign-in and a hand-out that refreshes the token work, and /metrics is not served")
    void works() throws Exception {
        try (TestRealm realm = OptionalFeatures.realm()) {
            DrChronoSandbox sandbox = realm.env.sandbox;
            // This server has the v2 (POST) broker endpoint in place of the GET one.
            OptionalFeatures.setAppAttribute(realm, "external.token.enabled", "true");
            OptionalFeatures.setAppAttribute(realm, "external.token.idp", TestRealm.ALIAS);
            String appToken = OptionalFeatures.signedInWithTokenDueForRefresh(realm, new TokenPair[1]);

            HttpResponse<String> handOut = OptionalFeatures.brokerTokenV2(realm, appToken);

            assertThat(handOut.statusCode()).as(handOut.body()).isEqualTo(200);
            JsonNode body = TestRealm.read(handOut.body());
            assertThat(sandbox.tokens().isAccessTokenValid(body.path("access_token").asText())).isTrue();
            assertThat(sandbox.counters().get(Endpoint.TOKEN_REFRESH)).isEqualTo(1);
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(realm.env.keycloak.managementUrl() + "/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(404);
        }
    }
}
