package io.github.keycloakdrchrono.bench;

import java.net.http.HttpClient;
import java.time.Duration;

import io.github.keycloakdrchrono.launcher.AdminClient;
import io.github.keycloakdrchrono.launcher.KeycloakServer;
import io.github.keycloakdrchrono.sandbox.DrChronoSandbox;

/**
 * One sandbox and one Keycloak (start-dev, its H2 database) with our jar in providers/; stock Keycloak's OAuth 2.0
 * provider is built in, so both providers run in the same server and the same run.
 */
final class BenchEnvironment implements AutoCloseable {

    final DrChronoSandbox sandbox;
    final KeycloakServer keycloak;
    final AdminClient admin;
    /**
     * The app's client for every broker-token call. HTTP/1.1 so that the sequential calls reuse one kept-alive
     * connection, as an app's pooled client would, instead of measuring connection set-up.
     */
    final HttpClient app = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private BenchEnvironment(DrChronoSandbox sandbox, KeycloakServer keycloak) {
        this.sandbox = sandbox;
        this.keycloak = keycloak;
        this.admin = new AdminClient(keycloak);
    }

    static BenchEnvironment start(BenchSettings settings) {
        DrChronoSandbox sandbox = DrChronoSandbox.builder().withDemoUsers().build().start();
        KeycloakServer.Builder builder = KeycloakServer.builder()
                .distribution(settings.distribution())
                .workDir(settings.workDir())
                .provider(settings.providerJar())
                .httpPort(0)
                .managementPort(0)
                .adminUser("admin", "admin")
                .freshData(true)
                .heap("-Xms512m -Xmx1g")
                .startupTimeout(Duration.ofMinutes(5));
        if (!settings.serverJavaOpts().isEmpty()) {
            builder.env("JAVA_OPTS_APPEND", settings.serverJavaOpts());
        }
        KeycloakServer keycloak = builder.build();
        try {
            keycloak.start();
        } catch (RuntimeException e) {
            sandbox.stop();
            throw e;
        }
        return new BenchEnvironment(sandbox, keycloak);
    }

    /**
     * A view on node 1 of a cluster, with the given sandbox, for creating realms and signing in there; closing the
     * cluster and the sandbox stays with their owners.
     */
    static BenchEnvironment onNode(DrChronoSandbox sandbox, KeycloakServer node) {
        return new BenchEnvironment(sandbox, node);
    }

    /** A fresh reading of the server's metrics endpoint. */
    PrometheusText metrics() {
        return PrometheusText.read(this);
    }

    /** The version the running server reports, rather than the one the build asked for. */
    String keycloakVersion() {
        return admin.get("/admin/serverinfo").path("systemInfo").path("version").asText("unknown");
    }

    @Override
    public void close() {
        try {
            keycloak.stop();
        } finally {
            sandbox.stop();
        }
    }
}
