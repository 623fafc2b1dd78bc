package kz.qatysu.tool.proctoring.results;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import kz.qatysu.tool.proctoring.attempts.Attempt;
import kz.qatysu.tool.proctoring.attempts.AttemptService;
import kz.qatysu.tool.proctoring.attempts.Verdict;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.SteppedClock;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proctoring results back into a Moodle 4.5-shaped gradebook (WireMock AGS shaped as captures/moodle-4.5/advantage_*.json)
 * from the real tool on real PostgreSQL: the "Proctoring — Final exam" item (20) follows the latest verdict, the
 * "Proctoring check passed — Final exam" item (21) gets 1 once the attempt started when the quiz is grade-restricted.
 */
class ProctoringScoresTest {
    static final String SECTION = "ATT101-2025";
    static final String EXAM = "FIN-1";
    static final String ITEMS = "/mod/lti/services.php/2/lineitems";
    RunningTool tool;
    TestPlatform platform;
    WireMockServer lms;
    SteppedClock clock = new SteppedClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    HttpClient http = HttpClient.newHttpClient();
    Exam exam;

    @BeforeEach
    void start() throws Exception {
        lms = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        lms.start();
        lms.stubFor(post(urlPathEqualTo("/mod/lti/token.php")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html; charset=utf-8")
                .withBody("{\"access_token\":\"0c4bbb8b9a3e1c1ea2b9e1f1c6d5a4e3\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                        + "\"scope\":\"https://purl.imsglobal.org/spec/lti-ags/scope/lineitem https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly https://purl.imsglobal.org/spec/lti-ags/scope/score\"}")));
        lms.stubFor(get(urlPathEqualTo(ITEMS)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/vnd.ims.lis.v2.lineitemcontainer+json").withBody("[]")));
        lineItem(7, "Attendance admission", "qatysu-attendance-admission", 5);
        lineItem(20, "Proctoring — Final exam", "qatysu-proctoring-" + EXAM, 1);
        lineItem(21, "Proctoring check passed — Final exam", "qatysu-proctoring-passed-" + EXAM, 1);

        tool = RunningTool.start(Map.of(), clock);
        platform = new TestPlatform("http://127.0.0.1:8100", "c5dFF2OU3Si4N9D", "1");
        String registration = platform.registrationJson().replace(platform.tokenUrl(), lms.baseUrl() + "/mod/lti/token.php");
        assertThat(api("POST", "/api/v1/admin/platforms", registration).statusCode()).isEqualTo(201);
        api("PUT", "/api/v1/sections/" + SECTION, "{\"title\":\"Attendance 101\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\"}");
        api("PUT", "/api/v1/sections/" + SECTION + "/enrolments", "[{\"personId\":\"P-1001\",\"role\":\"student\"}]");

        clock.reset(ChronoUnit.SECONDS); // the set-up above may have taken long: the launches' iat is the real time
        // the student's launch of the course's Attendance activity: the course link with its AGS endpoint, user 5
        LtiFlow flow = new LtiFlow(tool, platform, new Browser());
        assertThat(flow.launch((nonce, target) -> withAgs(LaunchClaims.moodleStudent(platform, nonce, target))).statusCode())
                .isEqualTo(303);
        Instant now = clock.instant();
        exam = new Exam(EXAM, SECTION, "Final exam", Exam.ExamKind.FINAL, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(3)), true, Exam.Checks.NONE, 10, true, 2, 1, "teacher", now, "teacher", now);
        tool.database().jdbi().useHandle(h -> tool.app().proctoredExams().insert(h, exam));
    }

    @AfterEach
    void stop() {
        tool.close();
        platform.close();
        lms.stop();
    }

    void lineItem(int id, String label, String tag, int priority) {
        lms.stubFor(post(urlPathEqualTo(ITEMS)).atPriority(priority).withRequestBody(containing("\"tag\":\"" + tag + "\""))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/vnd.ims.lis.v2.lineitem+json")
                        .withBody("{\"id\":\"" + lms.baseUrl() + ITEMS + "/" + id + "/lineitem?type_id=1\",\"label\":\"" + label
                                + "\",\"scoreMaximum\":1,\"tag\":\"" + tag + "\",\"resourceLinkId\":\"1\",\"ltiLinkId\":\"1\"}")));
        lms.stubFor(post(urlPathEqualTo(ITEMS + "/" + id + "/lineitem/scores")).willReturn(aResponse().withStatus(200)));
    }

    Map<String, Object> withAgs(Map<String, Object> claims) {
        return withAgs(claims, lms.baseUrl());
    }

