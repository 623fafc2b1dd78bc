package kz.qatysu.tool.lti.launch;

import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.course.PersonDirectory;
import kz.qatysu.tool.course.PersonName;
import kz.qatysu.tool.locks.CourseLinks;
import org.jdbi.v3.core.Handle;

import java.util.Locale;

/**
 * What a launch learns from the tool's own tables, in one statement on the launch's connection (auto-committed, before
 * any write):
 * <ul>
 *   <li>section (when the launch names none): the sync daemon's link of the Open edX course key, else the dean's
 *       office's mapping of the platform's course, else (before V145) a section named by the course key itself — the
 *       first that exists;</li>
 *   <li>person (when the launch names none): the portal person whose login the launch's username is (roster uploads);</li>
 *   <li>the name stored for the person the launch resolves to (the name of a launch that sent none; else compared
 *       with the sent one, so an unchanged name is not written again);</li>
 *   <li>what the launch would upsert, so that it writes only what changed: the person its platform user is stored
 *       with ({@code lti_user}), and whether its course link ({@code course_link}) already holds its section, claims
 *       and deployment (the claims compared as jsonb by PostgreSQL).</li>
 * </ul>
 */
final class LaunchLookup {
    /**
     * The answers. {@code sectionId}, {@code loginPerson} null when not asked for or not known; {@code name} null when
     * the person has no name row; {@code userKnown} false when the platform user has no row (or was not asked for);
     * {@code link} null when no course link row exists (or none was asked for).
     */
    record Found(String sectionId, String loginPerson, PersonDirectory.Stored name, boolean userKnown, String userPerson,
                 StoredLink link) {
        String knownName() {
            return name == null ? null : new PersonName(name.display(), name.family(), name.given(), name.middle()).display();
        }
    }

    /** A stored course link: its section and deployment, and whether its claims equal the launch's. */
    record StoredLink(String sectionId, String deploymentId, boolean sameClaims) {
    }

    private LaunchLookup() {
    }

    /**
     * @param platformId      the launch's platform
     * @param contextId       the platform's course (null: no section is looked up)
     * @param courseKey       the Open edX course key, or null
     * @param person          the launch's lis.person_sourcedid, or null when blank
     * @param username        the launch's username, or null when blank (null: no login is looked up)
     * @param subject         the launch's sub, for the tool's own person id when nothing else names the person
     * @param wantSection     look the section up (the launch named none)
     * @param wantUser        read the platform user's stored person (the launch records it)
     * @param resourceLinkId  the launch's resource link
     * @param link            the course link claims the launch records, or null (no link is read)
     */
    static Found find(Handle h, long platformId, String contextId, String courseKey, String person, String username,
                      String subject, boolean wantSection, boolean wantUser, String resourceLinkId, CourseLinks.LinkClaims link) {
        boolean wantLogin = person == null && username != null;
        String login = username == null ? null : username.strip().toLowerCase(Locale.ROOT);
        return h.createQuery("""
                        WITH login AS (SELECT person_id FROM person_login WHERE :wantLogin AND login = :login)
                        SELECT CASE WHEN :wantSection THEN COALESCE(
                                   (SELECT section_id FROM section_openedx_course WHERE course_key = :key),
                                   (SELECT section_id FROM course_mapping WHERE platform_id = :platform AND context_id = :context),
                                   (SELECT section_id FROM section WHERE section_id = :key)) END AS section_id,
                               (SELECT person_id FROM login) AS login_person,
                               p.person_id AS named, p.display_name, p.family_name, p.given_name, p.middle_name, p.source,
                               u.person_id AS user_person,
                               l.section_id AS link_section, l.deployment_id AS link_deployment,
                               l.ags_claim = CAST(:ags AS jsonb) AND l.nrps_claim IS NOT DISTINCT FROM CAST(:nrps AS jsonb) AS link_same
                        FROM (SELECT 1) one
                        LEFT JOIN person p ON p.person_id = COALESCE(:person, (SELECT person_id FROM login), :username, :local)
                        LEFT JOIN lti_user u ON :wantUser AND u.platform_id = :platform AND u.subject = :subject
                        LEFT JOIN course_link l ON :wantLink AND l.platform_id = :platform AND l.context_id = :context
                             AND l.resource_link_id = :resourceLink""")
                .bind("wantLogin", wantLogin).bind("login", login)
                .bind("wantSection", wantSection && contextId != null).bind("key", courseKey)
                .bind("platform", platformId).bind("context", contextId)
                .bind("person", person).bind("username", username)
                .bind("local", CourseScope.LOCAL_PREFIX + platformId + "-" + subject)
                .bind("wantUser", wantUser).bind("subject", subject)
                .bind("wantLink", link != null).bind("resourceLink", resourceLinkId)
                .bind("ags", link == null ? null : link.ags()).bind("nrps", link == null ? null : link.nrps())
                .map((rs, ctx) -> new Found(blankToNull(rs.getString("section_id")), rs.getString("login_person"),
                        rs.getString("named") == null ? null : new PersonDirectory.Stored(rs.getString("display_name"),
                                rs.getString("given_name"), rs.getString("family_name"), rs.getString("middle_name"), rs.getString("source")),
                        rs.getString("user_person") != null, rs.getString("user_person"),
                        rs.getString("link_section") == null ? null
                                : new StoredLink(rs.getString("link_section"), rs.getString("link_deployment"), rs.getBoolean("link_same"))))
                .one();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
