package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import io.github.keycloakdrchrono.testkit.Browser;

/**
 * Keycloak 26.7.3's own admin console (its default React theme) in a real Chromium, with our jar installed:
 * what an admin sees and does to set up DrChrono, down to the first working login.
 */
@DisplayName("In the admin console")
@ExtendWith(Chrome.PerTest.class)
class AdminConsoleIT {

    private static final String SOCIAL_PROVIDERS = "org.keycloak.broker.social.SocialIdentityProvider";
    /** The realm's name on pages that end up in the README. */
    static final String CLINIC = "Example Clinic";
    private static final By DRCHRONO_CARD = By.cssSelector("[data-testid='drchrono-card']");

    @Nested
    @DisplayName("Identity providers > Add provider")
    class AddProvider {

        @Test
        @DisplayName("offers DrChrono among the social providers")
        void offered() {
            try (TestRealm realm = TestRealm.createWithoutProvider().displayName(CLINIC)) {
                ConsoleSteps.openAdminConsole(chrome(), realm.env, realm.name + "/identity-providers");

                WebElement card = chrome().visible(DRCHRONO_CARD);
                chrome().scrollTo(card);

                assertThat(card.getText()).isEqualTo("DrChrono");
                WebElement section = card.findElement(By.xpath(
                        "(preceding::*[normalize-space(.)='Social:' or normalize-space(.)='User-defined:'])[last()]"));
                assertThat(section.getText()).isEqualTo("Social:");
                chrome().screenshot("admin-add-provider.png");
            }
        }
    }

    @Nested
    @DisplayName("the DrChrono settings page of a provider created with only client id and secret")
    class Settings {

        @Test
        @DisplayName("shows every DrChrono option with its label, help text and default, the scopes (user:read), "
                + "token storage on, and the redirect URI to register at DrChrono")
        void everyOption() {
            try (TestRealm realm = TestRealm.createWithoutProvider().displayName(CLINIC)) {
                realm.admin().post("/admin/realms/" + realm.name + "/identity-provider/instances", Map.of(
                        "alias", TestRealm.ALIAS, "providerId", "drchrono", "enabled", true,
                        "config", Map.of("clientId", "my-drchrono-app", "clientSecret", "my-secret")));
                List<JsonNode> options = drChronoOptions(realm);

                ConsoleSteps.openAdminConsole(chrome(), realm.env, settingsRoute(realm));
                chrome().visible(By.cssSelector("[data-testid='config.clientId']"));

                assertThat(options).extracting(o -> o.path("name").asText()).containsExactly("baseUrl", "apiUrl",
                        "fetchRecord", "connectTimeoutMillis", "readTimeoutMillis", "refreshMarginSeconds",
                        "releaseRefreshToken");
                List<String> shown = new ArrayList<>();
                for (JsonNode option : options) {
                    String label = option.path("label").asText();
                    WebElement field = fieldLabelled(label);
                    if (option.path("type").asText().equals("boolean")) {
                        assertThat(field.isSelected()).as(label)
                                .isEqualTo(Boolean.parseBoolean(option.path("defaultValue").asText()));
                    } else {
                        assertThat(chrome().valueOf(By.id(field.getDomAttribute("id")),
                                option.path("defaultValue").asText())).as(label)
                                .isEqualTo(option.path("defaultValue").asText());
                    }
                    assertThat(helpText(label)).as(label).isEqualTo(option.path("helpText").asText());
                    shown.add(label);
                }
                assertThat(shown).contains("DrChrono OAuth URL", "DrChrono API URL", "Fetch doctor or staff record",
                        "Connect timeout (ms)", "Read timeout (ms)", "Refresh margin (s)",
                        "Hand out the refresh token (unsafe)");
                assertThat(chrome().valueOf(By.cssSelector("[data-testid='baseUrl']"), "https://drchrono.com"))
                        .isEqualTo("https://drchrono.com");
                assertThat(chrome().valueOf(By.id("scopes"), "user:read")).isEqualTo("user:read");
                assertThat(chrome().valueOf(By.cssSelector("[data-testid='displayName']"), "DrChrono"))
                        .isEqualTo("DrChrono");
                assertThat(fieldLabelled("Store tokens").isSelected()).as("Store tokens").isTrue();
                WebElement redirectUri = chrome().visible(By.xpath("//label[@for='kc-redirect-uri']"
                        + "/ancestor::div[.//input][1]//input"));
                assertThat(redirectUri.getDomProperty("value")).isEqualTo(realm.brokerEndpoint());

                // Taller than the other screenshots, so that one picture shows every DrChrono option.
                chrome().driver.manage().window().setSize(new Dimension(1280, 1400));
                chrome().driver.executeScript("arguments[0].scrollIntoView({block: 'end'})",
                        chrome().visible(By.xpath("//label[@for='releaseRefreshToken']")));
                chrome().driver.executeScript("document.activeElement.blur()");
                chrome().screenshot("admin-settings.png");
            }
        }

