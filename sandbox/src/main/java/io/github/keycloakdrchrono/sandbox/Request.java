package io.github.keycloakdrchrono.sandbox;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A request read in full: method, path, query, form body and the few headers the sandbox looks at. */
final class Request {

    // Every legitimate body here is a short form; anything larger is a client bug worth a 413, not a read loop.
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final String method;
    private final String path;
    private final Map<String, List<String>> query;
    private final Map<String, List<String>> form;
    private final Map<String, String> headers;

    private Request(String method, String path, Map<String, List<String>> query,
            Map<String, List<String>> form, Map<String, String> headers) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.form = form;
        this.headers = headers;
    }

    static Request read(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new Halt(Response.html(413, "<h1>Request Entity Too Large</h1>"));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        String rawQuery = exchange.getRequestURI().getRawQuery();
        String contentType = headers.getOrDefault("content-type", "");
        // oauthlib reads the body only when it is declared as a form; a JSON body is as good as no body.
        boolean isForm = contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
        Map<String, List<String>> form = isForm
                ? decode(new String(body, StandardCharsets.UTF_8))
                : Collections.emptyMap();
        return new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), decode(rawQuery), form,
                headers);
    }

    static Map<String, List<String>> decode(String encoded) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return params;
        }
        try {
            for (String pair : encoded.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
            }
        } catch (IllegalArgumentException e) {
            throw new Halt(Response.html(400, "<h1>Bad Request (400)</h1>"));
        }
        return params;
    }

    String method() {
        return method;
    }

    String path() {
        return path;
    }

    Map<String, List<String>> query() {
        return query;
    }

    Map<String, List<String>> form() {
        return form;
    }

    /** First value from the form body, else from the query string; {@code null} when absent. */
    String param(String name) {
        String value = first(form, name);
        return value != null ? value : first(query, name);
    }

    String formValue(String name) {
        return first(form, name);
    }

    String queryValue(String name) {
        return first(query, name);
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
