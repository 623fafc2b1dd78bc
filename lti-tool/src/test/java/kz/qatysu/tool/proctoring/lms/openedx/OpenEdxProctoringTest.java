package kz.qatysu.tool.proctoring.lms.openedx;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.proctoring.attempts.Attempt;
import kz.qatysu.tool.proctoring.attempts.AttemptEvent;
import kz.qatysu.tool.proctoring.attempts.AttemptService;
import kz.qatysu.tool.proctoring.attempts.AttemptState;
import kz.qatysu.tool.proctoring.attempts.EventType;
import kz.qatysu.tool.proctoring.attempts.Verdict;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.Fixtures;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.MovableClock;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Open edX's LTI Proctoring Services against the real tool over real HTTP (embedded PostgreSQL): the captured
 * LtiStartProctoring and LtiEndAssessment id_tokens (captures/openedx-proctoring-messages.json, Open edX's own code's
 * output) re-signed by a test platform with the capture's issuer and client id; the tool's LtiStartAssessment checked
 * as Open edX checks it ({@link OpenEdxVerifier}); the ACS outbox against a fake edx-exams that can be down. The
 * learner is P-1001 of ATT101-2025 (admitted to midterms), known to the roster by the login the launch's
 * {@code preferred_username} carries (an Open edX block that shares the username).
 */
class OpenEdxProctoringTest {
    static final String AP = "https://purl.imsglobal.org/spec/lti-ap/claim/";
    static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";
    static final String CAPTURED_LINK = "block-v1:KazNU+ALG101+2026_T1+type@lti_consumer+block@89d0a87bc9cf509f9ed8204baa64dc55";
    static final MovableClock clock = new MovableClock();
    static DeansFixture f;
    static TestPlatform openedx;
    static FakeOpenEdxServices services;
    static long platformId;

    @BeforeAll
    static void start() {
        f = DeansFixture.start(Map.of(), clock);
        openedx = new TestPlatform("http://127.0.0.1:8300", "edx-client-1", "1");
        services = new FakeOpenEdxServices();
        JsonNode created = DeansFixture.ok(f.api("POST", "/api/v1/admin/platforms", """
                {"issuer": "%s", "clientId": "%s", "name": "Open edX", "authLoginUrl": "%s", "authTokenUrl": "%s",
                 "keySetUrl": "%s", "deploymentIds": ["1"]}""".formatted(openedx.issuer, openedx.clientId,
                openedx.authLoginUrl(), services.base() + "/token", openedx.keySetUrl()), RunningTool.ADMIN_TOKEN));
        platformId = created.path("id").asLong();
        DeansFixture.ok(f.api("PUT", "/api/v1/sections/" + DeansFixture.SECTION + "/enrolments", """
                [{"personId":"P-1001","role":"student","login":"aliya"},{"personId":"P-1002","role":"student","login":"bolat"},
                 {"personId":"T-7","role":"teacher"}]""", RunningTool.ADMIN_TOKEN));
        f.absent("P-1002", "S-1", "S-2", "S-3", "S-4");
    }

    @AfterAll
    static void stop() {
        f.close();
        openedx.close();
        services.close();
    }

