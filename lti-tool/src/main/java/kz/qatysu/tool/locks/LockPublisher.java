package kz.qatysu.tool.locks;

import kz.qatysu.tool.util.Utc;
import kz.qatysu.tool.lti.advantage.AdvantageException;
import kz.qatysu.tool.lti.advantage.AgsEndpoint;
import kz.qatysu.tool.lti.advantage.AssignmentsGrades;
import kz.qatysu.tool.lti.advantage.NamesRoles;
import kz.qatysu.tool.lti.advantage.NewLineItem;
import kz.qatysu.tool.lti.advantage.Score;
import kz.qatysu.tool.lti.advantage.ScoreOutcome;
import kz.qatysu.tool.lti.platforms.Platform;
import kz.qatysu.tool.lti.platforms.PlatformService;
import kz.qatysu.tool.locks.CourseLinks.CourseLink;
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

/**
 * Keeps two scores of every student in every course link of their section equal to the tool's decisions: "Attendance
 * admission" (1 admitted, 0 locked) follows the standing (the in-term gate); "Final exam admission" (1 admitted, 0 not)
 * follows the final exam gate's stored decision (attendance and rating, table {@code admission}). Each pass compares the standing table with what was last posted and posts only
 * the differences, so it is idempotent, catches up after the tool or the LMS was down, and never posts a score twice.
 * A failed post is retried with exponential backoff; the reason stays visible on the exam gate's teacher view.
 */
public final class LockPublisher {
    private static final Logger log = LoggerFactory.getLogger(LockPublisher.class);
    static final Duration MAX_BACKOFF = CourseSubjects.MAX_BACKOFF;
    static final Duration UNKNOWN_USER_BACKOFF = CourseSubjects.UNKNOWN_USER_BACKOFF;

    private final Jdbi jdbi;
    private final CourseLinks links;
    private final PlatformService platforms;
    private final AssignmentsGrades ags;
    private final CourseSubjects subjects;
    private final Clock clock;
    /** One node posts at a time: two nodes reading the same due rows would both post them. */
    private final kz.qatysu.tool.cluster.ClusterLock oneNode;

    public LockPublisher(Jdbi jdbi, CourseLinks links, PlatformService platforms, AssignmentsGrades ags, NamesRoles nrps, Clock clock) {
        this.jdbi = jdbi;
        this.links = links;
        this.platforms = platforms;
        this.ags = ags;
        this.subjects = new CourseSubjects(links, nrps);
        this.clock = clock;
        this.oneNode = new kz.qatysu.tool.cluster.ClusterLock(jdbi, "ags.admission-scores");
    }

    /** What one pass did. */
    public record Pass(int posted, int failed) {
    }

    /** One admission line item: where its decision is read, where its deliveries are kept, which line item it is. */
    enum Item {
        /** "Attendance admission": the standing (in-term gate); may be the launch's own line item (the claim). */
        ATTENDANCE("lock_delivery", """
                SELECT cl.platform_id, cl.context_id, cl.resource_link_id, s.person_id, s.state,
                       CASE WHEN s.state = 'LOCKED' THEN 0 ELSE 1 END AS score, COALESCE(d.attempts, 0) AS attempts
                FROM course_link cl
                JOIN standing s ON s.section_id = cl.section_id
                JOIN enrolment e ON e.section_id = s.section_id AND e.person_id = s.person_id
                                AND e.role = 'student' AND e.withdrawn_at IS NULL
                LEFT JOIN lock_delivery d ON d.platform_id = cl.platform_id AND d.context_id = cl.context_id
                                AND d.resource_link_id = cl.resource_link_id AND d.person_id = s.person_id
                WHERE d.posted_score IS DISTINCT FROM (CASE WHEN s.state = 'LOCKED' THEN 0 ELSE 1 END)
                  AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= :now)
                ORDER BY cl.platform_id, cl.context_id, cl.resource_link_id, s.person_id
                LIMIT :limit"""),
        /** "Final exam admission": the final exam gate's decision; always its own tagged line item. */
        FINAL_EXAM("exam_admission_delivery", """
                SELECT cl.platform_id, cl.context_id, cl.resource_link_id, a.person_id,
                       CASE WHEN a.admitted THEN 'ADMITTED' ELSE 'NOT_ADMITTED' END AS state,
                       CASE WHEN a.admitted THEN 1 ELSE 0 END AS score, COALESCE(d.attempts, 0) AS attempts
                FROM course_link cl
                JOIN admission a ON a.section_id = cl.section_id
                JOIN enrolment e ON e.section_id = a.section_id AND e.person_id = a.person_id
                                AND e.role = 'student' AND e.withdrawn_at IS NULL
                LEFT JOIN exam_admission_delivery d ON d.platform_id = cl.platform_id AND d.context_id = cl.context_id
                                AND d.resource_link_id = cl.resource_link_id AND d.person_id = a.person_id
                WHERE d.posted_score IS DISTINCT FROM (CASE WHEN a.admitted THEN 1 ELSE 0 END)
                  AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= :now)
                ORDER BY cl.platform_id, cl.context_id, cl.resource_link_id, a.person_id
                LIMIT :limit""");

