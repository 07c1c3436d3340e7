package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.keycloakdrchrono.sandbox.TokenPair;
import io.github.keycloakdrchrono.testkit.Browser;

/**
 * What the tests on {@link TestEnvironment#nonDefault()} share: a signed-in user whose stored DrChrono
 * token is already inside the refresh margin, and the two ways apps ask that server for it.
 */
final class OptionalFeatures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OptionalFeatures() {
    }

    static TestRealm realm() {
        return TestRealm.create(TestEnvironment.nonDefault(), Map.of());
    }

    /**
     * Signs jhollis in through the app, DrChrono's code exchange answering a pair that expires in 60 s (inside the
     * default 300 s margin). Returns the app's Keycloak access token; {@code stored[0]} is the DrChrono pair.
     */
    static String signedInWithTokenDueForRefresh(TestRealm realm, TokenPair[] stored) {
        stored[0] = KnownTokens.nextCodeExchange(realm.env.sandbox, realm.name, "jhollis", 60);
        Browser.Page landed = realm.signIn(new Browser(), "jhollis");
        assertThat(landed.atApp()).as(landed.text()).isTrue();
        return realm.appTokens(landed.param("code")).path("access_token").asText();
    }

    /** Sets an attribute on the realm's app client, e.g. the two that open the v2 brokering API to it. */
    static void setAppAttribute(TestRealm realm, String name, String value) {
        String path = "/admin/realms/" + realm.name + "/clients/" + clientUuid(realm, TestRealm.APP);
        ObjectNode client = (ObjectNode) realm.admin().get(path);
        client.with("attributes").put(name, value);
        realm.admin().put(path, client);
    }

    static String clientUuid(TestRealm realm, String clientId) {
        JsonNode found = realm.admin().get("/admin/realms/" + realm.name + "/clients?clientId=" + clientId);
        assertThat(found).as("client " + clientId).hasSize(1);
        return found.get(0).path("id").asText();
    }

    /** {@code POST /realms/{realm}/broker/{alias}/token}: the app authenticates itself and sends the user's token. */
    static HttpResponse<String> brokerTokenV2(TestRealm realm, String keycloakAccessToken) {
        return post(realm, "/broker/" + TestRealm.ALIAS + "/token", "token=" + TestRealm.enc(keycloakAccessToken)
                + "&client_id=" + TestRealm.APP + "&client_secret=" + TestRealm.APP_SECRET);
    }

    /** Legacy token exchange (RFC 8693 with Keycloak's {@code requested_issuer}) of the user's token for DrChrono's. */
    static HttpResponse<String> exchangeForDrChrono(TestRealm realm, String keycloakAccessToken) {
        return post(realm, "/protocol/openid-connect/token",
                "grant_type=" + TestRealm.enc("urn:ietf:params:oauth:grant-type:token-exchange")
                        + "&subject_token=" + TestRealm.enc(keycloakAccessToken)
                        + "&subject_token_type=" + TestRealm.enc("urn:ietf:params:oauth:token-type:access_token")
                        + "&requested_issuer=" + TestRealm.ALIAS
                        + "&client_id=" + TestRealm.APP + "&client_secret=" + TestRealm.APP_SECRET);
    }

    /**
     * Lets the app exchange tokens for DrChrono's, the way Keycloak's documentation does it in the admin console:
     * permissions on the provider switched on, and a client policy naming the app attached to its
     * {@code token-exchange} permission (which denies everyone while it has no policy).
     */
    static void allowAppToExchange(TestRealm realm) {
        JsonNode permissions = TestRealm.read(realm.admin().put("/admin/realms/" + realm.name
                + "/identity-provider/instances/" + TestRealm.ALIAS + "/management/permissions",
                JSON.createObjectNode().put("enabled", true)).body());
        String exchangePermission = permissions.path("scopePermissions").path("token-exchange").asText();
        assertThat(exchangePermission).as(permissions.toString()).isNotEmpty();

        String authz = "/admin/realms/" + realm.name + "/clients/" + clientUuid(realm, "realm-management")
                + "/authz/resource-server";
        ObjectNode policy = JSON.createObjectNode().put("name", "the test app").put("logic", "POSITIVE");
        policy.putArray("clients").add(clientUuid(realm, TestRealm.APP));
        String policyId = TestRealm.read(realm.admin().post(authz + "/policy/client", policy).body())
                .path("id").asText();

        ObjectNode permission = (ObjectNode) realm.admin().get(authz + "/permission/scope/" + exchangePermission);
        permission.putArray("policies").add(policyId);
        realm.admin().put(authz + "/permission/scope/" + exchangePermission, permission);
    }

    private static HttpResponse<String> post(TestRealm realm, String path, String form) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(realm.env.keycloak.baseUrl() + "/realms/"
                        + realm.name + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return TestHttp.send(request);
    }
}
