package kz.qatysu.tool.proctoring.media;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Media objects as files under one folder ({@code proctoring.media.dir}, default {@code dataDir/proctoring/media}).
 * A put writes a temporary file in {@code .tmp/} on the same file system, forces it to disk, renames it atomically
 * into place and forces the directory: a crash leaves either the old object or the new one, never half of one.
 */
public final class FolderMediaStore implements MediaStore {
    private final Path root;
    private final Path tmp;

    public FolderMediaStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve(".tmp");
    }

    public Path root() {
        return root;
    }

    @Override
    public long put(String key, Content content) {
        Path target = path(key);
        Path part = null;
        try {
            Files.createDirectories(tmp);
            Files.createDirectories(target.getParent());
            part = Files.createTempFile(tmp, "put-", ".part");
            long size;
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
                CountingOutputStream out = new CountingOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024));
                content.writeTo(out);
                out.flush();
                ch.force(true);
                size = out.count;
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            part = null;
            forceDirectory(target.getParent());
            return size;
        } catch (IOException e) {
            throw new UncheckedIOException("could not store the media object " + key + " in " + root, e);
        } finally {
            if (part != null) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException ignored) {
                    // the failure that got us here is what matters; .tmp is not listed
                }
            }
        }
    }

    @Override
    public Optional<InputStream> get(String key) {
        try {
            return Optional.of(Files.newInputStream(path(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the media object " + key, e);
        }
    }

    @Override
    public boolean delete(String key) {
        try {
            return Files.deleteIfExists(path(key));
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the media object " + key, e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.startsWith(tmp))
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(k -> k.startsWith(prefix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the media folder " + root, e);
        }
    }

    private Path path(String key) {
        Path p = root.resolve(MediaStore.checkKey(key)).normalize();
        if (!p.startsWith(root) || p.startsWith(tmp)) {
            throw new IllegalArgumentException("not a media key: '" + key + "'");
        }
        return p;
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory; the rename itself is still atomic
        }
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
