package kz.qatysu.tool.proctoring.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import kz.qatysu.tool.proctoring.attempts.Attempt;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static kz.qatysu.tool.web.Messages.RU;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An exam's results delivery on the teacher's page and in the API, from the real tool on real PostgreSQL with a
 * Moodle 4.5-shaped gradebook and an ACS endpoint in WireMock that first answer 500: every item shows failed with its
 * reason, the backoff holds it back, "retry now" (CSRF, audited) makes it due at once, the outboxes send it, and the
 * page says it arrived; the verdict is shown in the portal's feed once the feed's reader fetched it.
 */
class DeliveryPagesTest {
    static final String SECTION = "ATT101-2025";
    static final String EXAM = "FIN-DLV";
    static final String ITEMS = "/mod/lti/services.php/2/lineitems";
    static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    RunningTool tool;
    TestPlatform platform;
    WireMockServer lms;
    SteppedClock clock = new SteppedClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    HttpClient http = HttpClient.newHttpClient();
    Exam exam;
    Browser teacher;
    String base;

    @BeforeEach
    void start() throws Exception {
        lms = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        lms.start();
        lms.stubFor(post(urlPathEqualTo("/mod/lti/token.php")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"0c4bbb8b9a3e1c1ea2b9e1f1c6d5a4e3\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
        lms.stubFor(get(urlPathEqualTo(ITEMS)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/vnd.ims.lis.v2.lineitemcontainer+json").withBody("[]")));
        // the admission scores (the tool's other publisher, in the background) go to an item of their own
        lms.stubFor(post(urlPathEqualTo(ITEMS)).atPriority(9).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/vnd.ims.lis.v2.lineitem+json")
                .withBody("{\"id\":\"" + lms.baseUrl() + ITEMS + "/7/lineitem?type_id=1\",\"label\":\"Attendance admission\","
                        + "\"scoreMaximum\":5,\"tag\":\"qatysu-attendance-admission\",\"resourceLinkId\":\"1\"}")));
        lms.stubFor(post(urlPathEqualTo(ITEMS + "/7/lineitem/scores")).willReturn(aResponse().withStatus(200)));
        lms.stubFor(post(urlPathEqualTo(ITEMS)).atPriority(1).withRequestBody(containing("qatysu-proctoring-" + EXAM))
                .willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/vnd.ims.lis.v2.lineitem+json")
                .withBody("{\"id\":\"" + lms.baseUrl() + ITEMS + "/20/lineitem?type_id=1\",\"label\":\"Proctoring — Final exam\","
                        + "\"scoreMaximum\":1,\"tag\":\"qatysu-proctoring-" + EXAM + "\",\"resourceLinkId\":\"1\"}")));
        lms.stubFor(post(urlPathEqualTo(ITEMS + "/20/lineitem/scores")).willReturn(aResponse().withStatus(500)
                .withBody("{\"error\":\"gradebook locked\"}")));
        lms.stubFor(post(urlPathEqualTo("/acs")).willReturn(aResponse().withStatus(500).withBody("busy")));

        tool = RunningTool.start(Map.of(), clock);
        platform = new TestPlatform("http://127.0.0.1:8100", "c5dFF2OU3Si4N9D", "1");
        String registration = platform.registrationJson().replace(platform.tokenUrl(), lms.baseUrl() + "/mod/lti/token.php");
        assertThat(api("POST", "/api/v1/admin/platforms", registration).statusCode()).isEqualTo(201);
        api("PUT", "/api/v1/sections/" + SECTION, "{\"title\":\"Attendance 101\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\"}");
        api("PUT", "/api/v1/sections/" + SECTION + "/enrolments", "[{\"personId\":\"P-1001\",\"role\":\"student\"}]");
        clock.reset(ChronoUnit.SECONDS); // the set-up above may have taken long: the launches' iat is the real time
        // the student's launch of the course's Attendance activity: the course link with its AGS endpoint, user 5
        assertThat(new LtiFlow(tool, platform, new Browser()).launch((nonce, target) -> withAgs(
                LaunchClaims.moodleStudent(platform, nonce, target))).statusCode()).isEqualTo(303);
        teacher = new Browser();
        var launched = new LtiFlow(tool, platform, teacher).launch((nonce, target) -> withAgs(LaunchClaims.moodleTeacher(platform, nonce, target)));
        assertThat(launched.statusCode()).isEqualTo(303);
        Matcher m = Pattern.compile("^(/app/[^/]+)").matcher(launched.headers().firstValue("Location").orElseThrow());
        assertThat(m.find()).isTrue();
        base = m.group(1);
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

    Map<String, Object> withAgs(Map<String, Object> claims) {
        return ProctoringScoresTest.withAgs(claims, lms.baseUrl());
    }

    HttpResponse<String> api(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(tool.baseUrl() + path))
                .header("Authorization", "Bearer " + RunningTool.ADMIN_TOKEN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One pass of every outbox, a second later. */
    void pass() {
        clock.advance(Duration.ofSeconds(1));
        tool.app().publishProctoringScores();
        tool.app().superviseOpenEdx();
        tool.app().deliverQuizGate();
    }

    int scorePosts() {
        return lms.findAll(postRequestedFor(urlPathEqualTo(ITEMS + "/20/lineitem/scores"))).size();
    }

    int acsPosts() {
        return lms.findAll(postRequestedFor(urlPathEqualTo("/acs"))).size();
    }

    String page() {
        HttpResponse<String> r = teacher.get(tool.baseUrl() + base + "/exams/" + EXAM + "/delivery");
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void failed_items_show_their_reason_and_retry_now_sends_them_at_once_and_then_they_show_as_arrived() throws Exception {
        // the examinee's name is known from her launch ("Әлия Нұрланқызы")
        Attempt a = tool.app().proctoringAttempts().consent(tool.app().proctoringAttempts().open(exam, "P-1001").id());
        long platformId = tool.database().jdbi().withHandle(h -> h.createQuery("SELECT id FROM platform").mapTo(Long.class).one());
        // the attempt came from Open edX with the Assessment Control Service offered
        tool.database().jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO openedx_attempt (id, platform_id, deployment_id, resource_link_id, subject, attempt_number, exam_id,
                                                     attempt_id, launch_key, session_data, start_assessment_url, acs_url, acs_actions,
                                                     created_at, launched_at)
                        VALUES ('oa-1', :p, '1', 'block-v1:final', '5', 1, :e, :a, 'k', 'sd', 'https://lms.example/start', :acs,
                                ARRAY['terminate', 'flag'], now(), now())""")
                .bind("p", platformId).bind("e", EXAM).bind("a", a.id()).bind("acs", lms.baseUrl() + "/acs").execute());
        tool.app().proctoringAttempts().decide(a.id(), Verdict.Outcome.VIOLATION, "a phone under the desk", "proctor:P-77");
        pass();
        assertThat(scorePosts()).isEqualTo(1);
        assertThat(acsPosts()).isEqualTo(1);

        String failed = page();
        assertThat(failed).contains("Әлия Нұрланқызы", RU.t("proctoring.delivery.failedCount", 2), "id=\"retry-now\"",
                "data-channel=\"AGS_VERDICT\" data-outcome=\"FAILED\"", "data-channel=\"ACS\" data-outcome=\"FAILED\"",
                "data-channel=\"PORTAL\" data-outcome=\"PENDING\"", "HTTP 500: busy", "gradebook locked", "<code>terminate</code>");
        assertThat(failed).doesNotContain("P-1001</h2>");

        // the backoff holds them back ...
        lms.resetRequests();
        lms.stubFor(post(urlPathEqualTo(ITEMS + "/20/lineitem/scores")).willReturn(aResponse().withStatus(200)));
        lms.stubFor(post(urlPathEqualTo("/acs")).willReturn(aResponse().withStatus(200).withBody("{}")));
        pass();
        assertThat(scorePosts() + acsPosts()).as("nothing is due before the backoff ran out").isZero();
        // ... until "retry now" (CSRF required)
        String csrf = csrf(failed);
        assertThat(teacher.postForm(tool.baseUrl() + base + "/exams/" + EXAM + "/delivery/retry", Map.of()).statusCode()).isEqualTo(403);
        var retried = teacher.postForm(tool.baseUrl() + base + "/exams/" + EXAM + "/delivery/retry", Map.of("_csrf", csrf));
        assertThat(retried.statusCode()).isEqualTo(303);
        assertThat(retried.headers().firstValue("Location").orElseThrow()).endsWith("/delivery?retried=2");
        pass();
        assertThat(scorePosts()).isEqualTo(1);
        assertThat(acsPosts()).isEqualTo(1);
        pass();
        assertThat(scorePosts() + acsPosts()).as("each arrives once").isEqualTo(2);
        long audited = tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM admin_audit WHERE action = 'proctoring.delivery.retry' AND subject = :s")
                .bind("s", "proctored_exam/" + EXAM).mapTo(Long.class).one());
        assertThat(audited).isEqualTo(1);

        // the portal's reader fetches the feed
        assertThat(api("GET", "/api/v1/proctoring/verdicts?since=0", null).statusCode()).isEqualTo(200);
        String arrived = page();
        assertThat(arrived).contains("data-channel=\"AGS_VERDICT\" data-outcome=\"DELIVERED\"",
                "data-channel=\"ACS\" data-outcome=\"DELIVERED\"", "data-channel=\"PORTAL\" data-outcome=\"DELIVERED\"")
                .doesNotContain("data-outcome=\"FAILED\"", "id=\"retry-now\"");

        JsonNode json = new ObjectMapper().readTree(api("GET", "/api/v1/exams/" + EXAM + "/delivery", null).body());
        JsonNode row = json.path("attempts").get(0);
        assertThat(row.path("name").asText()).isEqualTo("Әлия Нұрланқызы");
        assertThat(row.path("verdict").asText()).isEqualTo("VIOLATION");
        assertThat(row.path("items").findValuesAsText("outcome")).containsOnly("DELIVERED");
        assertThat(row.path("items").findValuesAsText("channel")).contains("AGS_VERDICT", "ACS", "PORTAL");
    }

    @Test
    void a_moodle_override_that_cannot_be_saved_shows_why_and_the_api_retry_makes_it_due() throws Exception {
        Attempt a = tool.app().proctoringAttempts().consent(tool.app().proctoringAttempts().open(exam, "P-1001").id());
        long platformId = tool.database().jdbi().withHandle(h -> h.createQuery("SELECT id FROM platform").mapTo(Long.class).one());
        // an override queued for a platform without a moodle[i] entry: the gate cannot call Moodle
        tool.database().jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO proctoring_quiz_override (attempt_id, exam_id, person_id, platform_id, quiz_id, password,
                                                              time_open, time_close, state, created_at, updated_at)
                        VALUES (:a, :e, 'P-1001', :p, 4, 'sealed', 1, 2, 'CLOSING', now(), now())""")
                .bind("a", a.id()).bind("e", EXAM).bind("p", platformId).execute());
        pass();
        assertThat(page()).contains("data-channel=\"MOODLE_OVERRIDE\" data-outcome=\"FAILED\"", "NO_MOODLE_CONFIG",
                RU.t("proctoring.delivery.override.CLOSING"));
        assertThat(nextTry(a.id())).isNotNull();
        JsonNode r = new ObjectMapper().readTree(api("POST", "/api/v1/exams/" + EXAM + "/delivery/retry", null).body());
        assertThat(r.path("overrides").asInt()).isEqualTo(1);
        assertThat(nextTry(a.id())).as("due at once").isNull();
    }

    Object nextTry(String attemptId) {
        return tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT next_attempt_at FROM proctoring_quiz_override WHERE attempt_id = :a").bind("a", attemptId)
                .mapTo(java.time.OffsetDateTime.class).findOne().orElse(null));
    }

    static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
