package kz.qatysu.tool.proctoring.lms.openedx;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Open edX proctoring tables: exam links ({@code openedx_exam_link}: platform + resource link → exam), the
 * resource links seen unlinked ({@code openedx_unlinked_exam}) and the learners' Open edX attempts
 * ({@code openedx_attempt}).
 */
public final class OpenEdxRepository {
    private final Jdbi jdbi;

    public OpenEdxRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    // ---- links -------------------------------------------------------------------------------------------------

    /** An Open edX proctored exam (its LtiStartProctoring resource link on one platform) linked to a Qatysu exam. */
    public record Link(long platformId, String platformName, String resourceLinkId, String examId, String linkedBy,
                       Instant linkedAt) {
    }

    /** A resource link an LtiStartProctoring named that no exam is linked to yet. */
    public record Unlinked(long platformId, String platformName, String resourceLinkId, String contextId,
                           String contextTitle, String contextLabel, Instant firstSeenAt, Instant lastSeenAt,
                           int launches) {
    }

    public Optional<String> examOf(Handle h, long platformId, String resourceLinkId) {
        return h.createQuery("SELECT exam_id FROM openedx_exam_link WHERE platform_id = :p AND resource_link_id = :r")
                .bind("p", platformId).bind("r", resourceLinkId).mapTo(String.class).findOne();
    }

