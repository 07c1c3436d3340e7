package io.github.keycloakdrchrono.drchrono;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The parts of a DrChrono token answer we keep. Built field by field from the untrusted answer, so nothing
 * DrChrono adds (or an impostor injects) travels further.
 *
 * @param accessToken  never blank
 * @param tokenType    as sent, "Bearer" when absent
 * @param expiresIn    seconds, or null when DrChrono did not say
 * @param refreshToken null when absent
 * @param scope        null when absent
 */
public record TokenResponse(String accessToken, String tokenType, Long expiresIn, String refreshToken, String scope) {

    /** Tokens are 30 characters at DrChrono; anything near this bound is not a token. */
    static final int MAX_TOKEN_LENGTH = 4096;

    static TokenResponse parse(JsonNode json, String endpoint) {
        if (json == null || !json.isObject()) {
            throw DrChronoException.badResponse(endpoint, "token answer is not a JSON object");
        }
        String accessToken = token(json.get("access_token"), endpoint, "access_token");
        if (accessToken == null) {
            throw DrChronoException.badResponse(endpoint, "token answer has no access_token");
        }
        String tokenType = Json.text(json.get("token_type"));
        Long expiresIn = Json.wholeNumber(json.get("expires_in"));
        if (expiresIn != null && expiresIn < 0) {
            throw DrChronoException.badResponse(endpoint, "negative expires_in");
        }
        return new TokenResponse(accessToken, tokenType == null ? "Bearer" : tokenType, expiresIn,
                token(json.get("refresh_token"), endpoint, "refresh_token"), Json.text(json.get("scope")));
    }

    private static String token(JsonNode node, String endpoint, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.textValue().isBlank() || node.textValue().length() > MAX_TOKEN_LENGTH
                || !node.textValue().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw DrChronoException.badResponse(endpoint, field + " is not a token string");
        }
        return node.textValue();
    }

    @Override
    public String toString() {
        // Records print every component; these components open patient records.
        return "TokenResponse[tokenType=" + tokenType + ", expiresIn=" + expiresIn + ", scope=" + scope
                + ", refreshToken=" + (refreshToken == null ? "absent" : "present") + "]";
    }
}
