package kz.qatysu.tool.excuses;

import kz.qatysu.tool.proctoring.media.FolderMediaStore;
import kz.qatysu.tool.proctoring.media.MediaCipher;
import kz.qatysu.tool.proctoring.media.MediaStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Excuse documents in the media store ({@code proctoring.media.*}: a folder, or the S3 bucket), encrypted with the
 * media key, under {@code excuses/<random>.<ext>} — so every node of a cluster reads what any node stored, as long as
 * the store is shared (docs/OPERATIONS.md). A file gets a random name (the uploader's name is never used in a key);
 * its first bytes are checked before anything is written and its size is counted while it is written, and the
 * store's put is all or nothing — a refused upload leaves nothing behind. Documents stored by earlier versions in
 * {@code dataDir/uploads/excuses} are still read from there.
 */
public final class ExcuseDocuments {
    static final String PREFIX = "excuses/";
    private static final Pattern STORED_NAME = Pattern.compile("[0-9a-f]{32}\\.(pdf|jpg|png)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path legacyDir;
    private final long maxBytes;
    private final MediaStore store;
    private final MediaCipher cipher;

    public ExcuseDocuments(Path dataDir, long maxBytes, MediaStore store, MediaCipher cipher) {
        this.legacyDir = dataDir.resolve("uploads").resolve("excuses");
        this.maxBytes = maxBytes;
        this.store = store;
        this.cipher = cipher;
    }

    /** A stored document this node cannot find: the media store is not shared by every node, or it lost the object. */
    public static final class Missing extends RuntimeException {
        Missing(String message) {
            super(message);
        }
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
        try {
            byte[] head = new byte[DocumentType.SIGNATURE_BYTES];
            int headLength = in.readNBytes(head, 0, head.length);
            if (headLength == 0) {
                throw new Refused(400, "excuse.error.emptyFile");
            }
            DocumentType type = DocumentType.detect(head, headLength)
                    .orElseThrow(() -> new Refused(415, "excuse.error.wrongType"));
            String name = HexFormat.of().formatHex(randomBytes()) + "." + type.extension();
            long[] size = {headLength};
            if (size[0] > maxBytes) {
                throw tooLarge();
            }
            store.put(PREFIX + name, out -> {
                try (OutputStream enc = cipher.encrypt(out)) {
                    enc.write(head, 0, headLength);
                    byte[] buffer = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buffer)) != -1) {
                        size[0] += n;
                        if (size[0] > maxBytes) {
                            throw tooLarge(); // aborts the put: nothing is stored
                        }
                        enc.write(buffer, 0, n);
                    }
                }
            });
            return new Stored(name, type, size[0]);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read an excuse document being uploaded", e);
        }
    }

    /**
     * The document's bytes (the caller closes the stream); empty for a name this class did not produce.
     *
     * @throws Missing when the name is one of ours but neither the media store nor the old folder has it
     */
    public Optional<InputStream> open(String file) {
        if (file == null || !STORED_NAME.matcher(file).matches()) {
            return Optional.empty();
        }
        try {
            Path legacy = legacyDir.resolve(file);
            if (Files.isRegularFile(legacy)) {
                return Optional.of(Files.newInputStream(legacy));
            }
            InputStream raw = store.get(PREFIX + file).orElseThrow(() -> new Missing("the excuse document " + file
                    + " is not in the media store of this node (" + describe(store) + "): every node must share the store — "
                    + "proctoring.media.dir on a folder all nodes mount, or proctoring.media.store=s3 (docs/OPERATIONS.md)"));
            try {
                return Optional.of(cipher.decrypt(raw, "the excuse document " + file));
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the excuse document " + file, e);
        }
    }

    /** Removes a stored document whose database row could not be written. */
    public void discard(Stored stored) {
        store.delete(PREFIX + stored.file());
    }

    private static String describe(MediaStore store) {
        return store instanceof FolderMediaStore folder ? "folder " + folder.root() : store.getClass().getSimpleName();
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return b;
    }
}
