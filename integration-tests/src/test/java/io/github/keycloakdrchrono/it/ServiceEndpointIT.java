package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import io.github.keycloakdrchrono.testkit.Browser;

/**
 * {@code /realms/{realm}/drchrono/{alias}/users/{id}/token}: DrChrono tokens for backends, deny by default.
 * One realm for the class: jhollis signs in once, and backends with and without the role ask for his token.
 */
@DisplayName("The service endpoint for backends")
class ServiceEndpointIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestRealm realm;
    private static String userId;

    @BeforeAll
    static void signInOnce() {
        realm = TestRealm.create();
        realm.signIn(new Browser(), "jhollis");
        userId = realm.user("jhollis").path("id").asText();
        realm.admin().post("/admin/realms/" + realm.name + "/roles",
                JSON.createObjectNode().put("name", "drchrono-token-broker"));
        backend("backend-with-role", true);
        backend("backend-without-role", false);
    }

    @AfterAll
    static void dropRealm() {
        realm.close();
    }

    /** A confidential client with a service account, and the broker role when asked. */
    private static void backend(String clientId, boolean withRole) {
        String serviceAccount = realm.admin().createServiceAccountClient(realm.name, clientId, clientId + "-secret",
                Map.of());
        if (withRole) {
            realm.admin().grantRealmRole(realm.name, serviceAccount, "drchrono-token-broker");
        }
    }

    private static String serviceToken(String clientId) {
        return TestHttp.accessToken(realm.env.keycloak.baseUrl(), realm.name,
                "grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + clientId + "-secret");
    }

    private static HttpResponse<String> call(String path, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(realm.env.keycloak.baseUrl() + "/realms/"
                + realm.name + "/drchrono/drchrono" + path)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return send(request.build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        return TestHttp.send(request);
    }

    @Nested
    @DisplayName("given a service account with the drchrono-token-broker role")
    class Allowed {

        @Test
        @DisplayName("then it gets the user's live DrChrono token, without the refresh token, and an event names it")
        void handOut() {
            HttpResponse<String> response = call("/users/" + userId + "/token", serviceToken("backend-with-role"));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = TestRealm.read(response.body());
            assertThat(realm.env.sandbox.tokens().isAccessTokenValid(body.path("access_token").asText())).isTrue();
            assertThat(body.has("refresh_token")).isFalse();
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
            JsonNode event = realm.events("IDENTITY_PROVIDER_RETRIEVE_TOKEN").get(0);
            assertThat(event.path("clientId").asText()).isEqualTo("backend-with-role");
            assertThat(event.path("userId").asText()).isEqualTo(userId);
            assertThat(event.toString()).doesNotContain(body.path("access_token").asText());
        }

        @Test
        @DisplayName("then it finds the Keycloak user by DrChrono user id")
        void lookup() {
            HttpResponse<String> response = call("/users?drchrono_id=480112", serviceToken("backend-with-role"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(TestRealm.read(response.body()).get(0).path("id").asText()).isEqualTo(userId);
            assertThat(call("/users?drchrono_id=999", serviceToken("backend-with-role")).statusCode()).isEqualTo(404);
            assertThat(call("/users?drchrono_id=abc", serviceToken("backend-with-role")).statusCode()).isEqualTo(400);
        }

        @Test
        @DisplayName("then a user that is not linked, or does not exist, is 404")
        void notLinked() {
            String token = serviceToken("backend-with-role");
            String unlinked = io.github.keycloakdrchrono.launcher.AdminClient.createdId(realm.admin().post(
                    "/admin/realms/" + realm.name + "/users", JSON.createObjectNode().put("username", "local-only")
                            .put("enabled", true)));

            assertThat(call("/users/" + unlinked + "/token", token).statusCode()).isEqualTo(404);
            assertThat(call("/users/no-such-user/token", token).statusCode()).isEqualTo(404);
        }
    }

    @Nested
    @DisplayName("given a caller that is not allowed")
    class Refused {

        @Test
        @DisplayName("then no bearer token or a forged one is 401 with an event")
        void unauthenticated() {
            HttpResponse<String> none = call("/users/" + userId + "/token", null);
            HttpResponse<String> forged = call("/users/" + userId + "/token", "eyJhbGciOiJub25lIn0.e30.");

            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(forged.statusCode()).isEqualTo(401);
            assertThat(TestRealm.read(forged.body()).path("error").asText()).isEqualTo("invalid_token");
            assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
            assertThat(realm.events("IDENTITY_PROVIDER_RETRIEVE_TOKEN_ERROR").get(0).path("details").path("reason")
                    .asText()).isEqualTo("invalid_bearer_token");
        }

        @Test
        @DisplayName("then a service account without the role is 403 and gets no token")
        void withoutRole() {
            HttpResponse<String> response = call("/users/" + userId + "/token", serviceToken("backend-without-role"));

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).doesNotContain("access_token");
            JsonNode event = realm.events("IDENTITY_PROVIDER_RETRIEVE_TOKEN_ERROR").get(0);
            assertThat(event.path("clientId").asText()).isEqualTo("backend-without-role");
            assertThat(event.path("details").path("reason").asText()).isEqualTo("missing_role");
        }

        @Test
        @DisplayName("then the user's own token (not a service account) is 403, even for their own DrChrono token")
        void userToken() {
            Browser.Page landed = realm.signIn(new Browser(), "jhollis");
            String userToken = realm.appTokens(landed.param("code")).path("access_token").asText();

            HttpResponse<String> response = call("/users/" + userId + "/token", userToken);

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(TestRealm.read(response.body()).path("error").asText()).isEqualTo("access_denied");
        }

        @Test
        @DisplayName("then an alias that is not a DrChrono provider is 404")
        void unknownAlias() {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(realm.env.keycloak.baseUrl()
                            + "/realms/" + realm.name + "/drchrono/github/users/" + userId + "/token"))
                    .header("Authorization", "Bearer " + serviceToken("backend-with-role")).GET().build());

            assertThat(response.statusCode()).isEqualTo(404);
        }
    }
}
