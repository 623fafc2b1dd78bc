package kz.qatysu.demo.platform;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo platform's LTI Proctoring Services, as Open edX runs them: "Start exam" starts an OIDC login whose
 * id_token is an LtiStartProctoring (session_data cached per learner, attempt_number counted), and
 * start_proctoring_assessment checks the tool's LtiStartAssessment as Open edX does — the wrong session_data,
 * attempt_number, message type or a post without the learner's session is 400, an unknown iss or resource link 404,
 * a bad signature or an expired token 500 (Open edX does not catch those) — then shows the exam; "Finish exam" sends
 * LtiEndAssessment (session_data null) when the tool asked for it.
 */
class ProctoredExamTest {
    private static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";
    private static final String AP = "https://purl.imsglobal.org/spec/lti-ap/claim/";
    private FakeTool tool;
    private DemoPlatform platform;

    @BeforeEach
    void start() {
        tool = new FakeTool();
        platform = DemoPlatform.start(new DemoPlatform.Settings(0, tool.baseUrl(), "edx-client-1", "1"));
    }

    @AfterEach
    void stop() {
        platform.stop();
        tool.close();
    }

    /** Starts the exam as P-1001 (user 5) and plays the tool's authentication request; returns the id_token's claims. */
    private JWTClaimsSet startProctoring(PlatformBrowser learner) throws Exception {
        assertThat(learner.get(platform.proctoredExamUrl("P-1001")).body()).contains("id=\"start-exam\"");
        return launch(learner, platform.issuer() + ProctoredExam.START);
    }

