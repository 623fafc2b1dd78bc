package kz.qatysu.tool.lti.deeplinking;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class DeepLinkingTest {
    static final String DL = "https://purl.imsglobal.org/spec/lti-dl/claim/";
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

    static Map<String, Object> deepLinkingRequest(String nonce, String target, boolean multiple, Object data) {
        Map<String, Object> c = LaunchClaims.moodleTeacher(platform, nonce, target);
        c.remove(LaunchClaims.LTI + "resource_link");
        c.put(LaunchClaims.LTI + "message_type", "LtiDeepLinkingRequest");
        c.put(LaunchClaims.LTI + "launch_presentation", Map.of("locale", "en"));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("accept_types", List.of("ltiResourceLink"));
        settings.put("accept_presentation_document_targets", List.of("frame", "iframe", "window"));
        settings.put("accept_multiple", multiple);
        settings.put("auto_create", false);
        settings.put("deep_link_return_url", platform.issuer + "/mod/lti/contentitem_return.php?course=2&id=1&sesskey=abc");
        if (data != null) {
            settings.put("data", data);
        }
        c.put(DL + "deep_linking_settings", settings);
        return c;
    }

    record Opened(Browser browser, LtiFlow flow, String pageUrl, String csrf) {
    }

    static Opened open(boolean multiple, Object data) {
        Browser browser = new Browser();
        LtiFlow flow = new LtiFlow(tool, platform, browser);
        HttpResponse<String> launch = flow.launch((n, t) -> deepLinkingRequest(n, t, multiple, data));
        assertThat(launch.statusCode()).isEqualTo(303);
        String location = launch.headers().firstValue("Location").orElseThrow();
        assertThat(location).endsWith("/deep-linking");
        HttpResponse<String> page = flow.follow(launch);
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(m.find()).isTrue();
        return new Opened(browser, flow, tool.baseUrl() + location, m.group(1));
    }

    static SignedJWT postedJwt(HttpResponse<String> autopost) throws Exception {
        Matcher m = Pattern.compile("name=\"JWT\" value=\"([^\"]+)\"").matcher(autopost.body());
        assertThat(m.find()).as(autopost.body()).isTrue();
        SignedJWT jwt = SignedJWT.parse(m.group(1));
        JWKSet jwks = JWKSet.parse(new Browser().get(tool.baseUrl() + "/.well-known/jwks.json").body());
        RSAKey key = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("the response's kid is published in the tool JWKS").isNotNull();
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        return jwt;
    }

    @Test
    void the_teacher_sees_both_resources_offered() {
        Opened o = open(true, null);
        String body = o.browser().get(o.pageUrl()).body();
        assertThat(body).contains("Attendance", "Exam gate", "type=\"checkbox\"");
    }

    @Test
    void choosing_attendance_auto_posts_a_signed_response_to_the_return_url_echoing_data() throws Exception {
        Opened o = open(true, "909708");
        HttpResponse<String> r = o.browser().postForm(o.pageUrl(), Map.of("_csrf", o.csrf(), "resource", "attendance"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("action=\"" + platform.issuer + "/mod/lti/contentitem_return.php?course=2&amp;id=1&amp;sesskey=abc\"");
        SignedJWT jwt = postedJwt(r);
        var claims = jwt.getJWTClaimsSet();
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
        assertThat(claims.getIssuer()).isEqualTo(platform.clientId);
        assertThat(claims.getAudience()).containsExactly(platform.issuer);
        assertThat(claims.getStringClaim("nonce")).isNotBlank();
        assertThat(claims.getExpirationTime()).isAfter(claims.getIssueTime());
        assertThat(claims.getStringClaim("https://purl.imsglobal.org/spec/lti/claim/message_type")).isEqualTo("LtiDeepLinkingResponse");
        assertThat(claims.getStringClaim("https://purl.imsglobal.org/spec/lti/claim/version")).isEqualTo("1.3.0");
        assertThat(claims.getStringClaim("https://purl.imsglobal.org/spec/lti/claim/deployment_id")).isEqualTo("1");
        assertThat(claims.getClaim(DL + "data")).isEqualTo("909708");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) claims.getClaim(DL + "content_items");
        assertThat(items).singleElement().satisfies(item -> {
            assertThat(item).containsEntry("type", "ltiResourceLink").containsEntry("title", "Attendance")
                    .containsEntry("url", tool.baseUrl() + "/lti/launch")
                    .containsEntry("custom", Map.of("qatysu_resource", "attendance"));
            assertThat(item.get("lineItem")).isEqualTo(Map.of("label", "Attendance", "scoreMaximum", 1L,
                    "resourceId", "qatysu-attendance-admission", "tag", "qatysu-attendance-admission"));
        });
    }

    @Test
    void the_exam_gate_link_carries_no_line_item_so_moodle_makes_no_grade_column_for_it() throws Exception {
        Opened o = open(true, null);
        HttpResponse<String> r = o.browser().postForm(o.pageUrl(), Map.of("_csrf", o.csrf(), "resource", "exam-gate"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) postedJwt(r).getJWTClaimsSet().getClaim(DL + "content_items");
        assertThat(items).singleElement().satisfies(item -> {
            assertThat(item).containsEntry("custom", Map.of("qatysu_resource", "exam-gate"));
            assertThat(item).doesNotContainKey("lineItem");
        });
    }

    @Test
    void without_data_in_the_request_none_is_sent_back() throws Exception {
        Opened o = open(true, null);
        SignedJWT jwt = postedJwt(o.browser().postForm(o.pageUrl(), Map.of("_csrf", o.csrf(), "resource", "exam-gate")));
        assertThat(jwt.getJWTClaimsSet().getClaims()).doesNotContainKey(DL + "data");
    }

    @Test
    void a_platform_that_accepts_one_item_gets_one() throws Exception {
        Opened o = open(false, null);
        assertThat(o.browser().get(o.pageUrl()).body()).contains("type=\"radio\"");
        var r = o.browser().postRaw(o.pageUrl(), "_csrf=" + o.csrf() + "&resource=attendance&resource=exam-gate");
        assertThat((List<?>) postedJwt(r).getJWTClaimsSet().getClaim(DL + "content_items")).hasSize(1);
    }

    @Test
    void the_response_cannot_be_triggered_without_the_csrf_token() {
        Opened o = open(true, null);
        HttpResponse<String> r = o.browser().postForm(o.pageUrl(), Map.of("resource", "attendance"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).doesNotContain("name=\"JWT\"");
    }

    @Test
    void a_student_resource_launch_cannot_open_the_deep_linking_page() {
        Browser browser = new Browser();
        LtiFlow flow = new LtiFlow(tool, platform, browser);
        HttpResponse<String> launch = flow.launch((n, t) -> LaunchClaims.moodleStudent(platform, n, t));
        String page = tool.baseUrl() + launch.headers().firstValue("Location").orElseThrow() + "deep-linking";
        assertThat(browser.get(page).statusCode()).isEqualTo(403);
    }

    @Test
    void a_later_launch_of_the_created_link_opens_that_resource() {
        Browser browser = new Browser();
        LtiFlow flow = new LtiFlow(tool, platform, browser);
        HttpResponse<String> landing = flow.follow(flow.launch((n, t) -> {
            Map<String, Object> c = LaunchClaims.moodleTeacher(platform, n, t);
            c.put(LaunchClaims.LTI + "custom", Map.of("qatysu_resource", "exam-gate"));
            c.put(LaunchClaims.LTI + "launch_presentation", Map.of("locale", "en"));
            return c;
        }));
        assertThat(landing.body()).contains("Exam gate");
    }

    @Test
    void a_student_launch_of_the_exam_gate_opens_the_gate_itself() {
        Browser browser = new Browser();
        LtiFlow flow = new LtiFlow(tool, platform, browser);
        HttpResponse<String> home = flow.follow(flow.launch((n, t) -> {
            Map<String, Object> c = LaunchClaims.moodleStudent(platform, n, t);
            c.put(LaunchClaims.LTI + "custom", Map.of("qatysu_resource", "exam-gate"));
            c.put(LaunchClaims.LTI + "launch_presentation", Map.of("locale", "en"));
            return c;
        }));
        assertThat(home.statusCode()).isEqualTo(303);
        assertThat(home.headers().firstValue("Location").orElseThrow()).endsWith("/exam-gate");
        assertThat(browser.get(tool.baseUrl() + home.headers().firstValue("Location").orElseThrow()).body()).contains("Exam gate");
    }
}
