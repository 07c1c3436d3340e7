package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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
 * Sign in with DrChrono on a real Keycloak distribution with the built jar, through the browser flow, against
 * the sandbox. The provider is created through the admin REST API with only client id, secret and base URLs.
 */
@DisplayName("Sign in with DrChrono")
class SignInWithDrChronoIT {

    private final Browser browser = new Browser();

    @AfterEach
    void resetSandbox() {
        TestEnvironment.get().sandbox.reset();
    }

    private static List<String> attr(JsonNode user, String name) {
        JsonNode values = user.path("attributes").path(name);
        return values.isMissingNode() ? List.of()
                : java.util.stream.StreamSupport.stream(values.spliterator(), false).map(JsonNode::asText).toList();
    }

    @Nested
    @DisplayName("given a doctor with a complete record")
    class Doctor {

        @Test
        @DisplayName("then the first login asks nothing and creates the user from the doctor record")
        void firstLogin() {
            try (TestRealm realm = TestRealm.create()) {
                Browser.Page landed = realm.signIn(browser, "jhollis");

                assertThat(landed.atApp()).as("back at the app without any Keycloak page: %s", landed.text())
                        .isTrue();
                assertThat(landed.param("code")).isNotBlank();
                JsonNode user = realm.user("jhollis");
                assertThat(user.path("email").asText()).isEqualTo("jordan.hollis@example.org");
                assertThat(user.path("firstName").asText()).isEqualTo("Jordan");
                assertThat(user.path("lastName").asText()).isEqualTo("Hollis");
                assertThat(attr(user, "drchrono_id")).containsExactly("480112");
                assertThat(attr(user, "drchrono_doctor")).containsExactly("390251");
                assertThat(attr(user, "drchrono_practice_group")).containsExactly("390240");
                assertThat(attr(user, "drchrono_is_doctor")).containsExactly("true");
                assertThat(attr(user, "drchrono_is_staff")).containsExactly("false");
                assertThat(attr(user, "drchrono_permissions")).contains("access_clinical_notes",
                        "sign/lock_clinical_notes").isSorted();
                JsonNode link = realm.federatedIdentities(user.path("id").asText()).get(0);
                assertThat(link.path("identityProvider").asText()).isEqualTo("drchrono");
                assertThat(link.path("userId").asText()).isEqualTo("480112");
                assertThat(link.path("userName").asText()).isEqualTo("jhollis");
            }
        }

        @Test
        @DisplayName("then the provider was created with token storage on, and an app gets a working DrChrono "
                + "access token without the refresh token")
        void storedToken() {
            try (TestRealm realm = TestRealm.create()) {
                assertThat(realm.identityProvider().path("storeToken").asBoolean()).isTrue();

                Browser.Page landed = realm.signIn(browser, "jhollis");
                JsonNode appTokens = realm.appTokens(landed.param("code"));
                HttpResponse<String> brokered = realm.brokerToken(appTokens.path("access_token").asText());

                assertThat(brokered.statusCode()).as(brokered.body()).isEqualTo(200);
                JsonNode handed = TestRealm.read(brokered.body());
                String accessToken = handed.path("access_token").asText();
                assertThat(accessToken).matches("[A-Za-z0-9]{30}");
                assertThat(handed.has("refresh_token")).isFalse();
                assertThat(handed.path("token_type").asText()).isEqualTo("Bearer");
                assertThat(handed.path("scope").asText()).isEqualTo("user:read");
                assertThat(handed.path("expires_in").asLong()).isBetween(172_000L, 172_800L);
                assertThat(realm.env.sandbox.tokens().isAccessTokenValid(accessToken)).isTrue();
            }
        }

        @Test
        @DisplayName("then the DrChrono attribute importer maps a field of the doctor record, and a permission "
                + "whose name holds a '/'")
        void attributeImporter() {
            try (TestRealm realm = TestRealm.create()) {
                String base = "/admin/realms/" + realm.name;
                com.fasterxml.jackson.databind.node.ObjectNode profile =
                        (com.fasterxml.jackson.databind.node.ObjectNode) realm.admin().get(base + "/users/profile");
                for (String name : List.of("specialty", "can_sign")) {
                    com.fasterxml.jackson.databind.node.ObjectNode attribute = profile.withArray("attributes")
                            .addObject().put("name", name);
                    attribute.putObject("permissions").putArray("view").add("admin");
                    attribute.with("permissions").putArray("edit").add("admin");
                }
                realm.admin().put(base + "/users/profile", profile);
                mapper(realm, "record.specialty", "specialty");
                mapper(realm, "permissions.sign/lock_clinical_notes", "can_sign");

                realm.signIn(browser, "jhollis");

                JsonNode user = realm.user("jhollis");
                assertThat(attr(user, "specialty")).containsExactly("Family Medicine");
                assertThat(attr(user, "can_sign")).containsExactly("true");
            }
        }

