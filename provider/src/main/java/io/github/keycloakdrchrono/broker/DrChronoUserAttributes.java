package io.github.keycloakdrchrono.broker;

import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.representations.userprofile.config.UPAttribute;
import org.keycloak.representations.userprofile.config.UPAttributePermissions;
import org.keycloak.representations.userprofile.config.UPConfig;
import org.keycloak.representations.userprofile.config.UPGroup;
import org.keycloak.userprofile.UserProfileProvider;

import io.github.keycloakdrchrono.drchrono.DrChronoProfile;

/**
 * The six {@code drchrono_*} user attributes: what they hold, and their place in the realm's user profile.
 *
 * <p>Since Keycloak 24 the declarative user profile hides attributes it does not know from admins and drops them
 * on import, so a realm with default settings would lose ours. We therefore declare them, in a "DrChrono" group,
 * visible to admins and editable by nobody: they mirror DrChrono and are overwritten at the next login anyway.
 */
final class DrChronoUserAttributes {

    static final String ID = "drchrono_id";
    static final String DOCTOR = "drchrono_doctor";
    static final String PRACTICE_GROUP = "drchrono_practice_group";
    static final String IS_DOCTOR = "drchrono_is_doctor";
    static final String IS_STAFF = "drchrono_is_staff";
    static final String PERMISSIONS = "drchrono_permissions";
    static final List<String> ALL = List.of(ID, DOCTOR, PRACTICE_GROUP, IS_DOCTOR, IS_STAFF, PERMISSIONS);

    static final String GROUP = "drchrono";

    private static final Logger LOG = Logger.getLogger(DrChronoUserAttributes.class);

    private DrChronoUserAttributes() {
    }

    static void write(UserModel user, DrChronoProfile profile) {
        user.setSingleAttribute(ID, String.valueOf(profile.id()));
        setOrRemove(user, DOCTOR, profile.doctorId());
        setOrRemove(user, PRACTICE_GROUP, profile.practiceGroup());
        user.setSingleAttribute(IS_DOCTOR, String.valueOf(profile.isDoctor()));
        user.setSingleAttribute(IS_STAFF, String.valueOf(profile.isStaff()));
        if (profile.permissions().isEmpty()) {
            user.removeAttribute(PERMISSIONS);
        } else {
            user.setAttribute(PERMISSIONS, profile.permissions());
        }
    }

    private static void setOrRemove(UserModel user, String name, Long value) {
        if (value == null) {
            user.removeAttribute(name);
        } else {
            user.setSingleAttribute(name, String.valueOf(value));
        }
    }

    /**
     * Adds whatever of our group and attributes the realm's user profile lacks. Runs at login rather than when the
     * provider is saved because realms are also imported, and admins may reset the user profile; it writes only
     * when something is missing, so the usual login reads the configuration and nothing more.
     */
    static void declare(KeycloakSession session) {
        UserProfileProvider provider = session.getProvider(UserProfileProvider.class);
        UPConfig config = provider.getConfiguration();
        boolean changed = false;
        if (config.getGroups() == null || config.getGroups().stream().noneMatch(g -> GROUP.equals(g.getName()))) {
            UPGroup group = new UPGroup(GROUP);
            group.setDisplayHeader("DrChrono");
            group.setDisplayDescription("Copied from DrChrono at each sign-in with DrChrono; read-only.");
            config.addGroup(group);
            changed = true;
        }
        for (String name : ALL) {
            if (config.getAttribute(name) == null) {
                UPAttribute attribute = new UPAttribute(name, PERMISSIONS.equals(name),
                        new UPAttributePermissions(Set.of("admin"), Set.of()));
                attribute.setGroup(GROUP);
                attribute.setDisplayName("${" + name + "}");
                config.addOrReplaceAttribute(attribute);
                changed = true;
            }
        }
        if (changed) {
            provider.setConfiguration(config);
            LOG.infof("Declared the DrChrono user attributes in the user profile of realm %s",
                    session.getContext().getRealm().getName());
        }
    }
}
