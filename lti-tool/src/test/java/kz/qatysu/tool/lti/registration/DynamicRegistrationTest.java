package kz.qatysu.tool.lti.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.Fixtures;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.MovableClock;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dynamic registration against a fake Moodle on WireMock that serves Moodle 4.5.6's real OpenID configuration and
 * answers registrations like the captured exchange ({@code dynamic_registration_011.json}).
 */
class DynamicRegistrationTest {
    static final String TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJCSjAyR3hyZXh2ZzFFaUQiLCJzY29wZSI6InJlZyJ9.sig";
    static final String CLIENT_ID = "BJ02Gxrexvg1EiD";
    static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    static final ObjectMapper JSON = new ObjectMapper();

    static WireMockServer moodle;
    static TestPlatform platformKeys;
    static MovableClock clock = new MovableClock();
    static RunningTool tool;

    @BeforeAll
    static void start() throws Exception {
        moodle = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        moodle.start();
        platformKeys = new TestPlatform(moodleBase(), CLIENT_ID, "2");
        tool = RunningTool.start(Map.of(), clock);
        stubMoodle("/mod/lti", configuration(c -> { }), registrationAnswer(CLIENT_ID, "2"));
    }

    @AfterAll
    static void stop() {
        tool.close();
        moodle.stop();
        platformKeys.close();
    }

    @BeforeEach
    void resetRequests() {
        moodle.resetRequests();
        clock.reset();
    }

    @Test
    void registers_with_the_exact_moodle_shaped_request_stores_the_platform_and_a_launch_then_works() throws Exception {
        String url = issueUrl();
        var browser = new Browser();
        var page = browser.get(url + "?openid_configuration=" + enc(configUrl("/mod/lti")) + "&registration_token=" + enc(TOKEN));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("Moodle 4.5.6 (127.0.0.1)", moodleBase(), "LtiDeepLinkingRequest", "contextmembership.readonly");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'self' " + moodleBase());

        var done = confirm(browser, url, configUrl("/mod/lti"), TOKEN, csrf(page));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("org.imsglobal.lti.close", "(window.opener || window.parent).postMessage", CLIENT_ID,
                "Manage tools");

        List<LoggedRequest> posted = moodle.findAll(postRequestedFor(urlEqualTo("/mod/lti/openid-registration.php")));
        assertThat(posted).hasSize(1);
        assertThat(posted.get(0).getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(posted.get(0).getHeader("Content-Type")).startsWith("application/json");
        assertThat(JSON.readTree(posted.get(0).getBodyAsString())).isEqualTo(JSON.readTree(expectedRequest()));

        Map<String, Object> stored = onlyPlatform(moodleBase(), CLIENT_ID);
        assertThat(stored).containsEntry("deploymentIds", List.of("2")).containsEntry("productFamily", "moodle")
                .containsEntry("source", "dynamic-registration").containsEntry("enabled", true)
                .containsEntry("authLoginUrl", moodleBase() + "/mod/lti/auth.php")
                .containsEntry("authTokenUrl", moodleBase() + "/mod/lti/token.php")
                .containsEntry("keySetUrl", platformKeys.keySetUrl());

        var flow = new LtiFlow(tool, platformKeys, new Browser());
        var launch = flow.launch((nonce, target) -> LaunchClaims.moodleStudent(platformKeys, nonce, target));
        assertThat(launch.statusCode()).as(launch.body()).isEqualTo(303);
        assertThat(flow.follow(launch).body()).contains("Әлия Нұрланқызы");

        // the code is single use
        var again = new Browser().get(url + "?openid_configuration=" + enc(configUrl("/mod/lti")) + "&registration_token=" + enc(TOKEN));
        assertThat(again.statusCode()).isEqualTo(410);
        assertThat(again.body()).contains("CODE_USED", "already used");
    }

    @Test
    void only_scopes_and_messages_the_platform_lists_are_requested() throws Exception {
        ObjectNode limited = configuration(c -> {
            ArrayNode scopes = c.putArray("scopes_supported");
            scopes.add("https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly").add("openid");
            ArrayNode messages = ((ObjectNode) c.get(PlatformConfiguration.PLATFORM_CONFIGURATION)).putArray("messages_supported");
            messages.addObject().put("type", "LtiResourceLinkRequest");
        });
        stubMoodle("/limited", limited, registrationAnswer("LIMITED1", "7"));
        var r = register(issueUrl(), "/limited", TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode sent = JSON.readTree(moodle.findAll(postRequestedFor(urlEqualTo("/limited/openid-registration.php"))).get(0).getBodyAsString());
        assertThat(sent.get("scope").asText()).isEqualTo("https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly");
        JsonNode messages = sent.get(ToolRegistrationRequest.TOOL_CONFIGURATION).get("messages");
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).get("type").asText()).isEqualTo("LtiResourceLinkRequest");
        assertThat(onlyPlatform(moodleBase(), "LIMITED1")).containsEntry("deploymentIds", List.of("7"));
    }

