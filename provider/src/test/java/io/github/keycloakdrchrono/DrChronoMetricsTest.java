package io.github.keycloakdrchrono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.keycloakdrchrono.drchrono.DrChronoClient;
import io.github.keycloakdrchrono.drchrono.DrChronoException;
import io.github.keycloakdrchrono.sandbox.DrChronoSandbox;

@DisplayName("The DrChrono metrics")
class DrChronoMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void switchOff() {
        DrChronoMetrics.publishTo(null);
    }

    @Nested
    @DisplayName("given Keycloak's metrics are off")
    class Off {

        @Test
        @DisplayName("then recording registers nothing anywhere")
        void nothing() {
            DrChronoMetrics.publishTo(null);

            DrChronoMetrics.login("success");
            DrChronoMetrics.refresh("success");
            DrChronoMetrics.handOut("broker", "served");
            DrChronoMetrics.drChronoCall("token", 200, false, 1_000_000);

            assertThat(registry.getMeters()).isEmpty();
        }
    }

    @Nested
    @DisplayName("given Keycloak's metrics are on")
    class On {

        @Test
        @DisplayName("then logins, refreshes and hand-outs count by outcome, each in its own series")
        void counters() {
            DrChronoMetrics.publishTo(registry);

            DrChronoMetrics.login("success");
            DrChronoMetrics.login("success");
            DrChronoMetrics.login("drchrono_timeout");
            DrChronoMetrics.refresh("drchrono_grant_rejected");
            DrChronoMetrics.handOut("service", "served");
            DrChronoMetrics.handOut("broker", "served");
            DrChronoMetrics.handOut("broker", "busy");

            assertThat(registry.get("drchrono.logins").tag("outcome", "success").counter().count()).isEqualTo(2.0);
            assertThat(registry.get("drchrono.logins").tag("outcome", "drchrono_timeout").counter().count())
                    .isEqualTo(1.0);
            assertThat(registry.get("drchrono.token.refreshes").tag("outcome", "drchrono_grant_rejected").counter()
                    .count()).isEqualTo(1.0);
            assertThat(registry.get("drchrono.token.handouts").tags("via", "broker", "outcome", "served").counter()
                    .count()).isEqualTo(1.0);
            assertThat(registry.get("drchrono.token.handouts").tags("via", "broker", "outcome", "busy").counter()
                    .count()).isEqualTo(1.0);
            assertThat(registry.get("drchrono.token.handouts").tags("via", "service", "outcome", "served").counter()
                    .count()).isEqualTo(1.0);
        }

        @Test
        @DisplayName("then a call to DrChrono is timed by endpoint and status class, with no URL or id in any tag")
        void timer() throws Exception {
            DrChronoMetrics.publishTo(registry);
            try (DrChronoSandbox sandbox = DrChronoSandbox.builder().client("unit", "unit-secret", "http://x/cb")
                    .withDemoUsers().build().start();
                    CloseableHttpClient http = HttpClients.createDefault()) {
                DrChronoClient client = new DrChronoClient(http, new DrChronoClient.Settings(
                        URI.create(sandbox.tokenUrl()), URI.create(sandbox.revocationUrl()),
                        URI.create(sandbox.apiUrl()), "unit", "unit-secret", false, 1_000, 2_000));
                String token = sandbox.tokens().issue("unit", "jhollis", "user:read").accessToken();

                client.currentUser(token);
                assertThatThrownBy(() -> client.refresh("not-a-refresh-token")).isInstanceOf(DrChronoException.class);
            }

            // users/current answers 302 first, then the user: two calls, both under the endpoint's name.
            Timer redirect = registry.get("drchrono.requests").tags("endpoint", "users/current", "status", "3xx")
                    .timer();
            Timer user = registry.get("drchrono.requests").tags("endpoint", "users/current", "status", "2xx").timer();
            Timer refused = registry.get("drchrono.requests").tags("endpoint", "token refresh", "status", "4xx")
                    .timer();
            assertThat(redirect.count()).isEqualTo(1);
            assertThat(user.count()).isEqualTo(1);
            assertThat(refused.count()).isEqualTo(1);
            assertThat(user.totalTime(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(registry.getMeters()).allSatisfy(meter -> assertThat(meter.getId().getTags())
                    .allSatisfy(tag -> assertThat(tag.getValue()).doesNotContain("/api/", "480112", "http")));
        }

        @ParameterizedTest(name = "status {0}, timed out {1}: {2}")
        @CsvSource({"200, false, 2xx", "302, false, 3xx", "429, false, 4xx", "503, false, 5xx",
                "0, false, no_answer", "0, true, timeout", "200, true, timeout"})
        @DisplayName("then statuses fall into a handful of classes")
        void statusClasses(int status, boolean timedOut, String expected) {
            assertThat(DrChronoMetrics.statusClass(status, timedOut)).isEqualTo(expected);
        }
    }
}
