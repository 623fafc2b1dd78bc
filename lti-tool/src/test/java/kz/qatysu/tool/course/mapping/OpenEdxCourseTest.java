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

import static kz.qatysu.tool.testing.LaunchClaims.LTI;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Open edX launches (claims as xblock-lti-consumer sends them: no {@code lis}, no {@code ext}, no locale; the context
 * id is the course key; the username in {@code preferred_username} when the block shares PII) land on the portal
 * section the sync daemon linked the course key to, under the portal person whose login the username is; a course the
 * daemon did not link is listed on the dean's office's course mapping page and can be mapped there.
 */
class OpenEdxCourseTest {
    private static final String LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";
    private static final String INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";
    private static final String COURSE_KEY = "course-v1:KazNU+ALG101+2026_T1";

    static RunningTool tool;
    static TestPlatform edx;
    static long platformId;

    @BeforeAll
    static void start() {
        tool = RunningTool.start();
        edx = new TestPlatform("http://127.0.0.1:8103", "edx-client", "1");
        platformId = new LtiFlow(tool, edx, new Browser()).register();
    }

    @AfterAll
    static void stop() {
        tool.close();
        edx.close();
    }

    @Test
    void an_open_edx_launch_lands_on_the_section_the_daemon_linked_with_its_timetable_and_under_the_portal_person() {
        api("PUT", "/api/v1/sections/ALG-101", """
                {"title":"Алгоритмдер","termStart":"2026-09-01","termEnd":"2026-12-25","openedxCourseKey":"%s"}""".formatted(COURSE_KEY));
        api("PUT", "/api/v1/sections/ALG-101/enrolments", """
                [{"personId":"P-2001","role":"student","familyName":"Нұрланқызы","givenName":"Әлия","login":"aliya.n"},
                 {"personId":"T-21","role":"teacher","familyName":"Серікқызы","givenName":"Айгүл","login":"aigul.s"}]""");
        api("PUT", "/api/v1/sections/ALG-101/sessions", """
                [{"sessionId":"ALG-101-1","start":"2026-09-02T08:00:00+05:00","end":"2026-09-02T08:50:00+05:00","hours":2},
                 {"sessionId":"ALG-101-2","start":"2026-09-09T08:00:00+05:00","end":"2026-09-09T08:50:00+05:00","hours":2}]""");
        api("PUT", "/api/v1/sessions/ALG-101-1/marks", "[{\"personId\":\"P-2001\",\"status\":\"ABSENT\"}]");

        // the student: the portal section's timetable and her own mark and standing (4 planned hours, 2 absent)
        String student = openEdx(COURSE_KEY, "7", "Aliya.N", LEARNER).home().body();
        assertThat(student).contains("<code>ALG-101</code>", "Әлия Нұрланқызы", "id=\"share\"", "id=\"marks\"")
                .doesNotContain("id=\"not-enrolled\"", "<code>" + COURSE_KEY + "</code>");
        assertThat(standing("ALG-101", "P-2001").path("plannedHours").asInt()).isEqualTo(4);
        // the teacher: the portal section's sessions and roster, by the portal's names
        CourseBrowser teacher = openEdx(COURSE_KEY, "3", "aigul.s", INSTRUCTOR);
        assertThat(teacher.home().body()).contains("ALG-101-1", "ALG-101-2");
        assertThat(teacher.get("/sessions/ALG-101-1").body()).contains("Нұрланқызы Әлия");
        // no local section was made for the course
        assertThat(api("GET", "/api/v1/admin/course-mappings").path("unmapped").toString()).doesNotContain(COURSE_KEY);
    }

