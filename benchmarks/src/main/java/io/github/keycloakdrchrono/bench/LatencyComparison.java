package io.github.keycloakdrchrono.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.github.keycloakdrchrono.sandbox.Endpoint;

/**
 * Broker-token retrieval when no refresh is due: the same user, signed in through each provider, in realms set up
 * alike, fetched sequentially by one app client.
 *
 * <p>The providers take turns in blocks rather than one after the other, so that whatever drifts during the run
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

    Map<Provider, Latency> run() {
        Map<Provider, Caller> callers = new EnumMap<>(Provider.class);
        for (Provider provider : Provider.values()) {
            BenchRealm realm = BenchRealm.create(env, provider, "latency");
            callers.put(provider, new Caller(realm, realm.brokerTokenRequest(realm.signIn())));
        }
        long refreshesBefore = env.sandbox.counters().get(Endpoint.TOKEN_REFRESH);

        for (Caller caller : callers.values()) {
            caller.call(settings.warmup(), null, 0);
        }
        Map<Provider, long[]> samples = new EnumMap<>(Provider.class);
        callers.keySet().forEach(provider -> samples.put(provider, new long[settings.calls()]));
        for (int done = 0, round = 0; done < settings.calls(); done += BLOCK, round++) {
            int count = Math.min(BLOCK, settings.calls() - done);
            // Alternate who goes first, so that neither always runs right after the other's block.
            List<Provider> order = round % 2 == 0 ? List.of(Provider.OURS, Provider.STOCK)
                    : List.of(Provider.STOCK, Provider.OURS);
            for (Provider provider : order) {
                callers.get(provider).call(count, samples.get(provider), done);
            }
        }

        long refreshes = env.sandbox.counters().get(Endpoint.TOKEN_REFRESH) - refreshesBefore;
        if (refreshes != 0) {
            throw new IllegalStateException("The no-refresh comparison caused " + refreshes + " refresh calls at "
                    + "DrChrono; its numbers would not measure what they claim to");
        }
        Map<Provider, Latency> results = new EnumMap<>(Provider.class);
        samples.forEach((provider, nanos) -> results.put(provider, new Latency(provider, nanos)));
        return results;
    }

    /** One provider's app: the same prepared request, sent again and again. */
    private final class Caller {

        private final BenchRealm realm;
        private final HttpRequest request;

        Caller(BenchRealm realm, HttpRequest request) {
            this.realm = realm;
            this.request = request;
        }

        /** Sends {@code count} requests, recording each one's latency into {@code into} from {@code offset}. */
        void call(int count, long[] into, int offset) {
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                HttpResponse<String> response = Http.send(env.app, request);
                long elapsed = System.nanoTime() - start;
                if (response.statusCode() != 200 || !response.body().contains("\"access_token\"")) {
                    throw new IllegalStateException("Broker token call in " + realm.name + " answered "
                            + response.statusCode() + " without an access token; the comparison stops here");
                }
                if (into != null) {
                    into[offset + i] = elapsed;
                }
            }
        }
    }
}
