package kz.qatysu.tool.attendance;

import kz.qatysu.tool.testing.Api;
import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static kz.qatysu.tool.attendance.Fixture.row;
import static org.assertj.core.api.Assertions.assertThat;

/** Standing is recomputed at once by marks, enrolments and overrides, and every transition is in the history. */
class StandingTest {
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

    /** A section with ten one-hour sessions {@code <id>-1 … <id>-10} on 2–11 September and the given roster. */
    static void section(String id, String roster) {
        api.ok(api.put("/api/v1/sections/" + id, Fixture.section("Section " + id)));
        api.ok(api.put("/api/v1/sections/" + id + "/enrolments", roster));
        api.ok(api.put("/api/v1/sections/" + id + "/sessions", Fixture.sessions(id, 10)));
    }

    static JsonNode standingOf(String section, String person) {
        return row(api.ok(api.get("/api/v1/sections/" + section + "/standing")), person);
    }

    @Test
    void a_late_joiner_is_measured_only_on_sessions_from_the_day_they_joined() {
        section("LATE", """
                [{"personId": "P-EARLY", "role": "student"},
                 {"personId": "P-LATE", "role": "student", "since": "2026-09-06"}]""");
        // LATE-1 is 2 September (before P-LATE joined), LATE-6 is 7 September
        api.ok(api.put("/api/v1/sessions/LATE-1/marks", Fixture.absent("P-EARLY", "P-LATE")));
        api.ok(api.put("/api/v1/sessions/LATE-6/marks", Fixture.absent("P-EARLY", "P-LATE")));

        JsonNode late = standingOf("LATE", "P-LATE");
        assertThat(late.path("plannedHours").asInt()).as("6 to 11 September").isEqualTo(6);
        assertThat(late.path("absentHours").asInt()).isEqualTo(1);
        assertThat(late.path("absenceShare").decimalValue()).isEqualByComparingTo("0.1667");
        JsonNode early = standingOf("LATE", "P-EARLY");
        assertThat(early.path("plannedHours").asInt()).isEqualTo(10);
        assertThat(early.path("absentHours").asInt()).isEqualTo(2);
        assertThat(early.path("state").asText()).isEqualTo("WARNING");

        // moving the join date recomputes at once
        api.ok(api.put("/api/v1/sections/LATE/enrolments", """
                [{"personId": "P-EARLY", "role": "student"},
                 {"personId": "P-LATE", "role": "student", "since": "2026-09-08"}]"""));
        JsonNode later = standingOf("LATE", "P-LATE");
        assertThat(later.path("plannedHours").asInt()).isEqualTo(4);
        assertThat(later.path("absentHours").asInt()).isZero();
    }

    @Test
    void a_late_joiners_first_day_is_the_day_in_the_institutions_zone_even_for_a_timetable_sent_in_utc() {
        api.ok(api.put("/api/v1/sections/UTCJOIN", Fixture.section("Section UTCJOIN")));
        api.ok(api.put("/api/v1/sections/UTCJOIN/enrolments", """
                [{"personId": "P-UTC", "role": "student", "since": "2026-09-06"}]"""));
        // 03:00Z on 5 September is 08:00 that day in Almaty (+05:00): before the student joined;
        // 19:30Z on 5 September is 00:30 on 6 September in Almaty: the day they joined, so it counts
        api.ok(api.put("/api/v1/sections/UTCJOIN/sessions", """
                [{"sessionId": "UTCJOIN-1", "start": "2026-09-05T03:00:00Z", "end": "2026-09-05T03:50:00Z", "kind": "lecture", "hours": 1},
                 {"sessionId": "UTCJOIN-2", "start": "2026-09-05T19:30:00Z", "end": "2026-09-05T20:20:00Z", "kind": "lecture", "hours": 1}]"""));
        api.ok(api.put("/api/v1/sessions/UTCJOIN-2/marks", Fixture.absent("P-UTC")));

        JsonNode standing = standingOf("UTCJOIN", "P-UTC");
        assertThat(standing.path("plannedHours").asInt()).as("only the 00:30 session of 6 September").isEqualTo(1);
        assertThat(standing.path("absentHours").asInt()).isEqualTo(1);
    }

