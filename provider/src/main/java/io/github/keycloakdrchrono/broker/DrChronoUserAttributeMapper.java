package io.github.keycloakdrchrono.broker;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.broker.oidc.mappers.AbstractJsonUserAttributeMapper;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.models.IdentityProviderMapperModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Keycloak's JSON "Attribute Importer", offered for DrChrono providers. The JSON is the DrChrono user object with
 * the doctor or staff record under {@code record}, so {@code record.specialty} or {@code permissions.settings}
 * are valid paths.
 *
 * <p>Keycloak 26.7's implementation prints the whole profile when its loggers are at DEBUG; the two methods that
 * read values are redone here with a lookup that logs nothing. Path syntax is the same: dot-separated field
 * names, and a field name that itself contains a dot matches literally first.
 */
public final class DrChronoUserAttributeMapper extends AbstractJsonUserAttributeMapper {

    public static final String PROVIDER_ID = "drchrono-user-attribute-mapper";
    private static final String[] COMPATIBLE_PROVIDERS = {DrChronoIdentityProviderFactory.PROVIDER_ID};

    @Override
    public String[] getCompatibleProviders() {
        return COMPATIBLE_PROVIDERS.clone();
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Copies a field of the DrChrono user (or of its doctor/staff record, under 'record.') "
                + "into a user attribute.";
    }

    @Override
    public void preprocessFederatedIdentity(KeycloakSession session, RealmModel realm,
            IdentityProviderMapperModel mapperModel, BrokeredIdentityContext context) {
        String attribute = attributeName(mapperModel);
        List<String> values = values(mapperModel, context);
        if (attribute != null && values != null) {
            context.setUserAttribute(attribute, values);
        }
    }

    @Override
    public void updateBrokeredUser(KeycloakSession session, RealmModel realm, UserModel user,
            IdentityProviderMapperModel mapperModel, BrokeredIdentityContext context) {
        String attribute = attributeName(mapperModel);
        if (attribute == null) {
            return;
        }
        List<String> values = values(mapperModel, context);
        if (values == null) {
            user.removeAttribute(attribute);
        } else {
            user.setAttribute(attribute, values);
        }
    }

    private static String attributeName(IdentityProviderMapperModel mapperModel) {
        String name = mapperModel.getConfig().get(CONF_USER_ATTRIBUTE);
        return name == null || name.isBlank() ? null : name.trim();
    }

    private static List<String> values(IdentityProviderMapperModel mapperModel, BrokeredIdentityContext context) {
        String path = mapperModel.getConfig().get(CONF_JSON_FIELD);
        Object json = context.getContextData().get(CONTEXT_JSON_NODE);
        if (path == null || path.isBlank() || !(json instanceof JsonNode root)) {
            return null;
        }
        return ProfileJsonPath.values(root, path.trim());
    }

    /** Resolves a dot path to the scalar values found there; arrays give one value per scalar element. */
    static final class ProfileJsonPath {

        private ProfileJsonPath() {
        }

        static List<String> values(JsonNode root, String path) {
            JsonNode node = find(root, path);
            if (node == null || node.isNull() || node.isMissingNode() || node.isObject()) {
                return null;
            }
            List<String> values = new ArrayList<>();
            if (node.isArray()) {
                node.forEach(element -> {
                    if (element.isValueNode() && !element.isNull()) {
                        values.add(element.asText());
                    }
                });
            } else {
                values.add(node.asText());
            }
            return values.isEmpty() ? null : values;
        }

        private static JsonNode find(JsonNode node, String path) {
            if (node == null || !node.isObject() || path.isEmpty()) {
                return null;
            }
            if (node.has(path)) {
                return node.get(path);
            }
            int dot = path.indexOf('.');
            while (dot > 0) {
                JsonNode child = node.get(path.substring(0, dot));
                JsonNode found = find(child, path.substring(dot + 1));
                if (found != null) {
                    return found;
                }
                dot = path.indexOf('.', dot + 1);
            }
            return null;
        }
    }
}
