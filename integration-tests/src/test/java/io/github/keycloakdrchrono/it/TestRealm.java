package io.github.keycloakdrchrono.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.keycloakdrchrono.launcher.AdminClient;
import io.github.keycloakdrchrono.testkit.Browser;

/**
 * A realm of its own for one test: an app client, and a DrChrono provider created through the admin REST API
 * with nothing but what an admin types (client id, secret, the two base URLs), pointing at the sandbox.
 */
final class TestRealm implements AutoCloseable {

    static final String ALIAS = "drchrono";
    static final String APP = "test-app";
    static final String APP_SECRET = "test-app-secret";
    static final String PASSWORD = "sandbox";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final List<String> EVENT_TYPES = List.of("LOGIN", "LOGIN_ERROR", "REGISTER",
            "IDENTITY_PROVIDER_LOGIN", "IDENTITY_PROVIDER_LOGIN_ERROR", "IDENTITY_PROVIDER_FIRST_LOGIN",
            "IDENTITY_PROVIDER_FIRST_LOGIN_ERROR", "FEDERATED_IDENTITY_LINK", "IDENTITY_PROVIDER_RETRIEVE_TOKEN",
            "IDENTITY_PROVIDER_RETRIEVE_TOKEN_ERROR", "CODE_TO_TOKEN", "UPDATE_PROFILE", "REVOKE_GRANT",
            "REVOKE_GRANT_ERROR", "REMOVE_FEDERATED_IDENTITY");

    final String name;
    final TestEnvironment env;
    private final AdminClient admin;

    private TestRealm(TestEnvironment env, String name) {
        this.env = env;
        this.name = name;
        this.admin = env.admin;
    }

    /** A realm whose DrChrono provider has the given extra config entries (e.g. a short read timeout). */
    static TestRealm create(Map<String, String> providerConfig) {
        return create(TestEnvironment.get(), providerConfig);
    }

    /** A realm on the given server, e.g. {@link TestEnvironment#nonDefault()}. */
    static TestRealm create(TestEnvironment env, Map<String, String> providerConfig) {
        TestRealm realm = unnamed(env);
        realm.setUp(providerConfig);
        return realm;
    }

    static TestRealm create() {
        return create(Map.of());
    }

    /**
     * A realm with no identity provider yet, for a test in which the admin adds it; the app is already
     * registered at the sandbox with this realm's redirect URI, as the README tells admins to do first.
     */
    static TestRealm createWithoutProvider() {
        TestRealm realm = unnamed(TestEnvironment.get());
        realm.setUpRealm();
        return realm;
    }

    private static TestRealm unnamed(TestEnvironment env) {
        String name = "it-" + COUNTER.incrementAndGet() + "-" + System.nanoTime() % 100_000;
        return new TestRealm(env, name);
    }

    /** What Keycloak's pages call the realm instead of its generated name, for screenshots people read. */
    TestRealm displayName(String displayName) {
        admin.put("/admin/realms/" + name, Map.of("displayName", displayName));
        return this;
    }

    /** The sandbox's client secret for this realm's app. */
    String sandboxSecret() {
        return name + "-secret";
    }

    private void setUp(Map<String, String> providerConfig) {
        setUpRealm();
        ObjectNode idp = JSON.createObjectNode()
                .put("alias", ALIAS)
                .put("providerId", "drchrono")
                .put("enabled", true)
                .put("addReadTokenRoleOnCreate", true);
        ObjectNode config = idp.putObject("config")
                .put("clientId", name)
                .put("clientSecret", sandboxSecret())
                .put("baseUrl", env.sandbox.baseUrl())
                .put("apiUrl", env.sandbox.apiUrl());
        providerConfig.forEach(config::put);
        admin.post("/admin/realms/" + name + "/identity-provider/instances", idp);
    }

    private void setUpRealm() {
        ObjectNode realm = JSON.createObjectNode()
                .put("realm", name)
                .put("enabled", true)
                .put("eventsEnabled", true);
        realm.putArray("enabledEventTypes").addAll(EVENT_TYPES.stream().map(JSON.getNodeFactory()::textNode).toList());
        admin.post("/admin/realms", realm);

        ObjectNode client = JSON.createObjectNode()
                .put("clientId", APP)
                .put("secret", APP_SECRET)
                .put("publicClient", false)
                .put("standardFlowEnabled", true);
        client.putArray("redirectUris").add(Browser.APP_REDIRECT + "*");
        admin.post("/admin/realms/" + name + "/clients", client);

        env.sandbox.registerClient(name, sandboxSecret(), brokerEndpoint());
    }

