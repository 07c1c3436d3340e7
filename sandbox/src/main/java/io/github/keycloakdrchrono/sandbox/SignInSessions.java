package io.github.keycloakdrchrono.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who signed in, between the sign-in page and the consent decision. The consent form carries only a random
 * single-use nonce, so a tampered form cannot approve for another user or another redirect URI.
 */
final class SignInSessions {

    record Pending(String username, AuthorizationRequest request, Instant expiresAt) {
    }

    private static final Duration LIFETIME = Duration.ofMinutes(10);

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Clock clock;

    SignInSessions(Clock clock) {
        this.clock = clock;
    }

    String open(String username, AuthorizationRequest request) {
        Instant now = clock.instant();
        pending.values().removeIf(session -> !now.isBefore(session.expiresAt()));
        String nonce = OpaqueTokens.next();
        pending.put(nonce, new Pending(username, request, now.plus(LIFETIME)));
        return nonce;
    }

    Optional<Pending> take(String nonce) {
        Pending session = nonce == null ? null : pending.remove(nonce);
        return Optional.ofNullable(session).filter(found -> clock.instant().isBefore(found.expiresAt()));
    }

    void clear() {
        pending.clear();
    }
}
