package io.github.keycloakdrchrono.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A minimal client for Keycloak's admin REST API. Paths are relative to {@code /admin/realms} ({@code "master"},
 * {@code "demo/users"}, {@code ""} for the realm list) unless they start with {@code /}, in which case they are
 * taken from the server root ({@code "/realms/demo/.well-known/openid-configuration"}).
 *
 * <p>Bodies are serialized with Jackson, except strings, which are sent as they are (already JSON). The
 * master-realm admin token is fetched, renewed and sent automatically. {@link #get}, {@link #post}, {@link #put}
 * and {@link #delete} throw {@link RequestFailedException} for any non-2xx answer; {@link #send} does not.
 */
public final class AdminClient {

    /** Generous because creating or importing a realm is one slow request. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final Supplier<String> baseUrl;
    private final AdminTokens tokens;
    private final HttpClient http;

    /** A client acting as the server's bootstrap admin; the server must be started before the first call. */
    public AdminClient(KeycloakServer server) {
        this(server::baseUrl, server.adminTokens(), AdminTokens.newHttpClient());
    }

    /** A client for any Keycloak, e.g. {@code http://localhost:8080}, acting as a master-realm admin user. */
    public AdminClient(String baseUrl, String username, String password) {
        this(fixed(baseUrl), username, password, AdminTokens.newHttpClient());
    }

    private AdminClient(Supplier<String> baseUrl, String username, String password, HttpClient http) {
        this(baseUrl, new AdminTokens(http, baseUrl, Objects.requireNonNull(username, "username"),
                Objects.requireNonNull(password, "password"), Clock.systemUTC()), http);
    }

    private AdminClient(Supplier<String> baseUrl, AdminTokens tokens, HttpClient http) {
        this.baseUrl = baseUrl;
        this.tokens = tokens;
        this.http = http;
    }

    public JsonNode get(String path) {
        HttpResponse<String> response = checked("GET", path, null);
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("GET " + path + " did not answer JSON", e);
        }
    }

    public HttpResponse<String> post(String path, Object body) {
        return checked("POST", path, body);
    }

    public HttpResponse<String> put(String path, Object body) {
        return checked("PUT", path, body);
    }

    public HttpResponse<String> delete(String path) {
        return checked("DELETE", path, null);
    }

    /** Any request, whatever the status it gets; {@code body} may be null. */
    public HttpResponse<String> send(String method, String path, Object body) {
        Objects.requireNonNull(method, "method");
        HttpResponse<String> response = sendOnce(method, path, body);
        if (response.statusCode() == 401) {
            // The cached token can be revoked before it expires, e.g. by a server restart with a fresh database.
            tokens.invalidate();
            response = sendOnce(method, path, body);
        }
        return response;
    }

    /**
     * Creates a confidential client with a service account and no browser flow, the way a backend is registered;
     * {@code attributes} become the client's attributes. Returns the id of the service account's user.
     */
    public String createServiceAccountClient(String realm, String clientId, String secret,
            Map<String, String> attributes) {
        Map<String, Object> client = Map.of("clientId", clientId, "secret", secret, "publicClient", false,
                "standardFlowEnabled", false, "serviceAccountsEnabled", true, "attributes", attributes);
        String id = createdId(post(realm + "/clients", client));
        return get(realm + "/clients/" + id + "/service-account-user").path("id").asText();
    }

    /** Maps an existing realm role to a user. */
    public void grantRealmRole(String realm, String userId, String role) {
        post(realm + "/users/" + userId + "/role-mappings/realm", List.of(get(realm + "/roles/" + role)));
    }

    /** The id Keycloak puts at the end of the {@code Location} header when a POST creates something. */
    public static String createdId(HttpResponse<?> response) {
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> new IllegalStateException("No Location header in the response to "
                        + response.request().method() + " " + response.uri()));
        String trimmed = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    String url(String path) {
        Objects.requireNonNull(path, "path");
        String base = baseUrl.get();
        if (path.startsWith("/")) {
            return base + path;
        }
        return path.isEmpty() ? base + "/admin/realms" : base + "/admin/realms/" + path;
    }

    private HttpResponse<String> checked(String method, String path, Object body) {
        HttpResponse<String> response = send(method, path, body);
        if (response.statusCode() / 100 != 2) {
            throw new RequestFailedException(method, path, response.statusCode(), response.body());
        }
        return response;
    }

    private HttpResponse<String> sendOnce(String method, String path, Object body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + tokens.get())
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(serialize(body)))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + method + " " + path, e);
        }
    }

    private static String serialize(Object body) {
        if (body instanceof String) {
            return (String) body;
        }
        try {
            return Json.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot serialize " + body.getClass().getName() + " to JSON", e);
        }
    }

    private static Supplier<String> fixed(String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return () -> base;
    }

    /** A non-2xx answer from the admin API. */
    public static final class RequestFailedException extends RuntimeException {

        private final String method;
        private final String path;
        private final int status;
        private final String body;

        RequestFailedException(String method, String path, int status, String body) {
            super(method + " " + path + " failed: HTTP " + status + (body == null || body.isEmpty() ? "" : " " + body));
            this.method = method;
            this.path = path;
            this.status = status;
            this.body = body;
        }

        public String method() {
            return method;
        }

        public String path() {
            return path;
        }

        public int status() {
            return status;
        }

        public String body() {
            return body;
        }
    }
}
