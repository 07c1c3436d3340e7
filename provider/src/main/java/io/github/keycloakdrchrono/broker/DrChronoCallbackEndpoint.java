package io.github.keycloakdrchrono.broker;

import java.util.regex.Pattern;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.common.util.Time;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.provider.UserAuthenticationIdentityProvider.AuthenticationCallback;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ErrorPage;
import org.keycloak.services.Urls;
import org.keycloak.services.messages.Messages;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.keycloakdrchrono.DrChronoMetrics;
import io.github.keycloakdrchrono.drchrono.DrChronoClient;
import io.github.keycloakdrchrono.drchrono.DrChronoException;
import io.github.keycloakdrchrono.drchrono.TokenResponse;
import io.github.keycloakdrchrono.token.BrokeredTokens;
import io.github.keycloakdrchrono.token.StoredToken;
import io.github.keycloakdrchrono.token.TokenUnavailableException;

/**
 * Where DrChrono sends the browser back: {@code /realms/{realm}/broker/{alias}/endpoint}.
 *
 * <p>Replaces the endpoint of Keycloak's OAuth 2.0 base class (26.7), which logs the full redirect URL (with
 * {@code state}) and raw token-endpoint error bodies, and reports every upstream failure as the same
 * "unexpected error". Here each outcome gets its own page and an event whose {@code reason} says which:
 * cancelled by the user, DrChrono unavailable, throttled, refusing our client, refusing the redirect URI,
 * refusing the code, or answering something we do not accept.
 */
public final class DrChronoCallbackEndpoint {

    private static final Logger LOG = Logger.getLogger(DrChronoCallbackEndpoint.class);
    /** OAuth error codes are short ASCII words; anything else from the query string is not echoed anywhere. */
    private static final Pattern OAUTH_ERROR = Pattern.compile("[a-z_]{1,40}");

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AuthenticationCallback callback;
    private final EventBuilder event;
    private final DrChronoIdentityProvider provider;

    DrChronoCallbackEndpoint(KeycloakSession session, RealmModel realm, AuthenticationCallback callback,
            EventBuilder event, DrChronoIdentityProvider provider) {
        this.session = session;
        this.realm = realm;
        this.callback = callback;
        this.event = event;
        this.provider = provider;
    }

    /**
     * {@code @Path} is here for Keycloak's Quarkus build (24 and later): it indexes a provider jar for JAX-RS only
     * when the jar holds a bean-defining annotation such as {@code @Path}; without one the locator finds no
     * method and answers 405 (keycloak/keycloak#26835, #30309).
     */
    @GET
    @Path("/")
    public Response authResponse(@QueryParam(OAuth2Constants.STATE) String state,
            @QueryParam(OAuth2Constants.CODE) String code,
            @QueryParam(OAuth2Constants.ERROR) String error) {
        DrChronoIdentityProviderConfig config = provider.getConfig();
        if (state == null || state.isBlank()) {
            return failure(null, Response.Status.BAD_REQUEST, "missing_state",
                    Messages.IDENTITY_PROVIDER_MISSING_STATE_ERROR);
        }
        AuthenticationSessionModel authSession;
        try {
            // Checks the state against the browser's authentication session: a foreign or replayed state ends here.
            authSession = callback.getAndVerifyAuthenticationSession(state);
        } catch (WebApplicationException e) {
            DrChronoMetrics.login("invalid_state");
            return e.getResponse();
        }
        session.getContext().setAuthenticationSession(authSession);

        if (error != null) {
            return drChronoSaidNo(authSession, error);
        }
        if (code == null || code.isBlank()) {
            return failure(authSession, Response.Status.BAD_REQUEST, "missing_code",
                    Messages.IDENTITY_PROVIDER_MISSING_CODE_OR_ERROR_ERROR);
        }

        try {
            DrChronoClient client = provider.client();
            // Must be the exact string sent to /o/authorize/: DrChrono compares them character by character.
            String redirectUri = Urls.identityProviderAuthnResponse(session.getContext().getUri().getBaseUri(),
                    config.getAlias(), realm.getName()).toString();
            TokenResponse tokens = client.exchangeCode(code, redirectUri);
            BrokeredIdentityContext identity = provider.identityFor(client, tokens.accessToken());
            identity.setToken(BrokeredTokens.seal(session, realm, config.getAlias(), identity.getId(),
                    StoredToken.issued(tokens, Time.currentTime())));
            identity.setAuthenticationSession(authSession);
            DrChronoMetrics.login("success");
            return callback.authenticated(identity);
        } catch (DrChronoException e) {
            LOG.warnf("Sign-in with DrChrono provider %s failed: %s", config.getAlias(), e.getMessage());
            event.detail("drchrono_endpoint", e.endpoint());
            if (e.status() > 0) {
                event.detail("drchrono_status", String.valueOf(e.status()));
            }
            if (e.oauthError() != null) {
                event.detail("drchrono_error", e.oauthError());
            }
            return failure(authSession, LoginFailure.statusFor(e), e.reason().eventReason(),
                    LoginFailure.messageFor(e));
        } catch (TokenUnavailableException e) {
            // Only when the realm has no AES key: refuse rather than store DrChrono tokens in plain text.
            LOG.errorf("Sign-in with DrChrono provider %s failed: %s", config.getAlias(), e.getMessage());
            return failure(authSession, Response.Status.INTERNAL_SERVER_ERROR, "token_encryption_unavailable",
                    Messages.IDENTITY_PROVIDER_UNEXPECTED_ERROR);
        } catch (WebApplicationException e) {
            return e.getResponse();
        }
    }

    /** DrChrono redirected back with {@code error=…} instead of a code. */
    private Response drChronoSaidNo(AuthenticationSessionModel authSession, String error) {
        DrChronoIdentityProviderConfig config = provider.getConfig();
        String code = OAUTH_ERROR.matcher(error).matches() ? error : "unrecognised";
        if (code.equals("access_denied")) {
            event.clone().event(EventType.IDENTITY_PROVIDER_LOGIN)
                    .detail(Details.IDENTITY_PROVIDER, config.getAlias())
                    .detail(Details.REASON, "cancelled_at_drchrono")
                    .error(Errors.REJECTED_BY_USER);
            DrChronoMetrics.login("cancelled_at_drchrono");
            // Keycloak's own cancel handling: back to the login page, or back to the app when linking accounts.
            return callback.cancelled(config);
        }
        event.detail("drchrono_error", code);
        String message = code.equals("invalid_scope") ? LoginFailure.SCOPE_REJECTED : LoginFailure.REJECTED;
        return failure(authSession, Response.Status.BAD_GATEWAY, "drchrono_authorize_error", message);
    }

    private Response failure(AuthenticationSessionModel authSession, Response.Status status, String reason,
            String message) {
        event.event(EventType.IDENTITY_PROVIDER_LOGIN)
                .detail(Details.IDENTITY_PROVIDER, provider.getConfig().getAlias())
                .detail(Details.REASON, reason)
                .error(Errors.IDENTITY_PROVIDER_LOGIN_FAILURE);
        DrChronoMetrics.login(reason);
        return ErrorPage.error(session, authSession, status, message);
    }
}
