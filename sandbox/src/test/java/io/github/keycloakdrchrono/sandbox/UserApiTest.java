package io.github.keycloakdrchrono.sandbox;

import static io.github.keycloakdrchrono.sandbox.SandboxClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The user API")
class UserApiTest {

    private DrChronoSandbox sandbox;
    private SandboxClient client;

    @BeforeEach
    void start() {
        sandbox = SandboxClient.defaultSandbox().build().start();
        client = new SandboxClient(sandbox);
    }

    @AfterEach
    void stop() {
        sandbox.stop();
    }

    private String token(String username, String scope) {
        return sandbox.tokens().issue(SandboxClient.CLIENT_ID, username, scope).accessToken();
    }

    @Nested
    @DisplayName("GET /api/users/current")
    class CurrentUser {

        @Test
        @DisplayName("answers 302 to the user's own record")
        void redirects() {
            HttpResponse<String> response = client.getWithToken("/api/users/current", token("jhollis", "user:read"));

            assertThat(response.statusCode()).isEqualTo(302);
            assertThat(response.headers().firstValue("Location")).hasValue("/api/users/480112");
        }

        @Test
        @DisplayName("leads, when followed with the bearer token, to DrChrono's user JSON with typed values")
        void followed() {
            SandboxClient following = new SandboxClient(sandbox, HttpClient.Redirect.NORMAL);

            HttpResponse<String> response = following.getWithToken("/api/users/current",
                    token("jhollis", "calendar:read"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.uri().getPath()).isEqualTo("/api/users/480112");
            JsonNode user = json(response);
            assertThat(user.get("id").isInt()).isTrue();
            assertThat(user.get("id").asLong()).isEqualTo(480112);
            assertThat(user.get("username").asText()).isEqualTo("jhollis");
            assertThat(user.get("doctor").asLong()).isEqualTo(390251);
            assertThat(user.get("is_doctor").isBoolean()).isTrue();
            assertThat(user.get("is_doctor").asBoolean()).isTrue();
            assertThat(user.get("is_staff").asBoolean()).isFalse();
            assertThat(user.get("practice_group").asLong()).isEqualTo(390240);
            assertThat(user.get("permissions").size()).isBetween(30, 40);
            assertThat(user.get("permissions").get("sign/lock_clinical_notes").asBoolean()).isTrue();
            assertThat(user.get("permissions").get("manage_permissions").asBoolean()).isFalse();
            assertThat(user.has("email")).isFalse();
            assertThat(user.has("first_name")).isFalse();
        }

        @Test
        @DisplayName("describes a staff member by the doctor they work for")
        void staffMember() {
            HttpResponse<String> response = client.getWithToken("/api/users/480120", token("kpatel", "user:read"));

            JsonNode user = json(response);
            assertThat(user.get("doctor").asLong()).isEqualTo(390251);
            assertThat(user.get("is_staff").asBoolean()).isTrue();
            assertThat(user.get("is_doctor").asBoolean()).isFalse();
            assertThat(user.get("permissions").get("access_billing").asBoolean()).isTrue();
            assertThat(user.get("permissions").get("access_clinical_notes").asBoolean()).isFalse();
        }

        @Test
        @DisplayName("refuses another user's record with 403")
        void otherUser() {
            HttpResponse<String> response = client.getWithToken("/api/users/480113", token("jhollis", "user:read"));

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body())
                    .isEqualTo("{\"detail\": \"You do not have permission to perform this action.\"}");
        }

        @Test
        @DisplayName("answers a method other than GET with 405")
        void methodNotAllowed() {
            HttpResponse<String> response = client.post("/api/users/current", Map.of(),
                    "Authorization", "Bearer " + token("jhollis", "user:read"));

            assertThat(response.statusCode()).isEqualTo(405);
        }
    }

    @Nested
    @DisplayName("with a bad token")
    class Unauthorized {

