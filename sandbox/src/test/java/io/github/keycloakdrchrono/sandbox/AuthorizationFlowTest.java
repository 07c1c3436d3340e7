package io.github.keycloakdrchrono.sandbox;

import static io.github.keycloakdrchrono.sandbox.SandboxClient.REDIRECT_URI;
import static io.github.keycloakdrchrono.sandbox.SandboxClient.authorizeParams;
import static io.github.keycloakdrchrono.sandbox.SandboxClient.location;
import static io.github.keycloakdrchrono.sandbox.SandboxClient.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The authorization endpoint")
class AuthorizationFlowTest {

    private DrChronoSandbox sandbox;
    private SandboxClient client;

    @BeforeEach
    void start() {
        sandbox = SandboxClient.defaultSandbox().build().start();
        client = new SandboxClient(sandbox);
    }

    @AfterEach
    void stop() {
        sandbox.stop();
    }

    @Nested
    @DisplayName("given a registered client and redirect URI")
    class ValidRequest {

        @Test
        @DisplayName("shows a sign-in form that carries the request along and lists the demo users")
        void signInPage() {
            HttpResponse<String> page = client.openAuthorize(authorizeParams("user:read", "st-1"));

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.body())
                    .contains("<form id=\"signin\" method=\"post\" action=\"/o/authorize/\">")
                    .contains("name=\"username\"", "name=\"password\"")
                    .contains("<input type=\"hidden\" name=\"state\" value=\"st-1\">")
                    .contains("<input type=\"hidden\" name=\"redirect_uri\" value=\"" + REDIRECT_URI + "\">")
                    .contains("<code>jhollis</code>", "<code>kpatel</code>", "María Reyes")
                    .contains("<code>sandbox</code>")
                    .doesNotContain("lortiz");
        }

