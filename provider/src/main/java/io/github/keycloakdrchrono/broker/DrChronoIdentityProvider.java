package io.github.keycloakdrchrono.broker;

import java.net.URI;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.databind.JsonNode;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.broker.oidc.AbstractOAuth2IdentityProvider;
import org.keycloak.broker.oidc.mappers.AbstractJsonUserAttributeMapper;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.social.SocialIdentityProvider;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.IdentityProviderSyncMode;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.vault.VaultStringSecret;

import io.github.keycloakdrchrono.DrChronoMetrics;
import io.github.keycloakdrchrono.drchrono.DrChronoClient;
import io.github.keycloakdrchrono.drchrono.DrChronoException;
import io.github.keycloakdrchrono.drchrono.DrChronoException.Reason;
import io.github.keycloakdrchrono.drchrono.DrChronoProfile;
import io.github.keycloakdrchrono.token.BrokeredTokens;
import io.github.keycloakdrchrono.token.StoredToken;
import io.github.keycloakdrchrono.token.TokenHandout;
import io.github.keycloakdrchrono.token.TokenUnavailableException;

/**
 * "Sign in with DrChrono": DrChrono's OAuth 2.0 server for the login, its user API for the profile.
 *
 * <p>DrChrono is OAuth 2.0 without OpenID Connect: no id token, no e-mail or names on the user object. The
 * profile is the user object ({@code /api/users/current}) plus the doctor record for a doctor, or the user's own
 * staff record for a staff member. The callback is ours (see {@link DrChronoCallbackEndpoint}) so that each
 * failure gets its own page and event, and nothing secret reaches the log.
 */
