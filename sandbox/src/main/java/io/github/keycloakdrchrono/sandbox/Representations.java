package io.github.keycloakdrchrono.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes of DrChrono's user, doctor and staff records, field order as recorded from the live API. */
final class Representations {

    private Representations() {
    }

    /** {@code /api/users/{id}}: no names and no e-mail, which live in the doctor or staff record. */
    static Map<String, Object> user(SandboxUser user) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", user.id());
        json.put("username", user.username());
        json.put("doctor", user.doctor());
        json.put("is_doctor", user.isDoctor());
        json.put("is_staff", user.isStaff());
        json.put("practice_group", user.practiceGroup());
        json.put("permissions", user.permissions());
        return json;
    }

    static Map<String, Object> doctor(SandboxUser doctor) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", doctor.doctor());
        json.put("first_name", doctor.firstName());
        json.put("last_name", doctor.lastName());
        json.put("email", doctor.email());
        json.put("specialty", doctor.specialty());
        json.put("job_title", doctor.jobTitle());
        json.put("suffix", doctor.suffix());
        json.put("website", doctor.website());
        json.put("home_phone", doctor.homePhone());
        json.put("office_phone", doctor.officePhone());
        json.put("cell_phone", doctor.cellPhone());
        json.put("country", doctor.country());
        json.put("timezone", doctor.timezone());
        json.put("npi_number", doctor.npiNumber());
        json.put("group_npi_number", doctor.groupNpiNumber());
        json.put("practice_group", doctor.practiceGroup());
        json.put("practice_group_name", doctor.practiceGroupName());
        json.put("profile_picture", doctor.profilePicture());
        json.put("is_account_suspended", doctor.accountSuspended());
        return json;
    }

    /**
     * A staff record. Whether its {@code user_id} is the user's {@code id} is not known, so it is a switch; when
     * they differ a client has to match on {@code username}, which is unique either way.
     */
    static Map<String, Object> staff(SandboxUser staff, boolean userIdMatchesUserId) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", staff.staffId());
        json.put("username", staff.username());
        json.put("first_name", staff.firstName());
        json.put("last_name", staff.lastName());
        json.put("email", staff.email());
        json.put("doctor", staff.doctor());
        json.put("user_id", userIdMatchesUserId ? staff.id() : staff.id() + SandboxSettings.STAFF_USER_ID_OFFSET);
        json.put("active", staff.active());
        return json;
    }
}
