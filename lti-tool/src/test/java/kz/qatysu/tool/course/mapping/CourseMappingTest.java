package kz.qatysu.tool.course.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.testing.Api;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.CourseBrowser;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static kz.qatysu.tool.testing.LaunchClaims.LTI;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Moodle course without an ID number works under a local section; the dean's office maps it to its portal
 * section later and the teacher's sessions and marks follow.
 */
class CourseMappingTest {
    private static final Pattern SESSION_LINK = Pattern.compile("/sessions/([^\"?/]+)\"");
    private static final String LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";
    private static final String INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";

    static RunningTool tool;
    static TestPlatform platform;
    static long platformId;

    @BeforeAll
    static void start() {
        tool = RunningTool.start();
        platform = new TestPlatform("http://127.0.0.1:8101", "mapping-client", "1");
        platformId = new LtiFlow(tool, platform, new Browser()).register();
    }

    @AfterAll
    static void stop() {
        tool.close();
        platform.close();
    }

    @Test
    void mapping_a_local_course_moves_its_sessions_and_marks_to_the_portal_section_and_later_launches_follow() {
        String local = CourseScope.LOCAL_PREFIX + platformId + "-777";
        // a course without an ID number: the teacher takes attendance in a local section
        CourseBrowser teacher = launchUnmapped("777", "T-77", INSTRUCTOR);
        assertThat(teacher.get("/").body()).contains("local section");
        launchUnmapped("777", "P-7001", LEARNER).get("/");
        var created = teacher.post("/timetable", Map.of("_csrf", teacher.csrf("/timetable/new"), "date", "2026-09-07",
                "start", "09:00", "duration", "50", "hours", "2", "kind", "practice", "room", "B-12", "repeat", "1"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        Matcher link = SESSION_LINK.matcher(teacher.get("/").body());
        assertThat(link.find()).isTrue();
        String teacherSession = link.group(1);
        api("PUT", "/api/v1/sessions/" + teacherSession + "/marks", "[{\"personId\":\"P-7001\",\"status\":\"ABSENT\"}]", true);

        // the portal knows the course as MAP-1 (two one-hour sessions), the same student enrolled
        api("PUT", "/api/v1/sections/MAP-1", "{\"title\":\"Алгоритмдер\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\"}", true);
        api("PUT", "/api/v1/sections/MAP-1/enrolments",
                "[{\"personId\":\"P-7001\",\"role\":\"student\"},{\"personId\":\"T-77\",\"role\":\"teacher\"}]", true);
        api("PUT", "/api/v1/sections/MAP-1/sessions", """
                [{"sessionId":"MAP-1-1","start":"2026-09-02T08:00:00+05:00","end":"2026-09-02T08:50:00+05:00","hours":1},
                 {"sessionId":"MAP-1-2","start":"2026-09-03T08:00:00+05:00","end":"2026-09-03T08:50:00+05:00","hours":1}]""", true);
        assertThat(standing("MAP-1", "P-7001").path("plannedHours").asInt()).isEqualTo(2);

        Browser dean = admin();
        String page = dean.get(tool.baseUrl() + "/admin/courses").body();
        assertThat(page).contains("id=\"course-" + local + "\"", "Unmapped course 777");

        // no CSRF token: refused, nothing moved
        var forged = dean.postForm(tool.baseUrl() + "/admin/courses/" + local + "/map", Map.of("sectionId", "MAP-1"));
        assertThat(forged.statusCode()).isEqualTo(403);
        // a section the portal has not sent: the field's error, nothing moved
        var unknown = dean.postForm(tool.baseUrl() + "/admin/courses/" + local + "/map",
                Map.of("_csrf", csrf(page), "sectionId", "NO-SUCH"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("id=\"form-error\"", "has not sent this section");
        assertThat(standing("MAP-1", "P-7001").path("plannedHours").asInt()).isEqualTo(2);

        var mapped = dean.postForm(tool.baseUrl() + "/admin/courses/" + local + "/map",
                Map.of("_csrf", csrf(page), "sectionId", "MAP-1"));
        assertThat(mapped.statusCode()).as(mapped.body()).isEqualTo(303);
        String after = dean.get(tool.baseUrl() + mapped.headers().firstValue("Location").orElseThrow()).body();
        assertThat(after).contains("id=\"mapped\"").doesNotContain("id=\"course-" + local + "\"");

        // the teacher's two-hour session and the absence now count in the portal section
        JsonNode row = standing("MAP-1", "P-7001");
        assertThat(row.path("plannedHours").asInt()).isEqualTo(4);
        assertThat(row.path("absentHours").asInt()).isEqualTo(2);
        // the moved mark enters the change feed under the portal section, for the daemon to write back
        JsonNode changes = api("GET", "/api/v1/changes?since=0", null, true).path("changes");
        assertThat(changes.findValues("sectionId").stream().map(JsonNode::asText)).contains("MAP-1");
        boolean fed = false;
        for (JsonNode c : changes) {
            fed |= c.path("type").asText().equals("mark") && c.path("sectionId").asText().equals("MAP-1")
                    && c.path("sessionId").asText().equals(teacherSession);
        }
        assertThat(fed).as("a mark entry of " + teacherSession + " under MAP-1 in " + changes).isTrue();

        // the open launch follows at once, and a new launch of the course opens the portal section
        assertThat(teacher.get("/").body()).contains("MAP-1-1", teacherSession);
        assertThat(launchUnmapped("777", "T-77", INSTRUCTOR).get("/").body()).contains("MAP-1-2");

        // mapped once: the API refuses a second mapping
        var again = request("PUT", "/api/v1/admin/course-mappings/" + local, "{\"sectionId\":\"MAP-1\"}", true);
        assertThat(again.status()).isEqualTo(409);
        JsonNode list = api("GET", "/api/v1/admin/course-mappings", null, true);
        assertThat(list.path("mappings").get(0).path("sessionsMoved").asInt()).isEqualTo(1);
        assertThat(list.path("mappings").get(0).path("marksMoved").asInt()).isEqualTo(1);
    }

    @Test
    void the_mapping_api_needs_the_admin_token_and_names_a_bad_field() {
        assertThat(request("GET", "/api/v1/admin/course-mappings", null, false).status()).isEqualTo(401);
        assertThat(request("PUT", "/api/v1/admin/course-mappings/lti-" + platformId + "-1", "{\"sectionId\":\"X\"}", false)
                .status()).isEqualTo(401);
        var noTarget = request("PUT", "/api/v1/admin/course-mappings/lti-" + platformId + "-1", "{}", true);
        assertThat(noTarget.status()).isEqualTo(400);
        assertThat(noTarget.body()).contains("\"path\":\"sectionId\"");
        var notLocal = request("PUT", "/api/v1/admin/course-mappings/MAP-2", "{\"sectionId\":\"MAP-1\"}", true);
        assertThat(notLocal.status()).isEqualTo(404);
        assertThat(request("GET", "/admin/courses", null, false).status()).isEqualTo(401);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /** A Moodle launch of a course without an ID number; the user has an ID number ({@code person}). */
    private static CourseBrowser launchUnmapped(String contextId, String person, String role) {
        return CourseBrowser.launch(tool, platform, c -> {
            c.put(LTI + "lis", Map.of("person_sourcedid", person));
            c.put(LTI + "context", Map.of("id", contextId, "label", "LOCAL", "title", "Unmapped course " + contextId,
                    "type", List.of("CourseSection")));
            c.put(LTI + "roles", List.of(role));
            c.put("sub", "sub-" + person);
            c.put("name", person);
            c.put(LTI + "launch_presentation", Map.of("locale", "en", "document_target", "iframe"));
        });
    }

    private static Browser admin() {
        Browser browser = new Browser();
        String form = browser.get(tool.baseUrl() + "/admin").body();
        var r = browser.postForm(tool.baseUrl() + "/admin/signin", Map.of("_csrf", csrf(form), "token", RunningTool.ADMIN_TOKEN));
        assertThat(r.statusCode()).isEqualTo(303);
        return browser;
    }

    private static String csrf(String html) {
        return CourseBrowser.csrfOf(html);
    }

    private static JsonNode standing(String section, String person) {
        for (JsonNode r : api("GET", "/api/v1/sections/" + section + "/standing", null, true)) {
            if (r.path("personId").asText().equals(person)) {
                return r;
            }
        }
        throw new AssertionError("no standing of " + person + " in " + section);
    }

    private static JsonNode api(String method, String path, String json, boolean token) {
        Api.Response r = request(method, path, json, token);
        assertThat(r.status()).as(method + " " + path + " → " + r.body()).isBetween(200, 299);
        return r.json();
    }

    private static Api.Response request(String method, String path, String json, boolean token) {
        return new Api(tool, token ? RunningTool.ADMIN_TOKEN : null).send(method, path, json);
    }
}
