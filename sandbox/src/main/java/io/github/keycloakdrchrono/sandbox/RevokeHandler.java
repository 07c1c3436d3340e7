package io.github.keycloakdrchrono.sandbox;

/**
 * {@code POST /o/revoke_token/} as django-oauth-toolkit serves it. DrChrono's docs do not mention the endpoint, so
 * the sandbox can also answer as if it did not exist.
 */
final class RevokeHandler {

    private final ClientRegistry clients;
    private final TokenStore store;
    private final SandboxSettings settings;

    RevokeHandler(ClientRegistry clients, TokenStore store, SandboxSettings settings) {
        this.clients = clients;
        this.store = store;
        this.settings = settings;
    }

    Response handle(Request request) {
        if (!settings.revocationEndpointLive()) {
            return Pages.notFound();
        }
        if (!"POST".equals(request.method())) {
            return Response.empty(405).withHeader("Allow", "POST");
        }
        try {
            String token = request.formValue("token");
            if (token == null || token.isEmpty()) {
                throw OAuthProblem.invalidRequest("Missing token parameter.");
            }
            RegisteredClient client = clients.authenticate(request);
            String hint = request.formValue("token_type_hint");
            if (hint != null && !hint.equals("access_token") && !hint.equals("refresh_token")) {
                throw new OAuthProblem(400, "unsupported_token_type", "The token type is not supported.");
            }
            store.revoke(token, client.clientId());
            // RFC 7009: unknown and already revoked tokens get the same empty 200, so a client learns nothing.
            return Response.empty(200);
        } catch (OAuthProblem problem) {
            return problem.toResponse();
        }
    }
}