        private void mapper(TestRealm realm, String jsonField, String attribute) {
            com.fasterxml.jackson.databind.node.ObjectNode mapper = new com.fasterxml.jackson.databind.ObjectMapper()
                    .createObjectNode()
                    .put("name", attribute)
                    .put("identityProviderAlias", TestRealm.ALIAS)
                    .put("identityProviderMapper", "drchrono-user-attribute-mapper");
            mapper.putObject("config").put("syncMode", "INHERIT").put("jsonField", jsonField)
                    .put("userAttribute", attribute);
            realm.admin().post("/admin/realms/" + realm.name + "/identity-provider/instances/" + TestRealm.ALIAS
                    + "/mappers", mapper);
        }

        @Test
        @DisplayName("then the attributes are declared in the realm's user profile, visible to admins only")
        void userProfile() {
            try (TestRealm realm = TestRealm.create()) {
                realm.signIn(browser, "jhollis");

                JsonNode profile = realm.admin().get("/admin/realms/" + realm.name + "/users/profile");
                JsonNode permissions = null;
                for (JsonNode attribute : profile.path("attributes")) {
                    if (attribute.path("name").asText().equals("drchrono_permissions")) {
                        permissions = attribute;
                    }
                }
                assertThat(permissions).as("drchrono_permissions declared").isNotNull();
                assertThat(permissions.path("multivalued").asBoolean()).isTrue();
                assertThat(permissions.path("group").asText()).isEqualTo("drchrono");
                assertThat(permissions.path("permissions").path("view").toString()).isEqualTo("[\"admin\"]");
                assertThat(permissions.path("permissions").path("edit").size()).isZero();
            }
        }

        @Test
        @DisplayName("then a second login refreshes the DrChrono attributes, and names under sync mode 'force'")
        void secondLogin() {
            try (TestRealm realm = TestRealm.create(Map.of("syncMode", "FORCE"))) {
                realm.signIn(browser, "jhollis");
                realm.env.sandbox.users().update("jhollis", u -> u.name("Jordan", "Hollis-Grant")
                        .permission("manage_permissions", true)
                        .permission("access_billing", false));

                Browser.Page landed = realm.signIn(new Browser(), "jhollis");

                assertThat(landed.atApp()).isTrue();
                JsonNode user = realm.user("jhollis");
                assertThat(user.path("lastName").asText()).isEqualTo("Hollis-Grant");
                assertThat(attr(user, "drchrono_permissions")).contains("manage_permissions")
                        .doesNotContain("access_billing");
                assertThat(realm.users()).hasSize(1);
            }
        }
    }

    @Nested
    @DisplayName("given a staff member")
    class Staff {

        @Test
        @DisplayName("then names and e-mail are the staff member's own, never their doctor's")
        void firstLogin() {
            try (TestRealm realm = TestRealm.create()) {
                Browser.Page landed = realm.signIn(browser, "kpatel");

                assertThat(landed.atApp()).as(landed.text()).isTrue();
                JsonNode user = realm.user("kpatel");
                assertThat(user.path("email").asText()).isEqualTo("kiran.patel@example.org");
                assertThat(user.path("firstName").asText()).isEqualTo("Kiran");
                assertThat(user.path("lastName").asText()).isEqualTo("Patel");
                assertThat(attr(user, "drchrono_is_staff")).containsExactly("true");
                assertThat(attr(user, "drchrono_is_doctor")).containsExactly("false");
                assertThat(attr(user, "drchrono_doctor")).containsExactly("390251");
                assertThat(realm.env.sandbox.counters().get(Endpoint.DOCTOR)).isZero();
            }
        }
    }

    @Nested
    @DisplayName("given a doctor whose record has no e-mail")
    class IncompleteRecord {

        @Test
        @DisplayName("then Keycloak's review-profile page asks for the e-mail, and nothing else is asked")
        void reviewProfile() {
            try (TestRealm realm = TestRealm.create()) {
                Browser.Page page = realm.signIn(browser, "dnoemail");

                assertThat(page.atApp()).isFalse();
                assertThat(page.document().select("input#email").attr("value")).isEmpty();
                assertThat(page.document().select("input#firstName").attr("value")).isEqualTo("Dana");

                Browser.Page landed = browser.submit(page, "form#kc-idp-review-profile-form",
                        Map.of("email", "dana@example.org"), null, null);

                assertThat(landed.atApp()).as(landed.text()).isTrue();
                assertThat(realm.user("dnoemail").path("email").asText()).isEqualTo("dana@example.org");
            }
        }
    }

    @Nested
    @DisplayName("given the user cancels at DrChrono's consent page")
    class Cancel {

        @Test
        @DisplayName("then the login page says so, no user exists, and the event says cancelled")
        void cancel() {
            try (TestRealm realm = TestRealm.create()) {
                Browser.Page signInPage = realm.clickDrChrono(browser);
                Browser.Page consent = browser.submit(signInPage, "form#signin",
                        Map.of("username", "jhollis", "password", TestRealm.PASSWORD), null, null);

                Browser.Page back = browser.submit(consent, "form#consent", Map.of(), "action", "cancel");

                assertThat(back.status()).isEqualTo(200);
                assertThat(back.document().selectFirst("a#social-drchrono")).as("back on the login page").isNotNull();
                assertThat(back.text()).contains("Access denied when authenticating with DrChrono");
                assertThat(realm.users()).isEmpty();
                JsonNode event = realm.events("IDENTITY_PROVIDER_LOGIN_ERROR").get(0);
                assertThat(event.path("error").asText()).isEqualTo("rejected_by_user");
                assertThat(event.path("details").path("reason").asText()).isEqualTo("cancelled_at_drchrono");
            }
        }
    }

