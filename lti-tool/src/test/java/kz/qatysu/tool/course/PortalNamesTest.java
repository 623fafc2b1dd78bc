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

import java.util.List;
import java.util.Map;

import static kz.qatysu.tool.testing.LaunchClaims.LTI;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal's names arrive with the roster upload: the marking grid, the teacher's home, the exam gate, the dean's
 * standing table and the reports show them before any student launched, in list order (family name first, sorted as
 * Kazakh or Russian lists are); a launch without a name is greeted by the portal's name, else by a neutral word.
 */
class PortalNamesTest {
    private static final String INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";
    private static final String LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";

    static RunningTool tool;
    static TestPlatform platform;

    @BeforeAll
    static void start() {
        tool = RunningTool.start();
        platform = new TestPlatform("http://127.0.0.1:8102", "names-client", "1");
        new LtiFlow(tool, platform, new Browser()).register();
        api("PUT", "/api/v1/sections/NAM-1", "{\"title\":\"Алгоритмдер\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\"}");
        api("PUT", "/api/v1/sections/NAM-1/enrolments", """
                [{"personId":"P-1003","role":"student","familyName":"Үсенов","givenName":"Ерлан","middleName":"Серікұлы"},
                 {"personId":"P-1001","role":"student","familyName":"Уалиев","givenName":"Асқар"},
                 {"personId":"P-1002","role":"student","familyName":"Әлиева","givenName":"Дана","login":"D.Aliyeva"},
                 {"personId":"P-1004","role":"student","familyName":"Абаев","givenName":"Нұр"},
                 {"personId":"P-1005","role":"student"},
                 {"personId":"T-9","role":"teacher","familyName":"Серікқызы","givenName":"Айгүл"}]""");
        api("PUT", "/api/v1/sections/NAM-1/sessions", """
                [{"sessionId":"NAM-1-1","start":"2026-09-02T08:00:00+05:00","end":"2026-09-02T08:50:00+05:00","hours":1}]""");
    }

    @AfterAll
    static void stop() {
        tool.close();
        platform.close();
    }

    @Test
    void the_marking_grid_shows_the_portal_names_in_kazakh_list_order_before_any_student_launched() {
        String grid = teacher("kk").get("/sessions/NAM-1-1").body();
        // Kazakh order: А < Ә … У < Ұ < Ү; the list form is family, given, patronymic; no name known → the id, last
        assertThat(grid).containsSubsequence("Абаев Нұр", "Әлиева Дана", "Уалиев Асқар", "Үсенов Ерлан Серікұлы", "P-1005");
    }

    @Test
    void a_russian_page_sorts_the_kazakh_letters_beside_their_base_letters() {
        String home = teacher("ru").get("/").body();
        // Russian: Ә beside А, Ү beside У (a secondary difference), so Абаев < Әлиева and Уалиев < Үсенов
        assertThat(home).containsSubsequence("Абаев Нұр", "Әлиева Дана", "Уалиев Асқар", "Үсенов Ерлан Серікұлы");
    }

    @Test
    void the_exam_gate_of_the_teacher_shows_names_not_ids() {
        String gate = teacher("en").get("/exam-gate").body();
        assertThat(gate).containsSubsequence("<td>Абаев Нұр</td>", "<td>Әлиева Дана</td>").doesNotContain("<td>P-1002</td>");
    }

    @Test
    void the_deans_standing_table_and_the_course_report_show_names_in_list_order() {
        Browser dean = admin();
        String standing = dean.get(tool.baseUrl() + "/admin/sections/NAM-1").body();
        assertThat(standing).containsSubsequence("Абаев Нұр", "Әлиева Дана", "Уалиев Асқар", "Үсенов Ерлан Серікұлы");
        String csv = dean.get(tool.baseUrl() + "/admin/reports/sections/NAM-1?format=csv").body();
        assertThat(csv).containsSubsequence("P-1004,Абаев Нұр", "P-1002,Әлиева Дана", "P-1001,Уалиев Асқар", "P-1003,Үсенов Ерлан Серікұлы");
    }

