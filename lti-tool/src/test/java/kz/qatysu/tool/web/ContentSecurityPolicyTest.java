package kz.qatysu.tool.web;

import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every page type answers with a Content-Security-Policy that allows no inline script or style except the ones
 * carrying the response's own nonce, and no page has an inline event handler or style attribute left.
 */
class ContentSecurityPolicyTest {
    private static final String SECTION = "CSP101-2025";
    private static final Pattern NONCE = Pattern.compile("script-src 'self' 'nonce-([A-Za-z0-9_-]{16,})'");
    private static final Pattern TAG = Pattern.compile("<(script|style)\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    private static final Pattern HANDLER = Pattern.compile("<[a-z][^>]*\\s(on[a-z]+|style)\\s*=", Pattern.CASE_INSENSITIVE);
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    static RunningTool tool;
    static TestPlatform platform;

    @BeforeAll
    static void start() {
        tool = RunningTool.start();
        platform = new TestPlatform("http://127.0.0.1:8102", "csp-client", "1");
        new LtiFlow(tool, platform, new Browser()).register();
        admin("PUT", "/api/v1/sections/" + SECTION, "{\"title\":\"CSP 101\",\"termStart\":\"2020-01-01\",\"termEnd\":\"2099-12-31\"}");
        admin("PUT", "/api/v1/sections/" + SECTION + "/enrolments",
                "[{\"personId\":\"P-1\",\"role\":\"student\"},{\"personId\":\"T-1\",\"role\":\"teacher\"}]");
        OffsetDateTime s = OffsetDateTime.now(ZoneOffset.ofHours(5)).truncatedTo(ChronoUnit.MINUTES).minusMinutes(2);
        admin("PUT", "/api/v1/sections/" + SECTION + "/sessions", "[{\"sessionId\":\"CSP-S1\",\"start\":\"" + s
                + "\",\"end\":\"" + s.plusMinutes(50) + "\",\"kind\":\"lecture\",\"hours\":1}]");
    }

    @AfterAll
    static void stop() {
        tool.close();
        platform.close();
    }

    @Test
    void every_page_type_runs_only_scripts_and_styles_with_its_own_nonce() {
        Browser teacherBrowser = new Browser();
        String teacher = launch(teacherBrowser, "3", "T-1", true);
        Browser studentBrowser = new Browser();
        String student = launch(studentBrowser, "5", "P-1", false);

        Map<String, HttpResponse<String>> pages = new LinkedHashMap<>();
        pages.put("login cookie check", new Browser().postForm(tool.baseUrl() + "/lti/login", loginForm()));
        pages.put("course home (teacher)", teacherBrowser.get(tool.baseUrl() + teacher + "/"));
        pages.put("marking grid", teacherBrowser.get(tool.baseUrl() + teacher + "/sessions/CSP-S1"));
        pages.put("new sessions", teacherBrowser.get(tool.baseUrl() + teacher + "/timetable/new"));
        pages.put("check-in (teacher)", teacherBrowser.get(tool.baseUrl() + teacher + "/checkin/CSP-S1"));
        var open = teacherBrowser.postForm(tool.baseUrl() + teacher + "/checkin/CSP-S1/open",
                Map.of("_csrf", csrf(pages.get("check-in (teacher)").body())));
        assertThat(open.statusCode()).isEqualTo(303);
        pages.put("projector", teacherBrowser.get(tool.baseUrl() + teacher + "/checkin/CSP-S1/projector"));
        pages.put("excuses (teacher)", teacherBrowser.get(tool.baseUrl() + teacher + "/excuses"));
        pages.put("course home (student)", studentBrowser.get(tool.baseUrl() + student + "/"));
        pages.put("check-in (student)", studentBrowser.get(tool.baseUrl() + student + "/checkin"));
        pages.put("exam gate (student)", studentBrowser.get(tool.baseUrl() + student + "/exam-gate"));
        Browser adminBrowser = new Browser();
        pages.put("admin sign-in", adminBrowser.get(tool.baseUrl() + "/admin"));
        adminBrowser.postForm(tool.baseUrl() + "/admin/signin",
                Map.of("_csrf", csrf(pages.get("admin sign-in").body()), "token", RunningTool.ADMIN_TOKEN));
        pages.put("admin platforms", adminBrowser.get(tool.baseUrl() + "/admin"));
        pages.put("dean's office section", adminBrowser.get(tool.baseUrl() + "/admin/sections/" + SECTION));
        pages.put("error page", new Browser().get(tool.baseUrl() + "/no-such-page"));

        pages.forEach((name, r) -> {
            assertThat(r.statusCode()).as(name).isIn(200, 404);
            String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow(() -> new AssertionError(name + ": no CSP"));
            assertThat(csp).as(name).contains("default-src 'self'", "object-src 'none'", "frame-ancestors ")
                    .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
            Matcher n = NONCE.matcher(csp);
            assertThat(n.find()).as(name + ": " + csp).isTrue();
            assertThat(csp).as(name).contains("style-src 'self' 'nonce-" + n.group(1) + "'");
            Matcher tag = TAG.matcher(r.body());
            while (tag.find()) {
                assertThat(tag.group(2)).as(name + ": " + tag.group()).contains("nonce=\"" + n.group(1) + "\"");
            }
            assertThat(HANDLER.matcher(r.body()).find()).as(name + ": an inline handler or style attribute").isFalse();
        });
        assertThat(pages.get("marking grid").body()).contains("<script nonce=");
        assertThat(pages.get("check-in (student)").body()).contains("<script nonce=");
        assertThat(pages.get("admin platforms").headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("frame-ancestors 'none'", "form-action 'self'");
        assertThat(pages.get("course home (teacher)").headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("frame-ancestors 'self' http://127.0.0.1:8102");
    }

    @Test
    void each_response_gets_a_fresh_nonce() {
        String a = new Browser().get(tool.baseUrl() + "/admin").headers().firstValue("Content-Security-Policy").orElseThrow();
        String b = new Browser().get(tool.baseUrl() + "/admin").headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void course_pages_are_never_stored_by_a_cache() {
        Browser browser = new Browser();
        String teacher = launch(browser, "3", "T-1", true);
        for (String path : List.of("/", "/sessions/CSP-S1", "/checkin", "/excuses", "/reports/course")) {
            var r = browser.get(tool.baseUrl() + teacher + path);
            assertThat(r.headers().firstValue("Cache-Control").orElse("")).as(path).contains("no-store");
        }
    }

    @Test
    void no_template_has_an_inline_script_or_style_without_the_nonce_or_an_inline_handler() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/jte"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".jte")).toList()) {
                String text = Files.readString(p);
                Matcher tag = TAG.matcher(text);
                while (tag.find()) {
                    assertThat(tag.group(2)).as(p + ": " + tag.group()).contains("nonce=\"${Csp.nonce()}\"");
                }
                assertThat(HANDLER.matcher(text).find()).as(p + ": an inline handler or style attribute").isFalse();
                assertThat(text).as(p.toString()).doesNotContainIgnoringCase("javascript:");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    static Map<String, String> loginForm() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("iss", platform.issuer);
        form.put("target_link_uri", tool.baseUrl() + "/lti/launch");
        form.put("login_hint", "5");
        form.put("client_id", platform.clientId);
        form.put("lti_deployment_id", platform.deploymentId);
        return form;
    }

    static String launch(Browser browser, String sub, String personId, boolean teacher) {
        var r = new LtiFlow(tool, platform, browser).launch((nonce, target) -> {
            Map<String, Object> c = teacher ? LaunchClaims.moodleTeacher(platform, nonce, target)
                    : LaunchClaims.moodleStudent(platform, nonce, target);
            c.put("sub", sub);
            c.put(LaunchClaims.LTI + "lis", Map.of("person_sourcedid", personId, "course_section_sourcedid", SECTION));
            return c;
        });
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        String location = r.headers().firstValue("Location").orElseThrow();
        return location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
    }

    static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as(html).isTrue();
        return m.group(1);
    }

    static void admin(String method, String path, String json) {
        try {
            var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(tool.baseUrl() + path))
                    .header("Authorization", "Bearer " + RunningTool.ADMIN_TOKEN).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path + ": " + r.body()).isBetween(200, 299);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
