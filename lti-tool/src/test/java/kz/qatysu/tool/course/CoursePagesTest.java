package kz.qatysu.tool.course;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.testing.Api;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.CourseBrowser;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static kz.qatysu.tool.testing.LaunchClaims.LTI;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The course pages over real HTTP: Moodle-shaped launches through the OIDC flow, sections, rosters and timetables
 * seeded through the REST API as the sync daemon does, and the standing read back from the API.
 */
class CoursePagesTest {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final String LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";
    private static final String INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";

    static RunningTool tool;
    static TestPlatform platform;
    static long platformId;

    @BeforeAll
    static void start() {
        tool = RunningTool.start();
        platform = new TestPlatform("http://127.0.0.1:8100", "c5dFF2OU3Si4N9D", "1");
        platformId = new LtiFlow(tool, platform, new Browser()).register();
    }

    @AfterAll
    static void stop() {
        tool.close();
        platform.close();
    }

    @Test
    void a_teacher_marks_the_grid_all_present_with_two_exceptions_and_the_standing_changes_at_once() {
        seedSection("MARK-1", 10, "P-1001", "P-1002", "P-1003");
        // a student's launch teaches the tool her name
        CourseBrowser student = launch("MARK-1", "P-1001", "Әлия Нұрланқызы", LEARNER, "en");
        assertThat(student.home().body()).contains("Әлия Нұрланқызы");
        CourseBrowser teacher = launch("MARK-1", "T-7", "Айгүл Серікқызы", INSTRUCTOR, "en");

        var home = teacher.home();
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("id=\"sessions\"", "/sessions/MARK-1-1", "Take attendance", "id=\"standing\"");

        var preset = teacher.get("/sessions/MARK-1-1?all=present");
        assertThat(preset.statusCode()).isEqualTo(200);
        assertThat(preset.body()).contains("Әлия Нұрланқызы", "P-1002", "P-1003", "All present");
        assertThat(count(preset.body(), "value=\"PRESENT\" id=\"s-\\d-PRESENT\" checked")).isEqualTo(3);

        Map<String, String> grid = gridOf(preset.body());
        grid.put(statusField(grid, "P-1002"), "ABSENT");
        String p3 = statusField(grid, "P-1003");
        grid.put(p3, "EXCUSED");
        grid.put("r." + p3.substring(2), "Медициналық анықтама № 17");
        var saved = teacher.post("/sessions/MARK-1-1/marks", grid);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);

        var after = teacher.browser().get(tool.baseUrl() + saved.headers().firstValue("Location").orElseThrow());
        assertThat(after.body()).contains("Saved: 3 marks changed", "Медициналық анықтама № 17", "10.0 %");
        assertThat(after.body()).containsPattern("value=\"ABSENT\" id=\"s-\\d-ABSENT\" checked");

