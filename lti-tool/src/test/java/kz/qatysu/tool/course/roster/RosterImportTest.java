package kz.qatysu.tool.course.roster;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.testing.Api;
import kz.qatysu.tool.testing.CourseBrowser;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static kz.qatysu.tool.testing.LaunchClaims.LTI;
import static org.assertj.core.api.Assertions.assertThat;

/** A course the portal sent no roster for takes it from the LMS's Names and Roles service (Moodle 4.5's shape). */
class RosterImportTest {
    private static final String MEMBERSHIPS = "/mod/lti/services.php/CourseSection/31/bindings/1/memberships";
    private static final String INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";
    private static final String LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";

    static RunningTool tool;
    static TestPlatform platform;
    static WireMockServer lms;
    static long platformId;

    @BeforeAll
    static void start() {
        lms = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        lms.start();
        // Moodle 4.5 answers the token request with Content-Type text/html (captures/advantage_01)
        lms.stubFor(post(urlPathEqualTo("/mod/lti/token.php")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html; charset=utf-8")
                .withBody("{\"access_token\":\"e76f1880d6497b5e57bbe9e6db3831a8\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                        + "\"scope\":\"https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly\"}")));
        // the members as Moodle 4.5 lists them (captures/advantage_07): short role names, ID number and username
        lms.stubFor(get(urlPathEqualTo(MEMBERSHIPS)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/vnd.ims.lti-nrps.v2.membershipcontainer+json; charset=utf-8")
                .withBody("""
                        {"id":"%s","context":{"id":"31","label":"ALG","title":"Алгебра"},"members":[
                         {"status":"Active","roles":["Learner"],"user_id":"4","lis_person_sourcedid":"P-3001","name":"Әлия Нұрланқызы",
                          "given_name":"Әлия","family_name":"Нұрланқызы","email":"aliya@example.kz","ext_user_username":"aliya"},
                         {"status":"Active","roles":["Learner"],"user_id":"5","lis_person_sourcedid":"","name":"Дәулет Шаһмаранұлы",
                          "given_name":"Дәулет","family_name":"Шаһмаранұлы","email":"daulet@example.kz","ext_user_username":"daulet"},
                         {"status":"Active","roles":["Learner"],"user_id":"6","lis_person_sourcedid":"","name":"No Identity"},
                         {"status":"Inactive","roles":["Learner"],"user_id":"7","lis_person_sourcedid":"P-3009","name":"Dropped Out"},
                         {"status":"Active","roles":["Instructor"],"user_id":"3","lis_person_sourcedid":"T-31","name":"Айгүл Серікқызы"}]}"""
                        .formatted(lms.baseUrl() + MEMBERSHIPS))));
        tool = RunningTool.start();
        platform = new TestPlatform("http://127.0.0.1:8102", "roster-client", "1");
        String registration = platform.registrationJson().replace(platform.tokenUrl(), lms.baseUrl() + "/mod/lti/token.php");
        Api.Response r = Api.admin(tool).post("/api/v1/admin/platforms", registration);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        platformId = r.json().path("id").asLong();
    }

    @AfterAll
    static void stop() {
        tool.close();
        platform.close();
        lms.stop();
    }

    @Test
    void a_local_course_takes_its_active_learners_under_the_ids_their_launches_carry() {
        CourseBrowser teacher = launch("31", "T-31", INSTRUCTOR);
        assertThat(teacher.get("/").body()).contains("id=\"roster-link\"", "id=\"no-students\"");
        String page = teacher.get("/roster").body();
        assertThat(page).contains("id=\"import-roster\"");

        // no CSRF token: refused, nobody enrolled
        assertThat(teacher.post("/roster/import", Map.of()).statusCode()).isEqualTo(403);
        String local = CourseScope.LOCAL_PREFIX + platformId + "-31";
        assertThat(standing(local)).isEmpty();

        var imported = teacher.post("/roster/import", Map.of("_csrf", csrf(page)));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        assertThat(imported.body()).contains("id=\"imported\"", "2 students added, 0 already", "id=\"without-id\"", "1 students have no");
        // the ID number where Moodle has one, else the username — what their own launches will carry
        assertThat(standing(local)).containsExactlyInAnyOrder("P-3001", "daulet");
        assertThat(teacher.get("/").body()).contains("Әлия Нұрланқызы", "Дәулет Шаһмаранұлы").doesNotContain("Dropped Out", "No Identity");

        // the student's own launch lands on the same row, not a second one
        launch("31", "P-3001", LEARNER).get("/");
        assertThat(standing(local)).containsExactlyInAnyOrder("P-3001", "daulet");
        // importing again adds nobody twice
        assertThat(teacher.post("/roster/import", Map.of("_csrf", csrf(page))).body()).contains("0 students added, 2 already");

        // a student may not
        CourseBrowser student = launch("31", "P-3001", LEARNER);
        assertThat(student.get("/roster").statusCode()).isEqualTo(403);
        assertThat(student.post("/roster/import", Map.of("_csrf", "x")).statusCode()).isEqualTo(403);
    }

