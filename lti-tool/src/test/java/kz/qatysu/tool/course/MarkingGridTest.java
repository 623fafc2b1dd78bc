package kz.qatysu.tool.course;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.testing.Api;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.CourseBrowser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static kz.qatysu.tool.testing.LaunchClaims.LTI;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 §3 and §5 over real HTTP and PostgreSQL: two teachers' tabs on one marking grid (optimistic concurrency,
 * both intents shown, nothing silently overwritten), the marks API's versions, an expired CSRF token that keeps what
 * was typed, who marked a session and when, the grid's tools without JavaScript, and the teacher's home that puts
 * what needs attention first.
 */
class MarkingGridTest {
    private static final String LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";
    private static final String INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("dd.MM.yyyy");

    static RunningTool tool;
    static TestPlatform platform;

    @BeforeAll
    static void start() {
        tool = RunningTool.start();
        platform = new TestPlatform("http://127.0.0.1:8100", "grid-client", "1");
        new LtiFlow(tool, platform, new Browser()).register();
    }

    @AfterAll
    static void stop() {
        tool.close();
        platform.close();
    }

    @Test
    void the_stale_tabs_conflicting_rows_are_refused_and_shown_with_both_marks_and_its_other_rows_are_saved() {
        seedSection("TAB-1", 2, "P-1001", "P-1002", "P-1003");
        CourseBrowser first = launch("TAB-1", "T-7", "Айгүл Серікқызы", "en");
        CourseBrowser second = launch("TAB-1", "T-8", "Бауыржан Омаров", "en");
        Map<String, String> a = formOf(first.get("/sessions/TAB-1-1").body());
        Map<String, String> b = formOf(second.get("/sessions/TAB-1-1").body());

        a.put(field(a, "s", "P-1001"), "ABSENT");
        a.put(field(a, "s", "P-1002"), "ABSENT");
        assertThat(first.post("/sessions/TAB-1-1/marks", a).statusCode()).isEqualTo(303);

        b.put(field(b, "s", "P-1001"), "PRESENT");
        b.put(field(b, "s", "P-1002"), "LATE");
        b.put(field(b, "m", "P-1002"), "5");
        b.put(field(b, "s", "P-1003"), "PRESENT");
        HttpResponse<String> stale = second.post("/sessions/TAB-1-1/marks", b);
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(409);
        String today = LocalDate.now(ZoneId.of("Asia/Almaty")).format(SHOWN);
        assertThat(stale.body()).contains("Saved: 1 marks changed", "2 rows were changed by someone else",
                "Yours: Present. Saved meanwhile by Айгүл Серікқызы at " + today,
                "Yours: Late (5 min late). Saved meanwhile by Айгүл Серікқызы at " + today,
                "Keep theirs: Absent", "Apply mine: Present", "Rows to decide: 2");
        assertThat(marks("TAB-1-1")).as("the other tab's marks stay; the row without conflict is saved")
                .containsEntry("P-1001", "ABSENT").containsEntry("P-1002", "ABSENT").containsEntry("P-1003", "PRESENT");

        // the re-shown grid keeps the teacher's intent in the fields and asks per row
        Map<String, String> decide = formOf(stale.body());
        assertThat(decide).containsEntry(field(decide, "s", "P-1001"), "PRESENT").containsEntry(field(decide, "m", "P-1002"), "5");
        HttpResponse<String> undecided = second.post("/sessions/TAB-1-1/marks", decide);
        assertThat(undecided.statusCode()).isEqualTo(422);
        assertThat(undecided.body()).contains("choose whether to keep the mark saved meanwhile or to apply yours");
        assertThat(marks("TAB-1-1")).containsEntry("P-1001", "ABSENT").containsEntry("P-1002", "ABSENT");

        decide.put(field(decide, "k", "P-1001"), "theirs");
        decide.put(field(decide, "k", "P-1002"), "mine");
        HttpResponse<String> decided = second.post("/sessions/TAB-1-1/marks", decide);
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(303);
        assertThat(marks("TAB-1-1")).containsEntry("P-1001", "ABSENT").containsEntry("P-1002", "LATE")
                .containsEntry("P-1003", "PRESENT");
    }

