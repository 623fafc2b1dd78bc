package kz.qatysu.tool.admission;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static kz.qatysu.tool.excuses.DeansFixture.SECTION;
import static kz.qatysu.tool.excuses.DeansFixture.csrf;
import static kz.qatysu.tool.excuses.DeansFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every trigger the issue names — a score, a mark, an excuse, the absence and rating policies, the dean's office's
 * attendance override (on both gates) and admission override — moves the stored decision at once and leaves a history
 * row with its cause; a student enrolled later has a stored decision at once (so the LMS gets a 0 without waiting).
 */
class AdmissionCausesTest {
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    static DeansFixture f;

    @BeforeAll
    static void start() {
        f = DeansFixture.start(Map.of());
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static JsonNode api(String method, String path, String body) {
        return ok(f.api(method, path, body, RunningTool.ADMIN_TOKEN));
    }

    static Boolean stored(String person) {
        return f.tool.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT admitted FROM admission WHERE section_id = :s AND person_id = :p")
                .bind("s", SECTION).bind("p", person).mapTo(Boolean.class).findOne().orElse(null));
    }

    /** The history's last row as "cause trigger → admitted". */
    static JsonNode last(String person) {
        JsonNode history = api("GET", "/api/v1/sections/" + SECTION + "/admission/" + person + "/history", null);
        return history.get(history.size() - 1);
    }

    static JsonNode row(String person) {
        JsonNode all = api("GET", "/api/v1/sections/" + SECTION + "/admission", null);
        return StreamSupport.stream(all.spliterator(), false).filter(r -> r.path("personId").asText().equals(person))
                .findFirst().orElseThrow();
    }

    @Test
    void each_trigger_moves_the_stored_decision_with_its_cause() {
        // score: 60 + 50 + 40 = 150 of 300
        api("PUT", "/api/v1/sections/" + SECTION + "/scores", """
                [{"personId":"P-1001","component":"RK1","points":60},{"personId":"P-1001","component":"MT","points":50},
                 {"personId":"P-1001","component":"RK2","points":40}]""");
        assertThat(stored("P-1001")).isTrue();
        assertThat(last("P-1001").path("cause").asText()).isEqualTo("SCORE_CHANGED");

        // marks: 4 of 10 hours missed, over 30 %
        f.absent("P-1001", "S-1", "S-2", "S-3", "S-4");
        assertThat(stored("P-1001")).isFalse();
        assertThat(last("P-1001").path("cause").asText()).isEqualTo("STANDING_CHANGED");
        assertThat(last("P-1001").path("reasons").toString()).isEqualTo("[\"ATTENDANCE_LOCKED\"]");

        // an excuse for S-1 and S-2, approved by the teacher: 2 of 10 unexcused
        DeansFixture.Launch student = f.student("P-1001", "5", "Әлия Нұрланқызы");
        String form = student.browser().get(f.tool.baseUrl() + student.base() + "/excuses").body();
        var sent = f.multipart(student.browser(), student.base() + "/excuses",
                DeansFixture.form(csrf(form), "2026-09-02", "2026-09-03", List.of(), "Ауруханада болдым"), "a.png", PNG);
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(303);
        long id = f.newestExcuse();
        DeansFixture.Launch teacher = f.teacher();
        String page = teacher.browser().get(f.tool.baseUrl() + teacher.base() + "/excuses").body();
        assertThat(teacher.browser().postForm(f.tool.baseUrl() + teacher.base() + "/excuses/" + id + "/approve",
                Map.of("_csrf", csrf(page), "comment", "ok")).statusCode()).isEqualTo(303);
        assertThat(stored("P-1001")).isTrue();
        assertThat(last("P-1001").path("cause").asText()).isEqualTo("STANDING_CHANGED");
        assertThat(last("P-1001").path("trigger").asText()).contains("excuse #" + id);

        // the section's absence policy: locked over 15 % (2 of 10 hours missed)
        api("PUT", "/api/v1/sections/" + SECTION + "/policy", "{\"lockThreshold\": 0.15, \"warningThreshold\": 0.1}");
        assertThat(stored("P-1001")).isFalse();
        assertThat(last("P-1001").path("cause").asText()).isEqualTo("STANDING_CHANGED");

        // the dean's office's attendance override on its standing page admits on both gates
        Browser dean = f.admin();
        String standing = dean.get(f.tool.baseUrl() + "/admin/sections/" + SECTION).body();
        assertThat(dean.postForm(f.tool.baseUrl() + "/admin/sections/" + SECTION + "/overrides", Map.of("_csrf", csrf(standing),
                "personId", "P-1001", "decision", "ADMITTED", "reason", "order 15")).statusCode()).isEqualTo(303);
        assertThat(stored("P-1001")).isTrue();
        assertThat(last("P-1001").path("cause").asText()).isEqualTo("STANDING_CHANGED");
        JsonNode both = row("P-1001");
        assertThat(both.path("admitted").asBoolean()).isTrue();
        assertThat(both.path("inTerm").path("admitted").asBoolean()).isTrue();
        assertThat(both.path("attendance").path("override").path("reason").asText()).isEqualTo("order 15");

        // the section's rating policy: 0.6 to pass
        api("PUT", "/api/v1/sections/" + SECTION + "/rating-policy", "{\"threshold\": 0.6}");
        assertThat(stored("P-1001")).isFalse();
        assertThat(last("P-1001").path("cause").asText()).isEqualTo("POLICY_CHANGED");
        assertThat(row("P-1001").path("inTerm").path("admitted").asBoolean()).as("the rating is the final gate's only").isTrue();

        // the dean's office's admission override, then withdrawn
        api("POST", "/api/v1/sections/" + SECTION + "/admission-overrides",
                "{\"personId\":\"P-1001\",\"state\":\"ADMITTED\",\"reason\":\"rector's order 3\"}");
        assertThat(stored("P-1001")).isTrue();
        assertThat(last("P-1001").path("cause").asText()).isEqualTo("OVERRIDE_SET");
        api("DELETE", "/api/v1/sections/" + SECTION + "/admission-overrides/P-1001", null);
        assertThat(stored("P-1001")).isFalse();
        assertThat(last("P-1001").path("cause").asText()).isEqualTo("OVERRIDE_WITHDRAWN");
    }

    @Test
    void a_student_enrolled_later_has_a_stored_decision_at_once() {
        api("PUT", "/api/v1/sections/" + SECTION + "/enrolments", """
                [{"personId":"P-1001","role":"student"},{"personId":"P-1002","role":"student"},
                 {"personId":"P-1009","role":"student"},{"personId":"T-7","role":"teacher"}]""");
        assertThat(stored("P-1009")).as("no scores yet: not admitted, and the LMS can be told").isFalse();
    }
}
