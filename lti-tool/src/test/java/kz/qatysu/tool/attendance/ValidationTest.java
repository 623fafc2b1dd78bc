package kz.qatysu.tool.attendance;

import kz.qatysu.tool.testing.Api;
import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input names every problem and stores nothing; tokens and scopes; unknown sections and sessions. */
class ValidationTest {
    static RunningTool tool;
    static Api api;

    @BeforeAll
    static void start() {
        tool = RunningTool.start();
        api = Api.admin(tool);
        api.ok(api.put("/api/v1/sections/VAL", Fixture.section("Validation")));
        api.ok(api.put("/api/v1/sections/VAL/enrolments", Fixture.students("P-1", "P-2")));
        api.ok(api.put("/api/v1/sections/VAL/sessions", Fixture.sessions("VAL", 3)));
        api.ok(api.put("/api/v1/sections/OTHER", Fixture.section("Other")));
        api.ok(api.put("/api/v1/sections/OTHER/sessions", Fixture.sessions("OTHER", 1)));
    }

    @AfterAll
    static void stop() {
        tool.close();
    }

    static Map<String, String> details(Api.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().path("error").asText()).isNotBlank();
        Map<String, String> out = new LinkedHashMap<>();
        r.json().path("details").forEach(d -> out.merge(d.path("path").asText(), d.path("problem").asText(), (a, b) -> a + "; " + b));
        return out;
    }

    @Test
    void every_bad_mark_is_named_at_once_and_none_of_the_upload_is_stored() {
        Map<String, Long> before = AttendanceCounts.of(tool);
        Api.Response r = api.put("/api/v1/sessions/VAL-1/marks", """
                [{"personId": "P-1", "status": "PRESENT"},
                 {"personId": "P-2", "status": "LATE"},
                 {"personId": "P-2", "status": "EXCUSED"},
                 {"personId": "P-9", "status": "GONE"},
                 {"personId": "T-7", "status": "LATE", "lateMinutes": -3},
                 {"status": "ABSENT", "lateMinutes": 5},
                 "P-1"]""");
        Map<String, String> d = details(r);
        assertThat(d).containsEntry("[1].lateMinutes", "required when status is LATE");
        assertThat(d.get("[2].reason")).isEqualTo("required when status is EXCUSED");
        assertThat(d.get("[2].personId")).contains("appears twice (also at [1])");
        assertThat(d.get("[3].status")).contains("PRESENT, LATE, ABSENT or EXCUSED");
        assertThat(d.get("[3].personId")).contains("not enrolled in section 'VAL'");
        assertThat(d.get("[4].lateMinutes")).contains("0 or more");
        assertThat(d.get("[4].personId")).contains("teacher");
        assertThat(d).containsEntry("[5].personId", "required");
        assertThat(d.get("[5].lateMinutes")).contains("only allowed when status is LATE");
        assertThat(d).containsEntry("[6]", "must be an object");
        assertThat(d).doesNotContainKey("[0].personId");
        assertThat(AttendanceCounts.of(tool)).as("the valid [0] was not stored either").isEqualTo(before);
    }

    @Test
    void every_bad_session_is_named_and_the_timetable_is_left_as_it_was() {
        Map<String, Long> before = AttendanceCounts.of(tool);
        Api.Response r = api.put("/api/v1/sections/VAL/sessions", """
                [{"sessionId": "VAL-1", "start": "2026-09-02T08:00:00+05:00", "end": "2026-09-02T08:50:00+05:00"},
                 {"sessionId": "VAL-X", "start": "2026-09-03 08:00", "end": "2026-09-03T08:50:00+05:00", "hours": 0},
                 {"sessionId": "VAL-Y", "start": "2026-09-04T08:50:00+05:00", "end": "2026-09-04T08:00:00+05:00", "hours": "two"},
                 {"sessionId": "VAL-1", "start": "2026-09-05T08:00:00+05:00", "end": "2026-09-05T08:50:00+05:00", "onlineUrl": "zoom"},
                 {"sessionId": "OTHER-1", "start": "2026-09-06T08:00:00+05:00", "end": "2026-09-06T08:50:00+05:00"},
                 {"start": "2026-09-07T08:00:00+05:00"}]""");
        Map<String, String> d = details(r);
        assertThat(d.get("[1].start")).contains("date-time with an offset");
        assertThat(d.get("[1].hours")).contains("at least 1");
        assertThat(d.get("[2].end")).contains("must be after start");
        assertThat(d.get("[2].hours")).contains("whole number");
        assertThat(d.get("[3].sessionId")).contains("appears twice");
        assertThat(d.get("[3].onlineUrl")).contains("http(s) URL");
        assertThat(d.get("[4].sessionId")).contains("already belongs to section 'OTHER'");
        assertThat(d).containsEntry("[5].sessionId", "required").containsEntry("[5].end", "required");
        assertThat(AttendanceCounts.of(tool)).isEqualTo(before);
        long sessions = tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM class_session WHERE section_id = 'VAL' AND cancelled_at IS NULL").mapTo(Long.class).one());
        assertThat(sessions).as("VAL-2 and VAL-3 were not cancelled").isEqualTo(3);
    }

    @Test
    void bad_enrolments_and_sections_are_named_by_field() {
        Map<String, String> e = details(api.put("/api/v1/sections/VAL/enrolments", """
                [{"personId": "P-1", "role": "dean"}, {"role": "student", "since": "15.09.2026"}, {"personId": "P-1", "role": "student"}]"""));
        assertThat(e.get("[0].role")).contains("'student' or 'teacher'");
        assertThat(e).containsEntry("[1].personId", "required");
        assertThat(e.get("[1].since")).contains("date like 2026-09-01");
        assertThat(e.get("[2].personId")).contains("appears twice");
        assertThat(api.ok(api.get("/api/v1/sections/VAL/standing"))).as("nobody withdrawn").hasSize(2);

        Map<String, String> s = details(api.put("/api/v1/sections/NEW", "{\"termStart\": \"2026-12-25\", \"termEnd\": \"2026-09-01\"}"));
        assertThat(s).containsEntry("title", "required");
        assertThat(s.get("termEnd")).contains("must not be before termStart");
        assertThat(api.get("/api/v1/sections/NEW/standing").status()).isEqualTo(404);

        assertThat(details(api.put("/api/v1/sections/VAL/enrolments", "{\"personId\": \"P-1\"}"))).containsKey("");
        assertThat(details(api.put("/api/v1/sections/VAL/enrolments", "[{\"personId\": "))).containsKey("");
    }

    @Test
    void tokens_scopes_and_unknown_ids_answer_401_403_and_404() {
        String reader = tool.app().apiAuth().issue("reader", EnumSet.of(Scope.STANDING_READ)).token();
        String sync = tool.app().apiAuth().issue("sync", EnumSet.of(Scope.SYNC)).token();
        record Call(String method, String path, String body, Scope needs) {
        }
        List<Call> calls = List.of(
                new Call("PUT", "/api/v1/sections/VAL", Fixture.section("Validation"), Scope.SYNC),
                new Call("PUT", "/api/v1/sections/VAL/enrolments", Fixture.students("P-1", "P-2"), Scope.SYNC),
                new Call("PUT", "/api/v1/sections/VAL/sessions", Fixture.sessions("VAL", 3), Scope.SYNC),
                new Call("PUT", "/api/v1/sessions/VAL-1/marks", "[]", Scope.SYNC),
                new Call("GET", "/api/v1/sections/VAL/standing", null, Scope.STANDING_READ),
                new Call("GET", "/api/v1/changes", null, Scope.STANDING_READ),
                new Call("POST", "/api/v1/sections/VAL/overrides", "{\"personId\":\"P-1\",\"state\":\"ADMITTED\",\"reason\":\"x\"}", Scope.OVERRIDES),
                new Call("DELETE", "/api/v1/sections/VAL/overrides/P-1", null, Scope.OVERRIDES));
        for (Call c : calls) {
            assertThat(api.as(null).send(c.method(), c.path(), c.body()).status()).as("no token: " + c).isEqualTo(401);
            assertThat(api.as("qat_wrong").send(c.method(), c.path(), c.body()).status()).as("wrong token: " + c).isEqualTo(401);
            String lacking = c.needs() == Scope.STANDING_READ ? sync : reader;
            Api.Response forbidden = api.as(lacking).send(c.method(), c.path(), c.body());
            assertThat(forbidden.status()).as("wrong scope: " + c).isEqualTo(403);
            assertThat(forbidden.json().path("error").asText()).contains(c.needs().wire());
        }
        assertThat(api.as(sync).put("/api/v1/sections/VAL", Fixture.section("Validation")).status()).isEqualTo(200);
        assertThat(api.as(reader).get("/api/v1/sections/VAL/standing").status()).isEqualTo(200);

        Map<String, Api.Response> unknown = new LinkedHashMap<>();
        unknown.put("enrolments", api.put("/api/v1/sections/NOPE/enrolments", Fixture.students("P-1")));
        unknown.put("sessions", api.put("/api/v1/sections/NOPE/sessions", Fixture.sessions("NOPE", 1)));
        unknown.put("marks", api.put("/api/v1/sessions/NOPE-1/marks", Fixture.absent("P-1")));
        unknown.put("standing", api.get("/api/v1/sections/NOPE/standing"));
        unknown.put("override", api.post("/api/v1/sections/NOPE/overrides", "{\"personId\":\"P-1\",\"state\":\"LOCKED\",\"reason\":\"x\"}"));
        unknown.put("withdraw", api.delete("/api/v1/sections/NOPE/overrides/P-1"));
        unknown.forEach((what, r) -> {
            assertThat(r.status()).as(what + ": " + r.body()).isEqualTo(404);
            assertThat(r.json().path("error").asText()).as(what).contains("NOPE");
        });
        boolean stored = StreamSupport.stream(api.ok(api.get("/api/v1/changes?limit=5000")).path("changes").spliterator(), false)
                .anyMatch(c -> c.path("sectionId").asText().equals("NOPE"));
        assertThat(stored).isFalse();
    }

    @Test
    void implausible_sessions_and_terms_are_refused_by_field() {
        Map<String, Long> before = AttendanceCounts.of(tool);
        Map<String, String> d = details(api.put("/api/v1/sections/VAL/sessions", """
                [{"sessionId": "VAL-1", "start": "2026-09-02T08:00:00+05:00", "end": "2036-09-02T08:00:00+05:00"},
                 {"sessionId": "VAL-2", "start": "0001-09-02T08:00:00+05:00", "end": "0001-09-02T08:50:00+05:00"},
                 {"sessionId": "VAL-3", "start": "2026-09-02T08:00:00+05:00", "end": "2026-09-03T08:01:00+05:00"}]"""));
        assertThat(d.get("[0].end")).contains("at most 24 hours");
        assertThat(d.get("[1].start")).contains("years 2000 to 2100");
        assertThat(d.get("[1].end")).contains("years 2000 to 2100");
        assertThat(d.get("[2].end")).contains("at most 24 hours");
        assertThat(AttendanceCounts.of(tool)).isEqualTo(before);

        Map<String, String> s = details(api.put("/api/v1/sections/YEAR-ONE",
                "{\"title\": \"Year one\", \"termStart\": \"0001-09-01\", \"termEnd\": \"2026-12-25\"}"));
        assertThat(s.get("termStart")).contains("years 2000 to 2100");
        assertThat(api.get("/api/v1/sections/YEAR-ONE/standing").status()).isEqualTo(404);
    }

    @Test
    void a_lateness_longer_than_the_session_is_refused() {
        Map<String, Long> before = AttendanceCounts.of(tool);
        // VAL-1 lasts 50 minutes
        Map<String, String> d = details(api.put("/api/v1/sessions/VAL-1/marks", """
                [{"personId": "P-1", "status": "LATE", "lateMinutes": 50},
                 {"personId": "P-2", "status": "LATE", "lateMinutes": 51}]"""));
        assertThat(d).doesNotContainKey("[0].lateMinutes");
        assertThat(d.get("[1].lateMinutes")).contains("at most the session's length, 50 minutes, was 51");
        assertThat(AttendanceCounts.of(tool)).isEqualTo(before);
    }

    @Test
    void the_history_of_a_person_never_enrolled_is_404_and_of_an_enrolled_one_a_list() {
        Api.Response unknown = api.get("/api/v1/sections/VAL/standing/P-404/history");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
        assertThat(unknown.json().path("error").asText()).contains("P-404", "VAL");
        assertThat(api.ok(api.get("/api/v1/sections/VAL/standing/P-1/history")).isArray()).isTrue();
    }

    /** Row counts of every attendance table: equal before and after = nothing stored. */
    static final class AttendanceCounts {
        static Map<String, Long> of(RunningTool tool) {
            Map<String, Long> out = new LinkedHashMap<>();
            for (String table : List.of("section", "enrolment", "enrolment_history", "class_session", "mark", "mark_history",
                    "standing", "standing_history", "standing_override", "attendance_change")) {
                out.put(table, tool.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM " + table)
                        .mapTo(Long.class).one()));
            }
            return out;
        }
    }
}
