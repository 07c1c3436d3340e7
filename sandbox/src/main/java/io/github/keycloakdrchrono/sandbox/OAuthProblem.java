package io.github.keycloakdrchrono.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;

/** An OAuth error answer from the token or revocation endpoint, with oauthlib 2.x's status for it. */
final class OAuthProblem extends RuntimeException {

    private final int status;
    private final String error;
    private final String description;

    OAuthProblem(int status, String error, String description) {
        super(error + ": " + description, null, false, false);
        this.status = status;
        this.error = error;
        this.description = description;
    }

    static OAuthProblem invalidGrant(String description) {
        return new OAuthProblem(401, "invalid_grant", description);
    }

    static OAuthProblem invalidRequest(String description) {
        return new OAuthProblem(400, "invalid_request", description);
    }

    Response toResponse() {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        return Response.json(status, body)
                .withHeader("Cache-Control", "no-store")
                .withHeader("Pragma", "no-cache");
    }
}
