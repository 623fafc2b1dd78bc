package kz.qatysu.tool.course;

import kz.qatysu.tool.lti.session.ToolSession;

/**
 * How a launch maps onto the attendance data: which section (the portal's section code) and which person (the
 * portal's person id). Moodle sends both in the {@code lis} claim once the sync daemon has set the course and user
 * idnumbers; Open edX sends its course key and, with unified logins, the portal login as username. A course or user
 * the portal does not know still works, under a local id derived from the platform's own ids, so a teacher can take
 * attendance in an unmapped course and an administrator can map it later.
 */
public final class CourseScope {
    public static final String LOCAL_PREFIX = "lti-";

    private CourseScope() {
    }

    /** The section id of the launch's course: the portal section code, else {@code lti-<platform>-<context>}. */
    public static String sectionId(ToolSession s) {
        return s.sectionCode().orElseGet(() -> LOCAL_PREFIX + s.platformId() + "-" + (s.contextId() == null ? "none" : s.contextId()));
    }

    /** The person id of the launching user: the portal person id, else {@code lti-<platform>-<sub>}. */
    public static String personId(ToolSession s) {
        return s.personId().orElseGet(() -> LOCAL_PREFIX + s.platformId() + "-" + s.subject());
    }

    /** True when the section is not (yet) one the portal sent. */
    public static boolean isLocal(String sectionId) {
        return sectionId.startsWith(LOCAL_PREFIX);
    }
}
