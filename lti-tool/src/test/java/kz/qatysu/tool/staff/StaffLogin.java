package kz.qatysu.tool.staff;

import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test helpers: a launch as a given portal person, and the staff sign-in that follows it (over real HTTP). */
public final class StaffLogin {
    private static final Pattern TICKET = Pattern.compile("name=\"ticket\" value=\"([^\"]+)\"");

    private StaffLogin() {
    }

    /** A launch of the Moodle staff link ({@code qatysu_resource=staff}) by {@code personId}; the browser and its response. */
    public static Launched launch(DeansFixture f, String personId, String name) {
        Browser browser = new Browser();
        HttpResponse<String> r = new LtiFlow(f.tool, f.platform, browser).launch((nonce, target) -> {
            Map<String, Object> c = LaunchClaims.moodleStudent(f.platform, nonce, target);
            c.put("sub", "moodle-" + personId);
            c.put("name", name);
            c.put(LaunchClaims.LTI + "lis", Map.of("person_sourcedid", personId, "course_section_sourcedid", DeansFixture.SECTION));
            c.put(LaunchClaims.LTI + "custom", Map.of("qatysu_resource", "staff"));
            return c;
        });
        return new Launched(browser, r);
    }

    public record Launched(Browser browser, HttpResponse<String> response) {
        public String location() {
            return response.headers().firstValue("Location").orElseThrow(() -> new AssertionError("launch failed: "
                    + response.statusCode() + " " + response.body()));
        }
    }

    /** Launches as {@code personId}, opens the staff page and presses its button: a browser with a staff session. */
    public static Browser signIn(DeansFixture f, String personId, String name) {
        Launched l = launch(f, personId, name);
        HttpResponse<String> page = l.browser().get(f.tool.baseUrl() + l.location());
        if (page.statusCode() != 200) {
            throw new AssertionError("staff page: " + page.statusCode() + " " + page.body());
        }
        HttpResponse<String> entered = l.browser().postForm(f.tool.baseUrl() + "/admin/staff/enter", Map.of("ticket", ticket(page.body())));
        if (entered.statusCode() != 200) {
            throw new AssertionError("staff entry: " + entered.statusCode() + " " + entered.body());
        }
        return l.browser();
    }

    public static String ticket(String html) {
        Matcher m = TICKET.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no ticket in " + html);
        }
        return m.group(1);
    }
}
