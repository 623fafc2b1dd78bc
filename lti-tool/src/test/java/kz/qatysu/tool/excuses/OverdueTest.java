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

    @Test
    void the_decision_deadline_is_shown_as_a_date_and_time_in_the_institutions_zone_not_an_iso_string() {
        clock.reset(); // the other test moves the clock past the launch token's lifetime
        var student = f.student("P-1002", "6", "Бауыржан Ерланұлы");
        f.absent("P-1002", "S-1");
        String page = student.browser().get(f.tool.baseUrl() + student.base() + "/excuses").body();
        assertThat(f.multipart(student.browser(), student.base() + "/excuses",
                form(csrf(page), null, null, List.of("S-1"), "Ауырдым"), null, null).statusCode()).isEqualTo(303);
        long id = f.newestExcuse();
        java.time.Instant decideBy = f.tool.database().jdbi().withHandle(h -> h.createQuery("SELECT decide_by FROM excuse WHERE id = :id")
                .bind("id", id).mapTo(java.time.OffsetDateTime.class).one()).toInstant();
        String shown = java.time.format.DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm").format(decideBy.atZone(java.time.ZoneId.of("Asia/Almaty")));

        String mine = row(student.browser().get(f.tool.baseUrl() + student.base() + "/excuses").body(), id);
        String deans = row(f.admin().get(f.tool.baseUrl() + "/admin/excuses").body(), id);
        for (String row : List.of(mine, deans)) {
            assertThat(row).containsPattern("<td class=\"deadline\"[^>]*>" + java.util.regex.Pattern.quote(shown))
                    .doesNotContain(decideBy.toString().substring(0, 10));
        }
    }

    private static String row(String html, long id) {
        var m = Pattern.compile("<tr id=\"excuse-" + id + "\"[\\s\\S]*?</tr>").matcher(html);
        assertThat(m.find()).as(html).isTrue();
        return m.group();
    }
}