    @Test
    void a_second_registration_of_the_same_client_adds_a_deployment() throws Exception {
        stubMoodle("/again", configuration(c -> { }), registrationAnswer("SAMECLIENT", "4"));
        assertThat(register(issueUrl(), "/again", TOKEN).statusCode()).isEqualTo(200);
        stubMoodle("/again", configuration(c -> { }), registrationAnswer("SAMECLIENT", "5"));
        var second = register(issueUrl(), "/again", TOKEN);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(second.body()).contains("new deployment");
        assertThat(onlyPlatform(moodleBase(), "SAMECLIENT")).containsEntry("deploymentIds", List.of("4", "5"));
    }

    @Test
    void an_expired_code_is_refused_and_nothing_is_stored() throws Exception {
        String url = issueUrl();
        clock.advance(Duration.ofHours(24).plusMinutes(1));
        var r = new Browser().get(url + "?openid_configuration=" + enc(configUrl("/mod/lti")) + "&registration_token=" + enc(TOKEN));
        assertThat(r.statusCode()).isEqualTo(410);
        assertThat(r.body()).contains("CODE_EXPIRED", "expired");
        assertThat(moodle.findAll(postRequestedFor(urlEqualTo("/mod/lti/openid-registration.php")))).isEmpty();
    }

    @Test
    void an_unknown_code_and_a_missing_code_are_refused() {
        var unknown = new Browser().get(tool.baseUrl() + "/lti/register/not-a-code?openid_configuration=" + enc(configUrl("/mod/lti")));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("CODE_UNKNOWN");
        assertThat(unknown.headers().firstValue("Content-Security-Policy").orElseThrow())
                .as("the refusal is shown inside the platform's frame").contains("frame-ancestors 'self' " + moodleBase());
        var none = new Browser().get(tool.baseUrl() + "/lti/register?openid_configuration=" + enc(configUrl("/mod/lti")));
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(none.body()).contains("CODE_REQUIRED");
    }

    @Test
    void an_issuer_that_does_not_match_the_configuration_url_is_refused() throws Exception {
        stubMoodle("/evil", configuration(c -> c.put("issuer", "https://moodle.example.kz")), registrationAnswer("EVIL", "1"));
        String url = issueUrl();
        var r = new Browser().get(url + "?openid_configuration=" + enc(configUrl("/evil")) + "&registration_token=" + enc(TOKEN));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("ISSUER_MISMATCH", "https://moodle.example.kz");
        assertThat(platforms()).noneMatch(p -> p.get("clientId").equals("EVIL"));
    }

    @Test
    void an_invalid_or_unreachable_configuration_is_refused_with_its_reason() throws Exception {
        stubMoodle("/broken", configuration(c -> c.remove("registration_endpoint")), registrationAnswer("BROKEN", "1"));
        var broken = new Browser().get(issueUrl() + "?openid_configuration=" + enc(configUrl("/broken")));
        assertThat(broken.statusCode()).isEqualTo(422);
        assertThat(broken.body()).contains("OPENID_CONFIGURATION_INVALID", "registration_endpoint");

        var notHttps = new Browser().get(issueUrl() + "?openid_configuration=" + enc("http://moodle.example.kz/mod/lti/openid-configuration.php"));
        assertThat(notHttps.statusCode()).isEqualTo(400);
        assertThat(notHttps.body()).contains("OPENID_CONFIGURATION_URL");

        var missing = new Browser().get(issueUrl() + "?openid_configuration=" + enc(moodleBase() + "/nothing-here"));
        assertThat(missing.statusCode()).isEqualTo(424);
        assertThat(missing.body()).contains("OPENID_CONFIGURATION_UNREACHABLE", "404");

        var noParameter = new Browser().get(issueUrl());
        assertThat(noParameter.statusCode()).isEqualTo(400);
        assertThat(noParameter.body()).contains("MISSING_OPENID_CONFIGURATION");
    }

