package kz.qatysu.tool.proctoring.results;

import kz.qatysu.tool.locks.CourseLinks;
import kz.qatysu.tool.locks.CourseLinks.CourseLink;
import kz.qatysu.tool.locks.CourseSubjects;
import kz.qatysu.tool.locks.LockPublisher.Delivery;
import kz.qatysu.tool.lti.advantage.AdvantageException;
import kz.qatysu.tool.lti.advantage.AgsEndpoint;
import kz.qatysu.tool.lti.advantage.AssignmentsGrades;
import kz.qatysu.tool.lti.advantage.NewLineItem;
import kz.qatysu.tool.lti.advantage.Score;
import kz.qatysu.tool.lti.advantage.ScoreOutcome;
import kz.qatysu.tool.lti.platforms.Platform;
import kz.qatysu.tool.lti.platforms.PlatformService;
import kz.qatysu.tool.util.Utc;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Proctoring results back into every course link of an exam's section (docs/PROCTORING.md "Results back"), the way
 * {@link kz.qatysu.tool.locks.LockPublisher} posts the admission scores: the line item "Proctoring — &lt;exam&gt;"
 * (tag {@code qatysu-proctoring-<examId>}) carries the latest attempt's verdict as a score ({@link ResultsSettings})
 * with the proctor's comment, re-posted when the verdict changes; for exams whose Moodle quiz is gated by
 * GRADE_RESTRICTION, and in Open edX courses (the prerequisite of the fallback without LTI proctoring), "Proctoring check
 * passed — &lt;exam&gt;" (tag {@code qatysu-proctoring-passed-<examId>}) gets 1 once an
 * attempt started (checks cleared). What was posted is kept ({@code proctoring_score_delivery}), so each pass posts only
 * differences and never the same value twice; a failed post is retried with backoff, its reason kept.
 */
public final class ProctoringScores {
    private static final Logger log = LoggerFactory.getLogger(ProctoringScores.class);
    public static final String VERDICT_TAG = "qatysu-proctoring-";
    public static final String PASSED_TAG = "qatysu-proctoring-passed-";

    private final Jdbi jdbi;
    private final CourseLinks links;
    private final CourseSubjects subjects;
    private final PlatformService platforms;
    private final AssignmentsGrades ags;
    private final ResultsSettings scores;
    private final Clock clock;
    /** One node posts at a time, whoever calls: two nodes reading the same due rows would both post them and create the items. */
    private final kz.qatysu.tool.cluster.ClusterLock oneNode;

    public ProctoringScores(Jdbi jdbi, CourseLinks links, CourseSubjects subjects, PlatformService platforms,
                            AssignmentsGrades ags, ResultsSettings scores, Clock clock) {
        this.jdbi = jdbi;
        this.links = links;
        this.subjects = subjects;
        this.platforms = platforms;
        this.ags = ags;
        this.scores = scores;
        this.clock = clock;
        this.oneNode = new kz.qatysu.tool.cluster.ClusterLock(jdbi, "ags.proctoring-scores");
    }

    /** What one pass did. */
    public record Pass(int posted, int failed) {
    }

