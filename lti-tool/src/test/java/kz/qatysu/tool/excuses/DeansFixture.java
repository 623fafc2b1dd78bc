package kz.qatysu.tool.excuses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A running tool with one seeded section (ten past one-hour sessions, students P-1001 and P-1002, teacher T-7)
 * and helpers to launch as those people, sign in as the dean's office, and send multipart forms and byte requests
 * over real HTTP.
 */
public final class DeansFixture implements AutoCloseable {
    public static final String SECTION = "ATT101-2025";
    public static final String SECTION_TITLE = "Қатысу және прокторинг 101";
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    public final RunningTool tool;
    public final TestPlatform platform;
    public final Path dataDir;

    private DeansFixture(RunningTool tool, TestPlatform platform, Path dataDir) {
        this.tool = tool;
        this.platform = platform;
        this.dataDir = dataDir;
    }

    public static DeansFixture start(Map<String, String> env) {
        return start(env, Clock.systemUTC());
    }

    public static DeansFixture start(Map<String, String> env, Clock clock) {
        try {
            Path dataDir = Files.createTempDirectory("qatysu-excuses");
            Map<String, String> all = new HashMap<>(env);
            all.put("QATYSU_DATA_DIR", dataDir.toString());
            RunningTool tool = RunningTool.start(all, clock);
            TestPlatform platform = new TestPlatform("https://moodle.example.kz", "excuses-client", "1");
            new LtiFlow(tool, platform, new Browser()).register();
            DeansFixture f = new DeansFixture(tool, platform, dataDir);
            f.seed();
            return f;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same seeded fixture on a tool that runs its own embedded PostgreSQL in {@code dataDir} (as production does). */
    public static DeansFixture startOnDataDir(Path dataDir, Map<String, String> env) {
        RunningTool tool = RunningTool.onDataDir(dataDir, env);
        TestPlatform platform = new TestPlatform("https://moodle.example.kz", "excuses-client", "1");
        new LtiFlow(tool, platform, new Browser()).register();
        DeansFixture f = new DeansFixture(tool, platform, dataDir);
        f.seed();
        return f;
    }

    /** A tool started on a data directory that already holds its data (a restored one): nothing registered or seeded. */
    public static DeansFixture reopen(Path dataDir, Map<String, String> env) {
        RunningTool tool = RunningTool.onDataDir(dataDir, env);
        return new DeansFixture(tool, new TestPlatform("https://moodle.example.kz", "excuses-client", "1"), dataDir);
    }

    private void seed() {
        ok(api("PUT", "/api/v1/sections/" + SECTION, "{\"title\": \"" + SECTION_TITLE
                + "\", \"termStart\": \"2026-09-01\", \"termEnd\": \"2026-12-25\"}", RunningTool.ADMIN_TOKEN));
        timetable();
        ok(api("PUT", "/api/v1/sections/" + SECTION + "/enrolments", """
                [{"personId":"P-1001","role":"student"},{"personId":"P-1002","role":"student"},{"personId":"T-7","role":"teacher"}]""",
                RunningTool.ADMIN_TOKEN));
    }

    /** Uploads the timetable: S-1…S-10 (2–11 September 2026, 08:00 Almaty) plus {@code extra} sessions as JSON. */
    public void timetable(String... extra) {
        List<String> sessions = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            LocalDate day = LocalDate.of(2026, 9, 1).plusDays(i);
            sessions.add("{\"sessionId\":\"S-" + i + "\",\"start\":\"" + day + "T08:00:00+05:00\",\"end\":\"" + day
                    + "T08:50:00+05:00\",\"kind\":\"lecture\",\"hours\":1,\"room\":\"A-204\",\"onlineUrl\":null}");
        }
        sessions.addAll(List.of(extra));
        ok(api("PUT", "/api/v1/sections/" + SECTION + "/sessions", "[" + String.join(",", sessions) + "]", RunningTool.ADMIN_TOKEN));
    }

    /** Marks {@code personId} ABSENT on the given sessions (through the marks API, as the teacher's app would). */
    public void absent(String personId, String... sessionIds) {
        for (String s : sessionIds) {
            ok(api("PUT", "/api/v1/sessions/" + s + "/marks", "[{\"personId\":\"" + personId + "\",\"status\":\"ABSENT\"}]",
                    RunningTool.ADMIN_TOKEN));
        }
    }

    public JsonNode standingOf(String personId) {
        JsonNode all = ok(api("GET", "/api/v1/sections/" + SECTION + "/standing", null, RunningTool.ADMIN_TOKEN));
        JsonNode rows = all.isArray() ? all : all.path("students");
        for (JsonNode r : rows) {
            if (r.path("personId").asText().equals(personId)) {
                return r;
            }
        }
        throw new AssertionError("no standing of " + personId + " in " + all);
    }

    /** A browser inside a course after a launch; {@code base} is {@code /app/<launch>}. */
    public record Launch(Browser browser, String base) {
    }

    public Launch student(String personId, String sub, String name) {
        Browser browser = new Browser();
        var r = new LtiFlow(tool, platform, browser).launch((nonce, target) -> {
            Map<String, Object> c = LaunchClaims.moodleStudent(platform, nonce, target);
            c.put("sub", sub);
            c.put("name", name);
            c.put(LaunchClaims.LTI + "lis", Map.of("person_sourcedid", personId, "course_section_sourcedid", SECTION));
            return c;
        });
        return launched(browser, r);
    }

    public Launch teacher() {
        Browser browser = new Browser();
        var r = new LtiFlow(tool, platform, browser).launch((nonce, target) -> LaunchClaims.moodleTeacher(platform, nonce, target));
        return launched(browser, r);
    }

    private Launch launched(Browser browser, HttpResponse<String> r) {
        if (r.statusCode() != 303) {
            throw new AssertionError("launch failed: " + r.statusCode() + " " + r.body());
        }
        String location = r.headers().firstValue("Location").orElseThrow();
        return new Launch(browser, location.endsWith("/") ? location.substring(0, location.length() - 1) : location);
    }

    public Browser admin() {
        Browser browser = new Browser();
        String form = browser.get(tool.baseUrl() + "/admin").body();
        var r = browser.postForm(tool.baseUrl() + "/admin/signin", Map.of("_csrf", csrf(form), "token", RunningTool.ADMIN_TOKEN));
        if (r.statusCode() != 303) {
            throw new AssertionError("admin sign-in failed: " + r.statusCode());
        }
        return browser;
    }

    public static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no CSRF field in " + html);
        }
        return m.group(1);
    }

    public HttpResponse<String> api(String method, String path, String json, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tool.baseUrl() + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b, HttpResponse.BodyHandlers.ofString());
    }

    public static JsonNode ok(HttpResponse<String> r) {
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError("expected 2xx, got " + r.statusCode() + ": " + r.body());
        }
        try {
            return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A GET with the browser's cookies whose body is kept as bytes (downloads). */
    public HttpResponse<byte[]> bytes(Browser browser, String path) {
        return send(withCookies(HttpRequest.newBuilder(URI.create(tool.baseUrl() + path)).GET(), browser),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A multipart/form-data POST as a browser sends the excuse form; {@code file} may be null. */
    public HttpResponse<String> multipart(Browser browser, String path, Map<String, List<String>> fields, String fileName,
                                          byte[] file) {
        String boundary = "----qatysu" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((name, values) -> values.forEach(v -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + v + "\r\n").getBytes(StandardCharsets.UTF_8))));
        if (file != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"document\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(file);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tool.baseUrl() + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        return send(withCookies(b, browser), HttpResponse.BodyHandlers.ofString());
    }

    /** The excuse form's fields for a date range (or chosen sessions when {@code from} is null). */
    public static Map<String, List<String>> form(String csrf, String from, String to, List<String> sessions, String reason) {
        Map<String, List<String>> f = new LinkedHashMap<>();
        f.put("_csrf", List.of(csrf));
        f.put("dateFrom", List.of(from == null ? "" : from));
        f.put("dateTo", List.of(to == null ? "" : to));
        f.put("session", sessions);
        f.put("reason", List.of(reason));
        return f;
    }

    /** The excuse documents in the media store (the default folder store under dataDir). */
    public List<Path> storedDocuments() {
        Path dir = dataDir.resolve("proctoring").resolve("media").resolve("excuses");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public long excuseCount() {
        return tool.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM excuse").mapTo(Long.class).one());
    }

    public long newestExcuse() {
        return tool.database().jdbi().withHandle(h -> h.createQuery("SELECT max(id) FROM excuse").mapTo(Long.class).one());
    }

    public Map<String, Object> mark(String sessionId, String personId) {
        return tool.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT status, reason, updated_by FROM mark WHERE session_id = :s AND person_id = :p")
                .bind("s", sessionId).bind("p", personId).mapToMap().findOne().orElse(Map.of()));
    }

    private static HttpRequest.Builder withCookies(HttpRequest.Builder b, Browser browser) {
        if (!browser.cookies().isEmpty()) {
            b.header("Cookie", browser.cookies().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        return b;
    }

    private static <T> HttpResponse<T> send(HttpRequest.Builder b, HttpResponse.BodyHandler<T> handler) {
        try {
            return HTTP.send(b.build(), handler);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Two warnings the dean's office must see on /admin/notifications for {@code sectionId}: one skipped for a reason
     * of ours (translated on the page), one failing with the LMS's own answer (shown as the LMS said it).
     */
    public void notificationProblems(String sectionId) {
        tool.database().jdbi().useHandle(h -> h.execute("""
                INSERT INTO notification (history_id, section_id, student_id, recipient_id, recipient_role, channel, kind, status,
                                          attempts, next_attempt_at, last_error, created_at)
                VALUES (900001, ?, 'P-1001', 'P-1001', 'student', 'email', 'WARNING', 'SKIPPED', 1, now(),
                        'no e-mail address known (no launch with an email claim yet)', now()),
                       (900002, ?, 'P-1002', 'T-7', 'teacher', 'moodle', 'LOCKED', 'PENDING', 2, now() + INTERVAL '1 day',
                        'Moodle: message not sent: invalidrecord', now())""", sectionId, sectionId));
    }

    @Override
    public void close() {
        tool.close();
        platform.close();
    }
}