    private JWTClaimsSet launch(PlatformBrowser learner, String url) throws Exception {
        HttpResponse<String> start = learner.get(url);
        assertThat(start.statusCode()).isEqualTo(302);
        String login = start.headers().firstValue("Location").orElseThrow();
        assertThat(login).startsWith(tool.baseUrl() + "/lti/login?");
        Map<String, String> q = new HashMap<>();
        for (String kv : URI.create(login).getRawQuery().split("&")) {
            String[] p = kv.split("=", 2);
            q.put(p[0], java.net.URLDecoder.decode(p[1], java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(q).containsEntry("client_id", "edx-client-1").containsEntry("lti_deployment_id", "1")
                .containsEntry("target_link_uri", tool.baseUrl() + "/lti/launch").containsEntry("login_hint", "5");
        HttpResponse<String> auth = learner.authorize(platform, PlatformBrowser.authRequest(q, tool.baseUrl() + "/lti/launch",
                "state-1", "nonce-1"));
        assertThat(auth.statusCode()).as(auth.body()).isEqualTo(200);
        return SignedJWT.parse(PlatformBrowser.hiddenFields(auth.body()).get("id_token")).getJWTClaimsSet();
    }

    private Map<String, Object> startAssessment(JWTClaimsSet launch, Consumer<Map<String, Object>> edit) {
        Map<String, Object> c = new HashMap<>();
        long now = Instant.now().getEpochSecond();
        c.put("iss", "edx-client-1");
        c.put("aud", platform.issuer());
        c.put("iat", now);
        c.put("exp", now + 300);
        c.put("nonce", "n-" + now);
        c.put(LTI + "message_type", "LtiStartAssessment");
        c.put(LTI + "version", "1.3.0");
        c.put(LTI + "deployment_id", "1");
        c.put(LTI + "resource_link", launch.getClaim(LTI + "resource_link"));
        c.put(AP + "session_data", launch.getClaim(AP + "session_data"));
        c.put(AP + "attempt_number", launch.getClaim(AP + "attempt_number"));
        c.put(AP + "end_assessment_return", true);
        edit.accept(c);
        return c;
    }

    private HttpResponse<String> post(PlatformBrowser browser, String jwt) {
        return browser.postForm(platform.issuer() + ProctoredExam.START_ASSESSMENT, Map.of("JWT", jwt));
    }

    @Test
    void start_proctoring_is_shaped_like_open_edx_and_counts_attempts_with_one_cached_session_data() throws Exception {
        PlatformBrowser learner = new PlatformBrowser();
        JWTClaimsSet first = startProctoring(learner);
        assertThat(first.getClaim(LTI + "message_type")).isEqualTo("LtiStartProctoring");
        assertThat(first.getAudience()).containsExactly("edx-client-1");
        assertThat(first.getClaim("azp")).isEqualTo("edx-client-1");
        assertThat(first.getClaim(AP + "attempt_number")).isEqualTo(1L);
        assertThat((String) first.getClaim(AP + "session_data")).hasSize(32);
        assertThat(first.getClaim(AP + "start_assessment_url")).isEqualTo(platform.issuer() + ProctoredExam.START_ASSESSMENT);
        assertThat(first.getClaim(LTI + "resource_link")).isEqualTo(Map.of("id", DemoPlatform.proctoredExamBlockId()));
        // the system check again before the exam started: the same attempt; after a submitted one: the next number
        assertThat(launch(learner, platform.issuer() + ProctoredExam.START).getClaim(AP + "attempt_number")).isEqualTo(1L);
        assertThat(post(learner, tool.sign(startAssessment(first, c -> { }))).statusCode()).isEqualTo(200);
        JWTClaimsSet end = launch(learner, platform.issuer() + ProctoredExam.FINISH);
        assertThat(end.getClaim(LTI + "message_type")).isEqualTo("LtiEndAssessment");
        assertThat(end.getClaim(AP + "attempt_number")).isEqualTo(1L);
        assertThat(end.getClaim(AP + "session_data")).isNull();
        JWTClaimsSet second = launch(learner, platform.issuer() + ProctoredExam.START);
        assertThat(second.getClaim(AP + "attempt_number")).isEqualTo(2L);
        assertThat(second.getClaim(AP + "session_data")).isEqualTo(first.getClaim(AP + "session_data"));
    }

    @Test
    void a_correct_start_assessment_sends_the_learner_back_to_the_exam() throws Exception {
        PlatformBrowser learner = new PlatformBrowser();
        JWTClaimsSet launch = startProctoring(learner);
        HttpResponse<String> r = post(learner, tool.sign(startAssessment(launch, c -> { })));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Sending you back to your exam.", "Return to exam");
        assertThat(learner.get(platform.issuer() + ProctoredExam.PAGE).body()).contains("id=\"exam-content\"", "id=\"finish-exam\"");
    }

    @Test
    void a_wrong_start_assessment_is_refused_as_open_edx_refuses_it() throws Exception {
        PlatformBrowser learner = new PlatformBrowser();
        JWTClaimsSet launch = startProctoring(learner);
        assertThat(post(learner, tool.sign(startAssessment(launch, c -> c.put(AP + "session_data", "x".repeat(32)))))
                .statusCode()).isEqualTo(400);
        assertThat(post(learner, tool.sign(startAssessment(launch, c -> c.put(AP + "attempt_number", 5)))).statusCode()).isEqualTo(400);
        assertThat(post(learner, tool.sign(startAssessment(launch, c -> c.put(LTI + "message_type", "LtiStartProctoring")))).body())
                .contains("message_type");
        assertThat(post(learner, tool.sign(startAssessment(launch, c -> c.remove(AP + "session_data")))).statusCode()).isEqualTo(400);
        assertThat(post(learner, tool.sign(startAssessment(launch, c -> c.put(LTI + "resource_link", Map.of("id", "block-v1:other")))))
                .statusCode()).isEqualTo(404);
        assertThat(post(learner, tool.sign(startAssessment(launch, c -> c.put("iss", "another-client")))).statusCode()).isEqualTo(404);
        assertThat(post(learner, FakeTool.sign(FakeTool.newKey("tool-key-1"), JWTClaimsSet.parse(startAssessment(launch, c -> { }))))
                .statusCode()).isEqualTo(500);
        assertThat(post(learner, tool.sign(startAssessment(launch, c -> c.put("exp", Instant.now().getEpochSecond() - 60))))
                .statusCode()).isEqualTo(500);
        // the right JWT from a browser without the learner's platform session
        assertThat(post(new PlatformBrowser(), tool.sign(startAssessment(launch, c -> { }))).statusCode()).isEqualTo(400);
        assertThat(learner.get(platform.issuer() + ProctoredExam.PAGE).body()).doesNotContain("id=\"exam-content\"");
    }
}