    static Exam exam(String id, Exam.Checks checks) {
        Instant now = clock.instant();
        Exam e = new Exam(id, DeansFixture.SECTION, "Exam " + id, Exam.ExamKind.MIDTERM, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(3)), true, checks, 10, true, 2, 1, "T-7", now, "T-7", now);
        f.tool.database().jdbi().useHandle(h -> f.tool.app().proctoredExams().insert(h, e));
        return e;
    }

    static void link(String examId, String resourceLink) {
        DeansFixture.ok(f.api("PUT", "/api/v1/exams/" + examId + "/openedx-links", "{\"platformId\":" + platformId
                + ",\"resourceLinkId\":\"" + resourceLink + "\"}", RunningTool.ADMIN_TOKEN));
    }

    /** The captured message's claims for this login (nonce, times, the tool's launch URL), changed by {@code edit}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> captured(String type, String nonce, String target, Consumer<Map<String, Object>> edit) {
        Map<String, Object> message = (Map<String, Object>) Fixtures.object(Fixtures.dir("captures")
                .resolve("openedx-proctoring-messages.json")).get(type);
        Map<String, Object> claims = new HashMap<>((Map<String, Object>) message.get("id_token_payload"));
        long now = clock.instant().getEpochSecond();
        claims.put("nonce", nonce);
        claims.put("iat", now);
        claims.put("exp", now + 3600);
        claims.put(LTI + "target_link_uri", target);
        claims.put("preferred_username", "aliya");
        edit.accept(claims);
        return claims;
    }

    record Launched(Browser browser, HttpResponse<String> response) {
        String location() {
            return response.headers().firstValue("Location").orElseThrow(() -> new AssertionError(response.statusCode()
                    + " " + response.body()));
        }

        String base() {
            return location().substring(0, location().indexOf('/', "/app/".length()));
        }
    }

    static Launched launch(String type, Consumer<Map<String, Object>> edit) {
        return launch(new Browser(), type, edit);
    }

    static Launched launch(Browser browser, String type, Consumer<Map<String, Object>> edit) {
        LtiFlow flow = new LtiFlow(f.tool, openedx, browser);
        Map<String, String> auth = flow.login();
        Map<String, Object> claims = captured(type, auth.get("nonce"), flow.targetLinkUri(), edit);
        String token = TestPlatform.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(openedx.key().getKeyID()).build(), claims, openedx.key());
        return new Launched(browser, flow.post(token, auth.get("state")));
    }

    static Consumer<Map<String, Object>> link(String resourceLink, int attemptNumber) {
        return c -> {
            c.put(LTI + "resource_link", Map.of("id", resourceLink));
            c.put(AP + "attempt_number", attemptNumber);
        };
    }

    static AttemptService attempts() {
        return f.tool.app().proctoringAttempts();
    }

    static OpenEdxRepository repository() {
        return f.tool.app().openedxProctoring().repository();
    }

    static OpenEdxAttempt binding(String resourceLink, int number) {
        return repository().find(platformId, resourceLink, "adf03f57-f166-5710-8d57-69a11ff3eca6", number)
                .orElseThrow(() -> new AssertionError("no Open edX attempt " + number + " at " + resourceLink));
    }

    static String csrf(Browser b, String path) {
        String page = b.get(f.tool.baseUrl() + path).body();
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        if (!m.find()) {
            throw new AssertionError("no CSRF token on " + path + ": " + page);
        }
        return m.group(1);
    }

    // ---- LtiStartProctoring -------------------------------------------------------------------------------------

    @Test
    void the_captured_start_proctoring_of_an_unlinked_exam_is_refused_as_UNKNOWN_PROCTORED_EXAM_and_offered_for_linking() {
        Launched r = launch("LtiStartProctoring", c -> { });
        assertThat(r.response().statusCode()).isEqualTo(404);
        assertThat(r.response().body()).contains("UNKNOWN_PROCTORED_EXAM", "not linked to a Qatysu exam");
        exam("oex-unlinked", Exam.Checks.NONE);
        JsonNode listing = DeansFixture.ok(f.api("GET", "/api/v1/exams/oex-unlinked/openedx-links", null, RunningTool.ADMIN_TOKEN));
        assertThat(listing.path("links")).isEmpty();
        assertThat(listing.path("unlinked").toString()).contains(CAPTURED_LINK, "Algebra - KazNU");
    }

    @Test
    void a_linked_start_proctoring_lands_on_the_exam_page_with_an_attempt_bound_to_its_attempt_number() {
        Exam exam = exam("oex-bind", Exam.Checks.NONE);
        String rl = "block-v1:KazNU+ALG101+2026_T1+type@lti_consumer+block@bind";
        link(exam.id(), rl);
        Launched r = launch("LtiStartProctoring", link(rl, 2));
        assertThat(r.response().statusCode()).as(r.response().body()).isEqualTo(303);
        assertThat(r.location()).endsWith("/exams/" + exam.id());
        OpenEdxAttempt o = binding(rl, 2);
        assertThat(o.sessionData()).isEqualTo("MJiID5uPSjEeo5TKWhqWkwDSAi9vA01X");
        assertThat(o.startAssessmentUrl()).isEqualTo("http://127.0.0.1:8300/api/lti_consumer/v1/start_proctoring_assessment");
        Attempt a = attempts().repository().find(o.attemptId()).orElseThrow();
        assertThat(a.personId()).isEqualTo("P-1001");
        assertThat(a.state()).isEqualTo(AttemptState.CONSENT_PENDING);
        // the exam page of the launch is the examinee's path (consent first), in the exam's section
        String page = r.browser().get(f.tool.baseUrl() + r.location()).body();
        assertThat(page).contains("id=\"consent\"", "Exam oex-bind");

        // attempt_number 3 of the same exam is a new attempt; a relaunch of number 2 keeps its attempt
        Launched third = launch("LtiStartProctoring", link(rl, 3).andThen(c -> c.put(AP + "session_data", "third-session")));
        assertThat(third.response().statusCode()).isEqualTo(303);
        assertThat(binding(rl, 3).attemptId()).isNotEqualTo(o.attemptId());
        assertThat(attempts().repository().of(exam.id(), "P-1001").orElseThrow().id()).isEqualTo(binding(rl, 3).attemptId());
        assertThat(launch("LtiStartProctoring", link(rl, 2)).response().statusCode()).isEqualTo(303);
        assertThat(binding(rl, 2).attemptId()).isEqualTo(o.attemptId());
    }

    @Test
    void a_learner_the_exam_gate_refuses_gets_no_attempt_and_sees_why() {
        Exam exam = exam("oex-gate", Exam.Checks.NONE);
        String rl = "block-v1:KazNU+ALG101+2026_T1+type@lti_consumer+block@gate";
        link(exam.id(), rl);
        Launched r = launch("LtiStartProctoring", link(rl, 1).andThen(c -> c.put("preferred_username", "bolat")));
        assertThat(r.response().statusCode()).isEqualTo(303);
        assertThat(r.browser().get(f.tool.baseUrl() + r.location()).body()).contains("id=\"exam-not-admitted\"")
                .doesNotContain("id=\"consent\"");
        assertThat(attempts().repository().of(exam.id(), "P-1002")).isEmpty();
        assertThat(repository().find(platformId, rl, "adf03f57-f166-5710-8d57-69a11ff3eca6", 1)).isEmpty();
    }

    @Test
    void a_start_proctoring_with_a_missing_or_wrong_proctoring_claim_is_refused_naming_it() {
        Map<String, Consumer<Map<String, Object>>> cases = Map.of(
                "MISSING_SESSION_DATA", c -> c.remove(AP + "session_data"),
                "MISSING_SESSION_DATA ", c -> c.put(AP + "session_data", ""),
                "INVALID_ATTEMPT_NUMBER", c -> c.put(AP + "attempt_number", 0),
                "INVALID_ATTEMPT_NUMBER ", c -> c.put(AP + "attempt_number", "2"),
                "INVALID_ATTEMPT_NUMBER  ", c -> c.remove(AP + "attempt_number"),
                "MISSING_START_ASSESSMENT_URL", c -> c.put(AP + "start_assessment_url", "/api/lti_consumer/v1/start"),
                "MISSING_RESOURCE_LINK_ID", c -> c.remove(LTI + "resource_link"),
                "INVALID_ACS", c -> c.put(AP + "acs", Map.of("actions", List.of("terminate"))),
                "UNSUPPORTED_MESSAGE_TYPE", c -> c.put(LTI + "message_type", "LtiStartAssessment"));
        cases.forEach((code, edit) -> {
            Launched r = launch("LtiStartProctoring", edit);
            assertThat(r.response().statusCode()).as(code).isEqualTo(400);
            assertThat(r.response().body()).as(code).contains(code.strip());
        });
    }

    @Test
    void a_replayed_start_proctoring_is_refused() {
        Exam exam = exam("oex-replay", Exam.Checks.NONE);
        String rl = "block-v1:KazNU+ALG101+2026_T1+type@lti_consumer+block@replay";
        link(exam.id(), rl);
        Browser browser = new Browser();
        LtiFlow flow = new LtiFlow(f.tool, openedx, browser);
        Map<String, String> auth = flow.login();
        String token = openedx.sign(captured("LtiStartProctoring", auth.get("nonce"), flow.targetLinkUri(), link(rl, 1)));
        assertThat(flow.post(token, auth.get("state")).statusCode()).isEqualTo(303);
        HttpResponse<String> replay = flow.post(token, auth.get("state"));
        assertThat(replay.statusCode()).isEqualTo(401);
        // the same token under a fresh login: its nonce is not the one this login issued
        Map<String, String> again = flow.login();
        HttpResponse<String> other = flow.post(token, again.get("state"));
        assertThat(other.statusCode()).isEqualTo(401);
        assertThat(other.body()).contains("NONCE_MISMATCH");
    }

    // ---- LtiStartAssessment -------------------------------------------------------------------------------------

    @Test
    void the_start_assessment_waits_for_the_monitoring_then_passes_open_edx_checks() throws Exception {
        Exam exam = exam("oex-start", Exam.Checks.NONE);
        String rl = "block-v1:KazNU+ALG101+2026_T1+type@lti_consumer+block@start";
        link(exam.id(), rl);
        Launched r = launch("LtiStartProctoring", link(rl, 2));
        String base = r.base();
        Browser b = r.browser();
        // consent on the exam page, then the tab asks to continue before the monitoring runs: refused, nothing signed
        String csrf = csrf(b, r.location());
        assertThat(b.postForm(f.tool.baseUrl() + r.location() + "/consent", Map.of("_csrf", csrf)).statusCode()).isEqualTo(303);
        HttpResponse<String> early = b.postForm(f.tool.baseUrl() + base + "/openedx/start-assessment", Map.of("_csrf", csrf));
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(early.body()).contains("The monitoring is not running yet").doesNotContain("name=\"JWT\"");
        assertThat(b.postForm(f.tool.baseUrl() + base + "/openedx/start-assessment", Map.of()).statusCode()).isEqualTo(403);

        // the monitoring window starts the attempt (AttemptService.start): now the tab gets LtiStartAssessment
        OpenEdxAttempt o = binding(rl, 2);
        attempts().start(exam, o.attemptId(), UUID.randomUUID().toString());
        assertThat(b.get(f.tool.baseUrl() + r.location()).body()).contains("id=\"openedx-continue\"");
        HttpResponse<String> page = b.postForm(f.tool.baseUrl() + base + "/openedx/start-assessment", Map.of("_csrf", csrf));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("action=\"http://127.0.0.1:8300/api/lti_consumer/v1/start_proctoring_assessment\"",
                "id=\"start-assessment-continue\"", "nonce=\"");
        Matcher m = Pattern.compile("name=\"JWT\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(m.find()).isTrue();
        String jwt = m.group(1);

        JWKSet toolKeys = JWKSet.parse(b.get(f.tool.baseUrl() + "/.well-known/jwks.json").body());
        Map<String, Object> claims = OpenEdxVerifier.verify(jwt, toolKeys,
                new OpenEdxVerifier.Expected("edx-client-1", rl, "MJiID5uPSjEeo5TKWhqWkwDSAi9vA01X", 2), Instant.now());
        assertThat(claims).containsEntry("aud", List.of("http://127.0.0.1:8300"))
                .containsEntry(LTI + "deployment_id", "1").containsEntry(AP + "end_assessment_return", true)
                .containsKeys("iat", "exp", "nonce")
                // the identity check was not required: nothing is vouched for
                .doesNotContainKey(AP + "verified_user");
        assertThat(com.nimbusds.jwt.SignedJWT.parse(jwt).getHeader().getKeyID())
                .isEqualTo(f.tool.app().toolKeys().signingKey().getKeyID());
        // Open edX refuses the same JWT for another session_data or attempt number
        assertThat(refusal(jwt, toolKeys, new OpenEdxVerifier.Expected("edx-client-1", rl, "another-session", 2))).isEqualTo(400);
        assertThat(refusal(jwt, toolKeys, new OpenEdxVerifier.Expected("edx-client-1", rl, "MJiID5uPSjEeo5TKWhqWkwDSAi9vA01X", 3)))
                .isEqualTo(400);
        assertThat(binding(rl, 2).assessmentStartedAt()).isPresent();
    }

    static int refusal(String jwt, JWKSet keys, OpenEdxVerifier.Expected expected) {
        try {
            OpenEdxVerifier.verify(jwt, keys, expected, Instant.now());
            return 200;
        } catch (OpenEdxVerifier.Refused e) {
            return e.status;
        }
    }

    @Test
    void verified_user_carries_only_the_name_claims_the_platform_sent_and_only_after_a_verified_identity() {
        OpenEdxAttempt named = new OpenEdxAttempt("oex-1", 1, "1", "rl", "sub", 1, "e", "a", "k", "data", "https://lms/start",
                java.util.Optional.empty(), List.of(), java.util.Optional.of("Әлия Қасымқызы"), java.util.Optional.empty(),
                java.util.Optional.of(""), Instant.now(), Instant.now(), java.util.Optional.empty(), java.util.Optional.empty());
        assertThat(StartAssessment.verifiedUser(named, true)).isEqualTo(Map.of("name", "Әлия Қасымқызы"));
        assertThat(StartAssessment.verifiedUser(named, false)).isEmpty();
    }

    // ---- LtiEndAssessment ---------------------------------------------------------------------------------------

    @Test
    void an_end_assessment_for_an_attempt_never_started_here_is_refused_as_UNKNOWN_PROCTORING_ATTEMPT() {
        Launched r = launch("LtiEndAssessment", link("block-v1:KazNU+ALG101+2026_T1+type@lti_consumer+block@never", 7));
        assertThat(r.response().statusCode()).isEqualTo(404);
        assertThat(r.response().body()).contains("UNKNOWN_PROCTORING_ATTEMPT");
    }

    @Test
    void the_end_assessment_asks_the_monitoring_window_to_end_and_ends_the_attempt_itself_after_the_grace() {
        Exam exam = exam("oex-end", Exam.Checks.NONE);
        String rl = "block-v1:KazNU+ALG101+2026_T1+type@lti_consumer+block@end";
        link(exam.id(), rl);
        assertThat(launch("LtiStartProctoring", link(rl, 2)).response().statusCode()).isEqualTo(303);
        OpenEdxAttempt o = binding(rl, 2);
        attempts().consent(o.attemptId());
        attempts().start(exam, o.attemptId(), UUID.randomUUID().toString());

        Launched end = launch("LtiEndAssessment", link(rl, 2));
        assertThat(end.response().statusCode()).as(end.response().body()).isEqualTo(303);
        assertThat(end.location()).endsWith("/openedx");
        String page = end.browser().get(f.tool.baseUrl() + end.location()).body();
        assertThat(page).contains("id=\"openedx-ended\"", "The monitoring window is finishing");
        // the window is running (heartbeat just now): it is asked to end through its heartbeat answer
        assertThat(repository().endRequestedFor(o.attemptId())).isTrue();
        assertThat(attempts().repository().find(o.attemptId()).orElseThrow().state()).isEqualTo(AttemptState.IN_PROGRESS);
        try {
            clock.advance(OpenEdxProctoring.END_GRACE.plusSeconds(10));
            f.tool.app().superviseOpenEdx();
        } finally {
            clock.reset();
        }
        Attempt ended = attempts().repository().find(o.attemptId()).orElseThrow();
        assertThat(ended.state()).isEqualTo(AttemptState.ENDED);
        assertThat(attempts().repository().events(ended.id())).filteredOn(e -> e.type() == EventType.ATTEMPT_ENDED)
                .extracting(AttemptEvent::detail).singleElement().asString()
                .contains("LtiEndAssessment", "the recording is incomplete");
        assertThat(end.browser().get(f.tool.baseUrl() + end.location()).body()).contains("The monitoring has ended");
    }

    // ---- edx-exams: learners known by the roster of the Instructor Tool ------------------------------------------

    static final String INSTRUCTOR = "4f1c2d3e-0000-4000-8000-00000000a001";
    static final String ALIYA = "6a1b2c3d-1111-4111-8111-00000000b001";
    static final String BOLAT = "6a1b2c3d-2222-4222-8222-00000000b002";
    static final String STRANGER = "6a1b2c3d-3333-4333-8333-00000000b003";
    static final String NOBODY = "6a1b2c3d-4444-4444-8444-00000000b004";
    static final String CHROMIUM_ALIYA = "7a1b2c3d-1111-4111-8111-00000000c001";
    static final String CHROMIUM_BOLAT = "7a1b2c3d-2222-4222-8222-00000000c002";
    static final String CHROMIUM_STRANGER = "7a1b2c3d-3333-4333-8333-00000000c003";

    /**
     * edx-exams' Instructor Tool launch ({@code launch_instructor_tool}): a plain LtiResourceLinkRequest of the exam's
     * resource link, role instructor, {@code sub} the instructor's anonymous user id, the custom {@code roster_url}.
     */
    static Consumer<Map<String, Object>> instructorTool(String resourceLink, String rosterUrl) {
        return c -> {
            c.put(LTI + "message_type", "LtiResourceLinkRequest");
            c.put("sub", INSTRUCTOR);
            c.remove("preferred_username");
            c.put(LTI + "roles", List.of("http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"));
            c.put(LTI + "resource_link", Map.of("id", resourceLink));
            c.put(LTI + "custom", Map.of("roster_url", rosterUrl));
            c.remove(AP + "attempt_number");
            c.remove(AP + "session_data");
            c.remove(AP + "start_assessment_url");
        };
    }

    /** edx-exams' LtiStartProctoring: {@code sub} its anonymous user id, no username. */
    static Consumer<Map<String, Object>> edxExamsLearner(String resourceLink, String anonymousId, int attemptNumber) {
        return link(resourceLink, attemptNumber).andThen(c -> {
            c.put("sub", anonymousId);
            c.remove("preferred_username");
        });
    }

    /** The Instructor Tool launch, followed to where it lands; returns the browser and the exam's Open edX page path. */
    record Landed(Browser browser, String page) {
    }

    static Landed instructorToolLanding(String resourceLink, String rosterUrl) {
        Launched r = launch("LtiStartProctoring", instructorTool(resourceLink, rosterUrl));
        assertThat(r.response().statusCode()).as(r.response().body()).isEqualTo(303);
        HttpResponse<String> home = r.browser().get(f.tool.baseUrl() + r.location());
        assertThat(home.statusCode()).as(home.body()).isEqualTo(303);
        return new Landed(r.browser(), home.headers().firstValue("Location").orElseThrow());
    }

    static String dataCsrf(String page) {
        Matcher m = Pattern.compile("data-csrf=\"([^\"]+)\"").matcher(page);
        if (!m.find()) {
            throw new AssertionError("no data-csrf on the page: " + page);
        }
        return m.group(1);
    }

    static HttpResponse<String> postRoster(Browser b, String page, String json, String csrf) {
        return b.postJson(f.tool.baseUrl() + page + "/roster", json, csrf == null ? Map.of() : Map.of("X-CSRF-Token", csrf));
    }

    @Test
    void the_instructor_tool_launch_lands_on_the_exams_open_edx_page_which_reads_the_roster_url_it_carried() {
        Exam exam = exam("oex-itool", Exam.Checks.NONE);
        String rl = "block-v1:KazNU+ALG101+2026_T1+type@lti_consumer+block@itool";
        link(exam.id(), rl);
        // the scheme may be stripped from a URL custom parameter: host/path is read as https
        Landed l = instructorToolLanding(rl, "exams.example.kz/lti/exam/7/instructor_tool/roster");
        assertThat(l.page()).endsWith("/exams/" + exam.id() + "/openedx");
        HttpResponse<String> page = l.browser().get(f.tool.baseUrl() + l.page());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"openedx-roster\"",
                "data-roster-url=\"https://exams.example.kz/lti/exam/7/instructor_tool/roster\"",
                "src=\"/assets/openedx/roster.js\"", "Refresh the Open edX roster", "0 learners known by name, 0 unknown", rl);
        // only this page may fetch from edx-exams' origin
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("connect-src 'self' https://exams.example.kz").contains("script-src 'self' 'nonce-");
        assertThat(f.tool.database().jdbi().<String, RuntimeException>withHandle(h -> h.createQuery(
                        "SELECT roster_url FROM openedx_roster_source WHERE platform_id = :p AND resource_link_id = :r")
                .bind("p", platformId).bind("r", rl).mapTo(String.class).one()))
                .isEqualTo("https://exams.example.kz/lti/exam/7/instructor_tool/roster");
        // a newer launch's URL wins; an https URL is kept as sent
        Landed again = instructorToolLanding(rl, "https://exams2.example.kz:8443/lti/exam/7/instructor_tool/roster");
        assertThat(again.browser().get(f.tool.baseUrl() + again.page()).headers().firstValue("Content-Security-Policy")
                .orElseThrow()).contains("connect-src 'self' https://exams2.example.kz:8443");
        // the script the page loads
        HttpResponse<String> script = l.browser().get(f.tool.baseUrl() + "/assets/openedx/roster.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
        assertThat(script.body()).contains("credentials: 'include'", "X-CSRF-Token", "30000");
        assertThat(l.browser().get(f.tool.baseUrl() + "/assets/openedx/other.js").statusCode()).isEqualTo(404);
    }

    @Test
    void an_instructor_tool_launch_with_an_http_roster_url_or_of_an_unlinked_exam_opens_the_course_home() {
        Exam exam = exam("oex-ihttp", Exam.Checks.NONE);
        String rl = "block-v1:KazNU+ALG101+2026_T1+type@lti_consumer+block@ihttp";
        link(exam.id(), rl);
        for (Consumer<Map<String, Object>> edit : List.of(instructorTool(rl, "http://exams.example.kz/lti/exam/7/instructor_tool/roster"),
                instructorTool(rl, "javascript:alert(1)"),
                instructorTool("block-v1:KazNU+ALG101+2026_T1+type@lti_consumer+block@nolink", "https://exams.example.kz/r"))) {
            Launched r = launch("LtiStartProctoring", edit);
            assertThat(r.response().statusCode()).isEqualTo(303);
            HttpResponse<String> home = r.browser().get(f.tool.baseUrl() + r.location());
            assertThat(home.statusCode()).as(home.body()).isEqualTo(200);
        }
        assertThat(f.tool.database().jdbi().<Integer, RuntimeException>withHandle(h -> h.createQuery(
                "SELECT count(*) FROM openedx_roster_source WHERE exam_id = :e").bind("e", exam.id()).mapTo(Integer.class).one())).isZero();
    }

    @Test
    void a_learner_the_roster_maps_starts_as_their_portal_person_and_an_unknown_one_is_told_to_ask_the_proctor() {
        Exam exam = exam("oex-roster", Exam.Checks.NONE);
        String rl = "block-v1:KazNU+ALG101+2026_T1+type@lti_consumer+block@roster";
        link(exam.id(), rl);
        // before the roster: edx-exams' learner is nobody the portal knows — not admitted, told what to do
        Launched before = launch("LtiStartProctoring", edxExamsLearner(rl, ALIYA, 1));
        assertThat(before.response().statusCode()).isEqualTo(303);
        assertThat(before.browser().get(f.tool.baseUrl() + before.location()).body())
                .contains("id=\"exam-not-admitted\"", "id=\"openedx-unknown-learner\"", "Instructor Dashboard");
        assertThat(attempts().repository().of(exam.id(), "P-1001")).isEmpty();

        Landed l = instructorToolLanding(rl, "https://exams.example.kz/lti/exam/9/instructor_tool/roster");
        String csrf = dataCsrf(l.browser().get(f.tool.baseUrl() + l.page()).body());
        // edx-exams' answer as its exam_roster writes it: [anonymous_user_id, username] pairs
        HttpResponse<String> posted = postRoster(l.browser(), l.page(), """
                [["%s", "Aliya"], ["%s", "bolat"], ["%s", "stranger"]]""".formatted(ALIYA.toUpperCase(), BOLAT, STRANGER), csrf);
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        assertThat(DeansFixture.ok(posted).path("known").asInt()).isEqualTo(2);
        assertThat(DeansFixture.ok(posted).path("unknown").asInt()).isEqualTo(1);
        assertThat(posted.body()).contains("2 learners known by name, 1 unknown");
        assertThat(l.browser().get(f.tool.baseUrl() + l.page()).body()).contains("2 learners known by name, 1 unknown");
        assertThat(f.tool.database().jdbi().<List<String>, RuntimeException>withHandle(h -> h.createQuery(
                        "SELECT detail::text FROM admin_audit WHERE action = 'exam.openedx.roster' AND subject = :s")
                .bind("s", "exam:" + exam.id()).mapTo(String.class).list())).singleElement().asString()
                .contains("\"pairs\": 3", "\"known\": 2");

        // Aliya starts again: the gate runs for P-1001 (admitted) and the attempt is hers
        Launched aliya = launch("LtiStartProctoring", edxExamsLearner(rl, ALIYA, 1));
        assertThat(aliya.response().statusCode()).as(aliya.response().body()).isEqualTo(303);
        OpenEdxAttempt o = repository().find(platformId, rl, ALIYA, 1).orElseThrow();
        assertThat(attempts().repository().find(o.attemptId()).orElseThrow().personId()).isEqualTo("P-1001");
        assertThat(aliya.browser().get(f.tool.baseUrl() + aliya.location()).body()).contains("id=\"consent\"");
        // her LtiEndAssessment is hers too
        Launched end = launch("LtiEndAssessment", edxExamsLearner(rl, ALIYA, 1));
        assertThat(end.response().statusCode()).as(end.response().body()).isEqualTo(303);
        assertThat(end.browser().get(f.tool.baseUrl() + end.location()).body()).contains("id=\"openedx-ended\"");

        // Bolat is known as P-1002, whose absences lock the midterm: not admitted, for his standing, not for his name
        Launched bolat = launch("LtiStartProctoring", edxExamsLearner(rl, BOLAT, 1));
        assertThat(bolat.browser().get(f.tool.baseUrl() + bolat.location()).body()).contains("id=\"exam-not-admitted\"")
                .doesNotContain("id=\"openedx-unknown-learner\"");
        assertThat(attempts().repository().of(exam.id(), "P-1002")).isEmpty();
        // a learner no roster named is still told to ask the proctor
        Launched nobody = launch("LtiStartProctoring", edxExamsLearner(rl, NOBODY, 1));
        assertThat(nobody.browser().get(f.tool.baseUrl() + nobody.location()).body()).contains("id=\"openedx-unknown-learner\"");
    }

    @Test
    void the_roster_post_is_refused_without_csrf_to_non_staff_and_names_each_malformed_pair() {
        Exam exam = exam("oex-rosterno", Exam.Checks.NONE);
        String rl = "block-v1:KazNU+ALG101+2026_T1+type@lti_consumer+block@rosterno";
        link(exam.id(), rl);
        Landed l = instructorToolLanding(rl, "https://exams.example.kz/lti/exam/11/instructor_tool/roster");
        String csrf = dataCsrf(l.browser().get(f.tool.baseUrl() + l.page()).body());
        String good = "[[\"" + STRANGER + "\", \"stranger\"]]";
        assertThat(postRoster(l.browser(), l.page(), good, null).statusCode()).isEqualTo(403);
        assertThat(postRoster(l.browser(), l.page(), good, "wrong").statusCode()).isEqualTo(403);
        // a learner's session (LtiStartProctoring) is no staff of the exam
        Launched learner = launch("LtiStartProctoring", edxExamsLearner(rl, NOBODY, 1));
        String learnerPage = learner.base() + "/exams/" + exam.id() + "/openedx";
        assertThat(postRoster(learner.browser(), learnerPage, good, csrf).statusCode()).isEqualTo(403);
        // the Instructor Tool of another exam is no staff of this one
        Exam other = exam("oex-rosterother", Exam.Checks.NONE);
        String otherLink = "block-v1:KazNU+ALG101+2026_T1+type@lti_consumer+block@rosterother";
        link(other.id(), otherLink);
        Landed otherStaff = instructorToolLanding(otherLink, "https://exams.example.kz/lti/exam/12/instructor_tool/roster");
        String otherCsrf = dataCsrf(otherStaff.browser().get(f.tool.baseUrl() + otherStaff.page()).body());
        String intoThis = otherStaff.page().replace("/exams/" + other.id() + "/", "/exams/" + exam.id() + "/");
        assertThat(postRoster(otherStaff.browser(), intoThis, good, otherCsrf).statusCode()).isEqualTo(404);

        HttpResponse<String> bad = postRoster(l.browser(), l.page(), """
                [["%s", "fine"], ["not-a-uuid", "x"], ["%s", "two words!"], ["%s"], "flat"]""".formatted(STRANGER, NOBODY, NOBODY), csrf);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"path\":\"[1].anonymousUserId\"", "\"path\":\"[2].username\"",
                "\"path\":\"[3]\"", "\"path\":\"[4]\"").doesNotContain("[0]");
        assertThat(postRoster(l.browser(), l.page(), "{\"pairs\": []}", csrf).statusCode()).isEqualTo(400);
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i <= EdxRoster.MAX_PAIRS; i++) {
            many.append(i == 0 ? "" : ",").append("[\"").append(UUID.randomUUID()).append("\",\"u").append(i).append("\"]");
        }
        HttpResponse<String> tooMany = postRoster(l.browser(), l.page(), many.append(']').toString(), csrf);
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).contains("at most " + EdxRoster.MAX_PAIRS + " pairs");
        // nothing of the refused posts was kept
        assertThat(f.tool.database().jdbi().<Integer, RuntimeException>withHandle(h -> h.createQuery(
                "SELECT count(*) FROM openedx_learner WHERE exam_id = :e").bind("e", exam.id()).mapTo(Integer.class).one())).isZero();
        assertThat(postRoster(l.browser(), l.page(), good, csrf).statusCode()).isEqualTo(200);
    }

    /**
     * The page's script in headless Chromium against a WireMock "edx-exams" over https: it reads the roster with the
     * edx-exams session cookie (SameSite=None) under CORS for the tool's origin, posts it, and the page shows the counts.
     */
    @Test
    void in_chromium_the_exams_page_reads_the_roster_from_edx_exams_with_its_session_and_shows_what_was_learned() throws Exception {
        kz.qatysu.tool.proctoring.browser.ProctoringChromium.assumeInstalled();
        com.github.tomakehurst.wiremock.WireMockServer edxExams = new com.github.tomakehurst.wiremock.WireMockServer(
                com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicHttpsPort());
        edxExams.start();
        java.nio.file.Path profile = java.nio.file.Files.createTempDirectory("qatysu-chromium-");
        org.openqa.selenium.chrome.ChromeOptions options = kz.qatysu.tool.proctoring.browser.ProctoringChromium.commonOptions(profile, null);
        options.addArguments("--headless=new", "--ignore-certificate-errors");
        // the staff's browser must let edx-exams' cookie go with the tool page's request (docs/PROCTORING.md "The
        // person"): this Chromium blocks third-party cookies unless told otherwise, as the administrator's policy does
        options.setExperimentalOption("prefs", Map.of("profile.cookie_controls_mode", 0, "profile.block_third_party_cookies", false));
        try (kz.qatysu.tool.proctoring.browser.ProctoringChromium chromium =
                     kz.qatysu.tool.proctoring.browser.ProctoringChromium.headless(options, profile)) {
            String toolOrigin = f.tool.baseUrl().replaceAll("/+$", "");
            String path = "/lti/exam/21/instructor_tool/roster";
            edxExams.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(path)
                    .withHeader("Origin", com.github.tomakehurst.wiremock.client.WireMock.equalTo(toolOrigin))
                    .withCookie("edx_exams_sessionid", com.github.tomakehurst.wiremock.client.WireMock.equalTo("staff-session"))
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("""
                                    [["%s", "aliya"], ["%s", "bolat"], ["%s", "someone"]]""".formatted(CHROMIUM_ALIYA, CHROMIUM_BOLAT, CHROMIUM_STRANGER))
                            .withHeader("Access-Control-Allow-Origin", toolOrigin)
                            .withHeader("Access-Control-Allow-Credentials", "true")
                            .withHeader("Vary", "Origin")));
            // without the session (or from another origin) edx-exams refuses: 403, readable to the tool's origin
            edxExams.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(com.github.tomakehurst.wiremock.client.WireMock.anyUrl())
                    .atPriority(10).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(403)
                            .withHeader("Content-Type", "text/html").withBody("<p>edx-exams: not signed in</p>")
                            .withHeader("Access-Control-Allow-Origin", toolOrigin)
                            .withHeader("Access-Control-Allow-Credentials", "true")));
            Exam exam = exam("oex-chromium", Exam.Checks.NONE);
            String rl = "block-v1:KazNU+ALG101+2026_T1+type@lti_consumer+block@chromium";
            link(exam.id(), rl);
            Landed l = instructorToolLanding(rl, "127.0.0.1:" + edxExams.httpsPort() + path);
            org.openqa.selenium.WebDriver driver = chromium.driver();
            // the staff's edx-exams session (as edx-exams sets it: SameSite=None; Secure) and their Qatysu session
            edxExams.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/login").willReturn(
                    com.github.tomakehurst.wiremock.client.WireMock.ok("<p>edx-exams</p>").withHeader("Content-Type", "text/html")));
            driver.get("https://127.0.0.1:" + edxExams.httpsPort() + "/login");
            driver.manage().addCookie(new org.openqa.selenium.Cookie.Builder("edx_exams_sessionid", "staff-session")
                    .path("/").isSecure(true).sameSite("None").build());
            driver.get(f.tool.baseUrl() + "/health");
            l.browser().cookies().forEach((name, value) -> driver.manage().addCookie(new org.openqa.selenium.Cookie(name, value, "/")));
            driver.get(f.tool.baseUrl() + l.page());
            new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> {
                String state = d.findElement(org.openqa.selenium.By.id("openedx-roster")).getAttribute("data-state");
                return "learned".equals(state) || "failed".equals(state);
            });
            org.openqa.selenium.WebElement problem = driver.findElement(org.openqa.selenium.By.id("roster-problem"));
            assertThat(driver.findElement(org.openqa.selenium.By.id("openedx-roster")).getAttribute("data-state"))
                    .as(problem.getText() + " — edx-exams heard: " + edxExams.getAllServeEvents().stream()
                            .map(e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl() + " " + e.getRequest().getHeaders())
                            .toList()).isEqualTo("learned");
            assertThat(driver.findElement(org.openqa.selenium.By.id("roster-counts")).getText())
                    .isEqualTo("2 learners known by name, 1 unknown");
            // the learner is now known: their start runs as P-1001
            Launched aliya = launch("LtiStartProctoring", edxExamsLearner(rl, CHROMIUM_ALIYA, 1));
            assertThat(aliya.response().statusCode()).isEqualTo(303);
            assertThat(attempts().repository().find(repository().find(platformId, rl, CHROMIUM_ALIYA, 1).orElseThrow().attemptId())
                    .orElseThrow().personId()).isEqualTo("P-1001");
            // the button reads it again
            int before = edxExams.getAllServeEvents().size();
            driver.findElement(org.openqa.selenium.By.id("roster-refresh")).click();
            new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(20))
                    .until(d -> edxExams.getAllServeEvents().size() > before);
        } finally {
            edxExams.stop();
        }
    }

    @Test
    void roster_urls_are_https_with_or_without_the_scheme_and_nothing_else() {
        assertThat(EdxRoster.rosterUrl("exams.kaznu.kz/lti/exam/3/instructor_tool/roster")).hasValueSatisfying(u ->
                assertThat(u.toString()).isEqualTo("https://exams.kaznu.kz/lti/exam/3/instructor_tool/roster"));
        assertThat(EdxRoster.rosterUrl("localhost:18740/lti/exam/3/instructor_tool/roster")).hasValueSatisfying(u ->
                assertThat(EdxRoster.origin(u)).isEqualTo("https://localhost:18740"));
        assertThat(EdxRoster.rosterUrl("https://Exams.KazNU.kz:443/lti/exam/3/instructor_tool/roster")).hasValueSatisfying(u ->
                assertThat(EdxRoster.origin(u)).isEqualTo("https://exams.kaznu.kz"));
        for (String refused : new String[]{"http://exams.kaznu.kz/r", "ftp://exams.kaznu.kz/r", "javascript:alert(1)",
                "https://user@exams.kaznu.kz/r", "https://exams.kaznu.kz/r#x", "/lti/exam/3", "https:///r", "", " ",
                "exams.kaznu.kz/r x", "data:text/html,hi"}) {
            assertThat(EdxRoster.rosterUrl(refused)).as(refused).isEmpty();
        }
    }

    // ---- ACS -------------------------------------------------------------------------------------------------------

    @Test
    void a_violation_verdict_sends_terminate_and_violations_send_flag_through_the_outbox_which_retries_while_the_lms_is_down() {
        Exam exam = exam("oex-acs", Exam.Checks.NONE);
        String rl = "block-v1:KazNU+ALG101+2026_T1+type@lti_consumer+block@acs";
        link(exam.id(), rl);
        assertThat(launch("LtiStartProctoring", link(rl, 1).andThen(c -> c.put(AP + "acs", Map.of(
                "assessment_control_url", services.base() + "/acs", "actions", List.of("terminate", "flag")))))
                .response().statusCode()).isEqualTo(303);
        OpenEdxAttempt o = binding(rl, 1);
        assertThat(o.acsOffers("terminate")).isTrue();
        attempts().consent(o.attemptId());
        attempts().start(exam, o.attemptId(), UUID.randomUUID().toString());
        attempts().browserEvents(o.attemptId(), List.of(new AttemptService.BrowserEvent("evt-acs-0001", "SECOND_SCREEN",
                clock.instant(), "screen.isExtended")));
        attempts().decide(o.attemptId(), Verdict.Outcome.VIOLATION, "a second person answers the questions", "T-7");

        AcsOutbox outbox = new AcsOutbox(f.tool.database().jdbi(), f.tool.app().platforms(),
                new kz.qatysu.tool.lti.advantage.ServiceTokens(java.net.http.HttpClient.newHttpClient(), f.tool.app().toolKeys(),
                        clock, Duration.ofSeconds(5)), java.net.http.HttpClient.newHttpClient(), Duration.ofSeconds(5),
                new com.fasterxml.jackson.databind.ObjectMapper(), clock);
        services.down = true;
        int callsBefore = services.acsCalls.size();
        AcsOutbox.Pass down = outbox.run(10);
        assertThat(down.queued()).isGreaterThanOrEqualTo(1);
        assertThat(down.delivered()).isZero();
        assertThat(outbox.actionsOf(o.id())).allSatisfy(a -> {
            assertThat(a.deliveredAt()).isEmpty();
            assertThat(a.attempts()).isEqualTo(1);
            assertThat(a.lastError()).isPresent();
        });
        // nothing is due before its backoff; once it is, the LMS is back and every action arrives once
        services.down = false;
        assertThat(outbox.run(10).delivered()).isZero();
        try {
            clock.advance(AcsOutbox.FIRST_BACKOFF.plusSeconds(1));
            AcsOutbox.Pass up = outbox.run(10);
            assertThat(up.delivered()).isEqualTo(outbox.actionsOf(o.id()).size());
            assertThat(outbox.run(10).delivered()).isZero();
        } finally {
            clock.reset();
        }
        List<FakeOpenEdxServices.Call> calls = services.acsCalls.subList(callsBefore, services.acsCalls.size());
        assertThat(calls).allSatisfy(c -> assertThat(c.authorization()).isEqualTo("Bearer acs-token-1"));
        assertThat(calls).anySatisfy(c -> assertThat(c.body()).contains("\"action\":\"terminate\"", "\"reason_code\":\"1\"",
                "\"incident_severity\":1.00", "\"attempt_number\":1", "\"sub\":\"adf03f57-f166-5710-8d57-69a11ff3eca6\"",
                "\"id\":\"" + rl + "\"", "\"incident_time\":"));
        assertThat(calls).anySatisfy(c -> assertThat(c.body()).contains("\"action\":\"flag\""));
        assertThat(services.tokenRequests).anySatisfy(t -> assertThat(java.net.URLDecoder.decode(t, java.nio.charset.StandardCharsets.UTF_8))
                .contains("grant_type=client_credentials", "scope=https://purl.imsglobal.org/spec/lti-ap/scope/control.all"));
    }

    @Test
    void the_acs_backoff_doubles_from_thirty_seconds_up_to_an_hour() {
        assertThat(AcsOutbox.backoff(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(AcsOutbox.backoff(2)).isEqualTo(Duration.ofMinutes(1));
        assertThat(AcsOutbox.backoff(4)).isEqualTo(Duration.ofMinutes(4));
        assertThat(AcsOutbox.backoff(30)).isEqualTo(Duration.ofHours(1));
    }
}
