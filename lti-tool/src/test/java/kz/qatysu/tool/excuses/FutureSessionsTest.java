package kz.qatysu.tool.excuses;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static kz.qatysu.tool.excuses.DeansFixture.csrf;
import static kz.qatysu.tool.excuses.DeansFixture.form;
import static org.assertj.core.api.Assertions.assertThat;

/** An excuse announced ahead (a competition next month) pre-marks the sessions it covers when approved. */
class FutureSessionsTest {
    static DeansFixture f;

    @BeforeAll
    static void start() {
        f = DeansFixture.start(Map.of());
        f.timetable("""
                {"sessionId":"S-F","start":"2026-12-18T08:00:00+05:00","end":"2026-12-18T08:50:00+05:00","kind":"lecture","hours":1}""",
                """
                {"sessionId":"S-G","start":"2026-12-19T08:00:00+05:00","end":"2026-12-19T08:50:00+05:00","kind":"lecture","hours":1}""",
                """
                {"sessionId":"S-U","start":"2026-12-19T19:30:00Z","end":"2026-12-19T20:20:00Z","kind":"lecture","hours":1}""");
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void approving_an_announced_absence_pre_marks_the_covered_sessions_and_only_those() {
        var student = f.student("P-1002", "6", "Бауыржан Әбілқасымұлы");
        String page = student.browser().get(f.tool.baseUrl() + student.base() + "/excuses").body();
        assertThat(page).contains("value=\"S-F\"", "18.12.2026");
        var r = f.multipart(student.browser(), student.base() + "/excuses",
                form(csrf(page), "2026-12-18", "2026-12-18", List.of(), "Республикалық олимпиада"), null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        long id = f.newestExcuse();

        var dean = f.admin();
        String list = dean.get(f.tool.baseUrl() + "/admin/excuses").body();
        assertThat(dean.postForm(f.tool.baseUrl() + "/admin/excuses/" + id + "/approve", Map.of("_csrf", csrf(list))).statusCode())
                .isEqualTo(303);
        assertThat(f.mark("S-F", "P-1002")).containsEntry("status", "EXCUSED").containsEntry("reason", "Республикалық олимпиада");
        assertThat(f.mark("S-G", "P-1002")).isEmpty();
        assertThat(f.standingOf("P-1002").path("excusedHours").asInt()).isEqualTo(1);
    }

    /**
     * Issue 12 §1: a session a portal sent in UTC late in the evening (19:30Z) is at 00:30 the next day in the
     * institution's zone: the student sees it on that day, and an absence announced for that day covers it.
     */
    @Test
    void a_session_sent_in_utc_is_listed_and_covered_on_its_day_in_the_institutions_zone() {
        var student = f.student("P-1001", "5", "Әлия Нұрланқызы");
        String page = student.browser().get(f.tool.baseUrl() + student.base() + "/excuses").body();
        assertThat(page).contains("value=\"S-U\"", "20.12.2026 00:30").doesNotContain("19.12.2026 19:30");
        var r = f.multipart(student.browser(), student.base() + "/excuses",
                form(csrf(page), "2026-12-20", "2026-12-20", List.of(), "Отбасылық жағдай"), null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        long id = f.newestExcuse();
        var dean = f.admin();
        String list = dean.get(f.tool.baseUrl() + "/admin/excuses").body();
        assertThat(dean.postForm(f.tool.baseUrl() + "/admin/excuses/" + id + "/approve", Map.of("_csrf", csrf(list))).statusCode())
                .isEqualTo(303);
        assertThat(f.mark("S-U", "P-1001")).containsEntry("status", "EXCUSED");
    }

    @Test
    void a_later_absent_mark_on_an_approved_session_stays_excused_but_presence_replaces_it() {
        var student = f.student("P-1001", "5", "Әлия Нұрланқызы");
        String page = student.browser().get(f.tool.baseUrl() + student.base() + "/excuses").body();
        var r = f.multipart(student.browser(), student.base() + "/excuses",
                form(csrf(page), null, null, List.of("S-G"), "Дәрігер анықтамасы №7"), null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        long id = f.newestExcuse();
        var dean = f.admin();
        String list = dean.get(f.tool.baseUrl() + "/admin/excuses").body();
        assertThat(dean.postForm(f.tool.baseUrl() + "/admin/excuses/" + id + "/approve", Map.of("_csrf", csrf(list))).statusCode())
                .isEqualTo(303);

        // the teacher's "all present, then exceptions" marks her absent on the day: the approval still holds
        f.absent("P-1001", "S-G");
        assertThat(f.mark("S-G", "P-1001")).containsEntry("status", "EXCUSED").containsEntry("reason", "Дәрігер анықтамасы №7");
        assertThat(f.standingOf("P-1001").path("absentHours").asInt()).isZero();

        // she came after all: presence is recorded as it was
        DeansFixture.ok(f.api("PUT", "/api/v1/sessions/S-G/marks", "[{\"personId\":\"P-1001\",\"status\":\"LATE\",\"lateMinutes\":10}]",
                kz.qatysu.tool.testing.RunningTool.ADMIN_TOKEN));
        assertThat(f.mark("S-G", "P-1001")).containsEntry("status", "LATE");

        // a session the excuse does not cover is absent as marked
        f.absent("P-1001", "S-F");
        assertThat(f.mark("S-F", "P-1001")).containsEntry("status", "ABSENT");
    }
}
