package kz.qatysu.tool.attendance.changes;

import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.rules.Mark;
import kz.qatysu.tool.attendance.rules.Standing;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * The append-only feed of mark and standing changes ({@code attendance_change}), read by the sync daemon with
 * a cursor. Appends run inside {@link kz.qatysu.tool.attendance.AttendanceWrites} transactions, so sequence
 * numbers become visible in order.
 */
public final class ChangeFeed {
    private static final RowMapper<Change> MAPPER = (rs, ctx) -> new Change(
            rs.getLong("seq"), rs.getString("type"), rs.getString("section_id"), rs.getString("session_id"),
            rs.getString("person_id"), rs.getString("status"), (Integer) rs.getObject("late_minutes"),
            rs.getString("reason"), rs.getString("state"), rs.getString("computed_state"),
            rs.getBigDecimal("absence_share"), rs.getString("by_caller"), rs.getObject("at", OffsetDateTime.class));

    private final Jdbi jdbi;

    public ChangeFeed(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Appends one feed entry per mark in one JDBC batch, in the order given (the writer holds the feed lock). */
    public void appendMarks(Handle h, String sectionId, List<Map.Entry<String, Mark>> marks, ChangeSource source) {
        if (marks.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch("""
                INSERT INTO attendance_change (type, section_id, session_id, person_id, status, late_minutes, reason,
                                               by_caller, at)
                VALUES ('mark', :section, :session, :person, :status, :late, :reason, :by, :at)""");
        for (Map.Entry<String, Mark> e : marks) {
            Mark mark = e.getValue();
            batch.bind("section", sectionId).bind("session", mark.sessionId()).bind("person", e.getKey())
                    .bind("status", mark.status().name()).bind("late", mark.lateMinutes()).bind("reason", mark.reason())
                    .bind("by", source.by()).bind("at", source.at()).add();
        }
        batch.execute();
    }

    public long appendStanding(Handle h, String sectionId, String personId, Standing standing, ChangeSource source) {
        return h.createQuery("""
                        INSERT INTO attendance_change (type, section_id, person_id, state, computed_state, absence_share,
                                                       reason, by_caller, at)
                        VALUES ('standing', :section, :person, :state, :computed, :share, :reason, :by, :at)
                        RETURNING seq""")
                .bind("section", sectionId).bind("person", personId).bind("state", standing.state().name())
                .bind("computed", standing.computedState().name()).bind("share", standing.absenceShare())
                .bind("reason", standing.reason()).bind("by", source.by()).bind("at", source.at())
                .mapTo(Long.class).one();
    }

    /** Up to {@code limit} changes with a sequence number greater than {@code since}, oldest first. */
    public List<Change> after(long since, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT seq, type, section_id, session_id, person_id, status, late_minutes, reason, state,
                               computed_state, absence_share, by_caller, at
                        FROM attendance_change
                        WHERE seq > :since
                        ORDER BY seq
                        LIMIT :limit""")
                .bind("since", since).bind("limit", limit)
                .map(MAPPER).list());
    }

    /** One entry of the feed; mark entries carry status/lateMinutes/reason, standing entries state/computedState. */
    public record Change(long seq, String type, String sectionId, String sessionId, String personId, String status,
                         Integer lateMinutes, String reason, String state, String computedState, BigDecimal absenceShare,
                         String by, OffsetDateTime at) {
    }
}
