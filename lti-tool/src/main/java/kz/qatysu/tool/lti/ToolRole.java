package kz.qatysu.tool.lti;

import java.util.Collection;
import java.util.Set;

/**
 * What a launch may do in Qatysu, from the LTI roles claim. Unknown, empty or {@code #None} roles give
 * {@link #GUEST} (least privilege): the launch is accepted, as the certification suite requires, but sees nothing
 * of other people.
 *
 * <p>Only <em>principal</em> context roles decide between teacher and student. A context sub-role
 * ({@code membership/Instructor#TeachingAssistant}, {@code membership/Learner#NonCreditLearner}, …) specialises its
 * principal role and counts only together with it (LTI 1.3 §A.2.2: a sub-role is sent beside its principal role), so
 * it never grants anything by itself. This matters for Open edX, which sends its forum roles "Community TA" and
 * "Group Moderator" — students — as {@code membership#Learner} + {@code membership/Instructor#TeachingAssistant}:
 * the principal role present is Learner, so they are students. A platform that sends
 * {@code Instructor#TeachingAssistant} with {@code membership#Instructor} (a real teaching assistant) gets the
 * teacher's view through the principal role; the sub-role alone gives {@link #GUEST}.
 */
public enum ToolRole {
    ADMIN, TEACHER, STUDENT, GUEST;

    private static final String MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#";
    private static final Set<String> ADMIN_ROLES = Set.of(
            "http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator",
            "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
            "http://purl.imsglobal.org/vocab/lis/v2/system/person#SysAdmin",
            "urn:lti:sysrole:ims/lis/Administrator", "urn:lti:instrole:ims/lis/Administrator");
    // Principal course-level roles that teach. Moodle's non-editing teacher launches as Instructor (mod/lti:manage).
    // "TeachingAssistant" in the LTI 1.1 short / urn forms is a principal role of the LIS v1 vocabulary.
    private static final Set<String> TEACHER_ROLES = Set.of(
            MEMBERSHIP + "Instructor", MEMBERSHIP + "ContentDeveloper", MEMBERSHIP + "Administrator",
            MEMBERSHIP + "Manager",
            "Instructor", "ContentDeveloper", "TeachingAssistant", "urn:lti:role:ims/lis/Instructor",
            "urn:lti:role:ims/lis/TeachingAssistant");
    private static final Set<String> STUDENT_ROLES = Set.of(
            MEMBERSHIP + "Learner",
            "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student",
            "Learner", "Student", "urn:lti:role:ims/lis/Learner");

    public static ToolRole fromLtiRoles(Collection<String> roles) {
        boolean admin = false;
        boolean teacher = false;
        boolean student = false;
        for (String raw : roles) {
            if (raw == null) {
                continue;
            }
            String r = raw.trim();
            admin |= ADMIN_ROLES.contains(r);
            teacher |= TEACHER_ROLES.contains(r);
            student |= STUDENT_ROLES.contains(r);
        }
        if (admin) {
            return ADMIN;
        }
        if (teacher) {
            return TEACHER;
        }
        return student ? STUDENT : GUEST;
    }

    /** Teachers and administrators see the teacher views of a course. */
    public boolean teaches() {
        return this == ADMIN || this == TEACHER;
    }
}
