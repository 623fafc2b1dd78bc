package kz.qatysu.tool.attendance;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.testing.Api;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group sessions over the REST API: a timetable entry for one academic group counts only for that group's students,
 * marks for anyone else are refused naming the record, and moving a session to another group recomputes the standing.
 */
class GroupSessionsTest {
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

    /** P-1, P-2 in ИС-24-1, P-3 in ИС-24-2, P-4 without a group; 10 one-hour lectures, 3 two-hour seminars per group. */
    static void stream(String section) {
        api.ok(api.put("/api/v1/sections/" + section, Fixture.section("Алгоритмдер")));
        api.ok(api.put("/api/v1/sections/" + section + "/enrolments", """
                [{"personId": "P-1", "role": "student", "group": "ИС-24-1"},
                 {"personId": "P-2", "role": "student", "group": "ИС-24-1"},
                 {"personId": "P-3", "role": "student", "group": "ИС-24-2"},
                 {"personId": "P-4", "role": "student"},
                 {"personId": "T-7", "role": "teacher"}]"""));
        api.ok(api.put("/api/v1/sections/" + section + "/sessions", timetable(section, "ИС-24-1")));
    }

    /** The timetable, with the first seminar (…-SEM1-1) for {@code firstSeminarGroup}. */
    static String timetable(String section, String firstSeminarGroup) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            out.add(Fixture.session(section + "-LEC-" + i, LocalDate.of(2026, 9, 1).plusDays(i), 1));
        }
        for (int i = 1; i <= 3; i++) {
            out.add(seminar(section + "-SEM1-" + i, LocalDate.of(2026, 10, 1).plusDays(i), i == 1 ? firstSeminarGroup : "ИС-24-1"));
            out.add(seminar(section + "-SEM2-" + i, LocalDate.of(2026, 10, 1).plusDays(i), "ИС-24-2"));
        }
        return "[" + String.join(",", out) + "]";
    }

    static String seminar(String id, LocalDate day, String group) {
        return "{\"sessionId\":\"" + id + "\",\"start\":\"" + day + "T10:00:00+05:00\",\"end\":\"" + day
                + "T11:40:00+05:00\",\"kind\":\"seminar\",\"hours\":2,\"room\":\"A-201\",\"group\":\"" + group + "\"}";
    }

    static Map<String, Integer> planned(String section) {
        JsonNode standing = api.ok(api.get("/api/v1/sections/" + section + "/standing"));
        Map<String, Integer> out = new java.util.TreeMap<>();
        standing.forEach(r -> out.put(r.path("personId").asText(), r.path("plannedHours").asInt()));
        return out;
    }

    @Test
    void a_group_session_counts_in_the_planned_hours_of_its_groups_students_only() {
        stream("GS-A");
        assertThat(planned("GS-A")).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
                "P-1", 16, "P-2", 16, "P-3", 16, "P-4", 10)));
        String stored = tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT academic_group FROM class_session WHERE session_id = 'GS-A-SEM2-1'").mapTo(String.class).one());
        assertThat(stored).isEqualTo("ИС-24-2");
    }

    @Test
    void absences_weigh_against_the_students_own_planned_hours() {
        stream("GS-B");
        // P-1 misses their three seminars (6 h), P-3 misses the lectures LEC-1…LEC-6 (6 h)
        for (int i = 1; i <= 3; i++) {
            api.ok(api.put("/api/v1/sessions/GS-B-SEM1-" + i + "/marks", Fixture.absent("P-1")));
        }
        for (int i = 1; i <= 6; i++) {
            api.ok(api.put("/api/v1/sessions/GS-B-LEC-" + i + "/marks", Fixture.absent("P-3", "P-4")));
        }
        JsonNode standing = api.ok(api.get("/api/v1/sections/GS-B/standing"));
        assertThat(Fixture.row(standing, "P-1").path("absenceShare").decimalValue()).isEqualByComparingTo("0.3750");
        assertThat(Fixture.row(standing, "P-1").path("state").asText()).isEqualTo("LOCKED");
        assertThat(Fixture.row(standing, "P-3").path("absenceShare").decimalValue()).isEqualByComparingTo("0.3750");
        assertThat(Fixture.row(standing, "P-4").path("absenceShare").decimalValue()).isEqualByComparingTo("0.6000");
        assertThat(Fixture.row(standing, "P-2").path("absenceShare").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void a_mark_for_a_student_of_another_group_is_a_400_naming_the_record_and_nothing_is_stored() {
        stream("GS-C");
        Map<String, Long> before = ValidationTest.AttendanceCounts.of(tool);
        Api.Response r = api.put("/api/v1/sessions/GS-C-SEM1-1/marks", """
                [{"personId": "P-1", "status": "PRESENT"},
                 {"personId": "P-3", "status": "ABSENT"},
                 {"personId": "P-4", "status": "ABSENT"}]""");
        assertThat(r.status()).isEqualTo(400);
        Map<String, String> d = ValidationTest.details(r);
        assertThat(d).containsOnlyKeys("[1].personId", "[2].personId");
        assertThat(d.get("[1].personId")).contains("'P-3'", "ИС-24-2", "GS-C-SEM1-1", "ИС-24-1");
        assertThat(d.get("[2].personId")).contains("'P-4'", "no academic group");
        assertThat(ValidationTest.AttendanceCounts.of(tool)).isEqualTo(before);
        // the group's own students are marked as usual
        api.ok(api.put("/api/v1/sessions/GS-C-SEM1-1/marks", "[{\"personId\": \"P-2\", \"status\": \"ABSENT\"}]"));
    }

    @Test
    void moving_a_session_to_another_group_recomputes_the_standing_of_both_groups() {
        stream("GS-D");
        api.ok(api.put("/api/v1/sessions/GS-D-SEM1-1/marks", Fixture.absent("P-1")));
        JsonNode result = api.ok(api.put("/api/v1/sections/GS-D/sessions", timetable("GS-D", "ИС-24-2")));
        assertThat(result.path("updated").toString()).contains("GS-D-SEM1-1");
        assertThat(result.path("standingChanged").toString()).contains("P-1", "P-2", "P-3").doesNotContain("P-4");
        assertThat(planned("GS-D")).containsAllEntriesOf(Map.of("P-1", 14, "P-2", 14, "P-3", 18, "P-4", 10));
        // P-1's mark on the moved session is kept and no longer counts
        JsonNode p1 = Fixture.row(api.ok(api.get("/api/v1/sections/GS-D/standing")), "P-1");
        assertThat(p1.path("absentHours").asInt()).isZero();
        long kept = tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM mark WHERE session_id = 'GS-D-SEM1-1' AND person_id = 'P-1'").mapTo(Long.class).one());
        assertThat(kept).isEqualTo(1);
    }

    @Test
    void a_change_of_a_students_group_moves_them_to_the_other_groups_sessions() {
        stream("GS-E");
        api.ok(api.put("/api/v1/sections/GS-E/enrolments", """
                [{"personId": "P-1", "role": "student", "group": "ИС-24-2"},
                 {"personId": "P-2", "role": "student", "group": "ИС-24-1"},
                 {"personId": "P-3", "role": "student", "group": "ИС-24-2"},
                 {"personId": "P-4", "role": "student", "group": "ИС-24-1"},
                 {"personId": "T-7", "role": "teacher"}]"""));
        assertThat(planned("GS-E")).containsAllEntriesOf(Map.of("P-1", 16, "P-4", 16));
        Api.Response r = api.put("/api/v1/sessions/GS-E-SEM1-1/marks", Fixture.absent("P-1"));
        assertThat(r.status()).isEqualTo(400);
        api.ok(api.put("/api/v1/sessions/GS-E-SEM2-1/marks", Fixture.absent("P-1")));
    }

    @Test
    void an_invalid_group_is_a_400_naming_the_record_and_field_and_nothing_is_stored() {
        api.ok(api.put("/api/v1/sections/GS-F", Fixture.section("Физика")));
        Map<String, Long> before = ValidationTest.AttendanceCounts.of(tool);
        Api.Response r = api.put("/api/v1/sections/GS-F/sessions", "[" + String.join(",",
                seminar("GS-F-1", LocalDate.of(2026, 10, 2), "ИС-24-1"),
                seminar("GS-F-2", LocalDate.of(2026, 10, 3), "Ж".repeat(65)),
                seminar("GS-F-3", LocalDate.of(2026, 10, 4), "ИС\\n24")) + "]");
        assertThat(r.status()).isEqualTo(400);
        Map<String, String> d = ValidationTest.details(r);
        assertThat(d).containsOnlyKeys("[1].group", "[2].group");
        assertThat(d.get("[1].group")).contains("at most 64 characters");
        assertThat(d.get("[2].group")).contains("control characters");
        assertThat(ValidationTest.AttendanceCounts.of(tool)).isEqualTo(before);
    }

    @Test
    void a_timetable_without_groups_is_read_as_before_and_a_blank_group_means_the_whole_section() {
        api.ok(api.put("/api/v1/sections/GS-G", Fixture.section("Химия")));
        api.ok(api.put("/api/v1/sections/GS-G/enrolments", Fixture.students("P-1")));
        api.ok(api.put("/api/v1/sections/GS-G/sessions", "[" + Fixture.session("GS-G-1", LocalDate.of(2026, 9, 2), 1) + ","
                + seminar("GS-G-2", LocalDate.of(2026, 9, 3), " ").replace("\"group\":\" \"", "\"group\":\"  \"") + ","
                + seminar("GS-G-3", LocalDate.of(2026, 9, 4), "x").replace("\"group\":\"x\"", "\"group\":null") + "]"));
        assertThat(planned("GS-G")).containsExactlyEntriesOf(Map.of("P-1", 5));
    }

    @Test
    void the_openapi_document_describes_the_optional_group_of_a_session() {
        JsonNode doc = api.ok(api.get("/api/v1/openapi.json"));
        JsonNode group = doc.path("components").path("schemas").path("SessionInput").path("properties").path("group");
        assertThat(group.path("type").asText()).isEqualTo("string");
        assertThat(group.path("nullable").asBoolean()).isTrue();
        assertThat(group.path("maxLength").asInt()).isEqualTo(64);
        assertThat(doc.path("components").path("schemas").path("SessionInput").path("required").toString()).doesNotContain("group");
    }
}
