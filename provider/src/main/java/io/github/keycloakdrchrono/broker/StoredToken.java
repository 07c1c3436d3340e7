package io.github.keycloakdrchrono.broker;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.keycloak.common.util.Time;

import io.github.keycloakdrchrono.drchrono.TokenResponse;

/**
 * The token as Keycloak stores it on the federated identity: the field names of Keycloak's own OAuth 2.0
 * providers ({@code access_token}, {@code refresh_token}, {@code accessTokenExpiration} in epoch seconds, ...),
 * so stock tooling that reads stored tokens keeps working, with only the fields we checked.
 */
final class StoredToken {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final TokenResponse response;
    private final Long accessTokenExpiration;

    private StoredToken(TokenResponse response, Long accessTokenExpiration) {
        this.response = response;
        this.accessTokenExpiration = accessTokenExpiration;
    }

    static StoredToken fromFreshResponse(TokenResponse response) {
        Long expiration = response.expiresIn() == null || response.expiresIn() == 0 ? null
                : Time.currentTime() + response.expiresIn();
        return new StoredToken(response, expiration);
    }

    String toJson() {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("access_token", response.accessToken());
        json.put("token_type", response.tokenType());
        if (response.expiresIn() != null) {
            json.put("expires_in", response.expiresIn());
        }
        if (response.refreshToken() != null) {
            json.put("refresh_token", response.refreshToken());
        }
        if (response.scope() != null) {
            json.put("scope", response.scope());
        }
        if (accessTokenExpiration != null) {
            json.put("accessTokenExpiration", accessTokenExpiration);
        }
        try {
            return MAPPER.writeValueAsString(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
