package io.github.keycloakdrchrono.broker;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Metrics;
import org.keycloak.Config;
import org.keycloak.broker.provider.AbstractIdentityProviderFactory;
import org.keycloak.broker.social.SocialIdentityProviderFactory;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

import io.github.keycloakdrchrono.DrChronoMetrics;
import io.github.keycloakdrchrono.ExtensionVersion;
import io.github.keycloakdrchrono.token.LinkRemovalRevoker;

/** Registers DrChrono among Keycloak's social identity providers, with id {@value #PROVIDER_ID}. */
public final class DrChronoIdentityProviderFactory extends AbstractIdentityProviderFactory<DrChronoIdentityProvider>
        implements SocialIdentityProviderFactory<DrChronoIdentityProvider>, ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = "drchrono";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getName() {
        return DrChronoIdentityProviderConfig.DISPLAY_NAME;
    }

    @Override
    public DrChronoIdentityProvider create(KeycloakSession session, IdentityProviderModel model) {
        return new DrChronoIdentityProvider(session, new DrChronoIdentityProviderConfig(model));
    }

    @Override
    public DrChronoIdentityProviderConfig createConfig() {
        return new DrChronoIdentityProviderConfig();
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return DrChronoIdentityProviderConfig.configProperties();
    }

    /**
     * Keycloak's own meters (26.7's password-validation counter) are built only when {@code metrics-enabled} is on;
     * ours follow the same switch, so a server without metrics does not even look meters up.
     */
    @Override
    public void init(Config.Scope config) {
        DrChronoMetrics.publishTo(config.root().getBoolean("metrics-enabled", false) ? Metrics.globalRegistry : null);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(new LinkRemovalRevoker());
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return ExtensionVersion.operationalInfo();
    }
}
