package kz.qatysu.tool.admission;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.testing.Api;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;

import static kz.qatysu.tool.admission.Sections.score;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A changed {@code admission.*} takes effect on the stored decisions (what the "Final exam admission" gradebook item
 * follows) at the next start, with nothing else written: the sections whose effective policy moved are recomputed
 * with cause POLICY_CHANGED; a section with its own threshold is left alone; a restart with the same policy writes
 * nothing.
 */
class InstitutionPolicyRestartTest {

    static Boolean stored(RunningTool tool, String section, String person) {
        return tool.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT admitted FROM admission WHERE section_id = :s AND person_id = :p")
                .bind("s", section).bind("p", person).mapTo(Boolean.class).findOne().orElse(null));
    }

    static long historyRows(RunningTool tool) {
        return tool.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM admission_history")
                .mapTo(Long.class).one());
    }

    static void scores(Api api, String section, String person, String rk1, String mt, String rk2) {
        api.ok(api.put("/api/v1/sections/" + section + "/scores", "[" + score(person, "RK1", rk1) + ","
                + score(person, "MT", mt) + "," + score(person, "RK2", rk2) + "]"));
    }

    @Test
    void a_threshold_raised_in_the_configuration_recomputes_the_stored_decisions_at_the_next_start() {
        RunningTool tool = RunningTool.start(); // admission.threshold 0.50
        try {
            Api api = Api.admin(tool);
            Sections.create(api, "RS-1", 5, "P-1", "P-2", "P-3");
            scores(api, "RS-1", "P-1", "60", "50", "55"); // 165 of 300 = 55 %
            scores(api, "RS-1", "P-2", "70", "70", "70"); // 70 %
            scores(api, "RS-1", "P-3", "40", "40", "40"); // 40 %
            Sections.create(api, "RS-2", 5, "P-1");
            api.ok(api.put("/api/v1/sections/RS-2/rating-policy", "{\"threshold\": 0.5}"));
            scores(api, "RS-2", "P-1", "60", "50", "55");
            assertThat(stored(tool, "RS-1", "P-1")).isTrue();
            assertThat(stored(tool, "RS-2", "P-1")).isTrue();
            long before = historyRows(tool);

            tool = tool.restart(Map.of("QATYSU_ADMISSION_THRESHOLD", "0.6"), Clock.systemUTC());

            assertThat(stored(tool, "RS-1", "P-1")).as("55 % under 0.6").isFalse();
            assertThat(stored(tool, "RS-1", "P-2")).isTrue();
            assertThat(stored(tool, "RS-1", "P-3")).isFalse();
            assertThat(stored(tool, "RS-2", "P-1")).as("the section's own threshold 0.5 still applies").isTrue();
            assertThat(historyRows(tool)).as("one decision moved: one history row").isEqualTo(before + 1);
            api = Api.admin(tool);
            JsonNode history = api.ok(api.get("/api/v1/sections/RS-1/admission/P-1/history"));
            JsonNode last = history.get(history.size() - 1);
            assertThat(last.path("cause").asText()).isEqualTo("POLICY_CHANGED");
            assertThat(last.path("from").asBoolean()).isTrue();
            assertThat(last.path("to").asBoolean()).isFalse();
            assertThat(last.path("reasons").toString()).isEqualTo("[\"RATING_BELOW_THRESHOLD\"]");
            assertThat(last.path("by").asText()).isEqualTo("system");
            assertThat(last.path("trigger").asText()).contains("admission.*", "threshold 0.5;", "threshold 0.6;");
            assertThat(Sections.admission(api, "RS-1", "P-1").path("admitted").asBoolean())
                    .as("the API agrees with the stored decision").isFalse();

            tool = tool.restart(Map.of("QATYSU_ADMISSION_THRESHOLD", "0.60"), Clock.systemUTC());
            assertThat(historyRows(tool)).as("the same policy again (0.60 = 0.6): nothing written").isEqualTo(before + 1);

            tool = tool.restart(Map.of(), Clock.systemUTC());
            assertThat(stored(tool, "RS-1", "P-1")).as("back to 0.50").isTrue();
            assertThat(historyRows(tool)).isEqualTo(before + 2);
        } finally {
            tool.close();
        }
    }

    @Test
    void changed_components_recompute_too_and_a_first_start_on_a_fresh_database_records_the_policy_without_writing_decisions() {
        RunningTool tool = RunningTool.start();
        try {
            assertThat(historyRows(tool)).isZero();
            String threshold = tool.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT policy ->> 'threshold' FROM admission_institution_policy").mapTo(String.class).one());
            assertThat(threshold).isEqualTo("0.5");
            Api api = Api.admin(tool);
            Sections.create(api, "RS-3", 5, "P-1");
            api.ok(api.put("/api/v1/sections/RS-3/scores", "[" + score("P-1", "RK1", "90") + "," + score("P-1", "RK2", "80") + "]"));
            assertThat(stored(tool, "RS-3", "P-1")).as("170 of 300").isTrue();

            // the institution drops RK2 and counts RK1 and MT only: 90 of 200 = 45 %
            tool = tool.restart(Map.of("QATYSU_ADMISSION_COMPONENTS_0_NAME", "RK1", "QATYSU_ADMISSION_COMPONENTS_0_MAX", "100",
                    "QATYSU_ADMISSION_COMPONENTS_1_NAME", "MT", "QATYSU_ADMISSION_COMPONENTS_1_MAX", "100"), Clock.systemUTC());
            assertThat(stored(tool, "RS-3", "P-1")).isFalse();
            JsonNode history = Api.admin(tool).ok(Api.admin(tool).get("/api/v1/sections/RS-3/admission/P-1/history"));
            assertThat(history.get(history.size() - 1).path("cause").asText()).isEqualTo("POLICY_CHANGED");
            assertThat(history.get(history.size() - 1).path("trigger").asText()).contains("RK2 100 → threshold 0.5; RK1 100, MT 100");
        } finally {
            tool.close();
        }
    }
}