        @Test
        @DisplayName("escapes what it echoes, so a hostile state cannot inject markup")
        void escapesEchoedParameters() {
            HttpResponse<String> page = client.openAuthorize(authorizeParams(null, "\"><script>alert(1)</script>"));

            assertThat(page.body())
                    .doesNotContain("<script>")
                    .contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"");
        }

        @Test
        @DisplayName("shows the sign-in page again with an error after a wrong password")
        void wrongPassword() {
            HttpResponse<String> page = client.signIn(authorizeParams(null, "s"), "jhollis", "wrong");

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body())
                    .contains("Invalid username or password.")
                    .contains("id=\"signin\"")
                    .doesNotContain("id=\"consent\"");
        }

        @Test
        @DisplayName("refuses an inactive staff member at sign-in")
        void inactiveUser() {
            HttpResponse<String> page = client.signIn(authorizeParams(null, "s"), "lortiz", "sandbox");

            assertThat(page.body()).contains("This account is inactive.").doesNotContain("id=\"consent\"");
        }

        @Test
        @DisplayName("lists each requested scope and the client on the consent page")
        void consentPage() {
            HttpResponse<String> page = client.signIn(authorizeParams("user:read calendar:read", "s"), "jhollis",
                    "sandbox");

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body())
                    .contains("<form id=\"consent\"")
                    .contains("<li><code>user:read</code></li>\n<li><code>calendar:read</code></li>\n</ul>")
                    .contains("<strong>keycloak</strong>")
                    .contains("<button type=\"submit\" name=\"action\" value=\"approve\">Approve</button>")
                    .contains("name=\"action\" value=\"cancel\"");
        }

        @Test
        @DisplayName("asks for every DrChrono scope when the request names none")
        void allScopesWhenOmitted() {
            HttpResponse<String> page = client.signIn(authorizeParams(null, "s"), "jhollis", "sandbox");

            for (String scope : Scopes.ALL) {
                assertThat(page.body()).contains("<li><code>" + scope + "</code></li>");
            }
        }

        @Test
        @DisplayName("redirects with a code and the state on approval")
        void approve() {
            String redirect = location(client.approve("jhollis", "user:read", "state with spaces&amp"));

            assertThat(redirect).startsWith(REDIRECT_URI + "?code=");
            assertThat(query(redirect, "code")).matches("[A-Za-z0-9]{30}");
            assertThat(query(redirect, "state")).isEqualTo("state with spaces&amp");
        }

        @Test
        @DisplayName("redirects with access_denied and the state on cancel")
        void cancel() {
            HttpResponse<String> consent = client.signIn(authorizeParams(null, "st-9"), "jhollis", "sandbox");

            String redirect = location(client.decide(consent.body(), "cancel"));

            assertThat(redirect).isEqualTo(REDIRECT_URI + "?error=access_denied&state=st-9");
        }

        @Test
        @DisplayName("lets a consent form be used once only")
        void consentOnce() {
            HttpResponse<String> consent = client.signIn(authorizeParams(null, "s"), "jhollis", "sandbox");
            client.decide(consent.body(), "approve");

            HttpResponse<String> again = client.decide(consent.body(), "approve");

            assertThat(again.statusCode()).isEqualTo(400);
            assertThat(again.body()).contains("expired or was already used");
        }

        @Test
        @DisplayName("ignores a PKCE challenge, which DrChrono does not support")
        void ignoresPkce() {
            Map<String, String> params = new LinkedHashMap<>(authorizeParams("user:read", "s"));
            params.put("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
            params.put("code_challenge_method", "S256");
            HttpResponse<String> consent = client.signIn(params, "jhollis", "sandbox");
            String code = query(location(client.decide(consent.body(), "approve")), "code");

            HttpResponse<String> tokens = client.exchange(code, REDIRECT_URI);

            assertThat(tokens.statusCode()).isEqualTo(200);
        }
    }

    @Nested
    @DisplayName("given a bad request")
    class BadRequest {

        @Test
        @DisplayName("answers an unknown client_id with a 400 HTML page and no redirect")
        void unknownClient() {
            Map<String, String> params = new LinkedHashMap<>(authorizeParams(null, "s"));
            params.put("client_id", "nobody");

            HttpResponse<String> page = client.openAuthorize(params);

            assertThat(page.statusCode()).isEqualTo(400);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("Location")).isEmpty();
            assertThat(page.body()).contains("Invalid client_id parameter value.");
        }

        @Test
        @DisplayName("answers an unregistered redirect_uri with a 400 HTML page and no redirect")
        void unregisteredRedirect() {
            Map<String, String> params = new LinkedHashMap<>(authorizeParams(null, "s"));
            params.put("redirect_uri", "http://localhost:8080/realms/demo/broker/drchrono/endpoint/evil");

            HttpResponse<String> page = client.openAuthorize(params);

            assertThat(page.statusCode()).isEqualTo(400);
            assertThat(page.headers().firstValue("Location")).isEmpty();
            assertThat(page.body()).contains("Mismatching redirect URI.");
        }

        @Test
        @DisplayName("redirects with invalid_scope and the state for an unknown scope")
        void unknownScope() {
            String redirect = location(client.openAuthorize(authorizeParams("user:read openid", "st-3")));

            assertThat(query(redirect, "error")).isEqualTo("invalid_scope");
            assertThat(query(redirect, "state")).isEqualTo("st-3");
            assertThat(redirect).startsWith(REDIRECT_URI + "?error=invalid_scope");
        }

        @Test
        @DisplayName("redirects with unsupported_response_type for the implicit flow")
        void implicitFlow() {
            Map<String, String> params = new LinkedHashMap<>(authorizeParams(null, "st-4"));
            params.put("response_type", "token");

            String redirect = location(client.openAuthorize(params));

            assertThat(query(redirect, "error")).isEqualTo("unsupported_response_type");
            assertThat(query(redirect, "state")).isEqualTo("st-4");
        }

        @Test
        @DisplayName("rejects a redirect_uri changed in the hidden fields of the sign-in form")
        void tamperedSignInForm() {
            Map<String, String> params = new LinkedHashMap<>(authorizeParams(null, "s"));
            params.put("redirect_uri", "https://attacker.example/callback");

            HttpResponse<String> page = client.signIn(params, "jhollis", "sandbox");

            assertThat(page.statusCode()).isEqualTo(400);
            assertThat(page.body()).doesNotContain("id=\"consent\"");
        }
    }

    @Nested
    @DisplayName("matching redirect URIs")
    class RedirectMatching {

        @Test
        @DisplayName("accepts extra query parameters when the registered ones are all present")
        void querySubset() {
            sandbox.registerClient("app", "secret", "https://app.example/cb?tenant=a");
            Map<String, String> params = new LinkedHashMap<>(authorizeParams(null, "s"));
            params.put("client_id", "app");
            params.put("redirect_uri", "https://app.example/cb?tenant=a&extra=1");

            HttpResponse<String> consent = client.signIn(params, "jhollis", "sandbox");
            String redirect = location(client.decide(consent.body(), "approve"));

            assertThat(redirect).startsWith("https://app.example/cb?tenant=a&extra=1&code=");
        }

        @Test
        @DisplayName("refuses a redirect URI missing a registered query parameter")
        void queryNotSubset() {
            sandbox.registerClient("app", "secret", "https://app.example/cb?tenant=a");
            Map<String, String> params = new LinkedHashMap<>(authorizeParams(null, "s"));
            params.put("client_id", "app");
            params.put("redirect_uri", "https://app.example/cb?tenant=b");

            assertThat(client.openAuthorize(params).statusCode()).isEqualTo(400);
        }
    }
}
