package kz.qatysu.tool.deans;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import static kz.qatysu.tool.excuses.DeansFixture.SECTION;
import static kz.qatysu.tool.excuses.DeansFixture.csrf;
import static kz.qatysu.tool.excuses.DeansFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** The policy panel of the dean's-office section page, over real HTTP with the admin sign-in. */
class SectionPolicyPageTest {
    static DeansFixture f;
    static String page;
    static String action;

    @BeforeAll
    static void start() {
        f = DeansFixture.start(Map.of());
        // 3 of 10 planned hours: 30 % — a warning under the institution's policy (locked only above 30 %)
        f.absent("P-1001", "S-1", "S-2", "S-3");
        page = f.tool.baseUrl() + "/admin/sections/" + SECTION;
        action = page + "/policy";
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void the_dean_sets_a_section_policy_sees_it_marked_and_resets_it_with_standing_recomputed_each_time() {
        Browser dean = f.admin();
        String before = dean.get(page).body();
        assertThat(before).contains("id=\"policy-form\"", "This section follows the institution's policy.");
        assertThat(row(before, "lockThreshold")).contains("<strong class=\"effective\">30 %</strong>", "source-institution");
        assertThat(f.standingOf("P-1001").path("state").asText()).isEqualTo("WARNING");

        var saved = dean.postForm(action, form(csrf(before), "lockThreshold", "0,25", "warningThreshold", "0.10",
                "latesPerAbsence", "3", "denominator", "held-so-far"));
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
        assertThat(saved.headers().firstValue("Location").orElseThrow()).contains("policy=saved");
        assertThat(f.standingOf("P-1001").path("state").asText()).isEqualTo("LOCKED");

        JsonNode stored = ok(f.api("GET", "/api/v1/sections/" + SECTION + "/policy", null, RunningTool.ADMIN_TOKEN));
        assertThat(stored.path("override").path("lockThreshold").decimalValue()).isEqualByComparingTo("0.25");
        assertThat(stored.path("override").path("denominator").asText()).isEqualTo("held-so-far");
        assertThat(stored.path("override").path("by").asText()).isEqualTo("web:admin");
        assertThat(stored.path("override").path("lateMinutesCountingAsAbsence").isNull()).isTrue();

        String after = dean.get(page + "?policy=saved").body();
        assertThat(after).contains("The section's policy was saved", "last changed by web:admin");
        assertThat(row(after, "lockThreshold")).contains("<strong class=\"effective\">25 %</strong>", "source-section",
                "value=\"0.25\"");
        assertThat(row(after, "lateMinutesCountingAsAbsence")).contains("<strong class=\"effective\">20</strong>",
                "source-institution", "value=\"\"");
        assertThat(row(after, "denominator")).contains("<option value=\"held-so-far\" selected>");
        assertThat(audits("section.policy.set")).isEqualTo(1);

        var reset = dean.postForm(action + "/reset", Map.of("_csrf", csrf(after)));
        assertThat(reset.statusCode()).isEqualTo(303);
        assertThat(ok(f.api("GET", "/api/v1/sections/" + SECTION + "/policy", null, RunningTool.ADMIN_TOKEN))
                .path("override").isNull()).isTrue();
        assertThat(f.standingOf("P-1001").path("state").asText()).isEqualTo("WARNING");
        String back = dean.get(page + "?policy=reset").body();
        assertThat(back).contains("follows the institution's policy again").doesNotContain("id=\"policy-reset\"");
        assertThat(audits("section.policy.reset")).isEqualTo(1);
        // nothing left to reset
        assertThat(dean.postForm(action + "/reset", Map.of("_csrf", csrf(back))).statusCode()).isEqualTo(404);
    }

    @Test
    void invalid_values_are_shown_at_their_fields_in_the_readers_language_and_nothing_is_stored() {
        Browser dean = f.admin();
        String csrf = csrf(dean.get(page).body());
        Map<String, String> bad = form(csrf, "lockThreshold", "abc", "warningThreshold", "0.5", "latesPerAbsence", "0",
                "lateMinutesCountingAsAbsence", "-1", "unit", "weeks", "lockHours", "4", "warningHours", "9");

        HttpResponse<String> en = post(dean, action, bad, "en");
        assertThat(en.statusCode()).isEqualTo(400);
        assertThat(en.body()).contains("The policy was not saved");
        assertThat(row(en.body(), "lockThreshold")).contains("Enter a share greater than 0 and at most 1", "value=\"abc\"",
                "aria-invalid=\"true\"");
        // 0.5 against the institution's lock threshold 0.30, since this form's lock threshold was no number
        assertThat(row(en.body(), "warningThreshold")).contains("must not be above the lock threshold (0.30).");
        assertThat(row(en.body(), "latesPerAbsence")).contains("Enter a whole number, 1 or more.");
        assertThat(row(en.body(), "lateMinutesCountingAsAbsence")).contains("0 or more");
        assertThat(row(en.body(), "unit")).contains("Choose one of the listed values.");
        assertThat(row(en.body(), "warningHours")).contains("Warning hours must not be above lock hours (4).");
        assertThat(row(en.body(), "lockHours")).doesNotContain("field-error");

        HttpResponse<String> ru = post(dean, action, bad, "ru");
        assertThat(ru.statusCode()).isEqualTo(400);
        assertThat(row(ru.body(), "lockThreshold")).contains("Введите долю больше 0 и не больше 1");
        assertThat(row(ru.body(), "warningHours")).contains("Часы предупреждения не могут превышать часы блокировки (4).");
        HttpResponse<String> kk = post(dean, action, bad, "kk");
        assertThat(row(kk.body(), "latesPerAbsence")).contains("Бүтін сан енгізіңіз, 1 немесе одан көп.");

        // a lock threshold below the inherited warning threshold: the rule is shown at the inherited field, with its value
        HttpResponse<String> inherited = post(dean, action, form(csrf, "lockThreshold", "0.15"), "en");
        assertThat(inherited.statusCode()).isEqualTo(400);
        assertThat(row(inherited.body(), "warningThreshold")).contains(
                "must not be above the lock threshold (0.15). (The institution's value 0.2 applies here.)");

        assertThat(ok(f.api("GET", "/api/v1/sections/" + SECTION + "/policy", null, RunningTool.ADMIN_TOKEN))
                .path("override").isNull()).isTrue();
    }

    @Test
    void the_policy_forms_need_the_admin_sign_in_and_the_csrf_token() {
        Map<String, String> valid = Map.of("lockThreshold", "0.2");
        assertThat(new Browser().postForm(action, valid).statusCode()).isEqualTo(401);
        assertThat(new Browser().postForm(action + "/reset", Map.of()).statusCode()).isEqualTo(401);
        // a student's launch cookie is no admin session
        var student = f.student("P-1002", "6", "Бауыржан");
        assertThat(student.browser().postForm(action, valid).statusCode()).isEqualTo(401);

        Browser dean = f.admin();
        assertThat(dean.postForm(action, valid).statusCode()).isEqualTo(403);
        assertThat(dean.postForm(action, Map.of("_csrf", "forged", "lockThreshold", "0.2")).statusCode()).isEqualTo(403);
        assertThat(dean.postForm(action + "/reset", Map.of()).statusCode()).isEqualTo(403);
        assertThat(ok(f.api("GET", "/api/v1/sections/" + SECTION + "/policy", null, RunningTool.ADMIN_TOKEN))
                .path("override").isNull()).isTrue();
        // an unknown section is not found, also for a valid form
        String csrf = csrf(dean.get(page).body());
        assertThat(dean.postForm(f.tool.baseUrl() + "/admin/sections/NO-SUCH/policy", Map.of("_csrf", csrf, "lockThreshold", "0.2"))
                .statusCode()).isEqualTo(404);
    }

    private static Map<String, String> form(String csrf, String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("_csrf", csrf);
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    /** The HTML of one row of the policy table. */
    private static String row(String html, String field) {
        int start = html.indexOf("<tr id=\"policy-" + field + "\">");
        assertThat(start).as("row of " + field).isNotNegative();
        return html.substring(start, html.indexOf("</tr>", start));
    }

    private static long audits(String action) {
        return f.tool.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM admin_audit WHERE action = :a AND subject = :s AND actor = 'web:admin'")
                .bind("a", action).bind("s", "section/" + SECTION).mapTo(Long.class).one());
    }

    /** A form POST with the dean's cookies and an Accept-Language header. */
    private static HttpResponse<String> post(Browser dean, String url, Map<String, String> form, String language) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept-Language", language)
                    .header("Cookie", dean.cookies().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining("; ")))
                    .POST(HttpRequest.BodyPublishers.ofString(Browser.encode(form))).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
