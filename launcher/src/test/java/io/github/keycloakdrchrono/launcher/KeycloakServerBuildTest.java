package io.github.keycloakdrchrono.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Production starts run kc.sh build only when something that reaches the build changed. */
@DisplayName("KeycloakServer in production mode, with a fake kc.sh")
class KeycloakServerBuildTest {

    @TempDir
    Path tmp;

    /** A kc.sh that notes each build in builds.txt of its home and otherwise starts the fake Keycloak. */
    private Path countingDistribution() throws IOException {
        return TestDistributions.unpacked(tmp.resolve("dist"), "#!/bin/sh\n"
                + "HOME_DIR=\"$(dirname \"$0\")/..\"\n"
                + "if [ \"$1\" = build ]; then echo \"$*\" >> \"$HOME_DIR/builds.txt\"; exit 0; fi\n"
                + "trap 'kill -TERM $PID; wait $PID; exit 143' TERM INT\n"
                + "\"$JAVA\" \"$HOME_DIR/FakeKeycloak.java\" \"$@\" &\n"
                + "PID=$!\n"
                + "wait $PID\n");
    }

    private KeycloakServer.Builder node(Path distribution, String workDir, int clusterPort) {
        return KeycloakServer.builder()
                .distribution(distribution)
                .workDir(tmp.resolve(workDir))
                .devMode(false)
                .startupTimeout(Duration.ofSeconds(60))
                .option("db", "postgres")
                .option("db-url", "jdbc:postgresql://localhost:" + (5000 + clusterPort) + "/postgres")
                .option("hostname", "http://localhost:" + (8000 + clusterPort))
                .option("cache-embedded-network-bind-address", "127.0.0.1")
                .option("cache-embedded-network-bind-port", String.valueOf(7000 + clusterPort));
    }

    private static List<String> builds(Path home) throws IOException {
        Path file = home.resolve("builds.txt");
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Test
    @DisplayName("does not rebuild when only run-time options such as the database URL or cluster port change")
    void runtimeOptionsDoNotRebuild() throws IOException {
        Path dist = countingDistribution();
        try (KeycloakServer first = node(dist, "kc", 1).build()) {
            first.start();
        }
        try (KeycloakServer again = node(dist, "kc", 2).build()) {
            again.start();

            assertThat(builds(again.home())).hasSize(1);
        }
    }

    @Test
    @DisplayName("rebuilds when a build option changes")
    void buildOptionRebuilds() throws IOException {
        Path dist = countingDistribution();
        try (KeycloakServer first = node(dist, "kc", 1).build()) {
            first.start();
        }
        try (KeycloakServer other = node(dist, "kc", 1).option("db", "mariadb").build()) {
            other.start();

            assertThat(builds(other.home())).hasSize(2);
            assertThat(builds(other.home()).get(1)).contains("--db=mariadb");
        }
    }

    @Test
    @DisplayName("reuses the build of another server's home for a second node of the same cluster")
    void secondNodeReusesTheFirstNodesBuild() throws IOException {
        Path dist = countingDistribution();
        try (KeycloakServer node1 = node(dist, "node1", 1).build()) {
            node1.start();
            try (KeycloakServer node2 = node(node1.home(), "node2", 2).build()) {
                node2.start();

                assertThat(builds(node1.home())).hasSize(1);
                assertThat(builds(node2.home())).as("the copy of node 1's builds.txt, and no build of its own")
                        .hasSize(1);
            }
        }
    }
}