    public List<Link> linksOf(String examId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT l.*, p.name AS platform_name FROM openedx_exam_link l JOIN platform p ON p.id = l.platform_id
                        WHERE l.exam_id = :e ORDER BY l.linked_at, l.resource_link_id""")
                .bind("e", examId).map(OpenEdxRepository::mapLink).list());
    }

    public Optional<Link> link(long platformId, String resourceLinkId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT l.*, p.name AS platform_name FROM openedx_exam_link l JOIN platform p ON p.id = l.platform_id
                        WHERE l.platform_id = :p AND l.resource_link_id = :r""")
                .bind("p", platformId).bind("r", resourceLinkId).map(OpenEdxRepository::mapLink).findOne());
    }

    /** Links (or moves) the resource link to the exam; it leaves the unlinked list. */
    public void link(Handle h, long platformId, String resourceLinkId, String examId, String by, Instant at) {
        h.createUpdate("""
                        INSERT INTO openedx_exam_link (platform_id, resource_link_id, exam_id, linked_by, linked_at)
                        VALUES (:p, :r, :e, :by, :at) ON CONFLICT (platform_id, resource_link_id)
                        DO UPDATE SET exam_id = EXCLUDED.exam_id, linked_by = EXCLUDED.linked_by, linked_at = EXCLUDED.linked_at""")
                .bind("p", platformId).bind("r", resourceLinkId).bind("e", examId).bind("by", by)
                .bind("at", Timestamp.from(at)).execute();
        h.createUpdate("DELETE FROM openedx_unlinked_exam WHERE platform_id = :p AND resource_link_id = :r")
                .bind("p", platformId).bind("r", resourceLinkId).execute();
    }

    /** Removes the link of {@code examId}'s resource link; false when there was none. */
    public boolean unlink(Handle h, long platformId, String resourceLinkId, String examId) {
        return h.createUpdate("DELETE FROM openedx_exam_link WHERE platform_id = :p AND resource_link_id = :r AND exam_id = :e")
                .bind("p", platformId).bind("r", resourceLinkId).bind("e", examId).execute() == 1;
    }

    /** Records a refused LtiStartProctoring's resource link for the linking page (once per link, counting launches). */
    public void seenUnlinked(Handle h, long platformId, String resourceLinkId, String contextId, String contextTitle,
                             String contextLabel, Instant at) {
        h.createUpdate("""
                        INSERT INTO openedx_unlinked_exam (platform_id, resource_link_id, context_id, context_title, context_label,
                                                           first_seen_at, last_seen_at)
                        VALUES (:p, :r, :c, :t, :l, :at, :at) ON CONFLICT (platform_id, resource_link_id)
                        DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at, launches = openedx_unlinked_exam.launches + 1,
                            context_id = COALESCE(EXCLUDED.context_id, openedx_unlinked_exam.context_id),
                            context_title = COALESCE(EXCLUDED.context_title, openedx_unlinked_exam.context_title),
                            context_label = COALESCE(EXCLUDED.context_label, openedx_unlinked_exam.context_label)""")
                .bind("p", platformId).bind("r", resourceLinkId).bind("c", contextId).bind("t", contextTitle)
                .bind("l", contextLabel).bind("at", Timestamp.from(at)).execute();
    }

    /** The unlinked resource links seen, newest first; only those of {@code platformId} when given. */
    public List<Unlinked> unlinked(Optional<Long> platformId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT u.*, p.name AS platform_name FROM openedx_unlinked_exam u JOIN platform p ON p.id = u.platform_id
                        WHERE CAST(:p AS BIGINT) IS NULL OR u.platform_id = :p
                        ORDER BY u.last_seen_at DESC, u.resource_link_id LIMIT :limit""")
                .bind("p", platformId.orElse(null)).bind("limit", limit)
                .map((rs, ctx) -> new Unlinked(rs.getLong("platform_id"), rs.getString("platform_name"),
                        rs.getString("resource_link_id"), rs.getString("context_id"), rs.getString("context_title"),
                        rs.getString("context_label"), rs.getTimestamp("first_seen_at").toInstant(),
                        rs.getTimestamp("last_seen_at").toInstant(), rs.getInt("launches")))
                .list());
    }

    public boolean wasSeen(long platformId, String resourceLinkId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM openedx_unlinked_exam WHERE platform_id = :p AND resource_link_id = :r)""")
                .bind("p", platformId).bind("r", resourceLinkId).mapTo(Boolean.class).one());
    }

    private static Link mapLink(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Link(rs.getLong("platform_id"), rs.getString("platform_name"), rs.getString("resource_link_id"),
                rs.getString("exam_id"), rs.getString("linked_by"), rs.getTimestamp("linked_at").toInstant());
    }

    // ---- attempts ----------------------------------------------------------------------------------------------

    /** What one LtiStartProctoring launch sent about the attempt. */
    public record StartLaunch(long platformId, String deploymentId, String resourceLinkId, String subject, int attemptNumber,
                              String examId, String attemptId, String launchKey, String sessionData,
                              String startAssessmentUrl, String acsUrl, List<String> acsActions, String name,
                              String givenName, String familyName) {
    }

    /**
     * Binds the launch's (resource link, attempt_number) to the Qatysu attempt, or refreshes the binding with the newer
     * launch's session_data, start URL and ACS (a relaunch of the same attempt number). Returns the binding.
     */
    public OpenEdxAttempt bind(Handle h, String newId, StartLaunch l, Instant at) {
        h.createUpdate("""
                        INSERT INTO openedx_attempt (id, platform_id, deployment_id, resource_link_id, subject, attempt_number,
                            exam_id, attempt_id, launch_key, session_data, start_assessment_url, acs_url, acs_actions,
                            name, given_name, family_name, created_at, launched_at)
                        VALUES (:id, :p, :d, :r, :sub, :n, :exam, :attempt, :key, :data, :start, :acs, :actions,
                            :name, :given, :family, :at, :at)
                        ON CONFLICT (platform_id, resource_link_id, subject, attempt_number) DO UPDATE SET
                            deployment_id = EXCLUDED.deployment_id, exam_id = EXCLUDED.exam_id, attempt_id = EXCLUDED.attempt_id,
                            launch_key = EXCLUDED.launch_key, session_data = EXCLUDED.session_data,
                            start_assessment_url = EXCLUDED.start_assessment_url, acs_url = EXCLUDED.acs_url,
                            acs_actions = EXCLUDED.acs_actions, name = EXCLUDED.name, given_name = EXCLUDED.given_name,
                            family_name = EXCLUDED.family_name, launched_at = EXCLUDED.launched_at""")
                .bind("id", newId).bind("p", l.platformId()).bind("d", l.deploymentId()).bind("r", l.resourceLinkId())
                .bind("sub", l.subject()).bind("n", l.attemptNumber()).bind("exam", l.examId()).bind("attempt", l.attemptId())
                .bind("key", l.launchKey()).bind("data", l.sessionData()).bind("start", l.startAssessmentUrl())
                .bind("acs", l.acsUrl()).bind("actions", l.acsActions().toArray(new String[0]))
                .bind("name", l.name()).bind("given", l.givenName()).bind("family", l.familyName())
                .bind("at", Timestamp.from(at)).execute();
        return find(h, l.platformId(), l.resourceLinkId(), l.subject(), l.attemptNumber()).orElseThrow();
    }

    public Optional<OpenEdxAttempt> find(Handle h, long platformId, String resourceLinkId, String subject, int attemptNumber) {
        return h.createQuery("""
                        SELECT * FROM openedx_attempt WHERE platform_id = :p AND resource_link_id = :r AND subject = :s
                        AND attempt_number = :n""")
                .bind("p", platformId).bind("r", resourceLinkId).bind("s", subject).bind("n", attemptNumber)
                .map(OpenEdxRepository::attempt).findOne();
    }

    public Optional<OpenEdxAttempt> find(long platformId, String resourceLinkId, String subject, int attemptNumber) {
        return jdbi.withHandle(h -> find(h, platformId, resourceLinkId, subject, attemptNumber));
    }

    /** The latest Open edX attempt of a learner at a resource link (the highest attempt number). */
    public Optional<OpenEdxAttempt> latest(long platformId, String resourceLinkId, String subject) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM openedx_attempt WHERE platform_id = :p AND resource_link_id = :r AND subject = :s
                        ORDER BY attempt_number DESC LIMIT 1""")
                .bind("p", platformId).bind("r", resourceLinkId).bind("s", subject)
                .map(OpenEdxRepository::attempt).findOne());
    }

    public Optional<OpenEdxAttempt> byId(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM openedx_attempt WHERE id = :id").bind("id", id)
                .map(OpenEdxRepository::attempt).findOne());
    }

    /** The Open edX attempts bound to a Qatysu attempt. */
    public List<OpenEdxAttempt> ofAttempt(String attemptId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM openedx_attempt WHERE attempt_id = :a ORDER BY created_at")
                .bind("a", attemptId).map(OpenEdxRepository::attempt).list());
    }

    public void assessmentStarted(String id, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE openedx_attempt SET assessment_started_at = :at WHERE id = :id")
                .bind("at", Timestamp.from(at)).bind("id", id).execute());
    }

    public void endRequested(Handle h, String id, Instant at) {
        h.createUpdate("UPDATE openedx_attempt SET end_assessment_at = COALESCE(end_assessment_at, :at) WHERE id = :id")
                .bind("at", Timestamp.from(at)).bind("id", id).execute();
    }

    /** Whether the platform asked to end this Qatysu attempt (LtiEndAssessment) — the monitoring window then ends itself. */
    public boolean endRequestedFor(String attemptId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM openedx_attempt WHERE attempt_id = :a AND end_assessment_at IS NOT NULL)""")
                .bind("a", attemptId).mapTo(Boolean.class).one());
    }

    /** Qatysu attempts still IN_PROGRESS whose end the platform asked for before {@code before}. */
    public List<String> endOverdue(Instant before) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT DISTINCT a.id FROM openedx_attempt o JOIN proctoring_attempt a ON a.id = o.attempt_id
                        WHERE o.end_assessment_at < :before AND a.state = 'IN_PROGRESS'""")
                .bind("before", Timestamp.from(before)).mapTo(String.class).list());
    }

    static OpenEdxAttempt attempt(ResultSet rs, StatementContext ctx) throws SQLException {
        Array actions = rs.getArray("acs_actions");
        return new OpenEdxAttempt(rs.getString("id"), rs.getLong("platform_id"), rs.getString("deployment_id"),
                rs.getString("resource_link_id"), rs.getString("subject"), rs.getInt("attempt_number"),
                rs.getString("exam_id"), rs.getString("attempt_id"), rs.getString("launch_key"), rs.getString("session_data"),
                rs.getString("start_assessment_url"), Optional.ofNullable(rs.getString("acs_url")),
                actions == null ? List.of() : Arrays.asList((String[]) actions.getArray()),
                Optional.ofNullable(rs.getString("name")), Optional.ofNullable(rs.getString("given_name")),
                Optional.ofNullable(rs.getString("family_name")), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("launched_at").toInstant(), instant(rs, "assessment_started_at"),
                instant(rs, "end_assessment_at"));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getTimestamp(column)).map(Timestamp::toInstant);
    }
}
