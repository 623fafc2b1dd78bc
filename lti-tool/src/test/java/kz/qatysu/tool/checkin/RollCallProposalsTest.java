package kz.qatysu.tool.checkin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.SteppedClock;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Roll-call non-responders proposed as absences on the session page, taken by the teacher through the marks (never a
 * mark set otherwise meanwhile), and group sessions in check-in and roll call: only the group's students are asked and
 * accepted. Real launches, real HTTP, a clock the test moves.
 */
class RollCallProposalsTest {
    private static final String SECTION = "RCP101-2026";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SESSIONS = new AtomicInteger();

    static RunningTool tool;
    static TestPlatform platform;
    static SteppedClock clock = new SteppedClock();

    String sessionId;
    String groupSessionId;

    @BeforeAll
    static void start() {
        tool = RunningTool.start(Map.of(), clock);
        platform = new TestPlatform("http://127.0.0.1:8102", "rollcall-client", "1");
        new LtiFlow(tool, platform, new Browser()).register();
        admin("PUT", "/api/v1/sections/" + SECTION, "{\"title\":\"Roll call 101\",\"termStart\":\"2020-01-01\",\"termEnd\":\"2099-12-31\"}");
        admin("PUT", "/api/v1/sections/" + SECTION + "/enrolments", """
                [{"personId":"P-1001","role":"student","group":"ИС-24-1"},{"personId":"P-1002","role":"student","group":"ИС-24-1"},
                 {"personId":"P-1003","role":"student","group":"ИС-24-2"},{"personId":"P-1004","role":"student","group":"ИС-24-1"},
                 {"personId":"T-7","role":"teacher"}]""");
    }

    @AfterAll
    static void stop() {
        tool.close();
        platform.close();
    }

    /** Each test gets a lecture for everyone and a seminar of ИС-24-1, both started two minutes ago. */
    @BeforeEach
    void newSessions() {
        clock.reset();
        int n = SESSIONS.incrementAndGet();
        sessionId = "RC-L" + n;
        groupSessionId = "RC-S" + n;
        OffsetDateTime start = clock.instant().atOffset(ZoneOffset.ofHours(5)).truncatedTo(ChronoUnit.MINUTES).minusMinutes(2);
        StringBuilder all = new StringBuilder("[");
        for (int i = 1; i <= n; i++) {
            OffsetDateTime s = i == n ? start : OffsetDateTime.of(2030, 1, i, 8, 0, 0, 0, ZoneOffset.ofHours(5));
            all.append(i > 1 ? "," : "")
                    .append(session("RC-L" + i, s, null)).append(',').append(session("RC-S" + i, s, "ИС-24-1"));
        }
        admin("PUT", "/api/v1/sections/" + SECTION + "/sessions", all.append("]").toString());
    }

    static String session(String id, OffsetDateTime start, String group) {
        return "{\"sessionId\":\"" + id + "\",\"start\":\"" + start + "\",\"end\":\"" + start.plusMinutes(50)
                + "\",\"kind\":\"" + (group == null ? "lecture" : "seminar") + "\",\"hours\":1"
                + (group == null ? "" : ",\"group\":\"" + group + "\"") + "}";
    }

