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
 * The final exam gate reaches the LMS beside the attendance lock: a second line item "Final exam admission" (1 admitted,
 * 0 not) is created on the same resource link by its own tag and follows the decision over attendance and rating —
 * each score posted once per change, the attendance item untouched by a rating change.
 */
class ExamAdmissionScoresTest extends MoodleAgsCourse {
    @Test
    void the_final_exam_item_is_created_beside_the_attendance_one_and_follows_the_rating_and_the_overrides() throws Exception {
        launchAsStudent(new Browser());
        tool.app().publishAdmissionScores();
        assertThat(scores()).singleElement().satisfies(r -> assertThat(r.getBodyAsString()).contains("\"scoreGiven\":1,"));
        assertThat(examScores()).singleElement().satisfies(r -> assertThat(r.getBodyAsString())
                .contains("\"userId\":\"5\"", "\"scoreGiven\":0,", "\"scoreMaximum\":1,", "NOT_ADMITTED"));
        assertThat(lms.findAll(postRequestedFor(urlPathEqualTo("/mod/lti/services.php/2/lineitems"))))
                .as("one line item each, on the same resource link")
                .extracting(LoggedRequest::getBodyAsString)
                .anySatisfy(b -> assertThat(b).contains("\"label\":\"Final exam admission\"", "\"resourceLinkId\":\"1\"",
                        "\"tag\":\"qatysu-final-exam-admission\""))
                .anySatisfy(b -> assertThat(b).contains("\"tag\":\"qatysu-attendance-admission\""))
                .hasSize(2);

        // 150 of 300: admitted on the rating; only the exam item moves
        assertThat(api("PUT", "/api/v1/sections/" + SECTION + "/scores", "[{\"personId\":\"P-1001\",\"component\":\"RK1\",\"points\":50},"
                + "{\"personId\":\"P-1001\",\"component\":\"MT\",\"points\":50},{\"personId\":\"P-1001\",\"component\":\"RK2\",\"points\":50}]")
                .statusCode()).isEqualTo(200);
        tool.app().publishAdmissionScores();
        assertThat(examScores()).hasSize(2);
        assertThat(last(examScores())).contains("\"scoreGiven\":1,");
        assertThat(scores()).hasSize(1);
        tool.app().publishAdmissionScores();       // nothing changed: nothing posted
        assertThat(examScores()).hasSize(2);
        assertThat(scores()).hasSize(1);

        markAbsent(1, 2, 3, 4);                   // 40 %: both gates close
        tool.app().publishAdmissionScores();
        assertThat(last(scores())).contains("\"scoreGiven\":0,");
        assertThat(last(examScores())).contains("\"scoreGiven\":0,");

        // the dean's office admits to the final exam: the exam item opens, the in-term lock stays
        assertThat(api("POST", "/api/v1/sections/" + SECTION + "/admission-overrides",
                "{\"personId\":\"P-1001\",\"state\":\"ADMITTED\",\"reason\":\"dean's order 12\"}").statusCode()).isEqualTo(201);
        tool.app().publishAdmissionScores();
        assertThat(last(examScores())).contains("\"scoreGiven\":1,");
        assertThat(scores()).hasSize(2);
        assertThat(tool.app().lockPublisher().examDeliveries(SECTION).get("P-1001").postedState()).isEqualTo("ADMITTED");
    }

    @Test
    void a_failed_exam_post_is_retried_after_a_backoff_without_holding_up_the_attendance_item() throws Exception {
        lms.stubFor(post(urlPathEqualTo("/mod/lti/services.php/2/lineitems/8/lineitem/scores")).willReturn(aResponse().withStatus(503)));
        launchAsStudent(new Browser());
        tool.app().publishAdmissionScores();
        assertThat(scores()).hasSize(1);
        int attempts = examScores().size();
        assertThat(tool.app().lockPublisher().examDeliveries(SECTION).get("P-1001").lastError()).isNotNull();
        tool.app().publishAdmissionScores();      // within the backoff
        assertThat(examScores()).hasSize(attempts);
        lms.stubFor(post(urlPathEqualTo("/mod/lti/services.php/2/lineitems/8/lineitem/scores")).willReturn(aResponse().withStatus(200)));
        clock.advance(Duration.ofMinutes(3));
        tool.app().publishAdmissionScores();
        assertThat(examScores()).hasSize(attempts + 1);
        assertThat(tool.app().lockPublisher().examDeliveries(SECTION).get("P-1001").lastError()).isNull();
        assertThat(lms.findAll(postRequestedFor(urlPathEqualTo("/mod/lti/services.php/2/lineitems")))).as("created once").hasSize(2);
    }
}
