package io.github.keycloakdrchrono.broker;

import jakarta.ws.rs.core.Response;

import io.github.keycloakdrchrono.drchrono.DrChronoException;

/**
 * What the user reads, and which HTTP status the page carries, for each way a DrChrono login fails. The texts are
 * in {@code theme-resources/messages}, in English and Spanish.
 */
final class LoginFailure {

    static final String UNAVAILABLE = "drchronoUnavailableMessage";
    static final String THROTTLED = "drchronoThrottledMessage";
    static final String CLIENT_REJECTED = "drchronoClientRejectedMessage";
    static final String REDIRECT_URI_REJECTED = "drchronoRedirectUriRejectedMessage";
    static final String CODE_REJECTED = "drchronoCodeRejectedMessage";
    static final String SCOPE_REJECTED = "drchronoScopeRejectedMessage";
    static final String REJECTED = "drchronoRejectedMessage";
    static final String BAD_RESPONSE = "drchronoBadResponseMessage";

    private LoginFailure() {
    }

    static String messageFor(DrChronoException e) {
        return switch (e.reason()) {
            case UNAVAILABLE, TIMEOUT -> UNAVAILABLE;
            case THROTTLED -> THROTTLED;
            case CLIENT_REJECTED -> CLIENT_REJECTED;
            case REDIRECT_URI_REJECTED -> REDIRECT_URI_REJECTED;
            case GRANT_REJECTED -> CODE_REJECTED;
            case REQUEST_REJECTED, TOKEN_REJECTED, FORBIDDEN, NOT_FOUND -> REJECTED;
            case BAD_RESPONSE -> BAD_RESPONSE;
        };
    }

    static Response.Status statusFor(DrChronoException e) {
        return switch (e.reason()) {
            case TIMEOUT -> Response.Status.GATEWAY_TIMEOUT;
            case UNAVAILABLE, THROTTLED -> Response.Status.SERVICE_UNAVAILABLE;
            default -> Response.Status.BAD_GATEWAY;
        };
    }
}