        JsonNode standing = api("GET", "/api/v1/sections/MARK-1/standing", null);
        assertThat(row(standing, "P-1002").path("absentHours").asInt()).isEqualTo(1);
        assertThat(row(standing, "P-1002").path("absenceShare").asDouble()).isEqualTo(0.1);
        assertThat(row(standing, "P-1003").path("excusedHours").asInt()).isEqualTo(1);
        assertThat(row(standing, "P-1001").path("absentHours").asInt()).isZero();
    }

    @Test
    void a_late_mark_without_minutes_comes_back_with_an_error_and_stores_nothing() {
        seedSection("MARK-2", 4, "P-1001", "P-1002");
        CourseBrowser teacher = launch("MARK-2", "T-7", "Айгүл Серікқызы", INSTRUCTOR, "en");
        Map<String, String> grid = gridOf(teacher.get("/sessions/MARK-2-1?all=present").body());
        grid.put(statusField(grid, "P-1002"), "LATE");
        var r = teacher.post("/sessions/MARK-2-1/marks", grid);
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("Nothing was saved", "give the minutes late");
        assertThat(row(api("GET", "/api/v1/sections/MARK-2/standing", null), "P-1001").path("plannedHours").asInt()).isEqualTo(4);
        assertThat(teacher.get("/sessions/MARK-2-1").body()).doesNotContainPattern("id=\"s-\\d+-[A-Z]+\" checked");
    }

    @Test
    void late_minutes_longer_than_the_session_are_refused_in_the_teachers_language() {
        seedSection("MARK-3", 2, "P-1001");
        CourseBrowser teacher = launch("MARK-3", "T-7", "Айгүл Серікқызы", INSTRUCTOR, "kk");
        Map<String, String> grid = gridOf(teacher.get("/sessions/MARK-3-1?all=present").body());
        String p1 = statusField(grid, "P-1001");
        grid.put(p1, "LATE");
        grid.put("m." + p1.substring(2), "70");
        var r = teacher.post("/sessions/MARK-3-1/marks", grid);
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("70 минут кешігу сабақтың ұзақтығынан (50 мин) асады").doesNotContain("at most the session");
    }

    @Test
    void a_stale_grid_naming_a_student_who_has_left_is_refused_in_the_teachers_language_and_saves_nothing() {
        for (String[] lang : new String[][]{{"kk", "енді бұл сабақтың студенті емес"}, {"ru", "больше не студент этого занятия"},
                {"en", "is no longer a student of this class"}}) {
            String section = "LEFT-" + lang[0].toUpperCase(java.util.Locale.ROOT);
            seedSection(section, 2, "P-1001", "P-1002");
            CourseBrowser teacher = launch(section, "T-7", "Айгүл Серікқызы", INSTRUCTOR, lang[0]);
            Map<String, String> grid = gridOf(teacher.get("/sessions/" + section + "-1?all=present").body());
            grid.put(statusField(grid, "P-1002"), "ABSENT");
            // P-1002 leaves the section while the grid is open
            api("PUT", "/api/v1/sections/" + section + "/enrolments",
                    "[{\"personId\":\"P-1001\",\"role\":\"student\"},{\"personId\":\"T-7\",\"role\":\"teacher\"}]");

            var r = teacher.post("/sessions/" + section + "-1/marks", grid);
            assertThat(r.statusCode()).as(lang[0]).isEqualTo(422);
            assertThat(r.body()).as(lang[0]).contains(lang[1]).doesNotContain("was withdrawn from section");
            assertThat(teacher.get("/sessions/" + section + "-1").body()).as("nothing saved")
                    .doesNotContainPattern("id=\"s-\\d+-[A-Z]+\" checked");
        }
    }

    @Test
    void a_student_sees_their_own_marks_share_and_budget_and_nothing_of_another_student() {
        seedSection("SELF-1", 10, "P-1001", "P-1002");
        api("PUT", "/api/v1/sessions/SELF-1-1/marks", """
                [{"personId":"P-1001","status":"ABSENT"},{"personId":"P-1002","status":"EXCUSED","reason":"secret-of-P-1002"}]""");
        api("PUT", "/api/v1/sessions/SELF-1-2/marks", "[{\"personId\":\"P-1001\",\"status\":\"LATE\",\"lateMinutes\":12}]");
        JsonNode mine = row(api("GET", "/api/v1/sections/SELF-1/standing", null), "P-1001");

        CourseBrowser student = launch("SELF-1", "P-1001", "Әлия Нұрланқызы", LEARNER, "en");
        var home = student.home();
        assertThat(home.body()).contains("You can miss " + mine.path("absenceBudget").asInt() + " more hours before the lock",
                "10.0 %", "id=\"state\"", "Absent", "12 min late", mine.path("reason").asText().replace("'", "&#39;").substring(0, 10));
        assertThat(home.body()).doesNotContain("secret-of-P-1002", "P-1002", "id=\"banner\"");
    }

    @Test
    void a_student_near_the_limit_sees_the_warning_banner_and_a_locked_one_the_lock() {
        seedSection("SELF-2", 10, "P-1001");
        api("PUT", "/api/v1/sessions/SELF-2-1/marks", "[{\"personId\":\"P-1001\",\"status\":\"ABSENT\"}]");
        api("PUT", "/api/v1/sessions/SELF-2-2/marks", "[{\"personId\":\"P-1001\",\"status\":\"ABSENT\"}]");
        var warning = launch("SELF-2", "P-1001", "Әлия", LEARNER, "en").home().body();
        assertThat(warning).contains("id=\"banner\"", "Warning: your unexcused absences are close to the limit", "You can miss 1 more hours");
        api("PUT", "/api/v1/sessions/SELF-2-3/marks", "[{\"personId\":\"P-1001\",\"status\":\"ABSENT\"}]");
        api("PUT", "/api/v1/sessions/SELF-2-4/marks", "[{\"personId\":\"P-1001\",\"status\":\"ABSENT\"}]");
        var locked = launch("SELF-2", "P-1001", "Әлия", LEARNER, "en").home().body();
        assertThat(locked).contains("state-LOCKED", "Access to the midterm and final assessments is locked", "40.0 %");
    }

    @Test
    void students_and_guests_get_403_on_teacher_pages_and_posts() {
        seedSection("AUTH-1", 3, "P-1001", "P-1002");
        CourseBrowser student = launch("AUTH-1", "P-1001", "Әлия", LEARNER, "en");
        assertThat(student.home().body()).doesNotContain("name=\"_csrf\"");
        String csrf = "a-student-page-has-no-form";
        assertThat(student.get("/sessions/AUTH-1-1").statusCode()).isEqualTo(403);
        assertThat(student.get("/timetable/new").statusCode()).isEqualTo(403);
        var post = student.post("/sessions/AUTH-1-1/marks", Map.of("_csrf", csrf, "p.0", "P-1002", "s.0", "ABSENT"));
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(student.post("/timetable", Map.of("_csrf", csrf, "date", "2026-12-01", "start", "08:00", "duration", "50",
                "hours", "1", "kind", "lecture", "repeat", "1")).statusCode()).isEqualTo(403);

        CourseBrowser guest = launch("AUTH-1", "G-1", "Guest", "http://purl.imsglobal.org/vocab/lis/v2/system/person#None", "en");
        assertThat(guest.home().body()).contains("id=\"guest\"").doesNotContain("P-1002", "id=\"sessions\"");
        assertThat(guest.get("/sessions/AUTH-1-1").statusCode()).isEqualTo(403);

        JsonNode standing = api("GET", "/api/v1/sections/AUTH-1/standing", null);
        assertThat(row(standing, "P-1002").path("absentHours").asInt()).as("nothing was marked").isZero();
    }

    @Test
    void a_post_without_the_csrf_token_is_refused_and_stores_nothing() {
        seedSection("CSRF-1", 3, "P-1001");
        CourseBrowser teacher = launch("CSRF-1", "T-7", "Айгүл", INSTRUCTOR, "en");
        Map<String, String> grid = gridOf(teacher.get("/sessions/CSRF-1-1?all=present").body());
        grid.remove("_csrf");
        assertThat(teacher.post("/sessions/CSRF-1-1/marks", grid).statusCode()).isEqualTo(403);
        grid.put("_csrf", "forged");
        assertThat(teacher.post("/sessions/CSRF-1-1/marks", grid).statusCode()).isEqualTo(403);
        assertThat(teacher.post("/timetable", Map.of("date", "2026-12-01", "start", "08:00", "duration", "50", "hours", "1",
                "kind", "lecture", "repeat", "1")).statusCode()).isEqualTo(403);
        assertThat(teacher.get("/sessions/CSRF-1-1").body()).doesNotContainPattern("id=\"s-\\d+-[A-Z]+\" checked");
    }

    @Test
    void a_teacher_cannot_reach_a_session_of_another_section_through_the_url() {
        seedSection("OWN-1", 2, "P-1001");
        seedSection("OWN-2", 2, "P-1001");
        CourseBrowser teacher = launch("OWN-2", "T-7", "Айгүл", INSTRUCTOR, "en");
        assertThat(teacher.get("/sessions/OWN-1-1").statusCode()).isEqualTo(404);
        Map<String, String> grid = gridOf(teacher.get("/sessions/OWN-2-1?all=present").body());
        assertThat(teacher.post("/sessions/OWN-1-1/marks", grid).statusCode()).isEqualTo(404);
        assertThat(teacher.get("/sessions/no-such-session").statusCode()).isEqualTo(404);
        assertThat(row(api("GET", "/api/v1/sections/OWN-1/standing", null), "P-1001").path("absentHours").asInt()).isZero();
    }

    @Test
    void an_unmapped_course_gets_a_local_section_on_the_teachers_first_visit_and_students_join_it_by_launching() {
        CourseBrowser earlyStudent = launchUnmapped("501", "stud-a", "Дәулет Шаһмаранұлы", LEARNER);
        assertThat(earlyStudent.home().body()).contains("No sessions yet");
        String sectionId = CourseScope.LOCAL_PREFIX + platformId + "-501";
        assertThat(apiStatus("GET", "/api/v1/sections/" + sectionId + "/standing")).isEqualTo(404);

        CourseBrowser teacher = launchUnmapped("501", "teach-a", "Айгүл Серікқызы", INSTRUCTOR);
        assertThat(teacher.home().body()).contains("local section", "No sessions yet. Add them");
        assertThat(apiStatus("GET", "/api/v1/sections/" + sectionId + "/standing")).isEqualTo(200);

        launchUnmapped("501", "stud-a", "Дәулет Шаһмаранұлы", LEARNER).home();
        assertThat(teacher.home().body()).contains("Дәулет Шаһмаранұлы");
        var created = teacher.post("/timetable", Map.of("_csrf", teacher.csrf("/timetable/new"), "date", "2026-09-07",
                "start", "09:00", "duration", "50", "hours", "2", "kind", "practice", "room", "B-12", "repeat", "1"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        JsonNode standing = api("GET", "/api/v1/sections/" + sectionId + "/standing", null);
        assertThat(row(standing, "stud-a").path("plannedHours").asInt()).as("the launched student is on the local roster").isEqualTo(2);
        assertThat(teacher.home().body()).contains("Practice", "B-12");
    }

    @Test
    void a_teacher_creates_a_weekly_repeating_session_that_survives_the_portals_next_upload() {
        seedSection("REP-1", 2, "P-1001");
        CourseBrowser teacher = launch("REP-1", "T-7", "Айгүл", INSTRUCTOR, "en");
        var form = teacher.get("/timetable/new");
        assertThat(form.statusCode()).isEqualTo(200);
        var created = teacher.post("/timetable", Map.of("_csrf", csrfOf(form.body()), "date", "2026-12-01", "start", "10:00",
                "duration", "100", "hours", "2", "kind", "seminar", "room", "B-101", "repeat", "4"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        var home = teacher.browser().get(tool.baseUrl() + created.headers().firstValue("Location").orElseThrow()).body();
        assertThat(home).contains("Added 4 sessions", "01.12.2026", "08.12.2026", "15.12.2026", "22.12.2026", "10:00–11:40", "B-101");
        assertThat(row(api("GET", "/api/v1/sections/REP-1/standing", null), "P-1001").path("plannedHours").asInt())
                .as("2 portal hours + 4 × 2 teacher hours").isEqualTo(10);

        JsonNode upload = api("PUT", "/api/v1/sections/REP-1/sessions", sessions("REP-1", 2));
        assertThat(upload.path("cancelled")).as("the portal's full list leaves teacher-created sessions alone").isEmpty();
        assertThat(row(api("GET", "/api/v1/sections/REP-1/standing", null), "P-1001").path("plannedHours").asInt()).isEqualTo(10);

        var bad = teacher.post("/timetable", Map.of("_csrf", csrfOf(form.body()), "date", "1.12.2026", "start", "10:00",
                "duration", "100", "hours", "0", "kind", "seminar", "room", "", "repeat", "99"));
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.body()).contains("YYYY-MM-DD", "1 to 12", "1 to 30");
    }

    /**
     * Issue 12 §1: a timetable sent in UTC (as some portals send it, 03:00Z for an 08:00 class) is shown in the
     * institution's zone ({@code ui.timeZone}, Asia/Almaty here) on the course home and the grid's heading, and a
     * time the teacher types for a new session is read in that zone — not in the offset of the section's latest
     * session, which is UTC here.
     */
    @Test
    void a_timetable_sent_in_utc_is_shown_in_the_institutions_zone_and_a_typed_10_00_is_10_00_there() {
        api("PUT", "/api/v1/sections/UTC-1", "{\"title\": \"Course UTC-1\", \"termStart\": \"2026-09-01\", \"termEnd\": \"2026-12-25\"}");
        api("PUT", "/api/v1/sections/UTC-1/enrolments", "[{\"personId\":\"P-1001\",\"role\":\"student\"},{\"personId\":\"T-7\",\"role\":\"teacher\"}]");
        api("PUT", "/api/v1/sections/UTC-1/sessions", "[{\"sessionId\":\"UTC-1-1\",\"start\":\"2026-09-02T03:00:00Z\","
                + "\"end\":\"2026-09-02T03:50:00Z\",\"kind\":\"lecture\",\"hours\":1},"
                + "{\"sessionId\":\"UTC-1-2\",\"start\":\"2026-09-02T19:30:00Z\",\"end\":\"2026-09-02T20:20:00Z\",\"kind\":\"lecture\",\"hours\":1}]");
        CourseBrowser teacher = launch("UTC-1", "T-7", "Айгүл", INSTRUCTOR, "en");
        String home = teacher.home().body();
        assertThat(home).contains("02.09.2026", "08:00–08:50").doesNotContain("03:00–03:50")
                .as("19:30 UTC is the next day in Almaty").contains("03.09.2026", "00:30–01:20");
        assertThat(teacher.get("/sessions/UTC-1-1").body()).contains("id=\"session-heading\">Wed, 02.09.2026 · 08:00–08:50 · ");

        var created = teacher.post("/timetable", Map.of("_csrf", teacher.csrf("/timetable/new"), "date", "2026-12-01",
                "start", "10:00", "duration", "50", "hours", "1", "kind", "lecture", "room", "", "repeat", "1"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        String stored = tool.database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT to_char(starts_at AT TIME ZONE 'Asia/Almaty', 'YYYY-MM-DD HH24:MI') || ' ' || start_offset
                        FROM class_session WHERE section_id = 'UTC-1' AND session_id LIKE 't-%'""").mapTo(String.class).one());
        assertThat(stored).as("10:00 in Almaty, stored with Almaty's offset").isEqualTo("2026-12-01 10:00 18000");
        assertThat(teacher.follow(created).body()).contains("01.12.2026", "10:00–10:50");
    }

    @Test
    void the_heading_follows_the_launch_language() {
        seedSection("LANG-1", 1, "P-1001");
        assertThat(launch("LANG-1", "P-1001", "Әлия", LEARNER, "kk").home().body())
                .contains("lang=\"kk\"", "<h1 id=\"heading\">Сабаққа қатысу</h1>");
        assertThat(launch("LANG-1", "P-1001", "Әлия", LEARNER, "ru").home().body())
                .contains("lang=\"ru\"", "<h1 id=\"heading\">Посещаемость</h1>");
        assertThat(launch("LANG-1", "T-7", "Айгүл", INSTRUCTOR, "en").home().body())
                .contains("lang=\"en\"", "<h1 id=\"heading\">Attendance</h1>");
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static CourseBrowser launch(String section, String person, String name, String role, String locale) {
        return launchWith(c -> {
            c.put(LTI + "lis", Map.of("person_sourcedid", person, "course_section_sourcedid", section));
            c.put(LTI + "roles", List.of(role));
            c.put("sub", "sub-" + person);
            c.put("name", name);
            c.put(LTI + "launch_presentation", Map.of("locale", locale, "document_target", "iframe"));
        });
    }

    private static CourseBrowser launchUnmapped(String contextId, String username, String name, String role) {
        return launchWith(c -> {
            c.remove(LTI + "lis");
            c.put(LTI + "context", Map.of("id", contextId, "label", "LOCAL", "title", "Unmapped course " + contextId,
                    "type", List.of("CourseSection")));
            c.put(LTI + "ext", Map.of("user_username", username, "lms", "moodle-2"));
            c.put(LTI + "roles", List.of(role));
            c.put("sub", "sub-" + username);
            c.put("name", name);
            c.put(LTI + "launch_presentation", Map.of("locale", "en", "document_target", "iframe"));
        });
    }

    private static CourseBrowser launchWith(java.util.function.Consumer<Map<String, Object>> edit) {
        return CourseBrowser.launch(tool, platform, edit);
    }

    /** Section {@code id} with {@code n} one-hour past sessions {@code id-1…} and the students, as the daemon uploads them. */
    private static void seedSection(String id, int n, String... students) {
        api("PUT", "/api/v1/sections/" + id, "{\"title\": \"Course " + id + "\", \"termStart\": \"2026-09-01\", \"termEnd\": \"2026-12-25\"}");
        List<String> roster = new ArrayList<>();
        for (String s : students) {
            roster.add("{\"personId\":\"" + s + "\",\"role\":\"student\"}");
        }
        roster.add("{\"personId\":\"T-7\",\"role\":\"teacher\"}");
        api("PUT", "/api/v1/sections/" + id + "/enrolments", "[" + String.join(",", roster) + "]");
        api("PUT", "/api/v1/sections/" + id + "/sessions", sessions(id, n));
    }

    private static String sessions(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            LocalDate day = LocalDate.of(2026, 9, 1).plusDays(i);
            out.add("{\"sessionId\":\"" + prefix + "-" + i + "\",\"start\":\"" + day + "T08:00:00+05:00\",\"end\":\"" + day
                    + "T08:50:00+05:00\",\"kind\":\"lecture\",\"hours\":1,\"room\":\"A-204\"}");
        }
        return "[" + String.join(",", out) + "]";
    }

    private static JsonNode api(String method, String path, String json) {
        Api api = Api.admin(tool);
        return api.ok(api.send(method, path, json));
    }

    private static int apiStatus(String method, String path) {
        return Api.admin(tool).send(method, path, null).status();
    }

    private static JsonNode row(JsonNode standing, String personId) {
        JsonNode rows = standing.has("students") ? standing.get("students") : standing;
        return StreamSupport.stream(rows.spliterator(), false)
                .filter(r -> r.path("personId").asText().equals(personId)).findFirst()
                .orElseThrow(() -> new AssertionError("no standing row for " + personId + " in " + standing));
    }

    /** The form fields a browser would submit from the marking page as it is: csrf, person ids, checked radios. */
    private static Map<String, String> gridOf(String html) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_csrf", csrfOf(html));
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

    private static String statusField(Map<String, String> grid, String personId) {
        return grid.entrySet().stream().filter(e -> e.getKey().startsWith("p.") && e.getValue().equals(personId))
                .map(e -> "s." + e.getKey().substring(2)).findFirst().orElseThrow(() -> new AssertionError("no row for " + personId));
    }

    private static String csrfOf(String html) {
        Matcher m = CSRF.matcher(html);
        return m.find() ? m.group(1) : "";
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
