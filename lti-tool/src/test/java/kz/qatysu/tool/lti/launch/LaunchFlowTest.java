package kz.qatysu.tool.lti.launch;

import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LaunchFlowTest {
    static RunningTool tool;
    static TestPlatform platform;

    @BeforeAll
    static void start() {
        tool = RunningTool.start();
        platform = new TestPlatform("http://127.0.0.1:8100", "c5dFF2OU3Si4N9D", "1");
        new LtiFlow(tool, platform, new Browser()).register();
    }

    @AfterAll
    static void stop() {
        tool.close();
        platform.close();
    }

    @Test
    void login_redirects_to_the_platform_with_every_oidc_parameter() {
        var flow = new LtiFlow(tool, platform, new Browser());
        Map<String, String> auth = flow.login();
        assertThat(auth).containsEntry("scope", "openid").containsEntry("response_type", "id_token")
                .containsEntry("response_mode", "form_post").containsEntry("prompt", "none")
                .containsEntry("client_id", platform.clientId).containsEntry("redirect_uri", tool.baseUrl() + "/lti/launch")
                .containsEntry("login_hint", "5").containsEntry("lti_message_hint", "{\"cmid\":2,\"launchid\":\"ltilaunch1_1558409997\"}")
                .containsKeys("state", "nonce");
        assertThat(auth.get("state")).isNotEqualTo(auth.get("nonce")).hasSizeGreaterThan(20);
    }

    @Test
    void a_student_launch_lands_on_a_page_with_their_name_and_the_course_title() {
        var browser = new Browser();
        var flow = new LtiFlow(tool, platform, browser);
        var launch = flow.launch((nonce, target) -> LaunchClaims.moodleStudent(platform, nonce, target));
        assertThat(launch.statusCode()).as(launch.body()).isEqualTo(303);
        assertThat(launch.headers().allValues("Set-Cookie")).anySatisfy(c ->
                assertThat(c).startsWith("qs_").contains("HttpOnly", "Secure", "SameSite=None", "Partitioned"));
        var landing = flow.follow(launch);
        assertThat(landing.statusCode()).isEqualTo(200);
        assertThat(landing.body()).contains("Әлия Нұрланқызы", "Attendance and Proctoring 101", "ATT101-2025", "lang=\"kk\"");
    }

    @Test
    void a_teacher_launch_is_recognised_as_a_teacher_in_russian() {
        var browser = new Browser();
        var flow = new LtiFlow(tool, platform, browser);
        var landing = flow.follow(flow.launch((nonce, target) -> LaunchClaims.moodleTeacher(platform, nonce, target)));
        assertThat(landing.body()).contains("Айгүл Серікқызы", "преподаватель", "lang=\"ru\"");
    }

    @Test
    void the_same_id_token_posted_twice_is_refused_the_second_time() {
        var browser = new Browser();
        var flow = new LtiFlow(tool, platform, browser);
        Map<String, String> auth = flow.login();
        String token = platform.sign(LaunchClaims.moodleStudent(platform, auth.get("nonce"), flow.targetLinkUri()));
        assertThat(flow.post(token, auth.get("state")).statusCode()).isEqualTo(303);
        var replay = flow.post(token, auth.get("state"));
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.body()).contains("NONCE_REPLAYED").doesNotContain("Exception");
    }

    @Test
    void a_browser_that_already_kept_the_cookie_is_redirected_straight_to_the_platform() {
        var browser = new Browser();
        var flow = new LtiFlow(tool, platform, browser);
        flow.login();
        var form = Map.of("iss", platform.issuer, "login_hint", "5", "target_link_uri", flow.targetLinkUri(), "client_id", platform.clientId);
        var second = browser.postForm(tool.baseUrl() + "/lti/login", form);
        assertThat(second.statusCode()).isEqualTo(302);
        assertThat(second.headers().firstValue("Location").orElseThrow()).startsWith(platform.authLoginUrl() + "?");
    }

    @Test
    void a_launch_from_another_browser_than_the_login_is_refused() {
        var flow = new LtiFlow(tool, platform, new Browser());
        Map<String, String> auth = flow.login();
        String token = platform.sign(LaunchClaims.moodleStudent(platform, auth.get("nonce"), flow.targetLinkUri()));
        var other = new LtiFlow(tool, platform, new Browser());
        var r = other.post(token, auth.get("state"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("STATE_NOT_BOUND_TO_BROWSER");
    }

    @Test
    void a_course_page_without_the_launch_cookie_is_refused() {
        var flow = new LtiFlow(tool, platform, new Browser());
        var launch = flow.launch((nonce, target) -> LaunchClaims.moodleStudent(platform, nonce, target));
        var stranger = new Browser().get(tool.baseUrl() + launch.headers().firstValue("Location").orElseThrow());
        assertThat(stranger.statusCode()).isEqualTo(401);
        assertThat(stranger.body()).doesNotContain("Әлия");
    }
}
