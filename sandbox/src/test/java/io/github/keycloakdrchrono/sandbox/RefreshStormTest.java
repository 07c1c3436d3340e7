package io.github.keycloakdrchrono.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("A storm of 30 concurrent refreshes with one refresh token")
class RefreshStormTest {

    private static final int STORM = 30;

    private DrChronoSandbox sandbox;

    @AfterEach
    void stop() {
        sandbox.stop();
    }

    private List<HttpResponse<String>> storm(boolean rotation) {
        sandbox = SandboxClient.defaultSandbox().refreshTokenRotation(rotation).build().start();
        // The latency holds every refresh outside the token lock, so all 30 are in flight at once.
        sandbox.faults().refreshLatency(Duration.ofMillis(300));
        SandboxClient client = new SandboxClient(sandbox);
        String refreshToken = client.login("jhollis").refreshToken();
        HttpRequest request = client.request("/o/token/")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(SandboxClient.encode(Map.of(
                        "grant_type", "refresh_token", "refresh_token", refreshToken,
                        "client_id", SandboxClient.CLIENT_ID, "client_secret", SandboxClient.SECRET))))
                .build();

        List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, STORM)
                .mapToObj(i -> client.http().sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .toList();
        return calls.stream().map(CompletableFuture::join).toList();
    }

    @Nested
    @DisplayName("with rotation on")
    class WithRotation {

        @Test
        @DisplayName("yields exactly one success and 29 invalid_grant answers")
        void exactlyOneWinner() {
            List<HttpResponse<String>> responses = storm(true);

            assertThat(responses).filteredOn(response -> response.statusCode() == 200).hasSize(1);
            assertThat(responses).filteredOn(response -> response.statusCode() == 401)
                    .hasSize(STORM - 1)
                    .allSatisfy(response -> assertThat(SandboxClient.json(response).get("error").asText())
                            .isEqualTo("invalid_grant"));
            assertThat(sandbox.counters().get(Endpoint.TOKEN_REFRESH)).isEqualTo(STORM);
            assertThat(sandbox.counters().successfulRefreshes()).isEqualTo(1);
        }
    }

    @Nested
    @DisplayName("with rotation off")
    class WithoutRotation {

        @Test
        @DisplayName("answers every refresh, and exactly one of the new access tokens stays valid")
        void oneSurvivingAccessToken() {
            List<HttpResponse<String>> responses = storm(false);

            assertThat(responses).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
            assertThat(responses.stream()
                    .map(response -> SandboxClient.pair(response).accessToken())
                    .filter(sandbox.tokens()::isAccessTokenValid))
                    .hasSize(1);
            assertThat(sandbox.counters().successfulRefreshes()).isEqualTo(STORM);
        }
    }
}
