package io.github.keycloakdrchrono.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps a directory's files of one kind (provider jars, realm imports) equal to a given list. */
final class FileSync {

    private FileSync() {
    }

    /**
     * Copies {@code files} into {@code dir} and deletes every other file there whose name ends with
     * {@code suffix}, so a run without providers is a stock run.
     */
    static void sync(Path dir, List<Path> files, String suffix) throws IOException {
        Map<String, Path> wanted = byFileName(files);
        Files.createDirectories(dir);
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (Files.isRegularFile(child) && name.endsWith(suffix) && !wanted.containsKey(name)) {
                    Files.delete(child);
                }
            }
        }
        for (Map.Entry<String, Path> entry : wanted.entrySet()) {
            Path target = dir.resolve(entry.getKey());
            // Rewriting an identical jar would give it a new mtime, which Keycloak takes as a provider change
            // and answers with a minute-long rebuild.
            if (!Files.exists(target) || Files.mismatch(entry.getValue(), target) != -1) {
                Files.copy(entry.getValue(), target, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    /** A digest of file names and contents, in the given order. */
    static String digest(List<Path> files) throws IOException {
        MessageDigest digest = sha256();
        for (Path file : files) {
            digest.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    digest.update(buffer, 0, read);
                }
            }
            digest.update((byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String digest(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, Path> byFileName(List<Path> files) throws IOException {
        Map<String, Path> byName = new LinkedHashMap<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString());
            }
            Path previous = byName.put(file.getFileName().toString(), file);
            if (previous != null && !previous.equals(file)) {
                throw new IllegalArgumentException("Two files named " + file.getFileName() + ": " + previous
                        + " and " + file);
            }
        }
        return byName;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
