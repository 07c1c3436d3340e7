package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.github.keycloakdrchrono.sandbox.Endpoint;
import io.github.keycloakdrchrono.sandbox.Fault;
import io.github.keycloakdrchrono.sandbox.TokenPair;
import io.github.keycloakdrchrono.testkit.Browser;

/** Removing a DrChrono link revokes its refresh token at DrChrono, and the stored token is gone. */
@DisplayName("When a DrChrono link is removed")
class RevocationIT {

    @AfterEach
    void resetSandbox() {
        TestEnvironment.get().sandbox.reset();
    }

    /** Signs jhollis in with a token pair the test knows, so it can ask the sandbox whether it was revoked. */
    private static TokenPair signIn(TestRealm realm, Browser browser) {
        TokenPair pair = KnownTokens.nextCodeExchange(realm.env.sandbox, realm.name, "jhollis", 172_800);
        Browser.Page landed = realm.signIn(browser, "jhollis");
        assertThat(landed.atApp()).as(landed.text()).isTrue();
        assertThat(realm.env.sandbox.tokens().isRefreshTokenValid(pair.refreshToken())).isTrue();
        return pair;
    }

    private static JsonNode revokeEvent(TestRealm realm, String type) {
        return realm.events(type).get(0);
    }

    @Test
    @DisplayName("by an admin, then the refresh token is revoked at DrChrono and a REVOKE_GRANT event says so")
    void adminRemovesLink() {
        try (TestRealm realm = TestRealm.create()) {
            TokenPair pair = signIn(realm, new Browser());
            String userId = realm.user("jhollis").path("id").asText();

            realm.admin().delete("/admin/realms/" + realm.name + "/users/" + userId + "/federated-identity/drchrono");

            assertThat(realm.env.sandbox.tokens().isRefreshTokenValid(pair.refreshToken())).isFalse();
            assertThat(realm.env.sandbox.tokens().isAccessTokenValid(pair.accessToken())).isFalse();
            assertThat(realm.federatedIdentities(userId)).isEmpty();
            JsonNode event = revokeEvent(realm, "REVOKE_GRANT");
            assertThat(event.path("userId").asText()).isEqualTo(userId);
            assertThat(event.path("details").path("reason").asText()).isEqualTo("revoked_at_drchrono");
            assertThat(event.toString()).doesNotContain(pair.refreshToken());
        }
    }

    @Test
    @DisplayName("by deleting the user, then the refresh token is revoked at DrChrono")
    void userDeleted() {
        try (TestRealm realm = TestRealm.create()) {
            TokenPair pair = signIn(realm, new Browser());
            String userId = realm.user("jhollis").path("id").asText();

            realm.admin().delete("/admin/realms/" + realm.name + "/users/" + userId);

            assertThat(realm.env.sandbox.tokens().isRefreshTokenValid(pair.refreshToken())).isFalse();
            assertThat(realm.users()).isEmpty();
        }
    }

    @Test
    @DisplayName("by the user in the account console's API, then the refresh token is revoked at DrChrono")
    void userUnlinks() {
        try (TestRealm realm = TestRealm.create()) {
            Browser browser = new Browser();
            TokenPair pair = signIn(realm, browser);
            // A local password, since Keycloak refuses to remove a user's only way to sign in.
            String userId = realm.user("jhollis").path("id").asText();
            realm.admin().put("/admin/realms/" + realm.name + "/users/" + userId + "/reset-password",
                    java.util.Map.of("type", "password", "value", "local-Passw0rd!", "temporary", false));
            Browser.Page again = realm.signIn(new Browser(), "jhollis");
            String userToken = realm.appTokens(again.param("code")).path("access_token").asText();

            HttpResponse<String> unlink = send(HttpRequest.newBuilder(URI.create(realm.env.keycloak.baseUrl()
                            + "/realms/" + realm.name + "/account/linked-accounts/drchrono"))
                    .header("Authorization", "Bearer " + userToken)
                    .header("Accept", "application/json").DELETE().build());

            assertThat(unlink.statusCode()).as(unlink.body()).isEqualTo(204);
            assertThat(realm.federatedIdentities(userId)).isEmpty();
            assertThat(realm.env.sandbox.tokens().isRefreshTokenValid(pair.refreshToken())).isFalse();
        }
    }

    @Test
    @DisplayName("while DrChrono's revocation endpoint is down, then the link is still removed and the event says why")
    void revocationFails() {
        try (TestRealm realm = TestRealm.create()) {
            signIn(realm, new Browser());
            String userId = realm.user("jhollis").path("id").asText();
            realm.env.sandbox.faults().next(Endpoint.REVOKE, Fault.serverError());

            realm.admin().delete("/admin/realms/" + realm.name + "/users/" + userId + "/federated-identity/drchrono");

            assertThat(realm.federatedIdentities(userId)).isEmpty();
            assertThat(revokeEvent(realm, "REVOKE_GRANT_ERROR").path("details").path("reason").asText())
                    .isEqualTo("drchrono_unavailable");
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        return TestHttp.send(request);
    }
}
