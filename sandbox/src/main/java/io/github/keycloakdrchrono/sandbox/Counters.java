package io.github.keycloakdrchrono.sandbox;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Calls received per {@link Endpoint}, counted on arrival whether a fault answered them or not. */
public final class Counters {

    // Filled once and never resized, so concurrent readers and writers need no lock on the map itself.
    private final Map<Endpoint, LongAdder> calls = new EnumMap<>(Endpoint.class);
    private final AtomicInteger successfulRefreshes = new AtomicInteger();

    Counters() {
        for (Endpoint endpoint : Endpoint.values()) {
            calls.put(endpoint, new LongAdder());
        }
    }

    public long get(Endpoint endpoint) {
        return calls.get(endpoint).sum();
    }

    public Map<Endpoint, Long> snapshot() {
        Map<Endpoint, Long> copy = new EnumMap<>(Endpoint.class);
        calls.forEach((endpoint, count) -> copy.put(endpoint, count.sum()));
        return Collections.unmodifiableMap(copy);
    }

    /** Refresh calls that were answered with new tokens. */
    public int successfulRefreshes() {
        return successfulRefreshes.get();
    }

    public void reset() {
        calls.values().forEach(LongAdder::reset);
        successfulRefreshes.set(0);
    }

    void record(Endpoint endpoint) {
        calls.get(endpoint).increment();
    }

    void recordSuccessfulRefresh() {
        successfulRefreshes.incrementAndGet();
    }
}