    @Test
    void a_platform_refusal_stores_nothing_and_leaves_the_code_usable() throws Exception {
        moodle.stubFor(post(urlEqualTo("/mod/lti/openid-registration.php")).withHeader("Authorization", equalTo("Bearer expired-token"))
                .willReturn(aResponse().withStatus(400).withBody("Unauthorized access")));
        int before = platforms().size();
        String url = issueUrl();
        var r = register(url, "/mod/lti", "expired-token");
        assertThat(r.statusCode()).isEqualTo(424);
        assertThat(r.body()).contains("PLATFORM_REFUSED", "HTTP 400", "Unauthorized access");
        assertThat(platforms()).hasSize(before);
        var retry = new Browser().get(url + "?openid_configuration=" + enc(configUrl("/mod/lti")) + "&registration_token=" + enc(TOKEN));
        assertThat(retry.statusCode()).isEqualTo(200);
    }

    @Test
    void the_confirmation_needs_the_csrf_token_of_the_page() throws Exception {
        String url = issueUrl();
        var browser = new Browser();
        var page = browser.get(url + "?openid_configuration=" + enc(configUrl("/mod/lti")) + "&registration_token=" + enc(TOKEN));
        assertThat(page.statusCode()).isEqualTo(200);
        var forged = browser.postForm(url, Map.of("openid_configuration", configUrl("/mod/lti"), "registration_token", TOKEN));
        assertThat(forged.statusCode()).isEqualTo(403);
        var otherBrowser = confirm(new Browser(), url, configUrl("/mod/lti"), TOKEN, csrf(page));
        assertThat(otherBrowser.statusCode()).isEqualTo(403);
        assertThat(moodle.findAll(postRequestedFor(urlEqualTo("/mod/lti/openid-registration.php")))).isEmpty();
    }

