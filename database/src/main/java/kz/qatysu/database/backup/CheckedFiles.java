package kz.qatysu.database.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Files written with their size and SHA-256 taken from the very bytes written, owner-only (a backup may hold keys). */
final class CheckedFiles {
    private CheckedFiles() {
    }

    /** An output stream into {@code file} that reports the entry of what went through it when closed. */
    static final class Writer extends OutputStream {
        private final Path root;
        private final Path file;
        private final MessageDigest digest = sha256();
        private final java.nio.channels.FileChannel channel;
        private final OutputStream out;
        private long size;
        private BackupManifest.FileEntry entry;

        Writer(Path root, Path file) throws IOException {
            this.root = root;
            this.file = file;
            createDirectories(file.getParent());
            this.channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            this.out = new DigestOutputStream(new java.io.BufferedOutputStream(
                    java.nio.channels.Channels.newOutputStream(channel), 64 * 1024), digest);
            ownerOnly(file);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            size += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (entry == null) {
                out.flush();
                channel.force(true);
                out.close();
                entry = new BackupManifest.FileEntry(relative(root, file), size, HexFormat.of().formatHex(digest.digest()));
            }
        }

        BackupManifest.FileEntry entry() {
            return entry;
        }
    }

    /**
     * Copies every regular file under {@code source} (a file or a folder) to {@code target}, skipping folders named
     * {@code .tmp} (uploads in progress); a file that disappears while being copied (deleted meanwhile) is left out.
     */
    static List<BackupManifest.FileEntry> copyTree(Path source, Path target, Path root) {
        List<BackupManifest.FileEntry> entries = new ArrayList<>();
        if (!Files.exists(source)) {
            return entries;
        }
        try {
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return dir.getFileName() != null && dir.getFileName().toString().equals(".tmp") && !dir.equals(source)
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (!attrs.isRegularFile()) {
                        return FileVisitResult.CONTINUE;
                    }
                    Path to = target.resolve(source.relativize(file).toString());
                    if (source.equals(file)) {
                        to = target;
                    }
                    try (InputStream in = Files.newInputStream(file); Writer w = new Writer(root, to)) {
                        in.transferTo(w);
                        w.close();
                        entries.add(w.entry());
                    } catch (NoSuchFileException gone) {
                        Files.deleteIfExists(to); // deleted meanwhile (a purge): not part of the backup
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " into the backup: " + e.getMessage(), e);
        }
        return entries;
    }

    /** The SHA-256 and size of {@code file}. */
    static BackupManifest.FileEntry measure(Path root, Path file) throws IOException {
        MessageDigest digest = sha256();
        long size = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
                size += n;
            }
        }
        return new BackupManifest.FileEntry(relative(root, file), size, HexFormat.of().formatHex(digest.digest()));
    }

    static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }

    static void createDirectories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            ownerOnly(dir);
        }
    }

    static void ownerOnly(Path p) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwx------" : "rw-------"));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system: its own permissions apply
        }
    }

    /** Whether {@code dir} is missing or an empty folder. */
    static boolean missingOrEmpty(Path dir) {
        if (!Files.exists(dir)) {
            return true;
        }
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code path} and everything under it (quietly: used to undo a failed backup or restore). */
    static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> s = Files.walk(path)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
