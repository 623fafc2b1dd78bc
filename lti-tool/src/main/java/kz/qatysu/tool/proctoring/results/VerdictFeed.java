package kz.qatysu.tool.proctoring.results;

import org.jdbi.v3.core.Jdbi;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Every proctor's decision ({@code proctoring_verdict_history}) in the order decisions became visible, read with a
 * cursor: only entries of transactions that have ended (xid below the reader's snapshot xmin), ordered by (xid, id),
 * so a decision committing late always sorts after everything already returned (V166; the attendance change feed's
 * rule, {@link kz.qatysu.tool.attendance.changes.ChangeFeed}).
 */
public final class VerdictFeed {
    private final Jdbi jdbi;

    public VerdictFeed(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** One decision with its attempt's exam and examinee. */
    public record Entry(long seq, String attemptId, String examId, String examTitle, String sectionId, String personId,
                        String verdict, String comment, String decidedBy, OffsetDateTime decidedAt) {
    }

    /**
     * Up to {@code limit} decisions after the one numbered {@code since} (0: from the beginning).
     *
     * @throws UnknownCursor when no decision has the number {@code since}
     */
    public List<Entry> after(long since, int limit) {
        return jdbi.withHandle(h -> {
            long xid = since == 0 ? 0 : h.createQuery("SELECT xid FROM proctoring_verdict_history WHERE id = :since")
                    .bind("since", since).mapTo(Long.class).findOne().orElseThrow(() -> new UnknownCursor(since));
            return h.createQuery("""
                            SELECT v.id, v.attempt_id, a.exam_id, e.title, e.section_id, a.person_id, v.verdict, v.comment,
                                   v.decided_by, v.decided_at
                            FROM proctoring_verdict_history v
                            JOIN proctoring_attempt a ON a.id = v.attempt_id
                            JOIN proctored_exam e ON e.id = a.exam_id
                            WHERE (v.xid, v.id) > (:xid, :since)
                              AND v.xid < (SELECT CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS TEXT) AS BIGINT))
                            ORDER BY v.xid, v.id
                            LIMIT :limit""")
                    .bind("xid", xid).bind("since", since).bind("limit", limit)
                    .map((rs, c) -> new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getObject(10, OffsetDateTime.class)))
                    .list();
        });
    }

    /**
     * Remembers that {@code reader} was handed the feed up to the decision numbered {@code seq} (the results-delivery
     * page says from it whether the portal's reader has a verdict yet); a reader's position never moves back.
     */
    public void fetched(String reader, long seq, java.time.Instant at) {
        if (seq <= 0) {
            return;
        }
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO proctoring_verdict_feed_reader (reader, last_xid, last_seq, read_at)
                        SELECT :reader, xid, id, :at FROM proctoring_verdict_history WHERE id = :seq
                        ON CONFLICT (reader) DO UPDATE SET last_xid = EXCLUDED.last_xid, last_seq = EXCLUDED.last_seq,
                            read_at = EXCLUDED.read_at
                        WHERE (EXCLUDED.last_xid, EXCLUDED.last_seq) >= (proctoring_verdict_feed_reader.last_xid,
                                                                         proctoring_verdict_feed_reader.last_seq)""")
                .bind("reader", reader).bind("seq", seq).bind("at", kz.qatysu.tool.util.Utc.of(at)).execute());
    }

    /** A cursor that names no decision. */
    public static final class UnknownCursor extends RuntimeException {
        UnknownCursor(long since) {
            super("no verdict has the number " + since);
        }
    }
}
