package kz.qatysu.tool.excuses;

import kz.qatysu.tool.testing.MovableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static kz.qatysu.tool.excuses.DeansFixture.csrf;
import static kz.qatysu.tool.excuses.DeansFixture.form;
import static org.assertj.core.api.Assertions.assertThat;

/** An excuse still pending after excuses.decisionDays is highlighted for the dean's office. */
class OverdueTest {
    static final MovableClock clock = new MovableClock();
    static DeansFixture f;

    @BeforeAll
    static void start() {
        f = DeansFixture.start(Map.of("QATYSU_EXCUSES_DECISION_DAYS", "3"), clock);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void a_pending_excuse_past_its_deadline_is_marked_overdue() {
        var student = f.student("P-1001", "5", "Әлия Нұрланқызы");
        f.absent("P-1001", "S-1"); // the form offers the student's own absences (and sessions to come)
        String page = student.browser().get(f.tool.baseUrl() + student.base() + "/excuses").body();
        assertThat(f.multipart(student.browser(), student.base() + "/excuses",
                form(csrf(page), null, null, List.of("S-1"), "Ауырдым"), null, null).statusCode()).isEqualTo(303);
        long id = f.newestExcuse();

        assertThat(row(f.admin().get(f.tool.baseUrl() + "/admin/excuses").body(), id)).doesNotContain("class=\"overdue\"");
        clock.advance(Duration.ofDays(3).plusHours(1));
        String late = f.admin().get(f.tool.baseUrl() + "/admin/excuses").body();
        assertThat(row(late, id)).contains("class=\"overdue\"", "overdue");
    }

    private static String row(String html, long id) {
        var m = Pattern.compile("<tr id=\"excuse-" + id + "\"[\\s\\S]*?</tr>").matcher(html);
        assertThat(m.find()).as(html).isTrue();
        return m.group();
    }
}
