package io.github.keycloakdrchrono.token;

import java.util.Locale;

import jakarta.ws.rs.core.Response;

import io.github.keycloakdrchrono.drchrono.DrChronoException;

/**
 * Why an app cannot have a fresh DrChrono token right now, in the OAuth error terms apps already handle. The
 * message is safe to log and to put in an event: it never holds a token.
 */
public final class TokenUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The kinds of answer an app can act on differently. */
    public enum Kind {
        /** The user has no DrChrono link, or it holds no token (token storage was off when they signed in). */
        NOT_LINKED("not_linked", Response.Status.NOT_FOUND),
        /** DrChrono rejected the refresh token, or the stored token cannot be read: the user must sign in again. */
        REAUTHENTICATION_REQUIRED("reauthentication_required", Response.Status.UNAUTHORIZED),
        /** Same as above, from a stored value we cannot decrypt (key removed, or value tampered with). */
        UNREADABLE("reauthentication_required", Response.Status.UNAUTHORIZED),
        /** DrChrono down, slow, throttled or answering garbage: try again later; nothing was lost. */
        UPSTREAM("temporarily_unavailable", Response.Status.SERVICE_UNAVAILABLE),
        /** Another caller's refresh of the same token held the lock longer than the database waits. */
        BUSY("temporarily_unavailable", Response.Status.SERVICE_UNAVAILABLE),
        /** Keycloak is set up so that tokens cannot be stored safely (no AES key). */
        CONFIGURATION("server_error", Response.Status.INTERNAL_SERVER_ERROR);

        private final String oauthError;
        private final Response.Status status;

        Kind(String oauthError, Response.Status status) {
            this.oauthError = oauthError;
            this.status = status;
        }

        public String oauthError() {
            return oauthError;
        }

        public Response.Status status() {
            return status;
        }

        /** The {@code outcome} tag of the hand-out metric, e.g. {@code not_linked}. */
        public String outcome() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final transient DrChronoException upstream;

    public TokenUnavailableException(Kind kind, String message, DrChronoException upstream) {
        super(message);
        this.kind = kind;
        this.upstream = upstream;
    }

    public Kind kind() {
        return kind;
    }

    /** The DrChrono failure behind an UPSTREAM or REAUTHENTICATION_REQUIRED answer, or null. */
    public DrChronoException upstream() {
        return upstream;
    }

    /** For the event's reason, e.g. {@code reauthentication_required} or {@code drchrono_throttled}. */
    public String eventReason() {
        if (upstream != null && kind == Kind.UPSTREAM) {
            return upstream.reason().eventReason();
        }
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
