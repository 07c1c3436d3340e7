package io.github.keycloakdrchrono.sandbox;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Scripted failures per {@link Endpoint}. A call first takes the head of that endpoint's {@link #next} queue; only
 * when the queue is empty does the {@link #always} fault apply.
 */
public final class Faults {

    private final Map<Endpoint, Queue<Fault>> queued = new ConcurrentHashMap<>();
    private final Map<Endpoint, Fault> standing = new ConcurrentHashMap<>();
    private volatile Duration refreshLatency = Duration.ZERO;

    Faults() {
    }

    /** Applies {@code fault} to one call of {@code endpoint}; several calls queue up in order. */
    public Faults next(Endpoint endpoint, Fault fault) {
        Objects.requireNonNull(fault, "fault");
        queued.computeIfAbsent(endpoint, key -> new ConcurrentLinkedQueue<>()).add(fault);
        return this;
    }

    /** Applies {@code fault} to every call of {@code endpoint} until {@link #clear()}. */
    public Faults always(Endpoint endpoint, Fault fault) {
        standing.put(Objects.requireNonNull(endpoint, "endpoint"), Objects.requireNonNull(fault, "fault"));
        return this;
    }

    /**
     * Holds every refresh this long before it is processed, outside the token lock, so that concurrent refreshes
     * overlap the way they do against a distant server.
     */
    public Faults refreshLatency(Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        refreshLatency = latency;
        return this;
    }

    public Duration refreshLatency() {
        return refreshLatency;
    }

    /** Drops every queued and standing fault and sets the refresh latency back to zero. */
    public void clear() {
        queued.clear();
        standing.clear();
        refreshLatency = Duration.ZERO;
    }

    Optional<Fault> take(Endpoint endpoint) {
        Queue<Fault> queue = queued.get(endpoint);
        Fault next = queue == null ? null : queue.poll();
        return Optional.ofNullable(next != null ? next : standing.get(endpoint));
    }
}
