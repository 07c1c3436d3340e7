package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.github.keycloakdrchrono.sandbox.Endpoint;
import io.github.keycloakdrchrono.sandbox.Fault;
import io.github.keycloakdrchrono.testkit.Browser;

/**
 * Keycloak's own {@code /metrics} on the management port (the launcher starts Keycloak with
 * {@code metrics-enabled=true}), read as Prometheus would. The server is shared and test classes run one after the
 * other, so each test compares the counters before and after what it does.
 */
@DisplayName("Keycloak's metrics endpoint")
class MetricsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static TestRealm realm;

    @BeforeAll
    static void createRealm() {
        realm = TestRealm.create();
    }

    @AfterAll
    static void dropRealm() {
        realm.close();
    }

    @Nested
    @DisplayName("given a doctor signs in with DrChrono and an app then asks for the DrChrono token, due for refresh")
    class LoginAndHandOut {

        @Test
        @DisplayName("then the login, the hand-out, the refresh and each DrChrono call count once, with no realm "
                + "or user in any series")
        void countsOnce() {
            Scrape before = Scrape.now();
            KnownTokens.nextCodeExchange(realm.env.sandbox, realm.name, "jhollis", 60);
            Browser.Page landed = realm.signIn(new Browser(), "jhollis");
            String appToken = realm.appTokens(landed.param("code")).path("access_token").asText();

            HttpResponse<String> handOut = realm.brokerToken(appToken);
            Scrape after = Scrape.now();

            assertThat(handOut.statusCode()).as(handOut.body()).isEqualTo(200);
            assertThat(after.minus(before, "drchrono_logins_total", "outcome", "success")).isEqualTo(1.0);
            assertThat(after.minus(before, "drchrono_token_handouts_total", "via", "broker", "outcome", "served"))
                    .isEqualTo(1.0);
            assertThat(after.minus(before, "drchrono_token_refreshes_total", "outcome", "success")).isEqualTo(1.0);
            assertThat(after.minus(before, "drchrono_requests_seconds_count", "endpoint", "token", "status", "2xx"))
                    .isEqualTo(1.0);
            assertThat(after.minus(before, "drchrono_requests_seconds_count", "endpoint", "users/current",
                    "status", "3xx")).isEqualTo(1.0);
            assertThat(after.minus(before, "drchrono_requests_seconds_count", "endpoint", "doctors", "status",
                    "2xx")).isEqualTo(1.0);
            assertThat(after.minus(before, "drchrono_requests_seconds_count", "endpoint", "token refresh",
                    "status", "2xx")).isEqualTo(1.0);
            assertThat(after.value("drchrono_requests_seconds_sum", "endpoint", "token refresh", "status", "2xx"))
                    .isPositive();
            String userId = realm.user("jhollis").path("id").asText();
            assertThat(after.drChronoLines()).isNotEmpty()
                    .allSatisfy(line -> assertThat(line).doesNotContain(realm.name, userId, "jhollis", "480112"));
        }
    }

    @Nested
    @DisplayName("given DrChrono fails during a sign-in")
    class FailedLogin {

        @Test
        @DisplayName("then the login counts under the reason its event names, and the call under its status class")
        void countsTheReason() {
            Scrape before = Scrape.now();
            realm.env.sandbox.faults().next(Endpoint.TOKEN_CODE, Fault.serverError());

            Browser.Page page = realm.signIn(new Browser(), "kpatel");
            Scrape after = Scrape.now();

            assertThat(page.status()).isEqualTo(503);
            assertThat(after.minus(before, "drchrono_logins_total", "outcome", "drchrono_unavailable")).isEqualTo(1.0);
            assertThat(after.minus(before, "drchrono_logins_total", "outcome", "success")).isEqualTo(0.0);
            assertThat(after.minus(before, "drchrono_requests_seconds_count", "endpoint", "token", "status", "5xx"))
                    .isEqualTo(1.0);
        }
    }

    @Nested
    @DisplayName("given a backend without a bearer token asks the service endpoint")
    class RefusedHandOut {

        @Test
        @DisplayName("then the hand-out counts as refused")
        void refused() throws Exception {
            Scrape before = Scrape.now();

            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(realm.env.keycloak.baseUrl()
                    + "/realms/" + realm.name + "/drchrono/drchrono/users/someone/token")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            Scrape after = Scrape.now();

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(after.minus(before, "drchrono_token_handouts_total", "via", "service", "outcome", "refused"))
                    .isEqualTo(1.0);
        }
    }

    /** One reading of {@code /metrics}: each sample line as name, labels and value. */
    private record Scrape(List<String> lines) {

        private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

        static Scrape now() {
            HttpResponse<String> response = TestHttp.send(HttpRequest.newBuilder(URI.create(
                    realm.env.keycloak.managementUrl() + "/metrics")).GET().build());
            assertThat(response.statusCode()).isEqualTo(200);
            return new Scrape(response.body().lines().toList());
        }

        List<String> drChronoLines() {
            return lines.stream().filter(line -> line.contains("drchrono_")).toList();
        }

        /** The sample with this name whose labels include the given pairs; 0 when there is none yet. */
        double value(String name, String... labelPairs) {
            Map<String, String> wanted = new LinkedHashMap<>();
            for (int i = 0; i < labelPairs.length; i += 2) {
                wanted.put(labelPairs[i], labelPairs[i + 1]);
            }
            List<Double> found = new ArrayList<>();
            for (String line : lines) {
                Matcher sample = SAMPLE.matcher(line);
                if (line.startsWith("#") || !sample.matches() || !sample.group(1).equals(name)) {
                    continue;
                }
                Map<String, String> labels = new LinkedHashMap<>();
                Matcher label = LABEL.matcher(sample.group(3) == null ? "" : sample.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
                if (labels.entrySet().containsAll(wanted.entrySet())) {
                    found.add(Double.parseDouble(sample.group(4)));
                }
            }
            assertThat(found).as("series %s %s", name, wanted).hasSizeLessThanOrEqualTo(1);
            return found.isEmpty() ? 0.0 : found.get(0);
        }

        double minus(Scrape before, String name, String... labelPairs) {
            return value(name, labelPairs) - before.value(name, labelPairs);
        }
    }
}
