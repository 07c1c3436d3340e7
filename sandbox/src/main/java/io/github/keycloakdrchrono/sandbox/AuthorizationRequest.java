package io.github.keycloakdrchrono.sandbox;

import java.util.List;
import java.util.Map;

/**
 * A validated {@code /o/authorize/} request.
 *
 * @param redirectUri the URI as the client sent it (or the client's default), which the token step must repeat
 * @param scopes      the scopes the user is asked for; all of them when the request named none
 * @param state       echoed back verbatim; may be {@code null}
 * @param echoed      the OAuth parameters as received, carried through the sign-in form in hidden fields
 */
record AuthorizationRequest(String clientId, String redirectUri, List<String> scopes, String state,
        Map<String, String> echoed) {
}
