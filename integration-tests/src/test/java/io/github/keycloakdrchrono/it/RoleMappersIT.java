package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.keycloakdrchrono.sandbox.SandboxUser;
import io.github.keycloakdrchrono.testkit.Browser;

/**
 * The DrChrono role mappers on the real Keycloak: a first login, a change at DrChrono (the sandbox), a second
 * login in a fresh browser, and the user's role mappings as the admin REST API reports them after each login.
 */
@DisplayName("Role mappers for DrChrono doctors, staff and permissions")
class RoleMappersIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String DOCTOR_MAPPER = "drchrono-doctor-role-mapper";
    private static final String STAFF_MAPPER = "drchrono-staff-role-mapper";
    private static final String PERMISSION_MAPPER = "drchrono-permission-role-mapper";

    @AfterEach
    void resetSandbox() {
        TestEnvironment.get().sandbox.reset();
    }

    /** What happens at DrChrono between the two logins. */
    record Change(String what, String username, Consumer<SandboxUser.Builder> change) {

        @Override
        public String toString() {
            return what;
        }
    }

    private static final Change DOCTOR_BECOMES_STAFF = new Change("doctor jhollis becomes staff", "jhollis",
            u -> u.role(SandboxUser.Role.STAFF).staffId(77099L));
    private static final Change STAFF_BECOMES_DOCTOR = new Change("staff member kpatel becomes a doctor", "kpatel",
            u -> u.role(SandboxUser.Role.DOCTOR).staffId(null).doctor(390260));
    private static final Change LOSES_BILLING = new Change("kpatel loses access_billing", "kpatel",
            u -> u.permission("access_billing", false));
    private static final Change GAINS_BILLING = new Change("tnguyen gains access_billing", "tnguyen",
            u -> u.permission("access_billing", true));

    /** Which mapper, the provider's sync mode, the change, and whether the user holds the role after each login. */
    record Case(String mapper, String syncMode, Change change, boolean afterFirst, boolean afterSecond) {

        @Override
        public String toString() {
            return mapper.replace("drchrono-", "").replace("-role-mapper", "") + " mapper, " + syncMode + ", "
                    + change + ": " + (afterFirst ? "granted" : "not granted") + " at the first login, "
                    + (afterSecond ? "held" : "not held") + " after the second";
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(DOCTOR_MAPPER, "IMPORT", DOCTOR_BECOMES_STAFF, true, true),
                new Case(DOCTOR_MAPPER, "FORCE", DOCTOR_BECOMES_STAFF, true, false),
                new Case(DOCTOR_MAPPER, "LEGACY", DOCTOR_BECOMES_STAFF, true, false),
                new Case(DOCTOR_MAPPER, "IMPORT", STAFF_BECOMES_DOCTOR, false, false),
                new Case(DOCTOR_MAPPER, "FORCE", STAFF_BECOMES_DOCTOR, false, true),
                // Keycloak's legacy role mappers revoke at later logins but never grant.
                new Case(DOCTOR_MAPPER, "LEGACY", STAFF_BECOMES_DOCTOR, false, false),
                new Case(STAFF_MAPPER, "IMPORT", STAFF_BECOMES_DOCTOR, true, true),
                new Case(STAFF_MAPPER, "FORCE", STAFF_BECOMES_DOCTOR, true, false),
                new Case(STAFF_MAPPER, "LEGACY", STAFF_BECOMES_DOCTOR, true, false),
                new Case(STAFF_MAPPER, "FORCE", DOCTOR_BECOMES_STAFF, false, true),
                new Case(STAFF_MAPPER, "LEGACY", DOCTOR_BECOMES_STAFF, false, false),
                new Case(PERMISSION_MAPPER, "IMPORT", LOSES_BILLING, true, true),
                new Case(PERMISSION_MAPPER, "FORCE", LOSES_BILLING, true, false),
                new Case(PERMISSION_MAPPER, "LEGACY", LOSES_BILLING, true, false),
                new Case(PERMISSION_MAPPER, "IMPORT", GAINS_BILLING, false, false),
                new Case(PERMISSION_MAPPER, "FORCE", GAINS_BILLING, false, true),
                new Case(PERMISSION_MAPPER, "LEGACY", GAINS_BILLING, false, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("given a realm role mapped, then the first login grants it as DrChrono says, and a second login "
            + "after a change at DrChrono follows the sync mode")
    void realmRole(Case row) {
        try (TestRealm realm = TestRealm.create(Map.of("syncMode", row.syncMode()))) {
            String role = "drchrono-role";
            addRealmRole(realm, role);
            addMapper(realm, row.mapper(), role, "INHERIT", row.mapper().equals(PERMISSION_MAPPER)
                    ? Map.of("permission", "access_billing") : Map.of());
            String username = row.change().username();

            realm.signIn(new Browser(), username);
            List<String> afterFirst = realmRoles(realm, username);
            realm.env.sandbox.users().update(username, row.change().change());
            Browser.Page second = realm.signIn(new Browser(), username);
            List<String> afterSecond = realmRoles(realm, username);

            assertThat(second.atApp()).as("second login ends at the app: %s", second.text()).isTrue();
            assertThat(afterFirst.contains(role)).as("role after the first login: %s", afterFirst)
                    .isEqualTo(row.afterFirst());
            assertThat(afterSecond.contains(role)).as("role after the second login: %s", afterSecond)
                    .isEqualTo(row.afterSecond());
        }
    }

    @Test
    @DisplayName("given a client role mapped to doctors under force, then a doctor gets it and loses it on "
            + "becoming staff")
    void clientRole() {
        try (TestRealm realm = TestRealm.create(Map.of("syncMode", "FORCE"))) {
            String base = "/admin/realms/" + realm.name;
            String clientId = realm.admin().get(base + "/clients?clientId=" + TestRealm.APP).get(0).path("id")
                    .asText();
            realm.admin().post(base + "/clients/" + clientId + "/roles",
                    JSON.createObjectNode().put("name", "clinician"));
            addMapper(realm, DOCTOR_MAPPER, TestRealm.APP + ".clinician", "INHERIT", Map.of());

            realm.signIn(new Browser(), "jhollis");
            List<String> afterFirst = clientRoles(realm, "jhollis", clientId);
            realm.env.sandbox.users().update("jhollis", DOCTOR_BECOMES_STAFF.change());
            realm.signIn(new Browser(), "jhollis");
            List<String> afterSecond = clientRoles(realm, "jhollis", clientId);

            assertThat(afterFirst).containsExactly("clinician");
            assertThat(afterSecond).isEmpty();
            assertThat(realmRoles(realm, "jhollis")).doesNotContain("clinician");
        }
    }

    @Test
    @DisplayName("given a mapper whose own sync mode is force on an import provider, then the mapper's mode wins "
            + "and the role is revoked")
    void mapperSyncModeOverride() {
        try (TestRealm realm = TestRealm.create(Map.of("syncMode", "IMPORT"))) {
            addRealmRole(realm, "doctor");
            addMapper(realm, DOCTOR_MAPPER, "doctor", "FORCE", Map.of());

            realm.signIn(new Browser(), "jhollis");
            List<String> afterFirst = realmRoles(realm, "jhollis");
            realm.env.sandbox.users().update("jhollis", DOCTOR_BECOMES_STAFF.change());
            realm.signIn(new Browser(), "jhollis");

            assertThat(afterFirst).contains("doctor");
            assertThat(realmRoles(realm, "jhollis")).doesNotContain("doctor");
        }
    }

    @Test
    @DisplayName("given the mapped role is renamed, then the mapper follows it and grants the role by its new name")
    void renamedRole() {
        try (TestRealm realm = TestRealm.create()) {
            String base = "/admin/realms/" + realm.name;
            addRealmRole(realm, "doctor");
            addMapper(realm, DOCTOR_MAPPER, "doctor", "INHERIT", Map.of());

            realm.admin().put(base + "/roles/doctor", JSON.createObjectNode().put("name", "physician"));
            realm.signIn(new Browser(), "jhollis");

            JsonNode mapper = realm.admin().get(base + "/identity-provider/instances/" + TestRealm.ALIAS + "/mappers")
                    .get(0);
            assertThat(mapper.path("config").path("role").asText()).isEqualTo("physician");
            assertThat(realmRoles(realm, "jhollis")).contains("physician");
        }
    }

    @Test
    @DisplayName("given a permission whose name holds a '/', then it maps like any other")
    void permissionWithSlash() {
        try (TestRealm realm = TestRealm.create()) {
            addRealmRole(realm, "signer");
            addMapper(realm, PERMISSION_MAPPER, "signer", "INHERIT", Map.of("permission", "sign/lock_clinical_notes"));

            realm.signIn(new Browser(), "jhollis");
            realm.signIn(new Browser(), "kpatel");

            assertThat(realmRoles(realm, "jhollis")).contains("signer");
            assertThat(realmRoles(realm, "kpatel")).doesNotContain("signer");
        }
    }

    @Test
    @DisplayName("then the three mappers are offered for a DrChrono provider, under their names")
    void offered() {
        try (TestRealm realm = TestRealm.create()) {
            JsonNode types = realm.admin().get("/admin/realms/" + realm.name + "/identity-provider/instances/"
                    + TestRealm.ALIAS + "/mapper-types");

            assertThat(types.path(DOCTOR_MAPPER).path("name").asText()).isEqualTo("DrChrono doctor role");
            assertThat(types.path(STAFF_MAPPER).path("name").asText()).isEqualTo("DrChrono staff role");
            assertThat(types.path(PERMISSION_MAPPER).path("name").asText()).isEqualTo("DrChrono permission role");
            assertThat(types.path(PERMISSION_MAPPER).path("category").asText()).isEqualTo("Role Importer");
        }
    }

    /**
     * Adds a mapper through the admin REST API. The admin console sends a sync mode of its own; without one,
     * Keycloak 26.7 takes legacy whatever the provider says, so every mapper here names one.
     */
    private static void addMapper(TestRealm realm, String type, String role, String syncMode,
            Map<String, String> more) {
        ObjectNode mapper = JSON.createObjectNode()
                .put("name", type + "-" + role)
                .put("identityProviderAlias", TestRealm.ALIAS)
                .put("identityProviderMapper", type);
        ObjectNode config = mapper.putObject("config").put("syncMode", syncMode).put("role", role);
        more.forEach(config::put);
        realm.admin().post("/admin/realms/" + realm.name + "/identity-provider/instances/" + TestRealm.ALIAS
                + "/mappers", mapper);
    }

    private static void addRealmRole(TestRealm realm, String role) {
        realm.admin().post("/admin/realms/" + realm.name + "/roles", JSON.createObjectNode().put("name", role));
    }

    /** The realm roles mapped to the user directly (not through composites or groups). */
    private static List<String> realmRoles(TestRealm realm, String username) {
        return names(realm.admin().get("/admin/realms/" + realm.name + "/users/" + realm.user(username).path("id")
                .asText() + "/role-mappings/realm"));
    }

    private static List<String> clientRoles(TestRealm realm, String username, String clientId) {
        return names(realm.admin().get("/admin/realms/" + realm.name + "/users/" + realm.user(username).path("id")
                .asText() + "/role-mappings/clients/" + clientId));
    }

    private static List<String> names(JsonNode roles) {
        List<String> names = new ArrayList<>();
        roles.forEach(role -> names.add(role.path("name").asText()));
        return names;
    }
}
