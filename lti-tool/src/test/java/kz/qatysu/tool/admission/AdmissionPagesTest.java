package kz.qatysu.tool.admission;

import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static kz.qatysu.tool.excuses.DeansFixture.SECTION;
import static kz.qatysu.tool.excuses.DeansFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exam gate's pages: the student's conditions with their numbers and what to do (kk, ru, en), the teacher's
 * admission table with its exports, the dean's office's admission overrides (sign-in, CSRF, audit).
 * P-1001: 2 of 10 hours missed, 142 of 300 points with RK2 not graded; P-1002: 4 of 10 missed, 150 of 300.
 */
class AdmissionPagesTest {
    static DeansFixture f;

    @BeforeAll
    static void start() {
        f = DeansFixture.start(Map.of());
        f.absent("P-1001", "S-1", "S-2");
        f.absent("P-1002", "S-1", "S-2", "S-3", "S-4");
        ok(f.api("PUT", "/api/v1/sections/" + SECTION + "/scores", """
                [{"personId":"P-1001","component":"RK1","points":80},{"personId":"P-1001","component":"MT","points":62},
                 {"personId":"P-1002","component":"АБ1","points":50},{"personId":"P-1002","component":"MT","points":50},
                 {"personId":"P-1002","component":"АБ2","points":50}]""", RunningTool.ADMIN_TOKEN));
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static String examGate(String personId, String sub, String locale) {
        Browser browser = new Browser();
        var r = new LtiFlow(f.tool, f.platform, browser).launch((nonce, target) -> {
            Map<String, Object> c = LaunchClaims.moodleStudent(f.platform, nonce, target);
            c.put("sub", sub);
            c.put(LaunchClaims.LTI + "lis", Map.of("person_sourcedid", personId, "course_section_sourcedid", SECTION));
            c.put(LaunchClaims.LTI + "launch_presentation", Map.of("locale", locale));
            return c;
        });
        assertThat(r.statusCode()).isEqualTo(303);
        return browser.get(f.tool.baseUrl() + r.headers().firstValue("Location").orElseThrow() + "exam-gate").body();
    }

    @Test
    void the_student_sees_each_condition_with_its_numbers_and_what_to_do() {
        String en = examGate("P-1001", "11", "en");
        assertThat(en).contains("id=\"gate-final\"", "You are not admitted to the final exam.",
                "Attendance: 20 % of hours missed, admitted",
                "Rating: 142 of 300 points (47 %, FX), 8 more points needed; RK2 not graded yet",
                "id=\"todo-rating\"", "Controls during the term (RK1, MT, RK2)", "id=\"gate-admitted\"",
                "Proctoring is not an admission condition")
                .doesNotContain("id=\"todo-attendance\"", "gate-table");
        // the kk and ru pages carry no English sentence (the calculator's English explanation is not shown here:
        // the localized cards above say the same numbers)
        assertThat(examGate("P-1001", "11", "ru")).contains("Рейтинг: 142 из 300 баллов (47 %, FX), не хватает 8 баллов; RK2 ещё не оценено",
                "Прокторинг не входит в условия допуска").doesNotContain("planned missed", "without excuse");
        assertThat(examGate("P-1001", "11", "kk")).contains("Рейтинг: 300 балдың 142 (47 %, FX), тағы 8 балл қажет; RK2 әлі бағаланбаған",
                "Сабаққа қатысу: сағаттардың 20 % жіберілген, рұқсат бар", "Прокторинг рұқсат шарттарына кірмейді")
                .doesNotContain("planned missed", "without excuse");

        String locked = examGate("P-1002", "12", "en");
        assertThat(locked).contains("Attendance: 40 % of hours missed, over the limit: not admitted",
                "Rating: 150 of 300 points (50 %, D), admitted", "id=\"todo-attendance\"", "id=\"gate-locked\"")
                .doesNotContain("id=\"todo-rating\"");
    }

    @Test
    void the_teacher_sees_the_admission_table_and_downloads_it() {
        DeansFixture.Launch teacher = f.teacher();
        String page = teacher.browser().get(f.tool.baseUrl() + teacher.base() + "/exam-gate").body();
        assertThat(page).contains("id=\"export-csv\"", "P-1001", "P-1002",
                "142 из 300 баллов (47 %, FX)", "150 из 300 баллов (50 %, D)");
        var csv = f.bytes(teacher.browser(), teacher.base() + "/reports/admission?format=csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        String text = new String(csv.body(), StandardCharsets.UTF_8);
        assertThat(text).contains("RK1 (100)", "P-1001", "142", "RK2", "P-1002", "150", "Буквенная оценка (Приказ № 152)");
        assertThat(text.lines().filter(l -> l.contains("P-1001")).findFirst().orElseThrow()).contains("47.33", "FX");
        assertThat(text.lines().filter(l -> l.contains("P-1002")).findFirst().orElseThrow()).contains(",50,D,");
        var xlsx = f.bytes(teacher.browser(), teacher.base() + "/reports/admission?format=xlsx");
        assertThat(xlsx.statusCode()).isEqualTo(200);
        assertThat(xlsx.body()[0]).as("a zip").isEqualTo((byte) 'P');
    }

    @Test
    void the_admission_xlsx_freezes_the_header_row_and_the_id_and_name_columns() throws Exception {
        DeansFixture.Launch teacher = f.teacher();
        var xlsx = f.bytes(teacher.browser(), teacher.base() + "/reports/admission?format=xlsx");
        assertThat(xlsx.statusCode()).isEqualTo(200);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("admission", ".xlsx");
        try {
            java.nio.file.Files.write(file, xlsx.body());
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
                String sheet = new String(zip.getInputStream(zip.getEntry("xl/worksheets/sheet1.xml")).readAllBytes(), StandardCharsets.UTF_8);
                assertThat(sheet).contains("xSplit=\"2\"", "ySplit=\"1\"", "topLeftCell=\"C2\"", "state=\"frozen\"");
            }
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void the_deans_office_sets_and_withdraws_an_admission_override_with_csrf_and_audit() {
        Browser dean = f.admin();
        String page = dean.get(f.tool.baseUrl() + "/admin/sections/" + SECTION + "/admission").body();
        assertThat(page).contains("id=\"admission-P-1001\"", "rating below the threshold", "absences over the limit",
                "142 of 300 points (47 %, FX)", "150 of 300 points (50 %, D)");
        String csrf = DeansFixture.csrf(page);
        assertThat(dean.postForm(f.tool.baseUrl() + "/admin/sections/" + SECTION + "/admission-overrides",
                Map.of("personId", "P-1001", "decision", "ADMITTED", "reason", "order 12")).statusCode())
                .as("no CSRF token").isEqualTo(403);
        assertThat(dean.postForm(f.tool.baseUrl() + "/admin/sections/" + SECTION + "/admission-overrides",
                Map.of("_csrf", csrf, "personId", "P-1001", "decision", "ADMITTED", "reason", "")).statusCode()).isEqualTo(400);
        assertThat(dean.postForm(f.tool.baseUrl() + "/admin/sections/" + SECTION + "/admission-overrides",
                Map.of("_csrf", csrf, "personId", "P-1001", "decision", "ADMITTED", "reason", "order <12>")).statusCode()).isEqualTo(303);
        page = dean.get(f.tool.baseUrl() + "/admin/sections/" + SECTION + "/admission").body();
        assertThat(page).contains("order &lt;12&gt;").doesNotContain("order <12>");
        assertThat(ok(f.api("GET", "/api/v1/sections/" + SECTION + "/admission", null, RunningTool.ADMIN_TOKEN)).get(0)
                .path("override").path("by").asText()).isNotBlank();
        long audited = f.tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM admin_audit WHERE action = 'admission.override' AND subject = :s")
                .bind("s", SECTION + "/P-1001").mapTo(Long.class).one());
        assertThat(audited).isEqualTo(1);
        assertThat(dean.postForm(f.tool.baseUrl() + "/admin/sections/" + SECTION + "/admission-overrides/P-1001/withdraw",
                Map.of("_csrf", csrf)).statusCode()).isEqualTo(303);
        assertThat(ok(f.api("GET", "/api/v1/sections/" + SECTION + "/admission", null, RunningTool.ADMIN_TOKEN)).get(0)
                .path("override").isNull()).isTrue();
        assertThat(new Browser().get(f.tool.baseUrl() + "/admin/sections/" + SECTION + "/admission").statusCode()).isEqualTo(401);
    }
}
