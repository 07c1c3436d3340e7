package io.github.keycloakdrchrono.sandbox;

import java.time.Duration;

/** The switches for DrChrono behaviour that is not known for sure, and the lifetimes tests shorten. */
record SandboxSettings(
        boolean refreshTokenRotation,
        boolean staffUserIdMatchesUserId,
        boolean revocationEndpointLive,
        boolean retryAfterHeader,
        Duration accessTokenLifetime,
        Duration codeLifetime) {

    /** How far a staff record's {@code user_id} sits from the user id when the two are set to differ. */
    static final long STAFF_USER_ID_OFFSET = 500_000;
}
