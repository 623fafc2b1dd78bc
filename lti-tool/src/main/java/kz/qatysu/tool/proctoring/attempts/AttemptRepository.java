package kz.qatysu.tool.proctoring.attempts;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import kz.qatysu.tool.proctoring.analysis.Descriptor;

/** Attempts, their event log, snapshots and verdicts ({@code proctoring_attempt}, {@code _event}, {@code _snapshot}, {@code _verdict}). */
public final class AttemptRepository {
    private final Jdbi jdbi;

    public AttemptRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** Creates the attempt of (exam, person) in CONSENT_PENDING unless it exists; returns the one that exists now. */
    public Attempt createOrGet(Handle h, String newId, String examId, String personId, Instant at) {
        return createOrGet(h, newId, examId, personId, 1, at);
    }

    /**
     * Creates attempt number {@code number} of (exam, person) in CONSENT_PENDING unless it exists; returns the one that
     * exists now. An LMS that counts attempts (Open edX's {@code attempt_number}) gets a new attempt for each number.
     */
    public Attempt createOrGet(Handle h, String newId, String examId, String personId, int number, Instant at) {
        h.createUpdate("""
                        INSERT INTO proctoring_attempt (id, exam_id, person_id, attempt_number, state, created_at)
                        VALUES (:id, :exam, :person, :number, 'CONSENT_PENDING', :at)
                        ON CONFLICT (exam_id, person_id, attempt_number) DO NOTHING""")
                .bind("id", newId).bind("exam", examId).bind("person", personId).bind("number", number)
                .bind("at", Timestamp.from(at)).execute();
        return h.createQuery("SELECT * FROM proctoring_attempt WHERE exam_id = :exam AND person_id = :person AND attempt_number = :number")
                .bind("exam", examId).bind("person", personId).bind("number", number).map(AttemptRepository::map).one();
    }

    public Optional<Attempt> find(String attemptId) {
        return jdbi.withHandle(h -> find(h, attemptId));
    }

    public Optional<Attempt> find(Handle h, String attemptId) {
        return h.createQuery("SELECT * FROM proctoring_attempt WHERE id = :id").bind("id", attemptId)
                .map(AttemptRepository::map).findOne();
    }

    /** The attempt locked for a state change (SELECT … FOR UPDATE). */
    public Optional<Attempt> lock(Handle h, String attemptId) {
        return h.createQuery("SELECT * FROM proctoring_attempt WHERE id = :id FOR UPDATE").bind("id", attemptId)
                .map(AttemptRepository::map).findOne();
    }

