package kz.qatysu.tool.testing;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser inside a course after an LTI launch: the course pages' base ({@code /app/<launch>}) and the requests a
 * test makes there, with the launch's cookies.
 */
public record CourseBrowser(RunningTool tool, Browser browser, String base) {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    /**
     * Launches through the OIDC flow with Moodle 4.5's student claims as {@code edit} changes them, and fails the
     * test unless the tool answers with its redirect into the course.
     */
    public static CourseBrowser launch(RunningTool tool, TestPlatform platform, Consumer<Map<String, Object>> edit) {
        Browser browser = new Browser();
        var launch = new LtiFlow(tool, platform, browser).launch((nonce, target) -> {
            Map<String, Object> c = LaunchClaims.moodleStudent(platform, nonce, target);
            edit.accept(c);
            return c;
        });
        assertThat(launch.statusCode()).as(launch.body()).isEqualTo(303);
        String location = launch.headers().firstValue("Location").orElseThrow();
        return new CourseBrowser(tool, browser, location.endsWith("/") ? location.substring(0, location.length() - 1) : location);
    }

    public HttpResponse<String> home() {
        return get("/");
    }

    public HttpResponse<String> get(String path) {
        return browser.get(tool.baseUrl() + base + path);
    }

    public HttpResponse<String> post(String path, Map<String, String> form) {
        return browser.postForm(tool.baseUrl() + base + path, form);
    }

    /** Follows a 303 the way a browser does; fails the test for any other answer. */
    public HttpResponse<String> follow(HttpResponse<String> redirect) {
        assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(303);
        return browser.get(tool.baseUrl() + redirect.headers().firstValue("Location").orElseThrow());
    }

    /** The CSRF token of the first form on the page at {@code path}. */
    public String csrf(String path) {
        return csrfOf(get(path).body());
    }

    /** The CSRF token of the first form in {@code html}; fails the test when there is none. */
    public static String csrfOf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a CSRF field in " + html).isTrue();
        return m.group(1);
    }
}
