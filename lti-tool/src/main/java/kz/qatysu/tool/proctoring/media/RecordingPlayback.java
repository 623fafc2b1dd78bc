package kz.qatysu.tool.proctoring.media;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Playback of a recording that a browser can seek. MediaRecorder's timeslice chunks make a WebM without Cues and
 * without a duration: Chromium plays it but reports the duration as Infinity and cannot seek. So the first playback
 * remuxes the chunks with ffmpeg ({@link Remux}, no re-encoding) and keeps the result encrypted in the store as a
 * {@link MediaKind#RECORDING_PLAYABLE} object, remembering which chunks (index and SHA-256 of each) it was made
 * from; when the chunks change it is made again. Without ffmpeg, or when ffmpeg fails, the chunks are served as
 * recorded: they play, but cannot be seeked ({@link Playback#seekable()} false).
 *
 * <p>Every opening is audited as a {@code view} or {@code download} of {@code recording:<id>}; the further range
 * requests of one playback (a browser seeking) by the same actor within {@link #AUDIT_WINDOW} are not written again.
 */
public final class RecordingPlayback {
    /** Range requests of one person for one recording within this time count as one audited view. */
    public static final Duration AUDIT_WINDOW = Duration.ofMinutes(5);
    private static final Logger log = LoggerFactory.getLogger(RecordingPlayback.class);

    private final ProctoringMedia media;
    private final Remux remux;
    private final Path workRoot;
    private final ConcurrentHashMap<String, Object> making = new ConcurrentHashMap<>();
    /** Chunk lists ffmpeg could not remux (by digest), not tried again on every range request; bounded. */
    private final java.util.Set<String> failed = ConcurrentHashMap.newKeySet();

    /** {@code workRoot}: where ffmpeg's output is written (in a private folder per remux, deleted afterwards). */
    public RecordingPlayback(ProctoringMedia media, Remux remux, Path workRoot) {
        this.media = media;
        this.remux = remux;
        this.workRoot = workRoot;
    }

    /** As the tool runs it: {@code proctoring.ffmpeg}, a 10-minute limit per remux, {@code dataDir/proctoring/remux}. */
    public static RecordingPlayback of(ProctoringMedia media, MediaSettings settings) {
        return new RecordingPlayback(media, new Remux(settings.ffmpeg(), Duration.ofMinutes(10)),
                settings.dataDir().resolve("proctoring").resolve("remux"));
    }

    /** Logs a warning naming {@code proctoring.ffmpeg} when ffmpeg cannot run (recordings then play but cannot seek). */
    public void warnIfNoFfmpeg() {
        remux.problem().ifPresent(p -> log.warn("{} (env QATYSU_PROCTORING_FFMPEG): {} — recordings will play as recorded "
                + "but cannot be seeked; install ffmpeg (Debian: apt install ffmpeg) or set the key to its path",
                MediaSettings.FFMPEG, p));
    }

    public Remux remux() {
        return remux;
    }

    /** A recording ready to be read, whole or by byte ranges; each read decrypts only what it returns. */
    public static final class Playback {
        private final String recordingId;
        private final boolean seekable;
        private final List<ProctoringMedia.StoredMedia> parts;
        private final long size;
        private final ProctoringMedia media;

        Playback(String recordingId, boolean seekable, List<ProctoringMedia.StoredMedia> parts, ProctoringMedia media) {
            this.recordingId = recordingId;
            this.seekable = seekable;
            this.parts = List.copyOf(parts);
            this.size = parts.stream().mapToLong(ProctoringMedia.StoredMedia::size).sum();
            this.media = media;
        }

        public String recordingId() {
            return recordingId;
        }

        public MediaType type() {
            return MediaType.WEBM;
        }

        public long size() {
            return size;
        }

        /** Remuxed (has Cues and a duration); false = the chunks as recorded (plays, cannot seek). */
        public boolean seekable() {
            return seekable;
        }

        /** The whole recording; the caller closes the stream. */
        public InputStream read() {
            return read(new ByteRange(0, size - 1));
        }

        /** The bytes of {@code range} (inside {@link #size()}); the caller closes the stream. */
        public InputStream read(ByteRange range) {
            if (range.last() >= size) {
                throw new IllegalArgumentException("range " + range + " is outside the " + size + " bytes");
            }
            List<InputStreamSupplier> pieces = new ArrayList<>();
            long at = 0;
            for (ProctoringMedia.StoredMedia part : parts) {
                long end = at + part.size();
                if (end > range.first() && at <= range.last()) {
                    long offset = Math.max(0, range.first() - at);
                    pieces.add(() -> media.decrypted(part, offset));
                }
                at = end;
            }
            return new Limited(new Pieces(pieces), range.length());
        }
    }

    /**
     * Opens recording {@code recordingId} for playback by {@code actor}, audited (see the class comment); remuxes it
     * first when there is no playable copy of its current chunks. 404 ({@code recording.id}) without chunks.
     */
    public Playback open(String recordingId, String actor, ProctoringMedia.Access access) {
        List<ProctoringMedia.StoredMedia> chunks = chunks(recordingId);
        return audited(playable(recordingId, chunks), chunks, actor, access);
    }

    /** The chunks exactly as recorded (not seekable in a browser), with byte ranges; audited like {@link #open}. */
    public Playback openAsRecorded(String recordingId, String actor, ProctoringMedia.Access access) {
        List<ProctoringMedia.StoredMedia> chunks = chunks(recordingId);
        return audited(new Playback(recordingId, false, chunks, media), chunks, actor, access);
    }

    private Playback audited(Playback p, List<ProctoringMedia.StoredMedia> chunks, String actor, ProctoringMedia.Access access) {
        String action = access.name().toLowerCase(java.util.Locale.ROOT);
        String key = "recording:" + p.recordingId();
        String personId = chunks.getFirst().personId();
        boolean seenJustNow = media.jdbi().withHandle(h -> h.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM proctoring_media_audit
                                        WHERE actor = :actor AND action = :action AND object_key = :key AND at > :since)""")
                .bind("actor", actor).bind("action", action).bind("key", key)
                .bind("since", Timestamp.from(media.clock().instant().minus(AUDIT_WINDOW))).mapTo(Boolean.class).one());
        if (!seenJustNow) {
            media.audit(actor, action, personId, key, "playback of " + chunks.size() + " chunk(s), "
                    + (p.seekable() ? "remuxed" : "as recorded (not seekable)"));
        }
        return p;
    }

    /**
     * Makes the playable copy of the recording's current chunks now, if ffmpeg can (e.g. in the background after
     * {@code finish}), without an audit row; whether the recording is now seekable.
     */
    public boolean prepare(String recordingId) {
        return playable(recordingId, chunks(recordingId)).seekable();
    }

    private List<ProctoringMedia.StoredMedia> chunks(String recordingId) {
        List<ProctoringMedia.StoredMedia> chunks = media.jdbi().withHandle(h -> h.createQuery("""
                        SELECT * FROM proctoring_media WHERE recording_id = :r AND kind = 'recording_chunk' ORDER BY chunk_index""")
                .bind("r", recordingId).map((rs, c) -> ProctoringMedia.map(rs)).list());
        if (chunks.isEmpty()) {
            throw new MediaRefused(404, "recording.id", "no recording " + recordingId + " with stored chunks");
        }
        return chunks;
    }

    private Playback playable(String recordingId, List<ProctoringMedia.StoredMedia> chunks) {
        String digest = digest(chunks);
        Optional<ProctoringMedia.StoredMedia> made = current(recordingId, digest);
        if (made.isPresent()) {
            return new Playback(recordingId, true, List.of(made.get()), media);
        }
        if (remux.available() && !failed.contains(digest)) {
            // one remux per recording at a time; the others wait for it and then find its result
            synchronized (making.computeIfAbsent(recordingId, k -> new Object())) {
                try {
                    made = current(recordingId, digest);
                    if (made.isEmpty()) {
                        made = Optional.of(make(recordingId, chunks, digest));
                    }
                    return new Playback(recordingId, true, List.of(made.get()), media);
                } catch (IOException | RuntimeException e) {
                    if (failed.size() > 10_000) {
                        failed.clear();
                    }
                    failed.add(digest);
                    log.warn("recording {}: could not be remuxed for seeking ({}); serving it as recorded",
                            recordingId, e.getMessage());
                } finally {
                    making.remove(recordingId);
                }
            }
        }
        return new Playback(recordingId, false, chunks, media);
    }

    private Optional<ProctoringMedia.StoredMedia> current(String recordingId, String digest) {
        return media.jdbi().withHandle(h -> h.createQuery("""
                        SELECT * FROM proctoring_media
                         WHERE recording_id = :r AND kind = 'recording_playable' AND derived_from = :d""")
                .bind("r", recordingId).bind("d", digest).map((rs, c) -> ProctoringMedia.map(rs)).findOne());
    }

    private ProctoringMedia.StoredMedia make(String recordingId, List<ProctoringMedia.StoredMedia> chunks, String digest)
            throws IOException {
        Files.createDirectories(workRoot);
        Path dir = Files.createTempDirectory(workRoot, "remux-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Path out = dir.resolve("playable.webm");
            Playback raw = new Playback(recordingId, false, chunks, media);
            try (InputStream in = raw.read()) {
                remux.remux(in, out);
            }
            String key = "playable/" + recordingId + "/" + digest.substring(0, 16) + "-"
                    + java.util.UUID.randomUUID().toString().substring(0, 8);
            ProctoringMedia.StoredMedia m;
            try (InputStream in = Files.newInputStream(out)) {
                m = media.write(key, chunks.getFirst().personId(), MediaKind.RECORDING_PLAYABLE, recordingId, null, null, in);
            }
            List<String> stale = new ArrayList<>();
            int inserted = media.jdbi().inTransaction(h -> {
                stale.addAll(h.createQuery("""
                                DELETE FROM proctoring_media WHERE recording_id = :r AND kind = 'recording_playable'
                                RETURNING object_key""")
                        .bind("r", recordingId).mapTo(String.class).list());
                return h.createUpdate("""
                                INSERT INTO proctoring_media (object_key, person_id, kind, content_type, size, sha256, recording_id, derived_from, created_at)
                                VALUES (:key, :person, 'recording_playable', :type, :size, :sha, :rec, :from, :at)
                                ON CONFLICT DO NOTHING""")
                        .bind("key", m.key()).bind("person", m.personId()).bind("type", m.type().contentType())
                        .bind("size", m.size()).bind("sha", m.sha256()).bind("rec", recordingId).bind("from", digest)
                        .bind("at", Timestamp.from(m.createdAt())).execute();
            });
            stale.forEach(k -> media.store().delete(k));
            if (inserted == 0) {
                media.store().delete(key);
                throw new IOException("another node stored a playable copy of " + recordingId + " at the same time");
            }
            log.info("recording {}: remuxed {} chunk(s) into a seekable copy of {} bytes", recordingId, chunks.size(), m.size());
            return m;
        } finally {
            deleteTree(dir);
        }
    }

    /** SHA-256 of the chunk list: one line "index sha256" per chunk. */
    static String digest(List<ProctoringMedia.StoredMedia> chunks) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (ProctoringMedia.StoredMedia c : chunks) {
                d.update((c.chunkIndex() + " " + c.sha256() + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    log.warn("could not delete the remux work file {}: {}", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            log.warn("could not delete the remux work folder {}: {}", dir, e.getMessage());
        }
    }

    @FunctionalInterface
    private interface InputStreamSupplier {
        InputStream open();
    }

    /** The pieces one after the other, each opened when the previous one ends. */
    private static final class Pieces extends InputStream {
        private final java.util.Iterator<InputStreamSupplier> next;
        private InputStream current;

        Pieces(List<InputStreamSupplier> pieces) {
            this.next = pieces.iterator();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (true) {
                if (current == null) {
                    if (!next.hasNext()) {
                        return -1;
                    }
                    current = next.next().open();
                }
                int n = current.read(b, off, len);
                if (n != -1) {
                    return n;
                }
                current.close();
                current = null;
            }
        }

        @Override
        public void close() throws IOException {
            if (current != null) {
                current.close();
                current = null;
            }
        }
    }

    /** At most {@code remaining} bytes of {@code in}; a shorter source is a truncated object. */
    private static final class Limited extends InputStream {
        private final InputStream in;
        private long remaining;

        Limited(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n == -1) {
                throw new MediaCorrupted("the recording ended " + remaining + " bytes early: a stored object is shorter than listed");
            }
            remaining -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
