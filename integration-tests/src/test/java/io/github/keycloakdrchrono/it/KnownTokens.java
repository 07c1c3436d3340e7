package io.github.keycloakdrchrono.it;

import io.github.keycloakdrchrono.sandbox.DrChronoSandbox;
import io.github.keycloakdrchrono.sandbox.Endpoint;
import io.github.keycloakdrchrono.sandbox.Fault;
import io.github.keycloakdrchrono.sandbox.TokenPair;

/**
 * Makes the sandbox's next code exchange answer with a real token pair the test knows, with the lifetime the test
 * needs: 60 s puts the stored token inside the refresh margin at once, and knowing the refresh token lets a test
 * ask the sandbox whether it was revoked. Keycloak never hands the refresh token out, so this is the only way to
 * learn it from outside.
 */
final class KnownTokens {

    private KnownTokens() {
    }

    static TokenPair nextCodeExchange(DrChronoSandbox sandbox, String clientId, String username, long expiresIn) {
        TokenPair pair = sandbox.tokens().issue(clientId, username, "user:read");
        sandbox.faults().next(Endpoint.TOKEN_CODE, Fault.json(200, "{\"access_token\": \"" + pair.accessToken()
                + "\", \"token_type\": \"Bearer\", \"expires_in\": " + expiresIn + ", \"scope\": \"user:read\", "
                + "\"refresh_token\": \"" + pair.refreshToken() + "\"}"));
        return pair;
    }
}