    @Test
    void a_launch_without_a_name_is_greeted_by_the_portal_name_or_a_neutral_word_never_its_opaque_id() {
        CourseBrowser known = CourseBrowser.launch(tool, platform, c -> anonymous(c, "P-1002", "0d5e6a4c-5b3f-4d7e-9a51-3c7e2f1b8a90"));
        assertThat(known.home().body()).contains("Сәлеметсіз бе, Әлиева Дана").doesNotContain("0d5e6a4c-5b3f");

        CourseBrowser unknown = CourseBrowser.launch(tool, platform, c -> anonymous(c, "P-1005", "7f3c2a1e-8b9d-4c6f-a2e1-5d4b3c2a1f0e"));
        assertThat(unknown.home().body()).contains("Сәлеметсіз бе, студент").doesNotContain("7f3c2a1e-8b9d");
    }

    @Test
    void a_launch_name_does_not_overwrite_the_portal_name() {
        CourseBrowser.launch(tool, platform, c -> {
            c.put(LTI + "lis", Map.of("person_sourcedid", "P-1001", "course_section_sourcedid", "NAM-1"));
            c.put("sub", "sub-1001");
            c.put("name", "askar.u");
            c.remove("given_name");
            c.remove("family_name");
        }).home();
        assertThat(teacher("en").get("/sessions/NAM-1-1").body()).contains("Уалиев Асқар").doesNotContain("askar.u");
    }

    @Test
    void names_that_cannot_be_stored_are_refused_naming_the_record_and_field_and_nothing_is_stored() {
        Api.Response r = new Api(tool, RunningTool.ADMIN_TOKEN).send("PUT", "/api/v1/sections/NAM-1/enrolments", """
                [{"personId":"P-1001","role":"student","familyName":"Жаңа","givenName":"Есім"},
                 {"personId":"P-1006","role":"student","middleName":"Серікұлы"},
                 {"personId":"P-1007","role":"student","familyName":"A\\u202eB","givenName":"C"},
                 {"personId":"P-1008","role":"student","givenName":"Д","login":"two words"},
                 {"personId":"P-1009","role":"student","givenName":"Е","login":"d.aliyeva"},
                 {"personId":"P-1010","role":"student","givenName":"Ж","login":"D.ALIYEVA"}]""");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("\"path\":\"[1].middleName\"", "\"path\":\"[2].familyName\"", "\"path\":\"[3].login\"",
                "\"path\":\"[5].login\"");
        // nothing stored: neither the roster nor the first record's name
        String grid = teacher("en").get("/sessions/NAM-1-1").body();
        assertThat(grid).contains("Уалиев Асқар").doesNotContain("Жаңа", "P-1006");
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static CourseBrowser teacher(String locale) {
        return CourseBrowser.launch(tool, platform, c -> {
            c.put(LTI + "lis", Map.of("person_sourcedid", "T-9", "course_section_sourcedid", "NAM-1"));
            c.put(LTI + "roles", List.of(INSTRUCTOR));
            c.put("sub", "sub-t9");
            c.put(LTI + "launch_presentation", Map.of("locale", locale, "document_target", "iframe"));
        });
    }

    /** A launch with no PII at all: no name, no e-mail, no username; the platform's user id is an opaque UUID. */
    private static void anonymous(Map<String, Object> c, String person, String sub) {
        c.put(LTI + "lis", Map.of("person_sourcedid", person, "course_section_sourcedid", "NAM-1"));
        c.put(LTI + "roles", List.of(LEARNER));
        c.put("sub", sub);
        c.remove("name");
        c.remove("given_name");
        c.remove("family_name");
        c.remove("email");
        c.remove(LTI + "ext");
    }

    private static Browser admin() {
        Browser browser = new Browser();
        String form = browser.get(tool.baseUrl() + "/admin").body();
        var r = browser.postForm(tool.baseUrl() + "/admin/signin", Map.of("_csrf", CourseBrowser.csrfOf(form), "token", RunningTool.ADMIN_TOKEN));
        assertThat(r.statusCode()).isEqualTo(303);
        return browser;
    }

    private static void api(String method, String path, String json) {
        Api.Response r = new Api(tool, RunningTool.ADMIN_TOKEN).send(method, path, json);
        assertThat(r.status()).as(method + " " + path + " → " + r.body()).isBetween(200, 299);
    }
}
