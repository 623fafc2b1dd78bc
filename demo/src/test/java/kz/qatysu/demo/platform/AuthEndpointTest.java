package kz.qatysu.demo.platform;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthEndpointTest {
    private static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";
    private FakeTool tool;
    private DemoPlatform platform;
    private String redirectUri;

    @BeforeAll
    void start() {
        tool = new FakeTool();
        platform = DemoPlatform.start(new DemoPlatform.Settings(0, tool.baseUrl(), "c5dFF2OU3Si4N9D", "1"));
        redirectUri = tool.baseUrl() + "/lti/launch";
    }

    @AfterAll
    void stop() {
        platform.stop();
        tool.close();
    }

    @Test
    void login_initiation_is_an_auto_submitted_post_form_shaped_like_moodles() {
        PlatformBrowser browser = new PlatformBrowser();
        browser.get(platform.issuer() + "/demo/view?user=3&link=1");
        HttpResponse<String> launch = browser.get(platform.issuer() + "/demo/launch?link=1&target=iframe");

        assertThat(PlatformBrowser.formAction(launch.body())).isEqualTo(tool.baseUrl() + "/lti/login");
        assertThat(launch.body()).contains("method=\"post\"").contains(".submit()");
        Map<String, String> f = PlatformBrowser.hiddenFields(launch.body());
        assertThat(f).containsOnlyKeys("iss", "target_link_uri", "login_hint", "lti_message_hint", "client_id", "lti_deployment_id");
        assertThat(f).containsEntry("iss", platform.issuer()).containsEntry("login_hint", "3")
                .containsEntry("client_id", "c5dFF2OU3Si4N9D").containsEntry("lti_deployment_id", "1")
                .containsEntry("target_link_uri", redirectUri);
        assertThat(f.get("lti_message_hint")).matches("\\{\"cmid\":2,\"launchid\":\"ltilaunch1_\\d+\"}");
    }

    @Test
    void the_teachers_id_token_verifies_against_the_platform_key_set_and_has_moodles_claim_shapes() throws Exception {
        PlatformBrowser browser = new PlatformBrowser();
        Map<String, String> login = browser.startMoodleLaunch(platform, "3", "link=1");
        HttpResponse<String> auth = browser.authorize(platform, PlatformBrowser.authRequest(login, redirectUri, "st-1", "nc-1"));

        assertThat(auth.statusCode()).isEqualTo(200);
        assertThat(PlatformBrowser.formAction(auth.body())).isEqualTo(redirectUri);
        Map<String, String> posted = PlatformBrowser.hiddenFields(auth.body());
        assertThat(posted).containsOnlyKeys("id_token", "state").containsEntry("state", "st-1");

        SignedJWT jwt = SignedJWT.parse(posted.get("id_token"));
        JWKSet keys = JWKSet.parse(new PlatformBrowser().get(platform.keySetUrl()).body());
        RSAKey key = (RSAKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("kid %s in the platform JWKS", jwt.getHeader().getKeyID()).isNotNull();
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(jwt.getHeader().toJSONObject()).containsEntry("typ", "JWT").containsEntry("alg", "RS256");

        Map<String, Object> c = jwt.getJWTClaimsSet().toJSONObject();
        assertThat(((Number) c.get("exp")).longValue() - ((Number) c.get("iat")).longValue()).isEqualTo(60);
        assertThat(c.get("aud")).isEqualTo("c5dFF2OU3Si4N9D");
        assertThat(c).doesNotContainKey("azp");
        assertThat(c).containsEntry("iss", platform.issuer()).containsEntry("nonce", "nc-1").containsEntry("sub", "3")
                .containsEntry(LTI + "version", "1.3.0").containsEntry(LTI + "message_type", "LtiResourceLinkRequest")
                .containsEntry(LTI + "deployment_id", "1").containsEntry(LTI + "target_link_uri", redirectUri)
                .containsEntry("name", "Айгүл Серікқызы").containsEntry("given_name", "Айгүл").containsEntry("family_name", "Серікқызы");
        assertThat(c.get(LTI + "roles")).isEqualTo(List.of("http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"));
        assertThat(c.get(LTI + "context")).isEqualTo(Map.of("id", "2", "label", "CS101",
                "title", "Алгоритмдер және деректер құрылымы", "type", List.of("CourseSection")));
        assertThat(c.get(LTI + "lis")).isEqualTo(Map.of("person_sourcedid", "T-7", "course_section_sourcedid", "CS101-2026F"));
        assertThat(map(c, LTI + "resource_link")).containsEntry("id", "1").containsKeys("title", "description");
        assertThat(map(c, LTI + "launch_presentation")).containsEntry("locale", "kk").containsEntry("document_target", "iframe")
                .hasEntrySatisfying("return_url", v -> assertThat((String) v).startsWith(platform.issuer() + "/mod/lti/return.php?course=2"));
        assertThat(map(c, LTI + "ext")).containsEntry("lms", "moodle-2").containsEntry("user_username", "aigul.serikkyzy");
        assertThat(map(c, LTI + "tool_platform")).containsEntry("product_family_code", "moodle").containsKeys("version", "guid", "name");
        assertThat(map(c, LTI + "custom")).containsEntry("course_sis", "CS101-2026F")
                .containsEntry("context_memberships_url", platform.issuer() + "/mod/lti/services.php/CourseSection/2/bindings/1/memberships");
        assertThat(map(c, "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"))
                .containsEntry("lineitems", platform.issuer() + "/mod/lti/services.php/2/lineitems?type_id=1")
                .hasEntrySatisfying("lineitem", v -> assertThat((String) v).matches(
                        "\\Q" + platform.issuer() + "/mod/lti/services.php/2/lineitems/\\E\\d+/lineitem\\?type_id=1"))
                .hasEntrySatisfying("scope", v -> assertThat((List<?>) v).hasSize(4));
        assertThat(map(c, "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"))
                .containsEntry("service_versions", List.of("1.0", "2.0"));
        assertThat(c).containsKey("https://purl.imsglobal.org/spec/lti-bo/claim/basicoutcome");
    }

    @Test
    void a_student_launches_as_learner_with_their_own_language_and_idnumber() throws Exception {
        PlatformBrowser browser = new PlatformBrowser();
        Map<String, String> login = browser.startMoodleLaunch(platform, "6", "link=1");
        Map<String, String> posted = PlatformBrowser.hiddenFields(
                browser.authorize(platform, PlatformBrowser.authRequest(login, redirectUri, "s", "n")).body());
        Map<String, Object> c = SignedJWT.parse(posted.get("id_token")).getJWTClaimsSet().toJSONObject();

        assertThat(c.get(LTI + "roles")).isEqualTo(List.of("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"));
        assertThat(c).containsEntry("name", "Нұрсұлтан Жұмабаев").containsEntry("sub", "6");
        assertThat(map(c, LTI + "lis")).containsEntry("person_sourcedid", "P-1002");
        assertThat(map(c, LTI + "launch_presentation")).containsEntry("locale", "ru");
    }

    @Test
    void the_non_editing_teacher_launches_as_instructor_like_in_moodle() throws Exception {
        PlatformBrowser browser = new PlatformBrowser();
        Map<String, String> login = browser.startMoodleLaunch(platform, "4", "link=1");
        Map<String, String> posted = PlatformBrowser.hiddenFields(
                browser.authorize(platform, PlatformBrowser.authRequest(login, redirectUri, "s", "n")).body());

        assertThat(SignedJWT.parse(posted.get("id_token")).getJWTClaimsSet().getStringListClaim(LTI + "roles"))
                .containsExactly("http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor");
    }

    static Stream<Arguments> refusedWithAnErrorPage() {
        return Stream.of(
                Arguments.of("scope other than openid", (Consumer<Map<String, String>>) p -> p.put("scope", "profile")),
                Arguments.of("response_type other than id_token", (Consumer<Map<String, String>>) p -> p.put("response_type", "code")),
                Arguments.of("no lti_message_hint", (Consumer<Map<String, String>>) p -> p.remove("lti_message_hint")),
                Arguments.of("a hint without launch id", (Consumer<Map<String, String>>) p -> p.put("lti_message_hint", "{\"cmid\":2}")),
                Arguments.of("no nonce", (Consumer<Map<String, String>>) p -> p.remove("nonce")),
                Arguments.of("no login_hint", (Consumer<Map<String, String>>) p -> p.remove("login_hint")),
                Arguments.of("an unregistered redirect_uri", (Consumer<Map<String, String>>) p -> p.put("redirect_uri",
                        p.get("redirect_uri").replace("/lti/launch", "/not-registered"))),
                Arguments.of("a redirect_uri that only starts like the registered one", (Consumer<Map<String, String>>) p ->
                        p.put("redirect_uri", p.get("redirect_uri") + "?x=1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedWithAnErrorPage")
    void the_auth_endpoint_answers_a_moodle_error_page_and_sends_nothing_to_the_tool_for(String fault, Consumer<Map<String, String>> breakIt) {
        PlatformBrowser browser = new PlatformBrowser();
        Map<String, String> params = PlatformBrowser.authRequest(browser.startMoodleLaunch(platform, "5", "link=1"), redirectUri, "st", "nc");
        breakIt.accept(params);

        HttpResponse<String> auth = browser.authorize(platform, params);

        assertThat(auth.statusCode()).isEqualTo(404);
        assertThat(auth.body()).contains("Error code: invalidrequest").doesNotContain("<form");
    }

    static Stream<Arguments> postedAsAnError() {
        return Stream.of(
                Arguments.of("wrong client_id", (Consumer<Map<String, String>>) p -> p.put("client_id", "wrong-client-id"),
                        "unauthorized_client", null),
                Arguments.of("login_hint of another user", (Consumer<Map<String, String>>) p -> p.put("login_hint", "999"),
                        "access_denied", null),
                Arguments.of("response_mode query", (Consumer<Map<String, String>>) p -> p.put("response_mode", "query"),
                        "invalid_request", "Invalid response_mode"),
                Arguments.of("no response_mode", (Consumer<Map<String, String>>) p -> p.remove("response_mode"),
                        "invalid_request", "Invalid response_mode"),
                Arguments.of("prompt login", (Consumer<Map<String, String>>) p -> p.put("prompt", "login"),
                        "invalid_request", "Invalid prompt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("postedAsAnError")
    void the_auth_endpoint_posts_an_oidc_error_to_the_tool_like_moodle_for(String fault, Consumer<Map<String, String>> breakIt,
                                                                           String error, String description) {
        PlatformBrowser browser = new PlatformBrowser();
        Map<String, String> params = PlatformBrowser.authRequest(browser.startMoodleLaunch(platform, "5", "link=1"), redirectUri, "st-err", "nc");
        breakIt.accept(params);

        HttpResponse<String> auth = browser.authorize(platform, params);

        assertThat(auth.statusCode()).isEqualTo(200);
        assertThat(PlatformBrowser.formAction(auth.body())).isEqualTo(redirectUri);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("error", error);
        if (description != null) {
            expected.put("error_description", description);
        }
        expected.put("state", "st-err");
        assertThat(PlatformBrowser.hiddenFields(auth.body())).isEqualTo(expected);
    }

    @Test
    void a_prompt_left_empty_is_accepted_like_none() {
        PlatformBrowser browser = new PlatformBrowser();
        Map<String, String> params = PlatformBrowser.authRequest(browser.startMoodleLaunch(platform, "5", "link=1"), redirectUri, "st", "nc");
        params.put("prompt", "");

        assertThat(PlatformBrowser.hiddenFields(browser.authorize(platform, params).body())).containsKey("id_token");
    }

    @Test
    void the_auth_request_may_also_arrive_as_a_form_post() {
        PlatformBrowser browser = new PlatformBrowser();
        Map<String, String> params = PlatformBrowser.authRequest(browser.startMoodleLaunch(platform, "5", "link=1"), redirectUri, "st", "nc");

        assertThat(PlatformBrowser.hiddenFields(browser.postForm(platform.authLoginUrl(), params).body())).containsKey("id_token");
    }

    @Test
    void a_launch_is_single_use_so_a_replayed_auth_request_gets_the_error_page() {
        PlatformBrowser browser = new PlatformBrowser();
        Map<String, String> params = PlatformBrowser.authRequest(browser.startMoodleLaunch(platform, "5", "link=1"), redirectUri, "st", "nc");
        assertThat(browser.authorize(platform, params).statusCode()).isEqualTo(200);

        HttpResponse<String> replay = browser.authorize(platform, params);

        assertThat(replay.statusCode()).isEqualTo(404);
        assertThat(replay.body()).doesNotContain("id_token");
    }

    @Test
    void another_browser_cannot_complete_a_launch_started_in_this_one() {
        PlatformBrowser alice = new PlatformBrowser();
        Map<String, String> params = PlatformBrowser.authRequest(alice.startMoodleLaunch(platform, "5", "link=1"), redirectUri, "st", "nc");
        PlatformBrowser mallory = new PlatformBrowser();
        mallory.get(platform.issuer() + "/demo/view?user=5&link=1");

        assertThat(mallory.authorize(platform, params).statusCode()).isEqualTo(404);
    }

    @Test
    void a_browser_without_a_platform_session_is_not_logged_in() {
        HttpResponse<String> auth = new PlatformBrowser().authorize(platform, Map.of("scope", "openid", "lti_message_hint", "{\"launchid\":\"x\"}"));

        assertThat(auth.statusCode()).isEqualTo(401);
    }

    @Test
    void deep_linking_as_teacher_carries_moodles_deep_linking_settings_and_no_resource_link() throws Exception {
        PlatformBrowser browser = new PlatformBrowser();
        Map<String, String> login = browser.startMoodleLaunch(platform, "3", "message=deeplink");
        assertThat(login.get("lti_message_hint")).matches("\\{\"launchid\":\"ltilaunch_ContentItemSelectionRequest\\d+\"}");
        Map<String, String> posted = PlatformBrowser.hiddenFields(
                browser.authorize(platform, PlatformBrowser.authRequest(login, redirectUri, "s", "n")).body());
        Map<String, Object> c = SignedJWT.parse(posted.get("id_token")).getJWTClaimsSet().toJSONObject();

        assertThat(c).containsEntry(LTI + "message_type", "LtiDeepLinkingRequest").doesNotContainKey(LTI + "resource_link");
        assertThat(map(c, LTI + "launch_presentation")).containsOnlyKeys("locale");
        assertThat(map(c, "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint")).doesNotContainKey("lineitem");
        Map<String, Object> dl = map(c, "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings");
        assertThat(dl).containsEntry("accept_types", List.of("ltiResourceLink"))
                .containsEntry("accept_presentation_document_targets", List.of("frame", "iframe", "window"))
                .containsEntry("accept_copy_advice", false).containsEntry("accept_multiple", true)
                .containsEntry("accept_unsigned", false).containsEntry("auto_create", false).containsEntry("can_confirm", false)
                .doesNotContainKey("data");
        assertThat((String) dl.get("deep_link_return_url")).startsWith(platform.issuer() + "/mod/lti/contentitem_return.php?course=2&id=1&sesskey=");
    }

    @Test
    void the_open_edx_variant_starts_with_a_get_redirect_and_signs_open_edx_shaped_claims() throws Exception {
        PlatformBrowser browser = new PlatformBrowser();
        browser.get(platform.issuer() + "/demo/view?user=7&link=1&variant=openedx");
        HttpResponse<String> launch = browser.get(platform.issuer() + "/demo/launch?link=1&variant=openedx&target=iframe");
        assertThat(launch.statusCode()).isEqualTo(302);
        URI location = URI.create(launch.headers().firstValue("Location").orElseThrow());
        assertThat(location.getPath()).isEqualTo("/lti/login");
        Map<String, String> q = Arrays.stream(location.getRawQuery().split("&")).map(kv -> kv.split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> URLDecoder.decode(kv[1], StandardCharsets.UTF_8)));
        assertThat(q).containsEntry("login_hint", "7").containsEntry("lti_deployment_id", "1").containsEntry("iss", platform.issuer());
        assertThat(q.get("lti_message_hint")).matches("[0-9a-f]{32}");

        Map<String, String> posted = PlatformBrowser.hiddenFields(
                browser.authorize(platform, PlatformBrowser.authRequest(q, redirectUri, "s", "n")).body());
        Map<String, Object> c = SignedJWT.parse(posted.get("id_token")).getJWTClaimsSet().toJSONObject();

        assertThat(((Number) c.get("exp")).longValue() - ((Number) c.get("iat")).longValue()).isEqualTo(3600);
        assertThat(c).containsEntry("aud", "c5dFF2OU3Si4N9D").containsEntry("azp", "c5dFF2OU3Si4N9D")
                .containsEntry("preferred_username", "galym.omirzakov").doesNotContainKeys(LTI + "lis", LTI + "ext");
        assertThat(SignedJWT.parse(posted.get("id_token")).getJWTClaimsSet().getStringListClaim(LTI + "roles")).containsExactlyInAnyOrder(
                "http://purl.imsglobal.org/vocab/lis/v2/system/person#None",
                "http://purl.imsglobal.org/vocab/lis/v2/institution/person#None",
                "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner");
        assertThat(map(c, LTI + "context")).containsEntry("id", "course-v1:KazNU+CS101+2026F")
                .containsEntry("type", List.of("http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"));
        assertThat((String) map(c, LTI + "resource_link").get("id")).startsWith("block-v1:");
        assertThat(map(c, LTI + "launch_presentation")).doesNotContainKey("locale");
    }

    @Test
    void the_activity_page_embeds_the_tool_with_camera_and_microphone_for_the_tool_origin_only() {
        PlatformBrowser browser = new PlatformBrowser();
        String page = browser.get(platform.issuer() + "/demo/view?user=5&link=1").body();

        assertThat(page).contains("<iframe id=\"contentframe\"")
                .contains("allow=\"microphone " + tool.baseUrl() + "; camera " + tool.baseUrl())
                .contains("Open in new window");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> claims, String name) {
        return (Map<String, Object>) claims.get(name);
    }
}
