package io.github.keycloakdrchrono.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.keycloakdrchrono.launcher.KeycloakServer;
import io.github.keycloakdrchrono.sandbox.DrChronoSandbox;
import io.github.keycloakdrchrono.testkit.Browser;
import io.github.keycloakdrchrono.testkit.TwoNodeCluster;

/**
 * {@link TestRealm}'s realm on a {@link TwoNodeCluster}: created through node 1's admin API, with the same app
 * client and a DrChrono provider pointing at the given sandbox. Browser logins go through node 1; apps may call
 * either node.
 */
final class TwoNodeRealm implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    final String name;
    final TwoNodeCluster cluster;
    final DrChronoSandbox sandbox;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private TwoNodeRealm(TwoNodeCluster cluster, DrChronoSandbox sandbox, String name) {
        this.cluster = cluster;
        this.sandbox = sandbox;
        this.name = name;
    }

    static TwoNodeRealm create(TwoNodeCluster cluster, DrChronoSandbox sandbox) {
        TwoNodeRealm realm = new TwoNodeRealm(cluster, sandbox, "two-node-" + COUNTER.incrementAndGet() + "-"
                + System.nanoTime() % 100_000);
        realm.setUp();
        return realm;
    }

    private void setUp() {
        ObjectNode realm = JSON.createObjectNode()
                .put("realm", name)
                .put("enabled", true)
                .put("eventsEnabled", true);
        realm.putArray("enabledEventTypes").add("IDENTITY_PROVIDER_RETRIEVE_TOKEN")
                .add("IDENTITY_PROVIDER_RETRIEVE_TOKEN_ERROR");
        cluster.admin.post("/admin/realms", realm);

        ObjectNode client = JSON.createObjectNode()
                .put("clientId", TestRealm.APP)
                .put("secret", TestRealm.APP_SECRET)
                .put("publicClient", false)
                .put("standardFlowEnabled", true);
        client.putArray("redirectUris").add(Browser.APP_REDIRECT + "*");
        cluster.admin.post("/admin/realms/" + name + "/clients", client);

        // Node 1's URL is the public one of both nodes, so this is the redirect URI of the whole cluster.
        sandbox.registerClient(name, name + "-secret",
                cluster.node1.baseUrl() + "/realms/" + name + "/broker/" + TestRealm.ALIAS + "/endpoint");
        ObjectNode idp = JSON.createObjectNode()
                .put("alias", TestRealm.ALIAS)
                .put("providerId", "drchrono")
                .put("enabled", true)
                .put("addReadTokenRoleOnCreate", true);
        idp.putObject("config")
                .put("clientId", name)
                .put("clientSecret", name + "-secret")
                .put("baseUrl", sandbox.baseUrl())
                .put("apiUrl", sandbox.apiUrl());
        cluster.admin.post("/admin/realms/" + name + "/identity-provider/instances", idp);
    }

    /** Through node 1: the app's login, the DrChrono button, the sandbox's sign-in and consent. */
    Browser.Page signIn(Browser browser, String username) {
        Browser.Page login = browser.open(cluster.node1.baseUrl() + "/realms/" + name
                + "/protocol/openid-connect/auth?client_id=" + TestRealm.APP + "&response_type=code&scope=openid"
                + "&redirect_uri=" + TestRealm.enc(Browser.APP_REDIRECT));
        var button = login.document().selectFirst("a#social-" + TestRealm.ALIAS);
        if (button == null) {
            throw new AssertionError("No DrChrono button on the login page:\n" + login.body());
        }
        Browser.Page signInPage = browser.open(button.absUrl("href"));
        Browser.Page consent = browser.submit(signInPage, "form#signin",
                Map.of("username", username, "password", TestRealm.PASSWORD), null, null);
        return browser.submit(consent, "form#consent", Map.of(), "action", "approve");
    }

    /** The app's side of the code flow, at node 1's token endpoint. */
    JsonNode appTokens(String code) {
        String form = "grant_type=authorization_code&code=" + TestRealm.enc(code) + "&redirect_uri="
                + TestRealm.enc(Browser.APP_REDIRECT) + "&client_id=" + TestRealm.APP + "&client_secret="
                + TestRealm.APP_SECRET;
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(cluster.node1.baseUrl()
                        + "/realms/" + name + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        if (response.statusCode() != 200) {
            throw new AssertionError("Code exchange failed: " + response.statusCode() + " " + response.body());
        }
        return TestRealm.read(response.body());
    }

    /** Keycloak's broker token endpoint on the given node, as an app holding the user's access token calls it. */
    HttpResponse<String> brokerToken(KeycloakServer node, String keycloakAccessToken) {
        return send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/realms/" + name + "/broker/"
                        + TestRealm.ALIAS + "/token"))
                .header("Authorization", "Bearer " + keycloakAccessToken).GET());
    }

    /** The OpenID Connect userinfo endpoint on the given node. */
    HttpResponse<String> userInfo(KeycloakServer node, String keycloakAccessToken) {
        return send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/realms/" + name
                        + "/protocol/openid-connect/userinfo"))
                .header("Authorization", "Bearer " + keycloakAccessToken).GET());
    }

    /** Stored events of one type, from both nodes: they write to the same table. */
    List<JsonNode> events(String type) {
        List<JsonNode> events = new ArrayList<>();
        cluster.admin.get("/admin/realms/" + name + "/events?max=1000&type=" + type).forEach(events::add);
        return events;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        return TestHttp.send(http, request.timeout(REQUEST_TIMEOUT).build());
    }

    @Override
    public void close() {
        cluster.admin.delete("/admin/realms/" + name);
    }
}
