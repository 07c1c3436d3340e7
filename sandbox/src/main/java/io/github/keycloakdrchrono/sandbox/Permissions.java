package io.github.keycloakdrchrono.sandbox;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The permission keys of a {@code /api/users/{id}} answer. A real answer carries about 35 of them and some hold a
 * slash, which is what trips clients that map them onto attribute names; the list mimics that.
 */
final class Permissions {

    static final List<String> KEYS = List.of(
            "access_billing",
            "access_clinical_notes",
            "sign/lock_clinical_notes",
            "manage_permissions",
            "access_scheduling",
            "settings",
            "access_patient_demographics",
            "access_patient_chart",
            "access_patient_payments",
            "access_reports",
            "access_lab_orders",
            "access_lab_results",
            "access_messages",
            "access_tasks",
            "access_eprescribe",
            "eprescribe/controlled_substances",
            "access_document_management",
            "access_insurance",
            "access_eligibility_checks",
            "access_claims",
            "submit_claims",
            "access_payment_posting",
            "access_patient_statements",
            "access_fee_schedules",
            "access_inventory",
            "access_templates",
            "edit_templates",
            "access_online_scheduling",
            "access_telehealth",
            "access_patient_portal",
            "access_audit_log",
            "export/patient_data",
            "import/patient_data",
            "access_api_settings",
            "manage_staff",
            "delete_appointments");

    private Permissions() {
    }

    /** Every key, {@code true} only for those named. */
    static Map<String, Boolean> granting(String... granted) {
        Set<String> grantedKeys = checked(granted);
        Map<String, Boolean> permissions = new LinkedHashMap<>();
        KEYS.forEach(key -> permissions.put(key, grantedKeys.contains(key)));
        return Collections.unmodifiableMap(permissions);
    }

    /** Every key, {@code false} only for those named. */
    static Map<String, Boolean> allExcept(String... denied) {
        Set<String> deniedKeys = checked(denied);
        Map<String, Boolean> permissions = new LinkedHashMap<>();
        KEYS.forEach(key -> permissions.put(key, !deniedKeys.contains(key)));
        return Collections.unmodifiableMap(permissions);
    }

    // A misspelt key would silently become a permission nobody reads; fail while the data is being written.
    private static Set<String> checked(String... keys) {
        Set<String> set = new HashSet<>(Arrays.asList(keys));
        for (String key : set) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("Unknown permission key: " + key);
            }
        }
        return set;
    }
}
