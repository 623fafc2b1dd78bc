package kz.qatysu.tool.attendance;

import kz.qatysu.tool.testing.Api;
import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.config.ConfigProblem;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.tool.ToolSettings;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.stream.Collectors;

import static kz.qatysu.tool.attendance.Fixture.row;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The absence policy: the institution's from configuration ({@code attendance.policy.*}), a section's override
 * through {@code /api/v1/sections/{id}/policy} recomputing the standing at once, and validation naming every field.
 */
class PolicyTest {
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

    /** 19 one-hour sessions, P-1 absent from 4 of them: 21 % of the planned hours. */
    static void sectionAt21Percent(Api api, String id) {
        api.ok(api.put("/api/v1/sections/" + id, Fixture.section("Section " + id)));
        api.ok(api.put("/api/v1/sections/" + id + "/enrolments", Fixture.students("P-1", "P-2")));
        api.ok(api.put("/api/v1/sections/" + id + "/sessions", Fixture.sessions(id, 19)));
        for (int i = 1; i <= 4; i++) {
            api.ok(api.put("/api/v1/sessions/" + id + "-" + i + "/marks", Fixture.absent("P-1")));
        }
    }

    static String stateOf(Api api, String section, String person) {
        return row(api.ok(api.get("/api/v1/sections/" + section + "/standing")), person).path("state").asText();
    }

    @Test
    void the_institution_policy_from_the_environment_locks_at_21_percent_where_the_default_only_warns() {
        sectionAt21Percent(api, "INST");
        assertThat(stateOf(api, "INST", "P-1")).as("regulation 000: 21 % is not over 30 %").isEqualTo("WARNING");

        try (RunningTool strict = RunningTool.start(Map.of("QATYSU_ATTENDANCE_POLICY_LOCK_THRESHOLD", "0.20",
                "QATYSU_ATTENDANCE_POLICY_WARNING_THRESHOLD", "0.10"), Clock.systemUTC())) {
            Api strictApi = Api.admin(strict);
            sectionAt21Percent(strictApi, "INST");
            assertThat(stateOf(strictApi, "INST", "P-1")).as("21 % is over a 20 % lock").isEqualTo("LOCKED");
            assertThat(stateOf(strictApi, "INST", "P-2")).isEqualTo("OK");
            JsonNode policy = strictApi.ok(strictApi.get("/api/v1/sections/INST/policy"));
            assertThat(policy.path("institution").path("lockThreshold").decimalValue()).isEqualByComparingTo("0.20");
            assertThat(policy.path("effective").path("warningThreshold").decimalValue()).isEqualByComparingTo("0.10");
            assertThat(policy.path("override").isNull()).isTrue();
        }
    }

    @Test
    void invalid_policy_configuration_is_reported_under_each_key() {
        ConfigProblems problems = new ConfigProblems();
        ToolSettings.read(new ConfigReader(ConfigSource.of("", Map.of(
                "QATYSU_PUBLIC_URL", "http://localhost:8080",
                "QATYSU_ATTENDANCE_POLICY_WARNING_THRESHOLD", "0.40",
                "QATYSU_ATTENDANCE_POLICY_LATES_PER_ABSENCE", "0",
                "QATYSU_ATTENDANCE_POLICY_DENOMINATOR", "weekly",
                "QATYSU_ATTENDANCE_MARK_EDIT_LOCK_DAYS", "-1")), problems));
        Map<String, String> byKey = problems.list().stream()
                .collect(Collectors.toMap(ConfigProblem::path, ConfigProblem::problem, (a, b) -> a + "; " + b));
        assertThat(byKey).containsKeys("attendance.policy.warningThreshold", "attendance.policy.latesPerAbsence",
                "attendance.policy.denominator", "attendance.markEditLockDays");
        assertThat(byKey.get("attendance.policy.warningThreshold")).contains("must not exceed lockThreshold (0.30)");
        assertThat(byKey.get("attendance.policy.denominator")).contains("all_planned", "weekly");

        ConfigProblems ok = new ConfigProblems();
        ToolSettings s = ToolSettings.read(new ConfigReader(ConfigSource.of("", Map.of(
                "QATYSU_PUBLIC_URL", "http://localhost:8080",
                "QATYSU_ATTENDANCE_POLICY_DENOMINATOR", "held-so-far",
                "QATYSU_ATTENDANCE_POLICY_UNIT", "hours",
                "QATYSU_ATTENDANCE_POLICY_LOCK_HOURS", "40")), ok));
        assertThat(ok.list()).isEmpty();
        assertThat(s.institutionPolicy().denominator().name()).isEqualTo("HELD_SO_FAR");
        assertThat(s.institutionPolicy().unit().name()).isEqualTo("HOURS");
        assertThat(s.institutionPolicy().lockHours()).isEqualTo(40);
        assertThat(s.markEditLockDays()).isZero();
    }