    @Test
    void after_a_roll_call_the_non_responders_are_proposed_absent_and_the_ticked_ones_are_marked_by_the_teacher() {
        User teacher = teacher();
        String rollCall = teacher.startRollCall(sessionId);
        student("11", "P-1001").confirm(rollCall);
        // nothing is proposed while the roll call runs
        assertThat(teacher.get("/checkin/" + sessionId).body()).doesNotContain("id=\"proposed-absences\"");

        clock.advance(Duration.ofSeconds(61));
        String page = teacher.get("/checkin/" + sessionId).body();
        assertThat(page).contains("id=\"proposed-absences\"", "data-person=\"P-1002\"", "data-person=\"P-1003\"",
                "data-person=\"P-1004\"").doesNotContain("data-person=\"P-1001\"");
        assertThat(teacher.get("/rollcall/" + rollCall).body()).contains("id=\"go-take-absences\"");

        // the teacher takes P-1002 and P-1003, not P-1004
        var taken = teacher.take(sessionId, Map.of("P-1002", "", "P-1003", ""), "P-1002", "P-1003", "P-1004");
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(303);
        assertThat(marks(sessionId)).isEqualTo(Map.of("P-1002", "ABSENT:lti:T-7", "P-1003", "ABSENT:lti:T-7"));
        String after = teacher.browser.get(tool.baseUrl() + taken.headers().firstValue("Location").orElseThrow()).body();
        assertThat(after).contains("id=\"notice\"", "2");
        JsonNode standing = json(adminGet("/api/v1/sections/" + SECTION + "/standing"));
        assertThat(standing.toString()).contains("P-1002");
        long history = tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM mark_history WHERE session_id = :s AND changed_by = 'lti:T-7'").bind("s", sessionId)
                .mapTo(Long.class).one());
        assertThat(history).isEqualTo(2);
    }

    @Test
    void a_mark_set_otherwise_after_the_page_was_shown_is_never_overwritten() {
        User teacher = teacher();
        String rollCall = teacher.startRollCall(sessionId);
        clock.advance(Duration.ofSeconds(61));
        String page = teacher.get("/checkin/" + sessionId).body();
        assertThat(page).contains("data-person=\"P-1001\"");
        // meanwhile the student turns out to have been there: marked LATE 7 on another tab
        admin("PUT", "/api/v1/sessions/" + sessionId + "/marks", "[{\"personId\":\"P-1001\",\"status\":\"LATE\",\"lateMinutes\":7}]");

        var taken = teacher.take(sessionId, Map.of("P-1001", "", "P-1002", ""), "P-1001", "P-1002");
        assertThat(taken.statusCode()).isEqualTo(303);
        assertThat(taken.headers().firstValue("Location").orElseThrow()).contains("taken=1", "changed=1");
        assertThat(marks(sessionId)).containsEntry("P-1001", "LATE:admin").containsEntry("P-1002", "ABSENT:lti:T-7");

        // shown again, the LATE row is not ticked; ticking it on purpose replaces it
        String again = teacher.get("/checkin/" + sessionId).body();
        assertThat(again).contains("class=\"agreement-DIFFERENT\" data-person=\"P-1001\"")
                .contains("class=\"agreement-SAME\" data-person=\"P-1002\"");
        var onPurpose = teacher.take(sessionId, Map.of("P-1001", "LATE:7"), "P-1001");
        assertThat(onPurpose.headers().firstValue("Location").orElseThrow()).contains("taken=1").doesNotContain("changed");
        assertThat(marks(sessionId)).containsEntry("P-1001", "ABSENT:lti:T-7");
        assertThat(rollCall).isNotBlank();
    }

    @Test
    void a_group_sessions_roll_call_asks_and_proposes_only_the_groups_students() {
        User teacher = teacher();
        String rollCall = teacher.startRollCall(groupSessionId);
        User other = student("13", "P-1003");
        // (another test's roll call of a lecture may still be running: this one is not the one asked)
        JsonNode asked = other.json("/rollcall/active.json");
        assertThat(asked.path("active").asBoolean() ? asked.path("id").asText() : "none").as("ИС-24-2 is not asked")
                .isNotEqualTo(rollCall);
        var refused = other.browser.postForm(tool.baseUrl() + other.base + "/rollcall/" + rollCall + "/confirm",
                Map.of("_csrf", csrf(other.get("/checkin").body())));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("басқа академиялық топқа");
        User own = student("11", "P-1001");
        assertThat(own.json("/rollcall/active.json").get("id").asText()).isEqualTo(rollCall);
        own.confirm(rollCall);

        clock.advance(Duration.ofSeconds(61));
        String results = teacher.get("/rollcall/" + rollCall).body();
        assertThat(results).contains("data-person=\"P-1001\"", "data-person=\"P-1002\"").doesNotContain("data-person=\"P-1003\"");
        String page = teacher.get("/checkin/" + groupSessionId).body();
        assertThat(page).contains("id=\"session-group\"", "ИС-24-1", "data-person=\"P-1002\"", "data-person=\"P-1004\"")
                .doesNotContain("data-person=\"P-1003\"");
    }

    @Test
    void check_in_to_a_group_session_accepts_the_groups_students_and_refuses_the_others() {
        User teacher = teacher();
        teacher.open(groupSessionId);
        String code = teacher.code(groupSessionId);
        var refused = student("13", "P-1003").checkIn(code);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("басқа академиялық топқа");
        var accepted = student("11", "P-1001").checkIn(code);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(marks(groupSessionId)).containsOnlyKeys("P-1001");
        String reason = tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT reason FROM checkin_attempt WHERE person_id = 'P-1003' ORDER BY id DESC LIMIT 1").mapTo(String.class).one());
        assertThat(reason).isEqualTo("NOT_IN_GROUP");
    }

    // ---- helpers

    static Map<String, String> marks(String session) {
        Map<String, String> out = new java.util.TreeMap<>();
        tool.database().jdbi().useHandle(h -> h.createQuery("SELECT person_id, status, updated_by FROM mark WHERE session_id = :s")
                .bind("s", session).map((rs, c) -> Map.entry(rs.getString(1), rs.getString(2) + ":" + rs.getString(3)))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    final class User {
        final Browser browser;
        final String base;

        User(Browser browser, String base) {
            this.browser = browser;
            this.base = base;
        }

        HttpResponse<String> get(String path) {
            return browser.get(tool.baseUrl() + base + path);
        }

        JsonNode json(String path) {
            return RollCallProposalsTest.json(get(path).body());
        }

        String startRollCall(String session) {
            var r = browser.postForm(tool.baseUrl() + base + "/rollcall/" + session + "/start",
                    Map.of("_csrf", csrf(get("/checkin/" + session).body()), "seconds", "60"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
            String location = r.headers().firstValue("Location").orElseThrow();
            return location.substring(location.lastIndexOf('/') + 1);
        }

        void confirm(String rollCall) {
            var r = browser.postForm(tool.baseUrl() + base + "/rollcall/" + rollCall + "/confirm",
                    Map.of("_csrf", csrf(get("/checkin").body())));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }

        /** Posts the proposals form: rows for {@code rows}, ticked with the shown mark for those in {@code ticked}. */
        HttpResponse<String> take(String session, Map<String, String> ticked, String... rows) {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("_csrf", csrf(get("/checkin/" + session).body()));
            for (int i = 0; i < rows.length; i++) {
                form.put("p." + i, rows[i]);
                form.put("was." + i, ticked.getOrDefault(rows[i], ""));
                if (ticked.containsKey(rows[i])) {
                    form.put("take." + i, "1");
                }
            }
            return browser.postForm(tool.baseUrl() + base + "/checkin/" + session + "/rollcall-absences", form);
        }

        void open(String session) {
            var r = browser.postForm(tool.baseUrl() + base + "/checkin/" + session + "/open",
                    Map.of("_csrf", csrf(get("/checkin/" + session).body()), "stepSeconds", "600"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        }

        String code(String session) {
            return json("/checkin/" + session + "/code.json").get("code").asText();
        }

        HttpResponse<String> checkIn(String code) {
            return browser.postForm(tool.baseUrl() + base + "/checkin", Map.of("_csrf", csrf(get("/checkin").body()), "code", code));
        }
    }

    User teacher() {
        return launch("3", "T-7", true);
    }

    User student(String sub, String personId) {
        return launch(sub, personId, false);
    }

    User launch(String sub, String personId, boolean teacher) {
        Browser browser = new Browser();
        var r = new LtiFlow(tool, platform, browser).launch((nonce, target) -> {
            Map<String, Object> c = teacher ? LaunchClaims.moodleTeacher(platform, nonce, target)
                    : LaunchClaims.moodleStudent(platform, nonce, target);
            c.put("sub", sub);
            c.put(LaunchClaims.LTI + "lis", Map.of("person_sourcedid", personId, "course_section_sourcedid", SECTION));
            return c;
        });
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        String location = r.headers().firstValue("Location").orElseThrow();
        return new User(browser, location.endsWith("/") ? location.substring(0, location.length() - 1) : location);
    }

    static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no CSRF field in " + html);
        }
        return m.group(1);
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    static String adminGet(String path) {
        return send("GET", path, null).body();
    }

    static void admin(String method, String path, String json) {
        var r = send(method, path, json);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isBetween(200, 299);
    }

    static HttpResponse<String> send(String method, String path, String json) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(tool.baseUrl() + path))
                    .header("Authorization", "Bearer " + RunningTool.ADMIN_TOKEN).header("Content-Type", "application/json")
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