    /** A launch from the course's regular Qatysu resource, with the AGS claim of the Moodle at {@code lmsBase}. */
    static Map<String, Object> withAgs(Map<String, Object> claims, String lmsBase) {
        claims.put("https://purl.imsglobal.org/spec/lti-ags/claim/endpoint", Map.of(
                "scope", List.of("https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                        "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
                        "https://purl.imsglobal.org/spec/lti-ags/scope/score"),
                "lineitems", lmsBase + ITEMS + "?type_id=1"));
        claims.put(LaunchClaims.LTI + "custom", Map.of("qatysu_resource", "attendance"));
        return claims;
    }

    HttpResponse<String> api(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(tool.baseUrl() + path))
                .header("Authorization", "Bearer " + RunningTool.ADMIN_TOKEN).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    List<LoggedRequest> posted(int item) {
        return lms.findAll(postRequestedFor(urlPathEqualTo(ITEMS + "/" + item + "/lineitem/scores")));
    }

    List<LoggedRequest> created(String tag) {
        return lms.findAll(postRequestedFor(urlPathEqualTo(ITEMS)).withRequestBody(containing("\"tag\":\"" + tag + "\"")));
    }

    AttemptService attempts() {
        return tool.app().proctoringAttempts();
    }

    Attempt consented() {
        return attempts().consent(attempts().open(exam, "P-1001").id());
    }

    void pass() {
        clock.advance(Duration.ofSeconds(1));
        tool.app().publishProctoringScores();
    }

    @Test
    void a_verdict_is_posted_once_with_the_comment_and_posted_again_when_it_changes() {
        Attempt a = consented();
        pass();
        assertThat(posted(20)).as("no verdict yet").isEmpty();
        attempts().decide(a.id(), Verdict.Outcome.CLEAN, "calm, alone in the room", "proctor:P-77");
        pass();
        assertThat(posted(20)).singleElement().satisfies(r -> assertThat(r.getBodyAsString()).contains("\"userId\":\"5\"",
                "\"scoreGiven\":1,", "\"scoreMaximum\":1,", "calm, alone in the room", "\"activityProgress\":\"Completed\"",
                "\"gradingProgress\":\"FullyGraded\""));
        assertThat(created("qatysu-proctoring-" + EXAM)).singleElement().satisfies(r -> assertThat(r.getBodyAsString())
                .contains("\"label\":\"Proctoring — Final exam\"", "\"scoreMaximum\":1", "\"resourceLinkId\":\"1\"",
                        "\"resourceId\":\"qatysu-proctoring-" + EXAM + "\""));

        pass();                                   // nothing changed: nothing posted
        assertThat(posted(20)).hasSize(1);

        attempts().decide(a.id(), Verdict.Outcome.VIOLATION, "a phone under the desk", "proctor:P-78");
        pass();
        assertThat(posted(20)).hasSize(2);
        assertThat(posted(20).get(1).getBodyAsString()).contains("\"scoreGiven\":0,", "a phone under the desk");
        pass();
        assertThat(posted(20)).hasSize(2);
        assertThat(created("qatysu-proctoring-" + EXAM)).as("the line item is created once").hasSize(1);
        assertThat(tool.app().proctoringScores().deliveries(EXAM).get("P-1001").postedState()).isEqualTo("VIOLATION");
        assertThat(posted(21)).as("no check-passed item without a grade-restricted quiz").isEmpty();
    }

    @Test
    void a_pass_called_while_another_node_holds_the_proctoring_scores_lock_posts_nothing_and_creates_no_item() {
        Attempt a = consented();
        attempts().decide(a.id(), Verdict.Outcome.CLEAN, "calm, alone in the room", "proctor:P-77");
        var otherNode = new kz.qatysu.tool.cluster.ClusterLock(tool.database().jdbi(), "ags.proctoring-scores");
        // whoever calls publishDue (the timer or anything else) waits its turn behind the node posting now
        assertThat(otherNode.runIfFree(() -> tool.app().proctoringScores().publishDue(500))).contains(new ProctoringScores.Pass(0, 0));
        assertThat(created("qatysu-proctoring-" + EXAM)).isEmpty();

        pass();
        assertThat(posted(20)).hasSize(1);
        assertThat(created("qatysu-proctoring-" + EXAM)).hasSize(1);
    }

