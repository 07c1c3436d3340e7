package io.github.keycloakdrchrono.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jsoup.nodes.Element;

import io.github.keycloakdrchrono.launcher.KeycloakServer;
import io.github.keycloakdrchrono.sandbox.SandboxUsers;
import io.github.keycloakdrchrono.testkit.Browser;

/**
 * A realm of its own for one provider and one scenario: an app client and the provider, registered at the sandbox
 * as a client of its own (the sandbox, like DrChrono, kills a user's earlier tokens per client at each new grant,
 * so realms sharing a client would break each other's stored tokens).
 */
final class BenchRealm {

    /** The sandbox's doctor every scenario signs in. */
    static final String USER = "jhollis";

    private static final String APP = "bench-app";
    private static final String APP_SECRET = "bench-app-secret";
    private static final String BACKEND = "bench-backend";
    private static final String BACKEND_SECRET = "bench-backend-secret";
    /** Long enough for every measured call to use one app token; Keycloak's default is 5 minutes. */
    private static final int APP_TOKEN_SECONDS = 3600;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    final String name;
    final Provider provider;
    private final BenchEnvironment env;

    private BenchRealm(BenchEnvironment env, Provider provider, String name) {
        this.env = env;
        this.provider = provider;
        this.name = name;
    }

    static BenchRealm create(BenchEnvironment env, Provider provider, String scenario) {
        BenchRealm realm = new BenchRealm(env, provider,
                "bench-" + scenario + "-" + provider.alias + "-" + COUNTER.incrementAndGet());
        realm.setUp();
        return realm;
    }

    private void setUp() {
        env.admin.post("/admin/realms", Http.JSON.createObjectNode()
                .put("realm", name)
                .put("enabled", true)
                .put("accessTokenLifespan", APP_TOKEN_SECONDS));
        ObjectNode client = Http.JSON.createObjectNode()
                .put("clientId", APP)
                .put("secret", APP_SECRET)
                .put("publicClient", false)
                .put("standardFlowEnabled", true);
        client.putArray("redirectUris").add(Browser.APP_REDIRECT + "*");
        env.admin.post("/admin/realms/" + name + "/clients", client);

        String brokerEndpoint = env.keycloak.baseUrl() + "/realms/" + name + "/broker/" + provider.alias
                + "/endpoint";
        env.sandbox.registerClient(sandboxClientId(), sandboxClientId() + "-secret", brokerEndpoint);
        env.admin.post("/admin/realms/" + name + "/identity-provider/instances",
                provider.representation(env.sandbox, sandboxClientId(), sandboxClientId() + "-secret"));
    }

    /** This realm's client id at the sandbox. */
    String sandboxClientId() {
        return name;
    }

    /**
     * Signs {@link #USER} in through the browser flow (Keycloak's login page, the provider's button, the
     * sandbox's sign-in and consent pages, Keycloak's first-login form where it asks) and trades the app's code for
     * Keycloak tokens. Returns the user's Keycloak access token, which the app sends to the broker endpoint.
     */
    String signIn() {
        return signIn(USER);
    }

    /** The same for another sandbox user. */
    String signIn(String username) {
        Browser browser = new Browser();
        Browser.Page login = browser.open(env.keycloak.baseUrl() + "/realms/" + name
                + "/protocol/openid-connect/auth?client_id=" + APP + "&response_type=code&scope=openid"
                + "&redirect_uri=" + Http.enc(Browser.APP_REDIRECT));
        Element button = login.document().selectFirst("a#social-" + provider.alias);
        if (button == null) {
            throw new IllegalStateException("No " + provider.alias + " button on " + name + "'s login page:\n"
                    + login.text());
        }
        Browser.Page signInPage = browser.open(button.absUrl("href"));
        Browser.Page consent = browser.submit(signInPage, "form#signin",
                Map.of("username", username, "password", SandboxUsers.DEMO_PASSWORD), null, null);
        Browser.Page landed = browser.submit(consent, "form#consent", Map.of("action", "approve"), null, null);
        if (!landed.atApp() && landed.document().selectFirst("form#kc-idp-review-profile-form") != null) {
            // Stock's user-info answer has no e-mail or names, so Keycloak's first login asks, as it would a user.
            landed = browser.submit(landed, "form#kc-idp-review-profile-form", Map.of(
                    "email", username + "@example.org", "firstName", "Bench", "lastName", username), null, null);
        }
        if (!landed.atApp() || landed.param("code") == null) {
            throw new IllegalStateException("Signing " + username + " in through " + provider.alias + " in " + name
                    + " did not reach the app; it ended at " + landed.url().getPath() + " (" + landed.status()
                    + "):\n" + landed.text());
        }
        return appAccessToken(landed.param("code"));
    }

