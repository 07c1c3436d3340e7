package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** How the tests call Keycloak as apps and browsers do: one shared client, failures to connect unchecked. */
final class TestHttp {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private TestHttp() {
    }

    static HttpResponse<String> send(HttpRequest request) {
        return send(CLIENT, request);
    }

    /**
     * The access token from a realm's token endpoint for an OAuth form ({@code grant_type=...&client_id=...}),
     * asserting that Keycloak answered 200.
     */
    static String accessToken(String keycloakBaseUrl, String realm, String form) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(keycloakBaseUrl + "/realms/" + realm
                        + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestRealm.read(response.body()).path("access_token").asText();
    }

    /** With a client of the caller's, e.g. one that keeps to HTTP/1.1. */
    static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
