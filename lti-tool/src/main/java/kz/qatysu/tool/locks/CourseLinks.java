package kz.qatysu.tool.locks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.lti.LtiClaims;
import kz.qatysu.tool.lti.deeplinking.ToolResource;
import kz.qatysu.tool.lti.session.ToolSession;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The course links admission scores go to, and the platform-user ↔ person directory, both learned from launches.
 * A launch of the Attendance resource (or of the tool without a deep-linked resource, as a manually added Moodle
 * activity is) that carries an AGS endpoint with the score scope becomes a course link of its section.
 */
public final class CourseLinks {
    static final String SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Jdbi jdbi;

    public CourseLinks(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The AGS / NRPS claims a launch would record as its course link (JSON), or empty when it records none: only a
     * resource link launch of the Attendance resource (or of the tool without a deep-linked resource) in a course, with
     * an AGS endpoint carrying the score scope. A pure rule, known before the launch's look-up (which compares them).
     *
     * @param resource the deep-linked custom parameter {@code qatysu_resource}, when present
     * @param services the session's services (the Advantage claims as sent)
     */
    public static Optional<LinkClaims> linkClaims(String messageType, Optional<String> resource, Map<String, Object> services,
                                                  String contextId, String resourceLinkId) {
        if (!LtiClaims.RESOURCE_LINK_REQUEST.equals(messageType)) {
            return Optional.empty();
        }
        boolean attendanceLink = resource.map(ToolResource.ATTENDANCE.key()::equals).orElse(true);
        if (!attendanceLink || contextId == null || resourceLinkId == null
                || !(services.get(LtiClaims.AGS_ENDPOINT) instanceof Map<?, ?> ags)
                || !(ags.get("scope") instanceof List<?> scopes) || !scopes.contains(SCORE_SCOPE)) {
            return Optional.empty();
        }
        return Optional.of(new LinkClaims(write(ags), services.get(LtiClaims.NRPS) instanceof Map<?, ?> nrps ? write(nrps) : null));
    }

    /** A course link's claims as JSON: {@code ags} never null, {@code nrps} null when the launch sent no NRPS claim. */
    public record LinkClaims(String ags, String nrps) {
    }

    /** True when a launch of this message type records its platform user ({@link #recordUser}). */
    public static boolean recordsUser(String messageType) {
        return LtiClaims.RESOURCE_LINK_REQUEST.equals(messageType);
    }

    /**
     * The platform user ↔ person of a resource link launch, in the launch's transaction (the launch skips it when
     * its look-up found the same person stored).
     */
    public void recordUser(Handle h, ToolSession s) {
        if (!recordsUser(s.messageType())) {
            return;
        }
        h.createUpdate("""
                        INSERT INTO lti_user (platform_id, subject, person_id) VALUES (:p, :sub, :person)
                        ON CONFLICT (platform_id, subject) DO UPDATE SET person_id = EXCLUDED.person_id, updated_at = now()
                        WHERE lti_user.person_id IS DISTINCT FROM EXCLUDED.person_id""")
                .bind("p", s.platformId()).bind("sub", s.subject()).bind("person", CourseScope.personId(s)).execute();
    }

    /**
     * The course link of a launch ({@link #linkClaims}), in the launch's transaction; the row changes only when its
     * section, claims or deployment did (the launch skips the statement when its look-up found them all the same).
     *
     * <p>The remembered line items stay while the launch's AGS claim still points at the same container
     * ({@code lineitems}): a launch that differs in its scopes (or any other member) must not make the publisher
     * look for, and on a platform that does not list it create, the item again. The attendance item is forgotten
     * only when the claim names another {@code lineitem} than before and than the remembered one (the platform
     * says which item is the link's now); a claim that drops its {@code lineitem} keeps it — Moodle stops sending
     * the claim once a second item (the final exam item) is attached to the link, and the remembered item is still
     * the link's.
     */
    public void recordLink(Handle h, ToolSession s, LinkClaims claims) {
        h.createUpdate("""
                        INSERT INTO course_link (platform_id, context_id, resource_link_id, deployment_id, section_id, ags_claim, nrps_claim)
                        VALUES (:p, :ctx, :link, :dep, :section, CAST(:ags AS jsonb), CAST(:nrps AS jsonb))
                        ON CONFLICT (platform_id, context_id, resource_link_id) DO UPDATE SET
                            deployment_id = EXCLUDED.deployment_id, section_id = EXCLUDED.section_id,
                            ags_claim = EXCLUDED.ags_claim, nrps_claim = EXCLUDED.nrps_claim, updated_at = now(),
                            line_item_url = CASE WHEN course_link.ags_claim->>'lineitems' IS NOT DISTINCT FROM EXCLUDED.ags_claim->>'lineitems'
                                                      AND (EXCLUDED.ags_claim->>'lineitem' IS NULL
                                                           OR EXCLUDED.ags_claim->>'lineitem' IS NOT DISTINCT FROM course_link.ags_claim->>'lineitem'
                                                           OR EXCLUDED.ags_claim->>'lineitem' = course_link.line_item_url)
                                                 THEN course_link.line_item_url END,
                            exam_line_item_url = CASE WHEN course_link.ags_claim->>'lineitems' = EXCLUDED.ags_claim->>'lineitems'
                                                      THEN course_link.exam_line_item_url END
                        WHERE course_link.section_id IS DISTINCT FROM EXCLUDED.section_id
                           OR course_link.ags_claim IS DISTINCT FROM EXCLUDED.ags_claim
                           OR course_link.nrps_claim IS DISTINCT FROM EXCLUDED.nrps_claim
                           OR course_link.deployment_id IS DISTINCT FROM EXCLUDED.deployment_id""")
                .bind("p", s.platformId()).bind("ctx", s.contextId()).bind("link", s.resourceLinkId())
                .bind("dep", s.deploymentId()).bind("section", CourseScope.sectionId(s))
                .bind("ags", claims.ags()).bind("nrps", claims.nrps())
                .execute();
    }

    public List<CourseLink> forSection(String sectionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM course_link WHERE section_id = :s ORDER BY platform_id, context_id, resource_link_id")
                .bind("s", sectionId).map((rs, c) -> map(rs)).list());
    }

