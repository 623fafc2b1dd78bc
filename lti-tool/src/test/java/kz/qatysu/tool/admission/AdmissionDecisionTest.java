package kz.qatysu.tool.admission;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.config.ConfigProblem;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.tool.ToolSettings;
import kz.qatysu.tool.testing.Api;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;
import java.util.stream.Collectors;

import static kz.qatysu.tool.admission.Sections.admission;
import static kz.qatysu.tool.admission.Sections.score;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The final exam gate as one decision over attendance, rating and overrides: recomputed at once on a mark, an
 * attendance override, a rating policy change and an admission override, each recorded with its cause.
 */
class AdmissionDecisionTest {
    static RunningTool tool;
    static Api api;

    @BeforeAll
    static void start() {
        tool = RunningTool.start();
        api = Api.admin(tool);
    }

    @AfterAll
    static void stop() {
        tool.close();
    }

    static void passing(String section, String person) {
        api.ok(api.put("/api/v1/sections/" + section + "/scores", "[" + score(person, "RK1", "60") + ","
                + score(person, "MT", "50") + "," + score(person, "RK2", "40") + "]"));
    }

    @Test
    void a_mark_that_locks_the_attendance_takes_the_admission_away_at_once() {
        Sections.create(api, "AD-1", 10, "P-1");
        passing("AD-1", "P-1");
        assertThat(admission(api, "AD-1", "P-1").path("admitted").asBoolean()).isTrue();
        for (int i = 1; i <= 4; i++) {
            Sections.absent(api, "AD-1-" + i, "P-1");
        }
        JsonNode row = admission(api, "AD-1", "P-1");
        assertThat(row.path("attendance").path("state").asText()).isEqualTo("LOCKED");
        assertThat(row.path("attendance").path("absenceShare").decimalValue()).isEqualByComparingTo("0.4");
        assertThat(row.path("admitted").asBoolean()).isFalse();
        assertThat(row.path("reasons").toString()).isEqualTo("[\"ATTENDANCE_LOCKED\"]");
        assertThat(row.path("inTerm").path("admitted").asBoolean()).isFalse();
        JsonNode history = api.ok(api.get("/api/v1/sections/AD-1/admission/P-1/history"));
        JsonNode last = history.get(history.size() - 1);
        assertThat(last.path("cause").asText()).isEqualTo("STANDING_CHANGED");
        assertThat(last.path("trigger").asText()).contains("marks of session AD-1-");
        assertThat(last.path("to").asBoolean()).isFalse();

        // the attendance override admits on both gates
        api.ok(api.post("/api/v1/sections/AD-1/overrides", "{\"personId\":\"P-1\",\"state\":\"ADMITTED\",\"reason\":\"medical\"}"));
        row = admission(api, "AD-1", "P-1");
        assertThat(row.path("admitted").asBoolean()).isTrue();
        assertThat(row.path("attendance").path("override").path("reason").asText()).isEqualTo("medical");
        assertThat(row.path("inTerm").path("admitted").asBoolean()).isTrue();
    }

    @Test
    void the_admission_override_wins_stays_beside_the_computed_decision_and_is_recorded() {
        Sections.create(api, "AD-2", 10, "P-1", "P-2");
        api.ok(api.put("/api/v1/sections/AD-2/scores", "[" + score("P-1", "RK1", "40") + "]"));
        JsonNode set = api.ok(api.post("/api/v1/sections/AD-2/admission-overrides",
                "{\"personId\":\"P-1\",\"state\":\"ADMITTED\",\"reason\":\"rector's order 7\"}"));
        assertThat(set.path("admitted").asBoolean()).isTrue();
        assertThat(set.path("computedAdmitted").asBoolean()).isFalse();
        assertThat(set.path("reasons").toString()).isEqualTo("[\"RATING_BELOW_THRESHOLD\"]");
        assertThat(set.path("override").path("state").asText()).isEqualTo("ADMITTED");
        assertThat(set.path("override").path("by").asText()).isEqualTo("admin");
        assertThat(set.path("inTerm").path("admitted").asBoolean()).isTrue();

        passing("AD-2", "P-2");
        JsonNode refused = api.ok(api.post("/api/v1/sections/AD-2/admission-overrides",
                "{\"personId\":\"P-2\",\"state\":\"not_admitted\",\"reason\":\"misconduct, order 9\"}"));
        assertThat(refused.path("admitted").asBoolean()).isFalse();
        assertThat(refused.path("computedAdmitted").asBoolean()).isTrue();
        assertThat(refused.path("reasons").toString()).isEqualTo("[\"OVERRIDE_NOT_ADMITTED\"]");
        assertThat(refused.path("inTerm").path("admitted").asBoolean()).as("the final gate only").isTrue();

        JsonNode withdrawn = api.ok(api.delete("/api/v1/sections/AD-2/admission-overrides/P-1"));
        assertThat(withdrawn.path("admitted").asBoolean()).isFalse();
        assertThat(withdrawn.path("override").isNull()).isTrue();
        assertThat(api.delete("/api/v1/sections/AD-2/admission-overrides/P-1").status()).isEqualTo(404);
        assertThat(api.ok(api.get("/api/v1/sections/AD-2/admission/P-1/history")).findValuesAsText("cause"))
                .contains("SCORE_CHANGED", "OVERRIDE_SET", "OVERRIDE_WITHDRAWN");

        Api.Response bad = api.post("/api/v1/sections/AD-2/admission-overrides", "{\"personId\":\"P-1\",\"state\":\"LOCKED\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("\"path\":\"state\"", "\"path\":\"reason\"");
        Api.Response stranger = api.post("/api/v1/sections/AD-2/admission-overrides",
                "{\"personId\":\"P-404\",\"state\":\"ADMITTED\",\"reason\":\"x\"}");
        assertThat(stranger.status()).isEqualTo(400);
        assertThat(stranger.body()).contains("\"path\":\"personId\"");
    }

