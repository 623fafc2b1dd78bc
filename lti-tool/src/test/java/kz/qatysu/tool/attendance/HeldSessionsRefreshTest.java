package kz.qatysu.tool.attendance;

import kz.qatysu.tool.testing.Api;
import kz.qatysu.tool.testing.MovableClock;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static kz.qatysu.tool.attendance.Fixture.row;
import static org.assertj.core.api.Assertions.assertThat;

/** Under "sessions held so far" each session start changes the shares without any write; the tool catches up. */
class HeldSessionsRefreshTest {
    static final MovableClock CLOCK = new MovableClock();
    static RunningTool tool;
    static Api api;

    @BeforeAll
    static void start() {
        tool = RunningTool.start(Map.of(), CLOCK);
        api = Api.admin(tool);
    }

    @AfterAll
    static void stop() {
        tool.close();
    }

    /** Four one-hour sessions that have started and four that start in 1–4 hours; P-1 missed two of the first. */
    static void section(String id) {
        OffsetDateTime now = OffsetDateTime.ofInstant(CLOCK.instant(), ZoneOffset.ofHours(5)).truncatedTo(ChronoUnit.MINUTES);
        List<String> sessions = new ArrayList<>();
        for (int i = -4; i <= 4; i++) {
            if (i == 0) {
                continue;
            }
            OffsetDateTime start = now.plusHours(i).plusMinutes(i < 0 ? 0 : 1);
            sessions.add("{\"sessionId\":\"" + id + "-" + (i + 5) + "\",\"start\":\"" + start + "\",\"end\":\""
                    + start.plusMinutes(50) + "\",\"hours\":1}");
        }
        api.ok(api.put("/api/v1/sections/" + id, Fixture.section("Section " + id)));
        api.ok(api.put("/api/v1/sections/" + id + "/enrolments", Fixture.students("P-1")));
        api.ok(api.put("/api/v1/sections/" + id + "/sessions", "[" + String.join(",", sessions) + "]"));
        api.ok(api.put("/api/v1/sessions/" + id + "-1/marks", Fixture.absent("P-1")));
        api.ok(api.put("/api/v1/sessions/" + id + "-2/marks", Fixture.absent("P-1")));
    }

    @Test
    void the_share_falls_as_sessions_start_and_the_lock_lifts_without_a_write() {
        section("HELD");
        api.ok(api.put("/api/v1/sections/HELD/policy", "{\"denominator\":\"held-so-far\"}"));
        section("ALL");
        var held = row(api.ok(api.get("/api/v1/sections/HELD/standing")), "P-1");
        assertThat(held.path("plannedHours").asInt()).isEqualTo(4);
        assertThat(held.path("state").asText()).as("2 of 4 held hours").isEqualTo("LOCKED");
        assertThat(row(api.ok(api.get("/api/v1/sections/ALL/standing")), "P-1").path("plannedHours").asInt()).isEqualTo(8);

        // nothing started yet: nothing to do
        tool.app().refreshHeldSessions();
        assertThat(row(api.ok(api.get("/api/v1/sections/HELD/standing")), "P-1").path("state").asText()).isEqualTo("LOCKED");

        // four more sessions start: 2 of 8 = 25 %, a warning; the section counting all planned hours is untouched
        CLOCK.advance(Duration.ofHours(5));
        tool.app().refreshHeldSessions();
        held = row(api.ok(api.get("/api/v1/sections/HELD/standing")), "P-1");
        assertThat(held.path("plannedHours").asInt()).isEqualTo(8);
        assertThat(held.path("state").asText()).isEqualTo("WARNING");
        var history = api.ok(api.get("/api/v1/sections/HELD/standing/P-1/history"));
        assertThat(history.get(history.size() - 1).path("to").asText()).isEqualTo("WARNING");
        assertThat(history.get(history.size() - 1).path("trigger").asText()).contains("sessions held so far");
        assertThat(row(api.ok(api.get("/api/v1/sections/ALL/standing")), "P-1").path("state").asText()).isEqualTo("WARNING");
    }
}
