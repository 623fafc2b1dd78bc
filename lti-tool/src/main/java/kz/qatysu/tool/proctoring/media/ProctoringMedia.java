package kz.qatysu.tool.proctoring.media;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.function.BiFunction;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The proctoring media service: stores photos, room scans and recording chunks encrypted in the {@link MediaStore}
 * with their metadata in PostgreSQL; every read of an object or recording, every export and deletion of a person's
 * media and every retention purge is written to {@code proctoring_media_audit}.
 */
public final class ProctoringMedia {
    public static final String RETENTION_ACTOR = "retention";
    private static final Pattern PERSON = Pattern.compile("[^\\p{Cntrl}]{1,200}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Jdbi jdbi;
    private final MediaStore store;
    private final MediaCipher cipher;
    private final MediaSettings settings;
    private final Clock clock;
    private final RecordingPlayback playback;

    public ProctoringMedia(Jdbi jdbi, MediaStore store, MediaCipher cipher, MediaSettings settings, Clock clock) {
        this.jdbi = jdbi;
        this.store = store;
        this.cipher = cipher;
        this.settings = settings;
        this.clock = clock;
        this.playback = RecordingPlayback.of(this, settings);
    }

    /**
     * As the tool runs it: the store (folder or object store) and key from {@code settings}; warns (naming
     * {@code proctoring.ffmpeg}) when ffmpeg cannot run, as recordings then cannot be seeked.
     */
    public static ProctoringMedia of(Jdbi jdbi, MediaSettings settings, Clock clock) {
        ProctoringMedia media = new ProctoringMedia(jdbi, settings.store(), settings.cipher(), settings, clock);
        media.playback().warnIfNoFfmpeg();
        return media;
    }

    /** Seekable playback of recordings (remuxed with {@code proctoring.ffmpeg}), with byte ranges; audited. */
    public RecordingPlayback playback() {
        return playback;
    }

    /** One stored object (metadata; {@code sha256} is of the plaintext). */
    public record StoredMedia(String key, String personId, MediaKind kind, MediaType type, long size, String sha256,
                              String recordingId, Integer chunkIndex, Instant createdAt) {
    }

    /** How an object is read, for the audit. */
    public enum Access { VIEW, DOWNLOAD }

    /** A decrypted object or recording being read; the caller closes it. */
    public record Opened(MediaType type, long size, InputStream content) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            content.close();
        }
    }

    /** One audit row. */
    public record AuditEntry(long id, Instant at, String actor, String action, String personId, String objectKey,
                             String detail) {
    }

    /** Stores a snapshot, ID photo or room scan of {@code personId}; the type is proven by the first bytes. */
    public StoredMedia store(String personId, MediaKind kind, InputStream in) {
        return store(personId, kind, in, (h, m) -> m);
    }

    /**
     * {@link #store(String, MediaKind, InputStream)} with the caller's rows about the object written in the same
     * transaction as its media row: one commit, after the encrypted file is durable (a snapshot and its timeline row
     * took two commits before). If the transaction fails, the object is deleted again.
     */
    public <T> T store(String personId, MediaKind kind, InputStream in, BiFunction<Handle, StoredMedia, T> rows) {
        if (kind == MediaKind.RECORDING_CHUNK || kind == MediaKind.RECORDING_PLAYABLE) {
            throw new IllegalArgumentException("recordings go through RecordingUploads and RecordingPlayback");
        }
        checkPerson(personId);
        String key = kind.dbName().replace('_', '-') + "/" + UUID.randomUUID();
        StoredMedia m = write(key, personId, kind, null, null, null, in);
        try {
            return jdbi.inTransaction(h -> {
                insert(h, m);
                return rows.apply(h, m);
            });
        } catch (RuntimeException e) {
            store.delete(key);
            throw e;
        }
    }

    /**
     * Encrypts {@code in} into the store under {@code key}, counting, hashing and type-checking on the way; any refusal
     * or a broken input stream aborts the put so that nothing is stored. No metadata is written here.
     */
    StoredMedia write(String key, String personId, MediaKind kind, String recordingId, Integer chunkIndex,
                      String expectedSha256, InputStream in) {
        // a playable copy is made by the server from chunks already checked: as long as the recording
        long max = kind == MediaKind.RECORDING_PLAYABLE ? Long.MAX_VALUE
                : kind.chunkSized() ? settings.maxChunkBytes() : settings.maxSnapshotBytes();
        String record = kind == MediaKind.RECORDING_CHUNK ? "chunk" : kind.dbName();
        boolean typeCheck = kind != MediaKind.RECORDING_CHUNK || chunkIndex == 0;
        MediaType[] type = {kind == MediaKind.RECORDING_CHUNK ? MediaType.WEBM : null};
        long[] size = {0};
        String[] sha = {null};
        store.put(key, out -> {
            MessageDigest digest = sha256();
            byte[] head = new byte[MediaType.SIGNATURE_BYTES];
            int headLength = 0;
            byte[] buffer = new byte[64 * 1024];
            try (OutputStream enc = cipher.encrypt(out)) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    if (headLength < head.length) {
                        int take = Math.min(n, head.length - headLength);
                        System.arraycopy(buffer, 0, head, headLength, take);
                        headLength += take;
                        if (typeCheck && headLength == head.length) {
                            type[0] = checkType(kind, record, head, headLength);
                        }
                    }
                    size[0] += n;
                    if (size[0] > max) {
                        throw new MediaRefused(413, record + ".bytes", "larger than the " + max + " bytes allowed ("
                                + (kind.chunkSized() ? "proctoring.media.maxChunkBytes" : "proctoring.media.maxSnapshotBytes") + ")");
                    }
                    digest.update(buffer, 0, n);
                    enc.write(buffer, 0, n);
                }
                if (size[0] == 0) {
                    throw new MediaRefused(400, record + ".bytes", "empty");
                }
                if (typeCheck && headLength < head.length) {
                    // Chromium's first timeslice chunk can be a single byte (0x1A): a first chunk shorter than the
                    // WebM signature is accepted when it begins it, and RecordingUploads.finish checks the joined start
                    boolean beginsWebm = kind == MediaKind.RECORDING_CHUNK && MediaType.WEBM.begunBy(head, headLength);
                    type[0] = beginsWebm ? MediaType.WEBM : checkType(kind, record, head, headLength);
                }
                sha[0] = HexFormat.of().formatHex(digest.digest());
                if (expectedSha256 != null && !expectedSha256.equals(sha[0])) {
                    throw new MediaRefused(400, record + ".sha256", "the bytes received hash to " + sha[0]
                            + ", not the declared " + expectedSha256 + " (the upload was damaged or incomplete; send it again)");
                }
            }
        });
        return new StoredMedia(key, personId, kind, type[0], size[0], sha[0], recordingId, chunkIndex, clock.instant());
    }

    private static MediaType checkType(MediaKind kind, String record, byte[] head, int length) {
        return MediaType.detect(head, length).filter(kind.types()::contains)
                .orElseThrow(() -> new MediaRefused(415, record + ".bytes", "not " + kind.types().stream()
                        .map(MediaType::contentType).sorted().toList() + " (checked by the first bytes)"));
    }

    static void insert(Handle h, StoredMedia m) {
        h.createUpdate("""
                        INSERT INTO proctoring_media (object_key, person_id, kind, content_type, size, sha256, recording_id, chunk_index, created_at)
                        VALUES (:key, :person, :kind, :type, :size, :sha, :rec, :idx, :at)""")
                .bind("key", m.key()).bind("person", m.personId()).bind("kind", m.kind().dbName())
                .bind("type", m.type().contentType()).bind("size", m.size()).bind("sha", m.sha256())
                .bind("rec", m.recordingId()).bind("idx", m.chunkIndex()).bind("at", Timestamp.from(m.createdAt())).execute();
    }

    public Optional<StoredMedia> find(String key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM proctoring_media WHERE object_key = :k")
                .bind("k", key).map((rs, c) -> map(rs)).findOne());
    }

    /** The person's objects, oldest first. */
    public List<StoredMedia> ofPerson(String personId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM proctoring_media WHERE person_id = :p ORDER BY created_at, recording_id, chunk_index, object_key""")
                .bind("p", personId).map((rs, c) -> map(rs)).list());
    }

    /** Opens one object for {@code actor}, recording the view or download first. */
    public Opened open(String key, String actor, Access access) {
        StoredMedia m = find(key).orElseThrow(() -> new MediaRefused(404, "media.key", "no object " + key));
        audit(actor, access.name().toLowerCase(java.util.Locale.ROOT), m.personId(), key, m.kind().dbName());
        return new Opened(m.type(), m.size(), decrypted(m));
    }

    /** Opens a whole recording (its chunks in order, decrypted as they are read) for {@code actor}, audited. */
    public Opened openRecording(String recordingId, String actor, Access access) {
        List<StoredMedia> chunks = jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM proctoring_media WHERE recording_id = :r AND kind = 'recording_chunk' ORDER BY chunk_index""")
                .bind("r", recordingId).map((rs, c) -> map(rs)).list());
        if (chunks.isEmpty()) {
            throw new MediaRefused(404, "recording.id", "no recording " + recordingId + " with stored chunks");
        }
        audit(actor, access.name().toLowerCase(java.util.Locale.ROOT), chunks.getFirst().personId(),
                "recording:" + recordingId, chunks.size() + " chunk(s)");
        Iterator<StoredMedia> it = chunks.iterator();
        InputStream joined = new SequenceInputStream(new java.util.Enumeration<>() {
            @Override
            public boolean hasMoreElements() {
                return it.hasNext();
            }

            @Override
            public InputStream nextElement() {
                return decrypted(it.next());
            }
        });
        return new Opened(MediaType.WEBM, chunks.stream().mapToLong(StoredMedia::size).sum(), joined);
    }

    private InputStream decrypted(StoredMedia m) {
        return decrypted(m, 0);
    }

    /** The plaintext of {@code m} from byte {@code offset} on (the segments before it are skipped unread). */
    InputStream decrypted(StoredMedia m, long offset) {
        InputStream raw = store.get(m.key()).orElseThrow(() -> new UncheckedIOException(
                new IOException("the media object " + m.key() + " is listed but missing from the store")));
        try {
            return cipher.decrypt(raw, "the media object " + m.key(), offset);
        } catch (IOException e) {
            try {
                raw.close();
            } catch (IOException ignored) {
                // reporting the decryption failure
            }
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a zip of all of {@code personId}'s media, decrypted, with {@code manifest.json} (the person, when, and
     * per object its file, key, kind, type, size, SHA-256, recording and chunk, stored time); audited. The playable
     * (remuxed) copies of recordings are left out: they are made from the chunks, which are in the zip.
     */
    public int exportPerson(String personId, String actor, OutputStream out) throws IOException {
        return exportPerson(personId, actor, out, Map.of());
    }

    /**
     * {@link #exportPerson(String, String, OutputStream)} with {@code extra} files (name → bytes, e.g. the person's
     * attempts and their events as JSON) written into the zip beside the media and named in the manifest.
     */
    public int exportPerson(String personId, String actor, OutputStream out, Map<String, byte[]> extra) throws IOException {
        List<StoredMedia> all = ofPerson(personId).stream().filter(m -> m.kind() != MediaKind.RECORDING_PLAYABLE).toList();
        audit(actor, "export", personId, null, all.size() + " object(s)");
        List<Map<String, Object>> objects = new ArrayList<>();
        ZipOutputStream zip = new ZipOutputStream(out);
        for (StoredMedia m : all) {
            String file = "media/" + m.key() + "." + m.type().extension();
            zip.putNextEntry(new ZipEntry(file));
            try (InputStream in = decrypted(m)) {
                in.transferTo(zip);
            }
            zip.closeEntry();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("file", file);
            o.put("key", m.key());
            o.put("kind", m.kind().dbName());
            o.put("contentType", m.type().contentType());
            o.put("size", m.size());
            o.put("sha256", m.sha256());
            o.put("recordingId", m.recordingId());
            o.put("chunkIndex", m.chunkIndex());
            o.put("storedAt", m.createdAt().toString());
            objects.add(o);
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("personId", personId);
        manifest.put("exportedAt", clock.instant().toString());
        manifest.put("exportedBy", actor);
        manifest.put("objects", objects);
        for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(extra).entrySet()) {
            zip.putNextEntry(new ZipEntry(e.getKey()));
            zip.write(e.getValue());
            zip.closeEntry();
        }
        manifest.put("files", List.copyOf(new java.util.TreeSet<>(extra.keySet())));
        zip.putNextEntry(new ZipEntry("manifest.json"));
        zip.write(JSON.writeValueAsBytes(manifest));
        zip.closeEntry();
        zip.finish();
        zip.flush();
        return all.size();
    }

    /** Deletes all of {@code personId}'s media and recordings on request (the dean's office), audited; how many objects. */
    public int deletePerson(String personId, String actor) {
        List<StoredMedia> all = ofPerson(personId);
        // files first: a crash midway leaves rows whose files are gone, and deleting again finishes the job
        all.forEach(m -> store.delete(m.key()));
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM proctoring_media WHERE object_key = ANY(:keys)")
                    .bindArray("keys", String.class, all.stream().map(StoredMedia::key).toList()).execute();
            h.createUpdate("""
                            DELETE FROM proctoring_recording r WHERE person_id = :p
                               AND NOT EXISTS (SELECT 1 FROM proctoring_media m WHERE m.recording_id = r.id)""")
                    .bind("p", personId).execute();
            insertAudit(h, actor, "delete", personId, null, all.size() + " object(s)");
        });
        return all.size();
    }

    /**
     * Deletes every object stored longer ago than {@code proctoring.media.retention} (and recordings left without
     * chunks), one audit row per object; the daily housekeeping job. The playable copy of a recording goes with its
     * first chunk past retention (it holds that chunk's content). How many objects were purged.
     */
    public int purge() {
        Instant cutoff = clock.instant().minus(settings.retention());
        List<StoredMedia> old = jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM proctoring_media m
                         WHERE created_at < :cutoff
                            OR (kind = 'recording_playable' AND EXISTS (
                                   SELECT 1 FROM proctoring_media c
                                    WHERE c.recording_id = m.recording_id AND c.kind = 'recording_chunk' AND c.created_at < :cutoff))
                         ORDER BY created_at""")
                .bind("cutoff", Timestamp.from(cutoff)).map((rs, c) -> map(rs)).list());
        for (StoredMedia m : old) {
            store.delete(m.key());
            jdbi.useTransaction(h -> {
                h.createUpdate("DELETE FROM proctoring_media WHERE object_key = :k").bind("k", m.key()).execute();
                insertAudit(h, RETENTION_ACTOR, "purge", m.personId(), m.key(),
                        m.kind().dbName() + " stored " + m.createdAt() + ", retention " + settings.retention());
            });
        }
        jdbi.useHandle(h -> h.createUpdate("""
                        DELETE FROM proctoring_recording r WHERE started_at < :cutoff
                           AND NOT EXISTS (SELECT 1 FROM proctoring_media m WHERE m.recording_id = r.id)""")
                .bind("cutoff", Timestamp.from(cutoff)).execute());
        return old.size();
    }

    /** The audit rows about {@code personId}, oldest first. */
    public List<AuditEntry> audit(String personId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM proctoring_media_audit WHERE person_id = :p ORDER BY id")
                .bind("p", personId).map((rs, c) -> new AuditEntry(rs.getLong("id"), rs.getTimestamp("at").toInstant(),
                        rs.getString("actor"), rs.getString("action"), rs.getString("person_id"),
                        rs.getString("object_key"), rs.getString("detail"))).list());
    }

    void audit(String actor, String action, String personId, String key, String detail) {
        jdbi.useHandle(h -> insertAudit(h, actor, action, personId, key, detail));
    }

    private void insertAudit(Handle h, String actor, String action, String personId, String key, String detail) {
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("an audited media action needs the actor");
        }
        h.createUpdate("""
                        INSERT INTO proctoring_media_audit (at, actor, action, person_id, object_key, detail)
                        VALUES (:at, :actor, :action, :person, :key, :detail)""")
                .bind("at", Timestamp.from(clock.instant())).bind("actor", actor).bind("action", action)
                .bind("person", personId).bind("key", key).bind("detail", detail).execute();
    }

    static StoredMedia map(ResultSet rs) throws SQLException {
        int idx = rs.getInt("chunk_index");
        Integer chunk = rs.wasNull() ? null : idx;
        return new StoredMedia(rs.getString("object_key"), rs.getString("person_id"), MediaKind.fromDb(rs.getString("kind")),
                MediaType.of(rs.getString("content_type")), rs.getLong("size"), rs.getString("sha256"),
                rs.getString("recording_id"), chunk, rs.getTimestamp("created_at").toInstant());
    }

    static void checkPerson(String personId) {
        if (personId == null || !PERSON.matcher(personId).matches()) {
            throw new MediaRefused(400, "media.personId", "missing or not a person id");
        }
    }

    static String checkSha256(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new MediaRefused(400, "chunk.sha256", "64 lowercase hex digits expected");
        }
        return sha256;
    }

    Clock clock() {
        return clock;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    MediaStore store() {
        return store;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
