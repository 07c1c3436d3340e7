package io.github.keycloakdrchrono.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Scripted faults")
class FaultsTest {

    private DrChronoSandbox sandbox;
    private SandboxClient client;
    private String token;

    @BeforeEach
    void start() {
        sandbox = SandboxClient.defaultSandbox().build().start();
        client = new SandboxClient(sandbox);
        token = sandbox.tokens().issue("jhollis").accessToken();
    }

    @AfterEach
    void stop() {
        sandbox.stop();
    }

    private HttpResponse<String> currentUser() {
        return client.getWithToken("/api/users/current", token);
    }

    @Nested
    @DisplayName("answering in place of the endpoint")
    class Answers {

        @Test
        @DisplayName("status sends any status, content type and body")
        void status() {
            sandbox.faults().next(Endpoint.USERS_CURRENT, Fault.status(418, "text/plain", "teapot"));

            HttpResponse<String> response = currentUser();

            assertThat(response.statusCode()).isEqualTo(418);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
            assertThat(response.body()).isEqualTo("teapot");
        }

        @Test
        @DisplayName("json sends any status with a JSON body")
        void json() {
            sandbox.faults().next(Endpoint.DOCTOR, Fault.json(500, "{\"error\": \"boom\"}"));

            HttpResponse<String> response = client.getWithToken("/api/doctors/390251", token);

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.body()).isEqualTo("{\"error\": \"boom\"}");
        }

        @Test
        @DisplayName("serverError sends 503 with an HTML page")
        void serverError() {
            sandbox.faults().next(Endpoint.STAFF, Fault.serverError());

            HttpResponse<String> response = client.getWithToken("/api/staff", token);

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(response.body()).contains("503 Service Temporarily Unavailable");
        }

