package kz.qatysu.tool.attendance;

import kz.qatysu.tool.testing.Api;
import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpSettings;
import kz.qatysu.connectors.qatysu.ToolClient;
import kz.qatysu.connectors.qatysu.ToolModel;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static kz.qatysu.tool.attendance.Fixture.row;
import static org.assertj.core.api.Assertions.assertThat;

/** The whole contract of qatysu-api.md's attendance endpoints over real HTTP, as the sync daemon uses it. */
class AttendanceApiTest {
    static final String KAZAKH_TITLE = "Қазақ әдебиеті: ғұмыр, өнер, ұлт, үміт, һәм ің — Қазақ тілі (ә ғ қ ң ө ұ ү һ і)";

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
    void the_full_contract_from_section_to_standing_and_changes() {
        JsonNode created = api.ok(api.put("/api/v1/sections/KAZ-101", Fixture.section(KAZAKH_TITLE)));
        assertThat(created.path("created").asBoolean()).isTrue();
        api.ok(api.put("/api/v1/sections/KAZ-101/enrolments", """
                [{"personId": "P-1001", "role": "student", "since": "2026-09-01"},
                 {"personId": "P-1002", "role": "student"},
                 {"personId": "T-7", "role": "teacher"}]"""));
        JsonNode timetable = api.ok(api.put("/api/v1/sections/KAZ-101/sessions", Fixture.sessions("KAZ", 10)));
        assertThat(timetable.path("added")).hasSize(10);
        JsonNode marks = api.ok(api.put("/api/v1/sessions/KAZ-1/marks", """
                [{"personId": "P-1001", "status": "LATE", "lateMinutes": 12},
                 {"personId": "P-1002", "status": "EXCUSED", "reason": "медициналық анықтама"}]"""));
        assertThat(marks.path("changed").asInt()).isEqualTo(2);
        api.ok(api.put("/api/v1/sessions/KAZ-2/marks", "[{\"personId\": \"P-1001\", \"status\": \"ABSENT\"}]"));

        JsonNode standing = api.ok(api.get("/api/v1/sections/KAZ-101/standing"));
        assertThat(standing).hasSize(2);
        JsonNode p1 = row(standing, "P-1001");
        assertThat(p1.path("plannedHours").asInt()).isEqualTo(10);
        assertThat(p1.path("absentHours").asInt()).isEqualTo(1);
        assertThat(p1.path("lateCount").asInt()).isEqualTo(1);
        assertThat(p1.path("absenceShare").decimalValue()).isEqualByComparingTo("0.1");
        assertThat(p1.path("state").asText()).isEqualTo("OK");
        assertThat(p1.path("computedState").asText()).isEqualTo("OK");
        assertThat(p1.has("override")).isTrue();
        assertThat(p1.path("override").isNull()).isTrue();
        assertThat(p1.path("reason").asText()).contains("1 h of 10");
        assertThat(p1.path("absenceBudget").asInt()).isEqualTo(2);
        JsonNode p2 = row(standing, "P-1002");
        assertThat(p2.path("absentHours").asInt()).isZero();
        assertThat(p2.path("absenceShare").decimalValue()).isZero();

        JsonNode changes = api.ok(api.get("/api/v1/changes"));
        assertThat(changes.path("cursor").asText()).matches("\\d+");
        assertThat(changes.path("changes")).anySatisfy(c -> {
            assertThat(c.path("type").asText()).isEqualTo("mark");
            assertThat(c.path("sectionId").asText()).isEqualTo("KAZ-101");
            assertThat(c.path("sessionId").asText()).isEqualTo("KAZ-1");
            assertThat(c.path("personId").asText()).isEqualTo("P-1002");
            assertThat(c.path("status").asText()).isEqualTo("EXCUSED");
            assertThat(c.path("reason").asText()).isEqualTo("медициналық анықтама");
            assertThat(c.path("by").asText()).isEqualTo("admin");
        });
        assertThat(changes.path("changes")).anySatisfy(c -> {
            assertThat(c.path("type").asText()).isEqualTo("standing");
            assertThat(c.path("personId").asText()).isEqualTo("P-1001");
            assertThat(c.path("state").asText()).isEqualTo("OK");
        });
    }

