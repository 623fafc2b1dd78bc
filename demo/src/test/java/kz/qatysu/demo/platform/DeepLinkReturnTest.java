package kz.qatysu.demo.platform;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The deep-linking return URL checks the tool's signed response and adds the chosen activity to the course. */
class DeepLinkReturnTest {
    private static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";
    private static final String DL = "https://purl.imsglobal.org/spec/lti-dl/claim/";
    private FakeTool tool;
    private DemoPlatform platform;

    @BeforeEach
    void start() {
        tool = new FakeTool();
        platform = DemoPlatform.start(new DemoPlatform.Settings(0, tool.baseUrl(), "dl-client", "1"));
    }

    @AfterEach
    void stop() {
        platform.stop();
        tool.close();
    }

    @Test
    void a_correctly_signed_response_is_accepted_and_its_resource_link_becomes_an_activity() throws Exception {
        PlatformBrowser teacher = new PlatformBrowser();
        Map<String, Object> settings = deepLinkingSettings(teacher, "message=deeplink");

        HttpResponse<String> r = teacher.postForm((String) settings.get("deep_link_return_url"),
                Map.of("JWT", tool.sign(response(settings, c -> { }))));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Content received from the tool").contains("Аралық бақылау — рұқсат")
                .contains("Қатысу 1 сессия қосылды");
        String course = teacher.get(platform.demoPageUrl()).body();
        assertThat(course).contains("Аралық бақылау — рұқсат").contains("Gradebook").contains("Exam admission");
    }

    @Test
    void the_content_item_custom_and_url_reach_the_next_launch_of_that_activity() throws Exception {
        PlatformBrowser teacher = new PlatformBrowser();
        Map<String, Object> settings = deepLinkingSettings(teacher, "message=deeplink");
        teacher.postForm((String) settings.get("deep_link_return_url"), Map.of("JWT", tool.sign(response(settings, c -> { }))));

        PlatformBrowser student = new PlatformBrowser();
        Map<String, String> login = student.startMoodleLaunch(platform, "5", "link=2");
        assertThat(login.get("target_link_uri")).isEqualTo(tool.baseUrl() + "/lti/launch?exam=midterm");
        Map<String, String> posted = PlatformBrowser.hiddenFields(student.authorize(platform,
                PlatformBrowser.authRequest(login, tool.baseUrl() + "/lti/launch", "s", "n")).body());
        JWTClaimsSet claims = SignedJWT.parse(posted.get("id_token")).getJWTClaimsSet();

        assertThat(claims.getJSONObjectClaim(LTI + "custom")).containsEntry("gate", "midterm");
        assertThat(claims.getJSONObjectClaim(LTI + "resource_link")).containsEntry("id", "2");
        assertThat(claims.getJSONObjectClaim("https://purl.imsglobal.org/spec/lti-ags/claim/endpoint")).containsKey("lineitem");
    }

    @Test
    void a_response_for_another_audience_is_refused() throws Exception {
        assertRefused(c -> c.put("aud", "https://moodle.other.kz"), "aud must be the platform issuer");
    }

    @Test
    void a_response_not_issued_by_the_client_is_refused() throws Exception {
        assertRefused(c -> c.put("iss", "someone-else"), "iss must be the client id");
    }

    @Test
    void a_response_of_the_wrong_message_type_is_refused() throws Exception {
        assertRefused(c -> c.put(LTI + "message_type", "LtiResourceLinkRequest"), "message_type must be LtiDeepLinkingResponse");
    }

    @Test
    void an_expired_response_is_refused() throws Exception {
        assertRefused(c -> {
            c.put("iat", Instant.now().getEpochSecond() - 600);
            c.put("exp", Instant.now().getEpochSecond() - 300);
        }, "Expired token");
    }

    @Test
    void a_response_signed_with_a_key_outside_the_tool_key_set_is_refused() throws Exception {
        PlatformBrowser teacher = new PlatformBrowser();
        Map<String, Object> settings = deepLinkingSettings(teacher, "message=deeplink");
        RSAKey impostor = FakeTool.newKey(tool.key().getKeyID());

        HttpResponse<String> r = teacher.postForm((String) settings.get("deep_link_return_url"),
                Map.of("JWT", FakeTool.sign(impostor, JWTClaimsSet.parse(response(settings, c -> { })))));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("Signature verification failed");
    }

