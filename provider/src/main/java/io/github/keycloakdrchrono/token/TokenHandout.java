package io.github.keycloakdrchrono.token;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;

/**
 * The JSON an app receives: the access token, its type, remaining lifetime and scope, and the refresh token only
 * when the admin chose to release it. Errors are OAuth-style {@code error} / {@code error_description}, with
 * {@code Retry-After} passed on from DrChrono, and for a dead link the URL that starts the re-link.
 */
public final class TokenHandout {

    private TokenHandout() {
    }

    public static Response ok(StoredToken token, boolean releaseRefreshToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.accessToken());
        body.put("token_type", token.tokenType());
        Long remaining = token.remainingSeconds(Time.currentTime());
        if (remaining != null) {
            body.put("expires_in", remaining);
        }
        if (token.scope() != null) {
            body.put("scope", token.scope());
        }
        if (releaseRefreshToken && token.refreshToken() != null) {
            body.put("refresh_token", token.refreshToken());
        }
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    /** The error as an exception the broker endpoints turn into the response and a failed event. */
    public static WebApplicationException error(KeycloakSession session, RealmModel realm, String alias,
            TokenUnavailableException e) {
        return new WebApplicationException(e.eventReason(), errorResponse(session, realm, alias, e));
    }

    /**
     * A request refused before any token is looked at, as an exception whose message is the event reason (Keycloak's
     * v1 broker endpoint records the message of what the provider throws).
     */
    public static WebApplicationException refused(String reason, Response.Status status, String oauthError,
            String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", oauthError);
        body.put("error_description", description);
        return new WebApplicationException(reason, Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-store").entity(body).build());
    }

    public static Response errorResponse(KeycloakSession session, RealmModel realm, String alias,
            TokenUnavailableException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.kind().oauthError());
        body.put("error_description", description(e));
        Response.ResponseBuilder response = Response.status(e.kind().status()).type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
        if (e.kind() == TokenUnavailableException.Kind.REAUTHENTICATION_REQUIRED
                || e.kind() == TokenUnavailableException.Kind.UNREADABLE) {
            String url = relinkUrl(session, realm, alias);
            if (url != null) {
                body.put("reauthentication_url", url);
            }
        }
        if (e.kind() == TokenUnavailableException.Kind.BUSY) {
            response.header("Retry-After", 1);
        }
        if (e.upstream() != null) {
            e.upstream().retryAfterSeconds().ifPresent(seconds -> response.header("Retry-After", seconds));
            if (e.upstream().reason() == io.github.keycloakdrchrono.drchrono.DrChronoException.Reason.TIMEOUT) {
                response.status(Response.Status.GATEWAY_TIMEOUT);
            }
        }
        return response.entity(body).build();
    }

    private static String description(TokenUnavailableException e) {
        return switch (e.kind()) {
            case NOT_LINKED -> "The user has no DrChrono token stored in Keycloak.";
            case REAUTHENTICATION_REQUIRED, UNREADABLE ->
                    "The user must sign in with DrChrono again; send them to reauthentication_url "
                            + "(add redirect_uri and your usual parameters).";
            case UPSTREAM -> "DrChrono did not refresh the token (" + e.eventReason() + "); the stored token is "
                    + "unchanged, try again later.";
            case BUSY -> "The token is being refreshed for another request; try again in a second.";
            case CONFIGURATION -> "Keycloak cannot read or write DrChrono tokens; see the server log.";
        };
    }

    /**
     * Keycloak's application-initiated action that links an identity provider (26.3 and later): the app sends the
     * user there with its own redirect_uri, and a successful DrChrono login replaces the dead token.
     */
    private static String relinkUrl(KeycloakSession session, RealmModel realm, String alias) {
        ClientModel client = session.getContext().getClient();
        if (client == null || session.getContext().getUri() == null) {
            return null;
        }
        return Urls.realmBase(session.getContext().getUri().getBaseUri())
                .path("{realm}/protocol/openid-connect/auth")
                .queryParam("client_id", client.getClientId())
                .queryParam("response_type", "code")
                .queryParam("scope", "openid")
                .queryParam("kc_action", "idp_link:" + alias)
                .build(realm.getName()).toString();
    }
}
