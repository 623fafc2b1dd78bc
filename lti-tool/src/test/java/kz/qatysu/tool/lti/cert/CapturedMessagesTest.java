package kz.qatysu.tool.lti.cert;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.Fixtures;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real platform messages, re-signed by the test platform and played through the full login → launch flow: the
 * Moodle 4.5.6 id_tokens captured in captures/moodle-4.5 (header + decoded claims) and the Open edX simulator
 * messages. Only nonce, iat/exp (same lifetime) and the tool's host in target_link_uri are rewritten; iss, aud,
 * deployment_id, azp, role shapes ({@code #None}), context type, lis, locale ({@code pt_br}) stay as captured.
 */
class CapturedMessagesTest {
    static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";
    static final String MOODLE_TOOL = "http://127.0.0.1:8200";
    static final String OPENEDX_TOOL = "http://127.0.0.1:8080";

    static RunningTool tool;
    static TestPlatform moodle;        // manual registration: client c5dFF2OU3Si4N9D, deployment 1
    static TestPlatform moodleDynreg;  // dynamic registration: client BJ02Gxrexvg1EiD, deployment 2
    static TestPlatform openedx;

    @BeforeAll
    static void start() {
        tool = RunningTool.start();
        moodle = new TestPlatform("http://127.0.0.1:8100", "c5dFF2OU3Si4N9D", "1");
        moodleDynreg = new TestPlatform("http://127.0.0.1:8100", "BJ02Gxrexvg1EiD", "2");
        openedx = new TestPlatform("http://127.0.0.1:18000", "edx-sim-client-id", "1");
        for (TestPlatform p : List.of(moodle, moodleDynreg, openedx)) {
            new LtiFlow(tool, p, new Browser()).register();
        }
    }

    @AfterAll
    static void stop() {
        tool.close();
        moodle.close();
        moodleDynreg.close();
        openedx.close();
    }

    static Stream<Arguments> moodleLaunches() {
        return Fixtures.children(Fixtures.dir("captures/moodle-4.5")).stream()
                .filter(p -> p.getFileName().toString().matches("launch_\\d+_\\w+_Lti\\w+Request\\.json"))
                .map(p -> Arguments.of(p.getFileName().toString(), p));
    }

    @Test
    void all_eighteen_captured_moodle_launches_are_replayed() {
        assertThat(moodleLaunches()).hasSize(18);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("moodleLaunches")
    void a_captured_moodle_launch_is_accepted_and_mapped(String file, Path path) {
        Map<String, Object> claims = castMap(Fixtures.object(path).get("claims"));
        TestPlatform platform = moodle.clientId.equals(claims.get("aud")) ? moodle : moodleDynreg;
        var flow = new LtiFlow(tool, platform, new Browser());
        Map<String, String> auth = flow.login();
        rewrite(claims, auth.get("nonce"), MOODLE_TOOL);
        HttpResponse<String> launch = flow.post(sign(platform, claims), auth.get("state"));

        assertThat(launch.statusCode()).as(launch.body()).isEqualTo(303);
        String location = launch.headers().firstValue("Location").orElseThrow();
        if (file.contains("LtiDeepLinkingRequest")) {
            assertThat(location).startsWith("/app/").endsWith("deep-linking");
            return;
        }
        var landing = flow.follow(launch);
        assertThat(landing.statusCode()).as(landing.body()).isEqualTo(200);
        String user = file.split("_")[2];
        String roleText = switch (user) {
            case "student1", "student2" -> "signed in as a student";
            case "teacher1", "ta1" -> "signed in as a teacher"; // Moodle's non-editing teacher launches as Instructor
            case "admin" -> "signed in as an administrator";
            default -> throw new AssertionError("unexpected user " + user);
        };
        // pt_br (student2, launch 061) has no translation: the tool's default language (en in tests) is used
        assertThat(landing.body()).contains((String) claims.get("name"), "Attendance and Proctoring 101",
                "<code>ATT101-2025</code>", roleText, "lang=\"en\"");
    }

    @Test
    void a_moodle_student_with_locale_pt_br_falls_back_to_the_default_language() {
        Path path = Fixtures.dir("captures/moodle-4.5").resolve("launch_061_student2_LtiResourceLinkRequest.json");
        Map<String, Object> claims = castMap(Fixtures.object(path).get("claims"));
        assertThat(castMap(claims.get(LTI + "launch_presentation"))).containsEntry("locale", "pt_br");
        var flow = new LtiFlow(tool, moodle, new Browser());
        Map<String, String> auth = flow.login();
        rewrite(claims, auth.get("nonce"), MOODLE_TOOL);
        var landing = flow.follow(flow.post(sign(moodle, claims), auth.get("state")));
        assertThat(landing.body()).contains("lang=\"en\"", "Sara Schüler", "signed in as a student");
    }

    // ---- Open edX (simulator messages: GET login initiation, aud string + azp, #None roles, course key) ----

    static Map<String, Object> openedxMessage(String type) {
        return castMap(Fixtures.object(Fixtures.dir("captures").resolve("openedx-sim-messages.json")).get(type));
    }

    /** Open edX's GET login initiation as captured, pointed at the running tool; returns the auth request. */
    static Map<String, String> openedxLogin(Browser browser, Map<String, Object> message) {
        Map<String, String> query = new LinkedHashMap<>();
        Browser.queryOf((String) message.get("login_initiation_url"))
                .forEach((k, v) -> query.put(k, v.replace(OPENEDX_TOOL, tool.baseUrl())));
        var r = browser.get(tool.baseUrl() + URI.create((String) message.get("login_initiation_url")).getPath() + "?" + Browser.encode(query));
        return Browser.queryOf(Browser.authRedirect(r));
    }

    static HttpResponse<String> openedxLaunch(Browser browser, Map<String, Object> message) {
        Map<String, String> auth = openedxLogin(browser, message);
        Map<String, Object> claims = castMap(message.get("id_token_payload"));
        rewrite(claims, auth.get("nonce"), OPENEDX_TOOL);
        return new LtiFlow(tool, openedx, browser).post(sign(openedx, claims), auth.get("state"));
    }

    @Test
    void an_open_edx_learner_launch_is_accepted_as_a_student_on_a_local_section_until_the_course_key_is_linked() {
        var browser = new Browser();
        Map<String, Object> message = openedxMessage("LtiResourceLinkRequest");
        assertThat(castMap(message.get("id_token_payload"))).containsEntry("azp", "edx-sim-client-id");
        HttpResponse<String> launch = openedxLaunch(browser, message);
        assertThat(launch.statusCode()).as(launch.body()).isEqualTo(303);
        var landing = new LtiFlow(tool, openedx, browser).follow(launch);
        assertThat(landing.statusCode()).isEqualTo(200);
        // no portal section is linked to the course key (the daemon's openedxCourseKey, or the dean's mapping): the
        // course is not shown as a portal section (course.mapping.OpenEdxCourseTest covers the linked course)
        assertThat(landing.body()).contains("Ada Lovelace", "Demonstration Course", "signed in as a student", "lang=\"en\"")
                .doesNotContain("<code>course-v1:edX+DemoX+Demo_Course</code>");
    }

    @Test
    void an_open_edx_deep_linking_request_with_a_resource_link_lands_on_deep_linking() {
        Map<String, Object> message = openedxMessage("LtiDeepLinkingRequest");
        assertThat(castMap(message.get("id_token_payload"))).containsKey(LTI + "resource_link");
        HttpResponse<String> launch = openedxLaunch(new Browser(), message);
        assertThat(launch.statusCode()).as(launch.body()).isEqualTo(303);
        assertThat(launch.headers().firstValue("Location").orElseThrow()).startsWith("/app/").endsWith("deep-linking");
    }

    /**
     * Proctoring messages pass every launch check; the simulator's block is linked to no exam and no attempt was started
     * through the tool, so they are refused by their own reason codes (issue 11; OpenEdxProctoringTest links one).
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({"LtiStartProctoring,UNKNOWN_PROCTORED_EXAM", "LtiEndAssessment,UNKNOWN_PROCTORING_ATTEMPT"})
    void an_open_edx_proctoring_message_of_an_unlinked_exam_is_refused_cleanly_by_its_reason_code(String type, String code) {
        HttpResponse<String> r = openedxLaunch(new Browser(), openedxMessage(type));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(r.body()).contains("<code>" + code + "</code>").doesNotContain("Exception", "UNSUPPORTED_MESSAGE_TYPE");
    }

    // ---- helpers ----

    /** Fresh nonce and timestamps (same lifetime as captured), and the running tool's host in target_link_uri. */
    static void rewrite(Map<String, Object> claims, String nonce, String capturedToolUrl) {
        long now = Instant.now().getEpochSecond();
        long lifetime = ((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue();
        claims.put("nonce", nonce);
        claims.put("iat", now);
        claims.put("exp", now + lifetime);
        if (claims.get(LTI + "target_link_uri") instanceof String target) {
            claims.put(LTI + "target_link_uri", target.replace(capturedToolUrl, tool.baseUrl()));
        }
    }

    /** Signed like the capture's header ({@code typ JWT, alg RS256, kid}), with the test platform's key and kid. */
    static String sign(TestPlatform platform, Map<String, Object> claims) {
        return TestPlatform.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(platform.key().getKeyID()).build(), claims, platform.key());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }
}
