package kz.qatysu.tool.excuses;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Excuse documents on disk under {@code dataDir/uploads/excuses}. A file gets a random name (the uploader's name
 * is never used in a path); it is written to a temporary file while its size is counted and its first bytes
 * checked, and moved into place only when both pass — a refused upload leaves nothing behind.
 */
public final class ExcuseDocuments {
    private static final Pattern STORED_NAME = Pattern.compile("[0-9a-f]{32}\\.(pdf|jpg|png)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final long maxBytes;

    public ExcuseDocuments(Path dataDir, long maxBytes) {
        this.dir = dataDir.resolve("uploads").resolve("excuses");
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** A document that passed both checks: its stored file name, proven type and size. */
    public record Stored(String file, DocumentType type, long size) {
    }

    /** Why an upload was refused: a message key and its argument for the page. */
    public static final class Refused extends RuntimeException {
        private final String key;
        private final int status;

        Refused(int status, String key) {
            super(key, null, false, false);
            this.status = status;
            this.key = key;
        }

        public String key() {
            return key;
        }

        public int status() {
            return status;
        }
    }

    public static Refused tooLarge() {
        return new Refused(413, "excuse.error.tooLarge");
    }

    /** Stores the stream when it is at most {@link #maxBytes} long and starts like a PDF, JPEG or PNG. */
    public Stored store(InputStream in) {
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "upload-", ".part");
            byte[] head = new byte[DocumentType.SIGNATURE_BYTES];
            int headLength = 0;
            long size = 0;
            byte[] buffer = new byte[64 * 1024];
            try (OutputStream out = Files.newOutputStream(tmp)) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    if (headLength < head.length) {
                        int take = Math.min(n, head.length - headLength);
                        System.arraycopy(buffer, 0, head, headLength, take);
                        headLength += take;
                    }
                    size += n;
                    if (size > maxBytes) {
                        throw tooLarge();
                    }
                    out.write(buffer, 0, n);
                }
            }
            if (size == 0) {
                throw new Refused(400, "excuse.error.emptyFile");
            }
            DocumentType type = DocumentType.detect(head, headLength)
                    .orElseThrow(() -> new Refused(415, "excuse.error.wrongType"));
            String name = HexFormat.of().formatHex(randomBytes()) + "." + type.extension();
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            return new Stored(name, type, size);
        } catch (IOException e) {
            throw new UncheckedIOException("could not store an excuse document in " + dir, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the refusal is what matters; a stray .part file is swept with the directory
                }
            }
        }
    }

    /** The path of a stored document; empty for a name this class did not produce. */
    public Optional<Path> path(String file) {
        if (file == null || !STORED_NAME.matcher(file).matches()) {
            return Optional.empty();
        }
        Path p = dir.resolve(file);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /** Removes a stored document whose database row could not be written. */
    public void discard(Stored stored) {
        try {
            Files.deleteIfExists(dir.resolve(stored.file()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return b;
    }
}
