package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.github.keycloakdrchrono.launcher.KeycloakServer;
import io.github.keycloakdrchrono.sandbox.DrChronoSandbox;
import io.github.keycloakdrchrono.sandbox.Endpoint;
import io.github.keycloakdrchrono.sandbox.Fault;
import io.github.keycloakdrchrono.sandbox.TokenPair;
import io.github.keycloakdrchrono.testkit.Browser;
import io.github.keycloakdrchrono.testkit.TwoNodeCluster;

/**
 * The brokered token on two Keycloak nodes that share one PostgreSQL database, as a production cluster runs: the
 * row lock on the user's link must make callers on both nodes wait for one refresh at DrChrono, because with
 * refresh-token rotation a second refresh would kill the first one's token. A lock held in one JVM would pass
 * {@link BrokeredTokenIT} and fail here.
 */
@DisplayName("Brokered DrChrono tokens on two Keycloak nodes sharing one PostgreSQL database")
class TwoNodeTokenIT {

    private static final int CALLERS_PER_NODE = 15;

    private static DrChronoSandbox sandbox;
    private static TwoNodeCluster cluster;

    @BeforeAll
    static void startCluster() {
        sandbox = DrChronoSandbox.builder().withDemoUsers().build().start();
        cluster = TwoNodeCluster.start(Path.of(TestProperties.required("keycloak.dist.zip")),
                Path.of(TestProperties.required("provider.jar")),
                Path.of(TestProperties.required("keycloak.work.dir")).toAbsolutePath().getParent());
    }

