package kz.qatysu.tool.excuses;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static kz.qatysu.tool.excuses.DeansFixture.SECTION;
import static kz.qatysu.tool.excuses.DeansFixture.csrf;
import static kz.qatysu.tool.excuses.DeansFixture.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The excuse form offers only the student's own missed sessions (absent or late) and the sessions still to come that
 * are theirs (not another group's), with days and kinds in the student's language; anything else is refused.
 */
class ExcuseFormTest {
    static DeansFixture f;

    @BeforeAll
    static void start() {
        f = DeansFixture.start(Map.of());
        DeansFixture.ok(f.api("PUT", "/api/v1/sections/" + SECTION + "/enrolments", """
                [{"personId":"P-1001","role":"student","group":"ИС-24-1"},{"personId":"P-1002","role":"student","group":"ИС-24-2"},
                 {"personId":"T-7","role":"teacher"}]""", kz.qatysu.tool.testing.RunningTool.ADMIN_TOKEN));
        // S-1…S-10 are past lectures (September 2026); two seminars next year, one per group
        f.timetable(seminar("SEM-1", "2027-02-02", "ИС-24-1"), seminar("SEM-2", "2027-02-03", "ИС-24-2"));
        f.absent("P-1001", "S-2");
        DeansFixture.ok(f.api("PUT", "/api/v1/sessions/S-3/marks", "[{\"personId\":\"P-1001\",\"status\":\"LATE\",\"lateMinutes\":12}]",
                kz.qatysu.tool.testing.RunningTool.ADMIN_TOKEN));
        DeansFixture.ok(f.api("PUT", "/api/v1/sessions/S-4/marks", "[{\"personId\":\"P-1001\",\"status\":\"PRESENT\"}]",
                kz.qatysu.tool.testing.RunningTool.ADMIN_TOKEN));
        f.absent("P-1002", "S-5");
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static String seminar(String id, String day, String group) {
        return "{\"sessionId\":\"" + id + "\",\"start\":\"" + day + "T10:00:00+05:00\",\"end\":\"" + day
                + "T11:40:00+05:00\",\"kind\":\"seminar\",\"hours\":2,\"group\":\"" + group + "\"}";
    }

    @Test
    void the_form_offers_the_students_own_absences_and_lates_and_their_coming_sessions_in_their_language() {
        var student = f.student("P-1001", "5", "Әлия Нұрланқызы");
        String page = student.browser().get(f.tool.baseUrl() + student.base() + "/excuses").body();
        String missed = page.substring(page.indexOf("id=\"missed-sessions\""), page.indexOf("id=\"coming-sessions\""));
        String coming = page.substring(page.indexOf("id=\"coming-sessions\""), page.indexOf("</fieldset>", page.indexOf("id=\"coming-sessions\"")));
        assertThat(missed).contains("value=\"S-2\"", "value=\"S-3\"").doesNotContain("value=\"S-4\"", "value=\"S-5\"", "value=\"S-1\"");
        assertThat(missed).contains("03.09.2026 08:00", "Дәріс", "Қатыспады", "Кешікті");
        assertThat(coming).contains("value=\"SEM-1\"", "02.02.2027 10:00", "Семинар").doesNotContain("SEM-2");
        assertThat(page).doesNotContain("2026-09-03", ">lecture<", " · lecture");
    }

    @Test
    void a_session_not_offered_is_refused_and_nothing_is_stored() {
        var student = f.student("P-1001", "5", "Әлия Нұрланқызы");
        long before = f.excuseCount();
        for (String session : List.of("S-4", "S-6", "SEM-2", "S-404")) {
            String page = student.browser().get(f.tool.baseUrl() + student.base() + "/excuses").body();
            var r = f.multipart(student.browser(), student.base() + "/excuses",
                    form(csrf(page), null, null, List.of(session), "Ауырдым"), null, null);
            assertThat(r.statusCode()).as(session).isEqualTo(400);
            assertThat(r.body()).as(session).contains("Тек өзіңіз қатыспаған");
        }
        assertThat(f.excuseCount()).isEqualTo(before);
    }

    @Test
    void an_approved_date_range_excuses_only_the_sessions_of_the_students_own_group() {
        var student = f.student("P-1002", "6", "Бауыржан Әбілқасымұлы");
        String page = student.browser().get(f.tool.baseUrl() + student.base() + "/excuses").body();
        var r = f.multipart(student.browser(), student.base() + "/excuses",
                form(csrf(page), "2027-02-01", "2027-02-05", List.of(), "Олимпиада"), null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        long id = f.newestExcuse();
        var dean = f.admin();
        String list = dean.get(f.tool.baseUrl() + "/admin/excuses").body();
        assertThat(dean.postForm(f.tool.baseUrl() + "/admin/excuses/" + id + "/approve", Map.of("_csrf", csrf(list))).statusCode())
                .isEqualTo(303);
        assertThat(f.mark("SEM-2", "P-1002")).containsEntry("status", "EXCUSED");
        assertThat(f.mark("SEM-1", "P-1002")).as("another group's seminar").isEmpty();
    }
}
