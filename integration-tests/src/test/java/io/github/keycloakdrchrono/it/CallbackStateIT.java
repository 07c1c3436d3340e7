package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.github.keycloakdrchrono.sandbox.Endpoint;
import io.github.keycloakdrchrono.testkit.Browser;

/**
 * The callback {@code /realms/{realm}/broker/drchrono/endpoint} as an attacker would call it: with a state that is
 * not the browser's, with none, or with a callback URL that was already used. Each ends on an error page before
 * any code reaches DrChrono, and no user or link appears.
 */
@DisplayName("The DrChrono callback")
class CallbackStateIT {

    @AfterEach
    void resetSandbox() {
        TestEnvironment.get().sandbox.reset();
    }

    /** The {@code state} Keycloak sent to DrChrono's authorize page, as the browser saw it. */
    private static String stateSentToDrChrono(Browser browser) {
        return browser.visited().stream()
                .filter(uri -> uri.getPath() != null && uri.getPath().endsWith("/o/authorize/"))
                .map(uri -> new Browser.Page(uri, 200, "").param("state"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no authorize request in " + browser.visited()));
    }

    private static URI callbackVisited(Browser browser, TestRealm realm) {
        List<URI> callbacks = browser.visited().stream()
                .filter(uri -> uri.toString().startsWith(realm.brokerEndpoint() + "?"))
                .toList();
        assertThat(callbacks).hasSize(1);
        return callbacks.get(0);
    }

    /**
     * An error page, or Keycloak's login page started afresh ("Your login attempt timed out") when the browser's
     * own login was still open; never the app, and never a code sent to DrChrono.
     */
    private static void assertRefused(TestRealm realm, Browser.Page page, long codeExchangesBefore) {
        assertThat(page.atApp()).as("%s: %s", page.url(), page.text()).isFalse();
        if (page.status() == 200) {
            assertThat(page.document().selectFirst("a#social-" + TestRealm.ALIAS)).as(page.text()).isNotNull();
            assertThat(page.text()).contains("Login will start from the beginning");
        } else {
            assertThat(page.status()).as(page.text()).isBetween(400, 499);
        }
        assertThat(realm.env.sandbox.counters().get(Endpoint.TOKEN_CODE))
                .as("no code sent to DrChrono").isEqualTo(codeExchangesBefore);
    }

    @Nested
    @DisplayName("given a state that is not the one this browser's login sent")
    class ForeignState {

        @Test
        @DisplayName("then a tampered state ends on an error page, no code is exchanged and no user exists")
        void tampered() {
            try (TestRealm realm = TestRealm.create()) {
                Browser browser = new Browser();
                realm.clickDrChrono(browser);
                String state = stateSentToDrChrono(browser);
                String tampered = state.substring(0, state.length() - 1)
                        + (state.endsWith("A") ? "B" : "A");

                Browser.Page page = browser.open(realm.brokerEndpoint() + "?code=attacker-code&state="
                        + TestRealm.enc(tampered));

                assertRefused(realm, page, 0);
                assertThat(realm.users()).isEmpty();
            }
        }

        @Test
        @DisplayName("then another browser's state and code (login CSRF) end on an error page in the victim's "
                + "browser, with no code exchanged and no user")
        void otherBrowsersState() {
            try (TestRealm realm = TestRealm.create()) {
                Browser attacker = new Browser();
                realm.clickDrChrono(attacker);
                String attackersState = stateSentToDrChrono(attacker);
                Browser victim = new Browser();
                realm.clickDrChrono(victim);

                Browser.Page page = victim.open(realm.brokerEndpoint() + "?code=attacker-code&state="
                        + TestRealm.enc(attackersState));

                assertRefused(realm, page, 0);
                assertThat(realm.users()).isEmpty();
            }
        }

        @Test
        @DisplayName("then a state from another realm's login ends on an error page")
        void otherRealmsState() {
            try (TestRealm realm = TestRealm.create(); TestRealm other = TestRealm.create()) {
                Browser browser = new Browser();
                other.clickDrChrono(browser);
                String othersState = stateSentToDrChrono(browser);
                realm.clickDrChrono(browser);

                Browser.Page page = browser.open(realm.brokerEndpoint() + "?code=attacker-code&state="
                        + TestRealm.enc(othersState));

                assertRefused(realm, page, 0);
                assertThat(realm.users()).isEmpty();
                assertThat(other.users()).isEmpty();
            }
        }

        @Test
        @DisplayName("then no state at all is a 400 page with an event saying missing_state")
        void missing() {
            try (TestRealm realm = TestRealm.create()) {
                Browser browser = new Browser();
                realm.clickDrChrono(browser);

                Browser.Page page = browser.open(realm.brokerEndpoint() + "?code=attacker-code");

                assertRefused(realm, page, 0);
                assertThat(page.status()).isEqualTo(400);
                JsonNode event = realm.events("IDENTITY_PROVIDER_LOGIN_ERROR").get(0);
                assertThat(event.path("details").path("reason").asText()).isEqualTo("missing_state");
            }
        }
    }

    @Nested
    @DisplayName("given a callback URL that was already used for a successful login")
    class Replay {

        @Test
        @DisplayName("then opening it again in another browser ends on an error page, and DrChrono never sees "
                + "the code twice")
        void inAnotherBrowser() {
            try (TestRealm realm = TestRealm.create()) {
                Browser first = new Browser();
                Browser.Page landed = realm.signIn(first, "jhollis");
                assertThat(landed.atApp()).isTrue();
                URI callback = callbackVisited(first, realm);
                long exchanges = realm.env.sandbox.counters().get(Endpoint.TOKEN_CODE);

                Browser.Page page = new Browser().open(callback.toString());

                assertRefused(realm, page, exchanges);
                assertThat(realm.users()).hasSize(1);
            }
        }

        @Test
        @DisplayName("then opening it again in the same browser sends the app an OAuth error and no code, hands "
                + "DrChrono no second exchange, and adds no user or link")
        void inTheSameBrowser() {
            try (TestRealm realm = TestRealm.create()) {
                Browser browser = new Browser();
                realm.signIn(browser, "jhollis");
                URI callback = callbackVisited(browser, realm);
                long exchanges = realm.env.sandbox.counters().get(Endpoint.TOKEN_CODE);

                Browser.Page page = browser.open(callback.toString());

                assertThat(page.param("code")).as("%s: %s", page.url(), page.text()).isNull();
                if (page.atApp()) {
                    assertThat(page.param("error_description")).isEqualTo("authentication_expired");
                } else {
                    assertThat(page.status()).isBetween(400, 499);
                }
                assertThat(realm.env.sandbox.counters().get(Endpoint.TOKEN_CODE)).isEqualTo(exchanges);
                assertThat(realm.users()).hasSize(1);
                assertThat(realm.federatedIdentities(realm.user("jhollis").path("id").asText())).hasSize(1);
            }
        }
    }
}