public final class DrChronoIdentityProvider extends AbstractOAuth2IdentityProvider<DrChronoIdentityProviderConfig>
        implements SocialIdentityProvider<DrChronoIdentityProviderConfig> {

    private static final Logger LOG = Logger.getLogger(DrChronoIdentityProvider.class);
    private static final String VIA_BROKER = "broker";
    private static final String SERVED = "served";

    public DrChronoIdentityProvider(KeycloakSession session, DrChronoIdentityProviderConfig config) {
        super(session, config);
    }

    @Override
    protected String getDefaultScopes() {
        return DrChronoIdentityProviderConfig.DEFAULT_SCOPE;
    }

    @Override
    public Object callback(RealmModel realm, AuthenticationCallback callback, EventBuilder event) {
        return new DrChronoCallbackEndpoint(session, realm, callback, event, this);
    }

    /** A client for this provider's DrChrono, with the client secret resolved through Keycloak's vault. */
    public DrChronoClient client() {
        DrChronoIdentityProviderConfig config = getConfig();
        try (VaultStringSecret secret = session.vault().getStringSecret(config.getClientSecret())) {
            return new DrChronoClient(session.getProvider(HttpClientProvider.class).getHttpClient(),
                    new DrChronoClient.Settings(URI.create(config.getTokenUrl()), URI.create(config.getRevokeUrl()),
                            URI.create(config.getApiUrl()),
                            config.getClientId(), secret.get().orElse(config.getClientSecret()),
                            config.isBasicAuthentication(), config.getConnectTimeoutMillis(),
                            config.getReadTimeoutMillis()));
        }
    }

    /**
     * Builds the brokered identity from DrChrono's user API.
     *
     * @throws DrChronoException when DrChrono cannot be read; the callback turns it into a page and an event
     */
    BrokeredIdentityContext identityFor(DrChronoClient client, String accessToken) {
        DrChronoProfile profile = DrChronoProfile.fromUser(client.currentUser(accessToken));
        if (getConfig().isFetchRecord()) {
            profile = profile.withRecord(record(client, accessToken, profile));
        }

        BrokeredIdentityContext context = new BrokeredIdentityContext(String.valueOf(profile.id()), getConfig());
        context.setUsername(profile.username());
        context.setEmail(profile.email());
        context.setFirstName(profile.firstName());
        context.setLastName(profile.lastName());
        context.setIdp(this);
        // Kept in the context (and so in the first-login session) for our attributes and for attribute mappers.
        // Keycloak's storeUserProfileForMapper would also print it at DEBUG, so it is put here directly.
        context.getContextData().put(AbstractJsonUserAttributeMapper.CONTEXT_JSON_NODE, profile.json());
        return context;
    }

    /**
     * The doctor record for a doctor, the user's own staff record for staff. A staff member's {@code doctor} is
     * their employer: reading that record would give them the doctor's names, so staff are looked up by username.
     * A record DrChrono refuses (no {@code user:read} scope) or lacks leaves names unknown, and the first-login
     * form asks for them; DrChrono being down fails the login instead, so no half-filled account is created.
     */
    private JsonNode record(DrChronoClient client, String accessToken, DrChronoProfile profile) {
        try {
            if (profile.isDoctor() && profile.doctorId() != null) {
                return client.doctor(accessToken, profile.doctorId());
            }
            if (profile.isStaff()) {
                return client.staffMember(accessToken, profile.username(), profile.doctorId()).orElse(null);
            }
            return null;
        } catch (DrChronoException e) {
            if (e.reason() == Reason.FORBIDDEN || e.reason() == Reason.NOT_FOUND) {
                LOG.warnf("DrChrono provider %s: %s; names and e-mail stay empty. Is user:read among the scopes?",
                        getConfig().getAlias(), e.getMessage());
                return null;
            }
            throw e;
        }
    }

    /**
     * Keycloak 26.7's OAuth 2.0 base copies the access token into a user-session note here, and user sessions are
     * persisted to the database by default since 26: that would put a plain DrChrono token in the database. Apps
     * get the token from the (encrypted) stored one instead.
     */
    @Override
    public void authenticationFinished(AuthenticationSessionModel authSession, BrokeredIdentityContext context) {
        // deliberately nothing
    }

    @Override
    public void importNewUser(KeycloakSession session, RealmModel realm, UserModel user,
            BrokeredIdentityContext context) {
        writeAttributes(session, user, context);
    }

    @Override
    public void updateBrokeredUser(KeycloakSession session, RealmModel realm, UserModel user,
            BrokeredIdentityContext context) {
        // "Import" means copy once at first login; Keycloak's other modes let DrChrono's values win at each login.
        if (getConfig().getSyncMode() != IdentityProviderSyncMode.IMPORT) {
            writeAttributes(session, user, context);
        }
    }

    private void writeAttributes(KeycloakSession session, UserModel user, BrokeredIdentityContext context) {
        Object json = context.getContextData().get(AbstractJsonUserAttributeMapper.CONTEXT_JSON_NODE);
        if (!(json instanceof JsonNode node)) {
            return;
        }
        DrChronoUserAttributes.declare(session);
        DrChronoProfile profile = DrChronoProfile.fromUser(node).withRecord(node.get(DrChronoProfile.RECORD_FIELD));
        DrChronoUserAttributes.write(user, profile);
    }

    /** {@code GET /realms/{realm}/broker/{alias}/token} (Keycloak's v1 brokering API). */
    @Override
    public Response retrieveToken(KeycloakSession session, FederatedIdentityModel identity) {
        RealmModel realm = session.getContext().getRealm();
        ClientModel client = session.getContext().getClient();
        if (client == null || client.isPublicClient()) {
            // Keycloak 26.7 refuses public clients on the v2 endpoint only. A public client holds its tokens in a
            // browser or on a device, and a DrChrono token opens patient records: deny it here too.
            throw TokenHandout.refused("public_client", Response.Status.FORBIDDEN, "access_denied",
                    "Public clients may not receive DrChrono tokens; ask through a confidential client.");
        }
        try {
            // The endpoint already loaded the link; the user is looked up only if a refresh is due.
            StoredToken token = tokens(session, realm).fresh(identity,
                    () -> session.users().getUserByFederatedIdentity(realm, identity));
            DrChronoMetrics.handOut(VIA_BROKER, SERVED);
            return TokenHandout.ok(token, getConfig().isReleaseRefreshToken());
        } catch (TokenUnavailableException e) {
            DrChronoMetrics.handOut(VIA_BROKER, e.kind().outcome());
            throw TokenHandout.error(session, realm, getConfig().getAlias(), e);
        }
    }

    /** {@code POST /realms/{realm}/broker/{alias}/token} (v2) and the stored-token path of token exchange. */
    @Override
    public Response retrieveToken(KeycloakSession session, FederatedIdentityModel identity,
            UserSessionModel userSession, UserModel user) {
        return handOut(session, session.getContext().getRealm(), user);
    }

    /**
     * The user's DrChrono token, refreshed first when within the margin of expiry.
     *
     * @throws TokenUnavailableException when there is none to give
     */
    public StoredToken freshToken(KeycloakSession session, RealmModel realm, UserModel user) {
        return tokens(session, realm).fresh(user);
    }

    /** The same, for a caller that has already loaded the user's link, which is then not read again. */
    public StoredToken freshToken(KeycloakSession session, RealmModel realm, FederatedIdentityModel link,
            UserModel user) {
        return tokens(session, realm).fresh(link, () -> user);
    }

    private Response handOut(KeycloakSession session, RealmModel realm, UserModel user) {
        try {
            StoredToken token = freshToken(session, realm, user);
            DrChronoMetrics.handOut(VIA_BROKER, SERVED);
            return TokenHandout.ok(token, getConfig().isReleaseRefreshToken());
        } catch (TokenUnavailableException e) {
            DrChronoMetrics.handOut(VIA_BROKER, e.kind().outcome());
            throw TokenHandout.error(session, realm, getConfig().getAlias(), e);
        }
    }

    private BrokeredTokens tokens(KeycloakSession session, RealmModel realm) {
        // A refresh call to DrChrono ends within connect + read timeout (DrChronoClient's deadline); callers
        // queued behind it wait that long, plus a moment for its commit.
        long lockWait = getConfig().getConnectTimeoutMillis() + (long) getConfig().getReadTimeoutMillis() + 2_000;
        return new BrokeredTokens(session, realm, getConfig().getAlias(), this::client,
                getConfig().getRefreshMarginSeconds(), lockWait);
    }

    /**
     * Token exchange to DrChrono. Keycloak 26.7's version reads the stored token as plain JSON and, when it cannot,
     * deletes it; here it goes through the same refresh-once path as the broker endpoint.
     */
    @Override
    protected Response exchangeStoredToken(UriInfo uriInfo, EventBuilder event, ClientModel authorizedClient,
            UserSessionModel tokenUserSession, UserModel tokenSubject) {
        RealmModel realm = authorizedClient != null ? authorizedClient.getRealm() : session.getContext().getRealm();
        try {
            StoredToken token = freshToken(session, realm, tokenSubject);
            DrChronoMetrics.handOut("exchange", SERVED);
            AccessTokenResponse response = new AccessTokenResponse();
            response.setToken(token.accessToken());
            response.setTokenType(token.tokenType());
            Long remaining = token.remainingSeconds(Time.currentTime());
            response.setExpiresIn(remaining == null ? 0 : remaining);
            response.setScope(token.scope());
            return buildTokenResponse(uriInfo, event, authorizedClient, tokenUserSession, response,
                    OAuth2Constants.ACCESS_TOKEN_TYPE);
        } catch (TokenUnavailableException e) {
            DrChronoMetrics.handOut("exchange", e.kind().outcome());
            if (event != null) {
                event.detail(Details.REASON, e.eventReason());
                event.error(Errors.INVALID_TOKEN);
            }
            if (e.kind() == TokenUnavailableException.Kind.NOT_LINKED) {
                return exchangeNotLinked(uriInfo, authorizedClient, tokenUserSession, tokenSubject);
            }
            return TokenHandout.errorResponse(session, realm, getConfig().getAlias(), e);
        }
    }

    @Override
    public BrokeredIdentityContext getFederatedIdentity(String response) {
        // The base class would put the whole token response into an exception message; our callback never
        // comes here, and nothing else in Keycloak 26.7 calls it for a social provider.
        throw new UnsupportedOperationException("DrChrono logins go through DrChronoCallbackEndpoint");
    }
}