    /** The two proctoring line items of an exam. */
    enum Kind {
        /** The latest attempt's verdict as a score, the proctor's comment with it. */
        VERDICT("""
                WITH latest AS (
                    SELECT DISTINCT ON (exam_id, person_id) id, exam_id, person_id FROM proctoring_attempt
                    ORDER BY exam_id, person_id, attempt_number DESC, created_at DESC)
                SELECT cl.platform_id, cl.context_id, cl.resource_link_id, e.id, e.title, l.person_id, v.verdict, v.comment,
                       CASE v.verdict WHEN 'CLEAN' THEN :clean WHEN 'SUSPICIOUS' THEN :suspicious ELSE :violation END,
                       COALESCE(d.attempts, 0)
                FROM course_link cl
                JOIN proctored_exam e ON e.section_id = cl.section_id AND e.proctored
                JOIN latest l ON l.exam_id = e.id
                JOIN proctoring_verdict v ON v.attempt_id = l.id
                LEFT JOIN proctoring_score_delivery d ON d.platform_id = cl.platform_id AND d.context_id = cl.context_id
                          AND d.resource_link_id = cl.resource_link_id AND d.exam_id = e.id AND d.person_id = l.person_id
                          AND d.kind = 'VERDICT'
                WHERE (d.posted_score IS DISTINCT FROM
                           (CASE v.verdict WHEN 'CLEAN' THEN :clean WHEN 'SUSPICIOUS' THEN :suspicious ELSE :violation END)
                       OR d.posted_state IS DISTINCT FROM v.verdict OR d.posted_comment IS DISTINCT FROM v.comment)
                  AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= :now)
                ORDER BY cl.platform_id, cl.context_id, cl.resource_link_id, e.id, l.person_id
                LIMIT :limit"""),
        /**
         * 1 once an attempt reached IN_PROGRESS: for exams whose Moodle quiz is restricted on this grade, and in Open edX
         * courses (context id {@code course-v1:…}), where it is the prerequisite of the fallback without LTI proctoring.
         */
        PASSED("""
                SELECT cl.platform_id, cl.context_id, cl.resource_link_id, e.id, e.title, a.person_id, 'PASSED', '',
                       CAST(1 AS DOUBLE PRECISION), COALESCE(d.attempts, 0)
                FROM course_link cl
                JOIN proctored_exam e ON e.section_id = cl.section_id AND e.proctored
                LEFT JOIN proctoring_moodle_quiz q ON q.exam_id = e.id AND q.gate_mode = 'GRADE_RESTRICTION'
                                                  AND q.platform_id = cl.platform_id
                JOIN (SELECT DISTINCT exam_id, person_id FROM proctoring_attempt WHERE started_at IS NOT NULL) a
                     ON a.exam_id = e.id
                LEFT JOIN proctoring_score_delivery d ON d.platform_id = cl.platform_id AND d.context_id = cl.context_id
                          AND d.resource_link_id = cl.resource_link_id AND d.exam_id = e.id AND d.person_id = a.person_id
                          AND d.kind = 'PASSED'
                WHERE (q.exam_id IS NOT NULL OR cl.context_id LIKE 'course-v1:%')
                  AND d.posted_score IS NULL
                  AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= :now)
                ORDER BY cl.platform_id, cl.context_id, cl.resource_link_id, e.id, a.person_id
                LIMIT :limit""");

        final String dueSql;

        Kind(String dueSql) {
            this.dueSql = dueSql;
        }

        NewLineItem lineItem(String resourceLinkId, String examId, String examTitle) {
            String tag = (this == VERDICT ? VERDICT_TAG : PASSED_TAG) + examId;
            String label = (this == VERDICT ? "Proctoring — " : "Proctoring check passed — ") + examTitle;
            return new NewLineItem(label, 1, resourceLinkId, tag, tag);
        }
    }

    private record Due(Kind kind, long platformId, String contextId, String resourceLinkId, String examId,
                       String examTitle, String personId, String state, String comment, double score, int attempts) {
    }

    /**
     * Posts every proctoring score that differs from what was posted (at most {@code limit} per kind and pass). While
     * another node runs its pass this one does nothing (its pass reads the rows that node is posting).
     */
    public synchronized Pass publishDue(int limit) {
        return oneNode.runIfFree(() -> publishAll(limit)).orElse(new Pass(0, 0));
    }

    private Pass publishAll(int limit) {
        int posted = 0;
        int failed = 0;
        for (Kind kind : Kind.values()) {
            Pass p = publishDue(kind, limit);
            posted += p.posted();
            failed += p.failed();
        }
        return new Pass(posted, failed);
    }

