package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.github.keycloakdrchrono.sandbox.Endpoint;
import io.github.keycloakdrchrono.sandbox.Fault;
import io.github.keycloakdrchrono.sandbox.TokenPair;

/**
 * Keycloak's token exchange to an external provider ({@code requested_issuer=drchrono}), which in 26.7 exists only
 * in legacy token exchange (feature {@code token-exchange:v1} with {@code admin-fine-grained-authz:v1}). Stock
 * Keycloak reads the stored token as plain JSON there; ours must decrypt, refresh once and keep it.
 */
@DisplayName("Token exchange for the DrChrono token")
class TokenExchangeIT {

    private static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    @AfterEach
    void resetSandbox() {
        TestEnvironment.nonDefault().sandbox.reset();
    }

    @Nested
    @DisplayName("given an app permitted to exchange for DrChrono and a stored token due for refresh")
    class Permitted {

        @Test
        @DisplayName("then the exchange answers a refreshed, live token, and the next one the same token")
        void refreshedAndPersisted() {
            try (TestRealm realm = OptionalFeatures.realm()) {
                OptionalFeatures.allowAppToExchange(realm);
                TokenPair[] stored = new TokenPair[1];
                String appToken = OptionalFeatures.signedInWithTokenDueForRefresh(realm, stored);
                long refreshesBefore = realm.env.sandbox.counters().get(Endpoint.TOKEN_REFRESH);

                HttpResponse<String> first = OptionalFeatures.exchangeForDrChrono(realm, appToken);
                HttpResponse<String> second = OptionalFeatures.exchangeForDrChrono(realm, appToken);

                assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
                JsonNode token = TestRealm.read(first.body());
                String accessToken = token.path("access_token").asText();
                assertThat(accessToken).isNotEqualTo(stored[0].accessToken());
                assertThat(realm.env.sandbox.tokens().isAccessTokenValid(accessToken)).isTrue();
                assertThat(token.path("issued_token_type").asText()).isEqualTo(ACCESS_TOKEN_TYPE);
                assertThat(token.path("token_type").asText()).isEqualToIgnoringCase("bearer");
                assertThat(token.path("expires_in").asLong()).isGreaterThan(300);
                assertThat(token.path("scope").asText()).isEqualTo("user:read");
                assertThat(token.path("refresh_token").isMissingNode() || token.path("refresh_token").isNull())
                        .as("no refresh token in " + token).isTrue();
                assertThat(TestRealm.read(second.body()).path("access_token").asText()).isEqualTo(accessToken);
                assertThat(realm.env.sandbox.counters().get(Endpoint.TOKEN_REFRESH) - refreshesBefore).isEqualTo(1);
            }
        }

        @Test
        @DisplayName("then DrChrono throttling answers 503 with Retry-After, and the stored token still serves later")
        void nothingLost() {
            try (TestRealm realm = OptionalFeatures.realm()) {
                OptionalFeatures.allowAppToExchange(realm);
                String appToken = OptionalFeatures.signedInWithTokenDueForRefresh(realm, new TokenPair[1]);
                realm.env.sandbox.faults().next(Endpoint.TOKEN_REFRESH, Fault.throttled(41));

                HttpResponse<String> throttled = OptionalFeatures.exchangeForDrChrono(realm, appToken);
                HttpResponse<String> later = OptionalFeatures.exchangeForDrChrono(realm, appToken);

                assertThat(throttled.statusCode()).as(throttled.body()).isEqualTo(503);
                assertThat(TestRealm.read(throttled.body()).path("error").asText())
                        .isEqualTo("temporarily_unavailable");
                assertThat(throttled.headers().firstValue("Retry-After")).hasValue("41");
                assertThat(later.statusCode()).as(later.body()).isEqualTo(200);
                assertThat(realm.env.sandbox.tokens().isAccessTokenValid(
                        TestRealm.read(later.body()).path("access_token").asText())).isTrue();
            }
        }
    }

    @Nested
    @DisplayName("given an app without the exchange permission")
    class NotPermitted {

        @Test
        @DisplayName("then the exchange is refused with 403 and DrChrono is not asked")
        void refused() {
            try (TestRealm realm = OptionalFeatures.realm()) {
                String appToken = OptionalFeatures.signedInWithTokenDueForRefresh(realm, new TokenPair[1]);

                HttpResponse<String> refused = OptionalFeatures.exchangeForDrChrono(realm, appToken);

                assertThat(refused.statusCode()).isEqualTo(403);
                assertThat(TestRealm.read(refused.body()).path("error").asText()).isEqualTo("access_denied");
                assertThat(realm.env.sandbox.counters().get(Endpoint.TOKEN_REFRESH)).isZero();
            }
        }
    }
}
