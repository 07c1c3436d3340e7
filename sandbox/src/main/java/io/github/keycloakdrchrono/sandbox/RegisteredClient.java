package io.github.keycloakdrchrono.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** A confidential OAuth client; the first redirect URI is the default for requests that leave it out. */
record RegisteredClient(String clientId, String secret, List<String> redirectUris) {

    RegisteredClient {
        if (clientId == null || clientId.isEmpty() || secret == null) {
            throw new IllegalArgumentException("A client needs an id and a secret");
        }
        if (redirectUris.isEmpty()) {
            throw new IllegalArgumentException("Client " + clientId + " needs at least one redirect URI");
        }
        redirectUris = List.copyOf(redirectUris);
    }

    boolean secretMatches(String candidate) {
        return candidate != null && MessageDigest.isEqual(
                secret.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    boolean allowsRedirect(String redirectUri) {
        return redirectUris.stream().anyMatch(registered -> RedirectUris.matches(redirectUri, registered));
    }

    String defaultRedirectUri() {
        return redirectUris.get(0);
    }

    @Override
    public String toString() {
        return "RegisteredClient[" + clientId + ", " + redirectUris + "]";
    }
}