    @Test
    void the_data_of_the_request_must_be_echoed_exactly() throws Exception {
        PlatformBrowser teacher = new PlatformBrowser();
        Map<String, Object> settings = deepLinkingSettings(teacher, "message=deeplink&data=1");
        assertThat((String) settings.get("data")).startsWith("dl-");

        HttpResponse<String> missing = teacher.postForm((String) settings.get("deep_link_return_url"),
                Map.of("JWT", tool.sign(response(settings, c -> c.remove(DL + "data")))));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("data must echo");

        HttpResponse<String> echoed = teacher.postForm((String) settings.get("deep_link_return_url"),
                Map.of("JWT", tool.sign(response(settings, c -> { }))));
        assertThat(echoed.statusCode()).isEqualTo(200);
    }

    @Test
    void a_deep_linking_request_is_answered_only_once() throws Exception {
        PlatformBrowser teacher = new PlatformBrowser();
        Map<String, Object> settings = deepLinkingSettings(teacher, "message=deeplink");
        String jwt = tool.sign(response(settings, c -> { }));
        assertThat(teacher.postForm((String) settings.get("deep_link_return_url"), Map.of("JWT", jwt)).statusCode()).isEqualTo(200);

        assertThat(teacher.postForm((String) settings.get("deep_link_return_url"), Map.of("JWT", jwt)).statusCode()).isEqualTo(400);
    }

    private void assertRefused(Consumer<Map<String, Object>> breakIt, String reason) throws Exception {
        PlatformBrowser teacher = new PlatformBrowser();
        Map<String, Object> settings = deepLinkingSettings(teacher, "message=deeplink");

        HttpResponse<String> r = teacher.postForm((String) settings.get("deep_link_return_url"),
                Map.of("JWT", tool.sign(response(settings, breakIt))));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains(reason);
        assertThat(platform.demoPageUrl()).isNotNull();
        assertThat(new PlatformBrowser().get(platform.demoPageUrl()).body()).doesNotContain("Аралық бақылау — рұқсат");
    }

    private Map<String, Object> deepLinkingSettings(PlatformBrowser teacher, String query) throws Exception {
        Map<String, String> login = teacher.startMoodleLaunch(platform, "3", query);
        Map<String, String> posted = PlatformBrowser.hiddenFields(teacher.authorize(platform,
                PlatformBrowser.authRequest(login, tool.baseUrl() + "/lti/launch", "s", "n")).body());
        return SignedJWT.parse(posted.get("id_token")).getJWTClaimsSet().getJSONObjectClaim(DL + "deep_linking_settings");
    }

    /** The response a tool sends for {@code settings}, as the harness tool sent it to Moodle 4.5 (deeplinking_response_010.json). */
    private Map<String, Object> response(Map<String, Object> settings, Consumer<Map<String, Object>> breakIt) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", "dl-client");
        c.put("aud", platform.issuer());
        c.put("iat", now);
        c.put("exp", now + 600);
        c.put("nonce", "dl-7c680c2b103c4459");
        c.put(LTI + "deployment_id", "1");
        c.put(LTI + "message_type", "LtiDeepLinkingResponse");
        c.put(LTI + "version", "1.3.0");
        c.put(DL + "msg", "Қатысу 1 сессия қосылды");
        if (settings.get("data") != null) {
            c.put(DL + "data", settings.get("data"));
        }
        c.put(DL + "content_items", List.of(Map.of(
                "type", "ltiResourceLink",
                "title", "Аралық бақылау — рұқсат",
                "text", "Exam gate",
                "url", tool.baseUrl() + "/lti/launch?exam=midterm",
                "custom", Map.of("gate", "midterm"),
                "lineItem", Map.of("scoreMaximum", 1, "label", "Exam admission", "resourceId", "gate-midterm", "tag", "admission"))));
        breakIt.accept(c);
        return c;
    }
}
