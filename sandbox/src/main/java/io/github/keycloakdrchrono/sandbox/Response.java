package io.github.keycloakdrchrono.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer not yet sent. Handlers build one and the dispatcher writes it, so that a fault can still decide how
 * (slowly, or not at all) it reaches the client.
 */
final class Response {

    static final String HTML = "text/html; charset=utf-8";

    /** A body that knows its length up front, so that even a streamed one goes out with Content-Length. */
    interface Body {
        long length();

        void writeTo(OutputStream out) throws IOException;
    }

    private final int status;
    private final Map<String, String> headers;
    private final Body body;

    private Response(int status, Map<String, String> headers, Body body) {
        this.status = status;
        this.headers = Collections.unmodifiableMap(headers);
        this.body = body;
    }

    static Response of(int status, String contentType, byte[] bytes) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        return new Response(status, headers, new Bytes(bytes));
    }

    static Response text(int status, String contentType, String text) {
        return of(status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    static Response json(int status, Object value) {
        return of(status, Json.CONTENT_TYPE, Json.bytes(value));
    }

    /** A DRF-style {@code {"detail": …}} body. */
    static Response detail(int status, String detail) {
        return json(status, Map.of("detail", detail));
    }

    static Response html(int status, String page) {
        return text(status, HTML, page);
    }

    static Response streamed(int status, String contentType, Body body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        return new Response(status, headers, body);
    }

    static Response redirect(String location) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", location);
        return new Response(302, headers, new Bytes(new byte[0]));
    }

    static Response empty(int status) {
        return new Response(status, new LinkedHashMap<>(), new Bytes(new byte[0]));
    }

    Response withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new Response(status, copy, body);
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }

    Body body() {
        return body;
    }

    byte[] bodyBytes() {
        if (body instanceof Bytes bytes) {
            return bytes.bytes.clone();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            body.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static final class Bytes implements Body {
        private final byte[] bytes;

        Bytes(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public long length() {
            return bytes.length;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            out.write(bytes);
        }
    }
}