    @Test
    void a_row_the_stale_tab_left_as_it_was_read_does_not_overwrite_the_mark_saved_meanwhile() {
        seedSection("TAB-2", 2, "P-1001", "P-1002");
        api("PUT", "/api/v1/sessions/TAB-2-1/marks", "[{\"personId\":\"P-1001\",\"status\":\"PRESENT\"}]");
        CourseBrowser first = launch("TAB-2", "T-7", "Айгүл Серікқызы", "en");
        CourseBrowser second = launch("TAB-2", "T-8", "Бауыржан Омаров", "en");
        Map<String, String> stale = formOf(first.get("/sessions/TAB-2-1").body());
        Map<String, String> fresh = formOf(second.get("/sessions/TAB-2-1").body());

        fresh.put(field(fresh, "s", "P-1001"), "ABSENT");
        assertThat(second.post("/sessions/TAB-2-1/marks", fresh).statusCode()).isEqualTo(303);

        // the stale tab still shows P-1001 PRESENT and marks only P-1002
        assertThat(stale).containsEntry(field(stale, "s", "P-1001"), "PRESENT");
        stale.put(field(stale, "s", "P-1002"), "ABSENT");
        HttpResponse<String> saved = first.post("/sessions/TAB-2-1/marks", stale);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
        assertThat(marks("TAB-2-1")).containsEntry("P-1001", "ABSENT").containsEntry("P-1002", "ABSENT");
    }

