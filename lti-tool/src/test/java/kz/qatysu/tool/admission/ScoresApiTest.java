package kz.qatysu.tool.admission;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.testing.Api;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static kz.qatysu.tool.admission.Sections.admission;
import static kz.qatysu.tool.admission.Sections.score;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code PUT /api/v1/sections/{id}/scores} and {@code GET …/admission} over real HTTP: merge semantics, aliases,
 * scaling, and every bad input refused with 400 naming the record and field, nothing stored.
 */
class ScoresApiTest {
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

    static List<String> paths(Api.Response r) {
        List<String> out = new ArrayList<>();
        r.json().path("details").forEach(d -> out.add(d.path("path").asText()));
        return out;
    }

    @Test
    void scores_merge_and_the_admission_follows_at_once() {
        Sections.create(api, "SC-1", 10, "P-1", "P-2");
        JsonNode put = api.ok(api.put("/api/v1/sections/SC-1/scores", "[" + score("P-1", "RK1", "78.5")
                + ",{\"personId\":\"P-1\",\"component\":\"MT\",\"points\":40,\"max\":100}]"));
        assertThat(put.path("stored").asInt()).isEqualTo(2);

        JsonNode row = admission(api, "SC-1", "P-1");
        assertThat(row.path("admitted").asBoolean()).isFalse();
        assertThat(row.path("rating").path("points").decimalValue()).isEqualByComparingTo("118.5");
        assertThat(row.path("rating").path("max").decimalValue()).isEqualByComparingTo("300");
        assertThat(row.path("rating").path("share").decimalValue()).isEqualByComparingTo("0.395");
        assertThat(row.path("rating").path("threshold").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(row.path("rating").path("missing").toString()).isEqualTo("[\"RK2\"]");
        assertThat(row.path("reasons").toString()).isEqualTo("[\"RATING_BELOW_THRESHOLD\"]");
        assertThat(row.path("attendance").path("state").asText()).isEqualTo("OK");
        assertThat(row.path("override").isNull()).isTrue();
        assertThat(row.path("inTerm").path("admitted").asBoolean()).as("in-term gate: attendance only").isTrue();

        // a merge: RK2 by its Kazakh alias, RK1 and MT left as they are; exactly 150 of 300 admits
        api.ok(api.put("/api/v1/sections/SC-1/scores", "[" + score("P-1", "АБ2", "31.5") + "]"));
        row = admission(api, "SC-1", "P-1");
        assertThat(row.path("admitted").asBoolean()).isTrue();
        assertThat(row.path("rating").path("share").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(row.path("rating").path("components").get(2).path("component").asText()).isEqualTo("RK2");
        assertThat(row.path("reasons").isEmpty()).isTrue();

        // the same upload again changes nothing
        JsonNode again = api.ok(api.put("/api/v1/sections/SC-1/scores", "[" + score("P-1", "RK2", "31.5") + "]"));
        assertThat(again.path("unchanged").asInt()).isEqualTo(1);
        assertThat(again.path("admissionChanged").isEmpty()).isTrue();

        // points: null removes a score
        JsonNode removed = api.ok(api.put("/api/v1/sections/SC-1/scores", "[" + score("P-1", "rk2", "null") + "]"));
        assertThat(removed.path("removed").asInt()).isEqualTo(1);
        assertThat(removed.path("admissionChanged").toString()).isEqualTo("[\"P-1\"]");
        assertThat(admission(api, "SC-1", "P-1").path("admitted").asBoolean()).isFalse();

        JsonNode history = api.ok(api.get("/api/v1/sections/SC-1/admission/P-1/history"));
        assertThat(history.findValuesAsText("cause")).contains("SCORE_CHANGED");
        assertThat(history.get(history.size() - 1).path("to").asBoolean()).isFalse();
    }

    @Test
    void a_score_graded_out_of_another_maximum_is_scaled_to_the_configured_one() {
        Sections.create(api, "SC-2", 10, "P-1");
        api.ok(api.put("/api/v1/sections/SC-2/scores", "[{\"personId\":\"P-1\",\"component\":\"RK1\",\"points\":50,\"max\":60},"
                + score("P-1", "MT", "66.66") + "]"));
        JsonNode row = admission(api, "SC-2", "P-1");
        assertThat(row.path("rating").path("points").decimalValue()).as("83.333… + 66.66").isEqualByComparingTo("149.99");
        assertThat(row.path("rating").path("share").decimalValue()).isEqualByComparingTo("0.4999");
        assertThat(row.path("rating").path("components").get(0).path("max").decimalValue()).isEqualByComparingTo("60");
        assertThat(row.path("admitted").asBoolean()).isFalse();
        api.ok(api.put("/api/v1/sections/SC-2/scores", "[" + score("P-1", "MT", "66.67") + "]"));
        assertThat(admission(api, "SC-2", "P-1").path("admitted").asBoolean()).isTrue();
    }

    @Test
    void every_bad_record_is_refused_naming_its_field_and_nothing_is_stored() {
        Sections.create(api, "SC-3", 10, "P-1", "P-2", "P-3", "P-4");
        Api.Response r = api.put("/api/v1/sections/SC-3/scores", "["
                + score("P-1", "RK1", "50") + ","                                   // [0] fine, but not stored either
                + score("P-1", "RK3", "10") + ","                                   // [1] unknown component
                + "{\"personId\":\"P-1\",\"component\":\"MT\",\"points\":61,\"max\":60}," // [2] points > max
                + score("P-2", "RK1", "-1") + ","                                   // [3] negative
                + score("P-2", "MT", "NaN") + ","                                   // [4] NaN
                + score("P-2", "RK2", "Infinity") + ","                             // [5] Infinity
                + score("P-1", "RK2", "\"12\"") + ","                               // [6] a string
                + score("P-1", "РК1", "20") + ","                                   // [7] RK1 of P-1 again, by alias
                + score("P-3", "RK2", "1.23456") + ","                              // [8] more than 4 decimals
                + "{\"personId\":\"P-3\",\"component\":\"RK1\",\"points\":1,\"max\":0}," // [9] max 0
                + "{\"personId\":\"P-3\",\"component\":\"MT\"}," // [10] points missing
                + "{\"component\":\"MT\",\"points\":1}," // [11] personId missing
                + "101,"                                                             // [12] not an object
                + score("P-4", "RK1", "101") + "]");                                 // [13] over the configured 100
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(paths(r)).containsExactly("[1].component", "[2].points", "[3].points", "[4].points", "[5].points",
                "[6].points", "[7].component", "[8].points", "[9].max", "[10].points", "[11].personId", "[12]", "[13].points");
        assertThat(r.body()).contains("unknown component 'RK3'", "must not exceed max 60", "must be 0 or more",
                "must be a finite number", "must be a number, was the string '12'", "appears twice (also at [0])");
        assertThat(admission(api, "SC-3", "P-1").path("rating").path("components").isEmpty()).as("nothing stored").isTrue();

        Api.Response stranger = api.put("/api/v1/sections/SC-3/scores", "[" + score("P-1", "RK1", "50") + ","
                + score("P-404", "RK1", "50") + "," + score("T-7", "RK1", "50") + "]");
        assertThat(stranger.status()).isEqualTo(400);
        assertThat(paths(stranger)).containsExactly("[1].personId", "[2].personId");
        assertThat(stranger.body()).contains("'P-404' is not enrolled in section 'SC-3'", "enrolled as a teacher");
        assertThat(admission(api, "SC-3", "P-1").path("rating").path("components").isEmpty()).as("nothing stored").isTrue();

        assertThat(api.put("/api/v1/sections/SC-3/scores", "{\"personId\":\"P-1\"}").status()).isEqualTo(400);
        assertThat(api.put("/api/v1/sections/SC-3/scores", "[{").status()).isEqualTo(400);
        assertThat(api.put("/api/v1/sections/NO-SUCH/scores", "[" + score("P-1", "RK1", "50") + "]").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/sections/NO-SUCH/admission").status()).isEqualTo(404);
    }

    @Test
    void scopes_are_as_documented() {
        Sections.create(api, "SC-4", 10, "P-1");
        Api reader = api.as(tool.app().apiAuth().issue("reader", EnumSet.of(Scope.STANDING_READ)).token());
        Api sync = api.as(tool.app().apiAuth().issue("daemon", EnumSet.of(Scope.SYNC)).token());
        Api dean = api.as(tool.app().apiAuth().issue("dean", EnumSet.of(Scope.OVERRIDES)).token());
        assertThat(reader.get("/api/v1/sections/SC-4/admission").status()).isEqualTo(200);
        assertThat(sync.get("/api/v1/sections/SC-4/admission").status()).isEqualTo(200);
        assertThat(dean.get("/api/v1/sections/SC-4/admission").status()).isEqualTo(403);
        assertThat(reader.put("/api/v1/sections/SC-4/scores", "[" + score("P-1", "RK1", "50") + "]").status()).isEqualTo(403);
        assertThat(sync.put("/api/v1/sections/SC-4/scores", "[" + score("P-1", "RK1", "50") + "]").status()).isEqualTo(200);
        String override = "{\"personId\":\"P-1\",\"state\":\"ADMITTED\",\"reason\":\"dean's order 12\"}";
        assertThat(sync.post("/api/v1/sections/SC-4/admission-overrides", override).status()).isEqualTo(403);
        assertThat(dean.post("/api/v1/sections/SC-4/admission-overrides", override).status()).isEqualTo(201);
        assertThat(api.as(null).get("/api/v1/sections/SC-4/admission").status()).isEqualTo(401);
    }
}