    @Test
    void the_api_refuses_a_lifetime_out_of_range_and_needs_the_admin_token() throws Exception {
        assertThat(api("{\"validFor\": \"PT1M\"}", RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(400);
        assertThat(api("{\"validFor\": \"soon\"}", RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(400);
        assertThat(api("", "wrong").statusCode()).isEqualTo(401);
        var ok = api("{\"validFor\": \"PT2H\"}", RunningTool.ADMIN_TOKEN);
        assertThat(ok.statusCode()).isEqualTo(201);
        assertThat(Fixtures.object(ok.body()).get("url").toString()).startsWith(tool.baseUrl() + "/lti/register/");
    }

    @Test
    void open_mode_registers_without_a_code() throws Exception {
        try (RunningTool open = RunningTool.start(Map.of("QATYSU_LTI_DYNAMIC_REGISTRATION_OPEN", "true"), clock)) {
            var browser = new Browser();
            String url = open.baseUrl() + "/lti/register";
            var page = browser.get(url + "?openid_configuration=" + enc(configUrl("/mod/lti")) + "&registration_token=" + enc(TOKEN));
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            var done = confirm(browser, url, configUrl("/mod/lti"), TOKEN, csrf(page));
            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
            var list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(open.baseUrl() + "/api/v1/admin/platforms"))
                    .header("Authorization", "Bearer " + RunningTool.ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(list.body()).contains(CLIENT_ID, "dynamic-registration");
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    static String moodleBase() {
        return "http://127.0.0.1:" + moodle.port();
    }

    static String configUrl(String prefix) {
        return moodleBase() + prefix + "/openid-configuration.php";
    }

    /** Moodle 4.5.6's configuration with its URLs moved to WireMock and the key set to the test platform's. */
    static ObjectNode configuration(java.util.function.Consumer<ObjectNode> change) throws Exception {
        String text = Fixtures.text(Fixtures.dir("captures/moodle-4.5/moodle_openid_configuration.json"))
                .replace("http://127.0.0.1:8100", moodleBase());
        ObjectNode c = (ObjectNode) JSON.readTree(text);
        c.put("jwks_uri", platformKeys.keySetUrl());
        change.accept(c);
        return c;
    }

    /** Moodle's captured answer, for the tool's URLs and the given ids. */
    static ObjectNode registrationAnswer(String clientId, String deploymentId) throws Exception {
        JsonNode capture = JSON.readTree(Fixtures.text(Fixtures.dir("captures/moodle-4.5/dynamic_registration_011.json"))
                .replace("http://127.0.0.1:8200", tool.baseUrl()));
        ObjectNode answer = (ObjectNode) capture.get("registration_response").get("body");
        answer.put("client_id", clientId);
        ((ObjectNode) answer.get(ToolRegistrationRequest.TOOL_CONFIGURATION)).put("deployment_id", deploymentId);
        return answer;
    }

    /** Serves {@code <prefix>/openid-configuration.php} and {@code <prefix>/openid-registration.php} (for TOKEN). */
    static void stubMoodle(String prefix, ObjectNode configuration, ObjectNode answer) {
        configuration.put("registration_endpoint", moodleBase() + prefix + "/openid-registration.php");
        if (prefix.equals("/broken")) {
            configuration.remove("registration_endpoint");
        }
        moodle.stubFor(get(urlEqualTo(prefix + "/openid-configuration.php")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json; charset=utf-8").withBody(configuration.toString())));
        moodle.stubFor(post(urlEqualTo(prefix + "/openid-registration.php")).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withHeader("Content-Type", "application/json; charset=utf-8").withBody(answer.toString())));
    }

    String expectedRequest() {
        String base = tool.baseUrl();
        return """
                {"application_type": "web", "response_types": ["id_token"], "grant_types": ["implicit", "client_credentials"],
                 "initiate_login_uri": "%1$s/lti/login", "redirect_uris": ["%1$s/lti/launch"], "client_name": "Qatysu",
                 "jwks_uri": "%1$s/.well-known/jwks.json", "token_endpoint_auth_method": "private_key_jwt",
                 "scope": "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly https://purl.imsglobal.org/spec/lti-ags/scope/score https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
                 "https://purl.imsglobal.org/spec/lti-tool-configuration": {
                   "domain": "%2$s", "target_link_uri": "%1$s/lti/launch",
                   "description": "Qatysu: attendance and exam access for the course",
                   "claims": ["iss", "sub", "name", "given_name", "family_name", "email"],
                   "messages": [
                     {"type": "LtiResourceLinkRequest", "target_link_uri": "%1$s/lti/launch", "label": "Qatysu"},
                     {"type": "LtiDeepLinkingRequest", "target_link_uri": "%1$s/lti/launch", "label": "Qatysu: add attendance",
                      "placements": ["ContentArea"]}]}}"""
                .formatted(base, URI.create(base).getRawAuthority());
    }

    static String issueUrl() throws Exception {
        var r = api("", RunningTool.ADMIN_TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Fixtures.object(r.body()).get("url").toString();
    }

    static HttpResponse<String> api(String body, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(tool.baseUrl() + "/api/v1/admin/registrations"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> register(String url, String prefix, String token) {
        var browser = new Browser();
        var page = browser.get(url + "?openid_configuration=" + enc(configUrl(prefix)) + "&registration_token=" + enc(token));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        return confirm(browser, url, configUrl(prefix), token, csrf(page));
    }

    static HttpResponse<String> confirm(Browser browser, String url, String configUrl, String token, String csrf) {
        return browser.postForm(url, Map.of("_csrf", csrf, "openid_configuration", configUrl, "registration_token", token));
    }

    static String csrf(HttpResponse<String> page) {
        Matcher m = CSRF.matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return m.group(1);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> platforms() throws Exception {
        var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(tool.baseUrl() + "/api/v1/admin/platforms"))
                .header("Authorization", "Bearer " + RunningTool.ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readValue(r.body(), List.class);
    }

    static Map<String, Object> onlyPlatform(String issuer, String clientId) throws Exception {
        List<Map<String, Object>> matching = platforms().stream()
                .filter(p -> p.get("issuer").equals(issuer) && p.get("clientId").equals(clientId)).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
