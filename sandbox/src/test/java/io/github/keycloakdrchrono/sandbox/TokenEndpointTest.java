package io.github.keycloakdrchrono.sandbox;

import static io.github.keycloakdrchrono.sandbox.SandboxClient.CLIENT_ID;
import static io.github.keycloakdrchrono.sandbox.SandboxClient.REDIRECT_URI;
import static io.github.keycloakdrchrono.sandbox.SandboxClient.SECRET;
import static io.github.keycloakdrchrono.sandbox.SandboxClient.basic;
import static io.github.keycloakdrchrono.sandbox.SandboxClient.json;
import static io.github.keycloakdrchrono.sandbox.SandboxClient.pair;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The token endpoint")
class TokenEndpointTest {

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

    private static void assertError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(response).get("error").asText()).isEqualTo(error);
    }

    @Nested
    @DisplayName("exchanging a code")
    class CodeExchange {

        @Test
        @DisplayName("returns DrChrono's token response with client credentials in the form")
        void formAuthentication() {
            String code = client.code("jhollis", "user:read calendar:read");

            HttpResponse<String> response = client.exchange(code, REDIRECT_URI);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
            JsonNode body = json(response);
            assertThat(body.get("access_token").asText()).matches("[A-Za-z0-9]{30}");
            assertThat(body.get("refresh_token").asText()).matches("[A-Za-z0-9]{30}");
            assertThat(body.get("expires_in").asLong()).isEqualTo(172800);
            assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
            assertThat(body.get("scope").asText()).isEqualTo("user:read calendar:read");
            assertThat(body.has("id_token")).isFalse();
        }

        @Test
        @DisplayName("accepts client credentials by HTTP Basic")
        void basicAuthentication() {
            String code = client.code("kpatel", "user:read");

            HttpResponse<String> response = client.exchangeWithBasic(code);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(sandbox.tokens().isAccessTokenValid(pair(response).accessToken())).isTrue();
        }

        @Test
        @DisplayName("rejects a redirect_uri that differs from the authorize step with invalid_request")
        void mismatchingRedirect() {
            String code = client.code("jhollis", null);

            HttpResponse<String> response = client.exchange(code, REDIRECT_URI + "/");

            assertError(response, 400, "invalid_request");
            assertThat(json(response).get("error_description").asText()).isEqualTo("Mismatching redirect URI.");
            assertThat(client.exchange(code, REDIRECT_URI).statusCode())
                    .as("the mismatch did not use the code up")
                    .isEqualTo(200);
        }

        @Test
        @DisplayName("answers a second use of a code with invalid_grant and 401")
        void codeReuse() {
            String code = client.code("jhollis", null);
            client.exchange(code, REDIRECT_URI);

            assertError(client.exchange(code, REDIRECT_URI), 401, "invalid_grant");
        }

        @Test
        @DisplayName("answers an expired code with invalid_grant")
        void expiredCode() throws InterruptedException {
            sandbox.stop();
            sandbox = SandboxClient.defaultSandbox().codeLifetime(Duration.ofMillis(200)).build().start();
            client = new SandboxClient(sandbox);
            String code = client.code("jhollis", null);
            Thread.sleep(300);

            assertError(client.exchange(code, REDIRECT_URI), 401, "invalid_grant");
        }

        @Test
        @DisplayName("answers a wrong client secret with invalid_client and 401")
        void wrongSecret() {
            String code = client.code("jhollis", null);

            HttpResponse<String> response = client.post("/o/token/", Map.of("grant_type", "authorization_code",
                    "code", code, "redirect_uri", REDIRECT_URI, "client_id", CLIENT_ID, "client_secret", "nope"));

            assertError(response, 401, "invalid_client");
        }

        @Test
        @DisplayName("answers a code issued to another client with invalid_grant")
        void otherClientsCode() {
            sandbox.registerClient("other", "other-secret", REDIRECT_URI);
            String code = client.code("jhollis", null);

            HttpResponse<String> response = client.post("/o/token/", Map.of("grant_type", "authorization_code",
                    "code", code, "redirect_uri", REDIRECT_URI), "Authorization", basic("other", "other-secret"));

            assertError(response, 401, "invalid_grant");
        }

        @Test
        @DisplayName("answers a missing code with invalid_request and an unknown grant type with 400")
        void malformedRequests() {
            HttpResponse<String> noCode = client.post("/o/token/", Map.of("grant_type", "authorization_code",
                    "redirect_uri", REDIRECT_URI, "client_id", CLIENT_ID, "client_secret", SECRET));
            HttpResponse<String> password = client.post("/o/token/", Map.of("grant_type", "password",
                    "client_id", CLIENT_ID, "client_secret", SECRET));

            assertError(noCode, 400, "invalid_request");
            assertError(password, 400, "unsupported_grant_type");
        }
    }

    @Nested
    @DisplayName("refreshing with rotation on (the default)")
    class RotationOn {

        @Test
        @DisplayName("returns a new refresh token, and the old refresh and access tokens stop working")
        void rotates() {
            TokenPair first = client.login("jhollis");

            HttpResponse<String> response = client.refresh(first.refreshToken());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
            TokenPair second = pair(response);
            assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken()).matches("[A-Za-z0-9]{30}");
            assertThat(second.accessToken()).isNotEqualTo(first.accessToken());
            assertError(client.refresh(first.refreshToken()), 401, "invalid_grant");
            assertThat(client.getWithToken("/api/users/480112", first.accessToken()).statusCode()).isEqualTo(401);
            assertThat(client.getWithToken("/api/users/480112", second.accessToken()).statusCode()).isEqualTo(200);
            assertThat(sandbox.counters().successfulRefreshes()).isEqualTo(1);
        }

        @Test
        @DisplayName("narrows the scope on request and refuses to widen it with invalid_scope and 401")
        void scopes() {
            TokenPair first = pair(client.exchange(client.code("jhollis", "user:read calendar:read"), REDIRECT_URI));

            HttpResponse<String> wider = client.post("/o/token/", Map.of("grant_type", "refresh_token",
                    "refresh_token", first.refreshToken(), "scope", "user:read patients:read",
                    "client_id", CLIENT_ID, "client_secret", SECRET));
            HttpResponse<String> narrower = client.post("/o/token/", Map.of("grant_type", "refresh_token",
                    "refresh_token", first.refreshToken(), "scope", "user:read",
                    "client_id", CLIENT_ID, "client_secret", SECRET));

            assertError(wider, 401, "invalid_scope");
            assertThat(narrower.statusCode()).isEqualTo(200);
            assertThat(pair(narrower).scope()).isEqualTo("user:read");
        }

        @Test
        @DisplayName("refuses another client's refresh token with invalid_grant")
        void otherClient() {
            sandbox.registerClient("other", "other-secret", REDIRECT_URI);
            TokenPair tokens = client.login("jhollis");

            HttpResponse<String> response = client.post("/o/token/", Map.of("grant_type", "refresh_token",
                    "refresh_token", tokens.refreshToken()), "Authorization", basic("other", "other-secret"));

            assertError(response, 401, "invalid_grant");
            assertThat(sandbox.tokens().isRefreshTokenValid(tokens.refreshToken())).isTrue();
        }
    }

    @Nested
    @DisplayName("refreshing with rotation off")
    class RotationOff {

        @BeforeEach
        void restartWithoutRotation() {
            sandbox.stop();
            sandbox = SandboxClient.defaultSandbox().refreshTokenRotation(false).build().start();
            client = new SandboxClient(sandbox);
        }

        @Test
        @DisplayName("returns the same refresh token, and the previous access token still stops working")
        void sameRefreshToken() {
            TokenPair first = client.login("jhollis");

            TokenPair second = pair(client.refresh(first.refreshToken()));
            TokenPair third = pair(client.refresh(first.refreshToken()));

            assertThat(second.refreshToken()).isEqualTo(first.refreshToken());
            assertThat(third.refreshToken()).isEqualTo(first.refreshToken());
            assertThat(client.getWithToken("/api/users/480112", first.accessToken()).statusCode()).isEqualTo(401);
            assertThat(client.getWithToken("/api/users/480112", second.accessToken()).statusCode()).isEqualTo(401);
            assertThat(client.getWithToken("/api/users/480112", third.accessToken()).statusCode()).isEqualTo(200);
        }
    }

    @Nested
    @DisplayName("when the same user authorizes again")
    class ReAuthorization {

        @Test
        @DisplayName("invalidates the earlier refresh and access tokens")
        void invalidatesPrevious() {
            TokenPair first = client.login("jhollis");
            TokenPair other = client.login("kpatel");

            TokenPair second = client.login("jhollis");

            assertThat(client.getWithToken("/api/users/480112", first.accessToken()).statusCode()).isEqualTo(401);
            assertError(client.refresh(first.refreshToken()), 401, "invalid_grant");
            assertThat(client.getWithToken("/api/users/480112", second.accessToken()).statusCode()).isEqualTo(200);
            assertThat(sandbox.tokens().isAccessTokenValid(other.accessToken()))
                    .as("another user's tokens are untouched")
                    .isTrue();
        }

        @Test
        @DisplayName("does the same for a pair issued without the browser")
        void issuedPairs() {
            TokenPair first = sandbox.tokens().issue("jhollis");

            TokenPair second = sandbox.tokens().issue("jhollis");

            assertThat(sandbox.tokens().isAccessTokenValid(first.accessToken())).isFalse();
            assertThat(sandbox.tokens().isRefreshTokenValid(first.refreshToken())).isFalse();
            assertThat(sandbox.tokens().isAccessTokenValid(second.accessToken())).isTrue();
            assertThat(second.expiresIn()).isEqualTo(172800);
            assertThat(second.scope()).isEqualTo(String.join(" ", Scopes.ALL));
        }
    }

    @Nested
    @DisplayName("with short-lived access tokens")
    class Expiry {

        @Test
        @DisplayName("reports the configured lifetime and lets the token lapse")
        void lifetime() throws InterruptedException {
            sandbox.stop();
            sandbox = SandboxClient.defaultSandbox().accessTokenLifetime(Duration.ofSeconds(1)).build().start();
            client = new SandboxClient(sandbox);
            TokenPair tokens = client.login("jhollis");
            assertThat(tokens.expiresIn()).isEqualTo(1);

            Thread.sleep(1100);

            assertThat(client.getWithToken("/api/users/480112", tokens.accessToken()).statusCode()).isEqualTo(401);
            assertThat(client.refresh(tokens.refreshToken()).statusCode()).isEqualTo(200);
        }

        @Test
        @DisplayName("expires every access token on demand, leaving refresh tokens usable")
        void expireOnDemand() {
            TokenPair tokens = client.login("jhollis");

            sandbox.tokens().expireAccessTokens();

            assertThat(client.getWithToken("/api/users/480112", tokens.accessToken()).statusCode()).isEqualTo(401);
            assertThat(sandbox.tokens().isRefreshTokenValid(tokens.refreshToken())).isTrue();
        }
    }
}
