package kz.qatysu.tool.notify;

import kz.qatysu.tool.testing.SteppedClock;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running tool with one section (ten one-hour sessions, student P-1001 and teacher T-7, as the sync daemon
 * uploads them), a registered Moodle platform, and helpers to launch, mark and read the outbox.
 */
final class WarningsFixture implements AutoCloseable {
    static final String SECTION = "ATT101-2025";
    final SteppedClock clock = new SteppedClock(Instant.now());
    final RunningTool tool;
    final TestPlatform platform;
    private final HttpClient http = HttpClient.newHttpClient();

    WarningsFixture(Map<String, String> env) {
        tool = RunningTool.start(env, clock);
        platform = new TestPlatform("http://127.0.0.1:8100", "c5dFF2OU3Si4N9D", "1");
        assertThat(api("POST", "/api/v1/admin/platforms", platform.registrationJson()).statusCode()).isEqualTo(201);
        api("PUT", "/api/v1/sections/" + SECTION, "{\"title\":\"Attendance 101\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\"}");
        api("PUT", "/api/v1/sections/" + SECTION + "/enrolments", "[{\"personId\":\"P-1001\",\"role\":\"student\"},"
                + "{\"personId\":\"P-1002\",\"role\":\"student\"},{\"personId\":\"T-7\",\"role\":\"teacher\"}]");
        String sessions = IntStream.rangeClosed(1, 10).mapToObj(i -> String.format(
                "{\"sessionId\":\"S-%d\",\"start\":\"2026-09-%02dT08:00:00+05:00\",\"end\":\"2026-09-%02dT08:50:00+05:00\",\"kind\":\"lecture\",\"hours\":1}",
                i, i + 1, i + 1)).collect(Collectors.joining(",", "[", "]"));
        assertThat(api("PUT", "/api/v1/sections/" + SECTION + "/sessions", sessions).statusCode()).isEqualTo(200);
    }

    HttpResponse<String> api(String method, String path, String body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(tool.baseUrl() + path))
                    .header("Authorization", "Bearer " + RunningTool.ADMIN_TOKEN).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The student P-1001 (Moodle user 5, aliya@example.kz) launches in Kazakh. */
    void studentLaunches() {
        var r = new LtiFlow(tool, platform, new Browser()).launch((nonce, target) -> LaunchClaims.moodleStudent(platform, nonce, target));
        assertThat(r.statusCode()).isEqualTo(303);
    }

    /** The teacher T-7 (Moodle user 3, aigul@example.kz) launches in Russian. */
    void teacherLaunches() {
        var r = new LtiFlow(tool, platform, new Browser()).launch((nonce, target) -> {
            Map<String, Object> c = LaunchClaims.moodleTeacher(platform, nonce, target);
            c.put("email", "aigul@example.kz");
            return c;
        });
        assertThat(r.statusCode()).isEqualTo(303);
    }

    /** A portal person (e.g. a student's adviser) launches once with their e-mail and language, teaching the tool both. */
    void adviserLaunches(String personId, String email, String locale) {
        var r = new LtiFlow(tool, platform, new Browser()).launch((nonce, target) -> {
            Map<String, Object> c = LaunchClaims.moodleTeacher(platform, nonce, target);
            c.put("sub", "moodle-" + personId);
            c.put("name", "Adviser " + personId);
            c.put("email", email);
            c.put(LaunchClaims.LTI + "lis", Map.of("person_sourcedid", personId, "course_section_sourcedid", SECTION));
            c.put(LaunchClaims.LTI + "launch_presentation", Map.of("locale", locale, "document_target", "iframe"));
            return c;
        });
        assertThat(r.statusCode()).isEqualTo(303);
    }

    void mark(String person, String status, int... sessions) {
        for (int s : sessions) {
            assertThat(api("PUT", "/api/v1/sessions/S-" + s + "/marks",
                    "[{\"personId\":\"" + person + "\",\"status\":\"" + status + "\"}]").statusCode()).isEqualTo(200);
        }
    }

    Notifier.Pass deliver() {
        return tool.app().deliverWarnings();
    }

    /** Outbox rows as "recipient channel kind status attempts". */
    List<String> outbox() {
        return tool.database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT recipient_id || ' ' || channel || ' ' || kind || ' ' || status || ' ' || attempts
                        FROM notification ORDER BY id""").mapTo(String.class).list());
    }

    String lastError(String recipient) {
        return tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT last_error FROM notification WHERE recipient_id = :r ORDER BY id DESC LIMIT 1")
                .bind("r", recipient).mapTo(String.class).one());
    }

    /** The dean's office signed in to the admin pages. */
    Browser admin() {
        Browser browser = new Browser();
        String form = browser.get(tool.baseUrl() + "/admin").body();
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form);
        assertThat(m.find()).isTrue();
        var r = browser.postForm(tool.baseUrl() + "/admin/signin", Map.of("_csrf", m.group(1), "token", RunningTool.ADMIN_TOKEN));
        assertThat(r.statusCode()).isEqualTo(303);
        return browser;
    }

    @Override
    public void close() {
        tool.close();
        platform.close();
    }

}
