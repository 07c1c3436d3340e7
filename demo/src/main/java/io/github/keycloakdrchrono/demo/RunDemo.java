package io.github.keycloakdrchrono.demo;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.keycloakdrchrono.launcher.AdminClient;
import io.github.keycloakdrchrono.launcher.KeycloakServer;
import io.github.keycloakdrchrono.sandbox.DrChronoSandbox;
import io.github.keycloakdrchrono.sandbox.SandboxUser;
import io.github.keycloakdrchrono.sandbox.SandboxUsers;

/**
 * Keycloak with the extension and a "demo" realm whose DrChrono button works: against the sandbox by default,
 * against the real DrChrono when {@code DRCHRONO_CLIENT_ID} and {@code DRCHRONO_CLIENT_SECRET} are set.
 *
 * <p>The realm is set up through the admin REST API on every start rather than imported once, so switching
 * between sandbox and real DrChrono (or changing ports) takes effect without deleting the H2 database.
 */
public final class RunDemo {

    private static final String REALM = "demo";
    private static final String ALIAS = "drchrono";
    private static final String SANDBOX_CLIENT_ID = "keycloak-demo";
    private static final String SANDBOX_CLIENT_SECRET = "demo-sandbox-secret";
    private static final String DEMO_APP = "demo-app";
    private static final String DEMO_APP_SECRET = "demo-app-secret";
    /** Nothing listens there: the browser shows an error page whose address bar holds the code to copy. */
    private static final String DEMO_APP_REDIRECT = "http://localhost:3000/callback";
    private static final String DEMO_BACKEND = "demo-backend";
    private static final String DEMO_BACKEND_SECRET = "demo-backend-secret";
    private static final String BROKER_ROLE = "drchrono-token-broker";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunDemo() {
    }

