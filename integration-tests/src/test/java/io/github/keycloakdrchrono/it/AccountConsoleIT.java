package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import io.github.keycloakdrchrono.launcher.AdminClient;
import io.github.keycloakdrchrono.sandbox.Endpoint;
import io.github.keycloakdrchrono.sandbox.Fault;
import io.github.keycloakdrchrono.sandbox.TokenPair;

/**
 * Keycloak 26.7.3's account console and login pages (default themes) in a real Chromium: what a user sees when
 * linking DrChrono to a local account, unlinking it, and when DrChrono fails during sign-in.
 */
@DisplayName("For a user in the browser")
@ExtendWith(Chrome.PerTest.class)
class AccountConsoleIT {

    private static final String LOCAL_USER = "alex";
    private static final String LOCAL_PASSWORD = "local-Passw0rd!";
    private static final By LINK = By.id("drchrono-idp-link");
    private static final By UNLINK = By.id("drchrono-idp-unlink");
    private static final By CONFIRM = By.id("modal-confirm");

    @Nested
    @DisplayName("given a local account with a password")
    class LinkedAccounts {

        @Test
        @DisplayName("then DrChrono can be linked under Linked accounts, shows as linked, and unlinking it removes "
                + "the link and revokes the DrChrono refresh token")
        void linkThenUnlink() {
            try (TestRealm realm = TestRealm.create().displayName(AdminConsoleIT.CLINIC)) {
                String userId = createLocalUser(realm);
                TokenPair pair = KnownTokens.nextCodeExchange(realm.env.sandbox, realm.name, "jhollis", 172_800);

                chrome().open(realm.env.keycloak.baseUrl() + "/realms/" + realm.name
                        + "/account/account-security/linked-accounts");
                chrome().type(By.id("username"), LOCAL_USER);
                chrome().type(By.id("password"), LOCAL_PASSWORD);
                chrome().click(By.id("kc-login"));
                chrome().click(LINK);
                // Keycloak 26's linking is an application-initiated action that asks first.
                assertThat(chrome().visible(By.id("kc-page-title")).getText()).isEqualTo("Linking DrChrono");
                chrome().click(By.id("kc-continue"));
                ConsoleSteps.signInAtSandbox(chrome(), "jhollis");

                WebElement unlink = chrome().visible(UNLINK);
                assertThat(linkedRow().getText()).contains("DrChrono").contains("jhollis");
                chrome().screenshot("account-linked.png");
                JsonNode link = realm.federatedIdentities(userId).get(0);
                assertThat(link.path("identityProvider").asText()).isEqualTo("drchrono");
                assertThat(link.path("userName").asText()).isEqualTo("jhollis");
                assertThat(realm.env.sandbox.tokens().isRefreshTokenValid(pair.refreshToken())).isTrue();

                chrome().scrollTo(unlink);
                unlink.click();
                // Keycloak asks for confirmation in some versions of the account console; answer it if asked.
                chrome().waitUntil(d -> !d.findElements(CONFIRM).isEmpty() || !d.findElements(LINK).isEmpty());
                if (!chrome().driver.findElements(CONFIRM).isEmpty()) {
                    chrome().click(CONFIRM);
                }

                chrome().visible(LINK);
                assertThat(chrome().driver.findElements(UNLINK)).isEmpty();
                assertThat(realm.federatedIdentities(userId)).isEmpty();
                assertThat(realm.env.sandbox.tokens().isRefreshTokenValid(pair.refreshToken())).isFalse();
                assertThat(realm.events("REVOKE_GRANT").get(0).path("details").path("reason").asText())
                        .isEqualTo("revoked_at_drchrono");
            }
        }

        private WebElement linkedRow() {
            return chrome().visible(By.xpath("//*[@id='drchrono-idp-unlink']/ancestor::li[1]"));
        }

        private String createLocalUser(TestRealm realm) {
            return AdminClient.createdId(realm.admin().post("/admin/realms/" + realm.name + "/users", Map.of(
                    "username", LOCAL_USER, "enabled", true, "firstName", "Alex", "lastName", "Local",
                    "email", "alex@example.org", "emailVerified", true,
                    "credentials", List.of(Map.of("type", "password", "value", LOCAL_PASSWORD,
                            "temporary", false)))));
        }
    }

    @Nested
    @DisplayName("given DrChrono is down when the user comes back from approving")
    class DrChronoDown {

        @Test
        @DisplayName("then Keycloak's error page shows our message, and no user is created")
        void unavailable() {
            try (TestRealm realm = TestRealm.create()) {
                realm.env.sandbox.faults().next(Endpoint.TOKEN_CODE, Fault.serverError());

                chrome().open(realm.env.keycloak.baseUrl() + "/realms/" + realm.name + "/account");
                chrome().click(By.id("social-drchrono"));
                ConsoleSteps.signInAtSandbox(chrome(), "jhollis");

                chrome().waitUntil(d -> d.getCurrentUrl().startsWith(realm.env.keycloak.baseUrl()));
                assertThat(chrome().bodyText()).as(chrome().where()).contains("DrChrono is not answering right now, so "
                        + "we could not sign you in. Please try again in a few minutes.");
                chrome().evidence("login-error-unavailable.png");
                assertThat(realm.users()).isEmpty();
            }
        }
    }

    private static Chrome chrome() {
        return Chrome.current();
    }
}