    @Test
    void a_course_override_recomputes_the_standing_at_once_and_deleting_it_restores_the_institution_policy() {
        sectionAt21Percent(api, "OVR-POL");
        assertThat(stateOf(api, "OVR-POL", "P-1")).isEqualTo("WARNING");

        Api.Response put = api.put("/api/v1/sections/OVR-POL/policy", "{\"lockThreshold\": 0.2, \"warningThreshold\": null}");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json().path("standingChanged").toString()).contains("P-1");
        assertThat(put.json().path("effective").path("lockThreshold").decimalValue()).isEqualByComparingTo("0.2");
        assertThat(put.json().path("effective").path("warningThreshold").decimalValue()).as("inherited").isEqualByComparingTo("0.20");
        assertThat(put.json().path("override").path("by").asText()).isEqualTo("admin");
        assertThat(stateOf(api, "OVR-POL", "P-1")).isEqualTo("LOCKED");
        JsonNode history = api.ok(api.get("/api/v1/sections/OVR-POL/standing/P-1/history"));
        JsonNode last = history.get(history.size() - 1);
        assertThat(last.path("to").asText()).isEqualTo("LOCKED");
        assertThat(last.path("cause").asText()).isEqualTo("POLICY_CHANGED");
        assertThat(last.path("trigger").asText()).isEqualTo("policy of section OVR-POL");

        // an override of the unit: 4 absent hours reach a 4-hour lock
        api.ok(api.put("/api/v1/sections/OVR-POL/policy", "{\"unit\": \"hours\", \"lockHours\": 4, \"warningHours\": 2}"));
        assertThat(stateOf(api, "OVR-POL", "P-1")).isEqualTo("LOCKED");
        assertThat(api.ok(api.get("/api/v1/sections/OVR-POL/policy")).path("override").path("lockThreshold").isNull())
                .as("a PUT replaces the whole override").isTrue();

        Api.Response deleted = api.delete("/api/v1/sections/OVR-POL/policy");
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(stateOf(api, "OVR-POL", "P-1")).isEqualTo("WARNING");
        assertThat(api.ok(api.get("/api/v1/sections/OVR-POL/policy")).path("override").isNull()).isTrue();
        assertThat(api.delete("/api/v1/sections/OVR-POL/policy").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/sections/NO-SUCH/policy").status()).isEqualTo(404);
    }

    @Test
    void a_bad_override_is_refused_naming_every_field_and_nothing_is_stored() {
        sectionAt21Percent(api, "BAD-POL");
        Api.Response r = api.put("/api/v1/sections/BAD-POL/policy", """
                {"lockThreshold": 1.5, "warningThreshold": "a lot", "lateMinutesCountingAsAbsence": -1,
                 "latesPerAbsence": 0, "denominator": "weekly", "unit": "share", "lockHours": 10, "warningHours": 12,
                 "colour": "red"}""");
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        Map<String, String> d = ValidationTest.details(r);
        assertThat(d).containsOnlyKeys("lockThreshold", "warningThreshold", "lateMinutesCountingAsAbsence",
                "latesPerAbsence", "denominator", "warningHours", "colour");
        assertThat(d.get("lockThreshold")).contains("(0, 1]");
        assertThat(d.get("warningThreshold")).contains("must be a number");
        assertThat(d.get("denominator")).contains("all-planned", "held-so-far", "weekly");
        assertThat(d.get("warningHours")).contains("must not exceed lockHours (10)");

        // a rule broken against the inherited lockThreshold is reported on the field the override sets
        Map<String, String> inherited = ValidationTest.details(api.put("/api/v1/sections/BAD-POL/policy",
                "{\"warningThreshold\": 0.35}"));
        assertThat(inherited).containsOnlyKeys("warningThreshold");
        assertThat(inherited.get("warningThreshold")).contains("must not exceed lockThreshold (0.30)");

        assertThat(api.ok(api.get("/api/v1/sections/BAD-POL/policy")).path("override").isNull()).isTrue();
        assertThat(stateOf(api, "BAD-POL", "P-1")).isEqualTo("WARNING");
    }

    @Test
    void only_admin_scope_may_read_or_change_a_policy() {
        sectionAt21Percent(api, "SCOPE-POL");
        Api sync = api.as(tool.app().apiAuth().issue("sync-daemon", EnumSet.of(Scope.SYNC, Scope.STANDING_READ)).token());
        assertThat(sync.get("/api/v1/sections/SCOPE-POL/policy").status()).isEqualTo(403);
        assertThat(sync.put("/api/v1/sections/SCOPE-POL/policy", "{\"lockThreshold\": 0.2}").status()).isEqualTo(403);
        assertThat(sync.delete("/api/v1/sections/SCOPE-POL/policy").status()).isEqualTo(403);
        assertThat(api.as(null).get("/api/v1/sections/SCOPE-POL/policy").status()).isEqualTo(401);
    }
}
