package io.github.keycloakdrchrono.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Redirect URI rules")
class RedirectUrisTest {

    @Nested
    @DisplayName("matching a requested URI against a registered one")
    class Matching {

        @ParameterizedTest(name = "{0} against {1} -> {2}")
        @CsvSource({
            "https://app.example/cb,                  https://app.example/cb,          true",
            "https://app.example/cb?x=1,              https://app.example/cb,          true",
            "https://app.example/cb?x=1&t=a,          https://app.example/cb?t=a,      true",
            "https://app.example/cb?t=b,              https://app.example/cb?t=a,      false",
            "https://app.example/cb/,                 https://app.example/cb,          false",
            "http://app.example/cb,                   https://app.example/cb,          false",
            "https://app.example:8443/cb,             https://app.example/cb,          false",
            "https://app.example:443/cb,              https://app.example/cb,          false",
            "https://other.example/cb,                https://app.example/cb,          false",
            "HTTPS://app.example/cb,                  https://app.example/cb,          true",
            "https://app.example/CB,                  https://app.example/cb,          false",
            "not a uri,                               https://app.example/cb,          false",
        })
        void matches(String requested, String registered, boolean expected) {
            assertThat(RedirectUris.matches(requested, registered)).isEqualTo(expected);
        }
    }

    @Nested
    @DisplayName("building the redirect back to the client")
    class Building {

        @Test
        @DisplayName("appends to an existing query, encodes values and leaves out absent ones")
        void appends() {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("code", "abc");
            params.put("state", null);
            params.put("error_description", "a b&c");

            assertThat(RedirectUris.withParams("https://app.example/cb?t=a", params))
                    .isEqualTo("https://app.example/cb?t=a&code=abc&error_description=a+b%26c");
        }
    }
}
