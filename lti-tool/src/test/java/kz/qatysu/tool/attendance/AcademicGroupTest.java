package kz.qatysu.tool.attendance;

import kz.qatysu.tool.testing.Api;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The optional academic group of an enrolment: stored, validated per record, and audited like role and since. */
class AcademicGroupTest {
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

    private static Map<String, String> groups(String sectionId) {
        return tool.database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT person_id, coalesce(academic_group, '<unknown>') FROM enrolment WHERE section_id = :s""")
                .bind("s", sectionId).map((rs, c) -> Map.entry(rs.getString(1), rs.getString(2))).list()
                .stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    private static List<Map<String, Object>> history(String sectionId, String personId) {
        return tool.database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT event, role, academic_group FROM enrolment_history
                        WHERE section_id = :s AND person_id = :p ORDER BY id""")
                .bind("s", sectionId).bind("p", personId).mapToMap().list());
    }

    @Test
    void enrolments_with_and_without_a_group_are_both_accepted_and_the_group_is_stored_trimmed() {
        api.ok(api.put("/api/v1/sections/GRP-A", Fixture.section("Алгоритмдер")));
        var r = api.ok(api.put("/api/v1/sections/GRP-A/enrolments", """
                [{"personId": "P-1", "role": "student", "group": "  ИС-21-1 "},
                 {"personId": "P-2", "role": "student"},
                 {"personId": "P-3", "role": "student", "group": null},
                 {"personId": "P-4", "role": "student", "group": "   "},
                 {"personId": "T-7", "role": "teacher"}]"""));
        assertThat(r.path("enrolled").asInt()).isEqualTo(5);
        assertThat(groups("GRP-A")).containsExactlyInAnyOrderEntriesOf(Map.of("P-1", "ИС-21-1", "P-2", "<unknown>",
                "P-3", "<unknown>", "P-4", "<unknown>", "T-7", "<unknown>"));
        // the contract's own example (no group at all) still works unchanged
        api.ok(api.put("/api/v1/sections/GRP-A/enrolments", Fixture.students("P-1", "P-2")));
        assertThat(groups("GRP-A")).containsEntry("P-1", "<unknown>");
    }

    @Test
    void an_invalid_group_is_a_400_naming_the_record_and_nothing_is_stored() {
        api.ok(api.put("/api/v1/sections/GRP-B", Fixture.section("Физика")));
        api.ok(api.put("/api/v1/sections/GRP-B/enrolments", """
                [{"personId": "P-1", "role": "student", "group": "ИС-21-1"}]"""));
        Map<String, Long> before = ValidationTest.AttendanceCounts.of(tool);

        Map<String, String> d = ValidationTest.details(api.put("/api/v1/sections/GRP-B/enrolments", """
                [{"personId": "P-1", "role": "student", "group": "ИС-21-2"},
                 {"personId": "P-2", "role": "student", "group": "%s"},
                 {"personId": "P-3", "role": "student", "group": 21},
                 {"personId": "P-4", "role": "student", "group": "ИС\\n21"}]""".formatted("Ж".repeat(65))));

        assertThat(d.get("[1].group")).contains("at most 64 characters");
        assertThat(d.get("[2].group")).contains("must be a string");
        assertThat(d.get("[3].group")).contains("control characters");
        assertThat(d).doesNotContainKey("[0].group");
        assertThat(ValidationTest.AttendanceCounts.of(tool)).isEqualTo(before);
        assertThat(groups("GRP-B")).containsExactlyEntriesOf(Map.of("P-1", "ИС-21-1"));
        // exactly 64 characters is fine
        api.ok(api.put("/api/v1/sections/GRP-B/enrolments", "[{\"personId\": \"P-1\", \"role\": \"student\", \"group\": \""
                + "Ж".repeat(64) + "\"}]"));
        assertThat(groups("GRP-B").get("P-1")).hasSize(64);
    }

    @Test
    void a_group_change_alone_is_recorded_as_a_changed_event_and_an_unchanged_upload_records_nothing() {
        api.ok(api.put("/api/v1/sections/GRP-C", Fixture.section("Химия")));
        String in211 = "[{\"personId\": \"P-1\", \"role\": \"student\", \"group\": \"ИС-21-1\"}]";
        api.ok(api.put("/api/v1/sections/GRP-C/enrolments", in211));
        assertThat(api.ok(api.put("/api/v1/sections/GRP-C/enrolments", in211)).path("changed")).isEmpty();

        var moved = api.ok(api.put("/api/v1/sections/GRP-C/enrolments",
                "[{\"personId\": \"P-1\", \"role\": \"student\", \"group\": \"ИС-21-2\"}]"));

        assertThat(moved.path("changed").get(0).asText()).isEqualTo("P-1");
        var unknown = api.ok(api.put("/api/v1/sections/GRP-C/enrolments", "[{\"personId\": \"P-1\", \"role\": \"student\"}]"));
        assertThat(unknown.path("changed").get(0).asText()).isEqualTo("P-1");
        assertThat(history("GRP-C", "P-1")).extracting(m -> m.get("event") + " " + m.get("academic_group"))
                .containsExactly("ENROLLED ИС-21-1", "CHANGED ИС-21-2", "CHANGED null");
    }

    @Test
    void the_openapi_document_describes_the_optional_group() {
        var doc = api.ok(api.get("/api/v1/openapi.json"));
        var input = doc.path("components").path("schemas").path("EnrolmentInput");
        assertThat(input.path("properties").path("group").path("maxLength").asInt()).isEqualTo(64);
        assertThat(input.path("required").toString()).doesNotContain("group");
    }
}
