package kz.qatysu.tool.proctoring.examinee;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.proctoring.attempts.Attempt;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.proctoring.lms.moodle.QuizGate;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static kz.qatysu.tool.proctoring.examinee.ExamineeClient.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Moodle quiz gate end to end over real HTTP with real PostgreSQL, Moodle 4.5 answered by WireMock with its captured
 * shapes: a student who cleared the checks gets a per-student override saved with every field and sees its password in
 * the monitoring window (nobody else does); the attempt's end closes the override's window by timeclose, never by a
 * delete; a student who did not clear the checks never gets an override.
 */
class MoodleQuizGateHttpTest {
    static final String PATH = "/webservice/rest/server.php";
    static final String TOKEN = "moodle-ws-token-0123456789";
    static final String GATED = "exm-gated";
    static final String CHECKED = "exm-gated-checks";
    static WireMockServer moodle;
    static DeansFixture f;
    static long platformId;
    static Instant closes;

    @BeforeAll
    static void start() {
        moodle = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        moodle.start();
        f = DeansFixture.start(Map.of("QATYSU_MOODLE_0_ISSUER", "https://moodle.example.kz",
                "QATYSU_MOODLE_0_URL", moodle.baseUrl(), "QATYSU_MOODLE_0_TOKEN", TOKEN));
        f.absent("P-1001", "S-1", "S-2");
        Instant now = Instant.now();
        closes = now.plus(Duration.ofHours(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        for (String[] e : new String[][]{{GATED, "none"}, {CHECKED, "all"}}) {
            Exam exam = new Exam(e[0], DeansFixture.SECTION, "Exam " + e[0], Exam.ExamKind.MIDTERM, now.minus(Duration.ofHours(1)),
                    closes, true, e[1].equals("all") ? Exam.Checks.ALL : Exam.Checks.NONE, 10, false, 2, 1, "T-7", now, "T-7", now);
            f.tool.database().jdbi().useHandle(h -> f.tool.app().proctoredExams().insert(h, exam));
        }
        platformId = f.tool.database().jdbi().withHandle(h -> h.createQuery("SELECT id FROM platform WHERE issuer = :i")
                .bind("i", "https://moodle.example.kz").mapTo(Long.class).one());
    }

    @AfterAll
    static void stop() {
        f.close();
        moodle.stop();
    }

    @BeforeEach
    void stubs() {
        moodle.resetAll();
        answer("mod_quiz_get_quizzes_by_courses", capture("ws_quiz_overrides_00_get_quizzes_by_courses"));
        answer("mod_quiz_delete_overrides", capture("ws_quiz_overrides_26_delete_error_id_of_other_quiz"));
        answer("mod_quiz_get_overrides", "{\"overrides\":[]}");
        answer("mod_quiz_save_overrides", "{\"ids\":[41]}");
    }

    @Test
    void the_exam_maps_to_the_quiz_id_not_the_course_module_id_and_the_api_shows_moodles_checks() {
        var cm = f.api("PUT", "/api/v1/exams/" + GATED + "/moodle", "{\"platformId\":" + platformId
                + ",\"courseId\":127,\"quizId\":134,\"mode\":\"QUIZ_OVERRIDE\"}", RunningTool.ADMIN_TOKEN);
        assertThat(cm.statusCode()).isEqualTo(400);
        assertThat(cm.body()).contains("\"path\":\"quizId\"", "course-module id", "its quiz id is 4");
        var shared = f.api("PUT", "/api/v1/exams/" + GATED + "/moodle", "{\"platformId\":" + platformId
                + ",\"courseId\":127,\"quizId\":4,\"mode\":\"SHARED_PASSWORD\"}", RunningTool.ADMIN_TOKEN);
        assertThat(shared.statusCode()).isEqualTo(400);
        assertThat(shared.body()).contains("\"path\":\"sharedPassword\"");
        JsonNode mapped = map(GATED);
        assertThat(mapped.path("quizName").asText()).isEqualTo("Final exam");
        assertThat(mapped.path("check").path("quizHasPassword").asText()).isEqualTo("SET");
        assertThat(mapped.path("check").path("canManageOverrides").asBoolean()).isTrue();
        assertThat(mapped.path("check").path("gates").asBoolean()).isTrue();
        assertThat(f.api("GET", "/api/v1/exams/" + GATED + "/moodle", null, "wrong").statusCode()).isEqualTo(401);
        long audited = f.tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM admin_audit WHERE action = 'proctoring.moodle.quiz' AND subject = :s")
                .bind("s", "proctored_exam/" + GATED).mapTo(Long.class).one());
        assertThat(audited).isPositive();
    }

    @Test
    void a_token_without_manageoverrides_is_shown_as_not_gating() {
        answer("mod_quiz_delete_overrides", capture("ws_quiz_overrides_29_nocap_delete_error"));
        JsonNode mapped = map(GATED);
        assertThat(mapped.path("check").path("canManageOverrides").asBoolean()).isFalse();
        assertThat(mapped.path("check").path("gates").asBoolean()).isFalse();
    }

    @Test
    void a_student_who_cleared_the_checks_gets_an_override_only_they_see_and_the_end_closes_it_without_a_delete() throws Exception {
        map(GATED);
        ExamineeClient a = ExamineeClient.launch(f, "P-1001", "6", GATED, false);
        ExamineeClient w = window(a);
        assertThat(ok(w.json("GET", "/attempt/quiz-password", null)).path("status").asText()).isEqualTo("NOT_STARTED");
        ok(w.json("POST", "/attempt/system-check", "{\"camera\":true,\"microphone\":true,\"screen\":\"monitor\",\"browser\":\"test\"}"));
        ok(w.json("POST", "/attempt/start", "{\"recordingId\":\"" + UUID.randomUUID() + "\"}"));
        assertThat(ok(w.json("GET", "/attempt/quiz-password", null)).path("status").asText()).isEqualTo("PENDING");

        QuizGate.Pass pass = f.tool.app().deliverQuizGate();
        assertThat(pass.opened()).isEqualTo(1);
        List<Map<String, String>> saves = forms("mod_quiz_save_overrides");
        assertThat(saves).hasSize(1);
        Map<String, String> save = saves.get(0);
        assertThat(save).containsEntry("data[quizid]", "4").containsEntry("data[overrides][0][userid]", "6")
                .containsEntry("data[overrides][0][timeclose]", Long.toString(closes.getEpochSecond()))
                .doesNotContainKey("data[overrides][0][id]").doesNotContainKey("data[overrides][1][userid]");
        long timeOpen = Long.parseLong(save.get("data[overrides][0][timeopen]"));
        assertThat(timeOpen).isBetween(Instant.now().minusSeconds(120).getEpochSecond(), Instant.now().getEpochSecond());
        String password = save.get("data[overrides][0][password]");
        assertThat(password).hasSize(12).isNotEqualTo("QuizPass#1");

        // the monitoring window has the panel and its script, which reads the password over the window's session
        assertThat(w.get(a.exam() + "/monitor").body()).contains("id=\"quiz-gate\"", "/attempt/quiz-password",
                "/assets/proctoring/quizgate.js").doesNotContain(password);
        assertThat(w.get("/assets/proctoring/quizgate.js").body()).contains("quiz-gate-copy", "clipboard");
        var shown = w.json("GET", "/attempt/quiz-password", null);
        assertThat(shown.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(ok(shown).path("status").asText()).isEqualTo("READY");
        assertThat(ok(shown).path("password").asText()).isEqualTo(password);

        // nobody else: another student has no attempt (404), a teacher is refused (403), a guest without a session 401
        ExamineeClient b = ExamineeClient.launch(f, "P-1002", "7", GATED, false);
        var other = b.json("GET", "/attempt/quiz-password", null);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.body()).doesNotContain(password);
        ExamineeClient t = ExamineeClient.launch(f, "T-7", "3", GATED, true);
        assertThat(t.json("GET", "/attempt/quiz-password", null).statusCode()).isEqualTo(403);
        assertThat(new Browser().get(f.tool.baseUrl() + a.exam() + "/attempt/quiz-password").statusCode()).isEqualTo(401);
        assertThat(f.api("GET", "/api/v1/exams/" + GATED + "/moodle", null, RunningTool.ADMIN_TOKEN).body())
                .contains("\"state\":\"OPEN\"").doesNotContain(password);

        // the end: the recording complete, the attempt ended → the override is resent whole with timeclose = now
        byte[] c0 = ExamineeHttpTest.webm(3000, 7);
        ok(w.bytes("PUT", "/attempt/recording/0", c0, "video/webm", Map.of("X-Chunk-Sha256", ExamineeHttpTest.sha256(c0))));
        ok(w.json("POST", "/attempt/recording/finish", "{\"lastIndex\":0}"));
        ok(w.json("POST", "/attempt/end", null));
        assertThat(f.tool.app().deliverQuizGate().closed()).isEqualTo(1);
        List<Map<String, String>> after = forms("mod_quiz_save_overrides");
        assertThat(after).hasSize(2);
        Map<String, String> close = after.get(1);
        assertThat(close).containsEntry("data[overrides][0][id]", "41").containsEntry("data[overrides][0][userid]", "6")
                .containsEntry("data[overrides][0][password]", password)
                .containsEntry("data[overrides][0][timeopen]", Long.toString(timeOpen));
        assertThat(Long.parseLong(close.get("data[overrides][0][timeclose]")))
                .isBetween(Instant.now().minusSeconds(60).getEpochSecond(), Instant.now().getEpochSecond());
        // the only delete calls are the page's capability probe (override 0, which never exists): no override is deleted
        assertThat(forms("mod_quiz_delete_overrides")).allSatisfy(d -> assertThat(d).containsEntry("data[ids][0]", "0")
                .doesNotContainKey("data[ids][1]"));
        assertThat(ok(w.json("GET", "/attempt/quiz-password", null)).path("status").asText()).isEqualTo("CLOSED");
        assertThat(ok(w.json("GET", "/attempt/quiz-password", null)).path("password").isNull()).isTrue();
        assertThat(f.tool.app().deliverQuizGate().closed()).as("closed once").isZero();
    }

    @Test
    void a_student_who_did_not_clear_the_checks_never_gets_an_override() {
        map(CHECKED);
        ExamineeClient a = ExamineeClient.launch(f, "P-1001", "6", CHECKED, false);
        ExamineeClient w = window(a);
        ok(w.json("POST", "/attempt/system-check", "{\"camera\":true,\"microphone\":true,\"screen\":\"monitor\",\"browser\":\"test\"}"));
        // identity and room scan missing: the monitoring does not start
        assertThat(w.json("POST", "/attempt/start", "{\"recordingId\":\"" + UUID.randomUUID() + "\"}").statusCode()).isBetween(400, 499);
        f.tool.app().deliverQuizGate();
        assertThat(forms("mod_quiz_save_overrides")).isEmpty();
        assertThat(ok(w.json("GET", "/attempt/quiz-password", null)).path("status").asText()).isEqualTo("NOT_STARTED");
        // and the gate itself refuses an attempt that is not in progress, storing nothing
        Attempt checking = f.tool.app().proctoringAttempts().repository().of(CHECKED, "P-1001").orElseThrow();
        Exam exam = f.tool.app().proctoredExams().find(CHECKED).orElseThrow();
        assertThatThrownBy(() -> f.tool.app().quizGate().started(exam, checking)).isInstanceOf(QuizGate.NotCleared.class);
        assertThat(f.tool.app().quizGate().status(checking.id())).isEmpty();
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    static JsonNode map(String examId) {
        return ok(f.api("PUT", "/api/v1/exams/" + examId + "/moodle", "{\"platformId\":" + platformId
                + ",\"courseId\":127,\"quizId\":4,\"mode\":\"QUIZ_OVERRIDE\"}", RunningTool.ADMIN_TOKEN));
    }

    /** Consent on the exam page, then the top-level window with its own session. */
    static ExamineeClient window(ExamineeClient a) {
        a.examPage();
        a.form("/consent", Map.of("_csrf", a.csrf));
        String url = ok(a.json("POST", "/attempt/window", null)).path("url").asText();
        Browser window = new Browser();
        window.get(f.tool.baseUrl() + url);
        ExamineeClient w = new ExamineeClient(f, window, a.base, a.examId);
        w.csrf = DeansFixture.csrf(window.get(f.tool.baseUrl() + a.base + "/excuses").body());
        return w;
    }

    static void answer(String function, String body) {
        moodle.stubFor(post(urlPathEqualTo(PATH)).withRequestBody(containing("wsfunction=" + function))
                .withRequestBody(containing("wstoken=" + TOKEN)).willReturn(moodleResponse(body)));
    }

    static ResponseDefinitionBuilder moodleResponse(String body) {
        return aResponse().withStatus(200).withHeader("Content-type", "application/json").withBody(body);
    }

    static String capture(String name) {
        try (InputStream in = MoodleQuizGateHttpTest.class.getResourceAsStream("/captures/moodle-4.5/" + name + ".json")) {
            return ExamineeClient.JSON.readTree(in).path("response").path("body").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Map<String, String>> forms(String function) {
        return moodle.findAll(postRequestedFor(urlPathEqualTo(PATH)).withRequestBody(containing("wsfunction=" + function)))
                .stream().map(r -> {
                    Map<String, String> out = new LinkedHashMap<>();
                    for (String pair : r.getBodyAsString().split("&")) {
                        int eq = pair.indexOf('=');
                        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                                URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                    }
                    return out;
                }).toList();
    }
}
