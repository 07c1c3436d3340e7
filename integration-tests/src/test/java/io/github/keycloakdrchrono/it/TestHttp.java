package io.github.keycloakdrchrono.it;

import java.io.IOException;
import java.io.UncheckedIOException;
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
