package io.github.keycloakdrchrono.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.keycloakdrchrono.launcher.KeycloakServer;
import io.github.keycloakdrchrono.testkit.TwoNodeCluster;

/**
 * Runs the comparison and prints it as Markdown, also to {@code benchmarks/target/results.md}. It measures; it
 * asserts no timing. A setup step that fails (Keycloak not starting, a sign-in not reaching the app) ends the run
 * with an exception and a non-zero exit, which fails the Maven build.
 */
public final class RunBenchmarks {

    private RunBenchmarks() {
    }

    public static void main(String[] args) {
        BenchSettings settings = BenchSettings.fromSystemProperties();
        String run = System.getProperty("bench.run", "compare");
        if (run.equals("load")) {
            load(settings, LoadSettings.fromSystemProperties());
            return;
        }
        if (!run.equals("compare")) {
            throw new IllegalStateException("bench.run is compare (the default) or load, not " + run);
        }
        progress("Starting the DrChrono sandbox and Keycloak " + settings.keycloakVersion() + " (start-dev) with "
                + settings.providerJar().getFileName() + "; server log: " + settings.workDir().resolve("keycloak.log"));
        String markdown;
        long started = System.nanoTime();
        try (BenchEnvironment env = BenchEnvironment.start(settings)) {
            progress("Keycloak ready after " + secondsSince(started) + " s");
            progress("Token without refresh: " + settings.warmup() + " warm-up and " + settings.calls()
                    + " measured calls per route");
            double loadAverage = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            started = System.nanoTime();
            Map<Route, Latency> latency = new LatencyComparison(env, settings).run();
            progress("... done in " + secondsSince(started) + " s. Refresh storm: " + settings.callers()
                    + " concurrent callers per provider");
            started = System.nanoTime();
            RefreshStorm storm = new RefreshStorm(env, settings);
            List<StormResult> storms = new ArrayList<>();
            for (Duration refreshLatency : List.of(settings.refreshLatency(), settings.slowRefresh())) {
                storms.add(storm.run(Provider.STOCK, refreshLatency));
                storms.add(storm.run(Provider.OURS, refreshLatency));
            }
            progress("... done in " + secondsSince(started) + " s");
            List<StormResult> clusterStorms = List.of();
            if (settings.cluster()) {
                progress("Refresh storm on two clustered nodes sharing an embedded PostgreSQL: starting them");
                started = System.nanoTime();
                clusterStorms = clusterStorms(settings, env);
                progress("... done in " + secondsSince(started) + " s");
            }
            markdown = new Report(settings, env.keycloakVersion(), loadAverage).render(latency, storms, clusterStorms);
        }
        System.out.println();
        System.out.print(markdown);
        write(settings, markdown);
        progress("Written to " + settings.results());
    }

    /**
     * Both providers' storm with the callers split between two production-mode nodes, clustered, on one
     * PostgreSQL; the sandbox is the one-node run's.
     */
    private static List<StormResult> clusterStorms(BenchSettings settings, BenchEnvironment env) {
        Path target = settings.workDir().toAbsolutePath().getParent().resolve("cluster");
        try (TwoNodeCluster cluster = TwoNodeCluster.start(settings.distribution(), settings.providerJar(), target)) {
            RefreshStorm storm = new RefreshStorm(BenchEnvironment.onNode(env.sandbox, cluster.node1), settings);
            List<KeycloakServer> nodes = List.of(cluster.node1, cluster.node2);
            return List.of(storm.run(Provider.STOCK, settings.refreshLatency(), nodes),
                    storm.run(Provider.OURS, settings.refreshLatency(), nodes));
        }
    }

    /**
     * The load run: linked users, concurrent backends on the service endpoint, tokens falling due meanwhile. Prints
     * a Markdown table, also to {@code benchmarks/target/load-results.md}, and the server's drchrono_ metrics.
     */
    private static void load(BenchSettings settings, LoadSettings load) {
        progress("Starting the DrChrono sandbox and Keycloak " + settings.keycloakVersion() + " (start-dev) with "
                + settings.providerJar().getFileName() + "; server log: " + settings.workDir().resolve("keycloak.log"));
        String markdown;
        List<String> metrics;
        long started = System.nanoTime();
        try (BenchEnvironment env = BenchEnvironment.start(settings)) {
            progress("Keycloak ready after " + secondsSince(started) + " s. Linking " + load.users() + " users ("
                    + load.expiring() + " with tokens falling due during the run), then " + load.callers()
                    + " callers for " + load.duration().toSeconds() + " s");
            LoadRun.Result result = new LoadRun(env, load).run();
            markdown = new LoadReport(env.keycloakVersion(), settings.providerVersion()).render(result);
            metrics = env.metrics().lines("drchrono_");
        }
        System.out.println();
        System.out.print(markdown);
        System.out.println("Keycloak's /metrics, drchrono_ series at the end of the run:");
        metrics.forEach(System.out::println);
        write(load.results(), markdown + "\n```\n" + String.join("\n", metrics) + "\n```\n");
        progress("Written to " + load.results());
    }

    private static void write(BenchSettings settings, String markdown) {
        write(settings.results(), markdown);
    }

    private static void write(Path results, String markdown) {
        try {
            Files.createDirectories(results.getParent());
            Files.writeString(results, markdown, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + results, e);
        }
    }

    private static long secondsSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1_000_000_000L;
    }

    static void progress(String line) {
        System.out.println("[bench] " + line);
    }
}