    private Pass publishDue(Kind kind, int limit) {
        Instant now = clock.instant();
        List<Due> due = jdbi.withHandle(h -> h.createQuery(kind.dueSql)
                .bind("now", Utc.of(now)).bind("limit", limit)
                .bind("clean", scores.clean()).bind("suspicious", scores.suspicious()).bind("violation", scores.violation())
                .map((rs, c) -> new Due(kind, rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getDouble(9), rs.getInt(10)))
                .list());
        Map<String, List<Due>> byItem = new LinkedHashMap<>();
        for (Due d : due) {
            byItem.computeIfAbsent(d.platformId + "\n" + d.contextId + "\n" + d.resourceLinkId + "\n" + d.examId,
                    k -> new ArrayList<>()).add(d);
        }
        int posted = 0;
        int failed = 0;
        for (List<Due> group : byItem.values()) {
            Due first = group.getFirst();
            CourseLink link = links.find(first.platformId, first.contextId, first.resourceLinkId).orElse(null);
            Platform platform = platforms.byId(first.platformId).orElse(null);
            if (link == null || platform == null || !platform.enabled()) {
                group.forEach(d -> failure(d, "the platform is not registered or is disabled", CourseSubjects.MAX_BACKOFF));
                failed += group.size();
                continue;
            }
            int ok = publishItem(platform, link, group, now);
            posted += ok;
            failed += group.size() - ok;
        }
        if (posted + failed > 0) {
            log.info("proctoring {} scores: {} posted, {} failed", kind, posted, failed);
        }
        return new Pass(posted, failed);
    }

    /** Posts one line item's due scores; the number posted. */
    private int publishItem(Platform platform, CourseLink link, List<Due> group, Instant now) {
        AgsEndpoint endpoint = AgsEndpoint.fromClaim(link.agsClaim()).orElse(null);
        if (endpoint == null) {
            group.forEach(d -> failure(d, Delivery.NO_AGS_ENDPOINT, CourseSubjects.MAX_BACKOFF));
            return 0;
        }
        Due first = group.getFirst();
        URI lineItem;
        try {
            lineItem = lineItem(platform, endpoint, link, first);
        } catch (AdvantageException e) {
            group.forEach(d -> failure(d, Delivery.LINE_ITEM + ": " + e.getMessage(), CourseSubjects.backoff(d.attempts)));
            return 0;
        }
        Map<String, String> users = subjects.of(platform, link, group.stream().map(Due::personId).toList());
        int posted = 0;
        for (Due d : group) {
            String userId = users.get(d.personId);
            if (userId == null) {
                failure(d, Delivery.UNKNOWN_USER, CourseSubjects.UNKNOWN_USER_BACKOFF);
                continue;
            }
            String comment = d.comment == null || d.comment.isBlank() ? "Qatysu proctoring: " + d.state : d.comment;
            try {
                ScoreOutcome outcome = ags.postScore(platform, endpoint, lineItem, Score.graded(userId, d.score, 1, now, comment));
                if (outcome == ScoreOutcome.USER_NOT_GRADABLE) {
                    failure(d, Delivery.NOT_GRADABLE, CourseSubjects.MAX_BACKOFF);
                } else {
                    success(d, now);
                    posted++;
                }
            } catch (AdvantageException e) {
                failure(d, Delivery.PLATFORM + ": " + e.getMessage(), CourseSubjects.backoff(d.attempts));
            }
        }
        return posted;
    }

