package io.github.keycloakdrchrono.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The sandbox's command line")
class SandboxMainTest {

    @Nested
    @DisplayName("given no options")
    class GivenNoOptions {

        @Test
        @DisplayName("registers the demo client and prints the endpoints and demo users")
        void defaults() {
            SandboxMain.Options options = SandboxMain.Options.parse("--port", "0");

            try (DrChronoSandbox sandbox = options.builder().build().start()) {
                String banner = SandboxMain.banner(sandbox, options.usesDefaultClient());

                assertThat(options.usesDefaultClient()).isTrue();
                assertThat(banner)
                        .contains("DrChrono sandbox listening on " + sandbox.baseUrl())
                        .contains("Client keycloak / sandbox-secret redirecting to " + SandboxMain.DEFAULT_REDIRECT_URI)
                        .contains("jhollis", "480112", "María Reyes", "kpatel")
                        .doesNotContain("lortiz");
                TokenPair tokens = sandbox.tokens().issue("jhollis");
                assertThat(tokens.expiresIn()).isEqualTo(172800);
            }
        }
    }

    @Nested
    @DisplayName("given options")
    class GivenOptions {

        @Test
        @DisplayName("takes clients whose redirect URI has colons, no rotation and a token lifetime")
        void options() {
            SandboxMain.Options options = SandboxMain.Options.parse("--port", "0", "--host", "127.0.0.1",
                    "--client", "app:s3cret:https://app.example:8443/cb", "--no-rotation",
                    "--access-token-lifetime", "60");

            try (DrChronoSandbox sandbox = options.builder().build().start()) {
                SandboxClient client = new SandboxClient(sandbox);
                TokenPair first = sandbox.tokens().issue("jhollis");
                TokenPair second = SandboxClient.pair(client.post("/o/token/", Map.of(
                        "grant_type", "refresh_token", "refresh_token", first.refreshToken(),
                        "client_id", "app", "client_secret", "s3cret")));

                assertThat(options.usesDefaultClient()).isFalse();
                assertThat(first.expiresIn()).isEqualTo(60);
                assertThat(second.refreshToken()).isEqualTo(first.refreshToken());
            }
        }

        @Test
        @DisplayName("rejects unknown options and malformed values")
        void rejects() {
            assertThatThrownBy(() -> SandboxMain.Options.parse("--bogus"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--bogus");
            assertThatThrownBy(() -> SandboxMain.Options.parse("--client", "only-id"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> SandboxMain.Options.parse("--port"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> SandboxMain.Options.parse("--port", "x"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