    @Test
    void an_open_edx_course_the_daemon_did_not_link_is_on_the_course_mapping_page_and_its_launches_follow_the_mapping() {
        String key = "course-v1:KazNU+PHY101+2026_T1";
        String local = CourseScope.LOCAL_PREFIX + platformId + "-" + key;
        CourseBrowser teacher = openEdx(key, "31", "teacher.p", INSTRUCTOR);
        assertThat(teacher.home().body()).contains("local section");
        openEdx(key, "41", "bolat.k", LEARNER).home();

        Browser dean = admin();
        String page = dean.get(tool.baseUrl() + "/admin/courses").body();
        assertThat(page).contains("id=\"course-" + local + "\"", "Physics (Open edX)");

        api("PUT", "/api/v1/sections/PHY-1", "{\"title\":\"Физика\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\"}");
        api("PUT", "/api/v1/sections/PHY-1/enrolments", """
                [{"personId":"P-3001","role":"student","familyName":"Қасымов","givenName":"Болат","login":"bolat.k"}]""");
        api("PUT", "/api/v1/sections/PHY-1/sessions", """
                [{"sessionId":"PHY-1-1","start":"2026-09-03T10:00:00+05:00","end":"2026-09-03T10:50:00+05:00","hours":1}]""");
        var mapped = dean.postForm(tool.baseUrl() + "/admin/courses/" + local + "/map",
                Map.of("_csrf", CourseBrowser.csrfOf(page), "sectionId", "PHY-1"));
        assertThat(mapped.statusCode()).as(mapped.body()).isEqualTo(303);

        // the open launch follows at once; a new launch of the course opens the portal section under the portal person
        assertThat(teacher.home().body()).contains("PHY-1-1");
        openEdx(key, "41", "bolat.k", LEARNER).home();
        assertThat(standing("PHY-1", "P-3001").path("plannedHours").asInt()).isEqualTo(1);
    }

    @Test
    void a_section_upload_with_a_malformed_course_key_is_refused_naming_the_field_and_nothing_is_stored() {
        Api.Response r = new Api(tool, RunningTool.ADMIN_TOKEN).send("PUT", "/api/v1/sections/BAD-1",
                "{\"title\":\"X\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\",\"openedxCourseKey\":\"KazNU ALG\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("\"path\":\"openedxCourseKey\"");
        assertThat(new Api(tool, RunningTool.ADMIN_TOKEN).send("GET", "/api/v1/sections/BAD-1/standing", null).status()).isEqualTo(404);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /** An id_token shaped like xblock-lti-consumer's (lti-platform-messages.md §2.3), PII shared. */
    private static CourseBrowser openEdx(String courseKey, String sub, String username, String role) {
        return CourseBrowser.launch(tool, edx, c -> {
            c.remove(LTI + "lis");
            c.remove(LTI + "ext");
            c.remove("given_name");
            c.remove("family_name");
            c.remove(LTI + "custom");
            c.remove("https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice");
            c.put("azp", edx.clientId);
            c.put("sub", sub);
            c.put("name", role.equals(LEARNER) && username.equalsIgnoreCase("aliya.n") ? "Әлия Нұрланқызы" : "");
            c.put("preferred_username", username);
            c.put(LTI + "roles", List.of("http://purl.imsglobal.org/vocab/lis/v2/institution/person#None", role,
                    "http://purl.imsglobal.org/vocab/lis/v2/system/person#None"));
            c.put(LTI + "context", Map.of("id", courseKey, "title", courseKey.contains("PHY") ? "Physics (Open edX)" : "Algorithms",
                    "label", "KazNU+X", "type", List.of("http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering")));
            c.put(LTI + "resource_link", Map.of("id", "block-v1:KazNU+X+type@lti_consumer+block@1a2b3c"));
            c.put(LTI + "launch_presentation", Map.of("document_target", "iframe", "return_url", edx.issuer + "/courses/x/jump_to/y"));
            c.put(LTI + "tool_platform", Map.of("guid", "4c6d257d-2683-513f-ac76-b46c8480477b", "name", "Open edX"));
        });
    }

    private static Browser admin() {
        Browser browser = new Browser();
        String form = browser.get(tool.baseUrl() + "/admin").body();
        var r = browser.postForm(tool.baseUrl() + "/admin/signin", Map.of("_csrf", CourseBrowser.csrfOf(form), "token", RunningTool.ADMIN_TOKEN));
        assertThat(r.statusCode()).isEqualTo(303);
        return browser;
    }

    private static JsonNode standing(String section, String person) {
        for (JsonNode r : api("GET", "/api/v1/sections/" + section + "/standing")) {
            if (r.path("personId").asText().equals(person)) {
                return r;
            }
        }
        throw new AssertionError("no standing of " + person + " in " + section);
    }

    private static JsonNode api(String method, String path) {
        return api(method, path, null);
    }

    private static JsonNode api(String method, String path, String json) {
        Api.Response r = new Api(tool, RunningTool.ADMIN_TOKEN).send(method, path, json);
        assertThat(r.status()).as(method + " " + path + " → " + r.body()).isBetween(200, 299);
        return r.json();
    }
}