        @Test
        @DisplayName("takes a vault reference as the client secret and stores it as typed")
        void vaultSecret() {
            try (TestRealm realm = TestRealm.create()) {
                ConsoleSteps.openAdminConsole(chrome(), realm.env, settingsRoute(realm));

                chrome().type(By.cssSelector("[data-testid='config.clientSecret']"), "${vault.drchrono_secret}");
                chrome().click(By.cssSelector("[data-testid='idp-details-save']"));

                chrome().waitUntil(d -> realm.identityProvider().path("config").path("clientSecret").asText()
                        .equals("${vault.drchrono_secret}"));
                assertThat(realm.identityProvider().path("config").path("clientSecret").asText())
                        .isEqualTo("${vault.drchrono_secret}");
                assertThat(chrome().bodyText()).doesNotContain("Could not update");
            }
        }

        private List<JsonNode> drChronoOptions(TestRealm realm) {
            for (JsonNode type : realm.admin().get("/admin/serverinfo").path("componentTypes")
                    .path(SOCIAL_PROVIDERS)) {
                if (type.path("id").asText().equals("drchrono")) {
                    List<JsonNode> options = new ArrayList<>();
                    type.path("properties").forEach(options::add);
                    return options;
                }
            }
            throw new AssertionError("drchrono is not among the server's social providers");
        }

        /** The form control whose label reads {@code label}, found as a person would: by the label. */
        private WebElement fieldLabelled(String label) {
            WebElement labelElement = chrome().visible(By.xpath("//label[normalize-space(.)=" + xpathLiteral(label)
                    + "]"));
            return chrome().driver.findElement(By.id(labelElement.getDomAttribute("for")));
        }

        /** Opens the (?) beside the label, reads the popover, and closes it again. */
        private String helpText(String label) {
            WebElement button = chrome().visible(By.xpath("//label[normalize-space(.)=" + xpathLiteral(label)
                    + "]/ancestor::div[contains(@class, 'form__group')][1]//button[contains(@class, 'label-help')]"));
            chrome().scrollTo(button);
            button.click();
            WebElement popover = chrome().visible(By.cssSelector("[role='dialog']"));
            String text = popover.getText().trim();
            new Actions(chrome().driver).sendKeys(Keys.ESCAPE).perform();
            chrome().waitUntil(d -> d.findElements(By.cssSelector("[role='dialog']")).stream()
                    .noneMatch(WebElement::isDisplayed));
            return text;
        }
    }

    @Nested
    @DisplayName("an admin who adds DrChrono with only client id, secret and the two base URLs")
    class CreateThenSignIn {

        @Test
        @DisplayName("gets a working login: the account console's login page has the DrChrono button, and a "
                + "doctor who signs in at DrChrono lands in the account console under their own name")
        void workingLogin() {
            try (TestRealm realm = TestRealm.createWithoutProvider().displayName(CLINIC)) {
                ConsoleSteps.openAdminConsole(chrome(), realm.env, realm.name + "/identity-providers");
                chrome().click(DRCHRONO_CARD);
                chrome().type(By.cssSelector("[data-testid='config.clientId']"), realm.name);
                chrome().type(By.cssSelector("[data-testid='config.clientSecret']"), realm.sandboxSecret());
                chrome().type(By.cssSelector("[data-testid='baseUrl']"), realm.env.sandbox.baseUrl());
                chrome().type(By.cssSelector("[data-testid='apiUrl']"), realm.env.sandbox.apiUrl());
                chrome().click(By.cssSelector("[data-testid='createProvider']"));
                chrome().waitUntil(d -> d.getCurrentUrl().endsWith("/identity-providers/drchrono/drchrono/settings"));

                JsonNode provider = realm.identityProvider();
                assertThat(provider.path("storeToken").asBoolean()).isTrue();
                assertThat(provider.path("config").path("defaultScope").asText()).isEqualTo("user:read");
                assertThat(provider.path("config").path("baseUrl").asText()).isEqualTo(realm.env.sandbox.baseUrl());

                chrome().open(realm.env.keycloak.baseUrl() + "/realms/" + realm.name + "/account");
                WebElement button = chrome().clickable(By.id("social-drchrono"));
                assertThat(button.getText()).isEqualTo("DrChrono");
                chrome().screenshot("login-button.png");
                button.click();
                ConsoleSteps.signInAtSandbox(chrome(), "jhollis");

                assertThat(chrome().valueOf(By.cssSelector("[data-testid='firstName']"), "Jordan")).isEqualTo("Jordan");
                assertThat(chrome().valueOf(By.cssSelector("[data-testid='lastName']"), "Hollis")).isEqualTo("Hollis");
                assertThat(chrome().valueOf(By.cssSelector("[data-testid='username']"), "jhollis"))
                        .isEqualTo("jhollis");
                assertThat(chrome().bodyText()).contains("Jordan Hollis");
                JsonNode user = realm.user("jhollis");
                assertThat(realm.federatedIdentities(user.path("id").asText()).get(0).path("userName").asText())
                        .isEqualTo("jhollis");
            }
        }
    }

    @Nested
    @DisplayName("the provider's Mappers tab")
    class Mappers {

