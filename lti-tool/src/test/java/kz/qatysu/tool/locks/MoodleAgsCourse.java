package kz.qatysu.tool.locks;

import kz.qatysu.tool.testing.SteppedClock;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.MoodleLineItems;
import kz.qatysu.tool.lti.advantage.NewLineItem;
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
 * A course launched from a Moodle 4.5-shaped LMS (WireMock: its token endpoint, a line-item container that lists what
 * was created ({@link MoodleLineItems}) and score endpoints for the "Attendance admission" item 7 and the "Final exam
 * admission" item 8) against the real tool, with a
 * section of ten one-hour sessions and one student, P-1001: what the lock tests share.
 */
abstract class MoodleAgsCourse {
    static final String SECTION = "ATT101-2025";
    static final String LINE_ITEMS = "/mod/lti/services.php/2/lineitems";
    RunningTool tool;
    TestPlatform platform;
    WireMockServer lms;
    MoodleLineItems lineItems;
    SteppedClock clock = new SteppedClock(Instant.now());
    HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        lineItems = new MoodleLineItems(Map.of(NewLineItem.ADMISSION_TAG, 7, NewLineItem.EXAM_ADMISSION_TAG, 8));
        lms = new WireMockServer(WireMockConfiguration.options().dynamicPort().extensions(lineItems));
        lms.start();
        // Moodle 4.5 answers the token request with Content-Type text/html (captures/advantage_01)
        lms.stubFor(post(urlPathEqualTo("/mod/lti/token.php")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html; charset=utf-8")
                .withBody("{\"access_token\":\"0c4bbb8b9a3e1c1ea2b9e1f1c6d5a4e3\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                        + "\"scope\":\"https://purl.imsglobal.org/spec/lti-ags/scope/lineitem https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly https://purl.imsglobal.org/spec/lti-ags/scope/score\"}")));
        // the container lists what was created, filtered like Moodle's
        lineItems.stub(lms, LINE_ITEMS);
        lms.stubFor(post(urlPathEqualTo("/mod/lti/services.php/2/lineitems/7/lineitem/scores")).willReturn(aResponse().withStatus(200)));
        lms.stubFor(post(urlPathEqualTo("/mod/lti/services.php/2/lineitems/8/lineitem/scores")).willReturn(aResponse().withStatus(200)));

        tool = RunningTool.start(Map.of(), clock);
        platform = new TestPlatform("http://127.0.0.1:8100", "c5dFF2OU3Si4N9D", "1");
        String registration = platform.registrationJson().replace(platform.tokenUrl(), lms.baseUrl() + "/mod/lti/token.php");
        assertThat(api("POST", "/api/v1/admin/platforms", registration).statusCode()).isEqualTo(201);

        // the daemon's view of the portal: section, roster, ten one-hour sessions
        api("PUT", "/api/v1/sections/" + SECTION, "{\"title\":\"Attendance 101\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\"}");
        api("PUT", "/api/v1/sections/" + SECTION + "/enrolments", "[{\"personId\":\"P-1001\",\"role\":\"student\"},{\"personId\":\"T-7\",\"role\":\"teacher\"}]");
        String sessions = IntStream.rangeClosed(1, 10).mapToObj(i -> String.format(
                "{\"sessionId\":\"S-%d\",\"start\":\"2026-09-%02dT08:00:00+05:00\",\"end\":\"2026-09-%02dT08:50:00+05:00\",\"kind\":\"lecture\",\"hours\":1}",
                i, i + 1, i + 1)).collect(Collectors.joining(",", "[", "]"));
        assertThat(api("PUT", "/api/v1/sections/" + SECTION + "/sessions", sessions).statusCode()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        tool.close();
        platform.close();
        lms.stop();
    }

    HttpResponse<String> api(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(tool.baseUrl() + path))
                .header("Authorization", "Bearer " + RunningTool.ADMIN_TOKEN).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A student's launch of the Attendance activity, its AGS endpoint on the fake LMS. */
    LtiFlow launchAsStudent(Browser browser) {
        LtiFlow flow = new LtiFlow(tool, platform, browser);
        var r = flow.launch((nonce, target) -> withAgs(LaunchClaims.moodleStudent(platform, nonce, target)));
        assertThat(r.statusCode()).isEqualTo(303);
        return flow;
    }

    Map<String, Object> withAgs(Map<String, Object> claims) {
        claims.put("https://purl.imsglobal.org/spec/lti-ags/claim/endpoint", Map.of(
                "scope", List.of("https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                        "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
                        "https://purl.imsglobal.org/spec/lti-ags/scope/score"),
                "lineitems", lms.baseUrl() + "/mod/lti/services.php/2/lineitems?type_id=1"));
        claims.put(LaunchClaims.LTI + "custom", Map.of("qatysu_resource", "attendance"));
        return claims;
    }

    List<LoggedRequest> scores() {
        return lms.findAll(postRequestedFor(urlPathEqualTo("/mod/lti/services.php/2/lineitems/7/lineitem/scores")));
    }

    List<LoggedRequest> examScores() {
        return lms.findAll(postRequestedFor(urlPathEqualTo("/mod/lti/services.php/2/lineitems/8/lineitem/scores")));
    }

    static String last(List<LoggedRequest> posted) {
        return posted.get(posted.size() - 1).getBodyAsString();
    }

    void markAbsent(int... sessions) throws Exception {
        for (int s : sessions) {
            assertThat(api("PUT", "/api/v1/sessions/S-" + s + "/marks", "[{\"personId\":\"P-1001\",\"status\":\"ABSENT\"}]").statusCode()).isEqualTo(200);
        }
    }
}
