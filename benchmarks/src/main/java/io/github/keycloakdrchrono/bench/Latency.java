package io.github.keycloakdrchrono.bench;

import java.util.Arrays;

/** Latencies of one provider's measured calls, summarised by nearest-rank percentiles. */
record Latency(Route route, long[] nanos) {

    Latency {
        nanos = nanos.clone();
        Arrays.sort(nanos);
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
    }

    int calls() {
        return nanos.length;
    }

    double medianMillis() {
        return percentileMillis(50);
    }

    double p95Millis() {
        return percentileMillis(95);
    }

    private double percentileMillis(int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * nanos.length);
        return nanos[Math.max(0, rank - 1)] / 1_000_000.0;
    }
}
