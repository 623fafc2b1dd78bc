package kz.qatysu.tool.advisers;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.staff.StaffLogin;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static kz.qatysu.tool.excuses.DeansFixture.SECTION;
import static kz.qatysu.tool.excuses.DeansFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Advisers against the real tool: the daemon's roster upload names each student's adviser ({@code adviserId}), the
 * adviser signs in by the staff launch (role ADVISER, implied by the link) and sees "My students" — their own
 * students in every section, nobody else; students, other staff and token sessions do not get the page.
 */
class AdvisersTest {
    static final String OTHER = "ECO201-2025";
    static DeansFixture f;

    @BeforeAll
    static void start() {
        f = DeansFixture.start(Map.of());
        ok(f.api("PUT", "/api/v1/sections/" + OTHER, "{\"title\":\"Economics\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\"}",
                RunningTool.ADMIN_TOKEN));
        roster(SECTION, """
                [{"personId":"P-1001","role":"student","group":"ИС-24-1","familyName":"Нұрланқызы","givenName":"Әлия","adviserId":"ADV-1"},
                 {"personId":"P-1002","role":"student","familyName":"Әбілқасымұлы","givenName":"Бауыржан","adviserId":"ADV-2"},
                 {"personId":"T-7","role":"teacher"}]""");
        roster(OTHER, """
                [{"personId":"P-1001","role":"student","group":"ИС-24-1","adviserId":"ADV-1"},
                 {"personId":"P-3001","role":"student","familyName":"Ким","givenName":"Асель","adviserId":"ADV-2"}]""");
        f.absent("P-1001", "S-1", "S-2", "S-3", "S-4");   // 40 %: locked in ATT101
        f.absent("P-1002", "S-1");
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static void roster(String section, String json) {
        ok(f.api("PUT", "/api/v1/sections/" + section + "/enrolments", json, RunningTool.ADMIN_TOKEN));
    }

    static HttpResponse<String> get(Browser b, String path) {
        return b.get(f.tool.baseUrl() + path);
    }

    static List<String> links() {
        return f.tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT student_id || '→' || adviser_id FROM student_adviser ORDER BY student_id").mapTo(String.class).list());
    }

    @Test
    void the_roster_upload_stores_each_students_adviser_once_across_sections() {
        assertThat(links()).containsExactly("P-1001→ADV-1", "P-1002→ADV-2", "P-3001→ADV-2");
    }

    @Test
    void an_adviser_signs_in_by_launch_and_sees_their_own_students_in_every_section_and_nobody_else() {
        Browser adviser = StaffLogin.signIn(f, "ADV-1", "Гүлнар Сейітқызы");
        assertThat(get(adviser, "/admin").body()).contains("id=\"advisees\"", "/admin/advisees").doesNotContain("id=\"deans-office\"");
        HttpResponse<String> page = get(adviser, "/admin/advisees");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Нұрланқызы Әлия", "ИС-24-1", "data-section=\"" + SECTION + "\"", "data-section=\"" + OTHER + "\"",
                        "40.0 %", "state-LOCKED", DeansFixture.SECTION_TITLE, "Economics")
                .doesNotContain("P-1002", "Бауыржан", "P-3001", "Асель");
        // nothing of the dean's office: no section page, no report, no other student's history
        assertThat(get(adviser, "/admin/sections").statusCode()).isEqualTo(403);
        assertThat(get(adviser, "/admin/sections/" + SECTION).statusCode()).isEqualTo(403);
        assertThat(get(adviser, "/admin/reports/students/P-1002").statusCode()).isEqualTo(403);

        Browser other = StaffLogin.signIn(f, "ADV-2", "Adviser Two");
        assertThat(get(other, "/admin/advisees").body()).contains("P-1002", "P-3001", "Бауыржан", "Асель")
                .doesNotContain("P-1001", "Әлия");
    }

    @Test
    void the_page_shows_the_computed_state_beside_a_deans_office_decision() {
        ok(f.api("POST", "/api/v1/sections/" + SECTION + "/overrides",
                "{\"personId\":\"P-1001\",\"state\":\"ADMITTED\",\"reason\":\"dean's order 12\"}", RunningTool.ADMIN_TOKEN));
        try {
            String page = get(StaffLogin.signIn(f, "ADV-1", "Гүлнар Сейітқызы").acceptLanguage("en"), "/admin/advisees").body();
            assertThat(page).contains("Admitted by the dean's office", "«dean's order 12»", "Without this decision the state would be: Locked",
                    "state-OK");
        } finally {
            assertThat(f.api("DELETE", "/api/v1/sections/" + SECTION + "/overrides/P-1001", null, RunningTool.ADMIN_TOKEN).statusCode())
                    .isIn(200, 204);
        }
    }

