package io.github.keycloakdrchrono.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Distribution")
class DistributionTest {

    @TempDir
    Path tmp;

    @Nested
    @DisplayName("unpacking a zip")
    class Unpacking {

        @Test
        @DisplayName("strips the top-level folder")
        void stripsTopFolder() throws IOException {
            Path zip = TestDistributions.zipWithPermissions(tmp, "1.2.3");
            Path home = tmp.resolve("home");

            assertThat(Distribution.install(zip, home)).isTrue();

            assertThat(home.resolve("version.txt")).hasContent("Keycloak - Version 1.2.3");
            assertThat(home.resolve("bin/kc.sh")).isRegularFile();
            assertThat(home.resolve("providers/README.md")).isRegularFile();
            assertThat(home.resolve("keycloak-1.2.3")).doesNotExist();
        }

        @Test
        @DisplayName("keeps the permissions stored in the zip")
        void keepsPermissions() throws IOException {
            Path home = tmp.resolve("home");

            Distribution.install(TestDistributions.zipWithPermissions(tmp, "1.2.3"), home);

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("bin/kc.sh"))))
                    .isEqualTo("rwxr-xr-x");
            assertThat(Files.isExecutable(home.resolve("bin/kcadm.bat"))).isFalse();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("conf/keycloak.conf"))))
                    .isEqualTo("rw-r-----");
        }

        @Test
        @DisplayName("makes bin/*.sh executable even when the zip stores no permissions")
        void scriptsExecutableWithoutStoredPermissions() throws IOException {
            Path home = tmp.resolve("home");

            Distribution.install(TestDistributions.zipWithoutPermissions(tmp, "1.2.3", Map.of()), home);

            assertThat(Files.isExecutable(home.resolve("bin/kc.sh"))).isTrue();
            assertThat(home.resolve("lib/lib/main/some.jar")).hasContent("not really a jar");
        }

        @Test
        @DisplayName("never writes outside the work directory")
        void rejectsZipSlip() throws IOException {
            Path zip = TestDistributions.zipWithoutPermissions(tmp, "1.2.3",
                    Map.of("keycloak-1.2.3/../../evil.txt", "gotcha"));
            Path home = tmp.resolve("nested/home");

            assertThatThrownBy(() -> Distribution.install(zip, home)).isInstanceOf(IOException.class);

            assertThat(tmp.resolve("evil.txt")).doesNotExist();
            assertThat(tmp.resolve("nested/evil.txt")).doesNotExist();
        }

        @Test
        @DisplayName("reads the version from the zip")
        void versionInZip() throws IOException {
            assertThat(Distribution.versionInZip(TestDistributions.zipWithPermissions(tmp, "4.5.6")))
                    .isEqualTo("Keycloak - Version 4.5.6");
        }

        @Test
        @DisplayName("rejects a zip without version.txt")
        void rejectsNonDistribution() throws IOException {
            Path zip = tmp.resolve("other.zip");
            try (FileSystem fs = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
                Files.createDirectories(fs.getPath("/something"));
                Files.writeString(fs.getPath("/something/readme.txt"), "not Keycloak");
            }

            assertThatThrownBy(() -> Distribution.install(zip, tmp.resolve("home")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("other.zip");
            assertThat(tmp.resolve("home")).doesNotExist();
        }
    }

    @Nested
    @DisplayName("reusing a work directory")
    class Reuse {

        @Test
        @DisplayName("skips unpacking when the same version is already there")
        void skipsSameVersion() throws IOException {
            Path zip = TestDistributions.zipWithPermissions(tmp, "1.2.3");
            Path home = tmp.resolve("home");
            Distribution.install(zip, home);
            Files.writeString(home.resolve("data-from-last-run.txt"), "keep me");

            assertThat(Distribution.install(zip, home)).isFalse();

            assertThat(home.resolve("data-from-last-run.txt")).hasContent("keep me");
        }

        @Test
        @DisplayName("replaces another version")
        void replacesOtherVersion() throws IOException {
            Path home = tmp.resolve("home");
            Distribution.install(TestDistributions.zipWithPermissions(tmp, "1.2.3"), home);
            Files.writeString(home.resolve("data-from-last-run.txt"), "old");

            assertThat(Distribution.install(TestDistributions.zipWithPermissions(tmp, "2.0.0"), home)).isTrue();

            assertThat(home.resolve("version.txt")).hasContent("Keycloak - Version 2.0.0");
            assertThat(home.resolve("data-from-last-run.txt")).doesNotExist();
            assertThat(tmp.resolve(".home.unpacking")).doesNotExist();
        }

        @Test
        @DisplayName("unpacks into an existing empty directory")
        void emptyDirectory() throws IOException {
            Path home = Files.createDirectories(tmp.resolve("home"));

            assertThat(Distribution.install(TestDistributions.zipWithPermissions(tmp, "1.2.3"), home)).isTrue();

            assertThat(home.resolve("bin/kc.sh")).isRegularFile();
        }

        @Test
        @DisplayName("refuses to delete a directory that is not a Keycloak installation")
        void refusesForeignDirectory() throws IOException {
            Path home = Files.createDirectories(tmp.resolve("my-project"));
            Files.writeString(home.resolve("precious.txt"), "mine");

            assertThatThrownBy(() -> Distribution.install(TestDistributions.zipWithPermissions(tmp, "1.2.3"), home))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Refusing");
            assertThat(home.resolve("precious.txt")).hasContent("mine");
        }
    }

    @Nested
    @DisplayName("an unpacked distribution")
    class Unpacked {

        @Test
        @DisplayName("is copied with its permissions")
        void copied() throws IOException {
            Path source = tmp.resolve("source");
            Distribution.install(TestDistributions.zipWithPermissions(tmp, "1.2.3"), source);
            Path home = tmp.resolve("home");

            assertThat(Distribution.install(source, home)).isTrue();

            assertThat(home.resolve("version.txt")).hasContent("Keycloak - Version 1.2.3");
            assertThat(Files.isExecutable(home.resolve("bin/kc.sh"))).isTrue();
            assertThat(Distribution.install(source, home)).isFalse();
        }

        @Test
        @DisplayName("is used in place when it is the work directory")
        void inPlace() throws IOException {
            Path home = tmp.resolve("home");
            Distribution.install(TestDistributions.zipWithPermissions(tmp, "1.2.3"), home);

            assertThat(Distribution.install(home, home)).isFalse();
        }
    }
}
