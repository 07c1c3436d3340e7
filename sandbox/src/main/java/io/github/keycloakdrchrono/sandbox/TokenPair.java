package io.github.keycloakdrchrono.sandbox;

/**
 * What a successful token response carries.
 *
 * @param accessToken  30-character opaque bearer token
 * @param refreshToken 30-character opaque refresh token
 * @param expiresIn    the access token's lifetime in seconds, as sent in {@code expires_in}
 * @param scope        granted scopes, space separated
 */
public record TokenPair(String accessToken, String refreshToken, long expiresIn, String scope) {
}
