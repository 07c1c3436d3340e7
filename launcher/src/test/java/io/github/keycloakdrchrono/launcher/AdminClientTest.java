package io.github.keycloakdrchrono.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("AdminClient")
class AdminClientTest {

    private HttpServer server;
    private String baseUrl;
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final List<String> tokenForms = new CopyOnWriteArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startFakeKeycloak() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/realms/master/protocol/openid-connect/token", exchange -> {
            tokenForms.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            respond(exchange, 200, "{\"access_token\":\"t" + tokensIssued.incrementAndGet()
                    + "\",\"expires_in\":60,\"token_type\":\"Bearer\"}");
        });
        server.createContext("/realms/demo/.well-known/openid-configuration",
                exchange -> respond(exchange, 200, "{\"issuer\":\"demo\"}"));
        server.createContext("/admin/realms", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(exchange.getRequestMethod() + " " + path + " " + auth + " " + body);
            if (path.equals("/admin/realms/revoked") && "Bearer t1".equals(auth)) {
                respond(exchange, 401, "");
            } else if (path.equals("/admin/realms/missing")) {
                respond(exchange, 404, "{\"error\":\"Realm not found.\"}");
            } else if (exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().add("Location", baseUrl + "/admin/realms/demo/users/1234-abcd");
                respond(exchange, 201, "");
            } else if (exchange.getRequestMethod().equals("GET") && path.endsWith("/service-account-user")) {
                respond(exchange, 200, "{\"id\":\"sa-1\"}");
            } else if (exchange.getRequestMethod().equals("GET") && path.contains("/roles/")) {
                respond(exchange, 200, "{\"id\":\"r-1\",\"name\":\"broker\"}");
            } else if (exchange.getRequestMethod().equals("GET")) {
                respond(exchange, 200, "{\"realm\":\"demo\",\"enabled\":true}");
            } else {
                respond(exchange, 204, "");
            }
        });
        server.start();
        baseUrl = "http://localhost:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopFakeKeycloak() {
        server.stop(0);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Nested
    @DisplayName("paths")
    class Paths {

        @Test
        @DisplayName("are relative to /admin/realms unless absolute")
        void resolves() {
            AdminClient admin = new AdminClient("http://kc:8080/", "admin", "admin");

            assertThat(admin.url("demo/users")).isEqualTo("http://kc:8080/admin/realms/demo/users");
            assertThat(admin.url("")).isEqualTo("http://kc:8080/admin/realms");
            assertThat(admin.url("/realms/demo")).isEqualTo("http://kc:8080/realms/demo");
        }
    }

    @Nested
    @DisplayName("requests")
    class Requests {

        @Test
        @DisplayName("get the admin token with the password grant and send it as bearer")
        void bearer() {
            AdminClient admin = new AdminClient(baseUrl, "admin", "p&ss word");

            JsonNode realm = admin.get("demo");

            assertThat(realm.path("realm").asText()).isEqualTo("demo");
            assertThat(tokenForms).singleElement().asString()
                    .contains("grant_type=password", "client_id=admin-cli", "username=admin",
                            "password=p%26ss+word");
            assertThat(received).singleElement().asString().isEqualTo("GET /admin/realms/demo Bearer t1 ");
        }

        @Test
        @DisplayName("reuse the token while it is valid")
        void cachesToken() {
            AdminClient admin = new AdminClient(baseUrl, "admin", "admin");

            admin.get("demo");
            admin.put("demo", Map.of("enabled", false));
            admin.delete("demo/users/1");

            assertThat(tokensIssued).hasValue(1);
        }

        @Test
        @DisplayName("serialize bodies with Jackson and send strings as they are")
        void bodies() {
            AdminClient admin = new AdminClient(baseUrl, "admin", "admin");

            admin.post("", Map.of("realm", "demo"));
            admin.put("demo", "{\"enabled\":true}");

            assertThat(received).containsExactly(
                    "POST /admin/realms Bearer t1 {\"realm\":\"demo\"}",
                    "PUT /admin/realms/demo Bearer t1 {\"enabled\":true}");
        }

        @Test
        @DisplayName("reach absolute paths from the server root")
        void absolute() {
            assertThat(new AdminClient(baseUrl, "admin", "admin").get("/realms/demo/.well-known/openid-configuration")
                    .path("issuer").asText()).isEqualTo("demo");
        }

        @Test
        @DisplayName("fetch a new token once when the server rejects the cached one")
        void refreshesOn401() {
            AdminClient admin = new AdminClient(baseUrl, "admin", "admin");

            assertThat(admin.get("revoked").path("realm").asText()).isEqualTo("demo");
            assertThat(tokensIssued).hasValue(2);
        }

        @Test
        @DisplayName("tell the id of what a POST created")
        void createdId() {
            HttpResponse<String> response = new AdminClient(baseUrl, "admin", "admin").post("demo/users", Map.of());

            assertThat(AdminClient.createdId(response)).isEqualTo("1234-abcd");
        }

        @Test
        @DisplayName("create a service-account client and grant its user a realm role, by the admin API's steps")
        void serviceAccountClient() throws Exception {
            AdminClient admin = new AdminClient(baseUrl, "admin", "admin");

            String serviceAccount = admin.createServiceAccountClient("demo", "backend", "s3",
                    Map.of("access.token.lifespan", "60"));
            admin.grantRealmRole("demo", serviceAccount, "broker");

            assertThat(serviceAccount).isEqualTo("sa-1");
            assertThat(received).hasSize(4);
            JsonNode client = Json.MAPPER.readTree(received.get(0).substring(received.get(0).indexOf('{')));
            assertThat(received.get(0)).startsWith("POST /admin/realms/demo/clients ");
            assertThat(client.path("clientId").asText()).isEqualTo("backend");
            assertThat(client.path("secret").asText()).isEqualTo("s3");
            assertThat(client.path("publicClient").asBoolean(true)).isFalse();
            assertThat(client.path("standardFlowEnabled").asBoolean(true)).isFalse();
            assertThat(client.path("serviceAccountsEnabled").asBoolean()).isTrue();
            assertThat(client.path("attributes").path("access.token.lifespan").asText()).isEqualTo("60");
            assertThat(received.subList(1, 4)).containsExactly(
                    "GET /admin/realms/demo/clients/1234-abcd/service-account-user Bearer t1 ",
                    "GET /admin/realms/demo/roles/broker Bearer t1 ",
                    "POST /admin/realms/demo/users/sa-1/role-mappings/realm Bearer t1 "
                            + "[{\"id\":\"r-1\",\"name\":\"broker\"}]");
        }
    }

    @Nested
    @DisplayName("failures")
    class Failures {

        @Test
        @DisplayName("throw naming method, path, status and body")
        void nonSuccess() {
            AdminClient admin = new AdminClient(baseUrl, "admin", "admin");

            assertThatThrownBy(() -> admin.get("missing"))
                    .isInstanceOfSatisfying(AdminClient.RequestFailedException.class, e -> {
                        assertThat(e.method()).isEqualTo("GET");
                        assertThat(e.path()).isEqualTo("missing");
                        assertThat(e.status()).isEqualTo(404);
                        assertThat(e.body()).contains("Realm not found.");
                    })
                    .hasMessageContaining("GET missing failed: HTTP 404")
                    .hasMessageContaining("Realm not found.");
        }

        @Test
        @DisplayName("are returned, not thrown, by send")
        void rawSend() {
            HttpResponse<String> response = new AdminClient(baseUrl, "admin", "admin").send("GET", "missing", null);

            assertThat(response.statusCode()).isEqualTo(404);
        }
    }

    @Nested
    @DisplayName("tokens")
    class Tokens {

        @Test
        @DisplayName("are renewed shortly before they expire")
        void renewal() {
            MutableClock clock = new MutableClock();
            AdminTokens tokens = new AdminTokens(AdminTokens.newHttpClient(), () -> baseUrl, "admin", "admin", clock);

            assertThat(tokens.get()).isEqualTo("t1");
            clock.advance(Duration.ofSeconds(40));
            assertThat(tokens.get()).isEqualTo("t1");
            clock.advance(Duration.ofSeconds(6));
            assertThat(tokens.get()).isEqualTo("t2");
        }

        @Test
        @DisplayName("name the user but not the password when refused")
        void refused() {
            server.removeContext("/realms/master/protocol/openid-connect/token");
            server.createContext("/realms/master/protocol/openid-connect/token", exchange -> respond(exchange, 401,
                    "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid user credentials\"}"));
            AdminClient admin = new AdminClient(baseUrl, "admin", "hunter2");

            assertThatThrownBy(() -> admin.get("demo"))
                    .hasMessageContaining("admin")
                    .hasMessageContaining("401")
                    .hasMessageContaining("Invalid user credentials")
                    .message().doesNotContain("hunter2");
        }
    }

    private static final class MutableClock extends Clock {

        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
