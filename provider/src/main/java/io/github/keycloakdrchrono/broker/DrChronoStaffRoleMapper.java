package io.github.keycloakdrchrono.broker;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.provider.ProviderConfigProperty;

import io.github.keycloakdrchrono.drchrono.DrChronoProfile;

/** "DrChrono staff role": grants a role to users DrChrono calls staff ({@code is_staff}). */
public final class DrChronoStaffRoleMapper extends DrChronoRoleMapper {

    public static final String PROVIDER_ID = "drchrono-staff-role-mapper";

    private static final List<ProviderConfigProperty> CONFIG = List.of(
            roleProperty("Role to grant when the DrChrono user is a staff member."));

    @Override
    boolean applies(Map<String, String> config, JsonNode user) {
        return profile(user).map(DrChronoProfile::isStaff).orElse(false);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "DrChrono staff role";
    }

    @Override
    public String getHelpText() {
        return "Grants a realm or client role when the DrChrono user is a staff member.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }
}
