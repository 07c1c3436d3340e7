package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.github.keycloakdrchrono.sandbox.Endpoint;
import io.github.keycloakdrchrono.sandbox.Fault;
import io.github.keycloakdrchrono.sandbox.TokenPair;
import io.github.keycloakdrchrono.testkit.Browser;

/**
 * Keycloak's log, with our code at TRACE, after logins that succeed and fail and token hand-outs that refresh:
 * no DrChrono token, authorization code, {@code state}, client secret or profile body in it.
 */
@DisplayName("The server log")
class LogHygieneIT {

    @AfterEach
    void resetSandbox() {
        TestEnvironment.get().sandbox.reset();
    }

    @Test
    @DisplayName("holds no token, code, state, secret or profile value from a day of DrChrono traffic")
    void noSecrets() {
        List<String> secrets = new ArrayList<>();
        try (TestRealm realm = TestRealm.create()) {
            secrets.add(realm.name + "-secret");
            Browser browser = new Browser();

            TokenPair pair = KnownTokens.nextCodeExchange(realm.env.sandbox, realm.name, "jhollis", 60);
            Browser.Page landed = realm.signIn(browser, "jhollis");
            secrets.add(pair.accessToken());
            secrets.add(pair.refreshToken());
            String appToken = realm.appTokens(landed.param("code")).path("access_token").asText();
            JsonNode refreshed = TestRealm.read(realm.brokerToken(appToken).body());
            secrets.add(refreshed.path("access_token").asText());

            // Failing paths log the most: a refused refresh, a DrChrono outage, a refused code.
            realm.env.sandbox.faults().next(Endpoint.TOKEN_CODE, Fault.json(401, "{\"error\": \"invalid_grant\"}"));
            Browser failing = new Browser();
            realm.signIn(failing, "kpatel");
            realm.env.sandbox.faults().next(Endpoint.USER, Fault.malformedJson());
            realm.signIn(failing, "tnguyen");
            realm.admin().delete("/admin/realms/" + realm.name + "/users/" + realm.user("jhollis").path("id").asText()
                    + "/federated-identity/drchrono");

            for (Browser b : List.of(browser, failing)) {
                for (URI url : b.visited()) {
                    secrets.addAll(params(url, "code"));
                    secrets.addAll(params(url, "state"));
                }
            }
            secrets.add("\"first_name\": \"Kiran\"");
            secrets.add("390240, \"permissions\"");
        }

        String log = read(TestEnvironment.get().keycloak.logFile());

        assertThat(log).as("the log is being written, with our TRACE output").contains("io.github.keycloakdrchrono");
        assertThat(secrets).as("codes and states were seen").hasSizeGreaterThan(8);
        for (String secret : secrets) {
            assertThat(log).as("log must not contain a secret of length %d", secret.length()).doesNotContain(secret);
        }
    }

    private static List<String> params(URI url, String name) {
        List<String> values = new ArrayList<>();
        String query = url.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith(name + "=")) {
                    String value = URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
                    // Keycloak's state is "<session>.<tab>.<client>[.<data>]"; each part is secret enough alone.
                    for (String part : value.split("\\.")) {
                        if (part.length() >= 10) {
                            values.add(part);
                        }
                    }
                }
            }
        }
        return values;
    }

    private static String read(java.nio.file.Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