    /** One row of the failure table: what DrChrono does, and what the user and the audit log must see. */
    record Failure(String what, Map<String, String> providerConfig, Endpoint endpoint, Fault fault, int status,
            String message, String reason) {

        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Failure> failures() {
        String unavailable = "DrChrono is not answering right now";
        String unusable = "DrChrono sent an answer we could not use";
        Map<String, String> shortTimeouts = Map.of("readTimeoutMillis", "1500", "connectTimeoutMillis", "500");
        return Stream.of(
                new Failure("down: 503 at the token endpoint", Map.of(), Endpoint.TOKEN_CODE, Fault.serverError(),
                        503, unavailable, "drchrono_unavailable"),
                // The sandbox hangs for minutes; the login must end after the 1.5 s read timeout.
                new Failure("slow: no answer within the read timeout", shortTimeouts, Endpoint.USERS_CURRENT,
                        Fault.hang(), 504, unavailable, "drchrono_timeout"),
                // Each byte arrives within the read timeout; only the overall deadline stops it.
                new Failure("dripping the body past the deadline", shortTimeouts, Endpoint.USER,
                        Fault.dripBody(Duration.ofSeconds(20)), 504, unavailable, "drchrono_timeout"),
                new Failure("throttled: 429", Map.of(), Endpoint.USERS_CURRENT, Fault.throttled(37), 503,
                        "too many requests", "drchrono_throttled"),
                new Failure("HTML where JSON belongs", Map.of(), Endpoint.USER, Fault.html(), 502, unusable,
                        "drchrono_bad_response"),
                new Failure("malformed JSON for the doctor record", Map.of(), Endpoint.DOCTOR, Fault.malformedJson(),
                        502, unusable, "drchrono_bad_response"),
                new Failure("a redirect to another host", Map.of(), Endpoint.USERS_CURRENT,
                        Fault.redirectTo("http://127.0.0.2:1/api/users/480112"), 502, unusable,
                        "drchrono_bad_response"),
                new Failure("the code refused as already used", Map.of(), Endpoint.TOKEN_CODE,
                        Fault.json(401, "{\"error\": \"invalid_grant\"}"), 502, "took too long or was already used",
                        "drchrono_grant_rejected"),
                new Failure("the redirect URI refused", Map.of(), Endpoint.TOKEN_CODE, Fault.json(400,
                        "{\"error\": \"invalid_request\", \"error_description\": \"Mismatching redirect URI.\"}"),
                        502, "the redirect URI registered at DrChrono must match", "drchrono_redirect_uri_rejected"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    @DisplayName("given DrChrono fails after the user approved, then a page says why, an event records it, "
            + "and no user is created")
    void failure(Failure failure) {
        try (TestRealm realm = TestRealm.create(failure.providerConfig())) {
            realm.env.sandbox.faults().next(failure.endpoint(), failure.fault());

            long started = System.nanoTime();
            Browser.Page page = realm.signIn(browser, "jhollis");
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertFailed(realm, page, failure.status(), failure.message(), failure.reason());
            assertThat(took).as("bounded by our timeouts, not by DrChrono").isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    @DisplayName("given DrChrono refuses our client (wrong secret), then the page says to tell the admin, and the "
            + "event names DrChrono's status and error")
    void wrongSecret() {
        try (TestRealm realm = TestRealm.create(Map.of("clientSecret", "not-the-secret"))) {
            Browser.Page page = realm.signIn(browser, "jhollis");

            assertFailed(realm, page, 502, "did not accept this site's sign-in credentials", "drchrono_client_rejected");
            JsonNode event = realm.events("IDENTITY_PROVIDER_LOGIN_ERROR").get(0);
            assertThat(event.path("details").path("drchrono_error").asText()).isEqualTo("invalid_client");
            assertThat(event.path("details").path("drchrono_status").asText()).isEqualTo("401");
            assertThat(event.path("details").path("drchrono_endpoint").asText()).isEqualTo("token");
        }
    }

    private static void assertFailed(TestRealm realm, Browser.Page page, int status, String message, String reason) {
        assertThat(page.atApp()).isFalse();
        assertThat(page.status()).as("%s: %s", page.url(), page.text()).isEqualTo(status);
        assertThat(page.text()).contains(message);
        assertThat(realm.users()).as("no user created").isEmpty();
        JsonNode event = realm.events("IDENTITY_PROVIDER_LOGIN_ERROR").get(0);
        assertThat(event.path("error").asText()).isEqualTo("identity_provider_login_failure");
        assertThat(event.path("details").path("reason").asText()).isEqualTo(reason);
    }
}
