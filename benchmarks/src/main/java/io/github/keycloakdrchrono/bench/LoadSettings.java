package io.github.keycloakdrchrono.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The load run's sizes, from system properties that benchmarks/pom.xml passes on ({@code -Dbench.load.seconds=10}
 * makes a smoke run).
 *
 * @param users        linked users, each signed in once through the real DrChrono (sandbox) login
 * @param expiring     how many of them hold a token that falls due for refresh during the run
 * @param callers      concurrent backends on the service endpoint
 * @param duration     how long they call
 * @param loginThreads parallel sign-ins while linking the users
 * @param results      where the Markdown table is written
 */
record LoadSettings(int users, int expiring, int callers, Duration duration, int loginThreads, Path results) {

    LoadSettings {
        if (expiring > users) {
            throw new IllegalStateException("bench.load.expiring (" + expiring + ") exceeds bench.load.users ("
                    + users + ")");
        }
    }

    static LoadSettings fromSystemProperties() {
        return new LoadSettings(
                BenchSettings.positive("bench.load.users"),
                BenchSettings.positive("bench.load.expiring"),
                BenchSettings.positive("bench.load.callers"),
                Duration.ofSeconds(BenchSettings.positive("bench.load.seconds")),
                BenchSettings.positive("bench.load.loginThreads"),
                Path.of(BenchSettings.required("bench.load.results")));
    }
}
