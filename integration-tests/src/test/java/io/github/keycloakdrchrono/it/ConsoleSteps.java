package io.github.keycloakdrchrono.it;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.openqa.selenium.By;

import io.github.keycloakdrchrono.launcher.AdminClient;

/** What a person does in Chromium, step by step, that several browser tests share. */
final class ConsoleSteps {

    /**
     * A permanent administrator of the master realm. The bootstrap admin is a temporary one, for which the admin
     * console shows a warning banner across every page (and every screenshot).
     */
    static final String ADMIN = "console-admin";
    static final String ADMIN_PASSWORD = "console-admin-Passw0rd";

    private ConsoleSteps() {
    }

    /** Signs in to the admin console and opens the given console route, e.g. {@code it-1/identity-providers}. */
    static void openAdminConsole(Chrome chrome, TestEnvironment env, String route) {
        ensureAdmin(env.admin);
        chrome.open(env.keycloak.baseUrl() + "/admin/master/console/#/" + route);
        chrome.type(By.id("username"), ADMIN);
        chrome.type(By.id("password"), ADMIN_PASSWORD);
        chrome.click(By.id("kc-login"));
        chrome.visible(By.cssSelector("[data-testid='nav-item-identity-providers']"));
    }

    /** At the sandbox's sign-in page: signs in as {@code username} and approves the consent page. */
    static void signInAtSandbox(Chrome chrome, String username) {
        chrome.type(By.cssSelector("form#signin #username"), username);
        chrome.type(By.cssSelector("form#signin #password"), TestRealm.PASSWORD);
        chrome.click(By.cssSelector("form#signin button[type='submit']"));
        chrome.click(By.cssSelector("form#consent button[value='approve']"));
    }

    private static synchronized void ensureAdmin(AdminClient admin) {
        JsonNode found = admin.get("/admin/realms/master/users?exact=true&username=" + ADMIN);
        if (!found.isEmpty()) {
            return;
        }
        String id = AdminClient.createdId(admin.post("/admin/realms/master/users", Map.of(
                "username", ADMIN, "enabled", true, "firstName", "Console", "lastName", "Admin",
                "email", "console-admin@example.org", "emailVerified", true,
                "credentials", List.of(Map.of("type", "password", "value", ADMIN_PASSWORD,
                        "temporary", false)))));
        JsonNode adminRole = admin.get("/admin/realms/master/roles/admin");
        admin.post("/admin/realms/master/users/" + id + "/role-mappings/realm", List.of(adminRole));
    }
}
