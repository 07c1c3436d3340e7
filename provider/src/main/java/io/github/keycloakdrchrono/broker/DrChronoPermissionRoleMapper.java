package io.github.keycloakdrchrono.broker;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.provider.ProviderConfigProperty;

import io.github.keycloakdrchrono.drchrono.Json;

/**
 * "DrChrono permission role": grants a role when one named DrChrono permission is true.
 *
 * <p>The permission is looked up by its exact name in the user's {@code permissions} object, not in the cleaned
 * list kept as {@code drchrono_permissions}: there a key with an invisible character would read as the real one.
 * Only {@code true} or the string {@code "true"} grants (DrChrono's OpenAPI file types the flags as strings).
 */
public final class DrChronoPermissionRoleMapper extends DrChronoRoleMapper {

    public static final String PROVIDER_ID = "drchrono-permission-role-mapper";
    public static final String PERMISSION_KEY = "permission";

    private static final List<ProviderConfigProperty> CONFIG = List.of(
            new ProviderConfigProperty(PERMISSION_KEY, "DrChrono permission", "Name of the permission exactly as "
                    + "DrChrono spells it, e.g. access_billing or sign/lock_clinical_notes.",
                    ProviderConfigProperty.STRING_TYPE, null, false, true),
            roleProperty("Role to grant when the DrChrono permission is true."));

    @Override
    boolean applies(Map<String, String> config, JsonNode user) {
        String permission = config.get(PERMISSION_KEY);
        if (permission == null || permission.isBlank()) {
            return false;
        }
        JsonNode permissions = user.get("permissions");
        return permissions != null && permissions.isObject()
                && Boolean.TRUE.equals(Json.flag(permissions.get(permission.trim())));
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "DrChrono permission role";
    }

    @Override
    public String getHelpText() {
        return "Grants a realm or client role when a DrChrono permission of the user is true.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }
}
