package io.github.keycloakdrchrono.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.keycloak.broker.oidc.mappers.AbstractJsonUserAttributeMapper;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.provider.IdentityProviderMapper;
import org.keycloak.broker.provider.IdentityProviderMapperSyncModeDelegate;
import org.keycloak.models.ClientModel;
import org.keycloak.models.IdentityProviderMapperModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.IdentityProviderSyncMode;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderConfigProperty;

@DisplayName("DrChrono role mappers")
class DrChronoRoleMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOCTOR = "{\"id\": 480112, \"username\": \"jhollis\", \"is_doctor\": true, "
            + "\"is_staff\": false}";
    private static final String STAFF = "{\"id\": 480120, \"username\": \"kpatel\", \"is_doctor\": false, "
            + "\"is_staff\": true}";

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    @Nested
    @DisplayName("deciding who earns the role, from the DrChrono user as sent (untrusted)")
    class Decision {

        @ParameterizedTest(name = "{0} -> doctor {1}, staff {2}")
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "{'is_doctor': true, 'is_staff': false}                  | true  | false",
            "{'is_doctor': false, 'is_staff': true}                  | false | true",
            "{'is_doctor': 'true', 'is_staff': 'false'}              | true  | false",
            "{'is_doctor': 'false', 'is_staff': 'true'}              | false | true",
            // DrChrono says the two exclude each other; a user claiming both counts as a doctor only.
            "{'is_doctor': true, 'is_staff': true}                   | true  | false",
            "{'is_doctor': 1, 'is_staff': 1}                         | false | false",
            "{'is_doctor': 'yes', 'is_staff': 'on'}                  | false | false",
            "{'is_doctor': null, 'is_staff': null}                   | false | false",
            "{'is_doctor': [true], 'is_staff': {'x': true}}          | false | false",
            "{}                                                      | false | false",
            // No usable id: not a DrChrono user we can trust at all.
            "{'id': 'abc', 'is_doctor': true}                        | false | false",
        })
        @DisplayName("doctor and staff come from is_doctor / is_staff, booleans or \"true\"/\"false\" only")
        void doctorOrStaff(String flags, boolean doctor, boolean staff) {
            JsonNode user = user(flags);

            assertThat(new DrChronoDoctorRoleMapper().applies(Map.of(), user)).isEqualTo(doctor);
            assertThat(new DrChronoStaffRoleMapper().applies(Map.of(), user)).isEqualTo(staff);
        }

        @ParameterizedTest(name = "permission {0} in {1} -> {2}")
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "access_billing             | {'access_billing': true}                    | true",
            "access_billing             | {'access_billing': false}                   | false",
            "access_billing             | {'access_billing': 'true'}                  | true",
            "access_billing             | {'access_billing': 'false'}                 | false",
            "access_billing             | {'access_billing': 1}                       | false",
            "access_billing             | {'access_billing': '1'}                     | false",
            "access_billing             | {'access_billing': 'yes'}                   | false",
            "access_billing             | {'access_billing': null}                    | false",
            "access_billing             | {'access_billing': {'value': true}}         | false",
            "access_billing             | {'access_billing': [true]}                  | false",
            "access_billing             | {'access_clinical_notes': true}             | false",
            "access_billing             | {'ACCESS_BILLING': true}                    | false",
            "sign/lock_clinical_notes   | {'sign/lock_clinical_notes': true}          | true",
            "\" access_billing \"       | {'access_billing': true}                    | true",
            "\"\"                       | {'': true}                                  | false",
            // A look-alike key with a zero-width space must not stand in for the real one, which is false.
            "access_billing             | {'access_billing\u200B': true, 'access_billing': false} | false",
        })
        @DisplayName("a permission grants only when its exact name holds true or \"true\"")
        void permission(String name, String permissions, boolean granted) {
            JsonNode user = json(DOCTOR.replace("}", ", \"permissions\": " + permissions.replace('\'', '"') + "}"));

            boolean applies = new DrChronoPermissionRoleMapper().applies(Map.of("permission", name), user);

            assertThat(applies).isEqualTo(granted);
        }

        @Test
        @DisplayName("permissions that are not an object, or no permission configured, grant nothing")
        void malformedPermissions() {
            DrChronoPermissionRoleMapper mapper = new DrChronoPermissionRoleMapper();

            assertThat(mapper.applies(Map.of("permission", "access_billing"),
                    json(DOCTOR.replace("}", ", \"permissions\": [\"access_billing\"]}")))).isFalse();
            assertThat(mapper.applies(Map.of("permission", "access_billing"),
                    json(DOCTOR.replace("}", ", \"permissions\": \"access_billing\"}")))).isFalse();
            assertThat(mapper.applies(Map.of(), json(DOCTOR.replace("}", ", \"permissions\": {\"a\": true}}"))))
                    .isFalse();
        }

        /** A valid user (id, username) with the given fields on top. */
        private JsonNode user(String fields) {
            ObjectNode user = (ObjectNode) json("{\"id\": 1, \"username\": \"u\"}");
            user.setAll((ObjectNode) json(fields.replace('\'', '"')));
            return user;
        }
    }

    /**
     * One login: what the user held before, what DrChrono says now, and the role afterwards. First logins go
     * through {@code importNewUser}, later ones through Keycloak's own sync-mode dispatch, as in Keycloak 26.7.
     */
    record Login(String what, IdentityProviderSyncMode mode, boolean first, boolean heldBefore, String drChronoUser,
            boolean heldAfter) {

        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Login> logins() {
        IdentityProviderSyncMode noMode = null;
        return Stream.of(
                new Login("first login of a doctor: granted", IdentityProviderSyncMode.IMPORT, true, false,
                        DOCTOR, true),
                new Login("first login of a staff member: not granted", IdentityProviderSyncMode.FORCE, true, false,
                        STAFF, false),
                new Login("import, doctor became staff: kept", IdentityProviderSyncMode.IMPORT, false, true,
                        STAFF, true),
                new Login("import, staff became doctor: not granted", IdentityProviderSyncMode.IMPORT, false, false,
                        DOCTOR, false),
                new Login("force, doctor became staff: revoked", IdentityProviderSyncMode.FORCE, false, true,
                        STAFF, false),
                new Login("force, staff became doctor: granted", IdentityProviderSyncMode.FORCE, false, false,
                        DOCTOR, true),
                new Login("force, still a doctor: kept", IdentityProviderSyncMode.FORCE, false, true,
                        DOCTOR, true),
                new Login("legacy, doctor became staff: revoked", IdentityProviderSyncMode.LEGACY, false, true,
                        STAFF, false),
                new Login("legacy, staff became doctor: not granted", IdentityProviderSyncMode.LEGACY, false, false,
                        DOCTOR, false),
                new Login("legacy, still a doctor: kept", IdentityProviderSyncMode.LEGACY, false, true,
                        DOCTOR, true),
                new Login("no sync mode set (Keycloak reads legacy), doctor became staff: revoked", noMode, false,
                        true, STAFF, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("logins")
    @DisplayName("granting and revoking at each login follows the provider's sync mode")
    void syncModes(Login login) {
        FakeRealm realm = new FakeRealm().withRealmRole("doctor");
        FakeUser user = new FakeUser();
        if (login.heldBefore()) {
            user.grantRole(realm.role("doctor"));
        }

        login(new DrChronoDoctorRoleMapper(), mapperModel("doctor", "INHERIT"), login.first(), realm, user,
                context(login.mode(), login.drChronoUser()));

        assertThat(user.roleNames()).isEqualTo(login.heldAfter() ? Set.of("doctor") : Set.of());
    }

    @Test
    @DisplayName("a mapper's own sync mode overrides the provider's: force on an import provider revokes")
    void mapperSyncModeOverride() {
        FakeRealm realm = new FakeRealm().withRealmRole("doctor");
        FakeUser user = new FakeUser();
        user.grantRole(realm.role("doctor"));

        login(new DrChronoDoctorRoleMapper(), mapperModel("doctor", "FORCE"), false, realm, user,
                context(IdentityProviderSyncMode.IMPORT, STAFF));

        assertThat(user.roleNames()).isEmpty();
    }

    @ParameterizedTest(name = "{0}: role held afterwards {1}")
    @CsvSource({"FORCE, true", "LEGACY, false"})
    @DisplayName("two mappers for one role, a doctor turned staff who keeps the permission: force keeps the role "
            + "while either applies (Keycloak's KEYCLOAK-8730 rule), legacy revokes it")
    void twoMappersOneRole(IdentityProviderSyncMode mode, boolean held) {
        FakeRealm realm = new FakeRealm().withRealmRole("clinician");
        FakeUser user = new FakeUser();
        String staffWithNotes = STAFF.replace("}", ", \"permissions\": {\"access_clinical_notes\": true}}");
        IdentityProviderMapperModel permission = mapperModel("clinician", "INHERIT");
        permission.getConfig().put("permission", "access_clinical_notes");

        for (boolean permissionFirst : new boolean[] {true, false}) {
            user.grantRole(realm.role("clinician"));
            BrokeredIdentityContext login = context(mode, staffWithNotes);
            if (permissionFirst) {
                login(new DrChronoPermissionRoleMapper(), permission, false, realm, user, login);
            }
            login(new DrChronoDoctorRoleMapper(), mapperModel("clinician", "INHERIT"), false, realm, user, login);
            if (!permissionFirst) {
                login(new DrChronoPermissionRoleMapper(), permission, false, realm, user, login);
            }

            assertThat(user.roleNames()).as("permission mapper first: %s", permissionFirst)
                    .isEqualTo(held ? Set.of("clinician") : Set.of());
        }
    }

    @Test
    @DisplayName("a client role, written client.role, is granted")
    void clientRole() {
        FakeRealm realm = new FakeRealm().withClientRole("test-app", "clinician");
        FakeUser user = new FakeUser();

        login(new DrChronoStaffRoleMapper(), mapperModel("test-app.clinician", "INHERIT"), true, realm, user,
                context(IdentityProviderSyncMode.FORCE, STAFF));

        assertThat(user.roleNames()).containsExactly("test-app/clinician");
    }

    @Test
    @DisplayName("a role that does not exist grants and revokes nothing")
    void unknownRole() {
        FakeRealm realm = new FakeRealm().withRealmRole("doctor");
        FakeUser user = new FakeUser();
        user.grantRole(realm.role("doctor"));

        login(new DrChronoDoctorRoleMapper(), mapperModel("gone", "INHERIT"), false, realm, user,
                context(IdentityProviderSyncMode.FORCE, STAFF));

        assertThat(user.roleNames()).containsExactly("doctor");
    }

    @Test
    @DisplayName("without the DrChrono profile in the context, force revokes (deny by default)")
    void noProfile() {
        FakeRealm realm = new FakeRealm().withRealmRole("doctor");
        FakeUser user = new FakeUser();
        user.grantRole(realm.role("doctor"));
        IdentityProviderModel idp = idp(IdentityProviderSyncMode.FORCE);

        login(new DrChronoDoctorRoleMapper(), mapperModel("doctor", "INHERIT"), false, realm, user,
                new BrokeredIdentityContext("480112", idp));

        assertThat(user.roleNames()).isEmpty();
    }

    @Nested
    @DisplayName("as the admin console lists them")
    class Registration {

        @Test
        @DisplayName("then each is offered for DrChrono providers only, as a role importer with every sync mode")
        void compatibility() {
            for (DrChronoRoleMapper mapper : mappers()) {
                assertThat(mapper.getCompatibleProviders()).containsExactly("drchrono");
                assertThat(mapper.getDisplayCategory()).isEqualTo("Role Importer");
                assertThat(IdentityProviderSyncMode.values()).allMatch(mapper::supportsSyncMode);
            }
        }

        @Test
        @DisplayName("then ids and names say what they grant for, and the role uses Keycloak's role selector")
        void names() {
            assertThat(mappers()).extracting(IdentityProviderMapper::getId).containsExactly(
                    "drchrono-doctor-role-mapper", "drchrono-staff-role-mapper", "drchrono-permission-role-mapper");
            assertThat(mappers()).extracting(IdentityProviderMapper::getDisplayType).containsExactly(
                    "DrChrono doctor role", "DrChrono staff role", "DrChrono permission role");
            for (DrChronoRoleMapper mapper : mappers()) {
                ProviderConfigProperty role = mapper.getConfigProperties().stream()
                        .filter(p -> p.getName().equals("role")).findFirst().orElseThrow();
                assertThat(role.getType()).isEqualTo(ProviderConfigProperty.ROLE_TYPE);
                assertThat(role.isRequired()).isTrue();
            }
            assertThat(new DrChronoPermissionRoleMapper().getConfigProperties())
                    .extracting(ProviderConfigProperty::getName).containsExactly("permission", "role");
        }

        @Test
        @DisplayName("then they are registered with Java's service loader under Keycloak's mapper SPI")
        void serviceLoader() {
            Set<String> registered = java.util.ServiceLoader.load(IdentityProviderMapper.class).stream()
                    .map(provider -> provider.type().getName()).collect(Collectors.toSet());

            assertThat(registered).contains(DrChronoDoctorRoleMapper.class.getName(),
                    DrChronoStaffRoleMapper.class.getName(), DrChronoPermissionRoleMapper.class.getName());
        }

        private java.util.List<DrChronoRoleMapper> mappers() {
            return java.util.List.of(new DrChronoDoctorRoleMapper(), new DrChronoStaffRoleMapper(),
                    new DrChronoPermissionRoleMapper());
        }
    }

    private static void login(DrChronoRoleMapper mapper, IdentityProviderMapperModel model,
            boolean first, FakeRealm realm, FakeUser user, BrokeredIdentityContext context) {
        if (first) {
            mapper.importNewUser(null, realm.model, user.model, model, context);
        } else {
            IdentityProviderMapperSyncModeDelegate.delegateUpdateBrokeredUser(null, realm.model, user.model, model,
                    context, mapper);
        }
    }

    private static IdentityProviderMapperModel mapperModel(String role, String syncMode) {
        IdentityProviderMapperModel model = new IdentityProviderMapperModel();
        model.setName("test mapper");
        model.setConfig(new HashMap<>(Map.of("role", role, "syncMode", syncMode)));
        return model;
    }

    private static IdentityProviderModel idp(IdentityProviderSyncMode mode) {
        IdentityProviderModel idp = new IdentityProviderModel();
        idp.setAlias("drchrono");
        idp.setEnabled(true);
        idp.setSyncMode(mode);
        return idp;
    }

    private static BrokeredIdentityContext context(IdentityProviderSyncMode mode, String drChronoUser) {
        BrokeredIdentityContext context = new BrokeredIdentityContext("480112", idp(mode));
        context.getContextData().put(AbstractJsonUserAttributeMapper.CONTEXT_JSON_NODE, json(drChronoUser));
        return context;
    }

    /** Just enough of Keycloak's models for role lookup and mapping; anything else fails the test loudly. */
    @SuppressWarnings("unchecked")
    private static <T> T fake(Class<T> type, String name, BiFunction<String, Object[], Object> calls) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> name;
                    default -> calls.apply(method.getName(), args);
                });
    }

    private static Object unexpected(String method) {
        throw new UnsupportedOperationException("not faked: " + method);
    }

    private static final class FakeRealm {

        private final Map<String, RoleModel> realmRoles = new HashMap<>();
        private final Map<String, ClientModel> clients = new HashMap<>();
        final RealmModel model = fake(RealmModel.class, "realm", (method, args) -> switch (method) {
            case "getName" -> "test";
            case "getRole" -> realmRoles.get((String) args[0]);
            case "getClientByClientId" -> clients.get((String) args[0]);
            default -> unexpected(method);
        });

        FakeRealm withRealmRole(String name) {
            realmRoles.put(name, role(name));
            return this;
        }

        FakeRealm withClientRole(String clientId, String name) {
            RoleModel role = role(clientId + "/" + name);
            clients.put(clientId, fake(ClientModel.class, clientId, (method, args) -> switch (method) {
                case "getRole" -> name.equals(args[0]) ? role : null;
                default -> unexpected(method);
            }));
            return this;
        }

        RoleModel role(String name) {
            RoleModel existing = realmRoles.get(name);
            return existing != null ? existing : fake(RoleModel.class, name, (method, args) -> switch (method) {
                case "getName" -> name;
                default -> unexpected(method);
            });
        }
    }

    private static final class FakeUser {

        private final Set<RoleModel> roles = new LinkedHashSet<>();
        final UserModel model = fake(UserModel.class, "user", (method, args) -> switch (method) {
            case "grantRole" -> {
                roles.add((RoleModel) args[0]);
                yield null;
            }
            case "deleteRoleMapping" -> {
                roles.remove((RoleModel) args[0]);
                yield null;
            }
            default -> unexpected(method);
        });

        void grantRole(RoleModel role) {
            roles.add(role);
        }

        Set<String> roleNames() {
            return roles.stream().map(Object::toString).collect(Collectors.toSet());
        }
    }
}
