package kz.qatysu.tool.lti.launch;

import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.course.PersonName;
import org.jdbi.v3.core.Handle;

import java.util.Locale;

/**
 * What a launch that does not name its portal section, person or name learns from the tool's own tables, in one
 * statement on the launch's connection (before: one pool checkout and one query each, up to four per Open edX launch):
 * <ul>
 *   <li>section: the sync daemon's link of the Open edX course key, else the dean's office's mapping of the platform's
 *       course, else (before V145) a section named by the course key itself — the first that exists;</li>
 *   <li>person: the portal person whose login the launch's username is (roster uploads);</li>
 *   <li>name: the name the tool knows for the person the launch resolves to.</li>
 * </ul>
 */
final class LaunchLookup {
    /** The answers; each null when not asked for or not known. {@code knownName} is null when the person has no row. */
    record Found(String sectionId, String loginPerson, String knownName) {
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
     * @param wantName        look the name up (the launch sent none)
     */
    static Found find(Handle h, long platformId, String contextId, String courseKey, String person, String username,
                      String subject, boolean wantSection, boolean wantName) {
        boolean wantLogin = person == null && username != null;
        if (!(wantSection && contextId != null) && !wantLogin && !wantName) {
            return new Found(null, null, null);
        }
        String login = username == null ? null : username.strip().toLowerCase(Locale.ROOT);
        return h.createQuery("""
                        WITH login AS (SELECT person_id FROM person_login WHERE :wantLogin AND login = :login)
                        SELECT CASE WHEN :wantSection THEN COALESCE(
                                   (SELECT section_id FROM section_openedx_course WHERE course_key = :key),
                                   (SELECT section_id FROM course_mapping WHERE platform_id = :platform AND context_id = :context),
                                   (SELECT section_id FROM section WHERE section_id = :key)) END AS section_id,
                               (SELECT person_id FROM login) AS login_person,
                               p.person_id AS named, p.display_name, p.family_name, p.given_name, p.middle_name
                        FROM (SELECT 1) one
                        LEFT JOIN person p ON :wantName
                             AND p.person_id = COALESCE(:person, (SELECT person_id FROM login), :username, :local)""")
                .bind("wantLogin", wantLogin).bind("login", login)
                .bind("wantSection", wantSection && contextId != null).bind("key", courseKey)
                .bind("platform", platformId).bind("context", contextId)
                .bind("wantName", wantName).bind("person", person).bind("username", username)
                .bind("local", CourseScope.LOCAL_PREFIX + platformId + "-" + subject)
                .map((rs, ctx) -> new Found(blankToNull(rs.getString("section_id")), rs.getString("login_person"),
                        rs.getString("named") == null ? null : new PersonName(rs.getString("display_name"), rs.getString("family_name"),
                                rs.getString("given_name"), rs.getString("middle_name")).display()))
                .one();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
