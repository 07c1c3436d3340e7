package io.github.keycloakdrchrono.sandbox;

import static io.github.keycloakdrchrono.sandbox.SandboxClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The revocation endpoint")
class RevocationTest {

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
    @DisplayName("when live (the default)")
    class Live {

        @Test
        @DisplayName("revokes a refresh token together with its access token, answering 200 with an empty body")
        void refreshToken() {
            TokenPair tokens = client.login("jhollis");

            HttpResponse<String> response = client.revoke(tokens.refreshToken());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEmpty();
            assertThat(sandbox.tokens().isRefreshTokenValid(tokens.refreshToken())).isFalse();
            assertThat(client.getWithToken("/api/users/480112", tokens.accessToken()).statusCode()).isEqualTo(401);
        }

        @Test
        @DisplayName("revokes an access token alone, leaving the refresh token usable")
        void accessToken() {
            TokenPair tokens = client.login("jhollis");

            HttpResponse<String> response = client.revoke(tokens.accessToken());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(sandbox.tokens().isAccessTokenValid(tokens.accessToken())).isFalse();
            assertThat(client.refresh(tokens.refreshToken()).statusCode()).isEqualTo(200);
        }

        @Test
        @DisplayName("answers 200 for a token it never issued")
        void unknownToken() {
            assertThat(client.revoke("NoSuchTokenNoSuchTokenNoSuchTo").statusCode()).isEqualTo(200);
        }

        @Test
        @DisplayName("answers invalid_request with 400 without a token")
        void missingToken() {
            HttpResponse<String> response = client.post("/o/revoke_token/",
                    Map.of("client_id", SandboxClient.CLIENT_ID, "client_secret", SandboxClient.SECRET));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response).get("error").asText()).isEqualTo("invalid_request");
        }

        @Test
        @DisplayName("answers invalid_client with 401 for bad client credentials and revokes nothing")
        void badClient() {
            TokenPair tokens = client.login("jhollis");

            HttpResponse<String> response = client.post("/o/revoke_token/", Map.of("token", tokens.refreshToken(),
                    "client_id", SandboxClient.CLIENT_ID, "client_secret", "wrong"));

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(json(response).get("error").asText()).isEqualTo("invalid_client");
            assertThat(sandbox.tokens().isRefreshTokenValid(tokens.refreshToken())).isTrue();
        }

        @Test
        @DisplayName("accepts HTTP Basic client authentication")
        void basic() {
            TokenPair tokens = client.login("jhollis");

            HttpResponse<String> response = client.post("/o/revoke_token/",
                    Map.of("token", tokens.refreshToken(), "token_type_hint", "refresh_token"),
                    "Authorization", SandboxClient.basic(SandboxClient.CLIENT_ID, SandboxClient.SECRET));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(sandbox.tokens().isRefreshTokenValid(tokens.refreshToken())).isFalse();
        }
    }

    @Nested
    @DisplayName("when switched off")
    class Off {

        @Test
        @DisplayName("answers 404 and revokes nothing, as if DrChrono did not serve the path")
        void notFound() {
            sandbox.stop();
            sandbox = SandboxClient.defaultSandbox().revocationEndpointLive(false).build().start();
            client = new SandboxClient(sandbox);
            TokenPair tokens = client.login("jhollis");

            HttpResponse<String> response = client.revoke(tokens.refreshToken());

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(sandbox.tokens().isRefreshTokenValid(tokens.refreshToken())).isTrue();
            assertThat(sandbox.counters().get(Endpoint.REVOKE)).isEqualTo(1);
        }
    }
}
