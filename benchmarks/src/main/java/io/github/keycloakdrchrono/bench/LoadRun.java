package io.github.keycloakdrchrono.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.keycloakdrchrono.sandbox.Endpoint;
import io.github.keycloakdrchrono.sandbox.Fault;
import io.github.keycloakdrchrono.sandbox.SandboxUser;
import io.github.keycloakdrchrono.sandbox.TokenPair;

/**
 * Many linked users, several backends calling the service endpoint round-robin over them for a fixed time, and a
 * slice of the users' stored tokens falling due for refresh one after another during the run. Counts what the
 * backends got and what reached DrChrono; asserts nothing.
 */
final class LoadRun {

    /** The provider's default refresh margin: a stored token is refreshed this long before it expires. */
    private static final long MARGIN_SECONDS = 300;

    private final BenchEnvironment env;
    private final LoadSettings settings;

    LoadRun(BenchEnvironment env, LoadSettings settings) {
        this.env = env;
        this.settings = settings;
    }

    /** What the report needs. */
    record Result(int users, int expiring, int callers, Duration duration, long calls, double seconds,
            long[] sortedNanos, Map<String, Long> errors, long refreshCalls, double refreshSuccessMetric,
            int expiringRequestedWhenDue, int expiringValidAfter, Memory before, Memory after, Duration linking,
            double loadAverage) {
    }

    /** The server's memory: the Keycloak JVM's resident set (from /proc) and its used heap (from /metrics). */
    record Memory(long rssBytes, double heapUsedBytes) {
    }

    Result run() {
        BenchRealm realm = BenchRealm.create(env, Provider.OURS, "load");
        String serviceToken = realm.serviceAccountToken();
        List<String> usernames = new ArrayList<>();
        for (int i = 0; i < settings.users(); i++) {
            String username = String.format("load-doctor-%03d", i);
            env.sandbox.users().add(SandboxUser.doctor(910_000L + i, username, 810_000L + i)
                    .name("Load", "Doctor " + i).email(username + "@example.org").build());
            usernames.add(username);
        }

        long linkStart = System.nanoTime();
        List<String> steady = usernames.subList(settings.expiring(), usernames.size());
        signInAll(realm, steady);
        double secondsPerLogin = (System.nanoTime() - linkStart) / 1e9 / Math.max(1, steady.size())
                * settings.loginThreads();
        // The slice signs in last, one at a time (each login's code exchange answers a scripted token pair), with
        // stored expiries chosen so that the tokens fall due one after another between 10 % and 70 % of the run:
        // late enough to be during the run, early enough for the round-robin to come back to each of them.
        RunBenchmarks.progress(steady.size() + " users linked; now the " + settings.expiring()
                + " whose tokens fall due, one at a time");
        long plannedStart = nowSeconds() + (long) Math.ceil(settings.expiring() * secondsPerLogin * 2) + 5;
        long[] dueAt = new long[settings.expiring()];
        long runSeconds = settings.duration().toSeconds();
        for (int i = 0; i < settings.expiring(); i++) {
            long dueAfter = runSeconds / 10 + (runSeconds * 6 / 10) * i / Math.max(1, settings.expiring() - 1);
            dueAt[i] = plannedStart + dueAfter;
            signInExpiring(realm, usernames.get(i), dueAt[i] - nowSeconds() + MARGIN_SECONDS);
        }
        Duration linking = Duration.ofNanos(System.nanoTime() - linkStart);
        Map<String, String> ids = userIds(realm);
        List<String> userIds = usernames.stream().map(ids::get).toList();
        if (userIds.contains(null)) {
            throw new IllegalStateException("Not every load user was created in " + realm.name);
        }
        sleepUntil(plannedStart);
        RunBenchmarks.progress("All " + settings.users() + " users linked in " + linking.toSeconds() + " s; "
                + settings.callers() + " callers for " + settings.duration().toSeconds() + " s");

        Memory before = memory();
        double loadAverage = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        double refreshMetricBefore = refreshSuccessMetric();
        long refreshBefore = env.sandbox.counters().get(Endpoint.TOKEN_REFRESH);
        Calls calls = callFor(realm, serviceToken, userIds);
        long refreshCalls = env.sandbox.counters().get(Endpoint.TOKEN_REFRESH) - refreshBefore;
        double refreshMetric = refreshSuccessMetric() - refreshMetricBefore;
        Memory after = memory();

        int requestedWhenDue = 0;
        for (int i = 0; i < settings.expiring(); i++) {
            // A second's margin: Keycloak compares expiries in whole seconds.
            if (calls.lastStartMillis.get(i) > dueAt[i] * 1000 + 1000) {
                requestedWhenDue++;
            }
        }
        int validAfter = 0;
        for (int i = 0; i < settings.expiring(); i++) {
            HttpResponse<String> response = Http.send(env.app, tokenRequest(realm, serviceToken, userIds.get(i)));
            if (response.statusCode() == 200 && env.sandbox.tokens().isAccessTokenValid(
                    Http.read(response.body()).path("access_token").asText())) {
                validAfter++;
            }
        }
        return new Result(settings.users(), settings.expiring(), settings.callers(), settings.duration(),
                calls.nanos.length, calls.seconds, calls.nanos, calls.errors, refreshCalls, refreshMetric,
                requestedWhenDue, validAfter, before, after, linking, loadAverage);
    }

