package io.github.keycloakdrchrono.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /o/token/}, checking in the order oauthlib 2.x does, since a client sees only the first failure:
 * grant type, required parameter, client authentication, then the grant itself.
 */
final class TokenHandler {

    private final ClientRegistry clients;
    private final TokenStore store;
    private final SandboxSettings settings;
    private final Counters counters;

    TokenHandler(ClientRegistry clients, TokenStore store, SandboxSettings settings, Counters counters) {
        this.clients = clients;
        this.store = store;
        this.settings = settings;
        this.counters = counters;
    }

    Response handle(Request request) {
        if (!"POST".equals(request.method())) {
            return Response.empty(405).withHeader("Allow", "POST");
        }
        try {
            String grantType = request.formValue("grant_type");
            TokenPair pair;
            if ("authorization_code".equals(grantType)) {
                pair = exchangeCode(request);
            } else if ("refresh_token".equals(grantType)) {
                pair = refresh(request);
                counters.recordSuccessfulRefresh();
            } else {
                throw new OAuthProblem(400, "unsupported_grant_type", "The authorization grant type is not supported.");
            }
            return success(pair);
        } catch (OAuthProblem problem) {
            return problem.toResponse();
        }
    }

    private TokenPair exchangeCode(Request request) {
        String code = request.formValue("code");
        if (code == null) {
            throw OAuthProblem.invalidRequest("Missing code parameter.");
        }
        for (String name : List.of("client_id", "grant_type", "redirect_uri")) {
            List<String> values = request.form().get(name);
            if (values != null && values.size() > 1) {
                throw OAuthProblem.invalidRequest("Duplicate " + name + " parameter.");
            }
        }
        RegisteredClient client = clients.authenticate(request);
        String redirectUri = request.formValue("redirect_uri");
        return store.redeemCode(code, client.clientId(),
                redirectUri != null ? redirectUri : client.defaultRedirectUri(), settings.accessTokenLifetime());
    }

    private TokenPair refresh(Request request) {
        String refreshToken = request.formValue("refresh_token");
        if (refreshToken == null) {
            throw OAuthProblem.invalidRequest("Missing refresh token parameter.");
        }
        RegisteredClient client = clients.authenticate(request);
        return store.refresh(refreshToken, client.clientId(), Scopes.parse(request.formValue("scope")),
                settings.refreshTokenRotation(), settings.accessTokenLifetime());
    }

    private static Response success(TokenPair pair) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", pair.accessToken());
        body.put("expires_in", pair.expiresIn());
        body.put("token_type", "Bearer");
        body.put("scope", pair.scope());
        body.put("refresh_token", pair.refreshToken());
        return Response.json(200, body)
                .withHeader("Cache-Control", "no-store")
                .withHeader("Pragma", "no-cache");
    }
}