        /** A constant table name (never input): where this item's deliveries are kept. */
        final String deliveries;
        final String dueSql;

        Item(String deliveries, String dueSql) {
            this.deliveries = deliveries;
            this.dueSql = dueSql;
        }
    }

    private record Due(Item item, long platformId, String contextId, String resourceLinkId, String personId, String state,
                       double score, int attempts) {
    }

    /**
     * Posts every score that differs from the decisions, attendance first (at most {@code limit} per item and pass).
     * While another node runs its pass this one does nothing (its pass reads the rows that node is posting).
     */
    public synchronized Pass publishDue(int limit) {
        return oneNode.runIfFree(() -> publishAll(limit)).orElse(new Pass(0, 0));
    }

    private Pass publishAll(int limit) {
        int posted = 0;
        int failed = 0;
        for (Item item : Item.values()) {
            Pass p = publishDue(item, limit);
            posted += p.posted();
            failed += p.failed();
        }
        return new Pass(posted, failed);
    }

    private Pass publishDue(Item item, int limit) {
        Instant now = clock.instant();
        List<Due> due = jdbi.withHandle(h -> h.createQuery(item.dueSql)
                .bind("now", Utc.of(now)).bind("limit", limit)
                .map((rs, c) -> new Due(item, rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getInt(6), rs.getInt(7)))
                .list());
        Map<String, List<Due>> byLink = new LinkedHashMap<>();
        for (Due d : due) {
            byLink.computeIfAbsent(d.platformId + "\n" + d.contextId + "\n" + d.resourceLinkId, k -> new ArrayList<>()).add(d);
        }
        int posted = 0;
        int failed = 0;
        for (List<Due> group : byLink.values()) {
            Due first = group.get(0);
            CourseLink link = links.find(first.platformId, first.contextId, first.resourceLinkId).orElse(null);
            Platform platform = platforms.byId(first.platformId).orElse(null);
            if (link == null || platform == null || !platform.enabled()) {
                group.forEach(d -> failure(d, "the platform is not registered or is disabled", MAX_BACKOFF));
                failed += group.size();
                continue;
            }
            int[] counts = publishLink(platform, link, group, now);
            posted += counts[0];
            failed += counts[1];
        }
        if (posted + failed > 0) {
            log.info("{} admission scores: {} posted, {} failed", item, posted, failed);
        }
        return new Pass(posted, failed);
    }

    private int[] publishLink(Platform platform, CourseLink link, List<Due> group, Instant now) {
        int posted = 0;
        int failed = 0;
        AgsEndpoint endpoint = AgsEndpoint.fromClaim(link.agsClaim()).orElse(null);
        if (endpoint == null) {
            group.forEach(d -> failure(d, Delivery.NO_AGS_ENDPOINT, MAX_BACKOFF));
            return new int[]{0, group.size()};
        }
        URI lineItem;
        Item item = group.get(0).item();
        try {
            if (item == Item.ATTENDANCE) {
                lineItem = link.lineItemUrl() != null ? URI.create(link.lineItemUrl())
                        : ags.findOrCreate(platform, endpoint, NewLineItem.attendanceAdmission(link.resourceLinkId())).url();
                if (link.lineItemUrl() == null) {
                    links.rememberLineItem(link, lineItem.toString());
                }
            } else {
                lineItem = link.examLineItemUrl() != null ? URI.create(link.examLineItemUrl())
                        : ags.findOrCreateTagged(platform, endpoint, NewLineItem.examAdmission(link.resourceLinkId())).url();
                if (link.examLineItemUrl() == null) {
                    links.rememberExamLineItem(link, lineItem.toString());
                }
            }
        } catch (AdvantageException e) {
            group.forEach(d -> failure(d, Delivery.LINE_ITEM + ": " + e.getMessage(), backoff(d.attempts)));
            return new int[]{0, group.size()};
        }
        Map<String, String> subjects = this.subjects.of(platform, link, group.stream().map(Due::personId).toList());
        for (Due d : group) {
            String userId = subjects.get(d.personId);
            if (userId == null) {
                failure(d, Delivery.UNKNOWN_USER, UNKNOWN_USER_BACKOFF);
                failed++;
                continue;
            }
            try {
                ScoreOutcome outcome = ags.postScore(platform, endpoint, lineItem,
                        Score.graded(userId, d.score(), 1, now, "Qatysu: " + d.state));
                if (outcome == ScoreOutcome.USER_NOT_GRADABLE) {
                    failure(d, Delivery.NOT_GRADABLE, MAX_BACKOFF);
                    failed++;
                } else {
                    success(d, now);
                    posted++;
                }
            } catch (AdvantageException e) {
                if (e.status() == 404) { // the item is gone on the platform: the next pass finds or creates it again
                    links.forgetLineItem(link, lineItem.toString());
                }
                failure(d, Delivery.PLATFORM + ": " + e.getMessage(), backoff(d.attempts));
                failed++;
            }
        }
        return new int[]{posted, failed};
    }

