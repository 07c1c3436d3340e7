package io.github.keycloakdrchrono.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A scripted misbehaviour for one call, installed with {@link Faults#next} or {@link Faults#always}. A fault that
 * answers in the handler's place ({@link #status}, {@link #throttled}, …) leaves the sandbox's state untouched: a
 * refresh answered with 503 has not used its refresh token up. {@link #delay} and {@link #dripBody} let the real
 * answer through, with its effects.
 */
public final class Fault {

    /** Longer than any sane client timeout, short enough that a forgotten fault does not pin a thread for good. */
    static final Duration HANG = Duration.ofMinutes(5);

    private static final String SERVICE_UNAVAILABLE_PAGE = "<html>\r\n"
            + "<head><title>503 Service Temporarily Unavailable</title></head>\r\n"
            + "<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n";

    // What DrChrono serves when a request lands on its web login instead of the API: status 200, no JSON.
    private static final String LOGIN_PAGE = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
            + "<title>Log In | drchrono</title></head>\n<body>\n<form id=\"login-form\" method=\"post\" "
            + "action=\"/accounts/login/\">\n<input type=\"text\" name=\"username\">\n"
            + "<input type=\"password\" name=\"password\">\n<button type=\"submit\">Log In</button>\n</form>\n"
            + "</body>\n</html>\n";

    private static final String TRUNCATED_JSON =
            "{\"id\": 480112, \"username\": \"jhollis\", \"permissions\": {\"access_billing\": tr";

    @FunctionalInterface
    interface Action {
        void perform(FaultContext context) throws IOException;
    }

    private final String description;
    private final Action action;

    private Fault(String description, Action action) {
        this.description = description;
        this.action = action;
    }

    /** Any status, content type and body, in place of the real answer. */
    public static Fault status(int code, String contentType, String body) {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        return new Fault("status(" + code + ", " + contentType + ")",
                context -> context.send(Response.text(code, contentType, body)));
    }

    /** Any status with a JSON body, e.g. an error DrChrono is not known to send. */
    public static Fault json(int status, String body) {
        return status(status, Json.CONTENT_TYPE, body);
    }

    /** 503 with the HTML page a proxy in front of DrChrono would show. */
    public static Fault serverError() {
        return status(503, Response.HTML, SERVICE_UNAVAILABLE_PAGE);
    }

    /** 429 with DrChrono's throttling body; a {@code Retry-After} header too unless the sandbox is set without. */
    public static Fault throttled(int retryAfterSeconds) {
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must not be negative");
        }
        return new Fault("throttled(" + retryAfterSeconds + "s)", context -> {
            Response response = Response.detail(429,
                    "Request was throttled. Expected available in " + retryAfterSeconds + " seconds.");
            if (context.retryAfterHeader()) {
                response = response.withHeader("Retry-After", Integer.toString(retryAfterSeconds));
            }
            context.send(response);
        });
    }

    /** 200, {@code application/json}, and a body cut off in the middle of a value. */
    public static Fault malformedJson() {
        return new Fault("malformedJson", context -> context.send(Response.text(200, Json.CONTENT_TYPE,
                TRUNCATED_JSON)));
    }

    /** 200 with an HTML login page where JSON was expected. */
    public static Fault html() {
        return new Fault("html", context -> context.send(Response.html(200, LOGIN_PAGE)));
    }

    /** Waits, then answers normally; nothing is answered if the sandbox stops meanwhile. */
    public static Fault delay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        return new Fault("delay(" + delay + ")", context -> {
            if (context.pause(delay)) {
                context.answerNormally();
            }
        });
    }

    /** Holds the call for five minutes, or until the sandbox stops, whichever comes first. */
    public static Fault hang() {
        return new Fault("hang", context -> {
            if (context.pause(HANG)) {
                context.answerNormally();
            }
        });
    }

    /** Sends status and headers of the real answer at once, then its body one byte at a time over {@code total}. */
    public static Fault dripBody(Duration total) {
        Objects.requireNonNull(total, "total");
        return new Fault("dripBody(" + total + ")", context -> context.dripNormalAnswer(total));
    }

    /**
     * 200 JSON {@code {"detail": "xxx…"}} whose string holds {@code bytes} bytes. The body is produced while it is
     * sent, so gigabytes cost the sandbox no memory; Content-Length announces the full size.
     */
    public static Fault oversizedBody(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative");
        }
        return new Fault("oversizedBody(" + bytes + ")",
                context -> context.send(Response.streamed(200, Json.CONTENT_TYPE, new Padding(bytes))));
    }

    /** 302 to {@code absoluteUrl}, e.g. somewhere a client must not carry its bearer token. */
    public static Fault redirectTo(String absoluteUrl) {
        Objects.requireNonNull(absoluteUrl, "absoluteUrl");
        return new Fault("redirectTo(" + absoluteUrl + ")", context -> context.send(Response.redirect(absoluteUrl)));
    }

    Action action() {
        return action;
    }

    @Override
    public String toString() {
        return "Fault." + description;
    }

    private static final class Padding implements Response.Body {
        private static final byte[] PREFIX = "{\"detail\": \"".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] SUFFIX = "\"}".getBytes(StandardCharsets.US_ASCII);
        private static final int CHUNK = 64 * 1024;

        private final long padding;

        Padding(long padding) {
            this.padding = padding;
        }

        @Override
        public long length() {
            return PREFIX.length + padding + SUFFIX.length;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            out.write(PREFIX);
            byte[] chunk = new byte[CHUNK];
            Arrays.fill(chunk, (byte) 'x');
            for (long left = padding; left > 0; left -= CHUNK) {
                out.write(chunk, 0, (int) Math.min(CHUNK, left));
            }
            out.write(SUFFIX);
        }
    }
}
