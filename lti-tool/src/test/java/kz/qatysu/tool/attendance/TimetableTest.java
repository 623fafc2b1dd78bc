package kz.qatysu.tool.attendance;

import kz.qatysu.tool.testing.Api;
import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static kz.qatysu.tool.attendance.Fixture.row;
import static org.assertj.core.api.Assertions.assertThat;

/** Full-list uploads: what leaves the timetable is cancelled with its marks kept, who leaves the roster is withdrawn. */
class TimetableTest {
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

    @Test
    void a_shorter_timetable_cancels_the_missing_sessions_and_keeps_their_marks() {
        api.ok(api.put("/api/v1/sections/TT", Fixture.section("Timetable")));
        api.ok(api.put("/api/v1/sections/TT/enrolments", Fixture.students("P-1")));
        api.ok(api.put("/api/v1/sections/TT/sessions", Fixture.sessions("TT", 10)));
        api.ok(api.put("/api/v1/sessions/TT-10/marks", Fixture.absent("P-1")));
        assertThat(row(api.ok(api.get("/api/v1/sections/TT/standing")), "P-1").path("absentHours").asInt()).isEqualTo(1);

        JsonNode shorter = api.ok(api.put("/api/v1/sections/TT/sessions", Fixture.sessions("TT", 8)));
        assertThat(shorter.path("cancelled")).hasSize(2);
        JsonNode nine = shorter.path("cancelled").get(0);
        JsonNode ten = shorter.path("cancelled").get(1);
        assertThat(nine.path("sessionId").asText()).isEqualTo("TT-9");
        assertThat(nine.path("hasMarks").asBoolean()).isFalse();
        assertThat(ten.path("sessionId").asText()).isEqualTo("TT-10");
        assertThat(ten.path("hasMarks").asBoolean()).isTrue();
        assertThat(ten.path("marks").asInt()).isEqualTo(1);

        JsonNode p1 = row(api.ok(api.get("/api/v1/sections/TT/standing")), "P-1");
        assertThat(p1.path("plannedHours").asInt()).isEqualTo(8);
        assertThat(p1.path("absentHours").asInt()).as("a cancelled session counts nowhere").isZero();
        long kept = tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM mark WHERE session_id = 'TT-10'").mapTo(Long.class).one());
        assertThat(kept).isEqualTo(1);
        long sessions = tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM class_session WHERE section_id = 'TT'").mapTo(Long.class).one());
        assertThat(sessions).as("never deleted").isEqualTo(10);

        // the same shorter timetable again cancels nothing more; the full one restores both with the mark
        assertThat(api.ok(api.put("/api/v1/sections/TT/sessions", Fixture.sessions("TT", 8))).path("cancelled")).isEmpty();
        JsonNode full = api.ok(api.put("/api/v1/sections/TT/sessions", Fixture.sessions("TT", 10)));
        assertThat(full.path("restored")).extracting(JsonNode::asText).containsExactly("TT-9", "TT-10");
        JsonNode back = row(api.ok(api.get("/api/v1/sections/TT/standing")), "P-1");
        assertThat(back.path("plannedHours").asInt()).isEqualTo(10);
        assertThat(back.path("absentHours").asInt()).isEqualTo(1);

        JsonNode history = api.ok(api.get("/api/v1/sections/TT/standing/P-1/history"));
        assertThat(history).as("0.1 → 0 → 0.1 never leaves OK").isEmpty();
    }

    @Test
    void more_hours_on_a_session_change_the_denominator_at_once() {
        api.ok(api.put("/api/v1/sections/HRS", Fixture.section("Hours")));
        api.ok(api.put("/api/v1/sections/HRS/enrolments", Fixture.students("P-1")));
        api.ok(api.put("/api/v1/sections/HRS/sessions", "[" + Fixture.session("HRS-1", LocalDate.of(2026, 9, 2), 1) + ","
                + Fixture.session("HRS-2", LocalDate.of(2026, 9, 3), 1) + "]"));
        api.ok(api.put("/api/v1/sessions/HRS-1/marks", Fixture.absent("P-1")));
        assertThat(row(api.ok(api.get("/api/v1/sections/HRS/standing")), "P-1").path("state").asText()).isEqualTo("LOCKED");

        JsonNode r = api.ok(api.put("/api/v1/sections/HRS/sessions", "[" + Fixture.session("HRS-1", LocalDate.of(2026, 9, 2), 1) + ","
                + Fixture.session("HRS-2", LocalDate.of(2026, 9, 3), 4) + "]"));
        assertThat(r.path("updated")).extracting(JsonNode::asText).containsExactly("HRS-2");
        JsonNode p1 = row(api.ok(api.get("/api/v1/sections/HRS/standing")), "P-1");
        assertThat(p1.path("plannedHours").asInt()).isEqualTo(5);
        assertThat(p1.path("state").asText()).as("1 of 5 = 20 %").isEqualTo("WARNING");
        JsonNode history = api.ok(api.get("/api/v1/sections/HRS/standing/P-1/history"));
        assertThat(history.get(history.size() - 1).path("cause").asText()).isEqualTo("PLANNED_HOURS_CHANGED");
    }

    @Test
    void people_missing_from_a_later_roster_are_withdrawn_with_their_marks_kept() {
        api.ok(api.put("/api/v1/sections/WD", Fixture.section("Withdrawals")));
        api.ok(api.put("/api/v1/sections/WD/enrolments", Fixture.students("P-1", "P-2")));
        api.ok(api.put("/api/v1/sections/WD/sessions", Fixture.sessions("WD", 4)));
        api.ok(api.put("/api/v1/sessions/WD-1/marks", Fixture.absent("P-1", "P-2")));

        JsonNode r = api.ok(api.put("/api/v1/sections/WD/enrolments", Fixture.students("P-1")));
        assertThat(r.path("withdrawn")).extracting(JsonNode::asText).containsExactly("P-2");
        JsonNode standing = api.ok(api.get("/api/v1/sections/WD/standing"));
        assertThat(standing).extracting(s -> s.path("personId").asText()).containsExactly("P-1");
        long kept = tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM mark WHERE person_id = 'P-2'").mapTo(Long.class).one());
        assertThat(kept).isEqualTo(1);

        Api.Response refused = api.put("/api/v1/sessions/WD-2/marks", Fixture.absent("P-2"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("details").get(0).path("problem").asText()).contains("withdrawn");

        JsonNode back = api.ok(api.put("/api/v1/sections/WD/enrolments", Fixture.students("P-1", "P-2")));
        assertThat(back.path("reEnrolled")).extracting(JsonNode::asText).containsExactly("P-2");
        JsonNode p2 = row(api.ok(api.get("/api/v1/sections/WD/standing")), "P-2");
        assertThat(p2.path("absentHours").asInt()).as("their marks came back with them").isEqualTo(1);
        var events = tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT event FROM enrolment_history WHERE section_id = 'WD' AND person_id = 'P-2' ORDER BY id").mapTo(String.class).list());
        assertThat(events).containsExactly("ENROLLED", "WITHDRAWN", "RE_ENROLLED");
    }
}