        @Test
        @DisplayName("throttled sends DrChrono's 429 body and a Retry-After header")
        void throttled() {
            sandbox.faults().next(Endpoint.USER, Fault.throttled(37));

            HttpResponse<String> response = client.getWithToken("/api/users/480112", token);

            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.body())
                    .isEqualTo("{\"detail\": \"Request was throttled. Expected available in 37 seconds.\"}");
            assertThat(response.headers().firstValue("Retry-After")).hasValue("37");
        }

        @Test
        @DisplayName("throttled leaves Retry-After out when the sandbox is configured without it")
        void throttledWithoutHeader() {
            sandbox.stop();
            sandbox = SandboxClient.defaultSandbox().retryAfterHeader(false).build().start();
            client = new SandboxClient(sandbox);
            sandbox.faults().next(Endpoint.TOKEN_CODE, Fault.throttled(5));

            HttpResponse<String> response = client.exchange("whatever", SandboxClient.REDIRECT_URI);

            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        }

        @Test
        @DisplayName("malformedJson sends 200 JSON that does not parse")
        void malformedJson() {
            sandbox.faults().next(Endpoint.USER, Fault.malformedJson());

            HttpResponse<String> response = client.getWithToken("/api/users/480112", token);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThatThrownBy(() -> new ObjectMapper().readTree(response.body()))
                    .isInstanceOf(JsonProcessingException.class);
        }

        @Test
        @DisplayName("html sends 200 with a login page where JSON was expected")
        void html() {
            sandbox.faults().next(Endpoint.TOKEN_REFRESH, Fault.html());

            HttpResponse<String> response = client.refresh("anything");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(response.body()).contains("<form", "Log In");
        }

        @Test
        @DisplayName("redirectTo sends 302 to the given URL")
        void redirectTo() {
            sandbox.faults().next(Endpoint.USERS_CURRENT, Fault.redirectTo("http://elsewhere.invalid/api/users/1"));

            assertThat(currentUser().headers().firstValue("Location")).hasValue("http://elsewhere.invalid/api/users/1");
        }

        @Test
        @DisplayName("oversizedBody streams a JSON string of the requested size with its Content-Length")
        void oversizedBody() throws IOException {
            long size = 8L * 1024 * 1024;
            sandbox.faults().next(Endpoint.USER, Fault.oversizedBody(size));
            HttpRequest request = client.request("/api/users/480112", "Authorization", "Bearer " + token).build();

            HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
            long read;
            byte[] head;
            try (InputStream body = response.body()) {
                head = body.readNBytes(12);
                read = head.length + body.transferTo(OutputStream.nullOutputStream());
            }

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(size + 14);
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("{\"detail\": \"");
            assertThat(read).isEqualTo(size + 14);
        }

        @Test
        @DisplayName("leaves a refresh token unused when it answers a refresh")
        void refreshTokenSurvives() {
            String refreshToken = sandbox.tokens().issue("kpatel").refreshToken();
            sandbox.faults().next(Endpoint.TOKEN_REFRESH, Fault.serverError());

            assertThat(client.refresh(refreshToken).statusCode()).isEqualTo(503);
            assertThat(client.refresh(refreshToken).statusCode()).isEqualTo(200);
        }
    }

    @Nested
    @DisplayName("slowing the real answer")
    class Slow {

        @Test
        @DisplayName("delay waits, then answers normally")
        void delay() {
            sandbox.faults().next(Endpoint.USERS_CURRENT, Fault.delay(Duration.ofMillis(400)));
            long start = System.nanoTime();

            HttpResponse<String> response = currentUser();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
            assertThat(response.statusCode()).isEqualTo(302);
        }

        @Test
        @DisplayName("hang outlasts a client timeout")
        void hang() {
            sandbox.faults().next(Endpoint.TOKEN_CODE, Fault.hang());
            HttpRequest request = client.request("/o/token/")
                    .timeout(Duration.ofMillis(500))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build();

            assertThatThrownBy(() -> client.http().send(request, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(HttpTimeoutException.class);
        }

        @Test
        @DisplayName("hang does not hold up stop(), and the hung call ends when the sandbox stops")
        void hangDoesNotBlockStop() throws InterruptedException {
            sandbox.faults().always(Endpoint.USERS_CURRENT, Fault.hang());
            CompletableFuture<HttpResponse<String>> hung = client.http().sendAsync(
                    client.request("/api/users/current", "Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            waitForCall(Endpoint.USERS_CURRENT);
            long start = System.nanoTime();

            sandbox.stop();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThatThrownBy(() -> hung.orTimeout(5, TimeUnit.SECONDS).join())
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(IOException.class);
        }

        @Test
        @DisplayName("dripBody sends the headers at once and the real body slowly")
        void dripBody() throws IOException {
            sandbox.faults().next(Endpoint.USER, Fault.dripBody(Duration.ofMillis(800)));
            HttpRequest request = client.request("/api/users/480112", "Authorization", "Bearer " + token).build();
            long start = System.nanoTime();

            HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
            Duration headersAfter = Duration.ofNanos(System.nanoTime() - start);
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Duration bodyAfter = Duration.ofNanos(System.nanoTime() - start);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(headersAfter).isLessThan(Duration.ofMillis(500));
            assertThat(bodyAfter).isGreaterThanOrEqualTo(Duration.ofMillis(750));
            assertThat(body).startsWith("{\"id\": 480112, \"username\": \"jhollis\"");
        }

        @Test
        @DisplayName("refreshLatency holds every refresh")
        void refreshLatency() {
            sandbox.faults().refreshLatency(Duration.ofMillis(300));
            String refreshToken = sandbox.tokens().issue("kpatel").refreshToken();
            long start = System.nanoTime();

            HttpResponse<String> response = client.refresh(refreshToken);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(response.statusCode()).isEqualTo(200);
        }
    }

    @Nested
    @DisplayName("scheduling")
    class Scheduling {

        @Test
        @DisplayName("next applies to one call each, in order, then the endpoint answers normally")
        void nextQueue() {
            sandbox.faults()
                    .next(Endpoint.USERS_CURRENT, Fault.serverError())
                    .next(Endpoint.USERS_CURRENT, Fault.throttled(3));

            assertThat(currentUser().statusCode()).isEqualTo(503);
            assertThat(currentUser().statusCode()).isEqualTo(429);
            assertThat(currentUser().statusCode()).isEqualTo(302);
        }

        @Test
        @DisplayName("always applies until clear, and a queued next fault goes first")
        void always() {
            sandbox.faults().always(Endpoint.USERS_CURRENT, Fault.serverError());
            sandbox.faults().next(Endpoint.USERS_CURRENT, Fault.throttled(1));

            assertThat(currentUser().statusCode()).isEqualTo(429);
            assertThat(currentUser().statusCode()).isEqualTo(503);
            assertThat(currentUser().statusCode()).isEqualTo(503);
            sandbox.faults().clear();
            assertThat(currentUser().statusCode()).isEqualTo(302);
        }

        @Test
        @DisplayName("tells a code exchange from a refresh")
        void tokenSplit() {
            sandbox.faults().always(Endpoint.TOKEN_REFRESH, Fault.serverError());
            String code = client.code("jhollis", null);

            assertThat(client.exchange(code, SandboxClient.REDIRECT_URI).statusCode()).isEqualTo(200);
            assertThat(client.refresh("anything").statusCode()).isEqualTo(503);
        }
    }

    @Nested
    @DisplayName("counters")
    class Counting {

        @Test
        @DisplayName("count every call received per endpoint, faulted or not")
        void counts() {
            sandbox.faults().next(Endpoint.USERS_CURRENT, Fault.serverError());
            currentUser();
            currentUser();
            client.getWithToken("/api/users/480112", token);
            client.code("jhollis", null);

            assertThat(sandbox.counters().get(Endpoint.USERS_CURRENT)).isEqualTo(2);
            assertThat(sandbox.counters().get(Endpoint.USER)).isEqualTo(1);
            assertThat(sandbox.counters().get(Endpoint.AUTHORIZE)).as("sign-in and decision").isEqualTo(2);
            assertThat(sandbox.counters().snapshot())
                    .containsEntry(Endpoint.USERS_CURRENT, 2L)
                    .containsEntry(Endpoint.STAFF, 0L)
                    .hasSize(Endpoint.values().length);
        }

        @Test
        @DisplayName("start again from zero after reset")
        void reset() {
            currentUser();

            sandbox.counters().reset();

            assertThat(sandbox.counters().get(Endpoint.USERS_CURRENT)).isZero();
        }
    }

    private void waitForCall(Endpoint endpoint) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sandbox.counters().get(endpoint) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(sandbox.counters().get(endpoint)).isPositive();
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.http().send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