    public static void main(String[] args) throws InterruptedException {
        int keycloakPort = intEnv("KEYCLOAK_PORT", 8080);
        int managementPort = intEnv("KEYCLOAK_MANAGEMENT_PORT", 9000);
        int sandboxPort = intEnv("SANDBOX_PORT", 8099);
        String clientId = System.getenv("DRCHRONO_CLIENT_ID");
        String clientSecret = System.getenv("DRCHRONO_CLIENT_SECRET");
        boolean realDrChrono = notBlank(clientId) && notBlank(clientSecret);
        String redirectUri = "http://localhost:" + keycloakPort + "/realms/" + REALM + "/broker/" + ALIAS + "/endpoint";

        DrChronoSandbox sandbox = null;
        String baseUrl;
        String apiUrl;
        if (realDrChrono) {
            baseUrl = envOr("DRCHRONO_BASE_URL", "https://drchrono.com");
            apiUrl = envOr("DRCHRONO_API_URL", "https://app.drchrono.com");
        } else {
            sandbox = DrChronoSandbox.builder()
                    .host("127.0.0.1")
                    .port(sandboxPort)
                    .client(SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, redirectUri)
                    .withDemoUsers()
                    .build()
                    .start();
            clientId = SANDBOX_CLIENT_ID;
            clientSecret = SANDBOX_CLIENT_SECRET;
            baseUrl = sandbox.baseUrl();
            apiUrl = sandbox.apiUrl();
            DrChronoSandbox running = sandbox;
            Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "stop-sandbox"));
        }

        System.out.println("Starting Keycloak " + KeycloakServer.defaultDistributionVersion()
                + " with keycloak-drchrono (about a minute; the first start also unpacks it)...");
        KeycloakServer keycloak = KeycloakServer.builder()
                .distribution(Path.of(System.getProperty("keycloak.dist.zip")))
                .workDir(Path.of(System.getProperty("keycloak.work.dir")))
                .provider(Path.of(System.getProperty("provider.jar")))
                .httpPort(keycloakPort)
                .managementPort(managementPort)
                .adminUser("admin", "admin")
                .startupTimeout(Duration.ofMinutes(5))
                .build();
        keycloak.start();

        setUpRealm(new AdminClient(keycloak), clientId, clientSecret, baseUrl, apiUrl);
        printWelcome(keycloak, sandbox, realDrChrono, redirectUri);
        // Ctrl-C ends this JVM; the launcher and the sandbox stop their parts in shutdown hooks of their own.
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> System.out.println("\nStopping Keycloak" + (realDrChrono ? "" : " and the sandbox") + "..."),
                "say-stopping"));
        Thread.currentThread().join();
    }

    private static void setUpRealm(AdminClient admin, String clientId, String clientSecret, String baseUrl,
            String apiUrl) {
        HttpResponse<String> existing = admin.send("GET", "/admin/realms/" + REALM, null);
        if (existing.statusCode() == 404) {
            ObjectNode realm = JSON.createObjectNode()
                    .put("realm", REALM)
                    .put("displayName", "DrChrono demo")
                    // The login theme this jar ships, so the demo shows the button as we designed it.
                    .put("loginTheme", "drchrono")
                    .put("enabled", true)
                    .put("eventsEnabled", true);
            admin.post("/admin/realms", realm);
        }
        // An app to try the broker token endpoint with (README, "Act as an app"): confidential, because the
        // extension hands no DrChrono token to public clients such as the account console.
        if (admin.get("/admin/realms/" + REALM + "/clients?clientId=" + DEMO_APP).isEmpty()) {
            ObjectNode app = JSON.createObjectNode()
                    .put("clientId", DEMO_APP)
                    .put("secret", DEMO_APP_SECRET)
                    .put("publicClient", false)
                    .put("standardFlowEnabled", true);
            app.putArray("redirectUris").add(DEMO_APP_REDIRECT);
            admin.post("/admin/realms/" + REALM + "/clients", app);
        }
        setUpBackend(admin);
        ObjectNode idp = JSON.createObjectNode()
                .put("alias", ALIAS)
                .put("providerId", "drchrono")
                .put("displayName", "DrChrono")
                .put("enabled", true)
                .put("storeToken", true)
                .put("addReadTokenRoleOnCreate", true);
        idp.putObject("config")
                .put("clientId", clientId)
                .put("clientSecret", clientSecret)
                .put("baseUrl", baseUrl)
                .put("apiUrl", apiUrl)
                .put("syncMode", "FORCE");
        String path = "/admin/realms/" + REALM + "/identity-provider/instances";
        if (admin.send("GET", path + "/" + ALIAS, null).statusCode() == 404) {
            admin.post(path, idp);
        } else {
            admin.put(path + "/" + ALIAS, idp);
        }
    }

    /**
     * A backend for the service endpoint (README, "Act as a backend"), set up as the README tells an admin: a
     * confidential client whose service account holds the realm role {@value #BROKER_ROLE}.
     */
    private static void setUpBackend(AdminClient admin) {
        String realm = "/admin/realms/" + REALM;
        if (!admin.get(realm + "/clients?clientId=" + DEMO_BACKEND).isEmpty()) {
            return;
        }
        if (admin.send("GET", realm + "/roles/" + BROKER_ROLE, null).statusCode() == 404) {
            admin.post(realm + "/roles", JSON.createObjectNode().put("name", BROKER_ROLE));
        }
        String serviceAccount = admin.createServiceAccountClient(REALM, DEMO_BACKEND, DEMO_BACKEND_SECRET, Map.of());
        admin.grantRealmRole(REALM, serviceAccount, BROKER_ROLE);
    }

    private static void printWelcome(KeycloakServer keycloak, DrChronoSandbox sandbox, boolean realDrChrono,
            String redirectUri) {
        String base = keycloak.baseUrl();
        StringBuilder out = new StringBuilder("\n");
        out.append("Keycloak with keycloak-drchrono is running.\n\n");
        out.append("  Try it:         ").append(base).append("/realms/").append(REALM)
                .append("/account  -> \"Continue with DrChrono\"\n");
        out.append("  Admin console:  ").append(base).append("/admin/master/console/#/").append(REALM)
                .append("/identity-providers  (admin / admin)\n");
        if (realDrChrono) {
            out.append("  DrChrono:       the real one. Register this redirect URI with your DrChrono app:\n");
            out.append("                  ").append(redirectUri).append('\n');
        } else {
            out.append("  DrChrono:       the sandbox at ").append(sandbox.baseUrl())
                    .append(" (set DRCHRONO_CLIENT_ID and DRCHRONO_CLIENT_SECRET to use the real one)\n\n");
            out.append("  Sandbox users (password \"").append(SandboxUsers.DEMO_PASSWORD).append("\"):\n");
            for (SandboxUser user : sandbox.users().list()) {
                if (user.active()) {
                    String note = user.email() == null || user.email().isBlank() ? "  (no e-mail: Keycloak asks)" : "";
                    out.append(String.format(Locale.ROOT, "    %-10s %-7s %s%s%n", user.username(),
                            user.isDoctor() ? "doctor" : "staff", user.firstName() + " " + user.lastName(), note));
                }
            }
        }
        out.append("\n  App client:     ").append(DEMO_APP).append(" / ").append(DEMO_APP_SECRET)
                .append(", redirect URI ").append(DEMO_APP_REDIRECT).append(" (README: \"Act as an app\")\n");
        out.append("  Backend client: ").append(DEMO_BACKEND).append(" / ").append(DEMO_BACKEND_SECRET)
                .append(", service account with ").append(BROKER_ROLE).append(" (README: \"Act as a backend\")\n");
        out.append("  Metrics:        ").append(keycloak.managementUrl()).append("/metrics\n");
        out.append("  Keycloak log:   ").append(keycloak.logFile()).append('\n');
        out.append("\nPress Ctrl-C to stop.\n");
        System.out.println(out);
    }

    private static int intEnv(String name, int defaultValue) {
        String value = System.getenv(name);
        return notBlank(value) ? Integer.parseInt(value.trim()) : defaultValue;
    }

    private static String envOr(String name, String defaultValue) {
        String value = System.getenv(name);
        return notBlank(value) ? value.trim() : defaultValue;
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
