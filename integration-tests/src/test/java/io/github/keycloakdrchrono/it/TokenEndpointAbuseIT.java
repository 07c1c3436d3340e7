package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.github.keycloakdrchrono.testkit.Browser;

/**
 * The two ways to a user's DrChrono token, Keycloak's broker endpoint ({@code GET /realms/{r}/broker/drchrono/token})
 * and our service endpoint ({@code /realms/{r}/drchrono/drchrono/users/{id}/token}), called with tokens that must
 * not open them: expired, forged, from another realm, of a public client, or of someone who is not the user. Each
 * is refused with its status and leaves an {@code IDENTITY_PROVIDER_RETRIEVE_TOKEN_ERROR} event.
 *
 * <p>Keycloak's broker endpoint answers every unusable bearer token with 400 "Invalid token." (26.7 behaviour, not
 * ours); ours answers 401 with {@code WWW-Authenticate}.
 */
@DisplayName("Asking for DrChrono tokens without the right")
class TokenEndpointAbuseIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ERROR_EVENT = "IDENTITY_PROVIDER_RETRIEVE_TOKEN_ERROR";
    private static final String SPA = "spa";
    private static final String SHORT_LIVED = "short-lived-app";

    private static TestRealm realm;
    private static TestRealm otherRealm;
    private static String jhollisId;
    private static String jhollisToken;
    private static String kpatelToken;
    private static String otherRealmUserId;
    private static String otherRealmUserToken;

    @BeforeAll
    static void setUp() {
        realm = TestRealm.create();
        otherRealm = TestRealm.create();
        for (TestRealm each : new TestRealm[] {realm, otherRealm}) {
            each.admin().post("/admin/realms/" + each.name + "/roles",
                    JSON.createObjectNode().put("name", "drchrono-token-broker"));
            backend(each, "backend", null);
        }
        backend(realm, "short-lived-backend", "1");
        client(realm, SPA, true, null);
        client(realm, SHORT_LIVED, false, "1");

        Browser jhollisBrowser = new Browser();
        jhollisToken = appToken(realm, jhollisBrowser, "jhollis");
        jhollisId = realm.user("jhollis").path("id").asText();
        kpatelToken = appToken(realm, new Browser(), "kpatel");
        otherRealmUserToken = appToken(otherRealm, new Browser(), "mreyes");
        otherRealmUserId = otherRealm.user("mreyes").path("id").asText();
        spaBrowser = jhollisBrowser;
    }

    /** The browser holding jhollis's Keycloak session, for tokens of further clients without another login. */
    private static Browser spaBrowser;

    @AfterAll
    static void dropRealms() {
        realm.close();
        otherRealm.close();
        TestEnvironment.get().sandbox.reset();
    }

    private static String appToken(TestRealm in, Browser browser, String username) {
        Browser.Page landed = in.signIn(browser, username);
        assertThat(landed.atApp()).as(landed.text()).isTrue();
        return in.appTokens(landed.param("code")).path("access_token").asText();
    }

    /** A client for users' logins; {@code lifespan} sets its access token lifetime in seconds. */
    private static void client(TestRealm in, String clientId, boolean publicClient, String lifespan) {
        ObjectNode client = JSON.createObjectNode()
                .put("clientId", clientId)
                .put("publicClient", publicClient)
                .put("standardFlowEnabled", true);
        if (!publicClient) {
            client.put("secret", clientId + "-secret");
        }
        client.putArray("redirectUris").add(Browser.APP_REDIRECT + "*");
        if (lifespan != null) {
            client.putObject("attributes").put("access.token.lifespan", lifespan);
        }
        in.admin().post("/admin/realms/" + in.name + "/clients", client);
    }

    /** A confidential client whose service account has the drchrono-token-broker role. */
    private static void backend(TestRealm in, String clientId, String lifespan) {
        String serviceAccount = in.admin().createServiceAccountClient(in.name, clientId, clientId + "-secret",
                lifespan == null ? Map.of() : Map.of("access.token.lifespan", lifespan));
        in.admin().grantRealmRole(in.name, serviceAccount, "drchrono-token-broker");
    }

    /** jhollis's token for another client of the realm, through his existing Keycloak session (SSO). */
    private static String ssoToken(String clientId, String secret) {
        Browser.Page landed = spaBrowser.open(realm.env.keycloak.baseUrl() + "/realms/" + realm.name
                + "/protocol/openid-connect/auth?client_id=" + clientId + "&response_type=code&scope=openid"
                + "&redirect_uri=" + TestRealm.enc(Browser.APP_REDIRECT));
        assertThat(landed.atApp()).as(landed.text()).isTrue();
        String form = "grant_type=authorization_code&code=" + TestRealm.enc(landed.param("code"))
                + "&redirect_uri=" + TestRealm.enc(Browser.APP_REDIRECT) + "&client_id=" + clientId
                + (secret == null ? "" : "&client_secret=" + secret);
        return tokenCall(realm, form);
    }

    private static String serviceToken(TestRealm in, String clientId) {
        return tokenCall(in, "grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + clientId
                + "-secret");
    }

    private static String tokenCall(TestRealm in, String form) {
        return TestHttp.accessToken(in.env.keycloak.baseUrl(), in.name, form);
    }

    /** The same token with {@code sub} changed and the original signature kept. */
    private static String withSubject(String jwt, String subject) {
        String[] parts = jwt.split("\\.");
        ObjectNode payload = (ObjectNode) TestRealm.read(new String(Base64.getUrlDecoder().decode(parts[1]),
                StandardCharsets.UTF_8));
        payload.put("sub", subject);
        String forged = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
        return parts[0] + "." + forged + "." + parts[2];
    }

    /** Waits out a token issued with a one-second lifetime; nothing is asserted about the time. */
    private static void waitForExpiry() {
        try {
            Thread.sleep(2_500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> serviceEndpoint(String userId, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(realm.env.keycloak.baseUrl() + "/realms/" + realm.name
                + "/drchrono/" + TestRealm.ALIAS + "/users/" + userId + "/token"))
                .header("Authorization", "Bearer " + bearer).GET().build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        return TestHttp.send(request);
    }

    private static JsonNode newestError() {
        return realm.events(ERROR_EVENT).get(0);
    }

    /**
     * Keycloak's v1 endpoint records an unusable bearer token twice: "Invalid token." as the error, then again as
     * identity_provider_error when the 400 it throws passes its own catch block.
     */
    private static void assertInvalidTokenEvents(int before) {
        List<JsonNode> events = realm.events(ERROR_EVENT);
        assertThat(events.size()).isGreaterThan(before);
        assertThat(events.subList(0, events.size() - before)).extracting(e -> e.path("error").asText())
                .contains("Invalid token.");
    }

    private static int errorCount() {
        return realm.events(ERROR_EVENT).size();
    }

    @Nested
    @DisplayName("Keycloak's broker endpoint")
    class BrokerEndpoint {

        @Test
        @DisplayName("hands jhollis his own token (the control for the refusals below)")
        void control() {
            HttpResponse<String> response = realm.brokerToken(jhollisToken);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }

        @Test
        @DisplayName("refuses an expired bearer token with 400 and an event")
        void expired() {
            String token = ssoToken(SHORT_LIVED, SHORT_LIVED + "-secret");
            waitForExpiry();
            int before = errorCount();

            HttpResponse<String> response = realm.brokerToken(token);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(response.body()).doesNotContain("access_token");
            assertInvalidTokenEvents(before);
        }

        @Test
        @DisplayName("refuses a token whose subject was changed (bad signature) with 400 and an event")
        void forged() {
            String forged = withSubject(jhollisToken, realm.user("kpatel").path("id").asText());
            int before = errorCount();

            HttpResponse<String> response = realm.brokerToken(forged);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(response.body()).doesNotContain("access_token");
            assertInvalidTokenEvents(before);
        }

        @Test
        @DisplayName("refuses a valid token of another realm with 400 and an event in this realm")
        void otherRealm() {
            int before = errorCount();

            HttpResponse<String> response = realm.brokerToken(otherRealmUserToken);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(response.body()).doesNotContain("access_token");
            assertInvalidTokenEvents(before);
        }

        @Test
        @DisplayName("regression: refuses a public client's token with 403 access_denied and an event saying "
                + "public_client (Keycloak 26.7 refuses them only on the POST variant)")
        void publicClient() {
            String token = ssoToken(SPA, null);

            HttpResponse<String> response = realm.brokerToken(token);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
            assertThat(TestRealm.read(response.body()).path("error").asText()).isEqualTo("access_denied");
            assertThat(response.body()).doesNotContain("access_token");
            JsonNode event = newestError();
            assertThat(event.path("clientId").asText()).isEqualTo(SPA);
            assertThat(event.path("details").path("reason").asText()).isEqualTo("public_client");
        }

        @Test
        @DisplayName("gives each user only their own token: kpatel's call never returns jhollis's")
        void ownTokenOnly() {
            HttpResponse<String> jhollis = realm.brokerToken(jhollisToken);
            HttpResponse<String> kpatel = realm.brokerToken(kpatelToken);

            assertThat(jhollis.statusCode()).isEqualTo(200);
            assertThat(kpatel.statusCode()).isEqualTo(200);
            assertThat(TestRealm.read(kpatel.body()).path("access_token").asText())
                    .isNotEqualTo(TestRealm.read(jhollis.body()).path("access_token").asText());
        }
    }

    @Nested
    @DisplayName("our service endpoint")
    class ServiceEndpoint {

        @Test
        @DisplayName("hands a backend with the role jhollis's token (the control for the refusals below)")
        void control() {
            HttpResponse<String> response = serviceEndpoint(jhollisId, serviceToken(realm, "backend"));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }

        @Test
        @DisplayName("refuses an expired service-account token with 401 and an event")
        void expired() {
            String token = serviceToken(realm, "short-lived-backend");
            waitForExpiry();

            HttpResponse<String> response = serviceEndpoint(jhollisId, token);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
            assertThat(newestError().path("details").path("reason").asText()).isEqualTo("invalid_bearer_token");
        }

        @Test
        @DisplayName("refuses a service-account token with a changed subject (bad signature) with 401 and an event")
        void forged() {
            String forged = withSubject(serviceToken(realm, "backend"), jhollisId);
            int before = errorCount();

            HttpResponse<String> response = serviceEndpoint(jhollisId, forged);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
            assertThat(errorCount()).isEqualTo(before + 1);
            assertThat(newestError().path("details").path("reason").asText()).isEqualTo("invalid_bearer_token");
        }

        @Test
        @DisplayName("refuses another realm's service account, role and all, with 401 and an event")
        void otherRealmsBackend() {
            int before = errorCount();

            HttpResponse<String> response = serviceEndpoint(jhollisId, serviceToken(otherRealm, "backend"));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
            assertThat(errorCount()).isEqualTo(before + 1);
            assertThat(newestError().path("details").path("reason").asText()).isEqualTo("invalid_bearer_token");
        }

        @Test
        @DisplayName("answers 404 with an event when a backend asks for a user of another realm")
        void userOfAnotherRealm() {
            HttpResponse<String> response = serviceEndpoint(otherRealmUserId, serviceToken(realm, "backend"));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
            assertThat(response.body()).doesNotContain("access_token");
            JsonNode event = newestError();
            assertThat(event.path("clientId").asText()).isEqualTo("backend");
            assertThat(event.path("details").path("reason").asText()).isEqualTo("user_not_linked");
        }

        @Test
        @DisplayName("refuses a user asking for someone else's token with 403 and an event")
        void someoneElsesToken() {
            HttpResponse<String> response = serviceEndpoint(jhollisId, kpatelToken);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
            assertThat(response.body()).doesNotContain("access_token");
            JsonNode event = newestError();
            assertThat(event.path("clientId").asText()).isEqualTo(TestRealm.APP);
            assertThat(event.path("details").path("reason").asText()).isEqualTo("not_a_service_account");
        }

        @Test
        @DisplayName("refuses a public client's token with 403 and an event")
        void publicClient() {
            HttpResponse<String> response = serviceEndpoint(jhollisId, ssoToken(SPA, null));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
            JsonNode event = newestError();
            assertThat(event.path("clientId").asText()).isEqualTo(SPA);
            assertThat(event.path("details").path("reason").asText()).isEqualTo("not_a_service_account");
        }
    }
}
