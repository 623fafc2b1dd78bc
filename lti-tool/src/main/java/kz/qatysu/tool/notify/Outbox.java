package kz.qatysu.tool.notify;

import kz.qatysu.tool.util.Utc;
import org.jdbi.v3.core.Jdbi;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The notifications outbox (V30): fills it from {@code standing_history}, hands out due rows to exactly one worker
 * at a time, records what each attempt came to. Reads the attendance tables, writes only its own.
 */
public final class Outbox {
    /** How long a transition's row may take to commit after its timestamp before the cursor passes it. */
    static final Duration SETTLE = Duration.ofMinutes(10);

    private final Jdbi jdbi;

    public Outbox(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A notification claimed by this worker (status SENDING, under lease). */
    public record Claimed(long id, long historyId, String sectionId, String studentId, String recipientId,
                          String recipientRole, String channel, WarningText.Kind kind, int attempts) {
    }

    /** What a warning says, read at delivery time. {@code currentState} null when the standing row is gone. */
    public record Subject(String toState, String cause, String discipline, String studentName, BigDecimal absenceShare,
                          int unexcusedHours, int plannedHours, int absenceBudget, String currentState,
                          String overrideReason) {
    }

    /** A row for the admin list. */
    public record Problem(long id, Instant createdAt, String sectionId, String studentId, String recipientId,
                          String channel, String kind, String status, int attempts, String lastError) {
    }

    /**
     * Copies e-mail and language of recent launches into {@code notify_contact}, keyed by the person the launch
     * was mapped to ({@code lti_user}); launch sessions expire, the contact stays.
     */
    public int harvestContacts() {
        return jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO notify_contact (person_id, email, language, seen_at)
                        SELECT DISTINCT ON (u.person_id) u.person_id, NULLIF(s.email, ''), s.locale, s.created_at
                        FROM tool_session s
                        JOIN lti_user u ON u.platform_id = s.platform_id AND u.subject = s.subject
                        WHERE s.created_at > COALESCE((SELECT max(seen_at) FROM notify_contact), '-infinity')
                                             - INTERVAL '10 minutes'
                        ORDER BY u.person_id, s.created_at DESC
                        ON CONFLICT (person_id) DO UPDATE SET
                            email = COALESCE(EXCLUDED.email, notify_contact.email), language = EXCLUDED.language,
                            seen_at = EXCLUDED.seen_at
                        WHERE EXCLUDED.seen_at > notify_contact.seen_at""")
                .execute());
    }

    /**
     * Queues one notification per channel per recipient for every new transition into WARNING or LOCKED (and a
     * lifted lock when {@code lockLifted}); transitions older than {@code oldest} are passed over. Idempotent:
     * a transition already queued is left alone, so two instances may run this at once.
     *
     * @return how many notifications were queued
     */
    public int enqueue(Instant now, Instant oldest, List<String> channels, boolean teachers, boolean lockLifted) {
        return enqueue(now, oldest, channels, teachers, false, lockLifted);
    }

    /** As above; {@code advisers}: also the student's adviser as the portal names them ({@code student_adviser}, V175). */
    public int enqueue(Instant now, Instant oldest, List<String> channels, boolean teachers, boolean advisers, boolean lockLifted) {
        if (channels.isEmpty()) {
            return 0;
        }
        return jdbi.inTransaction(h -> {
            // the cursor row's lock makes concurrent enqueues (two tool instances) take turns
            long cursor = h.createQuery("SELECT last_history_id FROM notify_cursor WHERE id = 1 FOR UPDATE")
                    .mapTo(Long.class).one();
            int queued = h.createUpdate("""
                            INSERT INTO notification (history_id, section_id, student_id, recipient_id, recipient_role, channel,
                                                      kind, status, next_attempt_at, created_at)
                            SELECT h.id, h.section_id, h.person_id, r.person_id, r.role, c.channel, k.kind, 'PENDING', :now, :now
                            FROM standing_history h
                            CROSS JOIN LATERAL (SELECT CASE WHEN h.to_state = 'LOCKED' THEN 'LOCKED'
                                                            WHEN h.from_state = 'LOCKED' THEN 'LIFTED'
                                                            WHEN h.to_state = 'WARNING' THEN 'WARNING' END AS kind) k
                            CROSS JOIN LATERAL (SELECT h.person_id AS person_id, 'student' AS role
                                                UNION ALL
                                                SELECT e.person_id, 'teacher' FROM enrolment e
                                                WHERE CAST(:teachers AS BOOLEAN) AND e.section_id = h.section_id
                                                  AND e.role = 'teacher' AND e.withdrawn_at IS NULL
                                                UNION ALL
                                                SELECT a.adviser_id, 'adviser' FROM student_adviser a
                                                WHERE CAST(:advisers AS BOOLEAN) AND a.student_id = h.person_id
                                                  AND NOT EXISTS (SELECT 1 FROM enrolment t WHERE t.section_id = h.section_id
                                                                  AND t.person_id = a.adviser_id AND t.role = 'teacher'
                                                                  AND t.withdrawn_at IS NULL AND CAST(:teachers AS BOOLEAN))) r
                            CROSS JOIN unnest(CAST(:channels AS TEXT[])) AS c(channel)
                            WHERE h.id > :cursor AND h.from_state <> h.to_state AND k.kind IS NOT NULL
                              AND (k.kind <> 'LIFTED' OR CAST(:lifted AS BOOLEAN)) AND h.at >= :oldest
                            ORDER BY h.id
                            ON CONFLICT (history_id, recipient_id, channel) DO NOTHING""")
                    .bind("now", Utc.of(now)).bind("oldest", Utc.of(oldest)).bind("cursor", cursor)
                    .bind("teachers", teachers).bind("advisers", advisers).bind("lifted", lockLifted)
                    .bind("channels", channels.toArray(String[]::new))
                    .execute();
            h.createUpdate("""
                            UPDATE notify_cursor SET last_history_id = GREATEST(last_history_id,
                                (SELECT COALESCE(max(id), 0) FROM standing_history WHERE at < :settled))
                            WHERE id = 1""")
                    .bind("settled", Utc.of(now.minus(SETTLE))).execute();
            return queued;
        });
    }

    /**
     * Takes up to {@code limit} due notifications for this worker: PENDING ones whose time has come, and SENDING
     * ones whose worker's lease ran out. Rows another worker is claiming right now are skipped, not waited for.
     */
    public List<Claimed> claim(Instant now, Duration lease, int limit) {
        return jdbi.inTransaction(h -> h.createQuery("""
                        UPDATE notification n SET status = 'SENDING', lease_until = :lease, attempts = n.attempts + 1
                        WHERE n.id IN (SELECT id FROM notification
                                       WHERE (status = 'PENDING' AND next_attempt_at <= :now)
                                          OR (status = 'SENDING' AND lease_until < :now)
                                       ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED)
                        RETURNING n.id, n.history_id, n.section_id, n.student_id, n.recipient_id, n.recipient_role,
                                  n.channel, n.kind, n.attempts""")
                .bind("now", Utc.of(now)).bind("lease", Utc.of(now.plus(lease))).bind("limit", limit)
                .map((rs, c) -> new Claimed(rs.getLong("id"), rs.getLong("history_id"), rs.getString("section_id"),
                        rs.getString("student_id"), rs.getString("recipient_id"), rs.getString("recipient_role"),
                        rs.getString("channel"), WarningText.Kind.valueOf(rs.getString("kind")), rs.getInt("attempts")))
                .list());
    }

    public Optional<Subject> subject(Claimed n) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT hi.to_state, hi.cause, COALESCE(NULLIF(s.title, ''), hi.section_id) AS discipline,
                               COALESCE(p.display_name, hi.person_id) AS student_name, st.absence_share,
                               st.absent_hours + st.late_absence_hours AS unexcused, st.planned_hours, st.absence_budget,
                               st.state, st.override_reason
                        FROM standing_history hi
                        LEFT JOIN section s ON s.section_id = hi.section_id
                        LEFT JOIN standing st ON st.section_id = hi.section_id AND st.person_id = hi.person_id
                        LEFT JOIN person p ON p.person_id = hi.person_id
                        WHERE hi.id = :id""")
                .bind("id", n.historyId())
                .map((rs, c) -> new Subject(rs.getString("to_state"), rs.getString("cause"), rs.getString("discipline"),
                        rs.getString("student_name"),
                        rs.getBigDecimal("absence_share") == null ? BigDecimal.ZERO : rs.getBigDecimal("absence_share"),
                        rs.getInt("unexcused"), rs.getInt("planned_hours"), rs.getInt("absence_budget"),
                        rs.getString("state"), rs.getString("override_reason")))
                .findOne());
    }

    /** The person's e-mail address and language as their launches showed them. */
    public record Contact(Optional<String> email, Optional<String> language) {
    }

    public Contact contact(String personId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT email, language FROM notify_contact WHERE person_id = :p")
                .bind("p", personId)
                .map((rs, c) -> new Contact(Optional.ofNullable(rs.getString("email")), Optional.ofNullable(rs.getString("language"))))
                .findOne().orElse(new Contact(Optional.empty(), Optional.empty())));
    }

    /** The most recent LTI subject (= Moodle user id for a Moodle platform) of the person on the platform with this issuer. */
    public Optional<String> subjectOn(String issuer, String personId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT u.subject FROM lti_user u JOIN platform p ON p.id = u.platform_id
                        WHERE p.issuer = :issuer AND u.person_id = :person
                        ORDER BY u.updated_at DESC LIMIT 1""")
                .bind("issuer", issuer).bind("person", personId).mapTo(String.class).findOne());
    }

    /** Records an attempt's outcome; a retry past {@code maxAttempts} gives up (FAILED, error kept). */
    public void finish(Claimed n, Outcome outcome, Instant now, int maxAttempts) {
        String status;
        Instant next = now;
        switch (outcome.result()) {
            case SENT -> status = "SENT";
            case SKIPPED -> status = "SKIPPED";
            case OBSOLETE -> status = "OBSOLETE";
            default -> {
                status = n.attempts() >= maxAttempts ? "FAILED" : "PENDING";
                next = now.plus(backoff(n.attempts()));
            }
        }
        String detail = outcome.detail() == null ? null
                : outcome.detail().length() > 500 ? outcome.detail().substring(0, 500) : outcome.detail();
        String finalStatus = status;
        Instant finalNext = next;
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE notification SET status = :status, lease_until = NULL, next_attempt_at = :next,
                            last_error = CASE WHEN :status = 'SENT' THEN NULL ELSE :detail END,
                            sent_at = CASE WHEN :status = 'SENT' THEN :now ELSE sent_at END
                        WHERE id = :id AND status = 'SENDING'""")
                .bind("status", finalStatus).bind("next", Utc.of(finalNext)).bind("detail", detail).bind("now", Utc.of(now))
                .bind("id", n.id()).execute());
    }

    /** 1, 2, 4 … minutes after the 1st, 2nd, 3rd … failed attempt, at most an hour. */
    static Duration backoff(int attempts) {
        Duration d = Duration.ofMinutes(1L << Math.min(Math.max(attempts - 1, 0), 6));
        return d.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : d;
    }

    /** Notifications given up, skipped, or failing and waiting for a retry; newest first. */
    public List<Problem> problems(int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, created_at, section_id, student_id, recipient_id, channel, kind, status, attempts, last_error
                        FROM notification
                        WHERE status IN ('FAILED', 'SKIPPED') OR (status IN ('PENDING', 'SENDING') AND last_error IS NOT NULL)
                        ORDER BY id DESC LIMIT :limit""")
                .bind("limit", limit)
                .map((rs, c) -> new Problem(rs.getLong("id"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                        rs.getString("section_id"), rs.getString("student_id"), rs.getString("recipient_id"),
                        rs.getString("channel"), rs.getString("kind"), rs.getString("status"), rs.getInt("attempts"),
                        rs.getString("last_error")))
                .list());
    }
}
