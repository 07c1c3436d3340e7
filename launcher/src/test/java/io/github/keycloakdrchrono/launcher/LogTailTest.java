package io.github.keycloakdrchrono.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("LogTail")
class LogTailTest {

    @TempDir
    Path tmp;

    @Test
    @DisplayName("returns the last lines of a long log")
    void lastLines() throws IOException {
        Path log = tmp.resolve("keycloak.log");
        Files.writeString(log, IntStream.rangeClosed(1, 100_000).mapToObj(i -> "line " + i)
                .collect(Collectors.joining("\n", "", "\n")));

        assertThat(LogTail.lastLines(log, 3)).isEqualTo("line 99998\nline 99999\nline 100000");
    }

    @Test
    @DisplayName("returns a short log whole")
    void shortLog() throws IOException {
        Path log = Files.writeString(tmp.resolve("keycloak.log"), "only\nthese");

        assertThat(LogTail.lastLines(log, 60)).isEqualTo("only\nthese");
    }

    @Test
    @DisplayName("says so when there is no log")
    void missing() {
        assertThat(LogTail.lastLines(tmp.resolve("none.log"), 60)).contains("no log output");
    }
}
