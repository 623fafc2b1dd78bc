package kz.qatysu.tool.attendance.changes;

import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.rules.Mark;
import kz.qatysu.tool.attendance.rules.Standing;
import kz.qatysu.tool.attendance.standing.StandingTexts;
import kz.qatysu.tool.web.Messages;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The append-only feed of mark and standing changes ({@code attendance_change}), read by the sync daemon with
 * a cursor. Appends run inside {@link kz.qatysu.tool.attendance.AttendanceWrites} transactions, which lock only the
 * sections they write, so entries of different sections commit in any order. Each entry records its transaction's
 * id ({@code xid}, V95); a reader returns only entries of transactions that have ended — xid below the xmin of its
 * snapshot: every transaction with a smaller id has committed or rolled back — ordered by (xid, seq). An entry that
 * becomes visible later therefore always sorts after everything already returned, and the cursor (the seq of the
 * last entry returned) never skips one. Two writes to one section take their xids in lock order, so a section's
 * entries keep the order they were written in.
 */
public final class ChangeFeed {
    private static final RowMapper<Change> MAPPER = (rs, ctx) -> new Change(
            rs.getLong("seq"), rs.getString("type"), rs.getString("section_id"), rs.getString("session_id"),
            rs.getString("person_id"), rs.getString("status"), (Integer) rs.getObject("late_minutes"),
            rs.getString("reason"), rs.getString("state"), rs.getString("computed_state"),
            rs.getBigDecimal("absence_share"), rs.getString("by_caller"), rs.getObject("at", OffsetDateTime.class));

    private final Jdbi jdbi;
    private final Messages defaultMessages;

    /** @param defaultMessages the institution's default language: a standing change's {@code reason} is written in it */
    public ChangeFeed(Jdbi jdbi, Messages defaultMessages) {
        this.jdbi = jdbi;
        this.defaultMessages = defaultMessages;
    }

    /** Appends one feed entry per mark in one JDBC batch, in the order given (the writer holds the section's lock). */
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

    /**
     * Appends one standing entry per student in a single multi-row {@code INSERT … SELECT unnest(…)} (one round
     * trip), in the order given, and returns each student's new sequence number.
     */
    public Map<String, Long> appendStandings(Handle h, String sectionId, List<Map.Entry<String, Standing>> standings,
                                             ChangeSource source) {
        if (standings.isEmpty()) {
            return Map.of();
        }
        int n = standings.size();
        String[] persons = new String[n];
        String[] states = new String[n];
        String[] computed = new String[n];
        String[] shares = new String[n]; // numeric[] has no JDBI array type: sent as text, cast in SQL
        String[] reasons = new String[n];
        for (int i = 0; i < n; i++) {
            Standing s = standings.get(i).getValue();
            persons[i] = standings.get(i).getKey();
            states[i] = s.state().name();
            computed[i] = s.computedState().name();
            shares[i] = s.absenceShare().toPlainString();
            reasons[i] = StandingTexts.sentence(defaultMessages, s);
        }
        Map<String, Long> seqs = new HashMap<>();
        h.createQuery("""
                        INSERT INTO attendance_change (type, section_id, person_id, state, computed_state, absence_share,
                                                       reason, by_caller, at)
                        SELECT 'standing', :section, u.person, u.state, u.computed, CAST(u.share AS NUMERIC), u.reason, :by, :at
                        FROM unnest(:persons, :states, :computed, :shares, :reasons)
                             WITH ORDINALITY AS u(person, state, computed, share, reason, ord)
                        ORDER BY u.ord
                        RETURNING seq, person_id""")
                .bind("section", sectionId).bind("persons", persons).bind("states", states)
                .bind("computed", computed).bind("shares", shares).bind("reasons", reasons)
                .bind("by", source.by()).bind("at", source.at())
                .map((rs, ctx) -> Map.entry(rs.getString("person_id"), rs.getLong("seq")))
                .forEach(e -> seqs.put(e.getKey(), e.getValue()));
        return seqs;
    }

    /**
     * Up to {@code limit} changes after the one numbered {@code since} (0: from the beginning) in feed order, of
     * transactions that have ended.
     *
     * @throws UnknownCursor when no change has the number {@code since}
     */
    public List<Change> after(long since, int limit) {
        return jdbi.withHandle(h -> {
            long xid = since == 0 ? 0 : h.createQuery("SELECT xid FROM attendance_change WHERE seq = :since")
                    .bind("since", since).mapTo(Long.class).findOne().orElseThrow(() -> new UnknownCursor(since));
            // one statement, one snapshot: the horizon and the rows are seen at the same moment
            return h.createQuery("""
                            SELECT seq, type, section_id, session_id, person_id, status, late_minutes, reason, state,
                                   computed_state, absence_share, by_caller, at
                            FROM attendance_change
                            WHERE (xid, seq) > (:xid, :since)
                              AND xid < (SELECT CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS TEXT) AS BIGINT))
                            ORDER BY xid, seq
                            LIMIT :limit""")
                    .bind("xid", xid).bind("since", since).bind("limit", limit)
                    .map(MAPPER).list();
        });
    }

    /** A cursor that names no change: the feed never returned it. */
    public static final class UnknownCursor extends RuntimeException {
        public UnknownCursor(long since) {
            super("no change has the number " + since);
        }
    }

    /** One entry of the feed; mark entries carry status/lateMinutes/reason, standing entries state/computedState. */
    public record Change(long seq, String type, String sectionId, String sessionId, String personId, String status,
                         Integer lateMinutes, String reason, String state, String computedState, BigDecimal absenceShare,
                         String by, OffsetDateTime at) {
    }
}