        @Test
        @DisplayName("offers the attribute importer and the doctor, staff and permission role mappers, and a doctor "
                + "role mapper an admin adds there grants its role at the doctor's next DrChrono login")
        void roleMapperThroughTheConsole() {
            try (TestRealm realm = TestRealm.create().displayName(CLINIC)) {
                realm.admin().post("/admin/realms/" + realm.name + "/roles", Map.of("name", "clinician"));
                ConsoleSteps.openAdminConsole(chrome(), realm.env, realm.name + "/identity-providers/drchrono/"
                        + TestRealm.ALIAS + "/mappers");

                chrome().click(By.xpath("//button[normalize-space(.)='Add mapper']"));
                chrome().type(By.cssSelector("[data-testid='name']"), "Doctors are clinicians");
                chrome().click(By.id("identityProviderMapper"));
                List<String> offered = chrome().driver.findElements(By.cssSelector("[role='option']")).stream()
                        .map(option -> option.getText().trim()).toList();
                assertThat(offered).contains("Attribute Importer", "DrChrono doctor role", "DrChrono staff role",
                        "DrChrono permission role");
                chrome().screenshot("admin-mapper-types.png");
                chrome().click(By.xpath("//*[@role='option'][normalize-space(.)='DrChrono doctor role']"));
                chrome().click(By.cssSelector("[data-testid='add-role-mapping-button']"));
                chrome().click(By.xpath("//*[@role='menuitem'][contains(normalize-space(.), 'Realm roles')]"));
                chrome().click(By.xpath("//*[@role='dialog']//tr[.//*[normalize-space(.)='clinician']]"
                        + "//input[@type='checkbox' or @type='radio']"));
                chrome().click(By.xpath("//*[@role='dialog']//button[normalize-space(.)='Assign']"));
                chrome().click(By.cssSelector("[data-testid='new-mapper-save-button']"));
                chrome().waitUntil(d -> mappers(realm).size() == 1);

                JsonNode mapper = mappers(realm).get(0);
                assertThat(mapper.path("identityProviderMapper").asText()).isEqualTo("drchrono-doctor-role-mapper");
                assertThat(mapper.path("config").path("role").asText()).isEqualTo("clinician");
                assertThat(mapper.path("config").path("syncMode").asText()).isEqualTo("INHERIT");

                Browser.Page landed = realm.signIn(new Browser(), "jhollis");
                assertThat(landed.atApp()).as(landed.text()).isTrue();
                JsonNode roles = realm.admin().get("/admin/realms/" + realm.name + "/users/"
                        + realm.user("jhollis").path("id").asText() + "/role-mappings/realm");
                List<String> names = new ArrayList<>();
                roles.forEach(role -> names.add(role.path("name").asText()));
                assertThat(names).contains("clinician");
            }
        }

        private List<JsonNode> mappers(TestRealm realm) {
            List<JsonNode> found = new ArrayList<>();
            realm.admin().get("/admin/realms/" + realm.name + "/identity-provider/instances/" + TestRealm.ALIAS
                    + "/mappers").forEach(found::add);
            return found;
        }
    }

    @Nested
    @DisplayName("the master realm's Provider info")
    class ProviderInfo {

        @Test
        @DisplayName("shows this build's version and the Keycloak it was compiled against under social > drchrono")
        void version() {
            ConsoleSteps.openAdminConsole(chrome(), TestEnvironment.get(), "master/providers");

            chrome().type(By.xpath("//input[@placeholder='Search']"), "social");
            chrome().visible(By.xpath("//input[@placeholder='Search']")).sendKeys(Keys.ENTER);
            WebElement drchrono = chrome().visible(By.xpath("//tr[td[1][normalize-space(.)='social']]"
                    + "//li[starts-with(normalize-space(.), 'drchrono')]"));
            chrome().scrollTo(drchrono);
            drchrono.findElement(By.xpath(".//button")).click();

            assertThat(infoValue(drchrono, "keycloak-drchrono-version"))
                    .isEqualTo(TestProperties.required("provider.version"));
            assertThat(infoValue(drchrono, "compiled-against-keycloak"))
                    .isEqualTo(TestProperties.required("keycloak.compiled.version"));
            chrome().evidence("admin-provider-info.png");
        }

        /** The value beside {@code key} in the provider's expanded operational info. */
        private String infoValue(WebElement provider, String key) {
            By row = By.xpath(".//tr[td[1][normalize-space(.)='" + key + "']]/td[2]");
            chrome().waitUntil(d -> !provider.findElements(row).isEmpty());
            return provider.findElement(row).getText().trim();
        }
    }

    private static String settingsRoute(TestRealm realm) {
        return realm.name + "/identity-providers/drchrono/" + TestRealm.ALIAS + "/settings";
    }

    /** An XPath string literal for text that may hold an apostrophe. */
    static String xpathLiteral(String text) {
        if (!text.contains("'")) {
            return "'" + text + "'";
        }
        return "concat('" + text.replace("'", "', \"'\", '") + "')";
    }

    private static Chrome chrome() {
        return Chrome.current();
    }
}
