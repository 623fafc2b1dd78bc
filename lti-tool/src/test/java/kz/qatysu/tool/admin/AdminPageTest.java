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
    void wrong_tokens_back_off_the_address_but_the_right_token_still_signs_in() {
        for (int i = 0; i < SignInThrottle.FREE_FAILURES; i++) {
            assertThat(signIn(new Browser(), "guess-" + i).statusCode()).isEqualTo(401);
        }
        var backedOff = signIn(new Browser(), "guess-again");
        assertThat(backedOff.statusCode()).isEqualTo(429);
        assertThat(backedOff.body()).contains("answered more slowly", "the right token is always accepted");

        assertThat(signIn(new Browser(), RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(303);
        assertThat(signIn(new Browser(), "a-new-guess").statusCode()).as("the right token clears the count").isEqualTo(401);
    }

    @Test
    void without_trusted_proxies_a_forwarded_address_is_ignored_so_it_cannot_escape_the_backoff() throws Exception {
        for (int i = 0; i <= SignInThrottle.FREE_FAILURES; i++) {
            signInFrom(tool, "203.0.113.7", "guess-" + i);
        }
        assertThat(signInFrom(tool, "198.51.100.9", "guess-from-elsewhere").statusCode()).isEqualTo(429);
        assertThat(signInFrom(tool, "198.51.100.9", RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(303);
    }

    @Test
    void behind_a_trusted_proxy_each_client_address_has_its_own_backoff() throws Exception {
        try (RunningTool proxied = RunningTool.start(Map.of("QATYSU_HTTP_TRUSTED_PROXIES", "127.0.0.1, ::1"), clock)) {
            for (int i = 0; i < SignInThrottle.FREE_FAILURES; i++) {
                assertThat(signInFrom(proxied, "203.0.113.7", "guess-" + i).statusCode()).isEqualTo(401);
            }
            assertThat(signInFrom(proxied, "203.0.113.7", "guess-again").statusCode()).isEqualTo(429);

            assertThat(signInFrom(proxied, "198.51.100.9", "a-typo").statusCode()).as("another dean behind the proxy").isEqualTo(401);
            assertThat(signInFrom(proxied, "198.51.100.9", RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(303);
            assertThat(signInFrom(proxied, "203.0.113.7", RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(303);
        }
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

    /** A sign-in through a reverse proxy that says the browser is at {@code forwardedFor}. */
    static HttpResponse<String> signInFrom(RunningTool target, String forwardedFor, String token) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        var form = http.send(HttpRequest.newBuilder(URI.create(target.baseUrl() + "/admin"))
                .header("X-Forwarded-For", forwardedFor).build(), HttpResponse.BodyHandlers.ofString());
        String pre = form.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(AdminHandler.PRE_COOKIE + "="))
                .findFirst().orElseThrow().split(";")[0];
        return http.send(HttpRequest.newBuilder(URI.create(target.baseUrl() + "/admin/signin"))
                .header("X-Forwarded-For", forwardedFor).header("Cookie", pre)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Browser.encode(Map.of("_csrf", csrf(form), "token", token))))
                .build(), HttpResponse.BodyHandlers.ofString());
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