    @Test
    void a_section_whose_roster_the_portal_sent_is_not_offered_the_import() {
        Api api = Api.admin(tool);
        api.ok(api.put("/api/v1/sections/ROSTER-1", "{\"title\":\"Алгебра\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\"}"));
        api.ok(api.put("/api/v1/sections/ROSTER-1/enrolments",
                "[{\"personId\":\"P-3001\",\"role\":\"student\"},{\"personId\":\"T-31\",\"role\":\"teacher\"}]"));
        CourseBrowser teacher = launchPortal("ROSTER-1", "T-31");
        String page = teacher.get("/roster").body();
        assertThat(page).contains("id=\"not-offered\"").doesNotContain("id=\"import-roster\"");
        assertThat(teacher.post("/roster/import", Map.of("_csrf", csrf(teacher.get("/timetable/new").body()))).statusCode())
                .isEqualTo(409);
        assertThat(standing("ROSTER-1")).containsExactly("P-3001");
    }

    @Test
    void a_platform_that_fails_shows_its_error_and_changes_nothing() {
        lms.stubFor(get(urlPathEqualTo("/mod/lti/services.php/CourseSection/32/bindings/1/memberships"))
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "text/html").withBody("<h1>Error</h1>")));
        CourseBrowser teacher = CourseBrowser.launch(tool, platform, c -> {
            c.put("https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice", Map.of("context_memberships_url",
                    lms.baseUrl() + "/mod/lti/services.php/CourseSection/32/bindings/1/memberships", "service_versions", List.of("2.0")));
            c.put(LTI + "lis", Map.of("person_sourcedid", "T-32"));
            c.put(LTI + "context", Map.of("id", "32", "label", "GEO", "title", "География", "type", List.of("CourseSection")));
            c.put(LTI + "roles", List.of(INSTRUCTOR));
            c.put(LTI + "launch_presentation", Map.of("locale", "ru", "document_target", "iframe"));
        });
        teacher.home();
        var failed = teacher.post("/roster/import", Map.of("_csrf", teacher.csrf("/roster")));
        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(failed.body()).contains("id=\"errors\"", "СДО не отдала список участников");
        assertThat(standing(CourseScope.LOCAL_PREFIX + platformId + "-32")).isEmpty();
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static CourseBrowser launch(String contextId, String person, String role) {
        return launchWith(c -> {
            c.put(LTI + "lis", Map.of("person_sourcedid", person));
            c.put(LTI + "context", Map.of("id", contextId, "label", "ALG", "title", "Алгебра", "type", List.of("CourseSection")));
            c.put(LTI + "roles", List.of(role));
            c.put("sub", "sub-" + person);
        });
    }

    private static CourseBrowser launchPortal(String section, String person) {
        return launchWith(c -> {
            c.put(LTI + "lis", Map.of("person_sourcedid", person, "course_section_sourcedid", section));
            c.put(LTI + "roles", List.of(INSTRUCTOR));
            c.put("sub", "sub-" + person);
        });
    }

    /** A Moodle launch offering NRPS at the fake LMS's memberships URL. */
    private static CourseBrowser launchWith(java.util.function.Consumer<Map<String, Object>> edit) {
        return CourseBrowser.launch(tool, platform, c -> {
            c.put("https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice", Map.of(
                    "context_memberships_url", lms.baseUrl() + MEMBERSHIPS, "service_versions", List.of("1.0", "2.0")));
            c.put(LTI + "launch_presentation", Map.of("locale", "en", "document_target", "iframe"));
            edit.accept(c);
        });
    }

    private static String csrf(String html) {
        return CourseBrowser.csrfOf(html);
    }

    /** Person ids with a standing row in the section (its enrolled students); empty when the section is unknown. */
    private static List<String> standing(String section) {
        Api.Response r = Api.admin(tool).get("/api/v1/sections/" + section + "/standing");
        List<String> out = new ArrayList<>();
        if (r.status() == 200) {
            for (JsonNode row : r.json()) {
                out.add(row.path("personId").asText());
            }
        }
        return out;
    }
}
