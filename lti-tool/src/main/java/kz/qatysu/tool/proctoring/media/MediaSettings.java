package kz.qatysu.tool.proctoring.media;

import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.Secret;
import kz.qatysu.tool.lti.keys.KeyEncryption;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code proctoring.media.*}, validated at start-up.
 *
 * @param dir              {@code proctoring.media.dir}: the store's folder, default {@code dataDir/proctoring/media}
 * @param encryptionKey    {@code proctoring.media.encryptionKey}: 32 random bytes in base64; unset = a key generated in
 *                         {@code dataDir/proctoring-media.key} (mode 600)
 * @param maxSnapshotBytes {@code proctoring.media.maxSnapshotBytes}: largest snapshot / ID photo (default 2 MiB)
 * @param maxChunkBytes    {@code proctoring.media.maxChunkBytes}: largest recording chunk / room scan (default 8 MiB)
 * @param retention        {@code proctoring.media.retention}: how long media is kept before the daily purge (default 365d)
 * @param ffmpeg           {@code proctoring.ffmpeg}: the ffmpeg program that makes recordings seekable (default
 *                         {@code ffmpeg}, looked up on PATH); a missing one is a warning, not an error (see
 *                         {@link RecordingPlayback})
 * @param s3               {@code proctoring.media.store = s3} and its {@code proctoring.media.s3.*}: the media in an
 *                         object store shared by every node instead of {@code dir}; empty = the folder store
 */
public record MediaSettings(Path dir, Optional<Secret> encryptionKey, int maxSnapshotBytes, int maxChunkBytes,
                            Duration retention, Path dataDir, String ffmpeg, Optional<S3Settings> s3) {
    public static final String ENCRYPTION_KEY = "proctoring.media.encryptionKey";
    public static final String FFMPEG = "proctoring.ffmpeg";
    static final String DEFAULT_FFMPEG = "ffmpeg";

    /** The folder store. */
    public MediaSettings(Path dir, Optional<Secret> encryptionKey, int maxSnapshotBytes, int maxChunkBytes,
                         Duration retention, Path dataDir, String ffmpeg) {
        this(dir, encryptionKey, maxSnapshotBytes, maxChunkBytes, retention, dataDir, ffmpeg, Optional.empty());
    }

    /** With the default {@code ffmpeg} from PATH. */
    public MediaSettings(Path dir, Optional<Secret> encryptionKey, int maxSnapshotBytes, int maxChunkBytes,
                         Duration retention, Path dataDir) {
        this(dir, encryptionKey, maxSnapshotBytes, maxChunkBytes, retention, dataDir, DEFAULT_FFMPEG);
    }
    public static final String KEY_FILE = "proctoring-media.key";

    public static MediaSettings read(ConfigReader r, Path dataDir) {
        Optional<Secret> key = r.optionalSecret(ENCRYPTION_KEY);
        if (key.isPresent() && KeyEncryption.decode(key.get().reveal()).isEmpty()) {
            r.problem(ENCRYPTION_KEY, KeyEncryption.PROBLEM);
        }
        Duration retention = r.duration("proctoring.media.retention", Duration.ofDays(365));
        if (retention.compareTo(Duration.ofDays(1)) < 0) {
            r.problem("proctoring.media.retention", "at least 1d expected (the purge runs daily), was " + retention);
        }
        String ffmpeg = r.string(FFMPEG, DEFAULT_FFMPEG).strip();
        if (ffmpeg.isEmpty() || ffmpeg.chars().anyMatch(Character::isISOControl)) {
            r.problem(FFMPEG, "a program name on PATH or a path to ffmpeg expected");
        }
        return new MediaSettings(r.path("proctoring.media.dir", dataDir.resolve("proctoring").resolve("media")), key,
                r.integer("proctoring.media.maxSnapshotBytes", 2 * 1024 * 1024, 1024, 64 * 1024 * 1024),
                r.integer("proctoring.media.maxChunkBytes", 8 * 1024 * 1024, 64 * 1024, 512 * 1024 * 1024),
                retention, dataDir, ffmpeg, S3Settings.read(r));
    }

    /** The store the media lives in: the object store when configured, else the folder. */
    public MediaStore store() {
        return s3.<MediaStore>map(s -> new S3MediaStore(s, dataDir.resolve("proctoring").resolve("s3-spool")))
                .orElseGet(() -> new FolderMediaStore(dir));
    }

    /** Defaults under {@code dataDir}, for tests and tools. */
    public static MediaSettings defaults(Path dataDir) {
        return new MediaSettings(dataDir.resolve("proctoring").resolve("media"), Optional.empty(), 2 * 1024 * 1024,
                8 * 1024 * 1024, Duration.ofDays(365), dataDir, DEFAULT_FFMPEG);
    }

    /** The configured key, else the one in {@code dataDir/proctoring-media.key} (generated at first use). */
    public MediaCipher cipher() {
        if (encryptionKey.isPresent()) {
            byte[] k = KeyEncryption.decode(encryptionKey.get().reveal())
                    .orElseThrow(() -> new IllegalArgumentException(ENCRYPTION_KEY + ": " + KeyEncryption.PROBLEM));
            return new MediaCipher(List.of(k), ENCRYPTION_KEY);
        }
        Path file = dataDir.resolve(KEY_FILE);
        return new MediaCipher(List.of(KeyEncryption.readOrCreateKeyFile(file)), file.toString());
    }
}