    @Test
    void kazakh_titles_and_ids_make_the_round_trip_in_utf8() {
        JsonNode r = api.ok(api.put("/api/v1/sections/" + Api.seg("ҚАЗ-ӘДЕБ-2026"), Fixture.section(KAZAKH_TITLE)));
        assertThat(r.path("sectionId").asText()).isEqualTo("ҚАЗ-ӘДЕБ-2026");
        assertThat(r.path("title").asText()).isEqualTo(KAZAKH_TITLE);
        String stored = tool.database().jdbi().withHandle(h -> h.createQuery("SELECT title FROM section WHERE section_id = :id")
                .bind("id", "ҚАЗ-ӘДЕБ-2026").mapTo(String.class).one());
        assertThat(stored).isEqualTo(KAZAKH_TITLE);
        api.ok(api.put("/api/v1/sections/" + Api.seg("ҚАЗ-ӘДЕБ-2026") + "/enrolments",
                "[{\"personId\": \"Әлия-Ұлы-Һ\", \"role\": \"student\"}]"));
        JsonNode standing = api.ok(api.get("/api/v1/sections/" + Api.seg("ҚАЗ-ӘДЕБ-2026") + "/standing"));
        assertThat(standing.get(0).path("personId").asText()).isEqualTo("Әлия-Ұлы-Һ");
    }

