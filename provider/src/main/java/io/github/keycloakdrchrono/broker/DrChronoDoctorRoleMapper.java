package io.github.keycloakdrchrono.broker;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.provider.ProviderConfigProperty;

import io.github.keycloakdrchrono.drchrono.DrChronoProfile;

/** "DrChrono doctor role": grants a role to users DrChrono calls doctors ({@code is_doctor}). */
public final class DrChronoDoctorRoleMapper extends DrChronoRoleMapper {

    public static final String PROVIDER_ID = "drchrono-doctor-role-mapper";

    private static final List<ProviderConfigProperty> CONFIG = List.of(
            roleProperty("Role to grant when the DrChrono user is a doctor."));

    @Override
    boolean applies(Map<String, String> config, JsonNode user) {
        return profile(user).map(DrChronoProfile::isDoctor).orElse(false);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "DrChrono doctor role";
    }

    @Override
    public String getHelpText() {
        return "Grants a realm or client role when the DrChrono user is a doctor.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }
}
