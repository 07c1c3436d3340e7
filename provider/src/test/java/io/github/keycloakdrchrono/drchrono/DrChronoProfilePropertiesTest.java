package io.github.keycloakdrchrono.drchrono;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Profile parsing over arbitrary DrChrono answers: whatever the user object, record or raw body holds, parsing
 * either yields a clean profile or fails with our {@link DrChronoException}, never with anything else.
 */
@Label("Reading arbitrary DrChrono answers")
class DrChronoProfilePropertiesTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> USER_KEYS = List.of("id", "username", "doctor", "practice_group", "is_doctor",
            "is_staff", "permissions", "record");
    private static final List<String> RECORD_KEYS = List.of("first_name", "last_name", "email", "id");

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    @Label("any JSON as the user object gives a profile or a BAD_RESPONSE DrChronoException, nothing else")
    void userObjectsNeverThrowAnythingElse(@ForAll("userish") JsonNode user, @ForAll("anyJson") JsonNode record) {
        DrChronoProfile profile;
        try {
            profile = DrChronoProfile.fromUser(user).withRecord(record);
        } catch (DrChronoException e) {
            assertThat(e.reason()).isEqualTo(DrChronoException.Reason.BAD_RESPONSE);
            return;
        }

        assertClean(profile);
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    @Label("a parsed profile has a positive id, positive or unknown doctor and group, and clean names")
    void parsedProfilesAreClean(@ForAll("parseableUser") JsonNode user, @ForAll("recordish") JsonNode record) {
        DrChronoProfile profile = DrChronoProfile.fromUser(user).withRecord(record);

        assertClean(profile);
    }

    @Property(tries = 50, edgeCases = EdgeCasesMode.NONE)
    @Label("reading the profile's own JSON again, as the attribute writer does, gives the same values")
    void reparsingIsStable(@ForAll("parseableUser") JsonNode user, @ForAll("recordish") JsonNode record) {
        DrChronoProfile first = DrChronoProfile.fromUser(user).withRecord(record);
        ObjectNode json = first.json();

        DrChronoProfile again = DrChronoProfile.fromUser(json).withRecord(json.get(DrChronoProfile.RECORD_FIELD));

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.username()).isEqualTo(first.username());
        assertThat(again.doctorId()).isEqualTo(first.doctorId());
        assertThat(again.practiceGroup()).isEqualTo(first.practiceGroup());
        assertThat(again.isDoctor()).isEqualTo(first.isDoctor());
        assertThat(again.isStaff()).isEqualTo(first.isStaff());
        assertThat(again.permissions()).isEqualTo(first.permissions());
        assertThat(again.email()).isEqualTo(first.email());
        assertThat(again.firstName()).isEqualTo(first.firstName());
        assertThat(again.lastName()).isEqualTo(first.lastName());
    }

    @Property(tries = 200)
    @Label("cleaning a name twice changes nothing more than cleaning it once")
    void cleaningIsIdempotent(@ForAll("hostileText") String raw) {
        String once = DrChronoProfile.clean(raw);

        assertThat(DrChronoProfile.clean(once)).isEqualTo(once);
    }

    @Property(tries = 100)
    @Label("any bytes as a body parse as JSON or fail with a BAD_RESPONSE that quotes none of them")
    void rawBodies(@ForAll("bodies") String body) {
        try {
            JsonNode node = Json.parse(body.getBytes(StandardCharsets.UTF_8), "users/current");
            assertThat(node.isMissingNode()).isFalse();
        } catch (DrChronoException e) {
            assertThat(e.reason()).isEqualTo(DrChronoException.Reason.BAD_RESPONSE);
            if (body.length() > 12) {
                assertThat(e.getMessage()).doesNotContain(body);
            }
        }
    }

    @Property(tries = 20)
    @Label("nesting of any depth is refused past 32 levels, without a stack overflow")
    void nesting(@ForAll @IntRange(min = 1, max = 20_000) int depth) {
        String body = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);

        try {
            Json.parse(body.getBytes(StandardCharsets.UTF_8), "users/current");
            assertThat(depth).isLessThanOrEqualTo(32);
        } catch (DrChronoException e) {
            assertThat(depth).isGreaterThan(32);
            assertThat(e.reason()).isEqualTo(DrChronoException.Reason.BAD_RESPONSE);
        }
    }

    private static void assertClean(DrChronoProfile profile) {
        assertThat(profile.id()).isPositive();
        if (profile.doctorId() != null) {
            assertThat(profile.doctorId()).isPositive();
        }
        if (profile.practiceGroup() != null) {
            assertThat(profile.practiceGroup()).isPositive();
        }
        assertThat(profile.isDoctor() && profile.isStaff()).isFalse();
        assertThat(profile.username()).isNotNull();
        List<String> texts = new ArrayList<>(profile.permissions());
        texts.add(profile.username());
        for (String value : new String[] {profile.email(), profile.firstName(), profile.lastName()}) {
            if (value != null) {
                texts.add(value);
            }
        }
        for (String text : texts) {
            assertThat(text).isNotBlank().hasSizeLessThanOrEqualTo(DrChronoProfile.MAX_VALUE_LENGTH)
                    .isEqualTo(text.strip());
            assertThat(invisible(text)).as("invisible or control characters in %s", text).isEmpty();
        }
        assertThat(profile.permissions()).isSorted().doesNotHaveDuplicates()
                .hasSizeLessThanOrEqualTo(DrChronoProfile.MAX_PERMISSIONS);
        if (profile.email() != null) {
            assertThat(profile.email()).contains("@");
        }
    }

    /** The code points a name must never keep, found independently of the regex in the code under test. */
    private static List<String> invisible(String text) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int type = Character.getType(cp);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.PRIVATE_USE || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                found.add(String.format("U+%04X", cp));
            }
            i += Character.charCount(cp);
        }
        return found;
    }

    @Provide
    Arbitrary<String> hostileText() {
        Arbitrary<String> hostileChars = Arbitraries.strings().withChars('\u0000', '\u0007', '\t', '\n', '\u0085',
                '\u00A0', '\u00AD', '\u061C', '\u200B', '\u200D', '\u2028', '\u202E', '\u2066', '\u2060', '\u3000',
                '\uFEFF', '\uD800', '\uDC00', '\uE000', ' ', 'a', 'Z', 'ñ', '名', '/', '@', '.')
                .ofMaxLength(40);
        Arbitrary<String> emoji = Arbitraries.of("\uD83D\uDC69\u200D\u2695\uFE0F", "\uD83C\uDFF4\uDB40\uDC67",
                "Jos\u0065\u0301");
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(40), hostileChars,
                Combinators.combine(hostileChars, emoji, hostileChars).as((a, b, c) -> a + b + c),
                Arbitraries.strings().alpha().ofMinLength(250).ofMaxLength(260));
    }

    @Provide
    Arbitrary<JsonNode> anyJson() {
        return json(2);
    }

    private Arbitrary<JsonNode> json(int depth) {
        Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.bigIntegers().between(java.math.BigInteger.TEN.pow(19), java.math.BigInteger.TEN.pow(25))
                        .map(NODES::numberNode),
                hostileText().map(NODES::textNode),
                Arbitraries.of("true", "FALSE", " 42 ", "0", "-1", "007", "\u0664\u0662", "\uFF11\uFF12",
                        "9999999999999999999").map(NODES::textNode));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<JsonNode> array = json(depth - 1).list().ofMaxSize(4).map(items -> {
            var node = NODES.arrayNode();
            items.forEach(node::add);
            return node;
        });
        Arbitrary<JsonNode> object = Arbitraries.maps(Arbitraries.oneOf(Arbitraries.of(USER_KEYS),
                        Arbitraries.of(RECORD_KEYS), hostileText()), json(depth - 1)).ofMaxSize(4)
                .map(DrChronoProfilePropertiesTest::object);
        return Arbitraries.frequencyOf(Tuple.of(4, scalar), Tuple.of(1, array), Tuple.of(3, object));
    }

    /** Objects with the user fields, each either plausible or any JSON at all. */
    @Provide
    Arbitrary<JsonNode> userish() {
        Arbitrary<JsonNode> id = Arbitraries.oneOf(Arbitraries.longs().map(NODES::numberNode), json(1));
        Arbitrary<JsonNode> flag = Arbitraries.oneOf(Arbitraries.of(true, false).map(NODES::booleanNode), json(1));
        Arbitrary<JsonNode> permissions = Arbitraries.oneOf(
                Arbitraries.maps(hostileText(), flag).ofMaxSize(8).map(DrChronoProfilePropertiesTest::object),
                json(1));
        return Combinators.combine(id, json(1), id, id, flag, flag, permissions, json(1))
                .as((idValue, username, doctor, group, isDoctor, isStaff, perms, extra) -> {
                    ObjectNode user = NODES.objectNode();
                    user.set("id", idValue);
                    user.set("username", username.isNull() ? NODES.textNode("x") : username);
                    user.set("doctor", doctor);
                    user.set("practice_group", group);
                    user.set("is_doctor", isDoctor);
                    user.set("is_staff", isStaff);
                    user.set("permissions", perms);
                    user.set("record", extra);
                    return (JsonNode) user;
                });
    }

    /** Users that carry a usable id and username, so the checks on a parsed profile always run. */
    @Provide
    Arbitrary<JsonNode> parseableUser() {
        Arbitrary<JsonNode> id = Arbitraries.oneOf(Arbitraries.longs().between(1, Long.MAX_VALUE)
                        .map(NODES::numberNode),
                Arbitraries.longs().between(1, 999_999_999_999L).map(v -> NODES.textNode(String.valueOf(v))));
        Arbitrary<String> username = hostileText().map(t -> "u" + t.substring(0, Math.min(t.length(), 200)));
        return Combinators.combine(id, username, userish()).as((idValue, name, rest) -> {
            ObjectNode user = ((ObjectNode) rest).deepCopy();
            user.set("id", idValue);
            user.put("username", name);
            return (JsonNode) user;
        });
    }

    @Provide
    Arbitrary<JsonNode> recordish() {
        Arbitrary<JsonNode> text = Arbitraries.oneOf(hostileText().map(NODES::textNode),
                hostileText().map(t -> NODES.textNode(t + "@example.org")), json(1));
        return Arbitraries.oneOf(Combinators.combine(text, text, text).as((first, last, email) -> {
            ObjectNode record = NODES.objectNode();
            record.set("first_name", first);
            record.set("last_name", last);
            record.set("email", email);
            return (JsonNode) record;
        }), anyJson());
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(200),
                anyJson().map(JsonNode::toString),
                anyJson().map(node -> {
                    String text = node.toString();
                    return text.isEmpty() ? text : text.substring(0, text.length() / 2);
                }),
                Arbitraries.of("", " ", "null", "{\"id\": 1, \"id\": 2}", "{\"a\": 1e999999}",
                        "{\"n\": " + "9".repeat(40) + "}", "\uFEFF{}", "<html>Authorization failed.</html>"));
    }

    private static ObjectNode object(Map<String, JsonNode> fields) {
        ObjectNode node = NODES.objectNode();
        fields.forEach(node::set);
        return node;
    }
}
