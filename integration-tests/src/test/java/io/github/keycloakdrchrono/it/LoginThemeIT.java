package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.keycloakdrchrono.sandbox.Endpoint;
import io.github.keycloakdrchrono.sandbox.Fault;
import io.github.keycloakdrchrono.testkit.Browser;

/**
 * The login page a user sees, with our {@code drchrono} login theme selected through the admin REST API and with
 * Keycloak's default theme (keycloak.v2), in English and Spanish, fetched over HTTP as a browser would.
 */
@DisplayName("The login page")
class LoginThemeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OUR_THEME = "drchrono";
    /** keycloak.v2 draws this generic icon (Font Awesome's cube) for providers it has no picture of. */
    private static final String GENERIC_ICON_PATH = "M239.1 6.3l-208 78";

    private final Browser browser = new Browser();

    @AfterEach
    void resetSandbox() {
        TestEnvironment.get().sandbox.reset();
    }

    /** A realm in English and Spanish; {@code loginTheme} null keeps Keycloak's default. */
    private static TestRealm realm(String loginTheme) {
        TestRealm realm = TestRealm.create();
        ObjectNode settings = JSON.createObjectNode()
                .put("internationalizationEnabled", true)
                .put("defaultLocale", "en");
        settings.putArray("supportedLocales").add("en").add("es");
        if (loginTheme != null) {
            settings.put("loginTheme", loginTheme);
        }
        realm.admin().put("/admin/realms/" + realm.name, settings);
        return realm;
    }

    private Document loginPage(TestRealm realm, String locale) {
        Browser.Page page = browser.open(realm.appLoginUrl() + "&ui_locales=" + locale);
        assertThat(page.status()).as("%s: %s", page.url(), page.text()).isEqualTo(200);
        return page.document();
    }

    private static Element drChronoButton(Document page) {
        Element button = page.selectFirst("a#social-" + TestRealm.ALIAS);
        assertThat(button).as("the DrChrono button on:\n%s", page.body()).isNotNull();
        return button;
    }

    private HttpResponse<String> get(String url) {
        return TestHttp.send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    @Nested
    @DisplayName("given the realm's login theme is 'drchrono'")
    class OurTheme {

        @Test
        @DisplayName("then the DrChrono button carries our mark and reads 'Continue with DrChrono'")
        void button() {
            try (TestRealm realm = realm(OUR_THEME)) {
                Element button = drChronoButton(loginPage(realm, "en"));

                assertThat(button.select("span.drchrono-mark")).hasSize(1);
                assertThat(button.selectFirst("span.drchrono-mark").attr("aria-hidden")).isEqualTo("true");
                assertThat(button.select("svg")).as("keycloak.v2's generic icon is gone").isEmpty();
                assertThat(button.selectFirst(".drchrono-label").text()).isEqualTo("Continue with DrChrono");
                assertThat(button.attr("aria-label")).isEqualTo("Continue with DrChrono");
                assertThat(button.hasClass("drchrono-button")).isTrue();
            }
        }

        @Test
        @DisplayName("then the button reads 'Continuar con DrChrono' in Spanish")
        void spanish() {
            try (TestRealm realm = realm(OUR_THEME)) {
                Document page = loginPage(realm, "es");

                assertThat(page.selectFirst("html").attr("lang")).isEqualTo("es");
                assertThat(drChronoButton(page).selectFirst(".drchrono-label").text())
                        .isEqualTo("Continuar con DrChrono");
                assertThat(page.selectFirst("#kc-social-providers").parent().text()).contains("O inicie sesión con");
            }
        }

        @Test
        @DisplayName("then our stylesheet follows keycloak.v2's, and it and the mark it draws are served as CSS and "
                + "SVG, with colours for Keycloak's dark mode")
        void stylesheetAndMark() {
            try (TestRealm realm = realm(OUR_THEME)) {
                Document page = loginPage(realm, "en");
                var sheets = page.select("link[rel=stylesheet]").eachAttr("abs:href");
                String ours = sheets.stream().filter(url -> url.endsWith("/login/drchrono/css/drchrono.css"))
                        .findFirst().orElseThrow(() -> new AssertionError("drchrono.css not linked: " + sheets));
                String parents = sheets.stream().filter(url -> url.endsWith("/login/drchrono/css/styles.css"))
                        .findFirst().orElseThrow(() -> new AssertionError("styles.css not linked: " + sheets));

                HttpResponse<String> css = get(ours);
                HttpResponse<String> parentCss = get(parents);
                HttpResponse<String> svg = get(URI.create(ours).resolve("../img/drchrono-mark.svg").toString());

                assertThat(sheets.indexOf(ours)).isGreaterThan(sheets.indexOf(parents));
                assertThat(css.statusCode()).isEqualTo(200);
                assertThat(css.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("text/css"));
                assertThat(css.body()).contains(".drchrono-mark {").contains(".pf-v5-theme-dark {");
                assertThat(parentCss.statusCode()).as("keycloak.v2's stylesheet, found through the parent")
                        .isEqualTo(200);
                assertThat(parentCss.body()).contains("#kc-social-providers");
                assertThat(svg.statusCode()).isEqualTo(200);
                assertThat(svg.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("image/svg+xml"));
                assertThat(svg.body()).startsWith("<svg").contains("viewBox=\"0 0 24 24\"");
                assertThat(page.selectFirst("meta[name=color-scheme]").attr("content")).isEqualTo("light dark");
            }
        }

        @Test
        @DisplayName("then another provider keeps keycloak.v2's look (GitHub's icon and name)")
        void otherProviders() {
            try (TestRealm realm = realm(OUR_THEME)) {
                ObjectNode github = JSON.createObjectNode().put("alias", "github").put("providerId", "github")
                        .put("enabled", true);
                github.putObject("config").put("clientId", "id").put("clientSecret", "secret");
                realm.admin().post("/admin/realms/" + realm.name + "/identity-provider/instances", github);

                Document page = loginPage(realm, "en");
                Element button = page.selectFirst("a#social-github");

                assertThat(button).isNotNull();
                assertThat(button.select("svg")).hasSize(1);
                assertThat(button.select(".drchrono-mark")).isEmpty();
                assertThat(button.text()).isEqualTo("GitHub");
                assertThat(drChronoButton(page).select(".drchrono-mark")).hasSize(1);
            }
        }
    }

    @Nested
    @DisplayName("given the realm keeps Keycloak's default login theme (keycloak.v2)")
    class DefaultTheme {

        @Test
        @DisplayName("then the DrChrono button shows keycloak.v2's generic icon and the display name 'DrChrono'")
        void button() {
            try (TestRealm realm = realm(null)) {
                Document page = loginPage(realm, "en");
                Element button = drChronoButton(page);

                assertThat(button.select("svg path").eachAttr("d")).singleElement()
                        .satisfies(path -> assertThat(path).startsWith(GENERIC_ICON_PATH));
                assertThat(button.text()).isEqualTo("DrChrono");
                assertThat(button.attr("aria-label")).isEqualTo("DrChrono");
                assertThat(button.select(".drchrono-mark")).isEmpty();
                assertThat(page.select("link[rel=stylesheet]").eachAttr("href"))
                        .noneMatch(url -> url.contains("drchrono"));
            }
        }

        @Test
        @DisplayName("then the button shows the display name the admin chose")
        void displayName() {
            try (TestRealm realm = realm(null)) {
                realm.updateIdentityProvider(idp -> idp.put("displayName", "DrChrono EHR"));

                assertThat(drChronoButton(loginPage(realm, "en")).text()).isEqualTo("DrChrono EHR");
            }
        }
    }

    private static final String UNAVAILABLE_EN = "DrChrono is not answering right now, so we could not sign you in. "
            + "Please try again in a few minutes.";
    private static final String UNAVAILABLE_ES = "DrChrono no responde en este momento y no hemos podido iniciar su "
            + "sesión. Inténtelo de nuevo dentro de unos minutos.";

    static Stream<Arguments> themesAndLanguages() {
        return Stream.of(
                Arguments.of(OUR_THEME, "en", UNAVAILABLE_EN, "Sign-in with DrChrono was cancelled or not allowed."),
                Arguments.of(OUR_THEME, "es", UNAVAILABLE_ES,
                        "Se canceló o no se permitió el inicio de sesión con DrChrono."),
                Arguments.of("default", "en", UNAVAILABLE_EN,
                        "Access denied when authenticating with DrChrono"),
                Arguments.of("default", "es", UNAVAILABLE_ES, "Acceso negado al autenticar con DrChrono"));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("themesAndLanguages")
    @DisplayName("given DrChrono is down, or the user cancels there, then the page says so in the user's language")
    void messages(String theme, String locale, String unavailable, String cancelled) {
        try (TestRealm realm = realm(theme.equals(OUR_THEME) ? OUR_THEME : null)) {
            realm.env.sandbox.faults().next(Endpoint.TOKEN_CODE, Fault.serverError());
            Browser.Page down = signIn(realm, locale, "approve");
            Browser cancelling = new Browser();
            Browser.Page back = signIn(realm, locale, "cancel", cancelling);

            assertThat(down.status()).isEqualTo(503);
            assertThat(down.document().selectFirst("html").attr("lang")).isEqualTo(locale);
            assertThat(down.document().select("#kc-error-message .instruction").first().text()).isEqualTo(unavailable);
            assertThat(back.status()).isEqualTo(200);
            assertThat(back.document().select(".kc-feedback-text").text()).isEqualTo(cancelled);
            assertThat(back.document().select("a#social-drchrono .drchrono-mark"))
                    .hasSize(theme.equals(OUR_THEME) ? 1 : 0);
        }
    }

    private Browser.Page signIn(TestRealm realm, String locale, String action) {
        return signIn(realm, locale, action, browser);
    }

    /** The login page in {@code locale}, the DrChrono button, the sandbox's sign-in, then approve or cancel. */
    private static Browser.Page signIn(TestRealm realm, String locale, String action, Browser browser) {
        Browser.Page login = browser.open(realm.appLoginUrl() + "&ui_locales=" + locale);
        Browser.Page signInPage = browser.open(drChronoButton(login.document()).absUrl("href"));
        Browser.Page consent = browser.submit(signInPage, "form#signin",
                Map.of("username", "jhollis", "password", TestRealm.PASSWORD), null, null);
        return browser.submit(consent, "form#consent", Map.of(), "action", action);
    }
}