    public Optional<CourseLink> find(long platformId, String contextId, String resourceLinkId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM course_link WHERE platform_id = :p AND context_id = :c AND resource_link_id = :r""")
                .bind("p", platformId).bind("c", contextId).bind("r", resourceLinkId).map((rs, c) -> map(rs)).findOne());
    }

    /**
     * Remembers the link's "Attendance admission" item, unless a launch meanwhile moved the link to another container
     * or line item than {@code link} (as the publisher read it) had: then the next pass resolves it again.
     */
    public void rememberLineItem(CourseLink link, String url) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE course_link SET line_item_url = :u
                        WHERE platform_id = :p AND context_id = :c AND resource_link_id = :r
                          AND ags_claim->>'lineitems' IS NOT DISTINCT FROM :container
                          AND ags_claim->>'lineitem' IS NOT DISTINCT FROM :claimed""")
                .bind("u", url).bind("p", link.platformId()).bind("c", link.contextId()).bind("r", link.resourceLinkId())
                .bind("container", claimMember(link, "lineitems")).bind("claimed", claimMember(link, "lineitem")).execute());
    }

    /**
     * Forgets a remembered line item the platform no longer has (a score post answered 404: the teacher deleted the
     * item, or the activity's own grade item went with its grading), so the next pass finds or creates it again.
     */
    public void forgetLineItem(CourseLink link, String url) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE course_link SET line_item_url = CASE WHEN line_item_url = :u THEN NULL ELSE line_item_url END,
                                               exam_line_item_url = CASE WHEN exam_line_item_url = :u THEN NULL ELSE exam_line_item_url END
                        WHERE platform_id = :p AND context_id = :c AND resource_link_id = :r
                          AND (line_item_url = :u OR exam_line_item_url = :u)""")
                .bind("u", url).bind("p", link.platformId()).bind("c", link.contextId()).bind("r", link.resourceLinkId()).execute());
    }

    /** The platform user id of each person on this platform that we know of. */
    public Map<String, String> subjects(long platformId, List<String> personIds) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT DISTINCT ON (person_id) person_id, subject FROM lti_user
                        WHERE platform_id = :p AND person_id = ANY(:persons) ORDER BY person_id, updated_at DESC""")
                .bind("p", platformId).bind("persons", personIds.toArray(String[]::new))
                .reduceRows(new java.util.HashMap<String, String>(), (m, row) -> {
                    m.put(row.getColumn("person_id", String.class), row.getColumn("subject", String.class));
                    return m;
                }));
    }

    /** Remembers the link's "Final exam admission" item, unless a launch meanwhile moved the link to another container. */
    public void rememberExamLineItem(CourseLink link, String url) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE course_link SET exam_line_item_url = :u
                        WHERE platform_id = :p AND context_id = :c AND resource_link_id = :r
                          AND ags_claim->>'lineitems' IS NOT DISTINCT FROM :container""")
                .bind("u", url).bind("p", link.platformId()).bind("c", link.contextId()).bind("r", link.resourceLinkId())
                .bind("container", claimMember(link, "lineitems")).execute());
    }

    private static String claimMember(CourseLink link, String member) {
        Object v = link.agsClaim() == null ? null : link.agsClaim().get(member);
        return v == null ? null : v.toString();
    }

    public void learnSubject(long platformId, String subject, String personId) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO lti_user (platform_id, subject, person_id) VALUES (:p, :sub, :person)
                        ON CONFLICT (platform_id, subject) DO UPDATE SET person_id = EXCLUDED.person_id, updated_at = now()
                        WHERE lti_user.person_id IS DISTINCT FROM EXCLUDED.person_id""")
                .bind("p", platformId).bind("sub", subject).bind("person", personId).execute());
    }

    private static CourseLink map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new CourseLink(rs.getLong("platform_id"), rs.getString("context_id"), rs.getString("resource_link_id"),
                rs.getString("deployment_id"), rs.getString("section_id"), read(rs.getString("ags_claim")),
                rs.getString("nrps_claim") == null ? null : read(rs.getString("nrps_claim")), rs.getString("line_item_url"),
                rs.getString("exam_line_item_url"));
    }

    private static String write(Map<?, ?> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> read(String s) {
        try {
            return JSON.readValue(s, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One course link: where in which LMS course the admission scores of a section go. */
    public record CourseLink(long platformId, String contextId, String resourceLinkId, String deploymentId, String sectionId,
                             Map<String, Object> agsClaim, Map<String, Object> nrpsClaim, String lineItemUrl,
                             String examLineItemUrl) {
    }
}
