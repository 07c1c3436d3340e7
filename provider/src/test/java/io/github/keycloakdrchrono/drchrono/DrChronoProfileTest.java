package io.github.keycloakdrchrono.drchrono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Reading a DrChrono profile")
class DrChronoProfileTest {

    private static final String DOCTOR_USER = """
            {"id": 480112, "username": "jhollis", "doctor": 390251, "is_doctor": true, "is_staff": false,
             "practice_group": 390240,
             "permissions": {"access_billing": true, "access_clinical_notes": true, "sign/lock_clinical_notes": true,
                             "manage_permissions": false, "access_scheduling": true, "settings": true}}""";
    private static final String DOCTOR_RECORD = """
            {"id": 390251, "first_name": "Jordan", "last_name": "Hollis", "email": "jordan.hollis@example.org",
             "specialty": "Family Medicine", "suffix": null, "website": null, "home_phone": ""}""";

    private static JsonNode json(String text) {
        return Json.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), "test");
    }

    @Nested
    @DisplayName("given DrChrono's documented doctor answers")
    class Documented {

        @Test
        @DisplayName("then ids, flags and true permissions (sorted, '/' kept) are read from the user object")
        void user() {
            DrChronoProfile profile = DrChronoProfile.fromUser(json(DOCTOR_USER));

            assertThat(profile.id()).isEqualTo(480112L);
            assertThat(profile.username()).isEqualTo("jhollis");
            assertThat(profile.doctorId()).isEqualTo(390251L);
            assertThat(profile.practiceGroup()).isEqualTo(390240L);
            assertThat(profile.isDoctor()).isTrue();
            assertThat(profile.isStaff()).isFalse();
            assertThat(profile.permissions()).containsExactly("access_billing", "access_clinical_notes",
                    "access_scheduling", "settings", "sign/lock_clinical_notes");
            assertThat(profile.email()).isNull();
        }

        @Test
        @DisplayName("then names and e-mail come from the record, which mappers see under 'record'")
        void record() {
            DrChronoProfile profile = DrChronoProfile.fromUser(json(DOCTOR_USER)).withRecord(json(DOCTOR_RECORD));

            assertThat(profile.firstName()).isEqualTo("Jordan");
            assertThat(profile.lastName()).isEqualTo("Hollis");
            assertThat(profile.email()).isEqualTo("jordan.hollis@example.org");
            assertThat(profile.json().at("/record/specialty").asText()).isEqualTo("Family Medicine");
            assertThat(profile.json().get("username").asText()).isEqualTo("jhollis");
        }

        @Test
        @DisplayName("then toString names no personal data")
        void toStringIsSafe() {
            DrChronoProfile profile = DrChronoProfile.fromUser(json(DOCTOR_USER)).withRecord(json(DOCTOR_RECORD));

            assertThat(profile.toString()).contains("480112").doesNotContain("jhollis", "Jordan", "Hollis", "@");
        }
    }

    @Nested
    @DisplayName("given answers that bend DrChrono's types")
    class Types {

        @Test
        @DisplayName("then digit strings and \"true\"/\"false\" strings, as DrChrono's OpenAPI file types them, are read")
        void stringTypes() {
            DrChronoProfile profile = DrChronoProfile.fromUser(json("""
                    {"id": "480112", "username": "jhollis", "doctor": "390251", "is_doctor": "true",
                     "is_staff": "false", "permissions": {"a": "true", "b": "false", "c": 1}}"""));

            assertThat(profile.id()).isEqualTo(480112L);
            assertThat(profile.doctorId()).isEqualTo(390251L);
            assertThat(profile.isDoctor()).isTrue();
            assertThat(profile.permissions()).containsExactly("a");
        }

        @Test
        @DisplayName("then a user claiming to be doctor and staff at once is read as a doctor only")
        void bothFlags() {
            DrChronoProfile profile = DrChronoProfile.fromUser(json(
                    "{\"id\": 1, \"username\": \"x\", \"is_doctor\": true, \"is_staff\": true}"));

            assertThat(profile.isDoctor()).isTrue();
            assertThat(profile.isStaff()).isFalse();
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {
            "{\"username\": \"x\"}",
            "{\"id\": 0, \"username\": \"x\"}",
            "{\"id\": -4, \"username\": \"x\"}",
            "{\"id\": 1.5, \"username\": \"x\"}",
            "{\"id\": \"12a\", \"username\": \"x\"}",
            "{\"id\": true, \"username\": \"x\"}",
            "{\"id\": 1}",
            "{\"id\": 1, \"username\": \"  \"}",
            "{\"id\": 1, \"username\": 42}",
            "[{\"id\": 1, \"username\": \"x\"}]",
            "null"})
        @DisplayName("then a user without a usable id or username is a bad response")
        void unusable(String body) {
            JsonNode user = json(body);

            assertThatThrownBy(() -> DrChronoProfile.fromUser(user)).isInstanceOf(DrChronoException.class)
                    .extracting(e -> ((DrChronoException) e).reason())
                    .isEqualTo(DrChronoException.Reason.BAD_RESPONSE);
        }

        @Test
        @DisplayName("then a null or non-object record leaves names unknown instead of failing")
        void nullRecord() {
            DrChronoProfile user = DrChronoProfile.fromUser(json(DOCTOR_USER));

            assertThat(user.withRecord(json("null")).firstName()).isNull();
            assertThat(user.withRecord(json("[1]")).email()).isNull();
            assertThat(user.withRecord(json("{\"first_name\": 7, \"email\": false}")).firstName()).isNull();
        }
    }

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', value = {
        "María           | María",
        "  Jordan        | Jordan",
        "Jor\u0000dan    | Jordan",
        "Hol\u202Elis    | Hollis",
        "A\u200Bnn\u0007 | Ann",
        "\u0085\u0009    | ",
    })
    @DisplayName("names keep letters of any script and lose control, bidi and zero-width characters")
    void cleaning(String raw, String expected) {
        assertThat(DrChronoProfile.clean(raw)).isEqualTo(expected);
    }

    /**
     * Regression: the character list missed format characters outside the bidi and zero-width blocks (U+061C
     * ARABIC LETTER MARK, a bidi control; U+2060 WORD JOINER; U+00AD SOFT HYPHEN; tag characters), kept unpaired
     * surrogates (not text: the database gets "?"), private-use characters, and left no-break spaces at the ends.
     */
    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', value = {
        "Hol\u061Clis                  | Hollis",
        "Jor\u2060dan\u00AD            | Jordan",
        "Ann\uDB40\uDC41               | Ann",
        "Ann\uD800                     | Ann",
        "\uDC00Ann                     | Ann",
        "Ann\uE000                     | Ann",
        "'\u00A0Mary\u3000\u3000Ann\u00A0' | Mary Ann",
        "\uD83D\uDC69\u200D\u2695 Ann   | \uD83D\uDC69\u2695 Ann",
        "名前                           | 名前",
    })
    @DisplayName("regression: every format character, unpaired surrogate and private-use character goes, and any "
            + "Unicode space counts as a space")
    void cleaningFormatCharacters(String raw, String expected) {
        assertThat(DrChronoProfile.clean(raw)).isEqualTo(expected);
    }

    /** Regression: Long.parseLong reads Arabic-Indic and full-width digits, so "٤٨" was read as the id 48. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"id\": \"\u0664\u0668\", \"username\": \"x\"}",
        "{\"id\": \"\uFF14\uFF18\", \"username\": \"x\"}"})
    @DisplayName("regression: an id written in non-ASCII digits is not an id")
    void nonAsciiDigits(String body) {
        assertThatThrownBy(() -> DrChronoProfile.fromUser(json(body))).isInstanceOf(DrChronoException.class);
    }

    @Test
    @DisplayName("regression: permission names that differ only in invisible characters count once")
    void duplicatePermissions() {
        DrChronoProfile profile = DrChronoProfile.fromUser(json("{\"id\": 1, \"username\": \"x\", "
                + "\"permissions\": {\"settings\": true, \"set\\u200Btings\": true, \" settings\": \"true\"}}"));

        assertThat(profile.permissions()).containsExactly("settings");
    }

    @ParameterizedTest(name = "\"{0}\" is not an e-mail")
    @ValueSource(strings = {"", "jordan", "jordan@", "@example.org", "a b@example.org", "jordan@example"})
    @DisplayName("e-mail values that are not addresses are dropped")
    void badEmail(String raw) {
        assertThat(DrChronoProfile.email(raw)).isNull();
    }

    @Test
    @DisplayName("a name longer than 255 characters is dropped rather than truncated")
    void longName() {
        assertThat(DrChronoProfile.clean("x".repeat(256))).isNull();
        assertThat(DrChronoProfile.clean("x".repeat(255))).hasSize(255);
    }
}
