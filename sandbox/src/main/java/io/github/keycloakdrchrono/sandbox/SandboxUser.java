package io.github.keycloakdrchrono.sandbox;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One DrChrono account: what {@code /api/users/{id}} says about it, plus the doctor record (for a doctor) or the
 * staff record (for a staff member) that carries the names and e-mail. Immutable; change one through
 * {@link SandboxUsers#update} or {@link #toBuilder()}.
 *
 * <p>Text fields may be {@code ""} or {@code null}, as DrChrono answers both for a missing value. The doctor-record
 * fields ({@code specialty} to {@code accountSuspended}) are only served for a doctor.
 *
 * @param id                the user id of {@code /api/users/{id}}
 * @param doctor            a doctor's own doctor id, or the id of the doctor a staff member works for
 * @param staffId           the staff record id; {@code null} for a doctor
 * @param active            whether the staff record is active; an inactive account cannot sign in
 */
public record SandboxUser(
        long id,
        String username,
        String password,
        Role role,
        long doctor,
        long practiceGroup,
        String practiceGroupName,
        Map<String, Boolean> permissions,
        String firstName,
        String lastName,
        String email,
        boolean active,
        Long staffId,
        String specialty,
        String jobTitle,
        String suffix,
        String website,
        String homePhone,
        String officePhone,
        String cellPhone,
        String country,
        String timezone,
        String npiNumber,
        String groupNpiNumber,
        String profilePicture,
        boolean accountSuspended) {

    /** DrChrono's two kinds of account; {@code is_doctor} and {@code is_staff} exclude each other. */
    public enum Role {
        DOCTOR,
        STAFF
    }

    public SandboxUser {
        if (id <= 0 || doctor <= 0 || practiceGroup <= 0) {
            throw new IllegalArgumentException("id, doctor and practiceGroup must be positive");
        }
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("username is required");
        }
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(role, "role");
        if (role == Role.STAFF && staffId == null) {
            throw new IllegalArgumentException("a staff member needs a staff record id: " + username);
        }
        if (role == Role.DOCTOR && staffId != null) {
            throw new IllegalArgumentException("a doctor has no staff record: " + username);
        }
        permissions = Collections.unmodifiableMap(new LinkedHashMap<>(permissions));
    }

    /** A builder for a doctor, whose {@code doctor} is their own doctor record id. */
    public static Builder doctor(long id, String username, long doctorId) {
        return new Builder().id(id).username(username).role(Role.DOCTOR).doctor(doctorId);
    }

    /** A builder for a staff member working for {@code worksForDoctor}. */
    public static Builder staff(long id, String username, long staffId, long worksForDoctor) {
        return new Builder().id(id).username(username).role(Role.STAFF).doctor(worksForDoctor).staffId(staffId);
    }

    public boolean isDoctor() {
        return role == Role.DOCTOR;
    }

    public boolean isStaff() {
        return role == Role.STAFF;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable twin of {@link SandboxUser}; defaults describe a complete user of the demo practice. */
    public static final class Builder {
        private long id;
        private String username;
        private String password = SandboxUsers.DEMO_PASSWORD;
        private Role role;
        private long doctor;
        private long practiceGroup = DemoPractice.PRACTICE_GROUP;
        private String practiceGroupName = DemoPractice.PRACTICE_GROUP_NAME;
        private final Map<String, Boolean> permissions = new LinkedHashMap<>(Permissions.granting());
        private String firstName = "";
        private String lastName = "";
        private String email = "";
        private boolean active = true;
        private Long staffId;
        private String specialty = "";
        private String jobTitle = "";
        private String suffix;
        private String website;
        private String homePhone = "";
        private String officePhone = "";
        private String cellPhone = "";
        private String country = "US";
        private String timezone = "US/Eastern";
        private String npiNumber = "";
        private String groupNpiNumber;
        private String profilePicture = "";
        private boolean accountSuspended;

        Builder() {
        }

        private Builder(SandboxUser user) {
            id = user.id;
            username = user.username;
            password = user.password;
            role = user.role;
            doctor = user.doctor;
            practiceGroup = user.practiceGroup;
            practiceGroupName = user.practiceGroupName;
            permissions(user.permissions);
            firstName = user.firstName;
            lastName = user.lastName;
            email = user.email;
            active = user.active;
            staffId = user.staffId;
            specialty = user.specialty;
            jobTitle = user.jobTitle;
            suffix = user.suffix;
            website = user.website;
            homePhone = user.homePhone;
            officePhone = user.officePhone;
            cellPhone = user.cellPhone;
            country = user.country;
            timezone = user.timezone;
            npiNumber = user.npiNumber;
            groupNpiNumber = user.groupNpiNumber;
            profilePicture = user.profilePicture;
            accountSuspended = user.accountSuspended;
        }

        public Builder id(long value) {
            id = value;
            return this;
        }

        public Builder username(String value) {
            username = value;
            return this;
        }

        public Builder password(String value) {
            password = value;
            return this;
        }

        public Builder role(Role value) {
            role = value;
            return this;
        }

        public Builder doctor(long value) {
            doctor = value;
            return this;
        }

        public Builder practiceGroup(long id, String name) {
            practiceGroup = id;
            practiceGroupName = name;
            return this;
        }

        /** Replaces the whole permission map, keeping its order. */
        public Builder permissions(Map<String, Boolean> value) {
            permissions.clear();
            permissions.putAll(value);
            return this;
        }

        public Builder permission(String key, boolean value) {
            permissions.put(key, value);
            return this;
        }

        public Builder name(String first, String last) {
            firstName = first;
            lastName = last;
            return this;
        }

        public Builder email(String value) {
            email = value;
            return this;
        }

        public Builder active(boolean value) {
            active = value;
            return this;
        }

        public Builder staffId(Long value) {
            staffId = value;
            return this;
        }

        public Builder specialty(String value) {
            specialty = value;
            return this;
        }

        public Builder jobTitle(String value) {
            jobTitle = value;
            return this;
        }

        public Builder suffix(String value) {
            suffix = value;
            return this;
        }

        public Builder website(String value) {
            website = value;
            return this;
        }

        public Builder phones(String home, String office, String cell) {
            homePhone = home;
            officePhone = office;
            cellPhone = cell;
            return this;
        }

        public Builder country(String value) {
            country = value;
            return this;
        }

        public Builder timezone(String value) {
            timezone = value;
            return this;
        }

        public Builder npiNumber(String value) {
            npiNumber = value;
            return this;
        }

        public Builder groupNpiNumber(String value) {
            groupNpiNumber = value;
            return this;
        }

        public Builder profilePicture(String value) {
            profilePicture = value;
            return this;
        }

        public Builder accountSuspended(boolean value) {
            accountSuspended = value;
            return this;
        }

        public SandboxUser build() {
            return new SandboxUser(id, username, password, role, doctor, practiceGroup, practiceGroupName,
                    permissions, firstName, lastName, email, active, staffId, specialty, jobTitle, suffix, website,
                    homePhone, officePhone, cellPhone, country, timezone, npiNumber, groupNpiNumber, profilePicture,
                    accountSuspended);
        }
    }
}
