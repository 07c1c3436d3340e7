package io.github.keycloakdrchrono.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("A sandbox")
class SandboxLifecycleTest {

    @Nested
    @DisplayName("starting")
    class Starting {

        @Test
        @DisplayName("binds an ephemeral port on 127.0.0.1 and serves OAuth and API from one base URL")
        void urls() {
            try (DrChronoSandbox sandbox = SandboxClient.defaultSandbox().build().start()) {
                assertThat(sandbox.port()).isPositive();
                assertThat(sandbox.baseUrl()).isEqualTo("http://127.0.0.1:" + sandbox.port());
                assertThat(sandbox.apiUrl()).isEqualTo(sandbox.baseUrl());
                assertThat(sandbox.tokenUrl()).isEqualTo(sandbox.baseUrl() + "/o/token/");
                assertThat(new SandboxClient(sandbox).get("/").body()).contains("/o/authorize/", "jhollis");
            }
        }

        @Test
        @DisplayName("serves the demo practice when no user is added, and only the added users otherwise")
        void users() {
            SandboxUser solo = SandboxUser.doctor(1, "solo", 2).build();
            try (DrChronoSandbox demo = DrChronoSandbox.builder().build();
                    DrChronoSandbox custom = DrChronoSandbox.builder().user(solo).build()) {
                assertThat(demo.users().list()).extracting(SandboxUser::username)
                        .containsExactly("jhollis", "mreyes", "dnoemail", "kpatel", "tnguyen", "lortiz",
                                "swhitaker", "praman", "ofitzgerald");
                assertThat(custom.users().list()).containsExactly(solo);
            }
        }

        @Test
        @DisplayName("refuses to read its URL before it started")
        void notStarted() {
            DrChronoSandbox sandbox = SandboxClient.defaultSandbox().build();

            assertThatThrownBy(sandbox::baseUrl).isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    @DisplayName("resetting")
    class Resetting {

        @Test
        @DisplayName("drops tokens, faults and counts, and restores the users it was built with")
        void reset() {
            try (DrChronoSandbox sandbox = SandboxClient.defaultSandbox().build().start()) {
                SandboxClient client = new SandboxClient(sandbox);
                TokenPair tokens = client.login("jhollis");
                sandbox.faults().always(Endpoint.STAFF, Fault.serverError());
                sandbox.users().update("jhollis", user -> user.email(""));
                sandbox.users().remove("kpatel");

                sandbox.reset();

                assertThat(sandbox.tokens().isRefreshTokenValid(tokens.refreshToken())).isFalse();
                assertThat(sandbox.counters().get(Endpoint.AUTHORIZE)).isZero();
                assertThat(sandbox.users().get("jhollis").email()).isEqualTo("jordan.hollis@example.org");
                assertThat(sandbox.users().find("kpatel")).isPresent();
                String token = sandbox.tokens().issue("kpatel").accessToken();
                HttpResponse<String> staff = client.getWithToken("/api/staff", token);
                assertThat(staff.statusCode()).isEqualTo(200);
            }
        }
    }

    @Nested
    @DisplayName("managing users")
    class Users {

        @Test
        @DisplayName("keeps a username fixed on update, since tokens refer to it")
        void usernameFixed() {
            DrChronoSandbox sandbox = DrChronoSandbox.builder().build();

            assertThatThrownBy(() -> sandbox.users().update("jhollis", user -> user.username("other")))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("refuses a second account with the same username or id")
        void duplicates() {
            DrChronoSandbox sandbox = DrChronoSandbox.builder().build();

            assertThatThrownBy(() -> sandbox.users().add(SandboxUser.doctor(1, "jhollis", 9).build()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> sandbox.users().add(SandboxUser.doctor(480112, "new", 9).build()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
