package io.github.keycloakdrchrono.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** DrChrono's scopes and the space-separated way they travel. */
final class Scopes {

    static final List<String> ALL = List.of(
            "user:read", "user:write",
            "calendar:read", "calendar:write",
            "patients:read", "patients:write",
            "patients:summary:read", "patients:summary:write",
            "billing:read", "billing:write",
            "billing:patient-payment:read", "billing:patient-payment:write",
            "clinical:read", "clinical:write",
            "labs:read", "labs:write",
            "messages:read", "messages:write",
            "settings:read", "settings:write",
            "tasks:read", "tasks:write");

    private Scopes() {
    }

    /** Distinct scopes in the order given; an absent or blank parameter yields an empty list. */
    static List<String> parse(String scopeParam) {
        Set<String> scopes = new LinkedHashSet<>();
        if (scopeParam != null) {
            for (String scope : scopeParam.trim().split("\\s+")) {
                if (!scope.isEmpty()) {
                    scopes.add(scope);
                }
            }
        }
        return new ArrayList<>(scopes);
    }

    static List<String> unknown(List<String> scopes) {
        return scopes.stream().filter(scope -> !ALL.contains(scope)).toList();
    }

    static String join(List<String> scopes) {
        return String.join(" ", scopes);
    }

    /** Whether the user may read doctor and staff records, which {@code user:write} implies. */
    static boolean canReadUsers(List<String> scopes) {
        return scopes.contains("user:read") || scopes.contains("user:write");
    }
}
