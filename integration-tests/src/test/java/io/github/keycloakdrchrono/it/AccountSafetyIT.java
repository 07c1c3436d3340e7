package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.github.keycloakdrchrono.launcher.AdminClient;
import io.github.keycloakdrchrono.sandbox.SandboxUser;
import io.github.keycloakdrchrono.testkit.Browser;

/**
 * A DrChrono login never takes over a local account on DrChrono's word alone: DrChrono does not verify e-mail
 * addresses, and anyone can pick a DrChrono username. Keycloak's first-broker-login flow must ask for proof, and
 * the link must not exist before that proof is given.
 */
@DisplayName("Account safety")
class AccountSafetyIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Browser browser = new Browser();

    @AfterEach
    void resetSandbox() {
        TestEnvironment.get().sandbox.reset();
    }

    private static String localUser(TestRealm realm, String username, String email) {
        ObjectNode user = JSON.createObjectNode()
                .put("username", username)
                .put("email", email)
                .put("emailVerified", true)
                .put("firstName", "Local")
                .put("lastName", "Owner")
                .put("enabled", true);
        user.putArray("credentials").addObject().put("type", "password").put("value", "local-password")
                .put("temporary", false);
        return AdminClient.createdId(realm.admin().post("/admin/realms/" + realm.name + "/users", user));
    }

    /** Keycloak's "Account already exists" page: a form offering to link, with the colliding attribute named. */
    private static Element confirmLinkForm(Browser.Page page) {
        return page.document().selectFirst("form:has(button[value=linkAccount])");
    }

    @Nested
    @DisplayName("given a local user who already holds the e-mail DrChrono reports")
    class SameEmail {

        @Test
        @DisplayName("then Keycloak asks to confirm the link, then asks for the local password, and until then "
                + "nothing is linked and no second user exists")
        void notLinkedWithoutProof() {
            try (TestRealm realm = TestRealm.create()) {
                String localId = localUser(realm, "jordan-local", "jordan.hollis@example.org");

                Browser.Page confirm = realm.signIn(browser, "jhollis");

                assertThat(confirm.atApp()).as(confirm.text()).isFalse();
                assertThat(confirmLinkForm(confirm)).as("account-exists page: %s", confirm.text()).isNotNull();
                assertThat(confirm.text()).contains("jordan.hollis@example.org").contains("already exists");
                assertThat(realm.federatedIdentities(localId)).isEmpty();

                Browser.Page proof = browser.submit(confirm, "form:has(button[value=linkAccount])", Map.of(),
                        "submitAction", "linkAccount");

                assertThat(proof.atApp()).as(proof.text()).isFalse();
                assertThat(proof.document().selectFirst("input[name=password]"))
                        .as("re-authentication as the local user: %s", proof.text()).isNotNull();
                // The display name, which the provider stores as "DrChrono" when the admin gives none.
                assertThat(proof.text()).contains("Authenticate to link your account with DrChrono");
                assertThat(realm.federatedIdentities(localId)).as("not linked before the password").isEmpty();
                assertThat(realm.users()).extracting(u -> u.path("username").asText())
                        .containsExactly("jordan-local");
                assertThat(realm.user("jordan-local").path("attributes").has("drchrono_id")).isFalse();
            }
        }

        @Test
        @DisplayName("then a wrong local password at that step links nothing")
        void wrongPassword() {
            try (TestRealm realm = TestRealm.create()) {
                String localId = localUser(realm, "jordan-local", "jordan.hollis@example.org");
                Browser.Page confirm = realm.signIn(browser, "jhollis");
                Browser.Page proof = browser.submit(confirm, "form:has(button[value=linkAccount])", Map.of(),
                        "submitAction", "linkAccount");

                Browser.Page refused = browser.submit(proof, "form:has(input[name=password])",
                        Map.of("username", "jordan-local", "password", "guessed"), null, null);

                assertThat(refused.atApp()).isFalse();
                assertThat(refused.document().selectFirst("input[name=password]")).isNotNull();
                assertThat(realm.federatedIdentities(localId)).isEmpty();
            }
        }

        @Test
        @DisplayName("then the local password does link the account (so the refusals above are the proof step, "
                + "not a broken flow)")
        void linkedWithProof() {
            try (TestRealm realm = TestRealm.create()) {
                String localId = localUser(realm, "jordan-local", "jordan.hollis@example.org");
                Browser.Page confirm = realm.signIn(browser, "jhollis");
                Browser.Page proof = browser.submit(confirm, "form:has(button[value=linkAccount])", Map.of(),
                        "submitAction", "linkAccount");

                Browser.Page landed = browser.submit(proof, "form:has(input[name=password])",
                        Map.of("username", "jordan-local", "password", "local-password"), null, null);

                assertThat(landed.atApp()).as(landed.text()).isTrue();
                JsonNode link = realm.federatedIdentities(localId).get(0);
                assertThat(link.path("userId").asText()).isEqualTo("480112");
                assertThat(realm.users()).hasSize(1);
            }
        }
    }

    @Nested
    @DisplayName("given a local user whose username is the DrChrono username")
    class SameUsername {

        @Test
        @DisplayName("then Keycloak asks to confirm the link and the local account keeps its e-mail, names and no "
                + "DrChrono link or attributes")
        void noTakeover() {
            try (TestRealm realm = TestRealm.create()) {
                String localId = localUser(realm, "jhollis", "someone.else@example.org");

                Browser.Page confirm = realm.signIn(browser, "jhollis");

                assertThat(confirm.atApp()).as(confirm.text()).isFalse();
                assertThat(confirmLinkForm(confirm)).as("account-exists page: %s", confirm.text()).isNotNull();
                assertThat(confirm.text()).contains("jhollis").contains("already exists");
                assertThat(realm.federatedIdentities(localId)).isEmpty();
                JsonNode local = realm.user("jhollis");
                assertThat(local.path("id").asText()).isEqualTo(localId);
                assertThat(local.path("email").asText()).isEqualTo("someone.else@example.org");
                assertThat(local.path("firstName").asText()).isEqualTo("Local");
                assertThat(local.path("attributes").has("drchrono_id")).isFalse();
                assertThat(realm.users()).hasSize(1);
            }
        }

        @Test
        @DisplayName("then a DrChrono username that differs only in case and invisible characters collides too")
        void lookalikeUsername() {
            try (TestRealm realm = TestRealm.create()) {
                String localId = localUser(realm, "jhollis", "someone.else@example.org");
                String lookalike = "JHollis\u200B";
                realm.env.sandbox.users().add(SandboxUser.doctor(480199, lookalike, 390299)
                        .name("Jordan", "Lookalike").email("lookalike@example.org").build());

                Browser.Page confirm = realm.signIn(browser, lookalike);

                assertThat(confirm.atApp()).as(confirm.text()).isFalse();
                assertThat(confirmLinkForm(confirm)).as("account-exists page: %s", confirm.text()).isNotNull();
                assertThat(realm.federatedIdentities(localId)).isEmpty();
                assertThat(realm.users()).hasSize(1);
            }
        }
    }

    @Test
    @DisplayName("given a provider created with a minimal REST body, then 'trust e-mail' is stored off (Keycloak "
            + "leaves false out of the representation; switched on, it shows)")
    void trustEmailOffByDefault() {
        try (TestRealm realm = TestRealm.create()) {
            JsonNode created = realm.identityProvider();

            realm.updateIdentityProvider(idp -> idp.put("trustEmail", true));
            JsonNode switchedOn = realm.identityProvider();

            assertThat(created.path("trustEmail").asBoolean(false)).as(created.toString()).isFalse();
            assertThat(switchedOn.path("trustEmail").asBoolean(false)).as(switchedOn.toString()).isTrue();
        }
    }
}
