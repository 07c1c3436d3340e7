package io.github.keycloakdrchrono.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.github.keycloakdrchrono.sandbox.Endpoint;

/**
 * Token retrieval when no refresh is due: the same user, signed in through each provider, in realms set up alike,
 * fetched sequentially by one app client through each {@link Route}.
 *
 * <p>The routes take turns in blocks rather than one after the other, so that whatever drifts during the run
 * (JIT compilation, garbage collection, the H2 file, the machine's other load) falls on both alike.
 */
final class LatencyComparison {

    private static final int BLOCK = 100;

    private final BenchEnvironment env;
    private final BenchSettings settings;

    LatencyComparison(BenchEnvironment env, BenchSettings settings) {
        this.env = env;
        this.settings = settings;
    }

    Map<Route, Latency> run() {
        Map<Route, Caller> callers = new EnumMap<>(Route.class);
        for (Provider provider : Provider.values()) {
            BenchRealm realm = BenchRealm.create(env, provider, "latency");
            String appToken = realm.signIn();
            String serviceAccountToken = realm.serviceAccountToken();
            if (provider == Provider.OURS) {
                callers.put(Route.OURS_BROKER, new Caller(Route.OURS_BROKER, realm.brokerTokenRequest(appToken)));
                callers.put(Route.OURS_SERVICE, new Caller(Route.OURS_SERVICE,
                        realm.serviceEndpointRequest(serviceAccountToken)));
            } else {
                callers.put(Route.STOCK_BROKER, new Caller(Route.STOCK_BROKER, realm.brokerTokenRequest(appToken)));
                callers.put(Route.STOCK_SERVICE_ACCOUNT, new Caller(Route.STOCK_SERVICE_ACCOUNT,
                        realm.userInfoRequest(env.keycloak, serviceAccountToken)));
            }
        }
        long refreshesBefore = env.sandbox.counters().get(Endpoint.TOKEN_REFRESH);

        for (Caller caller : callers.values()) {
            caller.call(settings.warmup(), null, 0);
        }
        Map<Route, long[]> samples = new EnumMap<>(Route.class);
        callers.keySet().forEach(route -> samples.put(route, new long[settings.calls()]));
        List<Route> order = new ArrayList<>(callers.keySet());
        for (int done = 0; done < settings.calls(); done += BLOCK) {
            int count = Math.min(BLOCK, settings.calls() - done);
            for (Route route : order) {
                callers.get(route).call(count, samples.get(route), done);
            }
            // Rotate who goes first, so that none always runs right after the same other block.
            Collections.rotate(order, 1);
        }

        long refreshes = env.sandbox.counters().get(Endpoint.TOKEN_REFRESH) - refreshesBefore;
        if (refreshes != 0) {
            throw new IllegalStateException("The no-refresh comparison caused " + refreshes + " refresh calls at "
                    + "DrChrono; its numbers would not measure what they claim to");
        }
        Map<Route, Latency> results = new EnumMap<>(Route.class);
        samples.forEach((route, nanos) -> results.put(route, new Latency(route, nanos)));
        return results;
    }

    /** One route's caller: the same prepared request, sent again and again. */
    private final class Caller {

        private final Route route;
        private final HttpRequest request;

        Caller(Route route, HttpRequest request) {
            this.route = route;
            this.request = request;
        }

        /** Sends {@code count} requests, recording each one's latency into {@code into} from {@code offset}. */
        void call(int count, long[] into, int offset) {
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                HttpResponse<String> response = Http.send(env.app, request);
                long elapsed = System.nanoTime() - start;
                if (response.statusCode() != 200 || !response.body().contains(route.expected)) {
                    throw new IllegalStateException(route + " (" + request.uri() + ") answered "
                            + response.statusCode() + " without " + route.expected + "; the comparison stops here");
                }
                if (into != null) {
                    into[offset + i] = elapsed;
                }
            }
        }
    }
}