    @Test
    void absences_cross_warning_then_lock_and_each_transition_is_in_the_history() {
        section("CROSS", Fixture.students("P-1"));
        api.ok(api.put("/api/v1/sessions/CROSS-1/marks", Fixture.absent("P-1")));
        assertThat(standingOf("CROSS", "P-1").path("state").asText()).isEqualTo("OK");
        api.ok(api.put("/api/v1/sessions/CROSS-2/marks", Fixture.absent("P-1")));
        assertThat(standingOf("CROSS", "P-1").path("state").asText()).as("2 of 10 = 20 %").isEqualTo("WARNING");
        api.ok(api.put("/api/v1/sessions/CROSS-3/marks", Fixture.absent("P-1")));
        assertThat(standingOf("CROSS", "P-1").path("state").asText()).as("30 % is not over 30 %").isEqualTo("WARNING");
        api.ok(api.put("/api/v1/sessions/CROSS-4/marks", "[{\"personId\":\"P-1\",\"status\":\"LATE\",\"lateMinutes\":21}]"));
        JsonNode locked = standingOf("CROSS", "P-1");
        assertThat(locked.path("state").asText()).as("a lateness over 20 minutes is an absence: 40 %").isEqualTo("LOCKED");
        assertThat(locked.path("absenceBudget").asInt()).isZero();
        assertThat(locked.path("reason").asText()).contains("over the 30 % lock threshold");

        JsonNode history = api.ok(api.get("/api/v1/sections/CROSS/standing/P-1/history"));
        assertThat(history).hasSize(2);
        assertThat(history.get(0).path("from").asText()).isEqualTo("OK");
        assertThat(history.get(0).path("to").asText()).isEqualTo("WARNING");
        assertThat(history.get(0).path("cause").asText()).isEqualTo("ABSENCES_ROSE");
        assertThat(history.get(0).path("trigger").asText()).isEqualTo("marks of session CROSS-2");
        assertThat(history.get(0).path("by").asText()).isEqualTo("admin");
        assertThat(history.get(1).path("from").asText()).isEqualTo("WARNING");
        assertThat(history.get(1).path("to").asText()).isEqualTo("LOCKED");
        assertThat(history.get(1).path("trigger").asText()).isEqualTo("marks of session CROSS-4");

        // an excuse brings the student back under the lock
        api.ok(api.put("/api/v1/sessions/CROSS-4/marks",
                "[{\"personId\":\"P-1\",\"status\":\"EXCUSED\",\"reason\":\"рұқсатнама №17\"}]"));
        assertThat(standingOf("CROSS", "P-1").path("state").asText()).isEqualTo("WARNING");
        JsonNode after = api.ok(api.get("/api/v1/sections/CROSS/standing/P-1/history"));
        assertThat(after).hasSize(3);
        assertThat(after.get(2).path("cause").asText()).isEqualTo("ABSENCES_FELL");
    }

    @Test
    void five_short_lates_add_one_absent_hour() {
        section("LATES", Fixture.students("P-1"));
        for (int i = 1; i <= 5; i++) {
            api.ok(api.put("/api/v1/sessions/LATES-" + i + "/marks", "[{\"personId\":\"P-1\",\"status\":\"LATE\",\"lateMinutes\":10}]"));
        }
        JsonNode s = standingOf("LATES", "P-1");
        assertThat(s.path("lateCount").asInt()).isEqualTo(5);
        assertThat(s.path("absentHours").asInt()).isZero();
        assertThat(s.path("absenceShare").decimalValue()).isEqualByComparingTo("0.1");
    }

