package kz.qatysu.tool.course;

import kz.qatysu.tool.api.Scope;
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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static kz.qatysu.tool.testing.LaunchClaims.LTI;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code attendance.markEditLockDays = 7}: a teacher cannot change the marks of a session that started more than
 * 7 days ago on the course pages (nor can a sync-scoped API caller); the admin-scoped API still can.
 */
class MarkEditLockTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final String INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";

    static RunningTool tool;
    static TestPlatform platform;
    static LocalDate today = LocalDate.now(ZoneOffset.ofHours(5));
    static LocalDate old = today.minusDays(30);

    @BeforeAll
    static void start() {
        tool = RunningTool.start(Map.of("QATYSU_ATTENDANCE_MARK_EDIT_LOCK_DAYS", "7"), Clock.systemUTC());
        platform = new TestPlatform("http://127.0.0.1:8100", "c5dFF2OU3Si4N9D", "1");
        new LtiFlow(tool, platform, new Browser()).register();
        api("PUT", "/api/v1/sections/LOCK-1", "{\"title\": \"Course LOCK-1\", \"termStart\": \"" + old.minusDays(10)
                + "\", \"termEnd\": \"" + today.plusDays(60) + "\"}");
        api("PUT", "/api/v1/sections/LOCK-1/enrolments",
                "[{\"personId\":\"P-1001\",\"role\":\"student\"},{\"personId\":\"T-7\",\"role\":\"teacher\"}]");
        api("PUT", "/api/v1/sections/LOCK-1/sessions", "[" + session("LOCK-OLD", old) + "," + session("LOCK-NEW", today) + "]");
    }

    @AfterAll
    static void stop() {
        tool.close();
        platform.close();
    }

    @Test
    void a_teacher_cannot_change_an_old_session_but_the_admin_api_can() {
        Browser browser = teacher();
        String base = tool.baseUrl() + "/app/" + launchId;

        Map<String, String> grid = gridOf(browser.get(base + "/sessions/LOCK-OLD?all=present").body());
        grid.replaceAll((k, v) -> k.startsWith("s.") ? "ABSENT" : v);
        var refused = browser.postForm(base + "/sessions/LOCK-OLD/marks", grid);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(refused.body()).as("said in the teacher's language, the day as the pages show it")
                .contains("Nothing was saved", "The marks of this session (" + old.format(java.time.format.DateTimeFormatter.ofPattern("dd.MM.yyyy")) + ")",
                        "can no longer be changed here", "more than 7 days ago").doesNotContain("Marks of session LOCK-OLD");
        assertThat(api("GET", "/api/v1/sections/LOCK-1/standing", null)).as("nothing stored").contains("\"absentHours\":0");

        // a recent session is the teacher's as before
        Map<String, String> recent = gridOf(browser.get(base + "/sessions/LOCK-NEW?all=present").body());
        assertThat(browser.postForm(base + "/sessions/LOCK-NEW/marks", recent).statusCode()).isEqualTo(303);

        // a sync-scoped caller carries teachers' marks: held to the lock too
        String syncToken = tool.app().apiAuth().issue("sync-daemon", java.util.EnumSet.of(Scope.SYNC)).token();
        HttpResponse<String> sync = send("PUT", "/api/v1/sessions/LOCK-OLD/marks",
                "[{\"personId\":\"P-1001\",\"status\":\"ABSENT\"}]", syncToken);
        assertThat(sync.statusCode()).isEqualTo(400);
        assertThat(sync.body()).contains("sessionId", "LOCK-OLD", old.toString());

        // the admin-scoped API (the dean's office path) still corrects it
        assertThat(api("PUT", "/api/v1/sessions/LOCK-OLD/marks", "[{\"personId\":\"P-1001\",\"status\":\"ABSENT\"}]"))
                .contains("\"changed\":1");
        assertThat(api("GET", "/api/v1/sections/LOCK-1/standing", null)).contains("\"absentHours\":1");
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    static String launchId;

    private static Browser teacher() {
        Browser browser = new Browser();
        var launch = new LtiFlow(tool, platform, browser).launch((nonce, target) -> {
            Map<String, Object> c = LaunchClaims.moodleStudent(platform, nonce, target);
            c.put(LTI + "lis", Map.of("person_sourcedid", "T-7", "course_section_sourcedid", "LOCK-1"));
            c.put(LTI + "roles", List.of(INSTRUCTOR));
            c.put("sub", "sub-T-7");
            c.put("name", "Айгүл Серікқызы");
            c.put(LTI + "launch_presentation", Map.of("locale", "en", "document_target", "iframe"));
            return c;
        });
        assertThat(launch.statusCode()).as(launch.body()).isEqualTo(303);
        String location = launch.headers().firstValue("Location").orElseThrow();
        Matcher m = Pattern.compile("/app/([^/]+)").matcher(location);
        assertThat(m.find()).as(location).isTrue();
        launchId = m.group(1);
        return browser;
    }

    private static String session(String id, LocalDate day) {
        return "{\"sessionId\":\"" + id + "\",\"start\":\"" + day + "T08:00:00+05:00\",\"end\":\"" + day
                + "T08:50:00+05:00\",\"kind\":\"lecture\",\"hours\":1,\"room\":\"A-204\"}";
    }

    private static String api(String method, String path, String json) {
        HttpResponse<String> r = send(method, path, json, RunningTool.ADMIN_TOKEN);
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + path + " → " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static HttpResponse<String> send(String method, String path, String json, String token) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(tool.baseUrl() + path))
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> gridOf(String html) {
        Map<String, String> form = new LinkedHashMap<>();
        Matcher csrf = CSRF.matcher(html);
        form.put("_csrf", csrf.find() ? csrf.group(1) : "");
        Matcher person = Pattern.compile("name=\"(p\\.\\d+)\" value=\"([^\"]*)\"").matcher(html);
        while (person.find()) {
            form.put(person.group(1), person.group(2));
        }
        Matcher checked = Pattern.compile("name=\"(s\\.\\d+)\" value=\"([A-Z]+)\" id=\"[^\"]+\" checked").matcher(html);
        while (checked.find()) {
            form.put(checked.group(1), checked.group(2));
        }
        return form;
    }
}
