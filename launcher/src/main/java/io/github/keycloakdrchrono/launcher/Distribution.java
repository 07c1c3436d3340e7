package io.github.keycloakdrchrono.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a distribution zip or unpacked directory into a runnable Keycloak home. */
final class Distribution {

    static final String VERSION_FILE = "version.txt";

    /** Written into every home we create, so we only ever delete directories that are ours. */
    static final String MARKER_FILE = ".keycloak-launcher";

    private Distribution() {
    }

    /**
     * Makes {@code home} a copy of {@code distribution} unless it already holds the same version.
     *
     * @return true when the home was (re)created
     */
    static boolean install(Path distribution, Path home) throws IOException {
        if (!Files.exists(distribution)) {
            throw new IllegalArgumentException("Keycloak distribution not found: " + distribution);
        }
        boolean zip = Files.isRegularFile(distribution);
        if (!zip && Files.exists(home) && Files.isSameFile(distribution, home)) {
            return false;
        }
        String wanted = zip ? versionInZip(distribution) : versionIn(distribution);
        if (wanted == null) {
            throw new IllegalArgumentException(
                    "Not a Keycloak distribution (no " + VERSION_FILE + "): " + distribution);
        }
        if (wanted.equals(versionIn(home))) {
            return false;
        }
        requireReplaceable(home);

        // Unpacking beside the target and renaming at the end means an interrupted unpack never leaves a
        // half-filled home whose version.txt would make the next run reuse it.
        Path absoluteHome = home.toAbsolutePath().normalize();
        Path staging = absoluteHome.resolveSibling("." + absoluteHome.getFileName() + ".unpacking");
        deleteRecursively(staging);
        Files.createDirectories(staging);
        if (zip) {
            unzip(distribution, staging);
        } else {
            copyTree(distribution, staging);
        }
        Files.writeString(staging.resolve(MARKER_FILE), wanted + "\n", StandardCharsets.UTF_8);
        deleteRecursively(absoluteHome);
        try {
            Files.move(staging, absoluteHome, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staging, absoluteHome);
        }
        return true;
    }

    /** The trimmed content of {@code version.txt} in a Keycloak home, or null if there is none. */
    static String versionIn(Path home) throws IOException {
        Path file = home.resolve(VERSION_FILE);
        return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : null;
    }

    static String versionInZip(Path zip) throws IOException {
        try (FileSystem fs = openZip(zip)) {
            Path file = distributionRoot(fs, zip).resolve(VERSION_FILE);
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : null;
        }
    }

    /** Extracts the zip into {@code target}, dropping the single top-level folder the distribution has. */
    static void unzip(Path zip, Path target) throws IOException {
        Path base = target.toAbsolutePath().normalize();
        try (FileSystem fs = openZip(zip)) {
            Path root = distributionRoot(fs, zip);
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectories(destination(base, root, dir));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Path out = destination(base, root, file);
                    Files.createDirectories(out.getParent());
                    Files.copy(file, out, StandardCopyOption.REPLACE_EXISTING);
                    applyPermissions(file, out);
                    if (isScript(base.relativize(out))) {
                        // kc.sh must stay runnable even from a zip written without Unix permissions.
                        out.toFile().setExecutable(true, false);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        }
    }

    static void copyTree(Path source, Path target) throws IOException {
        Path from = source.toAbsolutePath().normalize();
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, target.resolve(from.relativize(file).toString()),
                        StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes everything inside {@code dir} except the named children. */
    static void clearExcept(Path dir, Set<String> keep) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                if (!keep.contains(child.getFileName().toString())) {
                    deleteRecursively(child);
                }
            }
        }
    }

    private static void requireReplaceable(Path home) throws IOException {
        if (!Files.exists(home)) {
            return;
        }
        if (!Files.isDirectory(home)) {
            throw new IllegalStateException("Work directory is a file: " + home);
        }
        boolean empty;
        try (DirectoryStream<Path> children = Files.newDirectoryStream(home)) {
            empty = !children.iterator().hasNext();
        }
        if (empty || Files.exists(home.resolve(MARKER_FILE)) || versionIn(home) != null) {
            return;
        }
        // A mistyped workDir must never cost someone a directory of their own.
        throw new IllegalStateException("Refusing to replace " + home
                + ": it is neither empty nor a Keycloak installation. Choose another workDir.");
    }

    private static FileSystem openZip(Path zip) throws IOException {
        return FileSystems.newFileSystem(zip, Map.of("enablePosixFileAttributes", "true"));
    }

    /** The folder holding version.txt: the zip root, or its single top-level folder. */
    private static Path distributionRoot(FileSystem fs, Path zip) throws IOException {
        Path root = fs.getPath("/");
        if (Files.exists(root.resolve(VERSION_FILE))) {
            return root;
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(root)) {
            stream.forEach(children::add);
        }
        if (children.size() == 1 && Files.isDirectory(children.get(0))) {
            return children.get(0);
        }
        throw new IllegalArgumentException("Unexpected layout, expected one top-level folder: " + zip);
    }

    private static Path destination(Path base, Path root, Path entry) throws IOException {
        Path out = base.resolve(root.relativize(entry).toString()).normalize();
        if (!out.startsWith(base)) {
            throw new IOException("Zip entry escapes the target directory: " + entry);
        }
        return out;
    }

    private static boolean isScript(Path relative) {
        return relative.getNameCount() == 2 && relative.getName(0).toString().equals("bin")
                && relative.getFileName().toString().endsWith(".sh");
    }

    private static void applyPermissions(Path entry, Path out) throws IOException {
        Object stored;
        try {
            stored = Files.getAttribute(entry, "zip:permissions");
        } catch (UnsupportedOperationException | IllegalArgumentException | NoSuchFileException e) {
            return;
        }
        if (!(stored instanceof Set<?>)) {
            return;
        }
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (Object permission : (Set<?>) stored) {
            if (permission instanceof PosixFilePermission) {
                permissions.add((PosixFilePermission) permission);
            }
        }
        if (permissions.isEmpty()) {
            return;
        }
        permissions.add(PosixFilePermission.OWNER_READ);
        permissions.add(PosixFilePermission.OWNER_WRITE);
        try {
            Files.setPosixFilePermissions(out, permissions);
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): permissions do not apply there.
        }
    }
}