    @Test
    void an_override_wins_over_the_computed_state_until_it_is_withdrawn() {
        section("OVR", Fixture.students("P-1", "P-2"));
        for (int i = 1; i <= 4; i++) {
            api.ok(api.put("/api/v1/sessions/OVR-" + i + "/marks", Fixture.absent("P-1")));
        }
        assertThat(standingOf("OVR", "P-1").path("state").asText()).isEqualTo("LOCKED");
        var dean = api.as(tool.app().apiAuth().issue("dean-office", EnumSet.of(Scope.OVERRIDES, Scope.STANDING_READ)).token());

        Api.Response set = dean.post("/api/v1/sections/OVR/overrides",
                "{\"personId\": \"P-1\", \"state\": \"ADMITTED\", \"reason\": \"dean's order 12\"}");
        assertThat(set.status()).as(set.body()).isEqualTo(201);
        JsonNode admitted = standingOf("OVR", "P-1");
        assertThat(admitted.path("state").asText()).isEqualTo("OK");
        assertThat(admitted.path("computedState").asText()).isEqualTo("LOCKED");
        assertThat(admitted.path("override").path("state").asText()).isEqualTo("ADMITTED");
        assertThat(admitted.path("override").path("reason").asText()).isEqualTo("dean's order 12");
        assertThat(admitted.path("override").path("by").asText()).isEqualTo("dean-office");
        assertThat(admitted.path("override").path("at").asText()).isNotBlank();
        assertThat(admitted.path("reason").asText()).contains("Dean's office decision: admitted to assessments")
                .contains("«dean's order 12»").contains("Without this decision the state would be: Locked.");
        assertThat(admitted.path("reasonCode").asText()).isEqualTo("SHARE_LOCKED");
        assertThat(admitted.path("reasonArgs").path("unexcusedHours").asInt()).isEqualTo(4);
        assertThat(admitted.path("reasonArgs").path("plannedHours").asInt()).isEqualTo(10);
        assertThat(admitted.path("reasonArgs").path("sharePercent").decimalValue()).isEqualByComparingTo("40");
        assertThat(admitted.path("reasonArgs").path("lockPercent").decimalValue()).isEqualByComparingTo("30");

        // a further absence changes the numbers but not the state shown
        api.ok(api.put("/api/v1/sessions/OVR-5/marks", Fixture.absent("P-1")));
        JsonNode still = standingOf("OVR", "P-1");
        assertThat(still.path("state").asText()).isEqualTo("OK");
        assertThat(still.path("absentHours").asInt()).isEqualTo(5);

        // the same override again is no change; a LOCKED one replaces it
        assertThat(dean.post("/api/v1/sections/OVR/overrides",
                "{\"personId\": \"P-1\", \"state\": \"ADMITTED\", \"reason\": \"dean's order 12\"}").status()).isEqualTo(201);
        dean.ok(dean.post("/api/v1/sections/OVR/overrides", "{\"personId\": \"P-2\", \"state\": \"LOCKED\", \"reason\": \"academic misconduct\"}"));
        assertThat(standingOf("OVR", "P-2").path("state").asText()).isEqualTo("LOCKED");
        assertThat(standingOf("OVR", "P-2").path("computedState").asText()).isEqualTo("OK");

        JsonNode withdrawn = dean.ok(dean.delete("/api/v1/sections/OVR/overrides/P-1"));
        assertThat(withdrawn.path("state").asText()).isEqualTo("LOCKED");
        assertThat(withdrawn.path("override").isNull()).isTrue();
        assertThat(dean.delete("/api/v1/sections/OVR/overrides/P-1").status()).as("nothing left to withdraw").isEqualTo(404);

        JsonNode history = api.ok(api.get("/api/v1/sections/OVR/standing/P-1/history"));
        assertThat(history).extracting(h -> h.path("cause").asText())
                .containsExactly("ABSENCES_ROSE", "ABSENCES_ROSE", "OVERRIDE_SET", "OVERRIDE_WITHDRAWN");
        assertThat(history.get(2).path("by").asText()).isEqualTo("dean-office");
        long overrides = tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM standing_override WHERE section_id = 'OVR' AND person_id = 'P-1'").mapTo(Long.class).one());
        assertThat(overrides).as("a withdrawn override is kept as history").isEqualTo(1);
    }

    @Test
    void an_override_needs_a_reason_and_an_enrolled_student() {
        section("OVR2", Fixture.students("P-1"));
        Api.Response r = api.post("/api/v1/sections/OVR2/overrides", "{\"personId\": \"T-7\", \"state\": \"PARDONED\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("details")).extracting(d -> d.path("path").asText()).containsExactlyInAnyOrder("state", "reason");
        Api.Response teacher = api.post("/api/v1/sections/OVR2/overrides", "{\"personId\": \"T-7\", \"state\": \"ADMITTED\", \"reason\": \"x\"}");
        assertThat(teacher.status()).isEqualTo(400);
        assertThat(teacher.json().path("details").get(0).path("path").asText()).isEqualTo("personId");
    }

    @Test
    void concurrent_mark_uploads_leave_every_standing_consistent() throws Exception {
        section("CONC", Fixture.students("P-1", "P-2", "P-3"));
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<Api.Response>>();
            for (int i = 1; i <= 10; i++) {
                String session = "CONC-" + i;
                String body = i % 2 == 0 ? Fixture.absent("P-1", "P-2") : Fixture.absent("P-1");
                futures.add(pool.submit(() -> api.put("/api/v1/sessions/" + session + "/marks", body)));
            }
            for (var f : futures) {
                assertThat(f.get().status()).as(f.get().body()).isEqualTo(200);
            }
        }
        JsonNode standing = api.ok(api.get("/api/v1/sections/CONC/standing"));
        assertThat(row(standing, "P-1").path("absentHours").asInt()).isEqualTo(10);
        assertThat(row(standing, "P-2").path("absentHours").asInt()).isEqualTo(5);
        assertThat(row(standing, "P-3").path("absentHours").asInt()).isZero();
        assertThat(row(standing, "P-1").path("state").asText()).isEqualTo("LOCKED");
        JsonNode history = api.ok(api.get("/api/v1/sections/CONC/standing/P-1/history"));
        assertThat(history).extracting(h -> h.path("to").asText()).containsExactly("WARNING", "LOCKED");
    }
}
