package kz.qatysu.tool.course;

import kz.qatysu.tool.testing.Api;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.CourseBrowser;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static kz.qatysu.tool.testing.LaunchClaims.LTI;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group sessions on the teacher's pages: the marking grid of a seminar of one academic group lists that group only,
 * a forged row for another group's student is refused with nothing stored, the new-sessions form creates a group
 * session from the section's academic groups, and the report keeps another group's sessions apart.
 */
class GroupSessionPagesTest {
    private static final String INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";
    private static final String SECTION = "GRP-PAGES";

    static RunningTool tool;
    static TestPlatform platform;
    static Api api;

    @BeforeAll
    static void start() {
        tool = RunningTool.start();
        platform = new TestPlatform("http://127.0.0.1:8103", "grp-pages-client", "1");
        new LtiFlow(tool, platform, new Browser()).register();
        api = Api.admin(tool);
        api.ok(api.put("/api/v1/sections/" + SECTION, "{\"title\": \"Алгоритмдер\", \"termStart\": \"2026-09-01\", \"termEnd\": \"2026-12-25\"}"));
        api.ok(api.put("/api/v1/sections/" + SECTION + "/enrolments", """
                [{"personId":"P-1","role":"student","group":"ИС-24-1"},{"personId":"P-2","role":"student","group":"ИС-24-1"},
                 {"personId":"P-3","role":"student","group":"ИС-24-2"},{"personId":"P-4","role":"student"},
                 {"personId":"T-7","role":"teacher"}]"""));
        api.ok(api.put("/api/v1/sections/" + SECTION + "/sessions", """
                [{"sessionId":"G-LEC","start":"2026-09-02T08:00:00+05:00","end":"2026-09-02T08:50:00+05:00","kind":"lecture","hours":1},
                 {"sessionId":"G-SEM","start":"2026-09-03T10:00:00+05:00","end":"2026-09-03T11:40:00+05:00","kind":"seminar","hours":2,
                  "group":"ИС-24-1"}]"""));
    }

    @AfterAll
    static void stop() {
        tool.close();
        platform.close();
    }

    static CourseBrowser teacher() {
        return CourseBrowser.launch(tool, platform, c -> {
            c.put(LTI + "lis", Map.of("person_sourcedid", "T-7", "course_section_sourcedid", SECTION));
            c.put(LTI + "roles", List.of(INSTRUCTOR));
            c.put("sub", "sub-T-7");
            c.put("name", "Айгүл Серікқызы");
            c.put(LTI + "launch_presentation", Map.of("locale", "en", "document_target", "iframe"));
        });
    }

    @Test
    void the_grid_of_a_group_session_lists_only_the_groups_students_and_the_lecture_everyone() {
        CourseBrowser teacher = teacher();
        String seminar = teacher.get("/sessions/G-SEM").body();
        assertThat(seminar).contains("id=\"session-group\"", "For group ИС-24-1 only", "value=\"P-1\"", "value=\"P-2\"")
                .doesNotContain("value=\"P-3\"", "value=\"P-4\"");
        String lecture = teacher.get("/sessions/G-LEC").body();
        assertThat(lecture).contains("value=\"P-1\"", "value=\"P-2\"", "value=\"P-3\"", "value=\"P-4\"")
                .doesNotContain("id=\"session-group\"");
        assertThat(teacher.home().body()).contains("For group ИС-24-1 only");
    }

    @Test
    void a_forged_grid_row_for_another_groups_student_is_refused_and_nothing_is_stored() {
        CourseBrowser teacher = teacher();
        String csrf = teacher.csrf("/sessions/G-SEM");
        Map<String, String> form = new HashMap<>(Map.of("_csrf", csrf, "p.0", "P-1", "s.0", "PRESENT", "p.1", "P-3", "s.1", "ABSENT"));
        var r = teacher.post("/sessions/G-SEM/marks", form);
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("P-3", "ИС-24-2");
        long marks = tool.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM mark WHERE session_id = 'G-SEM'")
                .mapTo(Long.class).one());
        assertThat(marks).isZero();
    }

    @Test
    void the_teacher_creates_a_group_session_for_one_of_the_sections_academic_groups() {
        CourseBrowser teacher = teacher();
        String form = teacher.get("/timetable/new").body();
        assertThat(form).contains("name=\"group\"", "<option value=\"ИС-24-1\"", "<option value=\"ИС-24-2\"", "The whole section");

        var created = teacher.post("/timetable", Map.of("_csrf", CourseBrowser.csrfOf(form), "date", "2026-11-10",
                "start", "10:00", "duration", "100", "hours", "2", "kind", "practice", "room", "B-1", "repeat", "2",
                "group", "ИС-24-2"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        List<String> groups = tool.database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT academic_group FROM class_session WHERE section_id = :s AND origin = 'teacher'""")
                .bind("s", SECTION).mapTo(String.class).list());
        assertThat(groups).containsExactly("ИС-24-2", "ИС-24-2");
        // the standing of ИС-24-2 counts them at once, the others' does not
        var standing = api.ok(api.get("/api/v1/sections/" + SECTION + "/standing"));
        Map<String, Integer> planned = new HashMap<>();
        standing.forEach(row -> planned.put(row.path("personId").asText(), row.path("plannedHours").asInt()));
        assertThat(planned).containsEntry("P-3", 5).containsEntry("P-1", 3).containsEntry("P-4", 1);

        var unknown = teacher.post("/timetable", Map.of("_csrf", teacher.csrf("/timetable/new"), "date", "2026-11-10",
                "start", "10:00", "duration", "50", "hours", "1", "kind", "lecture", "room", "", "repeat", "1",
                "group", "ВТ-99-9"));
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(unknown.body()).contains("Choose the whole section or one of its academic groups.");
    }

    @Test
    void the_course_report_shows_another_groups_session_as_not_theirs() {
        api.ok(api.put("/api/v1/sessions/G-SEM/marks", "[{\"personId\":\"P-1\",\"status\":\"ABSENT\"}]"));
        String csv = teacher().get("/reports/course?format=csv").body();
        assertThat(csv).contains("ИС-24-1");
        String p3 = csv.lines().filter(l -> l.startsWith("P-3")).findFirst().orElseThrow(() -> new AssertionError(csv));
        assertThat(p3).contains("—");
    }
}
