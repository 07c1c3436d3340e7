package io.github.keycloakdrchrono;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;

/** This build's version, for the admin console's server info, read once from a file the build writes. */
public final class ExtensionVersion {

    private static final Map<String, String> INFO = load();

    private ExtensionVersion() {
    }

    public static Map<String, String> operationalInfo() {
        return INFO;
    }

    private static Map<String, String> load() {
        Properties properties = new Properties();
        try (InputStream in = ExtensionVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // the version is informational; an unreadable file shows as "unknown"
        }
        return Map.of("keycloak-drchrono-version", properties.getProperty("version", "unknown"),
                "compiled-against-keycloak", properties.getProperty("keycloak.compiled", "unknown"));
    }
}
