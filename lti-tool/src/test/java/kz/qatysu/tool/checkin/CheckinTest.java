package kz.qatysu.tool.checkin;

import kz.qatysu.tool.testing.SteppedClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Self check-in and roll call over real HTTP, with real launches and a clock the test moves. */
class CheckinTest {
    private static final String SECTION = "ATT101-2025";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SESSIONS = new AtomicInteger();

    static RunningTool tool;
    static TestPlatform platform;
    static SteppedClock clock = new SteppedClock();

    String sessionId;
    OffsetDateTime start;

    @BeforeAll
    static void start() {
        tool = RunningTool.start(Map.of(), clock);
        platform = new TestPlatform("http://127.0.0.1:8101", "checkin-client", "1");
        new LtiFlow(tool, platform, new Browser()).register();
        admin("PUT", "/api/v1/sections/" + SECTION, "{\"title\":\"Attendance 101\",\"termStart\":\"2020-01-01\",\"termEnd\":\"2099-12-31\"}");
        admin("PUT", "/api/v1/sections/" + SECTION + "/enrolments", """
                [{"personId":"P-1001","role":"student"},{"personId":"P-1002","role":"student"},
                 {"personId":"P-1003","role":"student"},{"personId":"T-7","role":"teacher"}]""");
    }

    @AfterAll
    static void stop() {
        tool.close();
        platform.close();
    }

    /** Each test gets its own session, started two minutes ago by the (now real) clock, 50 minutes long. */
    @BeforeEach
    void newSession() {
        clock.reset();
        sessionId = "S-" + SESSIONS.incrementAndGet();
        start = clock.instant().atOffset(ZoneOffset.ofHours(5)).truncatedTo(ChronoUnit.MINUTES).minusMinutes(2);
        StringBuilder all = new StringBuilder("[");
        for (int i = 1; i <= SESSIONS.get(); i++) {
            OffsetDateTime s = i == SESSIONS.get() ? start : OffsetDateTime.of(2030, 1, i, 8, 0, 0, 0, ZoneOffset.ofHours(5));
            all.append(i > 1 ? "," : "").append("{\"sessionId\":\"S-").append(i).append("\",\"start\":\"").append(s)
                    .append("\",\"end\":\"").append(s.plusMinutes(50)).append("\",\"kind\":\"lecture\",\"hours\":1}");
        }
        admin("PUT", "/api/v1/sections/" + SECTION + "/sessions", all.append("]").toString());
    }

    @Test
    void a_code_is_accepted_for_the_current_and_previous_step_and_refused_after() {
        User teacher = teacher();
        teacher.open(sessionId, Map.of("stepSeconds", "30"));
        String code = teacher.code(sessionId);

        clock.advance(Duration.ofSeconds(30));
        var ok = student("5", "P-1001").checkIn(code);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).contains("id=\"checkin-result\"", "data-ok=\"true\"");

