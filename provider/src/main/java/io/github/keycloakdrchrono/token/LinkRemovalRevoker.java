package io.github.keycloakdrchrono.token;

import java.util.List;

import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

import io.github.keycloakdrchrono.broker.DrChronoIdentityProvider;
import io.github.keycloakdrchrono.broker.DrChronoIdentityProviderFactory;
import io.github.keycloakdrchrono.drchrono.DrChronoException;

/**
 * When a DrChrono link goes away (the user unlinks in the account console, an admin removes it, or the user is
 * deleted), revokes its refresh token at DrChrono, so a copy of it taken before is worthless too. Keycloak has
 * already deleted (or is about to delete) the stored token; revocation is best effort and never blocks that, and
 * its outcome is a {@code REVOKE_GRANT} event on the user.
 */
public final class LinkRemovalRevoker implements ProviderEventListener {

    private static final Logger LOG = Logger.getLogger(LinkRemovalRevoker.class);

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof FederatedIdentityModel.FederatedIdentityRemovedEvent removed) {
            revoke(removed.getKeycloakSession(), removed.getRealm(), removed.getUser(), removed.getFederatedIdentity());
        } else if (event instanceof UserModel.UserPreRemovedEvent removing) {
            KeycloakSession session = removing.getKeycloakSession();
            List<FederatedIdentityModel> links = session.users()
                    .getFederatedIdentitiesStream(removing.getRealm(), removing.getUser()).toList();
            links.forEach(link -> revoke(session, removing.getRealm(), removing.getUser(), link));
        }
    }

    private static void revoke(KeycloakSession session, RealmModel realm, UserModel user, FederatedIdentityModel link) {
        if (link == null || link.getToken() == null) {
            return;
        }
        RealmModel previous = session.getContext().getRealm();
        // Identity providers are looked up in the context's realm; admin requests run in the admin's realm.
        session.getContext().setRealm(realm);
        try {
            IdentityProviderModel model = session.identityProviders().getByAlias(link.getIdentityProvider());
            if (model == null || !DrChronoIdentityProviderFactory.PROVIDER_ID.equals(model.getProviderId())) {
                return;
            }
            EventBuilder event = new EventBuilder(realm, session);
            if (session.getContext().getConnection() != null) {
                event.ipAddress(session.getContext().getConnection().getRemoteHost());
            }
            event.event(EventType.REVOKE_GRANT)
                    .user(user)
                    .detail(Details.IDENTITY_PROVIDER, link.getIdentityProvider())
                    .detail(Details.IDENTITY_PROVIDER_USERNAME, link.getUserName());
            revoke(session, realm, model, link, event);
        } finally {
            session.getContext().setRealm(previous);
        }
    }

    private static void revoke(KeycloakSession session, RealmModel realm, IdentityProviderModel model,
            FederatedIdentityModel link, EventBuilder event) {
        StoredToken token;
        try {
            token = BrokeredTokens.open(session, realm,
                    BrokeredTokens.binding(realm, link.getIdentityProvider(), link.getUserId()), link.getToken());
        } catch (TokenUnavailableException e) {
            event.detail(Details.REASON, "stored_token_" + e.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .error(Errors.INVALID_TOKEN);
            return;
        }
        if (token.refreshToken() == null) {
            event.detail(Details.REASON, "no_refresh_token").success();
            return;
        }
        DrChronoIdentityProvider provider = (DrChronoIdentityProvider) new DrChronoIdentityProviderFactory()
                .create(session, model);
        try {
            boolean revoked = provider.client().revokeRefreshToken(token.refreshToken());
            if (revoked) {
                event.detail(Details.REASON, "revoked_at_drchrono").success();
            } else {
                event.detail(Details.REASON, "drchrono_revocation_not_supported").error(Errors.NOT_ALLOWED);
            }
        } catch (DrChronoException e) {
            LOG.warnf("Revoking the DrChrono token of a removed link (provider %s) failed: %s",
                    link.getIdentityProvider(), e.getMessage());
            event.detail(Details.REASON, e.reason().eventReason()).error(Errors.IDENTITY_PROVIDER_ERROR);
        }
    }
}
