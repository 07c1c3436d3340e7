package io.github.keycloakdrchrono.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every authorization code, access token and refresh token in play. One lock guards all three maps: a refresh
 * reads and rewrites several entries, and a storm of refreshes with one token must see exactly one winner.
 */
final class TokenStore {

    record Code(String clientId, String username, String redirectUri, List<String> scopes, Instant expiresAt) {
    }

    record Access(String clientId, String username, List<String> scopes, Instant expiresAt) {
    }

    record Refresh(String clientId, String username, List<String> scopes, String accessToken) {
    }

    private final Clock clock;
    private final Map<String, Code> codes = new HashMap<>();
    private final Map<String, Access> accessTokens = new HashMap<>();
    private final Map<String, Refresh> refreshTokens = new HashMap<>();

    TokenStore(Clock clock) {
        this.clock = clock;
    }

    synchronized String issueCode(String clientId, String username, String redirectUri, List<String> scopes,
            Duration lifetime) {
        Instant now = clock.instant();
        codes.values().removeIf(code -> !now.isBefore(code.expiresAt()));
        String code = OpaqueTokens.next();
        codes.put(code, new Code(clientId, username, redirectUri, List.copyOf(scopes), now.plus(lifetime)));
        return code;
    }

    /**
     * Exchanges a code in oauthlib's order: the code must exist, belong to the client and be fresh before the
     * redirect URI is compared. A mismatching redirect URI does not use the code up.
     */
    synchronized TokenPair redeemCode(String code, String clientId, String redirectUri, Duration accessLifetime) {
        Code grant = codes.get(code);
        if (grant == null || !grant.clientId().equals(clientId) || !clock.instant().isBefore(grant.expiresAt())) {
            throw OAuthProblem.invalidGrant("Invalid, expired or already used authorization code.");
        }
        if (!grant.redirectUri().equals(redirectUri)) {
            throw OAuthProblem.invalidRequest("Mismatching redirect URI.");
        }
        codes.remove(code);
        return issue(clientId, grant.username(), grant.scopes(), accessLifetime);
    }

    /**
     * A fresh pair for a user who went through the authorization again. DrChrono then drops the user's earlier
     * tokens for the same application, refresh token included, which is what breaks a broker holding old ones.
     */
    synchronized TokenPair issue(String clientId, String username, List<String> scopes, Duration accessLifetime) {
        accessTokens.values().removeIf(token -> token.clientId().equals(clientId)
                && token.username().equals(username));
        refreshTokens.values().removeIf(token -> token.clientId().equals(clientId)
                && token.username().equals(username));
        String access = OpaqueTokens.next();
        String refresh = OpaqueTokens.next();
        accessTokens.put(access, new Access(clientId, username, List.copyOf(scopes),
                clock.instant().plus(accessLifetime)));
        refreshTokens.put(refresh, new Refresh(clientId, username, List.copyOf(scopes), access));
        return new TokenPair(access, refresh, accessLifetime.toSeconds(), Scopes.join(scopes));
    }

    /**
     * Refreshes a grant. The previous access token dies either way; with rotation the refresh token is replaced at
     * once, with no grace period, so a second use of the old one is {@code invalid_grant}.
     *
     * @param requestedScopes empty for "the scopes of the grant"; else a subset of them, which then sticks
     */
    synchronized TokenPair refresh(String refreshToken, String clientId, List<String> requestedScopes,
            boolean rotate, Duration accessLifetime) {
        Refresh grant = refreshTokens.get(refreshToken);
        if (grant == null || !grant.clientId().equals(clientId)) {
            throw OAuthProblem.invalidGrant("Invalid refresh token.");
        }
        List<String> scopes = requestedScopes.isEmpty() ? grant.scopes() : List.copyOf(requestedScopes);
        if (!grant.scopes().containsAll(scopes)) {
            throw new OAuthProblem(401, "invalid_scope", "The requested scope is invalid, unknown, or malformed.");
        }
        accessTokens.remove(grant.accessToken());
        refreshTokens.remove(refreshToken);
        String access = OpaqueTokens.next();
        String nextRefresh = rotate ? OpaqueTokens.next() : refreshToken;
        accessTokens.put(access, new Access(clientId, grant.username(), scopes,
                clock.instant().plus(accessLifetime)));
        refreshTokens.put(nextRefresh, new Refresh(clientId, grant.username(), scopes, access));
        return new TokenPair(access, nextRefresh, accessLifetime.toSeconds(), Scopes.join(scopes));
    }

    synchronized Optional<Access> validAccess(String token) {
        Access access = token == null ? null : accessTokens.get(token);
        if (access == null || !clock.instant().isBefore(access.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(access);
    }

    synchronized boolean isRefreshValid(String token) {
        return token != null && refreshTokens.containsKey(token);
    }

    /**
     * RFC 7009 revocation of a token issued to {@code clientId}; another client's token is left alone, answered
     * like an unknown one. A refresh token takes its access token with it; an access token goes alone.
     */
    synchronized void revoke(String token, String clientId) {
        Access access = accessTokens.get(token);
        if (access != null && access.clientId().equals(clientId)) {
            accessTokens.remove(token);
            return;
        }
        Refresh refresh = refreshTokens.get(token);
        if (refresh != null && refresh.clientId().equals(clientId)) {
            refreshTokens.remove(token);
            accessTokens.remove(refresh.accessToken());
        }
    }

    synchronized void expireAccessTokens() {
        Instant past = clock.instant().minusSeconds(1);
        accessTokens.replaceAll((token, access) ->
                new Access(access.clientId(), access.username(), access.scopes(), past));
    }

    synchronized void clear() {
        codes.clear();
        accessTokens.clear();
        refreshTokens.clear();
    }
}
