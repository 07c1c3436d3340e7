package io.github.keycloakdrchrono.sandbox;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

/** Puts a {@link Response} on the wire, at once or a byte at a time. */
final class ResponseWriter {

    private ResponseWriter() {
    }

    static void write(HttpExchange exchange, Response response) throws IOException {
        long length = response.body().length();
        if (sendHeaders(exchange, response, length)) {
            try (OutputStream out = exchange.getResponseBody()) {
                response.body().writeTo(out);
            }
        }
    }

    /**
     * Sends status and headers at once, then spreads the body over {@code total}: the shape of a stalled upstream
     * that a connect timeout does not catch and only a read or request timeout does.
     */
    static void drip(HttpExchange exchange, Response response, Duration total, StopSignal stop) throws IOException {
        byte[] body = response.bodyBytes();
        if (!sendHeaders(exchange, response, body.length)) {
            return;
        }
        long start = System.nanoTime();
        double nanosPerByte = (double) total.toNanos() / body.length;
        OutputStream out = exchange.getResponseBody();
        for (int i = 0; i < body.length; i++) {
            if (!stop.pauseUntil(start + (long) (nanosPerByte * (i + 1)))) {
                return;
            }
            out.write(body[i]);
            out.flush();
        }
        out.close();
    }

    /** {@code true} when a body is to follow. */
    private static boolean sendHeaders(HttpExchange exchange, Response response, long length) throws IOException {
        response.headers().forEach(exchange.getResponseHeaders()::set);
        int status = response.status();
        // The JDK server rejects a body on these statuses; a fault scripted with one must still answer.
        boolean bodiless = status < 200 || status == 204 || status == 304 || length == 0;
        exchange.sendResponseHeaders(status, bodiless ? -1 : length);
        return !bodiless;
    }
}
