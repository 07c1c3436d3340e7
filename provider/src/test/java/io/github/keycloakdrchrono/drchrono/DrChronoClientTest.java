package io.github.keycloakdrchrono.drchrono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.github.keycloakdrchrono.drchrono.DrChronoException.Reason;
import io.github.keycloakdrchrono.sandbox.DrChronoSandbox;
import io.github.keycloakdrchrono.sandbox.Endpoint;
import io.github.keycloakdrchrono.sandbox.Fault;
import io.github.keycloakdrchrono.sandbox.SandboxUser;
import io.github.keycloakdrchrono.sandbox.TokenPair;

@DisplayName("The DrChrono client, against the sandbox")
class DrChronoClientTest {

    private static final String CLIENT_ID = "unit";
    private static final String SECRET = "unit-secret";
    private static final String REDIRECT = "http://localhost:8080/realms/r/broker/drchrono/endpoint";

    private static DrChronoSandbox sandbox;
    private static DrChronoSandbox otherHost;
    private static CloseableHttpClient http;

    @BeforeAll
    static void start() {
        sandbox = DrChronoSandbox.builder().client(CLIENT_ID, SECRET, REDIRECT).withDemoUsers().build().start();
        otherHost = DrChronoSandbox.builder().withDemoUsers().build().start();
        // Apache HttpClient's default follows redirects and copies headers; the client must switch that off.
        http = HttpClients.createDefault();
    }

    @AfterAll
    static void stop() throws Exception {
        http.close();
        sandbox.stop();
        otherHost.stop();
    }

    @AfterEach
    void reset() {
        sandbox.reset();
        otherHost.reset();
    }

    private static DrChronoClient client(String secret, boolean basic, int readTimeoutMillis) {
        return new DrChronoClient(http, new DrChronoClient.Settings(URI.create(sandbox.tokenUrl()), URI.create(sandbox.revocationUrl()),
                URI.create(sandbox.apiUrl()), CLIENT_ID, secret, basic, 1_000, readTimeoutMillis));
    }

    private static DrChronoClient client() {
        return client(SECRET, false, 2_000);
    }

    private static String accessToken(String username) {
        return sandbox.tokens().issue(CLIENT_ID, username, "user:read").accessToken();
    }

    private static void assertFails(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOf(DrChronoException.class)
                .satisfies(e -> assertThat(((DrChronoException) e).reason()).isEqualTo(reason));
    }

    @Nested
    @DisplayName("refreshing")
    class Refresh {

        @Test
        @DisplayName("with form or Basic client authentication returns a new pair that works")
        void refresh() {
            TokenPair pair = sandbox.tokens().issue(CLIENT_ID, "jhollis", "user:read");

            TokenResponse viaForm = client().refresh(pair.refreshToken());
            TokenResponse viaBasic = client(SECRET, true, 2_000).refresh(viaForm.refreshToken());

            assertThat(viaForm.accessToken()).matches("[A-Za-z0-9]{30}");
            assertThat(viaForm.expiresIn()).isEqualTo(172_800L);
            assertThat(viaForm.scope()).isEqualTo("user:read");
            assertThat(sandbox.tokens().isAccessTokenValid(viaBasic.accessToken())).isTrue();
            assertThat(sandbox.tokens().isRefreshTokenValid(pair.refreshToken())).isFalse();
        }