    private String appAccessToken(String code) {
        String form = "grant_type=authorization_code&code=" + Http.enc(code) + "&redirect_uri="
                + Http.enc(Browser.APP_REDIRECT) + "&client_id=" + APP + "&client_secret=" + APP_SECRET;
        HttpResponse<String> response = Http.send(env.app, HttpRequest.newBuilder(URI.create(
                        env.keycloak.baseUrl() + "/realms/" + name + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
        JsonNode body = response.statusCode() == 200 ? Http.read(response.body()) : null;
        if (body == null || !body.path("access_token").isTextual()) {
            throw new IllegalStateException("The app's code exchange in " + name + " answered "
                    + response.statusCode());
        }
        return body.path("access_token").asText();
    }

    /**
     * A backend's token, set up as the README tells an admin: a confidential client whose service account holds the
     * realm role {@code drchrono-token-broker}, its token from the client-credentials grant (valid as long as the
     * realm's app tokens). Scope {@code openid}, so that the stock realm's user-info endpoint accepts it too.
     */
    String serviceAccountToken() {
        String realm = "/admin/realms/" + name;
        env.admin.post(realm + "/roles", Http.JSON.createObjectNode().put("name", "drchrono-token-broker"));
        env.admin.grantRealmRole(name, env.admin.createServiceAccountClient(name, BACKEND, BACKEND_SECRET, Map.of()),
                "drchrono-token-broker");

        String form = "grant_type=client_credentials&scope=openid&client_id=" + BACKEND + "&client_secret="
                + BACKEND_SECRET;
        HttpResponse<String> response = Http.send(env.app, HttpRequest.newBuilder(URI.create(
                        env.keycloak.baseUrl() + "/realms/" + name + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
        JsonNode body = response.statusCode() == 200 ? Http.read(response.body()) : null;
        if (body == null || !body.path("access_token").isTextual()) {
            throw new IllegalStateException("Setting up the backend in " + name + ": client credentials answered "
                    + response.statusCode());
        }
        return body.path("access_token").asText();
    }

    /** A backend's request to our service endpoint for {@link #USER}'s token. */
    HttpRequest serviceEndpointRequest(String serviceAccountToken) {
        String userId = env.admin.get("/admin/realms/" + name + "/users?exact=true&username=" + USER)
                .path(0).path("id").asText();
        if (userId.isEmpty()) {
            throw new IllegalStateException("User " + USER + " not found in " + name);
        }
        return HttpRequest.newBuilder(URI.create(env.keycloak.baseUrl() + "/realms/" + name + "/drchrono/"
                        + provider.alias + "/users/" + userId + "/token"))
                .header("Authorization", "Bearer " + serviceAccountToken)
                .timeout(Duration.ofSeconds(60))
                .GET()
                .build();
    }

    /** The request an app sends to Keycloak's broker token endpoint (v1) for the user's DrChrono token. */
    HttpRequest brokerTokenRequest(String appAccessToken) {
        return brokerTokenRequest(env.keycloak, appAccessToken);
    }

    /** The same, sent to one node of a cluster; any node accepts a token that another issued. */
    HttpRequest brokerTokenRequest(KeycloakServer node, String appAccessToken) {
        return HttpRequest.newBuilder(URI.create(node.baseUrl() + "/realms/" + name + "/broker/"
                        + provider.alias + "/token"))
                .header("Authorization", "Bearer " + appAccessToken)
                .timeout(Duration.ofSeconds(60))
                .GET()
                .build();
    }

    /** Keycloak's user-info endpoint: the same token checks as the broker endpoint, without touching DrChrono. */
    HttpRequest userInfoRequest(KeycloakServer node, String accessToken) {
        return HttpRequest.newBuilder(URI.create(node.baseUrl() + "/realms/" + name
                        + "/protocol/openid-connect/userinfo"))
                .header("Authorization", "Bearer " + accessToken)
                .timeout(Duration.ofSeconds(60))
                .GET()
                .build();
    }

    HttpResponse<String> brokerToken(String appAccessToken) {
        return Http.send(env.app, brokerTokenRequest(appAccessToken));
    }
}
