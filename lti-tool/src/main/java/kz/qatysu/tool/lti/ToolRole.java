package kz.qatysu.tool.lti;

import java.util.Collection;
import java.util.Set;

/**
 * What a launch may do in Qatysu, from the LTI roles claim. Unknown, empty or {@code #None} roles give
 * {@link #GUEST} (least privilege): the launch is accepted, as the certification suite requires, but sees nothing
 * of other people.
 */
public enum ToolRole {
    ADMIN, TEACHER, STUDENT, GUEST;

    private static final String MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#";
    private static final String INSTRUCTOR_SUB = "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#";
    private static final String LEARNER_SUB = "http://purl.imsglobal.org/vocab/lis/v2/membership/Learner#";
    private static final Set<String> ADMIN_ROLES = Set.of(
            "http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator",
            "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
            "http://purl.imsglobal.org/vocab/lis/v2/system/person#SysAdmin",
            "urn:lti:sysrole:ims/lis/Administrator", "urn:lti:instrole:ims/lis/Administrator");
    // Course-level roles that teach. Moodle's non-editing teacher launches as Instructor (mod/lti:manage).
    private static final Set<String> TEACHER_ROLES = Set.of(
            MEMBERSHIP + "Instructor", MEMBERSHIP + "ContentDeveloper", MEMBERSHIP + "Administrator",
            MEMBERSHIP + "Manager", INSTRUCTOR_SUB + "TeachingAssistant", INSTRUCTOR_SUB + "Lecturer",
            INSTRUCTOR_SUB + "PrimaryInstructor", INSTRUCTOR_SUB + "SecondaryInstructor",
            "Instructor", "ContentDeveloper", "TeachingAssistant", "urn:lti:role:ims/lis/Instructor",
            "urn:lti:role:ims/lis/TeachingAssistant");
    private static final Set<String> STUDENT_ROLES = Set.of(
            MEMBERSHIP + "Learner", LEARNER_SUB + "Learner", LEARNER_SUB + "NonCreditLearner",
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
