package io.github.keycloakdrchrono.sandbox;

import java.util.List;

/** A test's view of the issued tokens, and a way to link an identity without the browser flow. */
public final class Tokens {

    private final TokenStore store;
    private final ClientRegistry clients;
    private final SandboxUsers users;
    private final SandboxSettings settings;

    Tokens(TokenStore store, ClientRegistry clients, SandboxUsers users, SandboxSettings settings) {
        this.store = store;
        this.clients = clients;
        this.users = users;
        this.settings = settings;
    }

    /** Every access token issued so far expires now; their refresh tokens keep working. */
    public void expireAccessTokens() {
        store.expireAccessTokens();
    }

    public boolean isAccessTokenValid(String accessToken) {
        return store.validAccess(accessToken).isPresent();
    }

    public boolean isRefreshTokenValid(String refreshToken) {
        return store.isRefreshValid(refreshToken);
    }

    /** Issues all scopes to the first registered client, as if {@code username} had approved its request. */
    public TokenPair issue(String username) {
        List<RegisteredClient> registered = clients.list();
        if (registered.isEmpty()) {
            throw new IllegalStateException("Register a client before issuing tokens");
        }
        return issue(registered.get(0).clientId(), username, Scopes.join(Scopes.ALL));
    }

    /**
     * Issues tokens as a code exchange would, with the same side effect: the user's earlier tokens for that client
     * stop working.
     *
     * @param scope space-separated scopes; blank for all of them
     */
    public TokenPair issue(String clientId, String username, String scope) {
        if (clients.find(clientId).isEmpty()) {
            throw new IllegalArgumentException("No client " + clientId);
        }
        users.get(username);
        List<String> scopes = Scopes.parse(scope);
        if (!Scopes.unknown(scopes).isEmpty()) {
            throw new IllegalArgumentException("Unknown scopes " + Scopes.unknown(scopes));
        }
        return store.issue(clientId, username, scopes.isEmpty() ? Scopes.ALL : scopes,
                settings.accessTokenLifetime());
    }
}
