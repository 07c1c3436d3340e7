package io.github.keycloakdrchrono.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small stand-ins for the 170 MB Keycloak distribution. */
final class TestDistributions {

    static final String KC_SH = "#!/bin/sh\necho kc.sh \"$@\"\n";

    private TestDistributions() {
    }

    /** A zip laid out like keycloak-quarkus-dist, with Unix permissions stored the way the real one has them. */
    static Path zipWithPermissions(Path dir, String version) throws IOException {
        Path zip = dir.resolve("keycloak-" + version + "-perms.zip");
        Files.deleteIfExists(zip);
        try (FileSystem fs = FileSystems.newFileSystem(zip,
                Map.of("create", "true", "enablePosixFileAttributes", "true"))) {
            Path top = fs.getPath("/keycloak-" + version);
            write(top.resolve("version.txt"), "Keycloak - Version " + version + "\n");
            write(top.resolve("bin/kc.sh"), KC_SH);
            write(top.resolve("bin/kcadm.bat"), "@echo off\n");
            write(top.resolve("conf/keycloak.conf"), "# empty\n");
            write(top.resolve("providers/README.md"), "Put providers here.\n");
            Files.setPosixFilePermissions(top.resolve("bin/kc.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(top.resolve("bin/kcadm.bat"), PosixFilePermissions.fromString("rw-r--r--"));
            Files.setPosixFilePermissions(top.resolve("conf/keycloak.conf"),
                    PosixFilePermissions.fromString("rw-r-----"));
        }
        return zip;
    }

    /** A zip written by plain {@link ZipOutputStream}, which stores no permissions at all. */
    static Path zipWithoutPermissions(Path dir, String version, Map<String, String> extraEntries) throws IOException {
        Path zip = dir.resolve("keycloak-" + version + "-plain.zip");
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            String top = "keycloak-" + version + "/";
            out.putNextEntry(new ZipEntry(top));
            entry(out, top + "version.txt", "Keycloak - Version " + version + "\n");
            entry(out, top + "bin/kc.sh", KC_SH);
            entry(out, top + "lib/lib/main/some.jar", "not really a jar");
            for (Map.Entry<String, String> extra : extraEntries.entrySet()) {
                entry(out, extra.getKey(), extra.getValue());
            }
        }
        return zip;
    }

    /**
     * An unpacked distribution whose kc.sh behaves like the real one (forwards SIGTERM to a java child it waits
     * for) and whose "Keycloak" is {@code FakeKeycloak.java}, answering the readiness probes.
     */
    static Path fakeServer(Path dir) throws IOException {
        return unpacked(dir, "#!/bin/sh\n"
                + "echo \"fake kc.sh $*\"\n"
                + "trap 'kill -TERM $PID; wait $PID; exit 143' TERM INT\n"
                + "\"$JAVA\" \"$(dirname \"$0\")/../FakeKeycloak.java\" \"$@\" &\n"
                + "PID=$!\n"
                + "wait $PID\n");
    }

    /** An unpacked distribution with the given kc.sh. */
    static Path unpacked(Path dir, String kcSh) throws IOException {
        Files.createDirectories(dir.resolve("bin"));
        Files.createDirectories(dir.resolve("providers"));
        write(dir.resolve("version.txt"), "Keycloak - Version 0.0.0-fake\n");
        write(dir.resolve("bin/kc.sh"), kcSh);
        dir.resolve("bin/kc.sh").toFile().setExecutable(true, false);
        try (InputStream source = TestDistributions.class.getResourceAsStream("FakeKeycloak.java")) {
            Files.copy(source, dir.resolve("FakeKeycloak.java"));
        }
        return dir;
    }

    static Path jar(Path dir, String name, String content) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static void entry(ZipOutputStream out, String name, String content) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
