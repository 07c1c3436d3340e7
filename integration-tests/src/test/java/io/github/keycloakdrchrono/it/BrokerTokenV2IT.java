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
 * Keycloak's newer broker token endpoint, {@code POST /realms/{realm}/broker/{alias}/token} (feature
 * {@code identity-brokering-api:v2}), on a server of its own because it replaces the GET endpoint the other tests use.
 */
@DisplayName("The v2 broker token endpoint (POST)")
class BrokerTokenV2IT {

    @AfterEach
    void resetSandbox() {
        TestEnvironment.nonDefault().sandbox.reset();
    }

    @Nested
    @DisplayName("given an app client allowed to retrieve DrChrono tokens and a stored token due for refresh")
    class Allowed {

        @Test
        @DisplayName("then it answers a refreshed, live token once, and the same token again without a refresh")
        void refreshedAndPersisted() {
            try (TestRealm realm = OptionalFeatures.realm()) {
                OptionalFeatures.setAppAttribute(realm, "external.token.enabled", "true");
                OptionalFeatures.setAppAttribute(realm, "external.token.idp", TestRealm.ALIAS);
                TokenPair[] stored = new TokenPair[1];
                String appToken = OptionalFeatures.signedInWithTokenDueForRefresh(realm, stored);
                long refreshesBefore = realm.env.sandbox.counters().get(Endpoint.TOKEN_REFRESH);

                HttpResponse<String> first = OptionalFeatures.brokerTokenV2(realm, appToken);
                HttpResponse<String> second = OptionalFeatures.brokerTokenV2(realm, appToken);

                assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
                JsonNode token = TestRealm.read(first.body());
                assertThat(token.path("access_token").asText()).isNotEqualTo(stored[0].accessToken());
                assertThat(realm.env.sandbox.tokens().isAccessTokenValid(token.path("access_token").asText())).isTrue();
                assertThat(token.path("token_type").asText()).isEqualToIgnoringCase("bearer");
                assertThat(token.path("expires_in").asLong()).isGreaterThan(300);
                assertThat(token.path("scope").asText()).isEqualTo("user:read");
                assertThat(token.has("refresh_token")).isFalse();
                assertThat(TestRealm.read(second.body()).path("access_token").asText())
                        .isEqualTo(token.path("access_token").asText());
                assertThat(realm.env.sandbox.counters().get(Endpoint.TOKEN_REFRESH) - refreshesBefore).isEqualTo(1);
            }
        }

        @Test
        @DisplayName("then DrChrono down during the refresh fails the call, and the stored token still serves later")
        void nothingLost() {
            try (TestRealm realm = OptionalFeatures.realm()) {
                OptionalFeatures.setAppAttribute(realm, "external.token.enabled", "true");
                OptionalFeatures.setAppAttribute(realm, "external.token.idp", TestRealm.ALIAS);
                String appToken = OptionalFeatures.signedInWithTokenDueForRefresh(realm, new TokenPair[1]);
                realm.env.sandbox.faults().next(Endpoint.TOKEN_REFRESH, Fault.serverError());

                HttpResponse<String> failed = OptionalFeatures.brokerTokenV2(realm, appToken);
                HttpResponse<String> later = OptionalFeatures.brokerTokenV2(realm, appToken);

                // Keycloak 26.7's v2 endpoint turns every provider error into this one answer (README, limitations).
                assertThat(failed.statusCode()).isEqualTo(400);
                assertThat(TestRealm.read(failed.body()).path("error_description").asText())
                        .isEqualTo("Failed to retrieve token from identity provider");
                assertThat(later.statusCode()).as(later.body()).isEqualTo(200);
                assertThat(realm.env.sandbox.tokens().isAccessTokenValid(
                        TestRealm.read(later.body()).path("access_token").asText())).isTrue();
                JsonNode event = realm.events("IDENTITY_PROVIDER_RETRIEVE_TOKEN_ERROR").get(0);
                assertThat(event.path("details").path("reason").asText()).isEqualTo("drchrono_unavailable");
            }
        }
    }

    @Nested
    @DisplayName("given an app client not allowed to retrieve DrChrono tokens")
    class NotAllowed {

        @Test
        @DisplayName("then it is refused with 403 and DrChrono is not asked")
        void refused() {
            try (TestRealm realm = OptionalFeatures.realm()) {
                String appToken = OptionalFeatures.signedInWithTokenDueForRefresh(realm, new TokenPair[1]);

                HttpResponse<String> refused = OptionalFeatures.brokerTokenV2(realm, appToken);

                assertThat(refused.statusCode()).isEqualTo(403);
                assertThat(refused.body()).doesNotContain("access_token");
                assertThat(realm.env.sandbox.counters().get(Endpoint.TOKEN_REFRESH)).isZero();
            }
        }
    }
}
