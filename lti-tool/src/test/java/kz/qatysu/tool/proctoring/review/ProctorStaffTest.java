package kz.qatysu.tool.proctoring.review;

import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.proctoring.attempts.Attempt;
import kz.qatysu.tool.proctoring.attempts.Verdict;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.staff.StaffLogin;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static kz.qatysu.tool.excuses.DeansFixture.SECTION;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proctors and deans as named staff on the admin review pages (real HTTP, real PostgreSQL): a PROCTOR sees and decides
 * only the exams they are assigned to, and their start page lists them; a faculty's dean's office reviews the exams of
 * its faculty's sections only; a person's data needs a dean's office of every faculty.
 */
class ProctorStaffTest {
    static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    static DeansFixture f;
    static ProctoredAttempts made;
    static Exam assigned;
    static Exam other;
    static Attempt attempt;

    @BeforeAll
    static void start() {
        f = DeansFixture.start(Map.of());
        made = new ProctoredAttempts(f.tool.app(), f.tool.database().jdbi());
        ok(f.api("PUT", "/api/v1/sections/" + SECTION, "{\"title\":\"" + DeansFixture.SECTION_TITLE
                + "\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\",\"faculty\":\"FIT\"}", RunningTool.ADMIN_TOKEN));
        assigned = made.exam("exam-staff-1", SECTION);
        other = made.exam("exam-staff-2", SECTION);
        attempt = made.monitored(assigned, "P-1001");
        ok(f.api("PUT", "/api/v1/admin/staff/PR-5", "{\"roles\":[\"PROCTOR\"]}", RunningTool.ADMIN_TOKEN));
        ok(f.api("PUT", "/api/v1/exams/" + assigned.id() + "/proctors/PR-5", null, RunningTool.ADMIN_TOKEN));
        ok(f.api("PUT", "/api/v1/admin/staff/D-ECO", "{\"roles\":[\"DEANS_OFFICE\"],\"faculties\":[\"ECO\"]}", RunningTool.ADMIN_TOKEN));
        ok(f.api("PUT", "/api/v1/admin/staff/D-FIT", "{\"roles\":[\"DEANS_OFFICE\"],\"faculties\":[\"FIT\"]}", RunningTool.ADMIN_TOKEN));
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static void ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    }

    static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a CSRF field in " + html).isTrue();
        return m.group(1);
    }

    @Test
    void an_assigned_proctor_sees_their_exam_on_the_start_page_and_decides_its_attempts() {
        Browser proctor = StaffLogin.signIn(f, "PR-5", "Proctor Five");
        String home = proctor.get(f.tool.baseUrl() + "/admin").body();
        assertThat(home).contains("/admin/proctoring/exams/" + assigned.id()).doesNotContain(other.id());
        HttpResponse<String> list = proctor.get(f.tool.baseUrl() + "/admin/proctoring/exams/" + assigned.id());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains(attempt.id());
        String page = proctor.get(f.tool.baseUrl() + "/admin/proctoring/exams/" + assigned.id() + "/attempts/" + attempt.id()).body();
        String verdictUrl = f.tool.baseUrl() + "/admin/proctoring/exams/" + assigned.id() + "/attempts/" + attempt.id() + "/verdict";
        assertThat(proctor.postForm(verdictUrl, Map.of("verdict", "SUSPICIOUS", "comment", "a second voice")).statusCode())
                .isEqualTo(403);
        HttpResponse<String> decided = proctor.postForm(verdictUrl, Map.of("_csrf", csrf(page), "verdict", "SUSPICIOUS",
                "comment", "a second voice at 10:42"));
        assertThat(decided.statusCode()).as(decided.body()).isIn(200, 303);
        Verdict v = f.tool.app().proctoringAttempts().repository().verdict(attempt.id()).orElseThrow();
        assertThat(v.decidedBy()).isEqualTo("staff:PR-5 Proctor Five");
    }

    @Test
    void a_proctor_is_refused_an_exam_they_are_not_assigned_to_and_the_deans_pages() {
        Browser proctor = StaffLogin.signIn(f, "PR-5", "Proctor Five");
        assertThat(proctor.get(f.tool.baseUrl() + "/admin/proctoring/exams/" + other.id()).statusCode()).isEqualTo(403);
        assertThat(proctor.get(f.tool.baseUrl() + "/admin/proctoring/exams/" + other.id() + "/attempts/" + attempt.id())
                .statusCode()).isEqualTo(403);
        assertThat(proctor.get(f.tool.baseUrl() + "/admin/sections/" + SECTION + "/exams").statusCode()).isEqualTo(403);
        assertThat(proctor.get(f.tool.baseUrl() + "/admin/proctoring/persons/P-1001").statusCode()).isEqualTo(403);
    }

    @Test
    void a_deans_office_reviews_only_its_facultys_exams_and_a_persons_data_needs_every_faculty() {
        Browser fit = StaffLogin.signIn(f, "D-FIT", "Dean Fit");
        assertThat(fit.get(f.tool.baseUrl() + "/admin/proctoring/exams/" + other.id()).statusCode()).isEqualTo(200);
        assertThat(fit.get(f.tool.baseUrl() + "/admin/sections/" + SECTION + "/exams").statusCode()).isEqualTo(200);
        assertThat(fit.get(f.tool.baseUrl() + "/admin/proctoring/persons/P-1001").statusCode()).isEqualTo(403);
        Browser eco = StaffLogin.signIn(f, "D-ECO", "Dean Eco");
        assertThat(eco.get(f.tool.baseUrl() + "/admin/proctoring/exams/" + assigned.id()).statusCode()).isEqualTo(403);
        assertThat(eco.get(f.tool.baseUrl() + "/admin/sections/" + SECTION + "/exams").statusCode()).isEqualTo(403);
    }
}
