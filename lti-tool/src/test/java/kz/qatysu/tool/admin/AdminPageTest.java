package kz.qatysu.tool.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.MovableClock;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class AdminPageTest {
    static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    static final ObjectMapper JSON = new ObjectMapper();
    static MovableClock clock = new MovableClock();
    static RunningTool tool;
    static TestPlatform platform;

    @BeforeAll
    static void start() {
        tool = RunningTool.start(Map.of(), clock);
        platform = new TestPlatform("https://moodle.example.kz", "api-client-1", "1");
        new LtiFlow(tool, platform, new Browser()).register();
    }

    @AfterAll
    static void stop() {
        tool.close();
        platform.close();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void without_a_session_admin_shows_the_sign_in_form() {
        var r = new Browser().get(tool.baseUrl() + "/admin");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("name=\"token\"", "type=\"password\"", "Administrator sign-in").doesNotContain("api-client-1");
        assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'");
    }

    @Test
    void the_sign_in_form_is_in_the_browsers_language() {
        var ru = new Browser();
        assertThat(getWithLanguage(ru, "ru-RU,ru;q=0.9").body()).contains("Вход администратора", "lang=\"ru\"");
        assertThat(getWithLanguage(new Browser(), "kk").body()).contains("Әкімшінің кіруі", "lang=\"kk\"");
    }

    @Test
    void a_wrong_token_is_refused_without_a_session() {
        var browser = new Browser();
        var r = signIn(browser, "not-the-token");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("Wrong token");
        assertThat(browser.cookies()).doesNotContainKey(AdminSessions.COOKIE);
        assertThat(browser.get(tool.baseUrl() + "/admin").body()).contains("name=\"token\"");
    }

    @Test
    void signing_in_opens_a_first_party_session_and_lists_platforms_registered_through_the_api() {
        var browser = new Browser();
        var r = signIn(browser, RunningTool.ADMIN_TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        assertThat(r.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith(AdminSessions.COOKIE + "=")
                .contains("HttpOnly", "Secure", "SameSite=Strict", "Path=/admin", "Max-Age=28800"));
        var page = browser.get(tool.baseUrl() + "/admin");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("https://moodle.example.kz", "api-client-1", "Registered platforms");
    }

    @Test
    void a_form_with_errors_shows_them_per_field_and_stores_nothing() throws Exception {
        var browser = signedIn();
        int before = platforms().size();
        Map<String, String> form = platformForm("ftp://moodle.example.kz", "", "<b>Moodle</b>");
        form.put("_csrf", csrf(browser.get(tool.baseUrl() + "/admin")));
        var r = browser.postForm(tool.baseUrl() + "/admin/platforms", form);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("id=\"e-issuer\"", "id=\"e-clientId\"", "Nothing was saved")
                .doesNotContain("id=\"e-name\"", "id=\"e-keySetUrl\"")
                .contains("value=\"ftp://moodle.example.kz\"", "value=\"&lt;b>Moodle&lt;/b>\"").doesNotContain("<b>Moodle</b>");
        assertThat(platforms()).hasSize(before);
    }

    @Test
    void a_valid_form_adds_the_platform() throws Exception {
        var browser = signedIn();
        Map<String, String> form = platformForm("https://moodle2.example.kz", "form-client", "Second Moodle");
        form.put("_csrf", csrf(browser.get(tool.baseUrl() + "/admin")));
        var r = browser.postForm(tool.baseUrl() + "/admin/platforms", form);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        Map<String, Object> added = platforms().stream().filter(p -> p.get("clientId").equals("form-client")).findFirst().orElseThrow();
        assertThat(added).containsEntry("deploymentIds", List.of("3", "4")).containsEntry("source", "admin-web");
        assertThat(browser.get(tool.baseUrl() + "/admin").body()).contains("Second Moodle", "form-client");
    }

    @Test
    void posts_without_the_csrf_token_are_forbidden() throws Exception {
        var browser = signedIn();
        int before = platforms().size();
        var add = browser.postForm(tool.baseUrl() + "/admin/platforms", platformForm("https://moodle3.example.kz", "csrf-client", "X"));
        assertThat(add.statusCode()).isEqualTo(403);
        var wrong = new LinkedHashMap<>(platformForm("https://moodle3.example.kz", "csrf-client", "X"));
        wrong.put("_csrf", "forged");
        assertThat(browser.postForm(tool.baseUrl() + "/admin/platforms", wrong).statusCode()).isEqualTo(403);
        assertThat(browser.postForm(tool.baseUrl() + "/admin/registrations", Map.of()).statusCode()).isEqualTo(403);
        assertThat(new Browser().postForm(tool.baseUrl() + "/admin/signin", Map.of("token", RunningTool.ADMIN_TOKEN)).statusCode()).isEqualTo(403);
        assertThat(platforms()).hasSize(before);
    }

    @Test
    void disable_turns_the_platform_off() throws Exception {
        var browser = signedIn();
        Map<String, String> form = platformForm("https://moodle4.example.kz", "to-disable", "Old Moodle");
        form.put("_csrf", csrf(browser.get(tool.baseUrl() + "/admin")));
        assertThat(browser.postForm(tool.baseUrl() + "/admin/platforms", form).statusCode()).isEqualTo(303);
        Object id = platforms().stream().filter(p -> p.get("clientId").equals("to-disable")).findFirst().orElseThrow().get("id");
        var r = browser.postForm(tool.baseUrl() + "/admin/platforms/" + id + "/disable",
                Map.of("_csrf", csrf(browser.get(tool.baseUrl() + "/admin"))));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(platforms().stream().filter(p -> p.get("id").equals(id)).findFirst().orElseThrow()).containsEntry("enabled", false);
    }

    @Test
    void the_registration_url_is_shown_once_and_is_a_live_code() {
        var browser = signedIn();
        var r = browser.postForm(tool.baseUrl() + "/admin/registrations", Map.of("_csrf", csrf(browser.get(tool.baseUrl() + "/admin"))));
        assertThat(r.statusCode()).isEqualTo(200);
        Matcher m = Pattern.compile("id=\"registration-url\">([^<]+)<").matcher(r.body());
        assertThat(m.find()).isTrue();
        String url = m.group(1);
        assertThat(url).startsWith(tool.baseUrl() + "/lti/register/");
        assertThat(browser.get(tool.baseUrl() + "/admin").body()).doesNotContain(url);
        // a live code gets past the code check to the missing platform configuration
        assertThat(new Browser().get(url).body()).contains("MISSING_OPENID_CONFIGURATION");
    }

    @Test
    void signing_out_ends_the_session() {
        var browser = signedIn();
        String cookie = browser.cookies().get(AdminSessions.COOKIE);
        var r = browser.postForm(tool.baseUrl() + "/admin/signout", Map.of("_csrf", csrf(browser.get(tool.baseUrl() + "/admin"))));
        assertThat(r.statusCode()).isEqualTo(303);
        var stale = new Browser();
        stale.cookies().put(AdminSessions.COOKIE, cookie);
        assertThat(stale.get(tool.baseUrl() + "/admin").body()).contains("name=\"token\"").doesNotContain("api-client-1");
    }

    @Test
    void a_session_expires_after_eight_hours() {
        var browser = signedIn();
        clock.advance(Duration.ofHours(8).plusMinutes(1));
        assertThat(browser.get(tool.baseUrl() + "/admin").body()).contains("name=\"token\"");
    }

    @Test
    void repeated_failures_lock_the_address_out_even_for_the_right_token() {
        for (int i = 0; i < SignInThrottle.MAX_FAILURES; i++) {
            assertThat(signIn(new Browser(), "guess-" + i).statusCode()).isEqualTo(401);
        }
        var locked = signIn(new Browser(), RunningTool.ADMIN_TOKEN);
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.body()).contains("Too many failed sign-ins");
        clock.advance(SignInThrottle.LOCKOUT.plusMinutes(1));
        assertThat(signIn(new Browser(), RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(303);
    }

    // ---------------------------------------------------------------------------------------------------------

    static Browser signedIn() {
        var browser = new Browser();
        assertThat(signIn(browser, RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(303);
        return browser;
    }

    static HttpResponse<String> signIn(Browser browser, String token) {
        var form = browser.get(tool.baseUrl() + "/admin");
        return browser.postForm(tool.baseUrl() + "/admin/signin", Map.of("_csrf", csrf(form), "token", token));
    }

    static HttpResponse<String> getWithLanguage(Browser unused, String language) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(tool.baseUrl() + "/admin"))
                    .header("Accept-Language", language).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> platformForm(String issuer, String clientId, String name) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("issuer", issuer);
        form.put("clientId", clientId);
        form.put("name", name);
        form.put("authLoginUrl", "https://moodle.example.kz/mod/lti/auth.php");
        form.put("authTokenUrl", "https://moodle.example.kz/mod/lti/token.php");
        form.put("keySetUrl", "https://moodle.example.kz/mod/lti/certs.php");
        form.put("deploymentIds", "3, 4");
        return form;
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
}