    /** Real sign-ins through Keycloak and the sandbox, a few at a time; DrChrono's default token lifetime. */
    private void signInAll(BenchRealm realm, List<String> usernames) {
        ExecutorService pool = Executors.newFixedThreadPool(settings.loginThreads());
        try {
            List<Future<String>> done = new ArrayList<>();
            for (String username : usernames) {
                done.add(pool.submit(() -> realm.signIn(username)));
            }
            for (Future<String> future : done) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while linking users", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Linking a load user failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** A sign-in whose code exchange answers a real sandbox token pair that Keycloak stores as expiring then. */
    private void signInExpiring(BenchRealm realm, String username, long expiresIn) {
        TokenPair pair = env.sandbox.tokens().issue(realm.sandboxClientId(), username, "user:read");
        ObjectNode answer = Http.JSON.createObjectNode()
                .put("access_token", pair.accessToken())
                .put("token_type", "Bearer")
                .put("expires_in", expiresIn)
                .put("scope", pair.scope())
                .put("refresh_token", pair.refreshToken());
        env.sandbox.faults().next(Endpoint.TOKEN_CODE, Fault.json(200, answer.toString()));
        realm.signIn(username);
    }

    private Map<String, String> userIds(BenchRealm realm) {
        Map<String, String> ids = new HashMap<>();
        env.admin.get("/admin/realms/" + realm.name + "/users?briefRepresentation=true&max=" + (settings.users() + 10)
                + "&search=load-doctor-").forEach(user -> ids.put(user.path("username").asText(),
                user.path("id").asText()));
        return ids;
    }

    private HttpRequest tokenRequest(BenchRealm realm, String serviceToken, String userId) {
        return HttpRequest.newBuilder(URI.create(env.keycloak.baseUrl() + "/realms/" + realm.name + "/drchrono/"
                        + Provider.OURS.alias + "/users/" + userId + "/token"))
                .header("Authorization", "Bearer " + serviceToken)
                .timeout(Duration.ofSeconds(60))
                .GET()
                .build();
    }

    /** What the callers saw: every call's latency, the non-200 answers, and when each user was last asked for. */
    private record Calls(long[] nanos, double seconds, Map<String, Long> errors, AtomicLongArray lastStartMillis) {
    }

    private Calls callFor(BenchRealm realm, String serviceToken, List<String> userIds) {
        List<HttpRequest> requests = userIds.stream().map(id -> tokenRequest(realm, serviceToken, id)).toList();
        AtomicInteger cursor = new AtomicInteger();
        AtomicLongArray lastStart = new AtomicLongArray(userIds.size());
        Map<String, Long> errors = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(settings.callers());
        long start = System.nanoTime();
        long end = start + settings.duration().toNanos();
        try {
            List<Future<long[]>> callers = new ArrayList<>();
            for (int c = 0; c < settings.callers(); c++) {
                callers.add(pool.submit(() -> {
                    long[] mine = new long[1024];
                    int count = 0;
                    while (System.nanoTime() < end) {
                        int user = Math.floorMod(cursor.getAndIncrement(), requests.size());
                        lastStart.accumulateAndGet(user, System.currentTimeMillis(), Math::max);
                        long sent = System.nanoTime();
                        String outcome;
                        try {
                            HttpResponse<String> response = env.app.send(requests.get(user),
                                    HttpResponse.BodyHandlers.ofString());
                            outcome = response.statusCode() == 200 ? null : "HTTP " + response.statusCode();
                        } catch (IOException e) {
                            outcome = e.getClass().getSimpleName();
                        }
                        long took = System.nanoTime() - sent;
                        if (outcome != null) {
                            errors.merge(outcome, 1L, Long::sum);
                        }
                        if (count == mine.length) {
                            mine = Arrays.copyOf(mine, count * 2);
                        }
                        mine[count++] = took;
                    }
                    return Arrays.copyOf(mine, count);
                }));
            }
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> caller : callers) {
                all.add(caller.get());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] nanos = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            return new Calls(nanos, seconds, new TreeMap<>(errors), lastStart);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during the load run", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("A load caller failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private Memory memory() {
        long rss = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + env.keycloak.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            rss = -1;
        }
        return new Memory(rss, env.metrics().sum("jvm_memory_used_bytes", "area", "heap"));
    }

    private double refreshSuccessMetric() {
        return env.metrics().sum("drchrono_token_refreshes_total", "outcome", "success");
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    private static void sleepUntil(long epochSecond) {
        long wait = epochSecond * 1000 - System.currentTimeMillis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the run to start", e);
            }
        }
    }
}
