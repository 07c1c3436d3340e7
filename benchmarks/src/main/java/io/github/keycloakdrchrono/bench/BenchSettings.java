package io.github.keycloakdrchrono.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What one run measures and where it finds its inputs, from the system properties that benchmarks/pom.xml sets
 * (so {@code -Dbench.calls=5000} on the Maven command line changes the run).
 *
 * @param calls          measured broker-token calls per provider, after the warm-up
 * @param warmup         calls per provider before measuring, so that both are past JIT compilation and caches
 * @param callers        concurrent callers in the refresh storm
 * @param refreshLatency how long the sandbox holds each refresh, so that concurrent refreshes overlap as they do
 *                       against a distant DrChrono
 * @param slowRefresh    the same for a second storm, with DrChrono slow but well inside the provider's 10-second
 *                       read timeout, so that callers wait on the refresh for seconds
 * @param cluster        whether to run the storm on two clustered nodes sharing a PostgreSQL database as well
 * @param serverJavaOpts extra JVM options for the one-node Keycloak (a profiler, say); empty for none
 */
record BenchSettings(int calls, int warmup, int callers, Duration refreshLatency, Duration slowRefresh,
        boolean cluster, String serverJavaOpts, Path distribution,
        String keycloakVersion, Path providerJar, String providerVersion, Path workDir, Path results) {

    static BenchSettings fromSystemProperties() {
        return new BenchSettings(
                positive("bench.calls"),
                positive("bench.warmup"),
                positive("bench.callers"),
                Duration.ofMillis(positive("bench.refreshLatencyMillis")),
                Duration.ofMillis(positive("bench.slowRefreshLatencyMillis")),
                Boolean.parseBoolean(required("bench.cluster").trim()),
                System.getProperty("bench.serverJavaOpts", "").trim(),
                Path.of(required("bench.keycloak.dist.zip")),
                required("bench.keycloak.dist.version"),
                Path.of(required("bench.providers.dir"), "keycloak-drchrono.jar"),
                required("bench.provider.version"),
                Path.of(required("bench.work.dir")),
                Path.of(required("bench.results")));
    }

    static int positive(String property) {
        int value;
        try {
            value = Integer.parseInt(required(property).trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("System property " + property + " is not a number", e);
        }
        if (value <= 0) {
            throw new IllegalStateException("System property " + property + " must be positive");
        }
        return value;
    }

    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set; run the benchmark with "
                    + "Maven from the repository root (mvn -Pbench verify), which sets it.");
        }
        return value;
    }
}
