package kz.qatysu.tool.proctoring.media;

import java.io.InputStream;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Continuous recordings arriving as {@code MediaRecorder} timeslice chunks. Chunks may come out of order and more than
 * once: the same index with the same SHA-256 again is accepted as already stored, another hash under a stored index is
 * a conflict. An interrupted upload stores nothing and may simply be sent again; {@link #status} tells the browser
 * which indices the server has, so a lost connection resumes without losing or repeating anything.
 */
public final class RecordingUploads {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{7,63}");

    private final ProctoringMedia media;

    public RecordingUploads(ProctoringMedia media) {
        this.media = media;
    }

    public enum Accepted { STORED, ALREADY_STORED }

    /** What the server holds of a recording. */
    public record Status(String recordingId, String personId, SortedSet<Integer> present, Optional<Integer> lastIndex,
                         boolean finished) {
    }

    /** Starts (or confirms) a recording of {@code personId}; the id is the browser's (a UUID). */
    public void begin(String recordingId, String personId) {
        checkId(recordingId);
        ProctoringMedia.checkPerson(personId);
        int inserted = media.jdbi().withHandle(h -> h.createUpdate("""
                        INSERT INTO proctoring_recording (id, person_id, started_at) VALUES (:id, :p, :at) ON CONFLICT (id) DO NOTHING""")
                .bind("id", recordingId).bind("p", personId).bind("at", Timestamp.from(media.clock().instant())).execute());
        if (inserted == 0 && !status(recordingId).personId().equals(personId)) {
            throw new MediaRefused(409, "recording.id", "recording " + recordingId + " belongs to someone else");
        }
    }

    /** Stores chunk {@code chunkIndex} of a recording; idempotent for the same bytes. */
    public Accepted accept(String recordingId, int chunkIndex, String sha256, InputStream bytes) {
        ProctoringMedia.checkSha256(sha256);
        if (chunkIndex < 0) {
            throw new MediaRefused(400, "chunk.index", "must be 0 or more, was " + chunkIndex);
        }
        Status s = status(recordingId);
        Optional<String> existing = storedHash(recordingId, chunkIndex);
        if (existing.isPresent()) {
            return same(recordingId, chunkIndex, sha256, existing.get());
        }
        if (s.finished()) {
            throw new MediaRefused(409, "chunk.index", "recording " + recordingId + " is finished at chunk "
                    + s.lastIndex().orElseThrow() + "; chunk " + chunkIndex + " is not part of it");
        }
        // the hash is in the key, so a concurrent upload of other bytes under this index never overwrites ours
        String key = "recordings/" + recordingId + "/" + String.format("%08d", chunkIndex) + "-" + sha256.substring(0, 16);
        ProctoringMedia.StoredMedia m = media.write(key, s.personId(), MediaKind.RECORDING_CHUNK, recordingId, chunkIndex,
                sha256, bytes);
        int inserted = media.jdbi().withHandle(h -> h.createUpdate("""
                        INSERT INTO proctoring_media (object_key, person_id, kind, content_type, size, sha256, recording_id, chunk_index, created_at)
                        VALUES (:key, :person, 'recording_chunk', :type, :size, :sha, :rec, :idx, :at)
                        ON CONFLICT DO NOTHING""")
                .bind("key", m.key()).bind("person", m.personId()).bind("type", m.type().contentType())
                .bind("size", m.size()).bind("sha", m.sha256()).bind("rec", recordingId).bind("idx", chunkIndex)
                .bind("at", Timestamp.from(m.createdAt())).execute());
        if (inserted == 1) {
            return Accepted.STORED;
        }
        String winner = storedHash(recordingId, chunkIndex).orElseThrow();
        if (!winner.equals(sha256)) {
            media.store().delete(key);
        }
        return same(recordingId, chunkIndex, sha256, winner);
    }

    private static Accepted same(String recordingId, int chunkIndex, String sha256, String stored) {
        if (!stored.equals(sha256)) {
            throw new MediaRefused(409, "chunk.sha256", "recording " + recordingId + " already has another chunk "
                    + chunkIndex + " (sha256 " + stored + ")");
        }
        return Accepted.ALREADY_STORED;
    }

    private Optional<String> storedHash(String recordingId, int chunkIndex) {
        return media.jdbi().withHandle(h -> h.createQuery("""
                        SELECT sha256 FROM proctoring_media WHERE recording_id = :r AND chunk_index = :i""")
                .bind("r", recordingId).bind("i", chunkIndex).mapTo(String.class).findOne());
    }

    /** Which chunks the server has; unknown recording = 404. */
    public Status status(String recordingId) {
        checkId(recordingId);
        return media.jdbi().withHandle(h -> {
            var row = h.createQuery("SELECT person_id, finished_at, last_index FROM proctoring_recording WHERE id = :id")
                    .bind("id", recordingId).mapToMap().findOne()
                    .orElseThrow(() -> new MediaRefused(404, "recording.id", "no recording " + recordingId));
            SortedSet<Integer> present = new TreeSet<>(h.createQuery(
                            "SELECT chunk_index FROM proctoring_media WHERE recording_id = :r AND kind = 'recording_chunk' ORDER BY chunk_index")
                    .bind("r", recordingId).mapTo(Integer.class).list());
            return new Status(recordingId, (String) row.get("person_id"), present,
                    Optional.ofNullable((Integer) row.get("last_index")), row.get("finished_at") != null);
        });
    }

    /** Closes a recording at {@code lastIndex} when chunks 0..lastIndex are all there and none beyond; idempotent. */
    public Status finish(String recordingId, int lastIndex) {
        Status s = status(recordingId);
        if (s.finished()) {
            if (s.lastIndex().orElseThrow() != lastIndex) {
                throw new MediaRefused(409, "recording.lastIndex", "recording " + recordingId + " was finished at chunk "
                        + s.lastIndex().orElseThrow() + ", not " + lastIndex);
            }
            return s;
        }
        if (lastIndex < 0) {
            throw new MediaRefused(400, "recording.lastIndex", "must be 0 or more, was " + lastIndex);
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i <= lastIndex && missing.size() < 20; i++) {
            if (!s.present().contains(i)) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            throw new MediaRefused(409, "recording.lastIndex", "chunks missing: " + missing
                    + (missing.size() == 20 ? " and maybe more" : "") + "; send them, then finish again");
        }
        if (!s.present().isEmpty() && s.present().last() > lastIndex) {
            throw new MediaRefused(409, "recording.lastIndex", "chunk " + s.present().last() + " is stored beyond " + lastIndex);
        }
        checkStartsAsWebm(recordingId);
        media.jdbi().useHandle(h -> h.createUpdate("""
                        UPDATE proctoring_recording SET finished_at = :at, last_index = :last WHERE id = :id AND finished_at IS NULL""")
                .bind("at", Timestamp.from(media.clock().instant())).bind("last", lastIndex).bind("id", recordingId).execute());
        return status(recordingId);
    }

    /**
     * Chunk 0 is type-checked when it is stored, but when it is shorter than the signature (Chromium's first chunk can
     * be one byte) only the joined recording shows whether it starts as a WebM: read its first bytes.
     */
    private void checkStartsAsWebm(String recordingId) {
        List<ProctoringMedia.StoredMedia> first = media.jdbi().withHandle(h -> h.createQuery("""
                        SELECT * FROM proctoring_media WHERE recording_id = :r AND kind = 'recording_chunk'
                         ORDER BY chunk_index LIMIT :n""")
                .bind("r", recordingId).bind("n", MediaType.SIGNATURE_BYTES).map((rs, c) -> ProctoringMedia.map(rs)).list());
        if (first.isEmpty() || first.getFirst().size() >= MediaType.SIGNATURE_BYTES) {
            return; // checked in full when chunk 0 was stored
        }
        byte[] head = new byte[MediaType.SIGNATURE_BYTES];
        int length = 0;
        for (ProctoringMedia.StoredMedia chunk : first) {
            try (InputStream in = media.decrypted(chunk, 0)) {
                length += in.readNBytes(head, length, head.length - length);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (length == head.length) {
                break;
            }
        }
        if (MediaType.detect(head, length).filter(t -> t == MediaType.WEBM).isEmpty()) {
            throw new MediaRefused(415, "recording.bytes", "recording " + recordingId
                    + " does not start as a WebM (checked by its first bytes across chunks)");
        }
    }

    private static void checkId(String recordingId) {
        if (recordingId == null || !ID.matcher(recordingId).matches()) {
            throw new MediaRefused(400, "recording.id", "8 to 64 lowercase letters, digits and '-' expected (a UUID)");
        }
    }
}
