package kz.qatysu.tool.staff;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.excuses.DeansFixture;
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
 * Staff as people against the real tool: roles granted over the API, sign-in by an LTI launch, the dean's office
 * scoped to its faculty, administrator-only pages, and audit rows that name the person.
 */
class StaffRolesTest {
    static final String OTHER = "ECO201-2025";
    static DeansFixture f;

    @BeforeAll
    static void start() {
        f = DeansFixture.start(Map.of());
        ok(f.api("PUT", "/api/v1/sections/" + SECTION, "{\"title\":\"" + DeansFixture.SECTION_TITLE
                + "\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\",\"faculty\":\"FIT\"}", RunningTool.ADMIN_TOKEN));
        ok(f.api("PUT", "/api/v1/sections/" + OTHER, "{\"title\":\"Economics\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\",\"faculty\":\"ECO\"}",
                RunningTool.ADMIN_TOKEN));
        f.absent("P-1001", "S-1");
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static HttpResponse<String> grant(String personId, String json) {
        return f.api("PUT", "/api/v1/admin/staff/" + personId, json, RunningTool.ADMIN_TOKEN);
    }

    HttpResponse<String> get(Browser b, String path) {
        return b.get(f.tool.baseUrl() + path);
    }

    @Test
    void a_launch_by_a_dean_opens_a_staff_session_that_sees_only_the_sections_of_its_faculty() {
        assertThat(grant("D-1", "{\"displayName\":\"Aigerim N.\",\"roles\":[\"DEANS_OFFICE\"],\"faculties\":[\"FIT\"]}").statusCode()).isEqualTo(201);
        Browser dean = StaffLogin.signIn(f, "D-1", "Aigerim Nurlanovna");
        assertThat(dean.cookies()).containsKey("qatysu_admin");

        HttpResponse<String> sections = get(dean, "/admin/sections");
        assertThat(sections.statusCode()).isEqualTo(200);
        assertThat(sections.body()).contains(SECTION).doesNotContain(OTHER);
        assertThat(get(dean, "/admin/sections/" + SECTION).statusCode()).isEqualTo(200);
        assertThat(get(dean, "/admin/sections/" + OTHER).statusCode()).isEqualTo(403);
        assertThat(get(dean, "/admin/reports/sections/" + OTHER).statusCode()).isEqualTo(403);
        assertThat(get(dean, "/admin/sections/" + OTHER + "/admission").statusCode()).isEqualTo(403);
        // a page across every faculty needs a dean's office of every faculty
        assertThat(get(dean, "/admin/reports/groups").statusCode()).isEqualTo(403);
        // the start page is the staff member's own, not the platforms
        HttpResponse<String> home = get(dean, "/admin");
        assertThat(home.body()).contains("id=\"staff-roles\"", "Aigerim N.").doesNotContain("id=\"platforms\"", "id=\"registration\"");
    }

    @Test
    void a_dean_of_one_faculty_cannot_decide_for_a_section_of_another() {
        grant("D-2", "{\"displayName\":\"Dana K.\",\"roles\":[\"DEANS_OFFICE\"],\"faculties\":[\"ECO\"]}");
        Browser dean = StaffLogin.signIn(f, "D-2", "Dana K.");
        String csrf = DeansFixture.csrf(get(dean, "/admin/sections/" + OTHER).body());
        HttpResponse<String> r = dean.postForm(f.tool.baseUrl() + "/admin/sections/" + SECTION + "/overrides",
                Map.of("_csrf", csrf, "personId", "P-1001", "decision", "ADMITTED", "reason", "Order 12"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(f.standingOf("P-1001").path("override").isNull() || f.standingOf("P-1001").path("override").isMissingNode()).isTrue();
    }

    @Test
    void the_dean_office_pages_and_administrator_pages_refuse_each_other_role() {
        grant("D-3", "{\"roles\":[\"DEANS_OFFICE\"],\"faculties\":[\"*\"]}");
        grant("A-1", "{\"displayName\":\"Admin Person\",\"roles\":[\"ADMINISTRATOR\"]}");
        Browser dean = StaffLogin.signIn(f, "D-3", "Every Faculty Dean");
        String csrf = DeansFixture.csrf(get(dean, "/admin/sections/" + SECTION).body());
        assertThat(get(dean, "/admin/sections").body()).contains(SECTION, OTHER);
        assertThat(get(dean, "/admin/staff").statusCode()).isEqualTo(403);
        assertThat(dean.postForm(f.tool.baseUrl() + "/admin/platforms", Map.of("_csrf", csrf, "issuer", "https://x.example.kz",
                "clientId", "x", "name", "X", "authLoginUrl", "https://x.example.kz/a", "authTokenUrl", "https://x.example.kz/t",
                "keySetUrl", "https://x.example.kz/k", "deploymentIds", "1")).statusCode()).isEqualTo(403);
        assertThat(dean.postForm(f.tool.baseUrl() + "/admin/registrations", Map.of("_csrf", csrf)).statusCode()).isEqualTo(403);
        assertThat(dean.postForm(f.tool.baseUrl() + "/admin/staff", Map.of("_csrf", csrf, "personId", "D-3", "role", "ADMINISTRATOR"))
                .statusCode()).isEqualTo(403);

        Browser admin = StaffLogin.signIn(f, "A-1", "Admin Person");
        assertThat(get(admin, "/admin").body()).contains("id=\"platforms\"", "id=\"staff-link\"");
        assertThat(get(admin, "/admin/staff").body()).contains("D-3", "A-1");
        assertThat(get(admin, "/admin/sections").statusCode()).isEqualTo(403);
    }

    @Test
    void a_launch_by_someone_without_a_role_gets_nothing_extra() {
        StaffLogin.Launched l = StaffLogin.launch(f, "P-1002", "Student B");
        assertThat(l.location()).endsWith("/staff");
        HttpResponse<String> page = l.browser().get(f.tool.baseUrl() + l.location());
        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).doesNotContain("name=\"ticket\"");
        assertThat(l.browser().postForm(f.tool.baseUrl() + "/admin/staff/enter", Map.of("ticket", "forged")).statusCode()).isEqualTo(403);
        assertThat(l.browser().cookies()).doesNotContainKey("qatysu_admin");
        assertThat(get(l.browser(), "/admin/sections").statusCode()).isEqualTo(401);
    }

    @Test
    void a_ticket_opens_one_session_only() {
        grant("D-4", "{\"roles\":[\"DEANS_OFFICE\"],\"faculties\":[\"FIT\"]}");
        StaffLogin.Launched l = StaffLogin.launch(f, "D-4", "Dean Four");
        String ticket = StaffLogin.ticket(l.browser().get(f.tool.baseUrl() + l.location()).body());
        assertThat(new Browser().postForm(f.tool.baseUrl() + "/admin/staff/enter", Map.of("ticket", ticket)).statusCode()).isEqualTo(200);
        assertThat(new Browser().postForm(f.tool.baseUrl() + "/admin/staff/enter", Map.of("ticket", ticket)).statusCode()).isEqualTo(403);
    }

    @Test
    void a_revoked_grant_ends_the_staff_session_at_once_and_is_audited() {
        grant("D-5", "{\"roles\":[\"DEANS_OFFICE\"],\"faculties\":[\"FIT\"]}");
        Browser dean = StaffLogin.signIn(f, "D-5", "Dean Five");
        assertThat(get(dean, "/admin/sections").statusCode()).isEqualTo(200);
        assertThat(f.api("DELETE", "/api/v1/admin/staff/D-5", null, RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(204);
        assertThat(get(dean, "/admin/sections").statusCode()).isEqualTo(401);
        assertThat(f.api("GET", "/api/v1/admin/staff/D-5", null, RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(404);
        assertThat(audit("staff/D-5")).extracting(r -> r.get("action")).containsExactly("staff.grant", "staff.revoke");
        assertThat(audit("staff/D-5")).extracting(r -> r.get("actor")).containsOnly("admin");
    }

    @Test
    void decisions_of_a_staff_member_carry_the_person_in_the_audit_log_and_the_standing_history() {
        grant("D-6", "{\"displayName\":\"Aigerim N.\",\"roles\":[\"DEANS_OFFICE\"],\"faculties\":[\"FIT\"]}");
        f.absent("P-1002", "S-2", "S-3", "S-4", "S-5"); // LOCKED: the override changes the state, so history records it
        Browser dean = StaffLogin.signIn(f, "D-6", "Aigerim from Moodle");
        String csrf = DeansFixture.csrf(get(dean, "/admin/sections/" + SECTION).body());
        HttpResponse<String> r = dean.postForm(f.tool.baseUrl() + "/admin/sections/" + SECTION + "/overrides",
                Map.of("_csrf", csrf, "personId", "P-1002", "decision", "ADMITTED", "reason", "Order 12"));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(audit(SECTION + "/P-1002")).extracting(row -> row.get("actor")).contains("staff:D-6 Aigerim N.");
        JsonNode history = ok(f.api("GET", "/api/v1/sections/" + SECTION + "/standing/P-1002/history", null, RunningTool.ADMIN_TOKEN));
        assertThat(history.toString()).contains("staff:D-6 Aigerim N.").doesNotContain("web:admin");
        dean.postForm(f.tool.baseUrl() + "/admin/sections/" + SECTION + "/overrides/P-1002/withdraw", Map.of("_csrf", csrf));
    }

    @Test
    void the_administrator_grants_roles_on_the_page_and_a_refused_form_stores_nothing() {
        Browser admin = f.admin();
        String csrf = DeansFixture.csrf(get(admin, "/admin/staff").body());
        HttpResponse<String> refused = admin.postRaw(f.tool.baseUrl() + "/admin/staff",
                Browser.encode(Map.of("_csrf", csrf, "personId", "D-9", "role", "DEANS_OFFICE", "faculties", "")));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"e-faculties\"");
        assertThat(f.api("GET", "/api/v1/admin/staff/D-9", null, RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(404);

        HttpResponse<String> saved = admin.postRaw(f.tool.baseUrl() + "/admin/staff", Browser.encode(Map.of("_csrf", csrf,
                "personId", "D-9", "displayName", "Saule <b>T.</b>", "faculties", "FIT, ECO")) + "&role=DEANS_OFFICE&role=PROCTOR");
        assertThat(saved.statusCode()).isEqualTo(303);
        JsonNode stored = ok(f.api("GET", "/api/v1/admin/staff/D-9", null, RunningTool.ADMIN_TOKEN));
        assertThat(stored.path("roles").toString()).isEqualTo("[\"DEANS_OFFICE\",\"PROCTOR\"]");
        assertThat(stored.path("faculties").toString()).isEqualTo("[\"ECO\",\"FIT\"]");
        assertThat(stored.path("grantedBy").asText()).isEqualTo("web:admin");
        assertThat(get(admin, "/admin/staff").body()).contains("Saule &lt;b&gt;T.&lt;/b&gt;").doesNotContain("Saule <b>");
    }

    @Test
    void a_grant_with_bad_input_is_refused_naming_each_field_and_nothing_is_stored() {
        HttpResponse<String> r = grant("D-10", "{\"roles\":[\"DEAN\"],\"faculties\":[\"has space\"]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("roles[0]", "faculties[0]");
        assertThat(grant("D-10", "{\"roles\":[\"DEANS_OFFICE\"]}").body()).contains("\"faculties\"");
        assertThat(grant("D-10", "{\"roles\":[\"PROCTOR\"],\"faculties\":[\"FIT\"]}").statusCode()).isEqualTo(400);
        assertThat(f.api("GET", "/api/v1/admin/staff/D-10", null, RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(404);
        assertThat(f.api("PUT", "/api/v1/admin/staff/D-10", "{\"roles\":[\"PROCTOR\"]}", null).statusCode()).isEqualTo(401);
        HttpResponse<String> section = f.api("PUT", "/api/v1/sections/BAD-1", "{\"title\":\"x\",\"termStart\":\"2026-09-01\","
                + "\"termEnd\":\"2026-12-25\",\"faculty\":\"two words\"}", RunningTool.ADMIN_TOKEN);
        assertThat(section.statusCode()).isEqualTo(400);
        assertThat(section.body()).contains("faculty");
    }

    @Test
    void other_features_ask_the_directory_whether_a_person_holds_a_role() {
        grant("PR-1", "{\"roles\":[\"PROCTOR\"]}");
        StaffDirectory directory = new StaffDirectory(f.tool.database().jdbi(), java.time.Clock.systemUTC());
        assertThat(directory.hasRole("PR-1", StaffRole.PROCTOR)).isTrue();
        assertThat(directory.hasRole("PR-1", StaffRole.DEANS_OFFICE)).isFalse();
        Browser proctor = StaffLogin.signIn(f, "PR-1", "Proctor One");
        // a proctor's start page lists the exams they proctor (none yet), no dean's-office links
        assertThat(get(proctor, "/admin").body()).contains("id=\"proctor-no-exams\"").doesNotContain("id=\"deans-office\"");
        assertThat(get(proctor, "/admin/sections").statusCode()).isEqualTo(403);
    }

    static List<Map<String, Object>> audit(String subject) {
        return f.tool.database().jdbi().withHandle(h -> h.createQuery("SELECT actor, action FROM admin_audit WHERE subject = :s ORDER BY id")
                .bind("s", subject).mapToMap().list());
    }
}
