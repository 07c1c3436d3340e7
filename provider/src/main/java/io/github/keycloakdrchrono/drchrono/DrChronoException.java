package io.github.keycloakdrchrono.drchrono;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * A call to DrChrono that did not give us what we need, sorted by what the user or admin should do about it.
 *
 * <p>The message names the endpoint, the HTTP status and DrChrono's OAuth error code, and never any part of a
 * token, code, secret or response body, so it is safe to log and to put in an event.
 */
public final class DrChronoException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, in the terms that decide the page, the event reason and whether to retry. */
    public enum Reason {
        /** Connection refused, reset, or a 5xx: try again later. */
        UNAVAILABLE,
        /** DrChrono did not answer within the configured timeouts. */
        TIMEOUT,
        /** 429: DrChrono rate-limits per application. */
        THROTTLED,
        /** {@code invalid_client}: our client id or secret is wrong, an admin must act. */
        CLIENT_REJECTED,
        /** {@code invalid_request} about the redirect URI: the app registration at DrChrono does not match. */
        REDIRECT_URI_REJECTED,
        /** {@code invalid_grant}: the code or refresh token is expired, used, rotated or revoked. */
        GRANT_REJECTED,
        /** Any other OAuth error: a request DrChrono considers malformed or out of scope. */
        REQUEST_REJECTED,
        /** 401 on the API: the access token is not (or no longer) valid. */
        TOKEN_REJECTED,
        /** 403 on the API: usually a missing scope. */
        FORBIDDEN,
        /** 404 on the API. */
        NOT_FOUND,
        /** A status, content type, size, shape or redirect we do not accept. */
        BAD_RESPONSE;

        /** The value used in Keycloak events, e.g. {@code drchrono_unavailable}. */
        public String eventReason() {
            return "drchrono_" + name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;
    private final String endpoint;
    private final int status;
    private final String oauthError;
    private final Long retryAfterSeconds;

    DrChronoException(Reason reason, String endpoint, int status, String oauthError, Long retryAfterSeconds,
            String detail, Throwable cause) {
        super(describe(reason, endpoint, status, oauthError, detail), cause);
        this.reason = reason;
        this.endpoint = endpoint;
        this.status = status;
        this.oauthError = oauthError;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static DrChronoException of(Reason reason, String endpoint, int status, String detail) {
        return new DrChronoException(reason, endpoint, status, null, null, detail, null);
    }

    /** For code that reads DrChrono's answers outside this package, such as profile parsing. */
    public static DrChronoException badResponse(String endpoint, String detail) {
        return of(Reason.BAD_RESPONSE, endpoint, 0, detail);
    }

    private static String describe(Reason reason, String endpoint, int status, String oauthError, String detail) {
        StringBuilder text = new StringBuilder("DrChrono ").append(endpoint).append(": ")
                .append(reason.name().toLowerCase(Locale.ROOT));
        if (status > 0) {
            text.append(", HTTP ").append(status);
        }
        if (oauthError != null) {
            text.append(", error ").append(oauthError);
        }
        if (detail != null) {
            text.append(" (").append(detail).append(')');
        }
        return text.toString();
    }

    public Reason reason() {
        return reason;
    }

    /** Which DrChrono endpoint was called, e.g. {@code token} or {@code users/current}. */
    public String endpoint() {
        return endpoint;
    }

    /** The HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }

    /** DrChrono's OAuth {@code error} code, checked to be a plain token, or null. */
    public String oauthError() {
        return oauthError;
    }

    /** From {@code Retry-After}, or from DrChrono's throttle message when the header is absent. */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds == null ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
    }
}
