package io.github.keycloakdrchrono.sandbox;

import java.util.List;

/**
 * The made-up practice the sandbox serves unless told otherwise. Each account is there for a test: a complete
 * doctor, a doctor whose name needs UTF-8, a doctor without e-mail (Keycloak's "review profile" step), two active
 * staff of the first doctor, and inactive staff of another doctor so that a staff list is never just the caller.
 */
final class DemoPractice {

    static final long PRACTICE_GROUP = 390240;
    static final String PRACTICE_GROUP_NAME = "Hollis Family Practice";

    static final long JHOLLIS_DOCTOR = 390251;
    static final long MREYES_DOCTOR = 390252;
    static final long DNOEMAIL_DOCTOR = 390253;

    private DemoPractice() {
    }

    static List<SandboxUser> users() {
        return List.of(
                SandboxUser.doctor(480112, "jhollis", JHOLLIS_DOCTOR)
                        .name("Jordan", "Hollis")
                        .email("jordan.hollis@example.org")
                        .specialty("Family Medicine")
                        .phones("", "5550104477", "")
                        .npiNumber("1234567893")
                        .permissions(Permissions.allExcept("manage_permissions"))
                        .build(),
                SandboxUser.doctor(480113, "mreyes", MREYES_DOCTOR)
                        .name("María", "Reyes")
                        .email("maria.reyes@example.org")
                        .specialty("Pediatrics")
                        .jobTitle("Pediatrician")
                        .suffix("MD")
                        .website("")
                        .phones(null, "5550104478", null)
                        .npiNumber("1245319599")
                        .groupNpiNumber("")
                        .profilePicture(null)
                        .permissions(Permissions.allExcept("manage_permissions", "manage_staff", "access_audit_log",
                                "export/patient_data", "import/patient_data", "access_api_settings",
                                "access_fee_schedules", "access_inventory"))
                        .build(),
                SandboxUser.doctor(480114, "dnoemail", DNOEMAIL_DOCTOR)
                        .name("Dana", "Noemail")
                        .email("")
                        .npiNumber(null)
                        .timezone(null)
                        .permissions(Permissions.allExcept("manage_permissions", "manage_staff", "access_billing",
                                "submit_claims", "access_audit_log", "access_api_settings"))
                        .build(),
                SandboxUser.staff(480120, "kpatel", 77001, JHOLLIS_DOCTOR)
                        .name("Kiran", "Patel")
                        .email("kiran.patel@example.org")
                        .permissions(Permissions.granting("access_scheduling", "access_billing",
                                "access_patient_demographics", "access_patient_payments", "access_insurance",
                                "access_eligibility_checks", "access_claims", "submit_claims",
                                "access_payment_posting", "access_patient_statements", "access_messages",
                                "access_tasks", "access_online_scheduling", "access_reports"))
                        .build(),
                SandboxUser.staff(480121, "tnguyen", 77002, JHOLLIS_DOCTOR)
                        .name("Thanh", "Nguyen")
                        .email("thanh.nguyen@example.org")
                        .permissions(Permissions.granting("access_scheduling", "access_patient_demographics",
                                "access_patient_chart", "access_lab_orders", "access_lab_results", "access_messages",
                                "access_tasks", "access_document_management", "access_telehealth",
                                "access_patient_portal"))
                        .build(),
                inactiveStaff(480122, "lortiz", 77003, "Lena", "Ortiz", null),
                inactiveStaff(480123, "swhitaker", 77004, "Sam", "Whitaker", ""),
                inactiveStaff(480124, "praman", 77005, "Priya", "Raman", "priya.raman@example.org"),
                inactiveStaff(480125, "ofitzgerald", 77006, "Owen", "Fitzgerald", "owen.fitzgerald@example.org"));
    }

    private static SandboxUser inactiveStaff(long id, String username, long staffId, String first, String last,
            String email) {
        return SandboxUser.staff(id, username, staffId, MREYES_DOCTOR)
                .name(first, last)
                .email(email)
                .active(false)
                .permissions(Permissions.granting("access_scheduling"))
                .build();
    }
}
