package io.github.keycloakdrchrono.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The registered OAuth clients and the two ways DrChrono lets them authenticate. */
final class ClientRegistry {

    // Kept in registration order: the first client is the one Tokens.issue(username) issues for.
    private final Map<String, RegisteredClient> clients = new LinkedHashMap<>();

    /** Registering an id again replaces that client, so a test can change its redirect URIs. */
    synchronized void register(String clientId, String secret, String... redirectUris) {
        clients.put(clientId, new RegisteredClient(clientId, secret, List.of(redirectUris)));
    }

    synchronized Optional<RegisteredClient> find(String clientId) {
        return clientId == null ? Optional.empty() : Optional.ofNullable(clients.get(clientId));
    }

    synchronized List<RegisteredClient> list() {
        return List.copyOf(clients.values());
    }

    /**
     * HTTP Basic first, then {@code client_id}/{@code client_secret} in the form, as django-oauth-toolkit tries
     * them; a failed Basic header does not stop the form fields from being tried.
     */
    RegisteredClient authenticate(Request request) {
        Optional<RegisteredClient> byBasic = request.header("Authorization").flatMap(this::fromBasic);
        if (byBasic.isPresent()) {
            return byBasic.get();
        }
        return find(request.formValue("client_id"))
                .filter(client -> client.secretMatches(request.formValue("client_secret")))
                .orElseThrow(() -> new OAuthProblem(401, "invalid_client", "Client authentication failed."));
    }

    private Optional<RegisteredClient> fromBasic(String authorization) {
        if (!authorization.toLowerCase(Locale.ROOT).startsWith("basic ")) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            // RFC 6749 2.3.1 form-encodes both parts before joining them; oauthlib decodes them back.
            String clientId = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            String secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
            return find(clientId).filter(client -> client.secretMatches(secret));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
