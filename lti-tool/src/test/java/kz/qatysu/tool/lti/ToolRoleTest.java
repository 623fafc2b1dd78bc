package kz.qatysu.tool.lti;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every roles claim Moodle 4.5 and Open edX send (shared/integration: captures/moodle-4.5/README.md §5.3 and
 * xblock-lti-consumer v11.4.0 {@code lti_1p3/constants.py} LTI_1P3_ROLE_MAP), and the tool role each one gets.
 */
class ToolRoleTest {
    private static final String V2 = "http://purl.imsglobal.org/vocab/lis/v2/";
    private static final String SYSTEM_NONE = V2 + "system/person#None";
    private static final String INSTITUTION_NONE = V2 + "institution/person#None";
    private static final String LEARNER = V2 + "membership#Learner";
    private static final String INSTRUCTOR = V2 + "membership#Instructor";
    private static final String CONTEXT_ADMIN = V2 + "membership#Administrator";
    private static final String TEACHING_ASSISTANT = V2 + "membership/Instructor#TeachingAssistant";

    static Stream<Arguments> platform_role_sets() {
        List<Arguments> rows = new ArrayList<>(List.of(
                // Moodle 4.5: lti_get_ims_role gives Instructor (mod/lti:manage) or Learner; site admins get both admins
                arguments("Moodle student", List.of(LEARNER), ToolRole.STUDENT),
                arguments("Moodle editing teacher", List.of(INSTRUCTOR), ToolRole.TEACHER),
                arguments("Moodle non-editing teacher", List.of(INSTRUCTOR), ToolRole.TEACHER),
                arguments("Moodle site admin", List.of(V2 + "institution/person#Administrator", INSTRUCTOR,
                        V2 + "system/person#Administrator"), ToolRole.ADMIN),
                // Open edX: every key of LTI_1P3_ROLE_MAP
                arguments("Open edX global_staff", List.of(V2 + "system/person#Administrator",
                        V2 + "institution/person#Administrator", V2 + "institution/person#Staff",
                        V2 + "institution/person#Faculty", V2 + "institution/person#Instructor", CONTEXT_ADMIN, INSTRUCTOR),
                        ToolRole.ADMIN),
                arguments("Open edX instructor (course admin)", List.of(SYSTEM_NONE, INSTITUTION_NONE, CONTEXT_ADMIN, INSTRUCTOR),
                        ToolRole.TEACHER),
                arguments("Open edX staff", List.of(SYSTEM_NONE, INSTITUTION_NONE, INSTRUCTOR), ToolRole.TEACHER),
                arguments("Open edX limited_staff", List.of(SYSTEM_NONE, INSTITUTION_NONE, INSTRUCTOR), ToolRole.TEACHER),
                arguments("Open edX Community TA (forum role, a student)",
                        List.of(SYSTEM_NONE, INSTITUTION_NONE, LEARNER, TEACHING_ASSISTANT), ToolRole.STUDENT),
                arguments("Open edX Group Moderator (forum role, a student)",
                        List.of(SYSTEM_NONE, INSTITUTION_NONE, LEARNER, TEACHING_ASSISTANT), ToolRole.STUDENT),
                // not sent by either platform: the sub-role rule on its own
                arguments("TA sub-role with its principal Instructor", List.of(INSTRUCTOR, TEACHING_ASSISTANT), ToolRole.TEACHER),
                arguments("TA sub-role alone", List.of(TEACHING_ASSISTANT), ToolRole.GUEST),
                arguments("Learner sub-role alone", List.of(V2 + "membership/Learner#NonCreditLearner"), ToolRole.GUEST),
                arguments("#None roles only", List.of(SYSTEM_NONE, INSTITUTION_NONE), ToolRole.GUEST),
                arguments("no roles", List.of(), ToolRole.GUEST)));
        for (String learnerLike : List.of("student", "guest", "finance_admin", "sales_admin", "beta_testers",
                "library_user", "ccx_coach", "data_researcher", "org_course_creator_group", "course_creator_group",
                "support", "Administrator (forum)", "Moderator (forum)", "Student (forum)")) {
            rows.add(arguments("Open edX " + learnerLike, List.of(SYSTEM_NONE, INSTITUTION_NONE, LEARNER), ToolRole.STUDENT));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("platform_role_sets")
    void each_platform_role_set_gets_its_tool_role_in_any_order(String who, List<String> roles, ToolRole expected) {
        assertThat(ToolRole.fromLtiRoles(roles)).isEqualTo(expected);
        // Open edX builds the claim from a Python set: the order varies between launches
        List<String> reversed = new ArrayList<>(roles);
        Collections.reverse(reversed);
        assertThat(ToolRole.fromLtiRoles(reversed)).isEqualTo(expected);
    }
}