    @Test
    void a_student_never_sees_the_advisers_page_nor_does_other_staff_or_a_token_session() {
        DeansFixture.Launch student = f.student("P-1001", "5", "Әлия Нұрланқызы");
        assertThat(get(student.browser(), "/admin/advisees").statusCode()).as("a launch is no admin-area session").isEqualTo(401);
        assertThat(get(student.browser(), student.base() + "/staff").statusCode()).as("a student holds no staff role").isEqualTo(403);
        assertThat(get(new Browser(), "/admin/advisees").statusCode()).isEqualTo(401);
        ok(f.api("PUT", "/api/v1/admin/staff/D-1", "{\"roles\":[\"DEANS_OFFICE\"],\"faculties\":[\"*\"]}", RunningTool.ADMIN_TOKEN));
        assertThat(get(StaffLogin.signIn(f, "D-1", "Dean"), "/admin/advisees").statusCode()).isEqualTo(403);
        assertThat(get(f.admin(), "/admin/advisees").statusCode()).isEqualTo(403);
    }

    @Test
    void adviser_is_not_a_role_the_administrator_grants() {
        HttpResponse<String> r = f.api("PUT", "/api/v1/admin/staff/ADV-9", "{\"roles\":[\"ADVISER\"]}", RunningTool.ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("roles[0]", "ADVISER is not granted");
        assertThat(f.api("GET", "/api/v1/admin/staff/ADV-9", null, RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(404);
        assertThat(get(f.admin(), "/admin/staff").body()).doesNotContain("value=\"ADVISER\"");
    }

    @Test
    void a_bad_adviser_is_refused_naming_the_record_and_field_and_nothing_is_stored() {
        HttpResponse<String> r = f.api("PUT", "/api/v1/sections/" + SECTION + "/enrolments", """
                [{"personId":"P-1001","role":"student","adviserId":"P-1001"},
                 {"personId":"P-1002","role":"student","adviserId":"ADV 3"},
                 {"personId":"T-7","role":"teacher","adviserId":"ADV-1"},
                 {"personId":"P-1004","role":"student","adviserId":7}]""", RunningTool.ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode details = ok400(r).path("details");
        assertThat(details.findValuesAsText("path")).containsExactly("[0].adviserId", "[1].adviserId", "[2].adviserId", "[3].adviserId");
        assertThat(links()).containsExactly("P-1001→ADV-1", "P-1002→ADV-2", "P-3001→ADV-2");
    }

    @Test
    void a_link_the_portal_drops_ends_the_advisers_session_at_their_next_request() {
        ok(f.api("PUT", "/api/v1/sections/" + OTHER + "/enrolments", """
                [{"personId":"P-1001","role":"student","group":"ИС-24-1","adviserId":"ADV-1"},
                 {"personId":"P-3001","role":"student","adviserId":"ADV-5"}]""", RunningTool.ADMIN_TOKEN));
        Browser five = StaffLogin.signIn(f, "ADV-5", "Adviser Five");
        assertThat(get(five, "/admin/advisees").body()).contains("P-3001");
        // the upload leaves adviserId out: the link stays; "" removes it
        ok(f.api("PUT", "/api/v1/sections/" + OTHER + "/enrolments", """
                [{"personId":"P-1001","role":"student","group":"ИС-24-1"},{"personId":"P-3001","role":"student"}]""",
                RunningTool.ADMIN_TOKEN));
        assertThat(get(five, "/admin/advisees").statusCode()).isEqualTo(200);
        ok(f.api("PUT", "/api/v1/sections/" + OTHER + "/enrolments", """
                [{"personId":"P-1001","role":"student","group":"ИС-24-1"},{"personId":"P-3001","role":"student","adviserId":""}]""",
                RunningTool.ADMIN_TOKEN));
        assertThat(get(five, "/admin/advisees").statusCode()).as("no role any more: the staff session has ended").isEqualTo(401);
        // put back what the other tests expect
        roster(OTHER, """
                [{"personId":"P-1001","role":"student","group":"ИС-24-1","adviserId":"ADV-1"},
                 {"personId":"P-3001","role":"student","familyName":"Ким","givenName":"Асель","adviserId":"ADV-2"}]""");
    }

    @Test
    void the_daemons_clearing_value_beside_the_students_name_drops_the_link_and_null_does_the_same() {
        // what the sync daemon sends for a student the portal knows without an adviser (docs/ADVISERS.md)
        ok(f.api("PUT", "/api/v1/sections/" + OTHER + "/enrolments", """
                [{"personId":"P-1001","role":"student","group":"ИС-24-1","adviserId":"ADV-1"},
                 {"personId":"P-3001","role":"student","familyName":"Ким","givenName":"Асель","adviserId":""}]""", RunningTool.ADMIN_TOKEN));
        assertThat(links()).containsExactly("P-1001→ADV-1", "P-1002→ADV-2");
        ok(f.api("PUT", "/api/v1/sections/" + OTHER + "/enrolments", """
                [{"personId":"P-1001","role":"student","group":"ИС-24-1","adviserId":null},
                 {"personId":"P-3001","role":"student","familyName":"Ким","givenName":"Асель","adviserId":"ADV-2"}]""", RunningTool.ADMIN_TOKEN));
        assertThat(links()).containsExactly("P-1002→ADV-2", "P-3001→ADV-2");
        // put back what the other tests expect
        roster(OTHER, """
                [{"personId":"P-1001","role":"student","group":"ИС-24-1","adviserId":"ADV-1"},
                 {"personId":"P-3001","role":"student","familyName":"Ким","givenName":"Асель","adviserId":"ADV-2"}]""");
    }

    static JsonNode ok400(HttpResponse<String> r) {
        try {
            return DeansFixture.JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