    @Test
    void a_grade_restricted_quiz_gets_check_passed_once_the_attempt_starts() {
        long platformId = tool.database().jdbi().withHandle(h -> h.createQuery("SELECT id FROM platform").mapTo(Long.class).one());
        tool.database().jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO proctoring_moodle_quiz (exam_id, platform_id, course_id, quiz_id, quiz_name, gate_mode,
                                                            updated_by, updated_at)
                        VALUES (:e, :p, 2, 3, 'Final quiz', 'GRADE_RESTRICTION', 'teacher', now())""")
                .bind("e", EXAM).bind("p", platformId).execute());
        Attempt a = consented();
        pass();
        assertThat(posted(21)).as("checks not cleared yet").isEmpty();
        attempts().start(exam, a.id(), java.util.UUID.randomUUID().toString());
        pass();
        assertThat(posted(21)).singleElement().satisfies(r -> assertThat(r.getBodyAsString())
                .contains("\"userId\":\"5\"", "\"scoreGiven\":1,", "\"gradingProgress\":\"FullyGraded\""));
        assertThat(created("qatysu-proctoring-passed-" + EXAM)).singleElement().satisfies(r -> assertThat(r.getBodyAsString())
                .contains("\"label\":\"Proctoring check passed — Final exam\""));
        pass();
        assertThat(posted(21)).as("posted once").hasSize(1);
        assertThat(posted(20)).as("no verdict yet").isEmpty();
    }

    @Test
    void an_open_edx_course_gets_check_passed_once_the_attempt_starts_as_the_prerequisite_fallback() throws Exception {
        // the section is the Open edX course's; a learner launched Qatysu's resource there (its AGS endpoint known)
        String course = "course-v1:KazNU+ATT101+2026";
        api("PUT", "/api/v1/sections/" + SECTION, "{\"title\":\"Attendance 101\",\"termStart\":\"2026-09-01\","
                + "\"termEnd\":\"2026-12-25\",\"openedxCourseKey\":\"" + course + "\"}");
        LtiFlow flow = new LtiFlow(tool, platform, new Browser());
        assertThat(flow.launch((nonce, target) -> {
            Map<String, Object> c = withAgs(LaunchClaims.moodleStudent(platform, nonce, target));
            c.put(LaunchClaims.LTI + "context", Map.of("id", course, "label", "ATT101", "title", "Attendance 101",
                    "type", List.of("CourseSection")));
            return c;
        }).statusCode()).isEqualTo(303);
        long links = tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM course_link WHERE context_id = :c AND section_id = :s").bind("c", course).bind("s", SECTION)
                .mapTo(Long.class).one());
        assertThat(links).isEqualTo(1);
        Attempt a = consented();
        pass();
        assertThat(posted(21)).as("checks not cleared yet").isEmpty();
        attempts().start(exam, a.id(), java.util.UUID.randomUUID().toString());
        pass();
        // posted into the Open edX course only: the Moodle course's quiz is not grade-restricted
        assertThat(posted(21)).singleElement().satisfies(r -> assertThat(r.getBodyAsString())
                .contains("\"userId\":\"5\"", "\"scoreGiven\":1,"));
        pass();
        assertThat(posted(21)).as("posted once").hasSize(1);
    }

    @Test
    void the_latest_attempt_s_verdict_is_the_one_posted() {
        Attempt first = consented();
        attempts().decide(first.id(), Verdict.Outcome.VIOLATION, "a phone", "proctor:P-77");
        Attempt second = attempts().consent(attempts().open(exam, "P-1001", 2).id());
        attempts().decide(second.id(), Verdict.Outcome.CLEAN, "second sitting, clean", "proctor:P-77");
        pass();
        assertThat(posted(20)).singleElement().satisfies(r -> assertThat(r.getBodyAsString())
                .contains("\"scoreGiven\":1,", "second sitting, clean"));
    }

    @Test
    void a_failing_gradebook_is_retried_after_a_backoff_and_nothing_is_lost() {
        lms.stubFor(post(urlPathEqualTo(ITEMS + "/20/lineitem/scores")).willReturn(aResponse().withStatus(503)));
        Attempt a = consented();
        attempts().decide(a.id(), Verdict.Outcome.SUSPICIOUS, "a second voice", "proctor:P-77");
        pass();
        int tries = posted(20).size();
        assertThat(tries).isPositive();
        assertThat(tool.app().proctoringScores().deliveries(EXAM).get("P-1001").lastError()).startsWith("PLATFORM");
        pass();                                   // within the backoff: not tried again
        assertThat(posted(20)).hasSize(tries);

        lms.stubFor(post(urlPathEqualTo(ITEMS + "/20/lineitem/scores")).willReturn(aResponse().withStatus(200)));
        clock.advance(Duration.ofMinutes(3));
        pass();
        assertThat(posted(20)).hasSize(tries + 1);
        assertThat(posted(20).getLast().getBodyAsString()).contains("\"scoreGiven\":0.5,", "a second voice");
        assertThat(tool.app().proctoringScores().deliveries(EXAM).get("P-1001").lastError()).isNull();
        assertThat(created("qatysu-proctoring-" + EXAM)).as("created once").hasSize(1);
    }
}
