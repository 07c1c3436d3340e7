package io.github.keycloakdrchrono.broker;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.broker.oidc.mappers.AbstractClaimToRoleMapper;
import org.keycloak.broker.oidc.mappers.AbstractJsonUserAttributeMapper;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.provider.ConfigConstants;
import org.keycloak.models.IdentityProviderMapperModel;
import org.keycloak.models.IdentityProviderSyncMode;
import org.keycloak.provider.ProviderConfigProperty;

import io.github.keycloakdrchrono.drchrono.DrChronoException;
import io.github.keycloakdrchrono.drchrono.DrChronoProfile;

/**
 * A role mapper for DrChrono providers: grants the configured realm or client role when the DrChrono user passes
 * {@link #applies(Map, JsonNode)}.
 *
 * <p>Granting and revoking is Keycloak's own {@link AbstractClaimToRoleMapper}, the base of its "Claim to Role"
 * mappers, so the sync modes mean what they mean there (Keycloak 26.7): first login grants; <i>import</i> leaves the
 * role alone afterwards; <i>force</i> grants or revokes at every login, unless another mapper granted the same
 * role in this login; <i>legacy</i> only revokes. The decision reads the profile the provider put into the
 * context at this login, so a mapper never calls DrChrono.
 */
abstract class DrChronoRoleMapper extends AbstractClaimToRoleMapper {

    private static final String[] COMPATIBLE_PROVIDERS = {DrChronoIdentityProviderFactory.PROVIDER_ID};
    private static final Set<IdentityProviderSyncMode> SYNC_MODES = EnumSet.allOf(IdentityProviderSyncMode.class);

    /**
     * Whether the DrChrono user earns the role. {@code user} is the user object (the doctor or staff record under
     * {@value DrChronoProfile#RECORD_FIELD}) that the provider read from DrChrono at this login: untrusted input.
     */
    abstract boolean applies(Map<String, String> config, JsonNode user);

    @Override
    protected final boolean applies(IdentityProviderMapperModel mapperModel, BrokeredIdentityContext context) {
        Object json = context.getContextData().get(AbstractJsonUserAttributeMapper.CONTEXT_JSON_NODE);
        return json instanceof JsonNode user && applies(mapperModel.getConfig(), user);
    }

    /** The user as our attributes read it (doctor and staff exclude each other); empty when unusable. */
    static Optional<DrChronoProfile> profile(JsonNode user) {
        try {
            return Optional.of(DrChronoProfile.fromUser(user));
        } catch (DrChronoException e) {
            return Optional.empty();
        }
    }

    /** The role selector of Keycloak's admin console, under Keycloak's key so that renaming a role updates it. */
    static ProviderConfigProperty roleProperty(String helpText) {
        return new ProviderConfigProperty(ConfigConstants.ROLE, "Role",
                helpText + " A realm role, or a client role (client.role).", ProviderConfigProperty.ROLE_TYPE, null,
                false, true);
    }

    @Override
    public final String[] getCompatibleProviders() {
        return COMPATIBLE_PROVIDERS.clone();
    }

    @Override
    public final String getDisplayCategory() {
        return "Role Importer";
    }

    @Override
    public final boolean supportsSyncMode(IdentityProviderSyncMode syncMode) {
        return SYNC_MODES.contains(syncMode);
    }
}
