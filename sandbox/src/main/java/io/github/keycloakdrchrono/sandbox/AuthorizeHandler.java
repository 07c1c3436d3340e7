package io.github.keycloakdrchrono.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /o/authorize/}: GET shows the sign-in page, a POST with credentials shows the consent page, a POST with
 * {@code action} redirects back to the client with a code or {@code error=access_denied}.
 */
final class AuthorizeHandler {

    private static final List<String> OAUTH_PARAMS =
            List.of("response_type", "client_id", "redirect_uri", "scope", "state");

    private final ClientRegistry clients;
    private final SandboxUsers users;
    private final TokenStore store;
    private final SignInSessions sessions;
    private final SandboxSettings settings;

    AuthorizeHandler(ClientRegistry clients, SandboxUsers users, TokenStore store, SignInSessions sessions,
            SandboxSettings settings) {
        this.clients = clients;
        this.users = users;
        this.store = store;
        this.sessions = sessions;
        this.settings = settings;
    }

    Response handle(Request request) {
        switch (request.method()) {
            case "GET":
                return Pages.signIn(validate(request), activeUsers(), null, "");
            case "POST":
                return request.formValue("action") != null ? decide(request) : signIn(request);
            default:
                return Response.empty(405).withHeader("Allow", "GET, POST");
        }
    }

    private Response signIn(Request request) {
        AuthorizationRequest authorization = validate(request);
        String username = request.formValue("username");
        Optional<SandboxUser> user = users.find(username == null ? "" : username)
                .filter(found -> found.password().equals(request.formValue("password")));
        if (user.isEmpty()) {
            return Pages.signIn(authorization, activeUsers(), "Invalid username or password.", username);
        }
        if (!user.get().active()) {
            return Pages.signIn(authorization, activeUsers(), "This account is inactive.", username);
        }
        return Pages.consent(authorization, user.get(), sessions.open(user.get().username(), authorization));
    }

    private Response decide(Request request) {
        String action = request.formValue("action");
        if (!action.equals("approve") && !action.equals("cancel")) {
            return Pages.error(400, "Unknown action.");
        }
        SignInSessions.Pending session = sessions.take(request.formValue("session"))
                .orElseThrow(() -> new Halt(Pages.error(400,
                        "This sign-in has expired or was already used. Start again from the application.")));
        AuthorizationRequest authorization = session.request();
        Map<String, String> params = new LinkedHashMap<>();
        if (action.equals("approve")) {
            params.put("code", store.issueCode(authorization.clientId(), session.username(),
                    authorization.redirectUri(), authorization.scopes(), settings.codeLifetime()));
        } else {
            params.put("error", "access_denied");
        }
        params.put("state", authorization.state());
        return Response.redirect(RedirectUris.withParams(authorization.redirectUri(), params));
    }

    /**
     * oauthlib's checks, in its order. A bad client or redirect URI gets an error page, since redirecting would
     * hand the error to an unverified target; everything after that is reported to the client by redirect.
     */
    private AuthorizationRequest validate(Request request) {
        RegisteredClient client = clients.find(request.param("client_id"))
                .orElseThrow(() -> new Halt(Pages.error(400, "Invalid client_id parameter value.")));
        String redirectUri = request.param("redirect_uri");
        if (redirectUri == null) {
            redirectUri = client.defaultRedirectUri();
        } else if (!client.allowsRedirect(redirectUri)) {
            throw new Halt(Pages.error(400, "Mismatching redirect URI."));
        }
        String state = request.param("state");
        String responseType = request.param("response_type");
        if (responseType == null) {
            throw redirectError(redirectUri, "invalid_request", "Missing response_type parameter.", state);
        }
        if (!responseType.equals("code")) {
            throw redirectError(redirectUri, "unsupported_response_type", null, state);
        }
        List<String> scopes = Scopes.parse(request.param("scope"));
        if (!Scopes.unknown(scopes).isEmpty()) {
            throw redirectError(redirectUri, "invalid_scope", "The requested scope is invalid, unknown, or malformed.",
                    state);
        }
        Map<String, String> echoed = new LinkedHashMap<>();
        for (String name : OAUTH_PARAMS) {
            String value = request.param(name);
            if (value != null) {
                echoed.put(name, value);
            }
        }
        return new AuthorizationRequest(client.clientId(), redirectUri, scopes.isEmpty() ? Scopes.ALL : scopes,
                state, echoed);
    }

    private static Halt redirectError(String redirectUri, String error, String description, String state) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", error);
        params.put("error_description", description);
        params.put("state", state);
        return new Halt(Response.redirect(RedirectUris.withParams(redirectUri, params)));
    }

    private List<SandboxUser> activeUsers() {
        return users.list().stream().filter(SandboxUser::active).toList();
    }
}
