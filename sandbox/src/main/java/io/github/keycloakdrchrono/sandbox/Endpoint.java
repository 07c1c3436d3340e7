package io.github.keycloakdrchrono.sandbox;

/**
 * The calls the sandbox answers, as counted by {@link Counters} and targeted by {@link Faults}.
 *
 * <p>The token endpoint is split by {@code grant_type} because a client's code exchange and its refresh fail in
 * different ways and tests script them separately. A token call with no or an unknown grant type counts as
 * {@link #TOKEN_CODE}.
 */
public enum Endpoint {
    /** {@code /o/authorize/}: the sign-in page, the consent page and the decision. */
    AUTHORIZE,
    /** {@code POST /o/token/} with {@code grant_type=authorization_code}. */
    TOKEN_CODE,
    /** {@code POST /o/token/} with {@code grant_type=refresh_token}. */
    TOKEN_REFRESH,
    /** {@code POST /o/revoke_token/}. */
    REVOKE,
    /** {@code GET /api/users/current}, the call that answers 302. */
    USERS_CURRENT,
    /** {@code GET /api/users/{id}}, where that 302 leads. */
    USER,
    /** {@code GET /api/doctors/{id}}. */
    DOCTOR,
    /** {@code GET /api/staff}. */
    STAFF
}