    /** The person's current attempt at the exam: the one with the highest number (an LMS may have started a new one). */
    public Optional<Attempt> of(String examId, String personId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM proctoring_attempt WHERE exam_id = :e AND person_id = :p
                        ORDER BY attempt_number DESC LIMIT 1""")
                .bind("e", examId).bind("p", personId).map(AttemptRepository::map).findOne());
    }

    /** The attempts of an exam, optionally in one state, in the order they were opened. */
    public List<Attempt> ofExam(String examId, Optional<AttemptState> state) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM proctoring_attempt WHERE exam_id = :e AND (CAST(:state AS TEXT) IS NULL OR state = :state)
                        ORDER BY created_at, id""")
                .bind("e", examId).bind("state", state.map(Enum::name).orElse(null)).map(AttemptRepository::map).list());
    }

    public void setState(Handle h, String attemptId, AttemptState state, String timeColumn, Instant at) {
        if (timeColumn != null && !List.of("consent_at", "refused_at", "started_at", "ended_at").contains(timeColumn)) {
            throw new IllegalArgumentException(timeColumn);
        }
        String set = timeColumn == null ? "" : ", " + timeColumn + " = COALESCE(" + timeColumn + ", :at)";
        h.createUpdate("UPDATE proctoring_attempt SET state = :state" + set + " WHERE id = :id")
                .bind("state", state.name()).bind("at", Timestamp.from(at)).bind("id", attemptId).execute();
    }

    public void setIdentity(Handle h, String attemptId, Attempt.Identity identity, int tries, Descriptor descriptor,
                            String idPhotoKey, String livePhotoKey) {
        h.createUpdate("""
                        UPDATE proctoring_attempt SET identity = :identity, identity_tries = :tries,
                            identity_descriptor = COALESCE(:descriptor, identity_descriptor),
                            id_photo_key = COALESCE(:idKey, id_photo_key), live_photo_key = COALESCE(:liveKey, live_photo_key)
                        WHERE id = :id""")
                .bind("identity", identity.name()).bind("tries", tries)
                .bind("descriptor", descriptor == null ? null : bytes(descriptor))
                .bind("idKey", idPhotoKey).bind("liveKey", livePhotoKey).bind("id", attemptId).execute();
    }

    public void setRoomScan(Handle h, String attemptId, String key) {
        h.createUpdate("UPDATE proctoring_attempt SET room_scan_key = :k WHERE id = :id").bind("k", key).bind("id", attemptId).execute();
    }

    public void setRecording(Handle h, String attemptId, String recordingId) {
        h.createUpdate("UPDATE proctoring_attempt SET recording_id = :r WHERE id = :id").bind("r", recordingId).bind("id", attemptId).execute();
    }

    /** The face the identity check saw for this attempt, if any. */
    public Optional<Descriptor> identityDescriptor(Handle h, String attemptId) {
        return h.createQuery("SELECT identity_descriptor FROM proctoring_attempt WHERE id = :id AND identity_descriptor IS NOT NULL")
                .bind("id", attemptId).mapTo(byte[].class).findOne().map(AttemptRepository::descriptor);
    }

    /** The face of the person's most recent VERIFIED attempt of any exam other than {@code exceptAttemptId}. */
    public Optional<Descriptor> earlierVerifiedFace(Handle h, String personId, String exceptAttemptId) {
        return h.createQuery("""
                        SELECT identity_descriptor FROM proctoring_attempt
                        WHERE person_id = :p AND id <> :id AND identity = 'VERIFIED' AND identity_descriptor IS NOT NULL
                        ORDER BY created_at DESC LIMIT 1""")
                .bind("p", personId).bind("id", exceptAttemptId).mapTo(byte[].class).findOne().map(AttemptRepository::descriptor);
    }

    /** Appends an event; a browser event resent with the same {@code clientId} is stored once (false the second time). */
    public boolean addEvent(Handle h, String attemptId, Instant at, Instant receivedAt, EventType type, String detail,
                            String snapshotKey, String clientId) {
        return h.createUpdate("""
                        INSERT INTO proctoring_event (attempt_id, at, received_at, type, severity, detail, snapshot_key, client_id)
                        VALUES (:a, :at, :rcv, :type, :sev, :detail, :snap, :client) ON CONFLICT (attempt_id, client_id) DO NOTHING""")
                .bind("a", attemptId).bind("at", Timestamp.from(at)).bind("rcv", Timestamp.from(receivedAt))
                .bind("type", type.name()).bind("sev", type.severity().name()).bind("detail", detail == null ? "" : detail)
                .bind("snap", snapshotKey).bind("client", clientId).execute() == 1;
    }

    public List<AttemptEvent> events(String attemptId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, attempt_id, at, type, severity, detail, snapshot_key FROM proctoring_event
                        WHERE attempt_id = :a ORDER BY at, id""")
                .bind("a", attemptId)
                .map((rs, ctx) -> new AttemptEvent(rs.getLong("id"), rs.getString("attempt_id"),
                        rs.getTimestamp("at").toInstant(), EventType.valueOf(rs.getString("type")),
                        EventType.Severity.valueOf(rs.getString("severity")), rs.getString("detail"),
                        Optional.ofNullable(rs.getString("snapshot_key"))))
                .list());
    }

    /** Event counts per type of each attempt of an exam (for trust scores and flag counts in one query). */
    public Map<String, Map<EventType, Integer>> eventCounts(String examId) {
        Map<String, Map<EventType, Integer>> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT e.attempt_id, e.type, count(*) AS n FROM proctoring_event e
                        JOIN proctoring_attempt a ON a.id = e.attempt_id WHERE a.exam_id = :exam GROUP BY e.attempt_id, e.type""")
                .bind("exam", examId)
                .map((rs, ctx) -> { out.computeIfAbsent(rs.getString("attempt_id"), k -> new EnumMap<>(EventType.class))
                        .put(EventType.valueOf(rs.getString("type")), rs.getInt("n")); return 1; })
                .list());
        return out;
    }

    public Map<EventType, Integer> eventCountsOf(String attemptId) {
        Map<EventType, Integer> out = new EnumMap<>(EventType.class);
        jdbi.useHandle(h -> h.createQuery("SELECT type, count(*) AS n FROM proctoring_event WHERE attempt_id = :a GROUP BY type")
                .bind("a", attemptId)
                .map((rs, ctx) -> out.put(EventType.valueOf(rs.getString("type")), rs.getInt("n"))).list());
        return out;
    }

    /** A monitoring snapshot, stored once per browser id; false when the browser had sent it before. */
    public boolean addSnapshot(Handle h, String key, String attemptId, SnapshotSource source, Instant takenAt,
                               Instant receivedAt, String clientId, Instant leaseUntil) {
        return h.createUpdate("""
                        INSERT INTO proctoring_snapshot (object_key, attempt_id, source, taken_at, received_at, client_id, lease_until)
                        VALUES (:k, :a, :src, :taken, :rcv, :client, :lease) ON CONFLICT (attempt_id, client_id) DO NOTHING""")
                .bind("k", key).bind("a", attemptId).bind("src", source.name()).bind("taken", Timestamp.from(takenAt))
                .bind("rcv", Timestamp.from(receivedAt)).bind("client", clientId)
                .bind("lease", leaseUntil == null ? null : Timestamp.from(leaseUntil)).execute() == 1;
    }

    public Optional<String> snapshotKey(String attemptId, String clientId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT object_key FROM proctoring_snapshot WHERE attempt_id = :a AND client_id = :c")
                .bind("a", attemptId).bind("c", clientId).mapTo(String.class).findOne());
    }

    /** A camera snapshot waiting for analysis. */
    public record PendingSnapshot(String key, String attemptId, String personId, Instant takenAt) {
    }

    /**
     * Leases up to {@code max} camera snapshots not yet analysed and not leased by a live worker (any node), oldest
     * first ({@code FOR UPDATE SKIP LOCKED}): each is analysed by whoever leased it, or leased again after the lease ends.
     */
    public List<PendingSnapshot> leasePending(int max, Instant now, Instant leaseUntil) {
        return jdbi.inTransaction(h -> h.createQuery("""
                        UPDATE proctoring_snapshot s SET lease_until = :until FROM proctoring_attempt a
                        WHERE a.id = s.attempt_id AND s.object_key IN (
                            SELECT object_key FROM proctoring_snapshot
                            WHERE analysed_at IS NULL AND source = 'CAMERA' AND (lease_until IS NULL OR lease_until < :now)
                            ORDER BY received_at LIMIT :max FOR UPDATE SKIP LOCKED)
                        RETURNING s.object_key, s.attempt_id, a.person_id, s.taken_at""")
                .bind("until", Timestamp.from(leaseUntil)).bind("now", Timestamp.from(now)).bind("max", max)
                .map((rs, ctx) -> new PendingSnapshot(rs.getString("object_key"), rs.getString("attempt_id"),
                        rs.getString("person_id"), rs.getTimestamp("taken_at").toInstant()))
                .list());
    }

    public int pendingSnapshots() {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT count(*) FROM proctoring_snapshot WHERE analysed_at IS NULL AND source = 'CAMERA'").mapTo(Integer.class).one());
    }

    /** Records a snapshot's analysis; false when it had been recorded already (another worker finished first). */
    public boolean markAnalysed(Handle h, String key, Integer faces, String note, Instant at) {
        return h.createUpdate("""
                        UPDATE proctoring_snapshot SET faces = :faces, analysis_note = :note, analysed_at = :at, lease_until = NULL
                        WHERE object_key = :k AND analysed_at IS NULL""")
                .bind("faces", faces).bind("note", note).bind("at", Timestamp.from(at)).bind("k", key).execute() == 1;
    }

    /** Gives a lease back (the analysis pool was full): the drain picks it up again. */
    public void releaseLease(String key) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE proctoring_snapshot SET lease_until = NULL WHERE object_key = :k AND analysed_at IS NULL")
                .bind("k", key).execute());
    }

    /** One snapshot of an attempt's timeline. */
    public record SnapshotRow(String key, SnapshotSource source, Instant takenAt, Integer faces, Instant analysedAt,
                              String note) {
    }

    public List<SnapshotRow> snapshots(String attemptId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT object_key, source, taken_at, faces, analysed_at, analysis_note FROM proctoring_snapshot
                        WHERE attempt_id = :a ORDER BY taken_at, object_key""")
                .bind("a", attemptId)
                .map((rs, ctx) -> new SnapshotRow(rs.getString("object_key"), SnapshotSource.valueOf(rs.getString("source")),
                        rs.getTimestamp("taken_at").toInstant(), (Integer) rs.getObject("faces"),
                        Optional.ofNullable(rs.getTimestamp("analysed_at")).map(Timestamp::toInstant).orElse(null),
                        rs.getString("analysis_note")))
                .list());
    }

    /** Which attempt a snapshot belongs to (authorization of evidence reads). */
    public Optional<String> attemptOfSnapshot(String key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT attempt_id FROM proctoring_snapshot WHERE object_key = :k")
                .bind("k", key).mapTo(String.class).findOne());
    }

    public boolean heartbeat(Handle h, String attemptId, Instant at) {
        return h.createUpdate("UPDATE proctoring_attempt SET last_heartbeat_at = :at, silent_since = NULL WHERE id = :id")
                .bind("at", Timestamp.from(at)).bind("id", attemptId).execute() == 1;
    }

    /** IN_PROGRESS attempts whose window has been silent since before {@code silentBefore} and not yet reported. */
    public List<Attempt> newlySilent(Handle h, Instant silentBefore) {
        return h.createQuery("""
                        SELECT * FROM proctoring_attempt WHERE state = 'IN_PROGRESS' AND silent_since IS NULL
                        AND COALESCE(last_heartbeat_at, started_at) < :before FOR UPDATE SKIP LOCKED""")
                .bind("before", Timestamp.from(silentBefore)).map(AttemptRepository::map).list();
    }

    public void markSilent(Handle h, String attemptId, Instant since) {
        h.createUpdate("UPDATE proctoring_attempt SET silent_since = :s WHERE id = :id")
                .bind("s", Timestamp.from(since)).bind("id", attemptId).execute();
    }

    /** Silent IN_PROGRESS or CHECKING attempts of exams that closed before {@code closedBefore}: they are abandoned. */
    public List<Attempt> silentAfterClose(Handle h, Instant closedBefore, Instant silentBefore) {
        return h.createQuery("""
                        SELECT a.* FROM proctoring_attempt a JOIN proctored_exam e ON e.id = a.exam_id
                        WHERE a.state IN ('IN_PROGRESS', 'CHECKING') AND e.closes_at < :closed
                        AND COALESCE(a.last_heartbeat_at, a.started_at, a.consent_at, a.created_at) < :silent
                        FOR UPDATE OF a SKIP LOCKED""")
                .bind("closed", Timestamp.from(closedBefore)).bind("silent", Timestamp.from(silentBefore))
                .map(AttemptRepository::map).list();
    }

    public Optional<Verdict> verdict(String attemptId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM proctoring_verdict WHERE attempt_id = :a").bind("a", attemptId)
                .map(AttemptRepository::verdict).findOne());
    }

    public Map<String, Verdict> verdictsOfExam(String examId) {
        Map<String, Verdict> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT v.* FROM proctoring_verdict v JOIN proctoring_attempt a ON a.id = v.attempt_id WHERE a.exam_id = :e""")
                .bind("e", examId).map((rs, ctx) -> out.put(rs.getString("attempt_id"), verdict(rs, ctx))).list());
        return out;
    }

    /** Sets the verdict and appends it to the history (the audit of decisions). */
    public void decide(Handle h, String attemptId, Verdict v) {
        h.createUpdate("""
                        INSERT INTO proctoring_verdict (attempt_id, verdict, comment, decided_by, decided_at)
                        VALUES (:a, :v, :c, :by, :at) ON CONFLICT (attempt_id) DO UPDATE
                        SET verdict = EXCLUDED.verdict, comment = EXCLUDED.comment, decided_by = EXCLUDED.decided_by,
                            decided_at = EXCLUDED.decided_at""")
                .bind("a", attemptId).bind("v", v.verdict().name()).bind("c", v.comment()).bind("by", v.decidedBy())
                .bind("at", Timestamp.from(v.decidedAt())).execute();
        h.createUpdate("""
                        INSERT INTO proctoring_verdict_history (attempt_id, verdict, comment, decided_by, decided_at)
                        VALUES (:a, :v, :c, :by, :at)""")
                .bind("a", attemptId).bind("v", v.verdict().name()).bind("c", v.comment()).bind("by", v.decidedBy())
                .bind("at", Timestamp.from(v.decidedAt())).execute();
    }

    public List<Verdict> verdictHistory(String attemptId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM proctoring_verdict_history WHERE attempt_id = :a ORDER BY decided_at, id")
                .bind("a", attemptId).map(AttemptRepository::verdict).list());
    }

    private static Verdict verdict(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Verdict(Verdict.Outcome.valueOf(rs.getString("verdict")), rs.getString("comment"),
                rs.getString("decided_by"), rs.getTimestamp("decided_at").toInstant());
    }

    public static Attempt map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Attempt(rs.getString("id"), rs.getString("exam_id"), rs.getString("person_id"),
                AttemptState.valueOf(rs.getString("state")), Attempt.Identity.valueOf(rs.getString("identity")),
                rs.getInt("identity_tries"), Optional.ofNullable(rs.getString("id_photo_key")),
                Optional.ofNullable(rs.getString("live_photo_key")), Optional.ofNullable(rs.getString("room_scan_key")),
                Optional.ofNullable(rs.getString("recording_id")), rs.getTimestamp("created_at").toInstant(),
                instant(rs, "consent_at"), instant(rs, "refused_at"), instant(rs, "started_at"), instant(rs, "ended_at"),
                instant(rs, "last_heartbeat_at"));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getTimestamp(column)).map(Timestamp::toInstant);
    }

    static byte[] bytes(Descriptor d) {
        float[] v = d.values();
        ByteBuffer b = ByteBuffer.allocate(v.length * 4);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    static Descriptor descriptor(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        float[] v = new float[bytes.length / 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getFloat();
        }
        return new Descriptor(v);
    }
}
