package io.github.keycloakdrchrono.token;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.keycloakdrchrono.drchrono.Json;
import io.github.keycloakdrchrono.drchrono.TokenResponse;

/**
 * The DrChrono token pair as kept on the user's link, before encryption. Its JSON uses the field names of
 * Keycloak's own OAuth 2.0 providers ({@code access_token}, {@code refresh_token}, {@code accessTokenExpiration}
 * in epoch seconds), so tokens stored in plain text by stock Keycloak, or by earlier versions of this extension,
 * read the same way.
 */
public final class StoredToken {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Set when DrChrono rejected the refresh token; kept so apps get a clear answer until the user signs in. */
    private static final String REAUTH_FIELD = "drchrono_reauthentication_required";

    private final String accessToken;
    private final String tokenType;
    private final Long expiresAt;
    private final String refreshToken;
    private final String scope;
    private final boolean reauthenticationRequired;

    private StoredToken(String accessToken, String tokenType, Long expiresAt, String refreshToken, String scope,
            boolean reauthenticationRequired) {
        this.accessToken = accessToken;
        this.tokenType = tokenType;
        this.expiresAt = expiresAt;
        this.refreshToken = refreshToken;
        this.scope = scope;
        this.reauthenticationRequired = reauthenticationRequired;
    }

    /** A token DrChrono just issued, at {@code nowSeconds}. */
    public static StoredToken issued(TokenResponse response, long nowSeconds) {
        Long expiresAt = response.expiresIn() == null || response.expiresIn() == 0 ? null
                : nowSeconds + response.expiresIn();
        return new StoredToken(response.accessToken(), response.tokenType(), expiresAt, response.refreshToken(),
                response.scope(), false);
    }

    /**
     * The result of a refresh. DrChrono with rotation off answers without a new refresh token (or with the same
     * one); the one we had stays valid then and is kept. Scope is kept when the answer omits it.
     */
    public StoredToken refreshedWith(TokenResponse response, long nowSeconds) {
        StoredToken fresh = issued(response, nowSeconds);
        return new StoredToken(fresh.accessToken, fresh.tokenType, fresh.expiresAt,
                fresh.refreshToken != null ? fresh.refreshToken : refreshToken,
                fresh.scope != null ? fresh.scope : scope, false);
    }

    public StoredToken markReauthenticationRequired() {
        return new StoredToken(accessToken, tokenType, expiresAt, refreshToken, scope, true);
    }

    /** Reads our JSON or stock Keycloak's; anything else (including a token without access_token) is null. */
    public static StoredToken parse(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || !node.isObject()) {
                return null;
            }
            String access = Json.text(node.get("access_token"));
            if (access == null) {
                return null;
            }
            Long expiresAt = Json.wholeNumber(node.get("accessTokenExpiration"));
            String type = Json.text(node.get("token_type"));
            return new StoredToken(access, type == null ? "Bearer" : type, expiresAt == null || expiresAt == 0 ? null
                    : expiresAt, Json.text(node.get("refresh_token")), Json.text(node.get("scope")),
                    Boolean.TRUE.equals(Json.flag(node.get(REAUTH_FIELD))));
        } catch (IOException e) {
            return null;
        }
    }

    public String toJson() {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("access_token", accessToken);
        json.put("token_type", tokenType);
        if (refreshToken != null) {
            json.put("refresh_token", refreshToken);
        }
        if (scope != null) {
            json.put("scope", scope);
        }
        if (expiresAt != null) {
            json.put("accessTokenExpiration", expiresAt);
        }
        if (reauthenticationRequired) {
            json.put(REAUTH_FIELD, true);
        }
        try {
            return MAPPER.writeValueAsString(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the access token expires within {@code marginSeconds}; a token without expiry never does. */
    public boolean needsRefresh(long nowSeconds, long marginSeconds) {
        return expiresAt != null && expiresAt - nowSeconds <= marginSeconds;
    }

    public boolean isExpired(long nowSeconds) {
        return expiresAt != null && expiresAt <= nowSeconds;
    }

    /** Seconds the access token has left, or null when DrChrono did not say. */
    public Long remainingSeconds(long nowSeconds) {
        return expiresAt == null ? null : Math.max(0, expiresAt - nowSeconds);
    }

    public String accessToken() {
        return accessToken;
    }

    public String tokenType() {
        return tokenType;
    }

    public String refreshToken() {
        return refreshToken;
    }

    public String scope() {
        return scope;
    }

    public boolean reauthenticationRequired() {
        return reauthenticationRequired;
    }

    @Override
    public String toString() {
        return "StoredToken[expiresAt=" + expiresAt + ", refreshToken=" + (refreshToken == null ? "absent" : "present")
                + ", reauthenticationRequired=" + reauthenticationRequired + "]";
    }
}
