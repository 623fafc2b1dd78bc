package kz.qatysu.tool.proctoring.results;

import kz.qatysu.tool.deans.AdminAudit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an exam's results have become outside the tool, per attempt (docs/PROCTORING.md "Results delivery"): the Moodle
 * quiz override ({@code proctoring_quiz_override}), the AGS scores "Proctoring check passed" and "Proctoring" in each
 * course link ({@code proctoring_score_delivery}), the Open edX ACS actions ({@code openedx_acs_action}) and the
 * verdict's place in the portal's feed ({@code proctoring_verdict_feed_reader}). Read-only, except {@link #retry}, which
 * only makes failed items due now: the outboxes ({@code QuizGate}, {@code ProctoringScores}, {@code AcsOutbox}) stay the
 * only writers of what is sent.
 */
public final class DeliveryStatus {
    private final Jdbi jdbi;
    private final AdminAudit audit;
    private final Clock clock;

    public DeliveryStatus(Jdbi jdbi, AdminAudit audit, Clock clock) {
        this.jdbi = jdbi;
        this.audit = audit;
        this.clock = clock;
    }

    /** Where one item stands. */
    public enum Outcome {
        /** Arrived: the outside system answered success. */
        DELIVERED,
        /** Tried and refused or unreachable; retried with backoff ({@link Item#nextTryAt}). */
        FAILED,
        /** Not sent yet (queued, or the worker has not come to it). */
        PENDING
    }

    /**
     * One outside call (or its absence).
     *
     * @param channel   MOODLE_OVERRIDE, AGS_PASSED, AGS_VERDICT, ACS, PORTAL
     * @param what      the state or value sent (override state, verdict, ACS action, the feed reader)
     * @param where     the course link or the reader it went to ("" when there is one place)
     * @param at        when it arrived (or was last changed)
     * @param nextTryAt when a failed item is tried again
     */
    public record Item(String channel, Outcome outcome, String what, String where, int tries, Optional<String> lastError,
                       Optional<Instant> at, Optional<Instant> nextTryAt) {
    }

    /** One attempt, its examinee by name, and every item of it. */
    public record Row(String attemptId, String personId, String name, int attemptNumber, String state,
                      Optional<String> verdict, List<Item> items) {
        public long failed() {
            return items.stream().filter(i -> i.outcome() == Outcome.FAILED).count();
        }
    }

    /** The exam's attempts (examinees by name, then attempt number) with their delivery items. */
    public List<Row> of(String examId) {
        return jdbi.withHandle(h -> {
            List<Row> rows = h.createQuery("""
                            SELECT a.id, a.person_id, COALESCE(NULLIF(p.display_name, ''), a.person_id) AS name, a.attempt_number,
                                   a.state, v.verdict,
                                   a.id = (SELECT l.id FROM proctoring_attempt l WHERE l.exam_id = a.exam_id AND l.person_id = a.person_id
                                           ORDER BY l.attempt_number DESC, l.created_at DESC LIMIT 1) AS latest
                            FROM proctoring_attempt a
                            LEFT JOIN person p ON p.person_id = a.person_id
                            LEFT JOIN proctoring_verdict v ON v.attempt_id = a.id
                            WHERE a.exam_id = :e
                            ORDER BY name, a.person_id, a.attempt_number""")
                    .bind("e", examId)
                    .map((rs, c) -> {
                        List<Item> items = new ArrayList<>();
                        String attemptId = rs.getString(1);
                        items.addAll(override(h, attemptId));
                        if (rs.getBoolean(7)) {
                            // the scores are per examinee: the latest attempt's
                            items.addAll(scores(h, examId, rs.getString(2), "PASSED", null));
                            items.addAll(scores(h, examId, rs.getString(2), "VERDICT", rs.getString(6)));
                        }
                        items.addAll(acs(h, attemptId));
                        items.addAll(portal(h, attemptId));
                        return new Row(attemptId, rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                                Optional.ofNullable(rs.getString(6)), List.copyOf(items));
                    })
                    .list();
            return rows;
        });
    }

    private static List<Item> override(Handle h, String attemptId) {
        return h.createQuery("""
                        SELECT state, attempts, last_error, next_attempt_at, updated_at, time_close
                        FROM proctoring_quiz_override WHERE attempt_id = :a""")
                .bind("a", attemptId)
                .map((rs, c) -> {
                    String state = rs.getString(1);
                    Optional<String> error = Optional.ofNullable(rs.getString(3));
                    Outcome o = state.equals("OPEN") || state.equals("CLOSED") ? Outcome.DELIVERED
                            : error.isPresent() ? Outcome.FAILED : Outcome.PENDING;
                    Optional<Instant> at = state.equals("CLOSED") ? Optional.of(Instant.ofEpochSecond(rs.getLong(6)))
                            : Optional.of(instant(rs, 5));
                    return new Item("MOODLE_OVERRIDE", o, state, "", rs.getInt(2), error, at, Optional.ofNullable(instantOrNull(rs, 4)));
                })
                .list();
    }

    /**
     * The examinee's score of one kind in every course link of the exam's section. VERDICT: due while the attempt has a
     * verdict that is not the one posted; PASSED (GRADE_RESTRICTION exams, Open edX courses): due once an attempt started.
     */
    private static List<Item> scores(Handle h, String examId, String personId, String kind, String verdict) {
        boolean wanted = kind.equals("VERDICT") ? verdict != null : h.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM proctoring_attempt a WHERE a.exam_id = :e AND a.person_id = :p
                                                                           AND a.started_at IS NOT NULL)""")
                .bind("e", examId).bind("p", personId).mapTo(Boolean.class).one();
        List<Item> out = new ArrayList<>();
        h.createQuery("""
                        SELECT cl.context_id, cl.resource_link_id, d.posted_state, d.posted_at, d.attempts, d.last_error,
                               d.next_attempt_at, v.comment IS NOT DISTINCT FROM d.posted_comment
                        FROM course_link cl
                        JOIN proctored_exam e ON e.section_id = cl.section_id AND e.id = :e
                        LEFT JOIN proctoring_moodle_quiz q ON q.exam_id = e.id
                        LEFT JOIN proctoring_score_delivery d ON d.platform_id = cl.platform_id AND d.context_id = cl.context_id
                                 AND d.resource_link_id = cl.resource_link_id AND d.exam_id = e.id AND d.person_id = :p AND d.kind = :k
                        LEFT JOIN LATERAL (SELECT v.comment FROM proctoring_attempt a JOIN proctoring_verdict v ON v.attempt_id = a.id
                                           WHERE a.exam_id = e.id AND a.person_id = :p
                                           ORDER BY a.attempt_number DESC, a.created_at DESC LIMIT 1) v ON TRUE
                        WHERE (:k = 'VERDICT' OR (q.gate_mode = 'GRADE_RESTRICTION' AND q.platform_id = cl.platform_id)
                               OR cl.context_id LIKE 'course-v1:%')
                        ORDER BY cl.platform_id, cl.context_id, cl.resource_link_id""")
                .bind("e", examId).bind("p", personId).bind("k", kind)
                .map((rs, c) -> {
                    String posted = rs.getString(3);
                    Optional<String> error = Optional.ofNullable(rs.getString(6));
                    boolean current = kind.equals("PASSED") ? posted != null : posted != null && posted.equals(verdict) && rs.getBoolean(8);
                    Outcome o = current ? Outcome.DELIVERED : error.isPresent() ? Outcome.FAILED : Outcome.PENDING;
                    String what = kind.equals("PASSED") ? "1" : verdict;
                    return new Item("AGS_" + kind, o, what, rs.getString(1), rs.getInt(5), error,
                            Optional.ofNullable(instantOrNull(rs, 4)), Optional.ofNullable(instantOrNull(rs, 7)));
                })
                .forEach(i -> {
                    if (wanted || i.outcome() == Outcome.DELIVERED) {
                        out.add(i);
                    }
                });
        return out;
    }

    private static List<Item> acs(Handle h, String attemptId) {
        return h.createQuery("""
                        SELECT x.action, x.cause, x.attempts, x.delivered_at, x.last_error, x.next_attempt_at, o.attempt_number
                        FROM openedx_acs_action x JOIN openedx_attempt o ON o.id = x.openedx_attempt
                        WHERE o.attempt_id = :a ORDER BY x.id""")
                .bind("a", attemptId)
                .map((rs, c) -> {
                    Instant delivered = instantOrNull(rs, 4);
                    Optional<String> error = Optional.ofNullable(rs.getString(5));
                    Outcome o = delivered != null ? Outcome.DELIVERED : error.isPresent() ? Outcome.FAILED : Outcome.PENDING;
                    return new Item("ACS", o, rs.getString(1), "", rs.getInt(3), error, Optional.ofNullable(delivered),
                            delivered == null ? Optional.ofNullable(instantOrNull(rs, 6)) : Optional.empty());
                })
                .list();
    }

    /** The attempt's latest decision in the verdicts feed: fetched by a reader whose position is at or past it. */
    private static List<Item> portal(Handle h, String attemptId) {
        return h.createQuery("""
                        SELECT v.verdict, r.reader, r.read_at
                        FROM (SELECT * FROM proctoring_verdict_history WHERE attempt_id = :a ORDER BY xid DESC, id DESC LIMIT 1) v
                        LEFT JOIN LATERAL (SELECT reader, read_at FROM proctoring_verdict_feed_reader r
                                           WHERE (r.last_xid, r.last_seq) >= (v.xid, v.id) ORDER BY read_at LIMIT 1) r ON TRUE""")
                .bind("a", attemptId)
                .map((rs, c) -> new Item("PORTAL", rs.getString(2) != null ? Outcome.DELIVERED : Outcome.PENDING, rs.getString(1),
                        rs.getString(2) == null ? "" : rs.getString(2), 0, Optional.empty(),
                        Optional.ofNullable(instantOrNull(rs, 3)), Optional.empty()))
                .list();
    }

    /** What {@link #retry} made due now, per channel. */
    public record Retried(int overrides, int scores, int acs) {
        public int total() {
            return overrides + scores + acs;
        }
    }

    /**
     * Makes every failed item of the exam due now (its backoff reset; its tries and last error kept), audited. The
     * outboxes' workers send them on their next pass (within seconds); nothing is sent from here.
     */
    public Retried retry(String examId, String actor) {
        Timestamp now = Timestamp.from(clock.instant());
        Retried r = jdbi.inTransaction(h -> new Retried(
                h.createUpdate("""
                                UPDATE proctoring_quiz_override SET next_attempt_at = NULL
                                WHERE exam_id = :e AND state IN ('OPENING', 'CLOSING') AND last_error IS NOT NULL""")
                        .bind("e", examId).execute(),
                h.createUpdate("""
                                UPDATE proctoring_score_delivery SET next_attempt_at = NULL
                                WHERE exam_id = :e AND last_error IS NOT NULL AND next_attempt_at IS NOT NULL""")
                        .bind("e", examId).execute(),
                h.createUpdate("""
                                UPDATE openedx_acs_action x SET next_attempt_at = :now
                                FROM openedx_attempt o
                                WHERE o.id = x.openedx_attempt AND o.exam_id = :e AND x.delivered_at IS NULL
                                  AND x.last_error IS NOT NULL AND x.next_attempt_at > :now""")
                        .bind("e", examId).bind("now", now).execute()));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("overrides", r.overrides());
        detail.put("scores", r.scores());
        detail.put("acs", r.acs());
        audit.record(actor, "proctoring.delivery.retry", "proctored_exam/" + examId, detail);
        return r;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }

    private static Instant instantOrNull(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
