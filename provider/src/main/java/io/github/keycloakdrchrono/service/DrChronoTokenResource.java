package io.github.keycloakdrchrono.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager;

import io.github.keycloakdrchrono.DrChronoMetrics;
import io.github.keycloakdrchrono.broker.DrChronoIdentityProvider;
import io.github.keycloakdrchrono.broker.DrChronoIdentityProviderFactory;
import io.github.keycloakdrchrono.token.TokenHandout;
import io.github.keycloakdrchrono.token.TokenUnavailableException;

/**
 * DrChrono tokens for backends, without a user present: {@code GET /realms/{realm}/drchrono/{alias}/users/{id}/token}
 * and {@code GET /realms/{realm}/drchrono/{alias}/users?drchrono_id=…} to find the Keycloak user.
 *
 * <p>Only a confidential client's service account holding the realm role {@value #ROLE} may call, checked against
 * its current role mappings (so taking the role away takes effect at once, not when the token expires). Every
 * hand-out and every refusal is an {@code IDENTITY_PROVIDER_RETRIEVE_TOKEN} event naming the calling client, the
 * user and the outcome.
 */
public final class DrChronoTokenResource {

    public static final String ROLE = "drchrono-token-broker";
    private static final String VIA = "service";

    private final KeycloakSession session;
    private final RealmModel realm;

    DrChronoTokenResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    @GET
    @Path("{alias}/users/{userId}/token")
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@PathParam("alias") String alias, @PathParam("userId") String userId) {
        EventBuilder event = event(alias).user(userId);
        ClientModel caller;
        DrChronoIdentityProvider provider;
        try {
            caller = authorize(event);
            provider = provider(alias, event);
        } catch (WebApplicationException e) {
            DrChronoMetrics.handOut(VIA, "refused");
            throw e;
        }
        UserModel user = session.users().getUserById(realm, userId);
        FederatedIdentityModel link = user == null ? null : session.users().getFederatedIdentity(realm, user, alias);
        if (link == null) {
            DrChronoMetrics.handOut(VIA, TokenUnavailableException.Kind.NOT_LINKED.outcome());
            throw refuse(event, Errors.USER_NOT_FOUND, "user_not_linked", Response.Status.NOT_FOUND, "invalid_request",
                    "No user with that id is linked to " + alias + ".");
        }
        event.user(user);
        try {
            Response response = TokenHandout.ok(provider.freshToken(session, realm, link, user),
                    provider.getConfig().isReleaseRefreshToken());
            event.detail("requested_by", caller.getClientId()).success();
            DrChronoMetrics.handOut(VIA, "served");
            return response;
        } catch (TokenUnavailableException e) {
            DrChronoMetrics.handOut(VIA, e.kind().outcome());
            event.detail(Details.REASON, e.eventReason()).error(Errors.IDENTITY_PROVIDER_ERROR);
            return TokenHandout.errorResponse(session, realm, alias, e);
        }
    }

    @GET
    @Path("{alias}/users")
    @Produces(MediaType.APPLICATION_JSON)
    public Response findUser(@PathParam("alias") String alias, @QueryParam("drchrono_id") String drChronoId) {
        EventBuilder event = event(alias);
        authorize(event);
        provider(alias, event);
        if (drChronoId == null || !drChronoId.matches("\\d{1,18}")) {
            throw refuse(event, Errors.INVALID_REQUEST, "bad_drchrono_id", Response.Status.BAD_REQUEST,
                    "invalid_request", "drchrono_id must be a DrChrono user id (digits).");
        }
        UserModel user = session.users().getUserByFederatedIdentity(realm,
                new FederatedIdentityModel(alias, drChronoId, null));
        if (user == null) {
            throw refuse(event, Errors.USER_NOT_FOUND, "user_not_linked", Response.Status.NOT_FOUND,
                    "invalid_request", "No user is linked to that DrChrono id.");
        }
        // A lookup hands out no token, so it is not an event of its own; the token call that follows is.
        Map<String, Object> found = new LinkedHashMap<>();
        found.put("id", user.getId());
        found.put("username", user.getUsername());
        return Response.ok(List.of(found), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private EventBuilder event(String alias) {
        return new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.IDENTITY_PROVIDER_RETRIEVE_TOKEN)
                .detail(Details.IDENTITY_PROVIDER, alias);
    }

    /** Deny by default: a valid token, of a confidential client's own service account, with the role now. */
    private ClientModel authorize(EventBuilder event) {
        AuthenticationManager.AuthResult auth = new AppAuthManager.BearerTokenAuthenticator(session)
                .setRealm(realm)
                .setConnection(session.getContext().getConnection())
                .setHeaders(session.getContext().getRequestHeaders())
                .authenticate();
        if (auth == null) {
            throw refuse(event, Errors.INVALID_TOKEN, "invalid_bearer_token", Response.Status.UNAUTHORIZED,
                    "invalid_token", "A valid bearer token of this realm is required.");
        }
        ClientModel client = auth.client();
        event.client(client);
        UserModel caller = auth.user();
        if (client == null || client.isPublicClient() || caller.getServiceAccountClientLink() == null
                || !caller.getServiceAccountClientLink().equals(client.getId())) {
            throw refuse(event, Errors.NOT_ALLOWED, "not_a_service_account", Response.Status.FORBIDDEN,
                    "access_denied", "Only a confidential client's service account may call this endpoint.");
        }
        RoleModel role = realm.getRole(ROLE);
        if (role == null || !caller.hasRole(role)) {
            throw refuse(event, Errors.NOT_ALLOWED, "missing_role", Response.Status.FORBIDDEN, "access_denied",
                    "The service account needs the realm role " + ROLE + ".");
        }
        return client;
    }

    private DrChronoIdentityProvider provider(String alias, EventBuilder event) {
        IdentityProviderModel model = session.identityProviders().getByAlias(alias);
        if (model == null || !model.isEnabled()
                || !DrChronoIdentityProviderFactory.PROVIDER_ID.equals(model.getProviderId())) {
            throw refuse(event, Errors.UNKNOWN_IDENTITY_PROVIDER, "no_such_provider", Response.Status.NOT_FOUND,
                    "invalid_request", "No enabled DrChrono provider with that alias.");
        }
        if (!model.isStoreToken()) {
            throw refuse(event, Errors.IDENTITY_PROVIDER_ERROR, "token_storage_off", Response.Status.NOT_FOUND,
                    "invalid_request", "The provider does not store tokens.");
        }
        return (DrChronoIdentityProvider) new DrChronoIdentityProviderFactory().create(session, model);
    }

    private static WebApplicationException refuse(EventBuilder event, String error, String reason,
            Response.Status status, String oauthError, String description) {
        event.detail(Details.REASON, reason).error(error);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", oauthError);
        body.put("error_description", description);
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body);
        if (status == Response.Status.UNAUTHORIZED) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"keycloak\", error=\"invalid_token\"");
        }
        return new WebApplicationException(response.build());
    }
}