    static Duration backoff(int attempts) {
        return CourseSubjects.backoff(attempts);
    }

    private void success(Due d, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO " + d.item.deliveries + """
                         (platform_id, context_id, resource_link_id, person_id, posted_score, posted_state,
                                                   posted_at, attempts, next_attempt_at, last_error)
                        VALUES (:p, :c, :r, :person, :score, :state, :at, 0, NULL, NULL)
                        ON CONFLICT (platform_id, context_id, resource_link_id, person_id) DO UPDATE SET
                            posted_score = EXCLUDED.posted_score, posted_state = EXCLUDED.posted_state, posted_at = EXCLUDED.posted_at,
                            attempts = 0, next_attempt_at = NULL, last_error = NULL""")
                .bind("p", d.platformId).bind("c", d.contextId).bind("r", d.resourceLinkId).bind("person", d.personId)
                .bind("score", d.score()).bind("state", d.state).bind("at", Utc.of(now)).execute());
    }

    private void failure(Due d, String error, Duration wait) {
        Instant next = clock.instant().plus(wait);
        log.warn("{} admission score for {} in platform {} context {} not posted: {}", d.item, d.personId, d.platformId,
                d.contextId, error);
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO %1$s (platform_id, context_id, resource_link_id, person_id, attempts, next_attempt_at, last_error)
                        VALUES (:p, :c, :r, :person, 1, :next, :error)
                        ON CONFLICT (platform_id, context_id, resource_link_id, person_id) DO UPDATE SET
                            attempts = %1$s.attempts + 1, next_attempt_at = EXCLUDED.next_attempt_at,
                            last_error = EXCLUDED.last_error""".formatted(d.item.deliveries))
                .bind("p", d.platformId).bind("c", d.contextId).bind("r", d.resourceLinkId).bind("person", d.personId)
                .bind("next", Utc.of(next)).bind("error", error.length() > 500 ? error.substring(0, 500) : error).execute());
    }

    /** Delivery status of the "Attendance admission" score per person of a section (the teacher's exam gate view). */
    public Map<String, Delivery> deliveries(String sectionId) {
        return deliveries(Item.ATTENDANCE, sectionId);
    }

    /** Delivery status of the "Final exam admission" score per person of a section. */
    public Map<String, Delivery> examDeliveries(String sectionId) {
        return deliveries(Item.FINAL_EXAM, sectionId);
    }

    private Map<String, Delivery> deliveries(Item item, String sectionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT d.person_id, d.posted_state, d.posted_at, d.last_error, d.next_attempt_at FROM "
                        + item.deliveries + """
                         d JOIN course_link cl USING (platform_id, context_id, resource_link_id)
                        WHERE cl.section_id = :s""")
                .bind("s", sectionId)
                .reduceRows(new HashMap<String, Delivery>(), (m, row) -> {
                    OffsetDateTime at = row.getColumn("posted_at", OffsetDateTime.class);
                    m.put(row.getColumn("person_id", String.class), new Delivery(row.getColumn("posted_state", String.class),
                            at == null ? null : at.toInstant(), row.getColumn("last_error", String.class)));
                    return m;
                }));
    }

    public record Delivery(String postedState, Instant postedAt, String lastError) {
        /** The launch carried no usable AGS endpoint. */
        public static final String NO_AGS_ENDPOINT = "NO_AGS_ENDPOINT";
        /** The line item could not be found or created; the platform's answer follows after ": ". */
        public static final String LINE_ITEM = "LINE_ITEM";
        /** No platform user is known for this person yet (no launch, not in the roster). */
        public static final String UNKNOWN_USER = "UNKNOWN_USER";
        /** The platform cannot grade this user in the course. */
        public static final String NOT_GRADABLE = "NOT_GRADABLE";
        /** The platform refused the score; its answer follows after ": ". */
        public static final String PLATFORM = "PLATFORM";
        private static final java.util.Set<String> CODES = java.util.Set.of(NO_AGS_ENDPOINT, LINE_ITEM, UNKNOWN_USER,
                NOT_GRADABLE, PLATFORM);

        /**
         * The code of {@link #lastError()} ({@code last_error} is "CODE" or "CODE: the platform's answer"); OTHER for
         * errors stored before they had codes.
         */
        public String errorCode() {
            if (lastError == null) {
                return null;
            }
            String head = lastError.contains(": ") ? lastError.substring(0, lastError.indexOf(": ")) : lastError;
            return CODES.contains(head) ? head : "OTHER";
        }

        /** What the platform answered, when the error carries it (shown as it came, it is the platform's text). */
        public String errorDetail() {
            if (lastError == null) {
                return null;
            }
            String code = errorCode();
            if (code.equals("OTHER")) {
                return lastError;
            }
            return lastError.length() > code.length() + 2 ? lastError.substring(code.length() + 2) : null;
        }
    }
}
