package io.github.keycloakdrchrono.drchrono;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A DrChrono user as Keycloak needs it: the {@code /api/users/current} object plus the doctor or staff record
 * that carries the names and e-mail, each value checked and cleaned.
 *
 * <p>Only {@code id} and {@code username} are required: without them there is no identity to link. Every other
 * value that is missing, of the wrong type or unusable becomes "unknown" rather than failing the login, so the
 * first-login form can ask the user for it.
 */
public final class DrChronoProfile {

    /** Field under which the doctor or staff record sits in the JSON handed to attribute mappers. */
    public static final String RECORD_FIELD = "record";

    static final int MAX_VALUE_LENGTH = 255;
    static final int MAX_PERMISSIONS = 500;
    /** Deliberately plain: DrChrono does not verify addresses, so this only keeps junk out of the e-mail field. */
    private static final Pattern EMAIL = Pattern.compile("[^\\s@]{1,64}@[^\\s@]{1,190}\\.[^\\s@.]{1,63}");
    /**
     * Controls (C0, C1), every format character (bidi overrides, isolates and marks such as U+061C, zero-width
     * characters, soft hyphen, word joiner, tag characters), unpaired surrogates (not text; they turn into "?" on
     * the way to the database), private-use characters, and line and paragraph separators. All are invisible or
     * unprintable, so they can only make a name look like another or break where it is shown.
     */
    private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Cs}\\p{Co}\\p{Zl}\\p{Zp}]");
    /** No-break, ideographic and other Unicode spaces count as spaces: trimmed at the ends, one between words. */
    private static final Pattern SPACES = Pattern.compile("\\p{Zs}+");

    private final long id;
    private final String username;
    private final Long doctorId;
    private final Long practiceGroup;
    private final boolean doctor;
    private final boolean staff;
    private final List<String> permissions;
    private final String email;
    private final String firstName;
    private final String lastName;
    private final ObjectNode json;

    private DrChronoProfile(long id, String username, Long doctorId, Long practiceGroup, boolean doctor,
            boolean staff, List<String> permissions, String email, String firstName, String lastName,
            ObjectNode json) {
        this.id = id;
        this.username = username;
        this.doctorId = doctorId;
        this.practiceGroup = practiceGroup;
        this.doctor = doctor;
        this.staff = staff;
        this.permissions = permissions;
        this.email = email;
        this.firstName = firstName;
        this.lastName = lastName;
        this.json = json;
    }

    /**
     * Reads the user object alone; {@link #withRecord} adds the doctor or staff record once it is fetched.
     *
     * @throws DrChronoException with reason BAD_RESPONSE when there is no usable id or username
     */
    public static DrChronoProfile fromUser(JsonNode user) {
        if (user == null || !user.isObject()) {
            throw DrChronoException.badResponse("users/current", "user is not a JSON object");
        }
        Long id = Json.wholeNumber(user.get("id"));
        if (id == null || id <= 0) {
            throw DrChronoException.badResponse("users/current", "user without a positive integer id");
        }
        String username = clean(Json.text(user.get("username")));
        if (username == null) {
            throw DrChronoException.badResponse("users/current", "user without a username");
        }
        boolean isDoctor = Boolean.TRUE.equals(Json.flag(user.get("is_doctor")));
        // DrChrono says the two exclude each other; a user claiming both is read as a doctor only.
        boolean isStaff = !isDoctor && Boolean.TRUE.equals(Json.flag(user.get("is_staff")));
        ObjectNode json = ((ObjectNode) user).deepCopy();
        json.remove(RECORD_FIELD);
        return new DrChronoProfile(id, username, positive(user.get("doctor")), positive(user.get("practice_group")),
                isDoctor, isStaff, truePermissions(user.get("permissions")), null, null, null, json);
    }

    /** The same user with names and e-mail from their doctor or staff record (null: no record found). */
    public DrChronoProfile withRecord(JsonNode record) {
        if (record == null || !record.isObject()) {
            return this;
        }
        ObjectNode combined = json.deepCopy();
        combined.set(RECORD_FIELD, record.deepCopy());
        return new DrChronoProfile(id, username, doctorId, practiceGroup, doctor, staff, permissions,
                email(Json.text(record.get("email"))), clean(Json.text(record.get("first_name"))),
                clean(Json.text(record.get("last_name"))), combined);
    }

    private static Long positive(JsonNode node) {
        Long value = Json.wholeNumber(node);
        return value != null && value > 0 ? value : null;
    }

    private static List<String> truePermissions(JsonNode node) {
        if (node == null || !node.isObject()) {
            return List.of();
        }
        // Sorted and distinct: two keys that differ only in invisible characters are one permission.
        Set<String> names = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext() && names.size() < MAX_PERMISSIONS) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = clean(entry.getKey());
            if (name != null && Boolean.TRUE.equals(Json.flag(entry.getValue()))) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    /**
     * Strips invisible and control characters, folds runs of spaces into one, trims, and drops values too long to
     * be a name. Stripped rather than refused: a stray control character typed into DrChrono must not lock its
     * user out of Keycloak, and what remains is what DrChrono's own pages show.
     */
    static String clean(String value) {
        if (value == null) {
            return null;
        }
        String cleaned = SPACES.matcher(INVISIBLE.matcher(value).replaceAll("")).replaceAll(" ").strip();
        if (cleaned.isEmpty() || cleaned.length() > MAX_VALUE_LENGTH) {
            return null;
        }
        return cleaned;
    }

    static String email(String value) {
        String cleaned = clean(value);
        return cleaned != null && EMAIL.matcher(cleaned).matches() ? cleaned : null;
    }

    public long id() {
        return id;
    }

    public String username() {
        return username;
    }

    /** The user's own doctor id for a doctor; the doctor they work for, for staff. */
    public Long doctorId() {
        return doctorId;
    }

    public Long practiceGroup() {
        return practiceGroup;
    }

    public boolean isDoctor() {
        return doctor;
    }

    public boolean isStaff() {
        return staff;
    }

    /** Names of the permissions that are true, sorted. */
    public List<String> permissions() {
        return permissions;
    }

    public String email() {
        return email;
    }

    public String firstName() {
        return firstName;
    }

    public String lastName() {
        return lastName;
    }

    /** The user object with the record under {@value #RECORD_FIELD}, for attribute mappers. */
    public ObjectNode json() {
        return json.deepCopy();
    }

    @Override
    public String toString() {
        // Names and e-mail are personal data; logs get the ids only.
        return "DrChronoProfile[id=" + id + ", doctor=" + doctorId + ", isDoctor=" + doctor + ", isStaff=" + staff
                + "]";
    }
}
