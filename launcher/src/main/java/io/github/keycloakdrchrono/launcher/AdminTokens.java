package io.github.keycloakdrchrono.launcher;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Master-realm admin access tokens from the password grant on admin-cli, reused until shortly before expiry. */
final class AdminTokens {

    /** Enough for a request started just before the refresh point to still arrive with a valid token. */
    private static final long MARGIN_SECONDS = 15;

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final Supplier<String> baseUrl;
    private final String username;
    private final String password;
    private final Clock clock;

    private String token;
    private Instant refreshAt = Instant.MIN;

    AdminTokens(HttpClient http, Supplier<String> baseUrl, String username, String password, Clock clock) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.username = username;
        this.password = password;
        this.clock = clock;
    }

    static HttpClient newHttpClient() {
        // HTTP/1.1 because the JDK client's cleartext HTTP/2 upgrade attempt buys nothing against a local server.
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    synchronized String get() {
        if (token == null || !clock.instant().isBefore(refreshAt)) {
            fetch();
        }
        return token;
    }

    synchronized void invalidate() {
        token = null;
    }

    private void fetch() {
        String form = "grant_type=password&client_id=admin-cli"
                + "&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        String url = baseUrl.get() + "/realms/master/protocol/openid-connect/token";
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        Instant requested = clock.instant();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("Admin token request to " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while requesting an admin token", e);
        }
        if (response.statusCode() != 200) {
            // The body is Keycloak's error description; it never echoes the password.
            throw new IllegalStateException("Admin token request for user '" + username + "' failed: HTTP "
                    + response.statusCode() + " " + response.body());
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Admin token response is not JSON (HTTP 200)", e);
        }
        String accessToken = json.path("access_token").asText(null);
        if (accessToken == null) {
            throw new IllegalStateException("Admin token response has no access_token");
        }
        long lifetime = json.path("expires_in").asLong(60);
        token = accessToken;
        refreshAt = requested.plusSeconds(Math.max(lifetime / 2, lifetime - MARGIN_SECONDS));
    }
}
