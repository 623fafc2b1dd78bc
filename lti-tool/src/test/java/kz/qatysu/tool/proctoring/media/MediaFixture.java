package kz.qatysu.tool.proctoring.media;

import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import kz.qatysu.tool.testing.SteppedClock;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** A media service on a fresh migrated database and a temporary folder, with a clock that moves only when told. */
final class MediaFixture implements AutoCloseable {
    final Database db = TestPostgres.freshDatabase("tool");
    final SteppedClock clock = new SteppedClock(Instant.parse("2026-06-01T08:00:00Z"));
    final MediaSettings settings;
    final FolderMediaStore store;
    final ProctoringMedia media;
    final RecordingUploads recordings;

    MediaFixture(Path dir) {
        settings = new MediaSettings(dir.resolve("media"), Optional.empty(), 4096, 256 * 1024, Duration.ofDays(365), dir);
        store = new FolderMediaStore(settings.dir());
        media = new ProctoringMedia(db.jdbi(), store, new MediaCipher(List.of(MediaCipherTest.filled(32, 3)), "a test key"),
                settings, clock);
        recordings = new RecordingUploads(media);
    }

    static byte[] jpeg(int size) {
        byte[] b = MediaCipherTest.random(size);
        b[0] = (byte) 0xFF;
        b[1] = (byte) 0xD8;
        b[2] = (byte) 0xFF;
        return b;
    }

    static byte[] webm(int size) {
        byte[] b = MediaCipherTest.random(size);
        b[0] = 0x1A;
        b[1] = 0x45;
        b[2] = (byte) 0xDF;
        b[3] = (byte) 0xA3;
        return b;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] concat(byte[]... parts) {
        byte[] all = new byte[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    @Override
    public void close() {
        db.close();
    }
}
