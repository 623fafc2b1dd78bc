package kz.qatysu.tool.deans;

import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.staff.StaffLogin;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static kz.qatysu.tool.excuses.DeansFixture.SECTION;
import static kz.qatysu.tool.excuses.DeansFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dean's office's list of sections with held sessions nobody marked (issue 12 §5), over real HTTP: counted per
 * section, scoped to the office's faculties as {@link AdminGate} scopes every dean's-office page, and gone once marked.
 */
class UnmarkedSessionsTest {
    static final String ECO = "ECO-201";
    static final String DONE = "FIT-DONE";
    static DeansFixture f;

    @BeforeAll
    static void start() {
        f = DeansFixture.start(Map.of());
        section(SECTION, DeansFixture.SECTION_TITLE, "FIT");
        section(ECO, "Economics", "ECO");
        section(DONE, "All marked", "FIT");
        for (String id : new String[]{ECO, DONE}) {
            ok(f.api("PUT", "/api/v1/sections/" + id + "/enrolments", "[{\"personId\":\"P-1001\",\"role\":\"student\"},"
                    + "{\"personId\":\"T-9\",\"role\":\"teacher\",\"familyName\":\"Омаров\",\"givenName\":\"Бауыржан\"}]",
                    RunningTool.ADMIN_TOKEN));
            ok(f.api("PUT", "/api/v1/sections/" + id + "/sessions", "[" + session(id + "-1", "2026-09-03") + ","
                    + session(id + "-2", "2026-09-10") + "]", RunningTool.ADMIN_TOKEN));
        }
        // ATT101-2025: S-1…S-10, S-1 marked; ECO-201: one of two marked; FIT-DONE: both marked
        f.absent("P-1001", "S-1", ECO + "-2", DONE + "-1", DONE + "-2");
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void the_dean_of_a_faculty_sees_its_sections_with_unmarked_past_sessions_counted_and_no_other_faculty() {
        assertThat(f.api("PUT", "/api/v1/admin/staff/D-71", "{\"displayName\":\"Dean FIT\",\"roles\":[\"DEANS_OFFICE\"],\"faculties\":[\"FIT\"]}",
                RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(201);
        Browser dean = StaffLogin.signIn(f, "D-71", "Dean FIT");
        HttpResponse<String> page = dean.get(f.tool.baseUrl() + "/admin/unmarked-sessions");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(count(page.body(), SECTION)).isEqualTo(9);
        assertThat(page.body()).contains("03.09.2026 08:00") // the oldest unmarked: S-2 on 3 September
                .doesNotContain(ECO, DONE);
        assertThat(dean.get(f.tool.baseUrl() + "/admin/sections").body()).contains("href=\"/admin/unmarked-sessions\"");
    }

    @Test
    void the_admin_sign_in_sees_every_faculty_and_a_section_leaves_the_list_once_its_sessions_are_marked() {
        Browser admin = f.admin();
        String before = admin.get(f.tool.baseUrl() + "/admin/unmarked-sessions").body();
        assertThat(count(before, ECO)).isEqualTo(1);
        assertThat(before).contains("Омаров Бауыржан").doesNotContain(DONE);
        f.absent("P-1001", ECO + "-1");
        assertThat(admin.get(f.tool.baseUrl() + "/admin/unmarked-sessions").body()).doesNotContain(ECO).contains(SECTION);
    }

    private static void section(String id, String title, String faculty) {
        ok(f.api("PUT", "/api/v1/sections/" + id, "{\"title\":\"" + title + "\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\","
                + "\"faculty\":\"" + faculty + "\"}", RunningTool.ADMIN_TOKEN));
    }

    private static String session(String id, String day) {
        return "{\"sessionId\":\"" + id + "\",\"start\":\"" + day + "T08:00:00+05:00\",\"end\":\"" + day
                + "T08:50:00+05:00\",\"kind\":\"lecture\",\"hours\":1}";
    }

    /** The unmarked count the page shows for {@code sectionId}. */
    private static int count(String html, String sectionId) {
        Matcher m = Pattern.compile("data-section=\"" + Pattern.quote(sectionId) + "\">.*?<td class=\"count\">(\\d+)</td>",
                Pattern.DOTALL).matcher(html);
        assertThat(m.find()).as("a row of " + sectionId + " in " + html).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
