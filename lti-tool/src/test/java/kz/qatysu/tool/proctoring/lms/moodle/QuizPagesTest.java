package kz.qatysu.tool.proctoring.lms.moodle;

import com.github.tomakehurst.wiremock.WireMockServer;
import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.testing.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static kz.qatysu.tool.web.Messages.RU;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An exam's Moodle quiz on the teacher's course page (in Russian, the launch's language) and the dean's office page, against the real tool on real
 * PostgreSQL with Moodle 4.5 answered by WireMock from its captures: the quiz id (not the course-module id, which is
 * refused naming the quiz id), the gate mode, Moodle's live checks, the write-only shared password, CSRF, the audit.
 */
class QuizPagesTest {
    static final String TOKEN = "moodle-ws-token-pages-0123456789";
    static final String EXAM = "exm-quiz-page";
    static WireMockServer moodle;
    static DeansFixture f;

    @BeforeAll
    static void start() {
        moodle = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        moodle.start();
        f = DeansFixture.start(Map.of("QATYSU_MOODLE_0_ISSUER", "https://moodle.example.kz",
                "QATYSU_MOODLE_0_URL", moodle.baseUrl(), "QATYSU_MOODLE_0_TOKEN", TOKEN));
        Instant now = Instant.now();
        Exam exam = new Exam(EXAM, DeansFixture.SECTION, "Final exam", Exam.ExamKind.FINAL, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(3)), true, Exam.Checks.NONE, 10, false, 2, 1, "T-7", now, "T-7", now);
        f.tool.database().jdbi().useHandle(h -> f.tool.app().proctoredExams().insert(h, exam));
    }

    @AfterAll
    static void stop() {
        f.close();
        moodle.stop();
    }

    @BeforeEach
    void stubs() {
        moodle.resetAll();
        answer("mod_quiz_get_quizzes_by_courses", "ws_quiz_overrides_00_get_quizzes_by_courses");
        // a delete of override 0 refused for its id, not for a missing capability: the token may manage overrides
        answer("mod_quiz_delete_overrides", "ws_quiz_overrides_26_delete_error_id_of_other_quiz");
        f.tool.database().jdbi().useHandle(h -> h.createUpdate("DELETE FROM proctoring_moodle_quiz").execute());
    }

    static void answer(String function, String capture) {
        moodle.stubFor(post(urlPathEqualTo(QuizCaptures.PATH)).withRequestBody(containing("wsfunction=" + function))
                .withRequestBody(containing("wstoken=" + TOKEN)).willReturn(QuizCaptures.response(capture)));
    }

    static Optional<QuizMapping> stored() {
        return f.tool.app().quizGate().mappings().find(EXAM);
    }

    static long audited() {
        return f.tool.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM admin_audit WHERE action = 'proctoring.moodle.quiz' AND actor = 'T-7' AND subject = :s")
                .bind("s", "proctored_exam/" + EXAM).mapTo(Long.class).one());
    }

    static Map<String, String> form(String csrf, String courseId, String quizId, String mode, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_csrf", csrf);
        form.put("courseId", courseId);
        form.put("quizId", quizId);
        form.put("mode", mode);
        form.put("sharedPassword", password);
        return form;
    }

    @Test
    void a_teacher_maps_the_exam_to_the_quiz_id_in_the_course_and_sees_that_the_gate_holds() {
        DeansFixture.Launch t = f.teacher();
        String page = f.tool.baseUrl() + t.base() + "/exams/" + EXAM + "/moodle";
        HttpResponse<String> empty = t.browser().get(page);
        assertThat(empty.statusCode()).isEqualTo(200);
        // the course's quizzes to pick from, the course id proposed from the launch (Moodle's context id is its course id)
        assertThat(empty.body()).contains("id=\"course-quizzes\"", "Final exam", "<code>4</code>", "134",
                "name=\"courseId\" value=\"2\"", RU.t("proctoring.moodle.mode.QUIZ_OVERRIDE"), RU.t("proctoring.moodle.mode.GRADE_RESTRICTION"),
                RU.t("proctoring.moodle.mode.SHARED_PASSWORD"));
        String csrf = DeansFixture.csrf(empty.body());

        // the course-module id is refused, naming the quiz id; nothing stored
        HttpResponse<String> cm = t.browser().postForm(page, form(csrf, "2", "134", "QUIZ_OVERRIDE", ""));
        assertThat(cm.statusCode()).isEqualTo(400);
        assertThat(cm.body()).contains("data-field=\"quizId\"", RU.t("proctoring.moodle.error.courseModule", "134", "Final exam", "4"));
        assertThat(stored()).isEmpty();
        // no CSRF: refused, nothing stored
        assertThat(t.browser().postForm(page, form("", "2", "4", "QUIZ_OVERRIDE", "")).statusCode()).isEqualTo(403);
        assertThat(stored()).isEmpty();

        long auditedBefore = audited();
        HttpResponse<String> saved = t.browser().postForm(page, form(csrf, "2", "4", "QUIZ_OVERRIDE", ""));
        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(stored()).hasValueSatisfying(m -> {
            assertThat(m.quizId()).isEqualTo(4);
            assertThat(m.courseId()).isEqualTo(2);
            assertThat(m.mode()).isEqualTo(GateMode.QUIZ_OVERRIDE);
            assertThat(m.quizName()).isEqualTo("Final exam");
            assertThat(m.updatedBy()).isEqualTo("T-7");
        });
        HttpResponse<String> after = t.browser().get(f.tool.baseUrl() + saved.headers().firstValue("Location").orElseThrow());
        assertThat(after.body()).contains("id=\"notice\"", RU.t("proctoring.moodle.check.quizFound", "Final exam", "4"),
                "id=\"check-password\" data-state=\"SET\"", "id=\"check-capability\" data-state=\"true\"",
                "id=\"check-gates\" data-gates=\"true\"", RU.t("proctoring.moodle.check.gates"));
        assertThat(audited()).as("one audit entry per save").isEqualTo(auditedBefore + 1);
        // the exam's page links here, next to the Open edX links
        assertThat(t.browser().get(f.tool.baseUrl() + t.base() + "/exams/" + EXAM + "/edit").body())
                .contains("id=\"moodle-link\" href=\"" + t.base() + "/exams/" + EXAM + "/moodle\"", "id=\"delivery-link\"");
    }

    @Test
    void a_quiz_without_its_own_password_or_a_token_without_manageoverrides_is_shown_as_not_gating() {
        DeansFixture.Launch t = f.teacher();
        String page = f.tool.baseUrl() + t.base() + "/exams/" + EXAM + "/moodle";
        String csrf = DeansFixture.csrf(t.browser().get(page).body());
        // quiz 5 "Midterm (MT)" has no password; the token lacks mod/quiz:manageoverrides
        answer("mod_quiz_delete_overrides", "ws_quiz_overrides_29_nocap_delete_error");
        assertThat(t.browser().postForm(page, form(csrf, "2", "5", "QUIZ_OVERRIDE", "")).statusCode()).isEqualTo(303);
        String body = t.browser().get(page).body();
        assertThat(body).contains("id=\"check-password\" data-state=\"NONE\"", "id=\"check-capability\" data-state=\"false\"",
                "id=\"check-gates\" data-gates=\"false\"", RU.t("proctoring.moodle.check.canManage.false"));
    }

    @Test
    void the_shared_password_is_write_only_and_kept_when_the_field_is_left_empty() {
        DeansFixture.Launch t = f.teacher();
        String page = f.tool.baseUrl() + t.base() + "/exams/" + EXAM + "/moodle";
        String csrf = DeansFixture.csrf(t.browser().get(page).body());
        HttpResponse<String> missing = t.browser().postForm(page, form(csrf, "2", "4", "SHARED_PASSWORD", ""));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("data-field=\"sharedPassword\"", RU.t("proctoring.moodle.error.sharedPassword.required"));
        assertThat(stored()).isEmpty();

        assertThat(t.browser().postForm(page, form(csrf, "2", "4", "SHARED_PASSWORD", "QuizPass#1")).statusCode()).isEqualTo(303);
        assertThat(stored().flatMap(QuizMapping::sharedPassword)).contains("QuizPass#1");
        String shown = t.browser().get(page).body();
        assertThat(shown).doesNotContain("QuizPass#1").contains(RU.t("proctoring.moodle.sharedPassword.kept"));
        // saved again with the field empty: the stored password stays
        assertThat(t.browser().postForm(page, form(csrf, "2", "4", "SHARED_PASSWORD", "")).statusCode()).isEqualTo(303);
        assertThat(stored().flatMap(QuizMapping::sharedPassword)).contains("QuizPass#1");
        String audit = f.tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT string_agg(CAST(detail AS TEXT), ' ') FROM admin_audit WHERE subject = :s").bind("s", "proctored_exam/" + EXAM)
                .mapTo(String.class).one());
        assertThat(audit).doesNotContain("QuizPass#1");
        // another mode drops it; removing the mapping stops the gate
        assertThat(t.browser().postForm(page, form(csrf, "2", "4", "GRADE_RESTRICTION", "")).statusCode()).isEqualTo(303);
        assertThat(stored().flatMap(QuizMapping::sharedPassword)).isEmpty();
        assertThat(t.browser().postForm(page + "/remove", Map.of("_csrf", csrf)).statusCode()).isEqualTo(303);
        assertThat(stored()).isEmpty();
    }

    @Test
    void the_deans_office_maps_the_exam_choosing_the_moodle_site_and_a_bad_course_id_is_named() {
        Browser admin = f.admin();
        String page = f.tool.baseUrl() + "/admin/sections/" + DeansFixture.SECTION + "/exams/" + EXAM + "/moodle";
        HttpResponse<String> shown = admin.get(page);
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body()).contains("name=\"platformId\"", "<select");
        String csrf = DeansFixture.csrf(shown.body());
        long platformId = f.tool.database().jdbi().withHandle(h -> h.createQuery("SELECT id FROM platform WHERE issuer = :i")
                .bind("i", "https://moodle.example.kz").mapTo(Long.class).one());
        Map<String, String> bad = form(csrf, "x", "4", "QUIZ_OVERRIDE", "");
        bad.put("platformId", Long.toString(platformId));
        HttpResponse<String> refused = admin.postForm(page, bad);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("data-field=\"courseId\"");
        assertThat(stored()).isEmpty();
        Map<String, String> good = form(csrf, "2", "4", "QUIZ_OVERRIDE", "");
        good.put("platformId", Long.toString(platformId));
        assertThat(admin.postForm(page, good).statusCode()).isEqualTo(303);
        assertThat(stored()).hasValueSatisfying(m -> assertThat(m.updatedBy()).isNotBlank().isNotEqualTo("T-7"));
    }
}