        @Test
        @DisplayName("with a used refresh token is GRANT_REJECTED with error invalid_grant and status 401")
        void usedRefreshToken() {
            TokenPair pair = sandbox.tokens().issue(CLIENT_ID, "jhollis", "user:read");
            client().refresh(pair.refreshToken());

            assertThatThrownBy(() -> client().refresh(pair.refreshToken()))
                    .isInstanceOfSatisfying(DrChronoException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.GRANT_REJECTED);
                        assertThat(e.oauthError()).isEqualTo("invalid_grant");
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.getMessage()).doesNotContain(pair.refreshToken());
                    });
        }

        @Test
        @DisplayName("with a wrong secret is CLIENT_REJECTED, and the secret is not in the message")
        void wrongSecret() {
            TokenPair pair = sandbox.tokens().issue(CLIENT_ID, "jhollis", "user:read");

            assertThatThrownBy(() -> client("wrong-secret-value", false, 2_000).refresh(pair.refreshToken()))
                    .isInstanceOfSatisfying(DrChronoException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.CLIENT_REJECTED);
                        assertThat(e.getMessage()).doesNotContain("wrong-secret-value");
                    });
        }

        @Test
        @DisplayName("throttled with Retry-After passes the wait on")
        void throttled() {
            sandbox.faults().next(Endpoint.TOKEN_REFRESH, Fault.throttled(37));

            assertThatThrownBy(() -> client().refresh("x"))
                    .isInstanceOfSatisfying(DrChronoException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.THROTTLED);
                        assertThat(e.retryAfterSeconds()).hasValue(37L);
                    });
        }

        @Test
        @DisplayName("throttled without Retry-After reads the wait from DrChrono's message")
        void throttledWithoutHeader() {
            sandbox.faults().next(Endpoint.TOKEN_REFRESH, Fault.json(429,
                    "{\"detail\": \"Request was throttled. Expected available in 12 seconds.\"}"));

            assertThatThrownBy(() -> client().refresh("x")).isInstanceOfSatisfying(DrChronoException.class,
                    e -> assertThat(e.retryAfterSeconds()).hasValue(12L));
        }

        @Test
        @DisplayName("a 200 without access_token, or with one that is not a token, is a bad response")
        void badTokenAnswers() {
            sandbox.faults().next(Endpoint.TOKEN_REFRESH, Fault.json(200, "{\"detail\": \"Request was throttled.\"}"));
            assertFails(() -> client().refresh("x"), Reason.BAD_RESPONSE);

            sandbox.faults().next(Endpoint.TOKEN_REFRESH, Fault.json(200, "{\"access_token\": 42}"));
            assertFails(() -> client().refresh("x"), Reason.BAD_RESPONSE);

            sandbox.faults().next(Endpoint.TOKEN_REFRESH, Fault.json(200, "{\"access_token\": \"a b\"}"));
            assertFails(() -> client().refresh("x"), Reason.BAD_RESPONSE);
        }

        @Test
        @DisplayName("a 503 is UNAVAILABLE and a server that is gone is UNAVAILABLE too")
        void unavailable() {
            sandbox.faults().next(Endpoint.TOKEN_REFRESH, Fault.serverError());
            assertFails(() -> client().refresh("x"), Reason.UNAVAILABLE);

            DrChronoClient nowhere = new DrChronoClient(http, new DrChronoClient.Settings(
                    URI.create("http://127.0.0.1:1/o/token/"), URI.create("http://127.0.0.1:1/o/revoke_token/"),
                    URI.create("http://127.0.0.1:1"), CLIENT_ID, SECRET,
                    false, 1_000, 1_000));
            assertFails(() -> nowhere.refresh("x"), Reason.UNAVAILABLE);
        }
    }

    @Nested
    @DisplayName("reading the current user")
    class CurrentUser {

        @Test
        @DisplayName("follows DrChrono's 302 on the same host with the bearer token")
        void followsRedirect() {
            JsonNode user = client().currentUser(accessToken("jhollis"));

            assertThat(user.path("id").asLong()).isEqualTo(480112L);
            assertThat(sandbox.counters().get(Endpoint.USERS_CURRENT)).isEqualTo(1);
            assertThat(sandbox.counters().get(Endpoint.USER)).isEqualTo(1);
        }

        @Test
        @DisplayName("refuses a redirect to another host, which never sees the token")
        void crossHostRedirect() {
            sandbox.faults().next(Endpoint.USERS_CURRENT,
                    Fault.redirectTo(otherHost.apiUrl() + "/api/users/480112"));

            assertFails(() -> client().currentUser(accessToken("jhollis")), Reason.BAD_RESPONSE);
            assertThat(otherHost.counters().get(Endpoint.USER)).isZero();
        }

        @Test
        @DisplayName("stops a redirect loop after three hops")
        void redirectLoop() {
            sandbox.faults().always(Endpoint.USERS_CURRENT, Fault.redirectTo(sandbox.apiUrl() + "/api/users/current"));

            assertFails(() -> client().currentUser(accessToken("jhollis")), Reason.BAD_RESPONSE);
            assertThat(sandbox.counters().get(Endpoint.USERS_CURRENT)).isEqualTo(4);
        }

        @Test
        @DisplayName("a revoked or expired token is TOKEN_REJECTED (DrChrono's 401 is HTML, not JSON)")
        void expired() {
            String token = accessToken("jhollis");
            sandbox.tokens().expireAccessTokens();

            assertFails(() -> client().currentUser(token), Reason.TOKEN_REJECTED);
        }

        @Test
        @DisplayName("HTML, malformed JSON and bodies over 1 MiB are bad responses")
        void badBodies() {
            String token = accessToken("jhollis");

            sandbox.faults().next(Endpoint.USER, Fault.html());
            assertFails(() -> client().currentUser(token), Reason.BAD_RESPONSE);

            sandbox.faults().next(Endpoint.USER, Fault.malformedJson());
            assertFails(() -> client().currentUser(token), Reason.BAD_RESPONSE);

            sandbox.faults().next(Endpoint.USER, Fault.oversizedBody(5L * 1024 * 1024));
            assertFails(() -> client().currentUser(token), Reason.BAD_RESPONSE);
        }

        @Test
        @DisplayName("an endless body without Content-Length is cut off at 1 MiB, not read to the end")
        void endlessChunkedBody() throws Exception {
            java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
            com.sun.net.httpserver.HttpServer endless = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            endless.createContext("/", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, 0);
                byte[] chunk = ("{\"detail\": \"" + "x".repeat(8 * 1024))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                try (var out = exchange.getResponseBody()) {
                    while (sent.get() < 1024L * 1024 * 1024) {
                        out.write(chunk);
                        sent.addAndGet(chunk.length);
                    }
                } catch (java.io.IOException clientGone) {
                    // what a bounded reader does
                }
            });
            endless.start();
            try {
                URI api = URI.create("http://127.0.0.1:" + endless.getAddress().getPort());
                DrChronoClient client = new DrChronoClient(http, new DrChronoClient.Settings(api, api, api,
                        CLIENT_ID, SECRET, false, 1_000, 5_000));

                assertFails(() -> client.currentUser("token"), Reason.BAD_RESPONSE);
                assertThat(sent.get()).as("bytes the server got out before we hung up")
                        .isLessThan(64L * 1024 * 1024);
            } finally {
                endless.stop(0);
            }
        }

        @Test
        @DisplayName("JSON nested deeper than 32 levels is a bad response, not a stack overflow")
        void deepNesting() {
            String deep = "[".repeat(5_000) + "]".repeat(5_000);
            sandbox.faults().next(Endpoint.USER, Fault.json(200, deep));

            assertFails(() -> client().currentUser(accessToken("jhollis")), Reason.BAD_RESPONSE);
        }

        @Test
        @DisplayName("a hung server is a TIMEOUT after the read timeout, and a dripped body after the deadline")
        void slow() {
            String token = accessToken("jhollis");

            sandbox.faults().next(Endpoint.USER, Fault.hang());
            long started = System.nanoTime();
            assertFails(() -> client(SECRET, false, 500).currentUser(token), Reason.TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

            sandbox.faults().next(Endpoint.USER, Fault.dripBody(Duration.ofSeconds(30)));
            started = System.nanoTime();
            assertFails(() -> client(SECRET, false, 500).currentUser(token), Reason.TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Nested
    @DisplayName("finding a staff member's own record")
    class Staff {

        @Test
        @DisplayName("matches on username, never returning the doctor's or a colleague's record")
        void byUsername() {
            Optional<JsonNode> record = client().staffMember(accessToken("kpatel"), "kpatel", 390251L);

            assertThat(record).isPresent();
            assertThat(record.get().path("first_name").asText()).isEqualTo("Kiran");
            assertThat(record.get().path("username").asText()).isEqualTo("kpatel");
        }

        @Test
        @DisplayName("walks DrChrono's pages through the 'next' URL")
        void pagination() {
            for (int i = 0; i < 300; i++) {
                sandbox.users().add(SandboxUser.staff(600_000 + i, "filler" + i, 90_000 + i, 390251L)
                        .name("Filler", "Number" + i).email("filler" + i + "@example.org").build());
            }

            Optional<JsonNode> record = client().staffMember(accessToken("kpatel"), "filler299", 390251L);

            assertThat(record).map(r -> r.path("last_name").asText()).hasValue("Number299");
            assertThat(sandbox.counters().get(Endpoint.STAFF)).isGreaterThan(1);
        }

        @Test
        @DisplayName("refuses a 'next' page on another host")
        void foreignNextPage() {
            sandbox.faults().next(Endpoint.STAFF, Fault.json(200,
                    "{\"previous\": null, \"results\": [], \"next\": \"" + otherHost.apiUrl() + "/api/staff?cursor=x\"}"));

            assertFails(() -> client().staffMember(accessToken("kpatel"), "kpatel", 390251L), Reason.BAD_RESPONSE);
            assertThat(otherHost.counters().get(Endpoint.STAFF)).isZero();
        }

        @Test
        @DisplayName("without the user:read scope is FORBIDDEN")
        void noScope() {
            String token = sandbox.tokens().issue(CLIENT_ID, "kpatel", "calendar:read").accessToken();

            assertFails(() -> client().staffMember(token, "kpatel", 390251L), Reason.FORBIDDEN);
        }
    }
}
