package kz.qatysu.tool.locks;

import kz.qatysu.tool.testing.SteppedClock;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock reaches the LMS without plugins: a student's admission score (1 admitted, 0 locked) is posted to the
 * course's "Attendance admission" line item through AGS, kept in step with their standing, retried when the
 * platform fails, and never posted twice.
 */
class LockEnforcementTest extends MoodleAgsCourse {
    @Test
    void an_admitted_student_gets_1_and_crossing_30_percent_posts_0_to_the_same_line_item() throws Exception {
        launchAsStudent(new Browser());
        tool.app().publishAdmissionScores();
        assertThat(scores()).singleElement().satisfies(r -> {
            assertThat(r.getHeader("Content-Type")).startsWith("application/vnd.ims.lis.v1.score+json");
            assertThat(r.getHeader("Authorization")).isEqualTo("Bearer 0c4bbb8b9a3e1c1ea2b9e1f1c6d5a4e3");
            assertThat(r.getBodyAsString()).contains("\"userId\":\"5\"", "\"scoreGiven\":1,", "\"scoreMaximum\":1,",
                    "\"gradingProgress\":\"FullyGraded\"");
        });
        assertThat(scores().get(0).getUrl()).endsWith("/scores?type_id=1");
        // the line item was created once, tied to the resource link, with our tag
        assertThat(lms.findAll(postRequestedFor(urlPathEqualTo("/mod/lti/services.php/2/lineitems"))
                        .withRequestBody(containing("Attendance admission")))).singleElement()
                .satisfies(r -> assertThat(r.getBodyAsString()).contains("\"resourceLinkId\":\"1\"", "\"tag\":\"qatysu-attendance-admission\""));

        markAbsent(1, 2, 3);          // 3 of 10 hours: exactly 30 % — still admitted (lock is > 30 %)
        tool.app().publishAdmissionScores();
        assertThat(scores()).hasSize(1);
        markAbsent(4);                // 40 %: locked
        tool.app().publishAdmissionScores();
        assertThat(scores()).hasSize(2);
        assertThat(scores().get(1).getBodyAsString()).contains("\"scoreGiven\":0,");

        tool.app().publishAdmissionScores();   // nothing changed: nothing posted
        assertThat(scores()).hasSize(2);
    }

    @Test
    void a_dean_override_to_admitted_posts_1_again() throws Exception {
        launchAsStudent(new Browser());
        markAbsent(1, 2, 3, 4, 5);
        tool.app().publishAdmissionScores();
        assertThat(scores().get(scores().size() - 1).getBodyAsString()).contains("\"scoreGiven\":0,");
        assertThat(api("POST", "/api/v1/sections/" + SECTION + "/overrides",
                "{\"personId\":\"P-1001\",\"state\":\"ADMITTED\",\"reason\":\"dean's order 12\"}").statusCode()).isBetween(200, 201);
        tool.app().publishAdmissionScores();
        assertThat(scores().get(scores().size() - 1).getBodyAsString()).contains("\"scoreGiven\":1,");
    }

    @Test
    void a_platform_failure_is_retried_after_a_backoff_and_shown_to_the_teacher() throws Exception {
        lms.stubFor(post(urlPathEqualTo("/mod/lti/services.php/2/lineitems/7/lineitem/scores")).willReturn(aResponse().withStatus(503)));
        launchAsStudent(new Browser());
        tool.app().publishAdmissionScores();
        int attempts = scores().size();
        assertThat(attempts).isGreaterThanOrEqualTo(1);
        tool.app().publishAdmissionScores();          // still within the backoff: no new attempt
        assertThat(scores()).hasSize(attempts);

        Browser teacher = new Browser();
        LtiFlow flow = new LtiFlow(tool, platform, teacher);
        var launch = flow.launch((nonce, target) -> withAgs(LaunchClaims.moodleTeacher(platform, nonce, target)));
        String gate = teacher.get(tool.baseUrl() + launch.headers().firstValue("Location").orElseThrow() + "exam-gate").body();
        assertThat(gate).contains("P-1001", "не отправлено");   // the teacher launches in Russian

        lms.stubFor(post(urlPathEqualTo("/mod/lti/services.php/2/lineitems/7/lineitem/scores")).willReturn(aResponse().withStatus(200)));
        clock.advance(Duration.ofMinutes(3));
        tool.app().publishAdmissionScores();
        assertThat(scores()).hasSize(attempts + 1);
        var delivery = tool.app().lockPublisher().deliveries(SECTION).get("P-1001");
        assertThat(delivery.lastError()).isNull();
        assertThat(delivery.postedState()).isEqualTo("OK");
    }

    @Test
    void the_student_exam_gate_says_why_they_are_locked_and_sees_only_their_own_standing() throws Exception {
        Browser browser = new Browser();
        LtiFlow flow = new LtiFlow(tool, platform, browser);
        var launch = flow.launch((nonce, target) -> {
            Map<String, Object> c = withAgs(LaunchClaims.moodleStudent(platform, nonce, target));
            c.put(LaunchClaims.LTI + "launch_presentation", Map.of("locale", "en"));
            return c;
        });
        markAbsent(1, 2, 3, 4);
        String page = browser.get(tool.baseUrl() + launch.headers().firstValue("Location").orElseThrow() + "exam-gate").body();
        assertThat(page).contains("id=\"gate-locked\"", "40 %", "4 of 10 planned hours").doesNotContain("gate-table");
    }

}
