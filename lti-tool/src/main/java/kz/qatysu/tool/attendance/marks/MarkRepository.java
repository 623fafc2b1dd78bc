package kz.qatysu.tool.attendance.marks;

import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.rules.AttendanceStatus;
import kz.qatysu.tool.attendance.rules.Mark;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Marks and their audit trail ({@code mark_history}). Every method runs on the caller's handle. */
public final class MarkRepository {
    /** A row with {@code person_id, session_id, status, late_minutes, reason} as person id → mark. */
    public static final RowMapper<Map.Entry<String, Mark>> PERSON_MARK = (rs, ctx) -> Map.entry(rs.getString("person_id"),
            new Mark(rs.getString("session_id"), AttendanceStatus.valueOf(rs.getString("status")),
                    (Integer) rs.getObject("late_minutes"), rs.getString("reason")));

    /** The marks of a session by person id. */
    public Map<String, Mark> ofSession(Handle h, String sessionId) {
        Map<String, Mark> out = new HashMap<>();
        h.createQuery("SELECT person_id, session_id, status, late_minutes, reason FROM mark WHERE session_id = :id")
                .bind("id", sessionId)
                .map(PERSON_MARK)
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * A stored mark with what optimistic concurrency needs: its {@code version} (1 for the first save, +1 for each
     * change; a person without a mark is at version 0) and who saved it last, when.
     */
    public record Stored(Mark mark, long version, String updatedBy, java.time.Instant updatedAt) {
    }

    /** The stored marks of a session, with version and last writer, by person id. */
    public Map<String, Stored> storedOfSession(Handle h, String sessionId) {
        Map<String, Stored> out = new HashMap<>();
        h.createQuery("""
                        SELECT person_id, session_id, status, late_minutes, reason, version, updated_by, updated_at
                        FROM mark WHERE session_id = :id""")
                .bind("id", sessionId)
                .map((rs, ctx) -> Map.entry(rs.getString("person_id"), new Stored(PERSON_MARK.map(rs, ctx).getValue(),
                        rs.getLong("version"), rs.getString("updated_by"),
                        rs.getObject("updated_at", java.time.OffsetDateTime.class).toInstant())))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Who saved a mark of a session last, and when: the newest {@code updated_by, updated_at} of its marks. */
    public record LastMarked(String by, java.time.Instant at) {
    }

    /** The last writer of each of {@code sessionIds} that has marks. */
    public Map<String, LastMarked> lastMarked(Handle h, java.util.Collection<String> sessionIds) {
        Map<String, LastMarked> out = new HashMap<>();
        if (sessionIds.isEmpty()) {
            return out;
        }
        h.createQuery("""
                        SELECT DISTINCT ON (session_id) session_id, updated_by, updated_at FROM mark
                        WHERE session_id = ANY(:ids) ORDER BY session_id, updated_at DESC, person_id""")
                .bind("ids", sessionIds.toArray(String[]::new))
                .map((rs, ctx) -> Map.entry(rs.getString("session_id"), new LastMarked(rs.getString("updated_by"),
                        rs.getObject("updated_at", java.time.OffsetDateTime.class).toInstant())))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** One mark to store: the person, the mark they had (null when none) and the new one. */
    public record Change(String personId, Mark old, Mark mark) {
    }

    /**
     * Stores the marks and their history rows (old → new, who, when) as two JDBC batches — a 100-student grid is two
     * round trips instead of two hundred.
     */
    public void saveAll(Handle h, List<Change> changes, ChangeSource source) {
        if (changes.isEmpty()) {
            return;
        }
        PreparedBatch marks = h.prepareBatch(UPSERT_MARK);
        PreparedBatch history = h.prepareBatch(INSERT_HISTORY);
        for (Change c : changes) {
            Mark mark = c.mark();
            Mark old = c.old();
            marks.bind("session", mark.sessionId()).bind("person", c.personId()).bind("status", mark.status().name())
                    .bind("late", mark.lateMinutes()).bind("reason", mark.reason())
                    .bind("by", source.by()).bind("at", source.at()).add();
            history.bind("session", mark.sessionId()).bind("person", c.personId())
                    .bind("oldStatus", old == null ? null : old.status().name())
                    .bind("oldLate", old == null ? null : old.lateMinutes())
                    .bind("oldReason", old == null ? null : old.reason())
                    .bind("status", mark.status().name()).bind("late", mark.lateMinutes()).bind("reason", mark.reason())
                    .bind("by", source.by()).bind("at", source.at()).add();
        }
        marks.execute();
        history.execute();
    }

    private static final String UPSERT_MARK = """
            INSERT INTO mark (session_id, person_id, status, late_minutes, reason, updated_by, updated_at)
            VALUES (:session, :person, :status, :late, :reason, :by, :at)
            ON CONFLICT (session_id, person_id) DO UPDATE SET
                status = EXCLUDED.status, late_minutes = EXCLUDED.late_minutes, reason = EXCLUDED.reason,
                updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at, version = mark.version + 1""";
    private static final String INSERT_HISTORY = """
            INSERT INTO mark_history (session_id, person_id, old_status, old_late_minutes, old_reason,
                                      new_status, new_late_minutes, new_reason, changed_by, changed_at)
            VALUES (:session, :person, :oldStatus, :oldLate, :oldReason, :status, :late, :reason, :by, :at)""";

    /** Stores the mark and its history row (old → new, who, when) together. */
    public void save(Handle h, String personId, Mark old, Mark mark, ChangeSource source) {
        h.createUpdate("""
                        INSERT INTO mark (session_id, person_id, status, late_minutes, reason, updated_by, updated_at)
                        VALUES (:session, :person, :status, :late, :reason, :by, :at)
                        ON CONFLICT (session_id, person_id) DO UPDATE SET
                            status = EXCLUDED.status, late_minutes = EXCLUDED.late_minutes, reason = EXCLUDED.reason,
                            updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at, version = mark.version + 1""")
                .bind("session", mark.sessionId()).bind("person", personId).bind("status", mark.status().name())
                .bind("late", mark.lateMinutes()).bind("reason", mark.reason())
                .bind("by", source.by()).bind("at", source.at())
                .execute();
        h.createUpdate("""
                        INSERT INTO mark_history (session_id, person_id, old_status, old_late_minutes, old_reason,
                                                  new_status, new_late_minutes, new_reason, changed_by, changed_at)
                        VALUES (:session, :person, :oldStatus, :oldLate, :oldReason, :status, :late, :reason, :by, :at)""")
                .bind("session", mark.sessionId()).bind("person", personId)
                .bind("oldStatus", old == null ? null : old.status().name())
                .bind("oldLate", old == null ? null : old.lateMinutes())
                .bind("oldReason", old == null ? null : old.reason())
                .bind("status", mark.status().name()).bind("late", mark.lateMinutes()).bind("reason", mark.reason())
                .bind("by", source.by()).bind("at", source.at())
                .execute();
    }
}