    @AfterAll
    static void stopCluster() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (sandbox != null) {
                sandbox.stop();
            }
        }
    }

    @AfterEach
    void resetSandbox() {
        sandbox.reset();
    }

    /**
     * Signs jhollis in through node 1, with DrChrono's code exchange answering a real sandbox token pair that
     * expires in 60 s, so the first hand-out must refresh (the default margin is 300 s). Returns the app's
     * Keycloak access token.
     */
    private static String signInWithShortLivedToken(TwoNodeRealm realm, TokenPair[] pairOut) {
        pairOut[0] = KnownTokens.nextCodeExchange(sandbox, realm.name, "jhollis", 60);
        Browser.Page landed = realm.signIn(new Browser(), "jhollis");
        assertThat(landed.atApp()).as(landed.text()).isTrue();
        return realm.appTokens(landed.param("code")).path("access_token").asText();
    }

    /**
     * Signs jhollis in with DrChrono's usual 48-hour token and has each node hand it out once, so that both have
     * loaded the realm, the provider and the user before the storm. Otherwise node 2's callers arrive late, after
     * node 1's refresh is committed, and the test would pass even with a lock that works only within one JVM.
     */
    private static void warmUpBothNodes(TwoNodeRealm realm) {
        Browser.Page landed = realm.signIn(new Browser(), "jhollis");
        assertThat(landed.atApp()).as(landed.text()).isTrue();
        String appToken = realm.appTokens(landed.param("code")).path("access_token").asText();
        for (KeycloakServer node : List.of(cluster.node1, cluster.node2)) {
            HttpResponse<String> handedOut = realm.brokerToken(node, appToken);
            assertThat(handedOut.statusCode()).as(handedOut.body()).isEqualTo(200);
        }
        assertThat(sandbox.counters().get(Endpoint.TOKEN_REFRESH)).as("refreshes while warming up").isZero();
    }

    @Nested
    @DisplayName("given both nodes started")
    class Started {

        @Test
        @DisplayName("then they form one Infinispan cluster, having found each other through the shared database")
        void oneCluster() throws Exception {
            // Infinispan logs each membership change; two members means JDBC_PING discovery and the loopback
            // transport both work, so the caches of the two nodes invalidate each other as in production.
            Pattern twoMembers = Pattern.compile("ISPN000094: Received new cluster view for channel ISPN: .* "
                    + "\\(2\\)");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String log = Files.readString(cluster.node2.logFile());
            while (!twoMembers.matcher(log).find() && System.nanoTime() < deadline) {
                Thread.sleep(500);
                log = Files.readString(cluster.node2.logFile());
            }

            assertThat(log).containsPattern(twoMembers);
        }
    }

    @Nested
    @DisplayName("given jhollis signed in through node 1 with a stored token that expires within the margin")
    class SignedInThroughNode1 {

        @Test
        @DisplayName("then node 2 accepts the Keycloak access token that node 1 issued")
        void node2AcceptsNode1sToken() {
            try (TwoNodeRealm realm = TwoNodeRealm.create(cluster, sandbox)) {
                String appToken = signInWithShortLivedToken(realm, new TokenPair[1]);

                HttpResponse<String> userInfo = realm.userInfo(cluster.node2, appToken);

                assertThat(userInfo.statusCode()).as(userInfo.body()).isEqualTo(200);
                assertThat(TestRealm.read(userInfo.body()).path("preferred_username").asText()).isEqualTo("jhollis");
            }
        }

        @Test
        @DisplayName("then 30 callers split across both nodes cause one refresh at DrChrono and all get the same "
                + "live token")
        void stormAcrossNodes() throws Exception {
            try (TwoNodeRealm realm = TwoNodeRealm.create(cluster, sandbox)) {
                warmUpBothNodes(realm);
                TokenPair[] original = new TokenPair[1];
                String appToken = signInWithShortLivedToken(realm, original);
                sandbox.faults().refreshLatency(Duration.ofMillis(300));
                long refreshesBefore = sandbox.counters().get(Endpoint.TOKEN_REFRESH);

                List<Answer> answers = concurrently(realm, appToken, cluster.node1, cluster.node2);

                assertThat(answers.stream().collect(Collectors.groupingBy(Answer::node, Collectors.counting())))
                        .as("answers per node")
                        .containsOnly(entry(cluster.node1, (long) CALLERS_PER_NODE),
                                entry(cluster.node2, (long) CALLERS_PER_NODE));
                assertThat(answers).allSatisfy(answer -> assertThat(answer.response().statusCode())
                        .as("%s answered %s", answer.node().baseUrl(), answer.response().body()).isEqualTo(200));
                Set<String> handedOut = answers.stream()
                        .map(answer -> TestRealm.read(answer.response().body()).path("access_token").asText())
                        .collect(Collectors.toSet());
                assertThat(handedOut).hasSize(1);
                String token = handedOut.iterator().next();
                assertThat(token).isNotEqualTo(original[0].accessToken());
                assertThat(sandbox.tokens().isAccessTokenValid(token)).isTrue();
                assertThat(sandbox.counters().get(Endpoint.TOKEN_REFRESH) - refreshesBefore)
                        .as("refreshes that reached DrChrono").isEqualTo(1);
                assertThat(realm.events("IDENTITY_PROVIDER_RETRIEVE_TOKEN")).hasSize(2 * CALLERS_PER_NODE + 2);
            }
        }

        @Test
        @DisplayName("then a token stored in plain text, as stock Keycloak stores it, still hands out and is "
                + "encrypted at its first use, without a refresh")
        void plainTextTokenFromBefore() throws Exception {
            try (TwoNodeRealm realm = TwoNodeRealm.create(cluster, sandbox)) {
                TokenPair pair = KnownTokens.nextCodeExchange(sandbox, realm.name, "jhollis", 172_800);
                Browser.Page landed = realm.signIn(new Browser(), "jhollis");
                String appToken = realm.appTokens(landed.param("code")).path("access_token").asText();
                // What Keycloak's own OAuth 2.0 providers store, in clear, before this extension is installed.
                String stock = "{\"access_token\":\"" + pair.accessToken() + "\",\"expires_in\":172800,"
                        + "\"refresh_token\":\"" + pair.refreshToken() + "\",\"token_type\":\"Bearer\","
                        + "\"scope\":\"user:read\",\"accessTokenExpiration\":"
                        + (System.currentTimeMillis() / 1000 + 172_000) + "}";
                assertThat(storedToken(realm, stock)).as("rows rewritten").isEqualTo(1);
                // Keycloak caches users and their links; the write above went around the cache.
                cluster.admin.post("/admin/realms/" + realm.name + "/clear-user-cache", "");

                HttpResponse<String> handedOut = realm.brokerToken(cluster.node2, appToken);

                assertThat(handedOut.statusCode()).as(handedOut.body()).isEqualTo(200);
                assertThat(TestRealm.read(handedOut.body()).path("access_token").asText())
                        .isEqualTo(pair.accessToken());
                assertThat(storedToken(realm, null)).as("stored value after the hand-out")
                        .asString().startsWith("drchrono-enc:v1:").doesNotContain(pair.refreshToken());
                assertThat(sandbox.counters().get(Endpoint.TOKEN_REFRESH)).isZero();
            }
        }

        /** Writes the stored token of jhollis's link when {@code value} is given, else reads it. */
        private Object storedToken(TwoNodeRealm realm, String value) throws java.sql.SQLException {
            String where = " where identity_provider = 'drchrono' and federated_user_id = '480112'"
                    + " and realm_id = (select id from realm where name = ?)";
            try (Connection connection = cluster.database()) {
                if (value != null) {
                    try (var update = connection.prepareStatement("update federated_identity set token = ?" + where)) {
                        update.setString(1, value);
                        update.setString(2, realm.name);
                        return update.executeUpdate();
                    }
                }
                try (var query = connection.prepareStatement("select token from federated_identity" + where)) {
                    query.setString(1, realm.name);
                    try (var rows = query.executeQuery()) {
                        return rows.next() ? rows.getString(1) : null;
                    }
                }
            }
        }

        @Test
        @DisplayName("then a dump of every table holds no DrChrono token after a refresh, though it holds the user")
        void databaseHoldsNoToken() throws Exception {
            try (TwoNodeRealm realm = TwoNodeRealm.create(cluster, sandbox)) {
                TokenPair[] original = new TokenPair[1];
                String appToken = signInWithShortLivedToken(realm, original);
                HttpResponse<String> refreshed = realm.brokerToken(cluster.node2, appToken);
                HttpResponse<String> again = realm.brokerToken(cluster.node1, appToken);
                assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
                assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
                String handedOut = TestRealm.read(refreshed.body()).path("access_token").asText();
                assertThat(TestRealm.read(again.body()).path("access_token").asText()).isEqualTo(handedOut);

                DatabaseDump dump;
                try (Connection connection = cluster.database()) {
                    dump = DatabaseDump.of(connection);
                }

                assertThat(dump.text).as("the scan sees stored data").contains("jordan.hollis@example.org");
                assertThat(dump.text).doesNotContain(original[0].accessToken(), original[0].refreshToken(),
                        handedOut);
                // The refresh token DrChrono issued in the refresh is known only to Keycloak, so ask the sandbox
                // about every word that looks like a token instead of searching for it.
                assertThat(dump.tokenShapedWords())
                        .filteredOn(word -> sandbox.tokens().isAccessTokenValid(word)
                                || sandbox.tokens().isRefreshTokenValid(word))
                        .as("live DrChrono tokens in the dump of %s tables", dump.tables)
                        .isEmpty();
            }
        }
    }

    /** One caller's answer and the node that gave it. */
    private record Answer(KeycloakServer node, HttpResponse<String> response) {
    }

    /**
     * {@value #CALLERS_PER_NODE} callers per node, all released at once so that they overlap the 300 ms refresh
     * instead of queueing behind the thread pool's start-up.
     */
    private static List<Answer> concurrently(TwoNodeRealm realm, String appToken, KeycloakServer... nodes)
            throws Exception {
        int callers = CALLERS_PER_NODE * nodes.length;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch ready = new CountDownLatch(callers);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Answer>> futures = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                KeycloakServer node = nodes[i % nodes.length];
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return new Answer(node, realm.brokerToken(node, appToken));
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).as("all callers ready").isTrue();
            go.countDown();
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> future : futures) {
                answers.add(future.get(2, TimeUnit.MINUTES));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
