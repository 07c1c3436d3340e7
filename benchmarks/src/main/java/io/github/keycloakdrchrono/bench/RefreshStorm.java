package io.github.keycloakdrchrono.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.keycloakdrchrono.launcher.KeycloakServer;
import io.github.keycloakdrchrono.sandbox.Endpoint;
import io.github.keycloakdrchrono.sandbox.Fault;
import io.github.keycloakdrchrono.sandbox.TokenPair;

/**
 * Many callers at once on a stored token that is due for refresh, with DrChrono slow to refresh and rotating
 * refresh tokens: each refresh kills the refresh token it used, so only one of several concurrent refreshes can
 * succeed.
 */
final class RefreshStorm {

    /** Well inside both providers' 300-second refresh margin, and still valid: due, not dead. */
    private static final int SHORT_LIFETIME_SECONDS = 60;

    private final BenchEnvironment env;
    private final BenchSettings settings;

    RefreshStorm(BenchEnvironment env, BenchSettings settings) {
        this.env = env;
        this.settings = settings;
    }

    StormResult run(Provider provider, Duration refreshLatency) {
        return run(provider, refreshLatency, List.of(env.keycloak));
    }

    /**
     * The storm with the callers spread over the given nodes in turn (caller i asks node i mod n); the realm is
     * created and the user signed in through the environment's server, which must be one of them.
     */
    StormResult run(Provider provider, Duration refreshLatency, List<KeycloakServer> nodes) {
        BenchRealm realm = BenchRealm.create(env, provider, "storm");
        if (nodes.size() > 1) {
            warmUpEveryNode(realm, nodes);
        }
        String appToken = signInWithShortLivedToken(realm);
        warmUp(perCaller(nodes, node -> realm.userInfoRequest(node, appToken)));
        List<HttpRequest> requests = perCaller(nodes, node -> realm.brokerTokenRequest(node, appToken));

        env.sandbox.faults().refreshLatency(refreshLatency);
        List<Answer> answers;
        long refreshCalls;
        try {
            long before = env.sandbox.counters().get(Endpoint.TOKEN_REFRESH);
            answers = concurrently(requests);
            refreshCalls = env.sandbox.counters().get(Endpoint.TOKEN_REFRESH) - before;
        } finally {
            env.sandbox.faults().refreshLatency(Duration.ZERO);
        }

        Set<String> handedOut = new HashSet<>();
        Map<String, Long> others = new TreeMap<>();
        double slowest = 0;
        for (Answer answer : answers) {
            slowest = Math.max(slowest, answer.millis);
            if (answer.accessToken != null) {
                handedOut.add(answer.accessToken);
            } else {
                others.merge(answer.status + " " + answer.kind, 1L, Long::sum);
            }
        }
        int working = (int) handedOut.stream().filter(env.sandbox.tokens()::isAccessTokenValid).count();
        int served = (int) answers.stream().filter(answer -> answer.accessToken != null).count();
        Answer next = Answer.of(realm.brokerToken(appToken), 0);
        boolean nextWorks = next.accessToken != null && env.sandbox.tokens().isAccessTokenValid(next.accessToken);
        return new StormResult(provider, nodes.size(), refreshLatency, settings.callers(), refreshCalls, served,
                handedOut.size(), working, others, slowest, next.status, nextWorks);
    }

    private List<HttpRequest> perCaller(List<KeycloakServer> nodes, Function<KeycloakServer, HttpRequest> request) {
        List<HttpRequest> requests = new ArrayList<>();
        for (int i = 0; i < settings.callers(); i++) {
            requests.add(request.apply(nodes.get(i % nodes.size())));
        }
        return requests;
    }

    /**
     * A first sign-in with DrChrono's usual 48-hour token and one hand-out on each node, so that every node has
     * loaded the realm, the provider and the user's link before the storm (as TwoNodeTokenIT does). Without it the
     * other nodes' callers arrive after the first node's refresh is stored, and the storm is not one.
     */
    private void warmUpEveryNode(BenchRealm realm, List<KeycloakServer> nodes) {
        String appToken = realm.signIn();
        for (KeycloakServer node : nodes) {
            HttpResponse<String> response = Http.send(env.app, realm.brokerTokenRequest(node, appToken));
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Warming up " + node.baseUrl() + ": the broker token endpoint "
                        + "answered " + response.statusCode());
            }
        }
    }

    /**
     * Signs the user in with DrChrono's code exchange answering a real sandbox token pair that expires in 60 s (as
     * integration-tests' BrokeredTokenIT does), so the stored token is due for refresh at the first hand-out.
     */
    private String signInWithShortLivedToken(BenchRealm realm) {
        TokenPair pair = env.sandbox.tokens().issue(realm.sandboxClientId(), BenchRealm.USER, "user:read");
        ObjectNode answer = Http.JSON.createObjectNode()
                .put("access_token", pair.accessToken())
                .put("token_type", "Bearer")
                .put("expires_in", SHORT_LIFETIME_SECONDS)
                .put("scope", pair.scope())
                .put("refresh_token", pair.refreshToken());
        env.sandbox.faults().next(Endpoint.TOKEN_CODE, Fault.json(200, answer.toString()));
        return realm.signIn();
    }

    /**
     * Opens one kept-alive connection per caller, as an app's pool would hold, and takes Keycloak's token checks
     * for this realm through their first run. Without it the callers' requests trickle in over connection set-up
     * and cold code, and those arriving after the first refresh has been stored find no refresh due: a storm that
     * is partly sequential.
     */
    private void warmUp(List<HttpRequest> userInfo) {
        for (Answer answer : concurrently(userInfo)) {
            if (answer.status != 200) {
                throw new IllegalStateException("Warming up the storm's connections: user info answered "
                        + answer.status);
            }
        }
    }

    /** All callers are released together, so their requests reach Keycloak within the same few milliseconds. */
    private List<Answer> concurrently(List<HttpRequest> requests) {
        int callers = requests.size();
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch ready = new CountDownLatch(callers);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Answer>> futures = new ArrayList<>();
            for (HttpRequest request : requests) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    long start = System.nanoTime();
                    HttpResponse<String> response = Http.send(env.app, request);
                    return Answer.of(response, (System.nanoTime() - start) / 1_000_000.0);
                }));
            }
            ready.await();
            go.countDown();
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> future : futures) {
                answers.add(future.get());
            }
            return answers;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during the refresh storm", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("A storm caller failed to get any answer", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * One caller's answer; the access token is kept only to compare and check it, never shown.
     *
     * @param kind what the body is, for errors: an app handles JSON, not an HTML error page
     */
    private record Answer(int status, String kind, String accessToken, double millis) {

        static Answer of(HttpResponse<String> response, double millis) {
            String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            String kind = type.contains("json") ? "JSON" : type.contains("html") ? "HTML" : "other";
            String token = null;
            if (response.statusCode() == 200 && kind.equals("JSON")) {
                JsonNode body = Http.read(response.body());
                token = body.path("access_token").isTextual() ? body.path("access_token").asText() : null;
            }
            return new Answer(response.statusCode(), kind, token, millis);
        }

        @Override
        public String toString() {
            return "Answer[status=" + status + ", " + kind + ", token="
                    + (accessToken == null ? "absent" : "present") + "]";
        }
    }
}
