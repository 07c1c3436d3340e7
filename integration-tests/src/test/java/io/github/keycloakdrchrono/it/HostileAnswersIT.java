package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.keycloakdrchrono.sandbox.Endpoint;
import io.github.keycloakdrchrono.sandbox.Fault;
import io.github.keycloakdrchrono.testkit.Browser;

/**
 * What a user sees when DrChrono's user API answers something hostile or broken after they approved: either a
 * clean account (what can safely be read is read) or a clear error page with no account. The failures that
 * {@link SignInWithDrChronoIT} already covers (HTML, malformed JSON, cross-host redirect, timeouts, drip) are not
 * repeated here.
 */
@DisplayName("Hostile answers from DrChrono's user API")
class HostileAnswersIT {

    private static final String USER_FIELDS = "\"doctor\": 390251, \"practice_group\": 390240, "
            + "\"permissions\": {\"settings\": true}";

    private final Browser browser = new Browser();

    @AfterEach
    void resetSandbox() {
        TestEnvironment.get().sandbox.reset();
    }

    private static List<String> attr(JsonNode user, String name) {
        return StreamSupport.stream(user.path("attributes").path(name).spliterator(), false)
                .map(JsonNode::asText).toList();
    }

    /** What DrChrono answers, where, and the event reason of the refusal. */
    record Refused(String what, Endpoint endpoint, Fault fault) {

        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Refused> refused() {
        return Stream.of(
                new Refused("a 5 MiB body announced by Content-Length", Endpoint.USER,
                        Fault.oversizedBody(5L * 1024 * 1024)),
                new Refused("JSON nested 5,000 levels deep", Endpoint.USER,
                        Fault.json(200, "[".repeat(5_000) + "]".repeat(5_000))),
                new Refused("the user without a username", Endpoint.USER,
                        Fault.json(200, "{\"id\": 480112, \"is_doctor\": true, " + USER_FIELDS + "}")),
                new Refused("the user's id as a negative number", Endpoint.USER,
                        Fault.json(200, "{\"id\": -480112, \"username\": \"jhollis\", " + USER_FIELDS + "}")),
                new Refused("the user's id as a word", Endpoint.USER,
                        Fault.json(200, "{\"id\": \"me\", \"username\": \"jhollis\", " + USER_FIELDS + "}")),
                new Refused("null where the user belongs", Endpoint.USER, Fault.json(200, "null")),
                new Refused("the same key twice (which value is the id?)", Endpoint.USER,
                        Fault.json(200, "{\"id\": 480112, \"id\": 1, \"username\": \"jhollis\"}")),
                new Refused("a 302 loop on /api/users/current", Endpoint.USERS_CURRENT, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    @DisplayName("given an answer without a usable identity, then the page says DrChrono's answer was unusable, "
            + "the event says drchrono_bad_response, and no user exists")
    void refusedAnswer(Refused answer) {
        try (TestRealm realm = TestRealm.create()) {
            Fault fault = answer.fault() != null ? answer.fault()
                    : Fault.redirectTo(realm.env.sandbox.apiUrl() + "/api/users/current");
            if (answer.fault() == null) {
                realm.env.sandbox.faults().always(answer.endpoint(), fault);
            } else {
                realm.env.sandbox.faults().next(answer.endpoint(), fault);
            }

            Browser.Page page = realm.signIn(browser, "jhollis");

            assertThat(page.atApp()).isFalse();
            assertThat(page.status()).as(page.text()).isEqualTo(502);
            assertThat(page.text()).contains("DrChrono sent an answer we could not use");
            assertThat(realm.users()).isEmpty();
            JsonNode event = realm.events("IDENTITY_PROVIDER_LOGIN_ERROR").get(0);
            assertThat(event.path("details").path("reason").asText()).isEqualTo("drchrono_bad_response");
        }
    }

    @Nested
    @DisplayName("given types as DrChrono's OpenAPI file describes them (ids and flags as strings)")
    class StringTypes {

        @Test
        @DisplayName("then the login succeeds with the same ids and flags as from the real answer")
        void read() {
            try (TestRealm realm = TestRealm.create()) {
                realm.env.sandbox.faults().next(Endpoint.USER, Fault.json(200, "{\"id\": \"480112\", "
                        + "\"username\": \"jhollis\", \"doctor\": \"390251\", \"practice_group\": \"390240\", "
                        + "\"is_doctor\": \"true\", \"is_staff\": \"false\", "
                        + "\"permissions\": {\"settings\": \"true\", \"access_billing\": \"false\"}}"));

                Browser.Page landed = realm.signIn(browser, "jhollis");

                assertThat(landed.atApp()).as(landed.text()).isTrue();
                JsonNode user = realm.user("jhollis");
                assertThat(attr(user, "drchrono_id")).containsExactly("480112");
                assertThat(attr(user, "drchrono_doctor")).containsExactly("390251");
                assertThat(attr(user, "drchrono_is_doctor")).containsExactly("true");
                assertThat(attr(user, "drchrono_permissions")).containsExactly("settings");
                assertThat(realm.federatedIdentities(user.path("id").asText()).get(0).path("userId").asText())
                        .isEqualTo("480112");
            }
        }

        @Test
        @DisplayName("then unusable optional values (doctor as a word, flags as numbers, permissions as a list) "
                + "are left unknown, and the user fills in the names")
        void wrongOptionalTypes() {
            try (TestRealm realm = TestRealm.create()) {
                realm.env.sandbox.faults().next(Endpoint.USER, Fault.json(200, "{\"id\": 480112, "
                        + "\"username\": \"jhollis\", \"doctor\": \"abc\", \"practice_group\": null, "
                        + "\"is_doctor\": 1, \"is_staff\": \"yes\", \"permissions\": [\"settings\"]}"));

                Browser.Page review = realm.signIn(browser, "jhollis");

                assertThat(review.document().selectFirst("form#kc-idp-review-profile-form"))
                        .as(review.text()).isNotNull();
                Browser.Page landed = browser.submit(review, "form#kc-idp-review-profile-form",
                        Map.of("email", "jordan@example.org", "firstName", "Jordan", "lastName", "Hollis"), null,
                        null);
                assertThat(landed.atApp()).as(landed.text()).isTrue();
                JsonNode user = realm.user("jhollis");
                assertThat(attr(user, "drchrono_id")).containsExactly("480112");
                assertThat(attr(user, "drchrono_doctor")).isEmpty();
                assertThat(attr(user, "drchrono_is_doctor")).containsExactly("false");
                assertThat(attr(user, "drchrono_is_staff")).containsExactly("false");
                assertThat(attr(user, "drchrono_permissions")).isEmpty();
            }
        }
    }

    @Nested
    @DisplayName("given a doctor record that is null")
    class NullRecord {

        @Test
        @DisplayName("then Keycloak's review-profile page asks for names and e-mail instead of failing")
        void reviewProfile() {
            try (TestRealm realm = TestRealm.create()) {
                realm.env.sandbox.faults().next(Endpoint.DOCTOR, Fault.json(200, "null"));

                Browser.Page review = realm.signIn(browser, "jhollis");

                assertThat(review.atApp()).isFalse();
                assertThat(review.document().selectFirst("form#kc-idp-review-profile-form"))
                        .as(review.text()).isNotNull();
                assertThat(review.document().select("input#firstName").attr("value")).isEmpty();
                assertThat(review.document().select("input#email").attr("value")).isEmpty();
                assertThat(realm.users()).isEmpty();
            }
        }
    }

    @Nested
    @DisplayName("given names with control, bidi and zero-width characters and letters of other scripts")
    class Names {

        @Test
        @DisplayName("then the Keycloak user gets the names with the invisible characters stripped and the "
                + "letters kept")
        void stripped() {
            try (TestRealm realm = TestRealm.create()) {
                realm.env.sandbox.faults().next(Endpoint.DOCTOR, Fault.json(200, "{\"id\": 390251, "
                        + "\"first_name\": \"\\u0000Jo\\u202Erd\\u200Ban\\u0007\", "
                        + "\"last_name\": \"Hollis-N\\u00fa\\u00f1ez \\u540d\\u524d\\u061C\\u2066\", "
                        + "\"email\": \"jordan.hollis@example.org\\u200B\"}"));

                Browser.Page landed = realm.signIn(browser, "jhollis");

                assertThat(landed.atApp()).as(landed.text()).isTrue();
                JsonNode user = realm.user("jhollis");
                assertThat(user.path("firstName").asText()).isEqualTo("Jordan");
                assertThat(user.path("lastName").asText()).isEqualTo("Hollis-Núñez 名前");
                assertThat(user.path("email").asText()).isEqualTo("jordan.hollis@example.org");
            }
        }

        @Test
        @DisplayName("then markup in a name is refused by Keycloak's name validation: the user is asked to correct "
                + "it, and the page shows it escaped")
        void markup() {
            try (TestRealm realm = TestRealm.create()) {
                realm.env.sandbox.faults().next(Endpoint.DOCTOR, Fault.json(200, "{\"id\": 390251, "
                        + "\"first_name\": \"<img src=x onerror=alert(1)>\", \"last_name\": \"Hollis\", "
                        + "\"email\": \"jordan.hollis@example.org\"}"));

                Browser.Page review = realm.signIn(browser, "jhollis");

                assertThat(review.atApp()).isFalse();
                assertThat(review.document().selectFirst("form#kc-idp-review-profile-form"))
                        .as(review.text()).isNotNull();
                assertThat(review.body()).doesNotContain("<img src=x");
                assertThat(realm.users()).isEmpty();
            }
        }
    }
}