        clock.advance(Duration.ofSeconds(30));
        var late = student("6", "P-1002").checkIn(code);
        assertThat(late.statusCode()).isEqualTo(422);
        assertThat(late.body()).contains("Код қате немесе ескірген");
        assertThat(student("6", "P-1002").checkIn(teacher.code(sessionId)).statusCode()).isEqualTo(200);
    }

    @Test
    void a_student_after_the_grace_is_marked_late_by_the_server_clock_through_the_mark_history() {
        User teacher = teacher();
        teacher.open(sessionId, Map.of("graceMinutes", "5", "stepSeconds", "600"));
        User s = student("5", "P-1001");
        clock.advance(Duration.ofMinutes(10));
        var r = s.checkIn(teacher.code(sessionId));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("12 мин кешікті");
        String history = tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT new_status || ':' || new_late_minutes || ':' || changed_by FROM mark_history WHERE session_id = :s")
                .bind("s", sessionId).mapTo(String.class).one());
        assertThat(history).isEqualTo("LATE:12:checkin");
        assertThat(s.checkIn(teacher.code(sessionId)).body()).contains("бұрын белгілендіңіз");
    }

    @Test
    void within_the_grace_the_mark_is_present() {
        User teacher = teacher();
        teacher.open(sessionId, Map.of());
        var r = student("5", "P-1001").checkIn(teacher.code(sessionId));
        assertThat(r.body()).contains("Қатысты деп белгіленді");
    }

    /**
     * A timetable sent in UTC (as some portals do): the check-in list, the session's heading and the times typed for
     * the window are read in the institution's zone ({@code ui.timeZone}, Asia/Almaty here) like every other page,
     * not in the offset the timetable happened to use.
     */
    @Test
    void a_session_sent_in_utc_is_listed_and_opened_in_the_institutions_zone() {
        admin("PUT", "/api/v1/sections/" + SECTION + "/sessions", "[{\"sessionId\":\"" + sessionId + "\",\"start\":\"" + start
                + "\",\"end\":\"" + start.plusMinutes(50) + "\",\"kind\":\"lecture\",\"hours\":1},"
                + "{\"sessionId\":\"S-UTC\",\"start\":\"2030-02-01T03:00:00Z\",\"end\":\"2030-02-01T03:50:00Z\",\"kind\":\"lecture\",\"hours\":1},"
                + "{\"sessionId\":\"S-MIDNIGHT\",\"start\":\"2030-02-01T19:30:00Z\",\"end\":\"2030-02-01T20:20:00Z\",\"kind\":\"lecture\",\"hours\":1}]");
        User teacher = teacher();
        String list = teacher.get("/checkin").body();
        assertThat(list).contains("01.02.2030 08:00–08:50").doesNotContain("03:00–03:50")
                .as("19:30 UTC is the next day in Almaty").contains("02.02.2030 00:30–01:20");
        String page = teacher.get("/checkin/S-UTC").body();
        assertThat(page).contains("01.02.2030").contains("08:00").doesNotContain("03:00");
        teacher.open("S-UTC", Map.of("windowStart", "07:50", "windowEnd", "08:10"));
        String window = tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT to_char(window_start AT TIME ZONE 'UTC', 'HH24:MI') || '-' || to_char(window_end AT TIME ZONE 'UTC', 'HH24:MI')"
                        + " FROM checkin WHERE session_id = 'S-UTC'").mapTo(String.class).one());
        assertThat(window).as("typed in the zone the page shows").isEqualTo("02:50-03:10");
    }

    @Test
    void outside_the_window_is_refused() {
        User teacher = teacher();
        teacher.open(sessionId, Map.of("stepSeconds", "600",
                "windowStart", start.toLocalTime().minusMinutes(10).toString(), "windowEnd", start.toLocalTime().plusMinutes(5).toString()));
        User s = student("5", "P-1001");
        clock.advance(Duration.ofMinutes(4));
        String code = teacher.code(sessionId);
        clock.advance(Duration.ofMinutes(2));
        var r = s.checkIn(code);
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("Белгілеу уақыты өтіп кетті");
    }

    @Test
    void ip_ranges_allow_loopback_and_refuse_others() {
        User teacher = teacher();
        teacher.open(sessionId, Map.of("ipRanges", "10.0.0.0/8, 192.168.0.0/16"));
        var refused = student("5", "P-1001").checkIn(teacher.code(sessionId));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("университет желісінен");
        teacher.close(sessionId);
        teacher.open(sessionId, Map.of("ipRanges", "127.0.0.0/8 ::1/128"));
        assertThat(student("5", "P-1001").checkIn(teacher.code(sessionId)).statusCode()).isEqualTo(200);
    }

    @Test
    void after_the_wrong_code_cap_even_the_right_code_is_refused_logged_and_kept_for_the_teacher() {
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(CheckinService.class);
        var log = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        log.start();
        logger.addAppender(log);
        try {
            User teacher = teacher();
            teacher.open(sessionId, Map.of("stepSeconds", "600"));
            String right = teacher.code(sessionId);
            String wrong = right.substring(0, right.length() - 1) + (char) ('0' + (right.charAt(right.length() - 1) - '0' + 1) % 10);
            User s = student("5", "P-1001");
            for (int i = 0; i < 5; i++) {
                var r = s.checkIn(wrong);
                assertThat(r.statusCode()).isEqualTo(422);
                assertThat(r.body()).contains("Код қате немесе ескірген");
            }
            var capped = s.checkIn(right);
            assertThat(capped.statusCode()).isEqualTo(422);
            assertThat(capped.body()).contains("қате кодты тым көп рет енгіздіңіз");
            assertThat(student("6", "P-1002").checkIn(right).statusCode()).as("another student").isEqualTo(200);

            assertThat(teacher.get("/checkin/" + sessionId).body()).contains("Вы слишком много раз ввели неверный код");
            List<String> reasons = tool.database().jdbi().withHandle(h -> h.createQuery("""
                            SELECT a.reason FROM checkin_attempt a JOIN checkin c ON c.id = a.checkin_id
                            WHERE c.session_id = :s AND a.person_id = 'P-1001' ORDER BY a.id""")
                    .bind("s", sessionId).mapTo(String.class).list());
            assertThat(reasons).containsExactly("WRONG_CODE", "WRONG_CODE", "WRONG_CODE", "WRONG_CODE", "WRONG_CODE",
                    "TOO_MANY_WRONG_CODES");
            assertThat(log.list).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                    .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .anySatisfy(m -> assertThat(m).contains("P-1001", "refused after 5 wrong codes"));

            // a new check-in for the same session does not start the count again
            teacher.close(sessionId);
            teacher.open(sessionId, Map.of("stepSeconds", "600"));
            assertThat(s.checkIn(teacher.code(sessionId)).statusCode()).isEqualTo(422);
        } finally {
            logger.detachAppender(log);
        }
    }

    @Test
    void one_device_guard_refuses_a_second_student_from_the_same_browser_and_shows_it_to_the_teacher() {
        User teacher = teacher();
        teacher.open(sessionId, Map.of("oneDevice", "on"));
        Browser shared = new Browser();
        User first = launch(shared, "5", "P-1001", false);
        assertThat(first.checkIn(teacher.code(sessionId)).statusCode()).isEqualTo(200);
        User second = launch(shared, "6", "P-1002", false);
        var r = second.checkIn(teacher.code(sessionId));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("басқа студент белгіленіп қойған");
        assertThat(teacher.get("/checkin/" + sessionId).body()).contains("Дана Әлиева", "С этого устройства уже отметился другой студент");
    }

    @Test
    void a_student_cannot_check_in_someone_else_by_naming_them_in_the_form() {
        User teacher = teacher();
        teacher.open(sessionId, Map.of());
        User s = student("5", "P-1001");
        String csrf = csrf(s.get("/checkin").body());
        var r = s.browser.postForm(tool.baseUrl() + s.base + "/checkin",
                Map.of("_csrf", csrf, "code", teacher.code(sessionId), "personId", "P-1002", "person_id", "P-1002"));
        assertThat(r.statusCode()).isEqualTo(200);
        var marked = tool.database().jdbi().withHandle(h -> h.createQuery("SELECT person_id FROM mark WHERE session_id = :s")
                .bind("s", sessionId).mapTo(String.class).list());
        assertThat(marked).containsExactly("P-1001");
    }

    @Test
    void a_teacher_cannot_check_in_and_an_absent_mark_is_replaced_but_an_excused_one_stands() {
        User teacher = teacher();
        teacher.open(sessionId, Map.of());
        var r = teacher.browser.postForm(tool.baseUrl() + teacher.base + "/checkin",
                Map.of("_csrf", csrf(teacher.get("/checkin/" + sessionId).body()), "code", teacher.code(sessionId)));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("Отмечаться могут только студенты");

        admin("PUT", "/api/v1/sessions/" + sessionId + "/marks",
                "[{\"personId\":\"P-1001\",\"status\":\"ABSENT\"},{\"personId\":\"P-1002\",\"status\":\"EXCUSED\",\"reason\":\"medical note\"}]");
        student("5", "P-1001").checkIn(teacher.code(sessionId));
        assertThat(student("6", "P-1002").checkIn(teacher.code(sessionId)).body()).contains("Сіздің болмауыңыз дәлелді");
        var marks = tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT person_id || ':' || status FROM mark WHERE session_id = :s ORDER BY person_id")
                .bind("s", sessionId).mapTo(String.class).list());
        assertThat(marks).containsExactly("P-1001:PRESENT", "P-1002:EXCUSED");
    }

    @Test
    void bad_options_are_refused_naming_the_entry_and_nothing_opens() {
        User teacher = teacher();
        var r = teacher.browser.postForm(tool.baseUrl() + teacher.base + "/checkin/" + sessionId + "/open",
                Map.of("_csrf", csrf(teacher.get("/checkin/" + sessionId).body()), "ipRanges", "10.0.0.0/8, 999.1.1.1/8"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("999.1.1.1/8");
        assertThat(teacher.json("/checkin/" + sessionId + "/code.json").get("open").asBoolean()).isFalse();
    }

    @Test
    void a_student_not_enrolled_is_refused() {
        User teacher = teacher();
        teacher.open(sessionId, Map.of());
        var r = student("99", "P-9999").checkIn(teacher.code(sessionId));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("тобына тіркелмегенсіз");
    }

    @Test
    void a_student_cannot_open_check_in_and_forms_need_the_csrf_token() {
        User s = student("5", "P-1001");
        var page = s.browser.get(tool.baseUrl() + s.base + "/checkin");
        String csrf = csrf(page.body());
        var open = s.browser.postForm(tool.baseUrl() + s.base + "/checkin/" + sessionId + "/open", Map.of("_csrf", csrf));
        assertThat(open.statusCode()).isEqualTo(403);
        assertThat(s.browser.get(tool.baseUrl() + s.base + "/checkin/" + sessionId + "/code.json").statusCode()).isEqualTo(403);

        User teacher = teacher();
        var noCsrf = teacher.browser.postForm(tool.baseUrl() + teacher.base + "/checkin/" + sessionId + "/open", Map.of("stepSeconds", "30"));
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        teacher.open(sessionId, Map.of());
        var studentNoCsrf = s.browser.postForm(tool.baseUrl() + s.base + "/checkin", Map.of("code", teacher.code(sessionId)));
        assertThat(studentNoCsrf.statusCode()).isEqualTo(403);
    }

    @Test
    void the_projector_shows_the_code_and_a_qr_code_and_closing_stops_check_in() {
        User teacher = teacher();
        teacher.open(sessionId, Map.of());
        var projector = teacher.get("/checkin/" + sessionId + "/projector");
        assertThat(projector.body()).contains("<svg", "id=\"qr\"", teacher.code(sessionId), "/checkin/scan?c=", "http-equiv=\"refresh\"");
        teacher.close(sessionId);
        var r = student("5", "P-1001").checkIn("123456");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("белгілеу ашық емес");
    }

    @Test
    void a_scanned_qr_code_finds_the_students_own_session() {
        User teacher = teacher();
        teacher.open(sessionId, Map.of());
        String scanUrl = teacher.json("/checkin/" + sessionId + "/code.json").get("scanUrl").asText();
        User s = student("5", "P-1001");
        var r = s.browser.get(scanUrl);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location").orElseThrow()).startsWith(s.base + "/checkin?checkin=");
        var form = s.browser.get(tool.baseUrl() + r.headers().firstValue("Location").orElseThrow());
        assertThat(form.body()).contains("value=\"" + teacher.code(sessionId) + "\"");
        assertThat(new Browser().get(scanUrl).body()).contains("id=\"scan-hint\"");
    }

    @Test
    void roll_call_confirmed_in_time_versus_flagged_after_the_deadline() throws Exception {
        User teacher = teacher();
        var page = teacher.get("/checkin/" + sessionId);
        var started = teacher.browser.postForm(tool.baseUrl() + teacher.base + "/rollcall/" + sessionId + "/start",
                Map.of("_csrf", csrf(page.body()), "seconds", "60"));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(303);
        String results = started.headers().firstValue("Location").orElseThrow();

        User s1 = student("5", "P-1001");
        JsonNode active = s1.json("/rollcall/active.json");
        assertThat(active.get("active").asBoolean()).isTrue();
        String csrf = csrf(s1.get("/checkin").body());
        var confirm = s1.browser.postForm(tool.baseUrl() + active.get("confirmUrl").asText(), Map.of("_csrf", csrf));
        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(s1.json("/rollcall/active.json").get("active").asBoolean()).isFalse();

        User s2 = student("6", "P-1002");
        String csrf2 = csrf(s2.get("/checkin").body());
        clock.advance(Duration.ofSeconds(61));
        var tooLate = s2.browser.postForm(tool.baseUrl() + s2.base + "/rollcall/" + active.get("id").asText() + "/confirm",
                Map.of("_csrf", csrf2));
        assertThat(tooLate.statusCode()).isEqualTo(422);

        String body = teacher.browser.get(tool.baseUrl() + results).body();
        assertThat(body).contains("class=\"confirmed\" data-person=\"P-1001\"", "class=\"flagged\" data-person=\"P-1002\"",
                "class=\"flagged\" data-person=\"P-1003\"");
        long marks = tool.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM mark WHERE session_id = :s")
                .bind("s", sessionId).mapTo(Long.class).one());
        assertThat(marks).as("roll call never marks anyone").isZero();
    }

    // ---- helpers

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
            try {
                return JSON.readTree(get(path).body());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        void open(String session, Map<String, String> options) {
            Map<String, String> form = new LinkedHashMap<>(options);
            form.put("_csrf", csrf(get("/checkin/" + session).body()));
            var r = browser.postForm(tool.baseUrl() + base + "/checkin/" + session + "/open", form);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        }

        void close(String session) {
            var r = browser.postForm(tool.baseUrl() + base + "/checkin/" + session + "/close",
                    Map.of("_csrf", csrf(get("/checkin/" + session).body())));
            assertThat(r.statusCode()).isEqualTo(303);
        }

        String code(String session) {
            return json("/checkin/" + session + "/code.json").get("code").asText();
        }

        HttpResponse<String> checkIn(String code) {
            String csrf = csrf(get("/checkin").body());
            return browser.postForm(tool.baseUrl() + base + "/checkin", Map.of("_csrf", csrf, "code", code));
        }
    }

    User teacher() {
        return launch(new Browser(), "3", "T-7", true);
    }

    User student(String sub, String personId) {
        return launch(new Browser(), sub, personId, false);
    }

    /** Students whose launches send a name of their own (the others send the claims' default name). */
    static final Map<String, String> OTHER_NAMES = Map.of("P-1002", "Дана Әлиева");

    User launch(Browser browser, String sub, String personId, boolean teacher) {
        LtiFlow flow = new LtiFlow(tool, platform, browser);
        var r = flow.launch((nonce, target) -> {
            Map<String, Object> c = teacher ? LaunchClaims.moodleTeacher(platform, nonce, target)
                    : LaunchClaims.moodleStudent(platform, nonce, target);
            c.put("sub", sub);
            c.put(LaunchClaims.LTI + "lis", Map.of("person_sourcedid", personId, "course_section_sourcedid", SECTION));
            if (OTHER_NAMES.containsKey(personId)) {
                c.put("name", OTHER_NAMES.get(personId));
            }
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