    /** The exam's line item of this kind in the link: as remembered for this container, else found by tag or created. */
    private URI lineItem(Platform platform, AgsEndpoint endpoint, CourseLink link, Due d) {
        String container = endpoint.lineItems().toString();
        Optional<String> known = jdbi.withHandle(h -> h.createQuery("""
                        SELECT line_item_url FROM proctoring_score_line_item
                        WHERE platform_id = :p AND context_id = :c AND resource_link_id = :r AND exam_id = :e AND kind = :k
                          AND lineitems_url = :container""")
                .bind("p", link.platformId()).bind("c", link.contextId()).bind("r", link.resourceLinkId())
                .bind("e", d.examId).bind("k", d.kind.name()).bind("container", container).mapTo(String.class).findOne());
        if (known.isPresent()) {
            return URI.create(known.get());
        }
        URI url = ags.findOrCreateTagged(platform, endpoint, d.kind.lineItem(link.resourceLinkId(), d.examId, d.examTitle)).url();
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO proctoring_score_line_item (platform_id, context_id, resource_link_id, exam_id, kind,
                                                                lineitems_url, line_item_url)
                        VALUES (:p, :c, :r, :e, :k, :container, :url)
                        ON CONFLICT (platform_id, context_id, resource_link_id, exam_id, kind) DO UPDATE SET
                            lineitems_url = EXCLUDED.lineitems_url, line_item_url = EXCLUDED.line_item_url""")
                .bind("p", link.platformId()).bind("c", link.contextId()).bind("r", link.resourceLinkId())
                .bind("e", d.examId).bind("k", d.kind.name()).bind("container", container).bind("url", url.toString())
                .execute());
        return url;
    }

    private void success(Due d, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO proctoring_score_delivery (platform_id, context_id, resource_link_id, exam_id, person_id, kind,
                               posted_score, posted_state, posted_comment, posted_at, attempts, next_attempt_at, last_error)
                        VALUES (:p, :c, :r, :e, :person, :k, :score, :state, :comment, :at, 0, NULL, NULL)
                        ON CONFLICT (platform_id, context_id, resource_link_id, exam_id, person_id, kind) DO UPDATE SET
                            posted_score = EXCLUDED.posted_score, posted_state = EXCLUDED.posted_state,
                            posted_comment = EXCLUDED.posted_comment, posted_at = EXCLUDED.posted_at,
                            attempts = 0, next_attempt_at = NULL, last_error = NULL""")
                .bind("p", d.platformId).bind("c", d.contextId).bind("r", d.resourceLinkId).bind("e", d.examId)
                .bind("person", d.personId).bind("k", d.kind.name()).bind("score", d.score).bind("state", d.state)
                .bind("comment", d.comment).bind("at", Utc.of(now)).execute());
    }

    private void failure(Due d, String error, Duration wait) {
        Instant next = clock.instant().plus(wait);
        log.warn("proctoring {} score of exam {} for {} in platform {} context {} not posted: {}", d.kind, d.examId,
                d.personId, d.platformId, d.contextId, error);
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO proctoring_score_delivery (platform_id, context_id, resource_link_id, exam_id, person_id, kind,
                                                               attempts, next_attempt_at, last_error)
                        VALUES (:p, :c, :r, :e, :person, :k, 1, :next, :error)
                        ON CONFLICT (platform_id, context_id, resource_link_id, exam_id, person_id, kind) DO UPDATE SET
                            attempts = proctoring_score_delivery.attempts + 1, next_attempt_at = EXCLUDED.next_attempt_at,
                            last_error = EXCLUDED.last_error""")
                .bind("p", d.platformId).bind("c", d.contextId).bind("r", d.resourceLinkId).bind("e", d.examId)
                .bind("person", d.personId).bind("k", d.kind.name()).bind("next", Utc.of(next))
                .bind("error", error.length() > 500 ? error.substring(0, 500) : error).execute());
    }

    /** Delivery status of the "Proctoring" score per person of an exam (every course link; the latest post wins). */
    public Map<String, Delivery> deliveries(String examId) {
        return deliveries(examId, Kind.VERDICT);
    }

    /** Delivery status of the "Proctoring check passed" score per person of an exam. */
    public Map<String, Delivery> passedDeliveries(String examId) {
        return deliveries(examId, Kind.PASSED);
    }

    private Map<String, Delivery> deliveries(String examId, Kind kind) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT person_id, posted_state, posted_at, last_error FROM proctoring_score_delivery
                        WHERE exam_id = :e AND kind = :k ORDER BY posted_at NULLS FIRST""")
                .bind("e", examId).bind("k", kind.name())
                .reduceRows(new HashMap<String, Delivery>(), (m, row) -> {
                    OffsetDateTime at = row.getColumn("posted_at", OffsetDateTime.class);
                    m.put(row.getColumn("person_id", String.class), new Delivery(row.getColumn("posted_state", String.class),
                            at == null ? null : at.toInstant(), row.getColumn("last_error", String.class)));
                    return m;
                }));
    }
}