    @Test
    void putting_the_same_state_again_stores_nothing_new() {
        String section = Fixture.section("Алгебра");
        String roster = Fixture.students("P-1", "P-2");
        String sessions = Fixture.sessions("ALG", 5);
        String marks = "[{\"personId\":\"P-1\",\"status\":\"LATE\",\"lateMinutes\":25},{\"personId\":\"P-2\",\"status\":\"ABSENT\"}]";
        api.ok(api.put("/api/v1/sections/ALG-1", section));
        api.ok(api.put("/api/v1/sections/ALG-1/enrolments", roster));
        api.ok(api.put("/api/v1/sections/ALG-1/sessions", sessions));
        api.ok(api.put("/api/v1/sessions/ALG-1/marks", marks));
        Map<String, Long> before = counts();

        assertThat(api.put("/api/v1/sections/ALG-1", section).status()).isEqualTo(200);
        JsonNode r = api.ok(api.put("/api/v1/sections/ALG-1/enrolments", roster));
        assertThat(r.path("added")).isEmpty();
        assertThat(r.path("standingChanged")).isEmpty();
        JsonNode t = api.ok(api.put("/api/v1/sections/ALG-1/sessions", sessions));
        assertThat(t.path("added")).isEmpty();
        assertThat(t.path("updated")).isEmpty();
        assertThat(t.path("cancelled")).isEmpty();
        JsonNode m = api.ok(api.put("/api/v1/sessions/ALG-1/marks", marks));
        assertThat(m.path("changed").asInt()).isZero();
        assertThat(m.path("unchanged").asInt()).isEqualTo(2);

        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void every_mark_change_is_audited_with_the_caller_and_old_and_new_values() {
        api.ok(api.put("/api/v1/sections/AUD", Fixture.section("Audit")));
        api.ok(api.put("/api/v1/sections/AUD/enrolments", Fixture.students("P-1")));
        api.ok(api.put("/api/v1/sections/AUD/sessions", Fixture.sessions("AUD", 2)));
        var teacherJournal = api.as(tool.app().apiAuth().issue("portal-journal", EnumSet.of(Scope.SYNC)).token());
        teacherJournal.ok(teacherJournal.put("/api/v1/sessions/AUD-1/marks", Fixture.absent("P-1")));
        api.ok(api.put("/api/v1/sessions/AUD-1/marks", "[{\"personId\":\"P-1\",\"status\":\"EXCUSED\",\"reason\":\"анықтама\"}]"));
        api.ok(api.put("/api/v1/sessions/AUD-1/marks", "[{\"personId\":\"P-1\",\"status\":\"EXCUSED\",\"reason\":\"анықтама\"}]"));

        List<Map<String, Object>> history = tool.database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT old_status, new_status, new_reason, changed_by, changed_at FROM mark_history
                        WHERE session_id = 'AUD-1' AND person_id = 'P-1' ORDER BY id""").mapToMap().list());
        assertThat(history).hasSize(2);
        assertThat(history.get(0)).containsEntry("old_status", null).containsEntry("new_status", "ABSENT")
                .containsEntry("changed_by", "portal-journal");
        assertThat(history.get(1)).containsEntry("old_status", "ABSENT").containsEntry("new_status", "EXCUSED")
                .containsEntry("new_reason", "анықтама").containsEntry("changed_by", "admin");
        assertThat(history.get(1).get("changed_at")).isNotNull();
    }

    @Test
    void the_sync_daemons_own_client_is_accepted_by_the_real_api() {
        var token = tool.app().apiAuth().issue("sync-daemon", EnumSet.of(Scope.SYNC, Scope.STANDING_READ));
        try (var http = new HttpConnector(HttpSettings.defaults("qatysu", URI.create(tool.baseUrl())))) {
            ToolClient client = new ToolClient(http, new Secret(token.token()));
            client.putSection("CL-1", new ToolModel.SectionBody("Физика", LocalDate.parse("2026-09-01"), LocalDate.parse("2026-12-25")));
            client.putEnrolments("CL-1", List.of(new ToolModel.EnrolmentBody("P-1", "student", null),
                    new ToolModel.EnrolmentBody("P-2", "student", LocalDate.parse("2026-09-15")),
                    new ToolModel.EnrolmentBody("T-1", "teacher", null)));
            client.putSessions("CL-1", List.of(
                    new ToolModel.SessionBody("CL-S1", OffsetDateTime.parse("2026-09-02T08:00:00+05:00"),
                            OffsetDateTime.parse("2026-09-02T08:50:00+05:00"), "lecture", 1, "A-204", null),
                    new ToolModel.SessionBody("CL-S2", OffsetDateTime.parse("2026-09-16T08:00:00+05:00"),
                            OffsetDateTime.parse("2026-09-16T09:45:00+05:00"), "practice", 2, null, "https://bbb.example.kz/b/cl-s2")));
            client.putMarks("CL-S1", List.of(new ToolModel.MarkBody("P-1", "LATE", 25, null)));
            client.putMarks("CL-S2", List.of(new ToolModel.MarkBody("P-2", "EXCUSED", null, "рұқсатнама №4")));

            List<ToolModel.Standing> standing = client.standing("CL-1");
            assertThat(standing).extracting(ToolModel.Standing::personId).containsExactly("P-1", "P-2");
            assertThat(standing.get(0).absentHours()).isEqualTo(1.0);
            assertThat(standing.get(0).plannedHours()).isEqualTo(3.0);
            assertThat(standing.get(0).state()).isEqualTo("LOCKED");
            assertThat(standing.get(1).plannedHours()).isEqualTo(2.0);

            ToolModel.Changes changes = client.changes(null);
            assertThat(changes.changes()).anySatisfy(c -> {
                assertThat(c.type()).isEqualTo("mark");
                assertThat(c.sessionId()).isEqualTo("CL-S1");
                assertThat(c.lateMinutes()).isEqualTo(25);
            });
            ToolModel.Changes none = client.changes(changes.cursor());
            assertThat(none.changes()).isEmpty();
            assertThat(none.cursor()).isEqualTo(changes.cursor());
        }
    }

    @Test
    void the_openapi_document_describes_every_attendance_and_admin_endpoint() {
        Api.Response r = api.as(null).get("/api/v1/openapi.json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode doc = r.json();
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        assertThat(doc.path("paths").fieldNames()).toIterable().contains(
                "/api/v1/sections/{sectionId}", "/api/v1/sections/{sectionId}/enrolments",
                "/api/v1/sections/{sectionId}/sessions", "/api/v1/sessions/{sessionId}/marks",
                "/api/v1/sections/{sectionId}/standing", "/api/v1/sections/{sectionId}/overrides",
                "/api/v1/sections/{sectionId}/overrides/{personId}", "/api/v1/changes",
                "/api/v1/admin/platforms", "/api/v1/admin/platforms/{id}");
        assertThat(doc.at("/components/schemas/Standing/properties").fieldNames()).toIterable().contains(
                "personId", "plannedHours", "absentHours", "lateCount", "absenceShare", "state", "computedState",
                "override", "reason");
    }

    static Map<String, Long> counts() {
        return tool.database().jdbi().withHandle(h -> Map.of(
                "mark_history", count(h, "mark_history"), "standing_history", count(h, "standing_history"),
                "attendance_change", count(h, "attendance_change"), "enrolment_history", count(h, "enrolment_history"),
                "section", count(h, "section")));
    }

    private static long count(org.jdbi.v3.core.Handle h, String table) {
        return h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one();
    }
}