        private void assertUnauthorized(HttpResponse<String> response) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).isEqualTo("Authorization failed.");
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/html"));
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue(
                    "Bearer error=\"invalid_token\", error_description=\"The access token is invalid.\"");
        }

        @Test
        @DisplayName("answers 401 with DrChrono's HTML body and WWW-Authenticate header")
        void unknownToken() {
            assertUnauthorized(client.getWithToken("/api/users/current", "NotATokenNotATokenNotATokenNot"));
        }

        @Test
        @DisplayName("answers the same without any Authorization header")
        void noHeader() {
            assertUnauthorized(client.get("/api/staff"));
        }

        @Test
        @DisplayName("answers the same for an expired token")
        void expired() {
            String token = token("jhollis", "user:read");
            sandbox.tokens().expireAccessTokens();

            assertUnauthorized(client.getWithToken("/api/doctors/390251", token));
        }
    }

    @Nested
    @DisplayName("GET /api/doctors/{id}")
    class Doctors {

        @Test
        @DisplayName("returns the doctor record with both empty strings and nulls")
        void record() {
            HttpResponse<String> response = client.getWithToken("/api/doctors/390251", token("jhollis", "user:read"));

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode doctor = json(response);
            assertThat(doctor.get("id").asLong()).isEqualTo(390251);
            assertThat(doctor.get("first_name").asText()).isEqualTo("Jordan");
            assertThat(doctor.get("email").asText()).isEqualTo("jordan.hollis@example.org");
            assertThat(doctor.get("npi_number").asText()).isEqualTo("1234567893");
            assertThat(doctor.get("practice_group_name").asText()).isEqualTo("Hollis Family Practice");
            assertThat(doctor.get("job_title").asText()).isEmpty();
            assertThat(doctor.get("suffix").isNull()).isTrue();
            assertThat(doctor.get("is_account_suspended").asBoolean()).isFalse();
        }

        @Test
        @DisplayName("sends names beyond ASCII as UTF-8")
        void utf8() {
            HttpResponse<String> response = client.getWithToken("/api/doctors/390252", token("mreyes", "user:read"));

            assertThat(json(response).get("first_name").asText()).isEqualTo("María");
        }

        @Test
        @DisplayName("has a doctor without e-mail, for the review-profile path")
        void noEmail() {
            HttpResponse<String> response = client.getWithToken("/api/doctors/390253",
                    token("dnoemail", "user:read"));

            assertThat(json(response).get("email").asText()).isEmpty();
        }

        @Test
        @DisplayName("lets a staff member read the doctor they work for, with user:write as good as user:read")
        void staffReadsTheirDoctor() {
            HttpResponse<String> response = client.getWithToken("/api/doctors/390251",
                    token("kpatel", "user:write"));

            assertThat(response.statusCode()).isEqualTo(200);
        }

        @Test
        @DisplayName("refuses a token without user:read with 403")
        void missingScope() {
            HttpResponse<String> response = client.getWithToken("/api/doctors/390251",
                    token("jhollis", "calendar:read"));

            assertThat(response.statusCode()).isEqualTo(403);
        }

        @Test
        @DisplayName("answers an unknown doctor, or one of another practice, with DrChrono's 404 body")
        void notFound() {
            sandbox.users().add(SandboxUser.doctor(490001, "elsewhere", 490002)
                    .practiceGroup(490000, "Elsewhere Clinic").build());
            String token = token("jhollis", "user:read");

            HttpResponse<String> unknown = client.getWithToken("/api/doctors/999999", token);
            HttpResponse<String> foreign = client.getWithToken("/api/doctors/490002", token);

            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).isEqualTo("{\"detail\": \"Not found.\"}");
            assertThat(foreign.statusCode()).isEqualTo(404);
        }

        @Test
        @DisplayName("serves a user changed while running")
        void updatedUser() {
            sandbox.users().update("jhollis", user -> user.email("jordan@hollis.example").suffix("DO"));

            JsonNode doctor = json(client.getWithToken("/api/doctors/390251", token("jhollis", "user:read")));

            assertThat(doctor.get("email").asText()).isEqualTo("jordan@hollis.example");
            assertThat(doctor.get("suffix").asText()).isEqualTo("DO");
        }
    }

    @Nested
    @DisplayName("GET /api/staff")
    class Staff {

        @Test
        @DisplayName("pages with full next URLs carrying a cursor until next is null")
        void pagination() {
            String token = token("kpatel", "user:read");
            List<String> usernames = new ArrayList<>();
            String url = sandbox.apiUrl() + "/api/staff?page_size=2";
            int pages = 0;

            while (url != null) {
                JsonNode page = json(client.getWithToken(url, token));
                page.get("results").forEach(staff -> usernames.add(staff.get("username").asText()));
                assertThat(page.has("previous")).isTrue();
                assertThat(page.get("results").size()).isLessThanOrEqualTo(2);
                url = page.get("next").isNull() ? null : page.get("next").asText();
                if (url != null) {
                    assertThat(url).startsWith(sandbox.apiUrl() + "/api/staff?page_size=2&cursor=");
                }
                pages++;
            }

            assertThat(pages).isEqualTo(3);
            assertThat(usernames).containsExactly("kpatel", "tnguyen", "lortiz", "swhitaker", "praman",
                    "ofitzgerald");
        }

        @Test
        @DisplayName("links back with previous from a later page")
        void previous() {
            String token = token("kpatel", "user:read");
            JsonNode first = json(client.getWithToken("/api/staff?page_size=4", token));

            JsonNode second = json(client.getWithToken(first.get("next").asText(), token));

            assertThat(first.get("previous").isNull()).isTrue();
            assertThat(second.get("previous").asText()).isEqualTo(sandbox.apiUrl() + "/api/staff?page_size=4");
            assertThat(second.get("next").isNull()).isTrue();
            assertThat(second.get("results").size()).isEqualTo(2);
        }

        @Test
        @DisplayName("filters by doctor and shows inactive staff and missing e-mails")
        void doctorFilter() {
            JsonNode page = json(client.getWithToken("/api/staff?doctor=390252", token("mreyes", "user:read")));

            assertThat(page.get("results").size()).isEqualTo(4);
            page.get("results").forEach(staff -> {
                assertThat(staff.get("doctor").asLong()).isEqualTo(390252);
                assertThat(staff.get("active").asBoolean()).isFalse();
            });
            assertThat(page.get("results").get(0).get("email").isNull()).isTrue();
            assertThat(page.get("results").get(1).get("email").asText()).isEmpty();
        }

        @Test
        @DisplayName("gives staff a user_id different from the user id by default, so clients match on username")
        void userIdDiffers() {
            JsonNode kpatel = json(client.getWithToken("/api/staff?doctor=390251", token("kpatel", "user:read")))
                    .get("results").get(0);

            assertThat(kpatel.get("username").asText()).isEqualTo("kpatel");
            assertThat(kpatel.get("id").asLong()).isEqualTo(77001);
            assertThat(kpatel.get("user_id").asLong()).isNotEqualTo(480120);
            assertThat(kpatel.get("first_name").asText()).isEqualTo("Kiran");
            assertThat(kpatel.get("email").asText()).isEqualTo("kiran.patel@example.org");
        }

        @Test
        @DisplayName("gives staff a user_id equal to the user id when so configured")
        void userIdMatches() {
            sandbox.stop();
            sandbox = SandboxClient.defaultSandbox().staffUserIdMatchesUserId(true).build().start();
            client = new SandboxClient(sandbox);

            JsonNode kpatel = json(client.getWithToken("/api/staff?doctor=390251", token("kpatel", "user:read")))
                    .get("results").get(0);

            assertThat(kpatel.get("user_id").asLong()).isEqualTo(480120);
        }

        @Test
        @DisplayName("answers a cursor it never handed out with 404")
        void invalidCursor() {
            HttpResponse<String> response = client.getWithToken("/api/staff?cursor=garbage!",
                    token("kpatel", "user:read"));

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).isEqualTo("{\"detail\": \"Invalid cursor\"}");
        }

        @Test
        @DisplayName("refuses a token without user:read with 403")
        void missingScope() {
            assertThat(client.getWithToken("/api/staff", token("kpatel", "calendar:read")).statusCode())
                    .isEqualTo(403);
        }
    }

    @Test
    @DisplayName("answers an API path it does not know with DrChrono's JSON 404")
    void unknownPath() {
        HttpResponse<String> response = client.get("/api/patients");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"detail\": \"Not found.\"}");
    }
}