    String brokerEndpoint() {
        return env.keycloak.baseUrl() + "/realms/" + name + "/broker/" + ALIAS + "/endpoint";
    }

    /** The app's authorization request, as the app would send the user to Keycloak. */
    String appLoginUrl() {
        return env.keycloak.baseUrl() + "/realms/" + name + "/protocol/openid-connect/auth?client_id=" + APP
                + "&response_type=code&scope=openid&redirect_uri=" + enc(Browser.APP_REDIRECT);
    }

    /** Keycloak's login page, then the DrChrono button. Returns the sandbox's sign-in page. */
    Browser.Page clickDrChrono(Browser browser) {
        Browser.Page login = browser.open(appLoginUrl());
        var button = login.document().selectFirst("a#social-" + ALIAS);
        if (button == null) {
            throw new AssertionError("No DrChrono button on the login page:\n" + login.body());
        }
        return browser.open(button.absUrl("href"));
    }

    /** Clicks the button, signs in at the sandbox as {@code username}, and approves. */
    Browser.Page signIn(Browser browser, String username) {
        Browser.Page signInPage = clickDrChrono(browser);
        Browser.Page consent = browser.submit(signInPage, "form#signin",
                Map.of("username", username, "password", PASSWORD), null, null);
        return browser.submit(consent, "form#consent", Map.of(), "action", "approve");
    }

    /** The app's side of the code flow: trade Keycloak's code for Keycloak tokens. */
    JsonNode appTokens(String code) {
        String form = "grant_type=authorization_code&code=" + enc(code) + "&redirect_uri=" + enc(Browser.APP_REDIRECT)
                + "&client_id=" + APP + "&client_secret=" + APP_SECRET;
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(env.keycloak.baseUrl() + "/realms/"
                        + name + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        if (response.statusCode() != 200) {
            throw new AssertionError("Code exchange failed: " + response.statusCode() + " " + response.body());
        }
        return read(response.body());
    }

    /** Keycloak's broker token endpoint, as an app holding the user's Keycloak access token calls it. */
    HttpResponse<String> brokerToken(String keycloakAccessToken) {
        return send(HttpRequest.newBuilder(URI.create(env.keycloak.baseUrl() + "/realms/" + name + "/broker/"
                        + ALIAS + "/token"))
                .header("Authorization", "Bearer " + keycloakAccessToken).GET().build());
    }

    List<JsonNode> users() {
        List<JsonNode> users = new ArrayList<>();
        admin.get("/admin/realms/" + name + "/users?briefRepresentation=false").forEach(users::add);
        return users;
    }

    JsonNode user(String username) {
        JsonNode found = admin.get("/admin/realms/" + name + "/users?exact=true&briefRepresentation=false&username="
                + enc(username));
        if (found.size() != 1) {
            throw new AssertionError("Expected one user " + username + " in " + name + ", found " + found.size());
        }
        return found.get(0);
    }

    JsonNode federatedIdentities(String userId) {
        return admin.get("/admin/realms/" + name + "/users/" + userId + "/federated-identity");
    }

    /** Newest first, as Keycloak returns them. */
    List<JsonNode> events(String type) {
        List<JsonNode> events = new ArrayList<>();
        admin.get("/admin/realms/" + name + "/events?type=" + type).forEach(events::add);
        return events;
    }

    /** The realm's internal id, which components name as their parent. */
    String realmId() {
        return admin.get("/admin/realms/" + name).path("id").asText();
    }

    JsonNode identityProvider() {
        return admin.get("/admin/realms/" + name + "/identity-provider/instances/" + ALIAS);
    }

    void updateIdentityProvider(java.util.function.Consumer<ObjectNode> change) {
        ObjectNode idp = (ObjectNode) identityProvider();
        change.accept(idp);
        admin.put("/admin/realms/" + name + "/identity-provider/instances/" + ALIAS, idp);
    }

    AdminClient admin() {
        return admin;
    }

    private HttpResponse<String> send(HttpRequest request) {
        return TestHttp.send(request);
    }

    static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        admin.delete("/admin/realms/" + name);
    }
}
