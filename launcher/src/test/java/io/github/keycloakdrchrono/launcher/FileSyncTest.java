package io.github.keycloakdrchrono.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Provider jars and realm imports")
class FileSyncTest {

    @TempDir
    Path tmp;

    @Nested
    @DisplayName("sync")
    class Sync {

        @Test
        @DisplayName("copies the listed files")
        void copies() throws IOException {
            Path a = TestDistributions.jar(tmp.resolve("build"), "a.jar", "A");
            Path providers = tmp.resolve("home/providers");

            FileSync.sync(providers, List.of(a), ".jar");

            assertThat(providers.resolve("a.jar")).hasContent("A");
        }

        @Test
        @DisplayName("replaces an older copy of the same file name")
        void replacesOlderCopy() throws IOException {
            Path providers = tmp.resolve("providers");
            TestDistributions.jar(providers, "a.jar", "old build");
            Path a = TestDistributions.jar(tmp.resolve("build"), "a.jar", "new build");

            FileSync.sync(providers, List.of(a), ".jar");

            assertThat(providers.resolve("a.jar")).hasContent("new build");
        }

        @Test
        @DisplayName("removes unlisted jars, so a run without providers is stock")
        void removesUnlisted() throws IOException {
            Path providers = tmp.resolve("providers");
            TestDistributions.jar(providers, "left-over.jar", "X");
            Files.writeString(providers.resolve("README.md"), "stock file");

            FileSync.sync(providers, List.of(), ".jar");

            assertThat(providers.resolve("left-over.jar")).doesNotExist();
            assertThat(providers.resolve("README.md")).hasContent("stock file");
        }

        @Test
        @DisplayName("leaves an identical copy untouched, so Keycloak sees no provider change")
        void keepsIdenticalCopy() throws IOException {
            Path providers = tmp.resolve("providers");
            Path installed = TestDistributions.jar(providers, "a.jar", "same");
            FileTime earlier = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
            Files.setLastModifiedTime(installed, earlier);
            Path a = TestDistributions.jar(tmp.resolve("build"), "a.jar", "same");

            FileSync.sync(providers, List.of(a), ".jar");

            assertThat(Files.getLastModifiedTime(installed)).isEqualTo(earlier);
        }

        @Test
        @DisplayName("rejects two different files with the same name")
        void rejectsNameClash() throws IOException {
            Path one = TestDistributions.jar(tmp.resolve("one"), "a.jar", "1");
            Path two = TestDistributions.jar(tmp.resolve("two"), "a.jar", "2");

            assertThatThrownBy(() -> FileSync.sync(tmp.resolve("providers"), List.of(one, two), ".jar"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a.jar");
        }

        @Test
        @DisplayName("fails on a missing file")
        void rejectsMissing() {
            assertThatThrownBy(() -> FileSync.sync(tmp.resolve("providers"), List.of(tmp.resolve("nope.jar")),
                    ".jar"))
                    .isInstanceOf(NoSuchFileException.class);
        }
    }

    @Nested
    @DisplayName("digest")
    class Digest {

        @Test
        @DisplayName("changes with content and with names")
        void changes() throws IOException {
            Path a = TestDistributions.jar(tmp.resolve("x"), "a.jar", "A");
            String first = FileSync.digest(List.of(a));

            assertThat(FileSync.digest(List.of(a))).isEqualTo(first);
            Files.writeString(a, "A2");
            assertThat(FileSync.digest(List.of(a))).isNotEqualTo(first);
            Path b = TestDistributions.jar(tmp.resolve("y"), "b.jar", "A2");
            assertThat(FileSync.digest(List.of(b))).isNotEqualTo(FileSync.digest(List.of(a)));
            assertThat(FileSync.digest(List.of())).isNotEqualTo(FileSync.digest(List.of(a)));
        }
    }
}
