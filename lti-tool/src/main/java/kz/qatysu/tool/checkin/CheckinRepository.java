package kz.qatysu.tool.checkin;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.Array;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Check-ins and their attempts. Every method runs on the caller's handle. */
final class CheckinRepository {
    private static final RowMapper<Checkin> CHECKIN = (rs, ctx) -> new Checkin(rs.getLong("id"), rs.getString("session_id"),
            rs.getString("section_id"), rs.getBytes("secret"), rs.getInt("step_seconds"),
            instant(rs.getObject("window_start", OffsetDateTime.class)), instant(rs.getObject("window_end", OffsetDateTime.class)),
            new IpRanges(strings(rs.getArray("ip_ranges"))), rs.getBoolean("one_device"), rs.getInt("grace_minutes"),
            rs.getString("opened_by"), instant(rs.getObject("opened_at", OffsetDateTime.class)),
            rs.getString("closed_by"), instant(rs.getObject("closed_at", OffsetDateTime.class)));

    private static final RowMapper<Attempt> ATTEMPT = (rs, ctx) -> new Attempt(rs.getLong("id"),
            (Long) rs.getObject("checkin_id"), rs.getString("person_id"), rs.getBoolean("accepted"), rs.getString("reason"),
            rs.getString("status"), (Integer) rs.getObject("late_minutes"), rs.getString("ip"),
            instant(rs.getObject("at", OffsetDateTime.class)));

    long insert(Handle h, String sessionId, String sectionId, byte[] secret, CheckinOptions o, Instant windowStart,
                Instant windowEnd, String by, Instant at) {
        return h.createUpdate("""
                        INSERT INTO checkin (session_id, section_id, secret, step_seconds, window_start, window_end, ip_ranges,
                                             one_device, grace_minutes, opened_by, opened_at)
                        VALUES (:session, :section, :secret, :step, :ws, :we, :ips, :oneDevice, :grace, :by, :at)""")
                .bind("session", sessionId).bind("section", sectionId).bind("secret", secret)
                .bind("step", o.stepSeconds()).bind("ws", windowStart).bind("we", windowEnd)
                .bind("ips", o.ipRanges().cidrs().toArray(String[]::new)).bind("oneDevice", o.oneDevice())
                .bind("grace", o.graceMinutes()).bind("by", by).bind("at", at)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    Optional<Checkin> find(Handle h, long id) {
        return h.createQuery("SELECT * FROM checkin WHERE id = :id").bind("id", id).map(CHECKIN).findOne();
    }

    Optional<Checkin> openOfSession(Handle h, String sessionId) {
        return h.createQuery("SELECT * FROM checkin WHERE session_id = :s AND closed_at IS NULL")
                .bind("s", sessionId).map(CHECKIN).findOne();
    }

    List<Checkin> openOfSection(Handle h, String sectionId) {
        return h.createQuery("SELECT * FROM checkin WHERE section_id = :s AND closed_at IS NULL ORDER BY opened_at DESC, id DESC")
                .bind("s", sectionId).map(CHECKIN).list();
    }

    List<Checkin> ofSession(Handle h, String sessionId) {
        return h.createQuery("SELECT * FROM checkin WHERE session_id = :s ORDER BY id DESC")
                .bind("s", sessionId).map(CHECKIN).list();
    }

    boolean close(Handle h, long id, String by, Instant at) {
        return h.createUpdate("UPDATE checkin SET closed_by = :by, closed_at = :at WHERE id = :id AND closed_at IS NULL")
                .bind("id", id).bind("by", by).bind("at", at).execute() == 1;
    }

    void insertAttempt(Handle h, Long checkinId, String sectionId, String personId, boolean accepted, String reason,
                       String status, Integer lateMinutes, String ip, String deviceHash, String userAgent, Instant at) {
        h.createUpdate("""
                        INSERT INTO checkin_attempt (checkin_id, section_id, person_id, accepted, reason, status, late_minutes,
                                                     ip, device_hash, user_agent, at)
                        VALUES (:checkin, :section, :person, :accepted, :reason, :status, :late, :ip, :device, :ua, :at)""")
                .bind("checkin", checkinId).bind("section", sectionId).bind("person", personId).bind("accepted", accepted)
                .bind("reason", reason).bind("status", status).bind("late", lateMinutes).bind("ip", ip)
                .bind("device", deviceHash).bind("ua", userAgent == null ? null : userAgent.substring(0, Math.min(300, userAgent.length())))
                .bind("at", at).execute();
    }

    /** Wrong codes a student entered for one class session, over all its check-ins (index from V61). */
    int wrongCodes(Handle h, String sessionId, String personId) {
        return h.createQuery("""
                        SELECT count(*) FROM checkin_attempt a JOIN checkin c ON c.id = a.checkin_id
                        WHERE c.session_id = :session AND a.person_id = :person AND a.reason = 'WRONG_CODE'""")
                .bind("session", sessionId).bind("person", personId).mapTo(Integer.class).one();
    }

    /** Serialises the code checks of one student for one session until the transaction ends (exact wrong-code cap). */
    void lockCodeChecks(Handle h, String sessionId, String personId) {
        h.createQuery("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .bind("key", "checkin-code:" + sessionId + ":" + personId).mapTo(String.class).one();
    }

    Optional<Attempt> accepted(Handle h, long checkinId, String personId) {
        return h.createQuery("SELECT * FROM checkin_attempt WHERE checkin_id = :c AND person_id = :p AND accepted")
                .bind("c", checkinId).bind("p", personId).map(ATTEMPT).findOne();
    }

    /** Another person already checked in to this check-in from the device. */
    Optional<String> otherPersonOnDevice(Handle h, long checkinId, String deviceHash, String personId) {
        return h.createQuery("""
                        SELECT person_id FROM checkin_attempt
                        WHERE checkin_id = :c AND accepted AND device_hash = :d AND person_id <> :p LIMIT 1""")
                .bind("c", checkinId).bind("d", deviceHash).bind("p", personId).mapTo(String.class).findOne();
    }

    List<Attempt> attempts(Handle h, long checkinId) {
        return h.createQuery("SELECT * FROM checkin_attempt WHERE checkin_id = :c ORDER BY id")
                .bind("c", checkinId).map(ATTEMPT).list();
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static List<String> strings(Array a) throws SQLException {
        return a == null ? List.of() : Arrays.asList((String[]) a.getArray());
    }
}
