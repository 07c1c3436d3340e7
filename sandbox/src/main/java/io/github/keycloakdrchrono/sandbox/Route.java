package io.github.keycloakdrchrono.sandbox;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which {@link Endpoint} a request is for, and the numeric id in its path if it has one. The OAuth paths are exact,
 * trailing slash included, as Django routes them; the API paths take an optional trailing slash.
 */
record Route(Endpoint endpoint, long id) {

    static final String AUTHORIZE_PATH = "/o/authorize/";
    static final String TOKEN_PATH = "/o/token/";
    static final String REVOKE_PATH = "/o/revoke_token/";
    static final String USER_PATH = "/api/users/";

    private static final Pattern USERS_CURRENT = Pattern.compile("/api/users/current/?");
    private static final Pattern USER = Pattern.compile("/api/users/(\\d{1,18})/?");
    private static final Pattern DOCTOR = Pattern.compile("/api/doctors/(\\d{1,18})/?");
    private static final Pattern STAFF = Pattern.compile("/api/staff/?");

    static Optional<Route> match(Request request) {
        String path = request.path();
        switch (path) {
            case AUTHORIZE_PATH:
                return Optional.of(new Route(Endpoint.AUTHORIZE, 0));
            case TOKEN_PATH:
                boolean refresh = "refresh_token".equals(request.formValue("grant_type"));
                return Optional.of(new Route(refresh ? Endpoint.TOKEN_REFRESH : Endpoint.TOKEN_CODE, 0));
            case REVOKE_PATH:
                return Optional.of(new Route(Endpoint.REVOKE, 0));
            default:
                break;
        }
        if (USERS_CURRENT.matcher(path).matches()) {
            return Optional.of(new Route(Endpoint.USERS_CURRENT, 0));
        }
        if (STAFF.matcher(path).matches()) {
            return Optional.of(new Route(Endpoint.STAFF, 0));
        }
        Matcher user = USER.matcher(path);
        if (user.matches()) {
            return Optional.of(new Route(Endpoint.USER, Long.parseLong(user.group(1))));
        }
        Matcher doctor = DOCTOR.matcher(path);
        if (doctor.matches()) {
            return Optional.of(new Route(Endpoint.DOCTOR, Long.parseLong(doctor.group(1))));
        }
        return Optional.empty();
    }
}