    @Test
    void the_marks_api_refuses_a_stale_version_with_409_and_the_current_mark_and_stores_the_other_records() {
        seedSection("API-V", 1, "P-1001", "P-1002");
        Api api = Api.admin(tool);
        JsonNode first = api.ok(api.put("/api/v1/sessions/API-V-1/marks", "[{\"personId\":\"P-1001\",\"status\":\"ABSENT\"}]"));
        assertThat(first.path("versions").path("P-1001").asLong()).isEqualTo(1);
        assertThat(first.path("conflicts")).isEmpty();
        JsonNode second = api.ok(api.put("/api/v1/sessions/API-V-1/marks",
                "[{\"personId\":\"P-1001\",\"status\":\"PRESENT\",\"version\":1}]"));
        assertThat(second.path("versions").path("P-1001").asLong()).isEqualTo(2);

        Api.Response stale = api.put("/api/v1/sessions/API-V-1/marks", """
                [{"personId":"P-1001","status":"LATE","lateMinutes":5,"version":1},
                 {"personId":"P-1002","status":"ABSENT","version":0}]""");
        assertThat(stale.status()).as(stale.body()).isEqualTo(409);
        JsonNode body = stale.json();
        assertThat(body.path("error").asText()).contains("1 mark(s) changed after the version given");
        assertThat(body.path("changed").asInt()).isEqualTo(1);
        assertThat(body.path("versions").path("P-1002").asLong()).isEqualTo(1);
        JsonNode conflict = body.path("conflicts").get(0);
        assertThat(conflict.path("index").asInt()).isZero();
        assertThat(conflict.path("personId").asText()).isEqualTo("P-1001");
        assertThat(conflict.path("readAtVersion").asLong()).isEqualTo(1);
        assertThat(conflict.path("yours").path("status").asText()).isEqualTo("LATE");
        assertThat(conflict.path("yours").path("lateMinutes").asInt()).isEqualTo(5);
        assertThat(conflict.path("current").path("status").asText()).isEqualTo("PRESENT");
        assertThat(conflict.path("current").path("version").asLong()).isEqualTo(2);
        assertThat(conflict.path("current").path("updatedBy").asText()).isEqualTo("admin");
        assertThat(Instant.parse(conflict.path("current").path("updatedAt").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(marks("API-V-1")).containsEntry("P-1001", "PRESENT").containsEntry("P-1002", "ABSENT");

        // the same mark at a stale version is no conflict; a version that is no number is bad input naming the field
        assertThat(api.put("/api/v1/sessions/API-V-1/marks", "[{\"personId\":\"P-1001\",\"status\":\"PRESENT\",\"version\":1}]")
                .status()).isEqualTo(200);
        Api.Response bad = api.put("/api/v1/sessions/API-V-1/marks", "[{\"personId\":\"P-1001\",\"status\":\"ABSENT\",\"version\":\"x\"}]");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("[0].version");
        assertThat(marks("API-V-1")).containsEntry("P-1001", "PRESENT");
    }

    @Test
    void an_expired_csrf_token_re_shows_the_grid_as_typed_in_the_pages_language_and_saves_nothing_until_confirmed() {
        seedSection("EXP-1", 1, "P-1001", "P-1002");
        CourseBrowser teacher = launch("EXP-1", "T-7", "Айгүл Серікқызы", "kk");
        Map<String, String> typed = formOf(teacher.get("/sessions/EXP-1-1").body());
        typed.put(field(typed, "s", "P-1001"), "EXCUSED");
        typed.put(field(typed, "r", "P-1001"), "Медициналық анықтама № 5");
        typed.put(field(typed, "s", "P-1002"), "ABSENT");
        // the course is opened again from Moodle in this browser: a new session, so the page's token is stale
        relaunch(teacher, "EXP-1", "T-7", "Айгүл Серікқызы", "kk");

        HttpResponse<String> expired = teacher.post("/sessions/EXP-1-1/marks", typed);
        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(expired.body()).contains("lang=\"kk\"", "Бет ескірді", "ештеңе сақталмады", "Медициналық анықтама № 5",
                "id=\"grid\"");
        Map<String, String> shown = formOf(expired.body());
        assertThat(shown).containsEntry(field(shown, "s", "P-1001"), "EXCUSED").containsEntry(field(shown, "s", "P-1002"), "ABSENT");
        assertThat(shown.get("_csrf")).isNotEqualTo(typed.get("_csrf"));
        assertThat(marks("EXP-1-1")).as("nothing saved before the teacher confirms").isEmpty();

        assertThat(teacher.post("/sessions/EXP-1-1/marks", shown).statusCode()).isEqualTo(303);
        assertThat(marks("EXP-1-1")).containsEntry("P-1001", "EXCUSED").containsEntry("P-1002", "ABSENT");
    }

    @Test
    void the_grid_and_the_session_list_show_who_marked_each_session_and_when_in_the_users_language() {
        seedSection("WHO-1", 2, "P-1001");
        CourseBrowser teacher = launch("WHO-1", "T-7", "Айгүл Серікқызы", "ru");
        Map<String, String> grid = formOf(teacher.get("/sessions/WHO-1-1").body());
        grid.put(field(grid, "s", "P-1001"), "PRESENT");
        assertThat(teacher.post("/sessions/WHO-1-1/marks", grid).statusCode()).isEqualTo(303);
        api("PUT", "/api/v1/sessions/WHO-1-2/marks", "[{\"personId\":\"P-1001\",\"status\":\"ABSENT\"}]");

        String today = LocalDate.now(ZoneId.of("Asia/Almaty")).format(SHOWN);
        assertThat(teacher.get("/sessions/WHO-1-1").body()).containsPattern(
                "id=\"marked-by\">Отметил\\(а\\) Айгүл Серікқызы, " + Pattern.quote(today) + " \\d\\d:\\d\\d<");
        String home = teacher.home().body();
        assertThat(home).containsPattern("Отметил\\(а\\) Айгүл Серікқызы, " + Pattern.quote(today) + " \\d\\d:\\d\\d")
                .contains("Отметил(а) импорт из портала (admin), " + today);
    }

    @Test
    void without_javascript_the_set_buttons_fill_the_grid_without_saving_and_copy_takes_the_previous_sessions_marks() {
        seedSection("TOOL-1", 2, "P-1001", "P-1002", "P-1003");
        CourseBrowser teacher = launch("TOOL-1", "T-7", "Айгүл Серікқызы", "en");
        Map<String, String> grid = formOf(teacher.get("/sessions/TOOL-1-1").body());
        grid.put("bulk", "all");
        grid.put("bulkStatus", "ABSENT");
        HttpResponse<String> all = teacher.post("/sessions/TOOL-1-1/marks", grid);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.body()).contains("nothing is saved until you press Save");
        assertThat(statuses(formOf(all.body()))).containsOnly(Map.entry("P-1001", "ABSENT"), Map.entry("P-1002", "ABSENT"),
                Map.entry("P-1003", "ABSENT"));
        assertThat(marks("TOOL-1-1")).isEmpty();

        Map<String, String> some = formOf(all.body());
        some.put("bulk", "selected");
        some.put("bulkStatus", "PRESENT");
        some.put(field(some, "sel", "P-1002"), "1");
        Map<String, String> selected = formOf(teacher.post("/sessions/TOOL-1-1/marks", some).body());
        assertThat(statuses(selected)).containsEntry("P-1001", "ABSENT").containsEntry("P-1002", "PRESENT")
                .containsEntry("P-1003", "ABSENT");
        selected.remove("bulk");
        assertThat(teacher.post("/sessions/TOOL-1-1/marks", selected).statusCode()).isEqualTo(303);
        assertThat(marks("TOOL-1-1")).containsEntry("P-1001", "ABSENT").containsEntry("P-1002", "PRESENT");

        String copied = teacher.get("/sessions/TOOL-1-2?copy=previous").body();
        assertThat(copied).contains("Filled in from the session of", "check and press Save");
        assertThat(statuses(formOf(copied))).containsEntry("P-1001", "ABSENT").containsEntry("P-1002", "PRESENT")
                .containsEntry("P-1003", "ABSENT");
        assertThat(marks("TOOL-1-2")).as("copying saves nothing").isEmpty();
        assertThat(teacher.get("/sessions/TOOL-1-1?copy=previous").body()).contains("No earlier session has marks to copy");
    }

    @Test
    void the_teachers_home_puts_students_near_the_limit_and_past_sessions_nobody_marked_first() {
        seedSection("HOME-1", 6, "P-1001", "P-1002");
        for (int i : new int[]{1, 2, 4}) {
            api("PUT", "/api/v1/sessions/HOME-1-" + i + "/marks",
                    "[{\"personId\":\"P-1001\",\"status\":\"ABSENT\"},{\"personId\":\"P-1002\",\"status\":\"PRESENT\"}]");
        }
        String home = launch("HOME-1", "T-7", "Айгүл Серікқызы", "en").home().body();
        assertThat(home).contains("id=\"attention\"", "Needs your attention", "Past sessions nobody marked: 3",
                "Students near or over the absence limit: 1");
        int attention = home.indexOf("id=\"attention\"");
        assertThat(attention).isLessThan(home.indexOf("id=\"sessions\""));
        String card = home.substring(attention, home.indexOf("</section>", attention));
        assertThat(card).contains("/sessions/HOME-1-3", "/sessions/HOME-1-5", "/sessions/HOME-1-6", "P-1001")
                .doesNotContain("/sessions/HOME-1-1\"", "P-1002");
        assertThat(home).contains("<tr id=\"session-HOME-1-3\" class=\"unmarked-past\">")
                .doesNotContain("<tr id=\"session-HOME-1-1\" class=\"unmarked-past\">");
        assertThat(count(home, "class=\"flag\">Not marked<")).isEqualTo(3);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static CourseBrowser launch(String section, String person, String name, String locale) {
        return CourseBrowser.launch(tool, platform, c -> claims(c, section, person, name, locale));
    }

    /** A second launch of the same course by the same person in the same browser (a new session and CSRF token). */
    private static void relaunch(CourseBrowser b, String section, String person, String name, String locale) {
        var r = new LtiFlow(tool, platform, b.browser()).launch((nonce, target) -> {
            Map<String, Object> c = LaunchClaims.moodleStudent(platform, nonce, target);
            claims(c, section, person, name, locale);
            return c;
        });
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location").orElseThrow()).startsWith(b.base());
    }

    private static void claims(Map<String, Object> c, String section, String person, String name, String locale) {
        c.put(LTI + "lis", Map.of("person_sourcedid", person, "course_section_sourcedid", section));
        c.put(LTI + "roles", List.of(INSTRUCTOR));
        c.put("sub", "sub-" + person);
        c.put("name", name);
        c.put(LTI + "launch_presentation", Map.of("locale", locale, "document_target", "iframe"));
    }

    /** Section {@code id} with {@code n} one-hour past sessions {@code id-1…}, the students and teachers T-7 and T-8. */
    static void seedSection(String id, int n, String... students) {
        api("PUT", "/api/v1/sections/" + id, "{\"title\": \"Course " + id + "\", \"termStart\": \"2026-01-10\", \"termEnd\": \"2026-12-25\"}");
        List<String> roster = new ArrayList<>();
        for (String s : students) {
            roster.add("{\"personId\":\"" + s + "\",\"role\":\"student\"}");
        }
        roster.add("{\"personId\":\"T-7\",\"role\":\"teacher\"}");
        roster.add("{\"personId\":\"T-8\",\"role\":\"teacher\"}");
        api("PUT", "/api/v1/sections/" + id + "/enrolments", "[" + String.join(",", roster) + "]");
        List<String> sessions = new ArrayList<>();
        LocalDate first = LocalDate.now(ZoneId.of("Asia/Almaty")).minusDays(n + 1);
        for (int i = 1; i <= n; i++) {
            LocalDate day = first.plusDays(i);
            sessions.add("{\"sessionId\":\"" + id + "-" + i + "\",\"start\":\"" + day + "T08:00:00+05:00\",\"end\":\"" + day
                    + "T08:50:00+05:00\",\"kind\":\"lecture\",\"hours\":1,\"room\":\"A-204\"}");
        }
        api("PUT", "/api/v1/sections/" + id + "/sessions", "[" + String.join(",", sessions) + "]");
    }

    private static JsonNode api(String method, String path, String json) {
        Api api = Api.admin(tool);
        return api.ok(api.send(method, path, json));
    }

    /** The stored marks of a session: person id → status. */
    private static Map<String, String> marks(String sessionId) {
        Map<String, String> out = new TreeMap<>();
        tool.database().jdbi().useHandle(h -> h.createQuery("SELECT person_id, status FROM mark WHERE session_id = :s")
                .bind("s", sessionId).map((rs, c) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    /**
     * The fields a browser submits from the grid as it is: hidden fields, checked radios and boxes, the minutes and
     * reasons typed (values as the page shows them, unescaped for the few entities jte writes).
     */
    static Map<String, String> formOf(String html) {
        Map<String, String> form = new LinkedHashMap<>();
        Matcher hidden = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">").matcher(html);
        while (hidden.find()) {
            form.put(hidden.group(1), unescape(hidden.group(2)));
        }
        Matcher checked = Pattern.compile("name=\"([^\"]+)\" value=\"([^\"]+)\" id=\"[^\"]+\" checked").matcher(html);
        while (checked.find()) {
            form.put(checked.group(1), checked.group(2));
        }
        Matcher typed = Pattern.compile("name=\"([mr]\\.\\d+)\"[^>]*? value=\"([^\"]*)\"").matcher(html);
        while (typed.find()) {
            form.put(typed.group(1), unescape(typed.group(2)));
        }
        return form;
    }

    private static String unescape(String s) {
        return s.replace("&#34;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    /** The grid field {@code prefix.i} of the row of {@code personId}. */
    static String field(Map<String, String> form, String prefix, String personId) {
        return form.entrySet().stream().filter(e -> e.getKey().matches("p\\.\\d+") && e.getValue().equals(personId))
                .map(e -> prefix + "." + e.getKey().substring(2)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + personId + " in " + form));
    }

    /** Person id → the status checked in the grid. */
    private static Map<String, String> statuses(Map<String, String> form) {
        Map<String, String> out = new TreeMap<>();
        form.forEach((k, v) -> {
            if (k.matches("p\\.\\d+") && form.containsKey("s." + k.substring(2))) {
                out.put(v, form.get("s." + k.substring(2)));
            }
        });
        return out;
    }

    private static int count(String text, String literal) {
        int n = 0;
        for (int i = text.indexOf(literal); i >= 0; i = text.indexOf(literal, i + 1)) {
            n++;
        }
        return n;
    }
}