    @Test
    void a_sections_rating_policy_overrides_the_institutions_and_recomputes_at_once() {
        Sections.create(api, "AD-3", 10, "P-1");
        api.ok(api.put("/api/v1/sections/AD-3/scores", "[" + score("P-1", "RK1", "50") + "," + score("P-1", "RK2", "45") + "]"));
        assertThat(admission(api, "AD-3", "P-1").path("admitted").asBoolean()).as("95 of 300").isFalse();

        // this section has no midterm and grades each RK out of 100, 0.45 to pass: 95 of 200 = 0.475
        JsonNode policy = api.ok(api.put("/api/v1/sections/AD-3/rating-policy",
                "{\"threshold\": 0.45, \"components\": [{\"component\": \"АБ1\"}, {\"component\": \"RK2\", \"max\": 100}]}"));
        assertThat(policy.path("effective").path("max").decimalValue()).isEqualByComparingTo("200");
        assertThat(policy.path("admissionChanged").toString()).isEqualTo("[\"P-1\"]");
        JsonNode row = admission(api, "AD-3", "P-1");
        assertThat(row.path("admitted").asBoolean()).isTrue();
        assertThat(row.path("rating").path("share").decimalValue()).isEqualByComparingTo("0.475");
        assertThat(api.put("/api/v1/sections/AD-3/scores", "[" + score("P-1", "MT", "50") + "]").status())
                .as("MT does not count in this section").isEqualTo(400);

        Api.Response bad = api.put("/api/v1/sections/AD-3/rating-policy",
                "{\"threshold\": 1.5, \"components\": [{\"component\": \"RK9\"}, {\"component\": \"RK2\", \"max\": 0}]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("\"path\":\"threshold\"", "\"path\":\"components[0].component\"",
                "\"path\":\"components[1].max\"");

        JsonNode reset = api.ok(api.delete("/api/v1/sections/AD-3/rating-policy"));
        assertThat(reset.path("override").isNull()).isTrue();
        assertThat(admission(api, "AD-3", "P-1").path("admitted").asBoolean()).isFalse();
        assertThat(api.ok(api.get("/api/v1/sections/AD-3/admission/P-1/history")).findValuesAsText("cause"))
                .contains("POLICY_CHANGED");
    }

    @Test
    void the_institutions_rule_comes_from_configuration_and_bad_keys_are_named() {
        ConfigProblems problems = new ConfigProblems();
        ToolSettings.read(new ConfigReader(ConfigSource.of("", Map.of(
                "QATYSU_PUBLIC_URL", "http://localhost:8080",
                "QATYSU_ADMISSION_THRESHOLD", "50",
                "QATYSU_ADMISSION_COMPONENTS_0_NAME", "RK1",
                "QATYSU_ADMISSION_COMPONENTS_0_MAX", "sixty",
                "QATYSU_ADMISSION_COMPONENTS_1_MAX", "40")), problems));
        Map<String, String> byKey = problems.list().stream()
                .collect(Collectors.toMap(ConfigProblem::path, ConfigProblem::problem, (a, b) -> a + "; " + b));
        assertThat(byKey).containsKeys("admission.threshold", "admission.components[0].max", "admission.components[1].name");

        try (RunningTool strict = RunningTool.start(Map.of("QATYSU_ADMISSION_THRESHOLD", "0.6",
                "QATYSU_ADMISSION_COMPONENTS_0_NAME", "RK1", "QATYSU_ADMISSION_COMPONENTS_0_MAX", "60",
                "QATYSU_ADMISSION_COMPONENTS_0_ALIASES", "РК1,АБ1",
                "QATYSU_ADMISSION_COMPONENTS_1_NAME", "RK2", "QATYSU_ADMISSION_COMPONENTS_1_MAX", "40"), Clock.systemUTC())) {
            Api a = Api.admin(strict);
            Sections.create(a, "CFG", 5, "P-1");
            a.ok(a.put("/api/v1/sections/CFG/scores", "[" + score("P-1", "аб1", "36") + "," + score("P-1", "RK2", "24") + "]"));
            JsonNode row = admission(a, "CFG", "P-1");
            assertThat(row.path("rating").path("max").decimalValue()).isEqualByComparingTo("100");
            assertThat(row.path("rating").path("share").decimalValue()).isEqualByComparingTo("0.6");
            assertThat(row.path("admitted").asBoolean()).isTrue();
        }
    }
}
