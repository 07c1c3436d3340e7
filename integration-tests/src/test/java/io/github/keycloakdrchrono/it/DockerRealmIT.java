package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.github.keycloakdrchrono.testkit.Browser;

/**
 * The realm file the Docker demo imports ({@code docker/demo-realm.json}), loaded into the real Keycloak: no Docker
 * engine runs here, but the part of that path that is ours besides the images can still be proven to work.
 */
@DisplayName("The Docker demo's realm file")
class DockerRealmIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REALM = "demo";
    private static final String SANDBOX_CLIENT = "keycloak-demo";
    private static final String SANDBOX_SECRET = "demo-sandbox-secret";

    @Test
    @DisplayName("imported with compose's defaults, signs a doctor in, and hands his DrChrono token to the demo app "
            + "and to the demo backend")
    void works() {
        TestEnvironment env = TestEnvironment.get();
        String brokerEndpoint = env.keycloak.baseUrl() + "/realms/" + REALM + "/broker/drchrono/endpoint";
        env.sandbox.registerClient(SANDBOX_CLIENT, SANDBOX_SECRET, brokerEndpoint);
        env.admin.post("/admin/realms", realmFile(Map.of(
                "DRCHRONO_CLIENT_ID", SANDBOX_CLIENT,
                "DRCHRONO_CLIENT_SECRET", SANDBOX_SECRET,
                "DRCHRONO_BASE_URL", env.sandbox.baseUrl(),
                "DRCHRONO_API_URL", env.sandbox.apiUrl())));
        try {
            Browser browser = new Browser();
            Browser.Page login = browser.open(env.keycloak.baseUrl() + "/realms/" + REALM
                    + "/protocol/openid-connect/auth?client_id=demo-app&response_type=code&scope=openid"
                    + "&redirect_uri=" + TestRealm.enc(Browser.APP_REDIRECT));
            Browser.Page signIn = browser.open(login.document().selectFirst("a#social-drchrono").absUrl("href"));
            Browser.Page consent = browser.submit(signIn, "form#signin",
                    Map.of("username", "jhollis", "password", TestRealm.PASSWORD), null, null);
            Browser.Page landed = browser.submit(consent, "form#consent", Map.of(), "action", "approve");
            assertThat(landed.atApp()).as(landed.text()).isTrue();

            String appToken = token(env, "grant_type=authorization_code&client_id=demo-app"
                    + "&client_secret=demo-app-secret&redirect_uri=" + TestRealm.enc(Browser.APP_REDIRECT)
                    + "&code=" + TestRealm.enc(landed.param("code")));
            JsonNode forApp = ok(get(env, "/realms/" + REALM + "/broker/drchrono/token", appToken));
            assertThat(env.sandbox.tokens().isAccessTokenValid(forApp.path("access_token").asText())).isTrue();
            assertThat(forApp.has("refresh_token")).isFalse();

            String backendToken = token(env, "grant_type=client_credentials&client_id=demo-backend"
                    + "&client_secret=demo-backend-secret");
            JsonNode found = ok(get(env, "/realms/" + REALM + "/drchrono/drchrono/users?drchrono_id=480112",
                    backendToken));
            assertThat(found.path(0).path("username").asText()).isEqualTo("jhollis");
            JsonNode forBackend = ok(get(env, "/realms/" + REALM + "/drchrono/drchrono/users/"
                    + found.path(0).path("id").asText() + "/token", backendToken));
            assertThat(forBackend.path("access_token").asText()).isEqualTo(forApp.path("access_token").asText());
        } finally {
            env.admin.delete("/admin/realms/" + REALM);
        }
    }

    /**
     * The file with its {@code ${VAR}} placeholders filled in, as Keycloak's import does from the environment
     * compose sets. The demo app's redirect URI becomes the test browser's, which stops there instead of loading it.
     */
    private static ObjectNode realmFile(Map<String, String> variables) {
        try {
            String text = Files.readString(Path.of(TestProperties.required("repository.root"), "docker",
                    "demo-realm.json"), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> variable : variables.entrySet()) {
                text = text.replace("${" + variable.getKey() + "}", variable.getValue());
            }
            assertThat(text).doesNotContain("${");
            ObjectNode realm = (ObjectNode) JSON.readTree(text);
            for (JsonNode client : realm.path("clients")) {
                if (client.path("clientId").asText().equals("demo-app")) {
                    ((ObjectNode) client).putArray("redirectUris").add(Browser.APP_REDIRECT);
                }
            }
            return realm;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String token(TestEnvironment env, String form) {
        return TestHttp.accessToken(env.keycloak.baseUrl(), REALM, form);
    }

    private static HttpResponse<String> get(TestEnvironment env, String path, String bearer) {
        return TestHttp.send(HttpRequest.newBuilder(URI.create(env.keycloak.baseUrl() + path))
                .header("Authorization", "Bearer " + bearer)
                .GET()
                .build());
    }

    private static JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.uri() + ": " + response.body()).isEqualTo(200);
        return TestRealm.read(response.body());
    }
}
