package io.github.keycloakdrchrono.token;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.keycloakdrchrono.drchrono.TokenResponse;

@DisplayName("The stored token")
class StoredTokenTest {

    private static final long NOW = 1_800_000_000L;
    private static final TokenResponse ISSUED = new TokenResponse("A".repeat(30), "Bearer", 172_800L, "R".repeat(30),
            "user:read");

    @Nested
    @DisplayName("given tokens stored in plain text by stock Keycloak or an earlier version")
    class Legacy {

        @Test
        @DisplayName("then Keycloak's OAuthResponse JSON reads, expiry included")
        void stockFormat() {
            StoredToken token = StoredToken.parse("{\"access_token\":\"abc\",\"expires_in\":172800,"
                    + "\"refresh_token\":\"def\",\"token_type\":\"Bearer\",\"scope\":\"user:read\","
                    + "\"accessTokenExpiration\":" + (NOW + 100) + ",\"id_token\":null}");

            assertThat(token.accessToken()).isEqualTo("abc");
            assertThat(token.refreshToken()).isEqualTo("def");
            assertThat(token.remainingSeconds(NOW)).isEqualTo(100L);
            assertThat(token.needsRefresh(NOW, 300)).isTrue();
            assertThat(token.needsRefresh(NOW, 60)).isFalse();
        }

        @ParameterizedTest(name = "stored value \"{0}\"")
        @ValueSource(strings = {"", "null", "[]", "{}", "{\"access_token\": 5}", "access_token=abc&expires_in=3",
            "{\"access_token\": \"   \"}"})
        @DisplayName("then anything without an access token is unreadable (null), not an exception")
        void unreadable(String stored) {
            assertThat(StoredToken.parse(stored)).isNull();
        }
    }

    @Nested
    @DisplayName("given a refresh")
    class Refresh {

        @Test
        @DisplayName("then a rotated refresh token replaces the old one")
        void rotation() {
            StoredToken before = StoredToken.issued(ISSUED, NOW);

            StoredToken after = before.refreshedWith(new TokenResponse("B".repeat(30), "Bearer", 172_800L,
                    "S".repeat(30), null), NOW + 10);

            assertThat(after.refreshToken()).isEqualTo("S".repeat(30));
            assertThat(after.scope()).as("kept when the answer omits it").isEqualTo("user:read");
            assertThat(after.remainingSeconds(NOW + 10)).isEqualTo(172_800L);
        }

        @Test
        @DisplayName("then without rotation (no refresh token in the answer) the one we had is kept")
        void noRotation() {
            StoredToken after = StoredToken.issued(ISSUED, NOW).refreshedWith(new TokenResponse("B".repeat(30),
                    "Bearer", 172_800L, null, "user:read"), NOW);

            assertThat(after.refreshToken()).isEqualTo("R".repeat(30));
        }
    }

    @Test
    @DisplayName("a reauthentication mark survives a round trip through JSON, and a new login has none")
    void reauthenticationMark() {
        StoredToken marked = StoredToken.issued(ISSUED, NOW).markReauthenticationRequired();

        assertThat(StoredToken.parse(marked.toJson()).reauthenticationRequired()).isTrue();
        assertThat(StoredToken.parse(StoredToken.issued(ISSUED, NOW).toJson()).reauthenticationRequired()).isFalse();
    }

    @Test
    @DisplayName("toString names no token")
    void toStringIsSafe() {
        assertThat(StoredToken.issued(ISSUED, NOW).toString()).doesNotContain("AAAA", "RRRR");
    }
}
