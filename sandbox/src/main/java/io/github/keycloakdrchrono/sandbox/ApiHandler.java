package io.github.keycloakdrchrono.sandbox;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code /api/users/current}, {@code /api/users/{id}}, {@code /api/doctors/{id}} and {@code /api/staff}. */
final class ApiHandler {

    private static final String FORBIDDEN = "You do not have permission to perform this action.";

    private record Caller(SandboxUser user, List<String> scopes) {
    }

    private final TokenStore store;
    private final SandboxUsers users;
    private final SandboxSettings settings;
    private final Supplier<String> ownAuthority;

    /**
     * @param ownAuthority host:port of the sandbox, for list links when a request carries no Host header
     */
    ApiHandler(TokenStore store, SandboxUsers users, SandboxSettings settings, Supplier<String> ownAuthority) {
        this.store = store;
        this.users = users;
        this.settings = settings;
        this.ownAuthority = ownAuthority;
    }

    Response handle(Request request, Route route) {
        // Django REST framework authenticates before it looks at the method, so a bad token beats a bad method.
        Caller caller = authenticate(request);
        if (!"GET".equals(request.method())) {
            return Response.detail(405, "Method \"" + request.method() + "\" not allowed.");
        }
        return switch (route.endpoint()) {
            case USERS_CURRENT -> Response.redirect(Route.USER_PATH + caller.user().id());
            case USER -> route.id() == caller.user().id()
                    ? Response.json(200, Representations.user(caller.user()))
                    : Response.detail(403, FORBIDDEN);
            case DOCTOR -> doctor(caller, route.id());
            case STAFF -> staff(caller, request);
            default -> throw new IllegalArgumentException("Not an API endpoint: " + route.endpoint());
        };
    }

    private Caller authenticate(Request request) {
        String authorization = request.header("Authorization").orElse("");
        String token = authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim()
                : null;
        return store.validAccess(token)
                .flatMap(access -> users.find(access.username()).map(user -> new Caller(user, access.scopes())))
                .orElseThrow(() -> new Halt(unauthorized()));
    }

    private static Response unauthorized() {
        return Response.html(401, "Authorization failed.")
                .withHeader("WWW-Authenticate",
                        "Bearer error=\"invalid_token\", error_description=\"The access token is invalid.\"");
    }

    /** Any doctor of the caller's practice, which covers the doctor a staff member works for. */
    private Response doctor(Caller caller, long doctorId) {
        if (!Scopes.canReadUsers(caller.scopes())) {
            return Response.detail(403, FORBIDDEN);
        }
        return users.findDoctor(doctorId)
                .filter(doctor -> doctor.practiceGroup() == caller.user().practiceGroup())
                .map(doctor -> Response.json(200, Representations.doctor(doctor)))
                .orElseGet(() -> Response.detail(404, "Not found."));
    }

    private Response staff(Caller caller, Request request) {
        if (!Scopes.canReadUsers(caller.scopes())) {
            return Response.detail(403, FORBIDDEN);
        }
        Long doctorFilter = doctorFilter(request.queryValue("doctor"));
        List<Object> records = users.staffOf(caller.user().practiceGroup()).stream()
                .filter(staff -> doctorFilter == null || staff.doctor() == doctorFilter)
                .map(staff -> (Object) Representations.staff(staff, settings.staffUserIdMatchesUserId()))
                .toList();
        String authority = request.header("Host").orElseGet(ownAuthority);
        return Response.json(200, CursorPage.of(records, request, authority));
    }

    private static Long doctorFilter(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new Halt(Response.json(400, Map.of("doctor", List.of("Enter a number."))));
        }
    }
}
