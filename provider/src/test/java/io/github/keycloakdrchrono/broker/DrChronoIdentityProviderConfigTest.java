package io.github.keycloakdrchrono.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("DrChrono provider configuration")
class DrChronoIdentityProviderConfigTest {

    private static DrChronoIdentityProviderConfig config(String baseUrl, String apiUrl) {
        DrChronoIdentityProviderConfig config = new DrChronoIdentityProviderConfig();
        if (baseUrl != null) {
            config.getConfig().put(DrChronoIdentityProviderConfig.BASE_URL_KEY, baseUrl);
        }
        if (apiUrl != null) {
            config.getConfig().put(DrChronoIdentityProviderConfig.API_URL_KEY, apiUrl);
        }
        return config;
    }

    @Nested
    @DisplayName("given no URLs")
    class Defaults {

        @Test
        @DisplayName("then every endpoint is DrChrono's documented one")
        void drChronoEndpoints() {
            DrChronoIdentityProviderConfig config = config(null, null);

            assertThat(config.getAuthorizationUrl()).isEqualTo("https://drchrono.com/o/authorize/");
            assertThat(config.getTokenUrl()).isEqualTo("https://drchrono.com/o/token/");
            assertThat(config.getRevokeUrl()).isEqualTo("https://drchrono.com/o/revoke_token/");
            assertThat(config.getUserInfoUrl()).isEqualTo("https://app.drchrono.com/api/users/current");
        }

        @Test
        @DisplayName("then the scope is user:read, never empty (DrChrono would ask for every scope)")
        void scope() {
            DrChronoIdentityProviderConfig config = config(null, null);
            assertThat(config.getDefaultScope()).isEqualTo("user:read");

            config.setDefaultScope("  ");
            assertThat(config.getDefaultScope()).isEqualTo("user:read");

            config.setDefaultScope(" user:read calendar:read ");
            assertThat(config.getDefaultScope()).isEqualTo("user:read calendar:read");
        }

        @Test
        @DisplayName("then timeouts are 5 s to connect and 10 s to read, and the record is fetched")
        void timeouts() {
            DrChronoIdentityProviderConfig config = config(null, null);

            assertThat(config.getConnectTimeoutMillis()).isEqualTo(5_000);
            assertThat(config.getReadTimeoutMillis()).isEqualTo(10_000);
            assertThat(config.isFetchRecord()).isTrue();
        }
    }

    @ParameterizedTest(name = "base {0} and api {1} give {2} and {3}")
    @CsvSource({
        "http://127.0.0.1:8099,      http://127.0.0.1:8099,      http://127.0.0.1:8099/o/token/,  http://127.0.0.1:8099/api/users/current",
        "http://127.0.0.1:8099/,     http://127.0.0.1:8099/api,  http://127.0.0.1:8099/o/token/,  http://127.0.0.1:8099/api/users/current",
        "https://sandbox.test//,     https://api.test/api/,      https://sandbox.test/o/token/,   https://api.test/api/users/current",
        "https://sandbox.test/proxy, https://api.test/v/API,     https://sandbox.test/proxy/o/token/, https://api.test/v/api/users/current",
    })
    @DisplayName("URLs are normalised once: trailing slashes and a trailing /api never double a path segment")
    void normalisation(String base, String api, String token, String profile) {
        DrChronoIdentityProviderConfig config = config(base, api);

        assertThat(config.getTokenUrl()).isEqualTo(token);
        assertThat(config.getUserInfoUrl()).isEqualTo(profile);
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @CsvSource({"ftp://drchrono.com", "drchrono.com", "https://drchrono.com/?x=1", "https://drchrono.com/#f", "http://"})
    @DisplayName("a URL that is not absolute http(s) without query is refused with its value in the message")
    void badUrls(String url) {
        DrChronoIdentityProviderConfig config = config(url, null);

        assertThatThrownBy(config::getTokenUrl).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(url);
    }

    @ParameterizedTest(name = "timeout \"{0}\" is refused")
    @CsvSource({"0", "-5", "60001", "ten", "1.5"})
    @DisplayName("timeouts outside 1..60000 ms are refused")
    void badTimeouts(String value) {
        DrChronoIdentityProviderConfig config = config(null, null);
        config.getConfig().put(DrChronoIdentityProviderConfig.READ_TIMEOUT_KEY, value);

        assertThatThrownBy(config::getReadTimeoutMillis).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("readTimeoutMillis");
    }
}
