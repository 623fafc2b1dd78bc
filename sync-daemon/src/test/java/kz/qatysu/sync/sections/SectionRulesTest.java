package kz.qatysu.sync.sections;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kz.qatysu.connectors.portal.Enrolment;
import kz.qatysu.connectors.portal.Person;
import kz.qatysu.connectors.portal.PersonName;
import kz.qatysu.connectors.portal.Section;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SectionRulesTest {
    static final Person ALIYA = new Person("P-1", "Aliya.N", new PersonName("Әлия", "Нұрланқызы", null),
            new PersonName("Алия", "Нурланкызы", null), new PersonName("Aliya", "Nurlanqyzy", null), "aliya@example.kz",
            Person.Role.STUDENT, Person.Status.ACTIVE, "ИС-24-1", "IT", null);
    static final Person TEACHER = new Person("T-1", "aigul.s", null, new PersonName("Айгуль", "Сериковна", "Ивановна"), null,
            "aigul@example.kz", Person.Role.TEACHER, Person.Status.ACTIVE, null, "IT", null);
    static final Section SECTION = new Section("ALG-101", "ALG", "Алгоритмдер", "2026-1", LocalDate.parse("2026-09-01"),
            LocalDate.parse("2026-12-25"), "IT", List.of("T-1"), 45, 5, "course-v1:KazNU+ALG101+2026_T1");

    @Test
    void the_tool_roster_carries_each_persons_name_in_the_configured_script_and_their_login_in_lower_case() throws Exception {
        var rules = new SectionRules(ZoneId.of("Asia/Almaty"), Person.Script.KK);
        var desired = rules.toolEnrolments("ALG-101", List.of(new Enrolment("ALG-101", "P-1", Enrolment.Role.STUDENT, null),
                new Enrolment("ALG-101", "T-1", Enrolment.Role.TEACHER, null)), Map.of("P-1", ALIYA, "T-1", TEACHER));
        JsonNode list = new ObjectMapper().readTree(desired.fields().get("enrolments"));
        assertThat(list.get(0).path("familyName").asText()).isEqualTo("Нұрланқызы");
        assertThat(list.get(0).path("givenName").asText()).isEqualTo("Әлия");
        assertThat(list.get(0).has("middleName")).isFalse();
        assertThat(list.get(0).path("login").asText()).isEqualTo("aliya.n");
        // no Kazakh name: the next script the portal has (Russian), with the patronymic
        assertThat(list.get(1).path("familyName").asText()).isEqualTo("Сериковна");
        assertThat(list.get(1).path("middleName").asText()).isEqualTo("Ивановна");
    }

    @Test
    void a_students_adviser_goes_to_the_tool_as_adviser_id_and_reaches_the_tool_clients_body() throws Exception {
        Person withAdviser = new Person("P-2", "b.b", new PersonName("Бауыржан", "Әбілқасымұлы", null), null, null, "b@example.kz",
                Person.Role.STUDENT, Person.Status.ACTIVE, "ИС-24-1", "IT", null, "T-1");
        Person teacherWithAdviser = new Person("T-2", "t.t", null, new PersonName("Асель", "Ким", null), null, "t@example.kz",
                Person.Role.TEACHER, Person.Status.ACTIVE, null, "IT", null, "T-1");
        var rules = new SectionRules(ZoneId.of("Asia/Almaty"));
        var desired = rules.toolEnrolments("ALG-101", List.of(new Enrolment("ALG-101", "P-1", Enrolment.Role.STUDENT, null),
                        new Enrolment("ALG-101", "P-2", Enrolment.Role.STUDENT, null), new Enrolment("ALG-101", "T-2", Enrolment.Role.TEACHER, null)),
                Map.of("P-1", ALIYA, "P-2", withAdviser, "T-2", teacherWithAdviser));
        JsonNode list = new ObjectMapper().readTree(desired.fields().get("enrolments"));
        assertThat(list.get(0).path("adviserId").isTextual()).as("the portal names no adviser: sent as \"\"").isTrue();
        assertThat(list.get(0).path("adviserId").asText()).isEmpty();
        assertThat(list.get(1).path("adviserId").asText()).isEqualTo("T-1");
        assertThat(list.get(2).has("adviserId")).as("only students have advisers").isFalse();
        var bodies = kz.qatysu.connectors.http.Json.MAPPER.readValue(desired.fields().get("enrolments"),
                kz.qatysu.connectors.qatysu.ToolModel.EnrolmentBody[].class);
        assertThat(bodies[1].adviserId()).isEqualTo("T-1");
        assertThat(kz.qatysu.connectors.http.Json.write(List.of(bodies[0]))).contains("\"adviserId\":\"\"");
        assertThat(kz.qatysu.connectors.http.Json.write(List.of(bodies[2]))).doesNotContain("adviserId");
    }

    @Test
    void a_student_whose_adviser_the_portal_dropped_goes_with_an_empty_adviser_id_and_one_missing_from_the_persons_export_without_one() throws Exception {
        Person before = new Person("P-2", "b.b", new PersonName("Бауыржан", "Әбілқасымұлы", null), null, null, "b@example.kz",
                Person.Role.STUDENT, Person.Status.ACTIVE, "ИС-24-1", "IT", null, "T-1");
        Person after = new Person("P-2", "b.b", new PersonName("Бауыржан", "Әбілқасымұлы", null), null, null, "b@example.kz",
                Person.Role.STUDENT, Person.Status.ACTIVE, "ИС-24-1", "IT", null, null);
        var rules = new SectionRules(ZoneId.of("Asia/Almaty"));
        List<Enrolment> roster = List.of(new Enrolment("ALG-101", "P-2", Enrolment.Role.STUDENT, null),
                new Enrolment("ALG-101", "P-9", Enrolment.Role.STUDENT, null));
        var first = rules.toolEnrolments("ALG-101", roster, Map.of("P-2", before));
        var second = rules.toolEnrolments("ALG-101", roster, Map.of("P-2", after));
        assertThat(second.fields()).as("a changed record: the sections job uploads the roster again")
                .isNotEqualTo(first.fields());
        var bodies = kz.qatysu.connectors.http.Json.MAPPER.readValue(second.fields().get("enrolments"),
                kz.qatysu.connectors.qatysu.ToolModel.EnrolmentBody[].class);
        assertThat(bodies[0].adviserId()).as("the clearing value the tool takes as \"no adviser\"").isEmpty();
        assertThat(bodies[1].adviserId()).as("not in the persons export: left out, the tool keeps what it has").isNull();
    }

    @Test
    void the_tool_section_names_its_open_edx_course_and_a_section_without_one_carries_no_key() {
        var rules = new SectionRules(ZoneId.of("Asia/Almaty"));
        assertThat(rules.toolSection(SECTION).fields()).containsEntry("openedxCourseKey", "course-v1:KazNU+ALG101+2026_T1");
        Section moodleOnly = new Section("INF-1", "INF", "Информатика", "2026-1", LocalDate.parse("2026-09-01"),
                LocalDate.parse("2026-12-25"), "IT", List.of(), 45, 5, null);
        assertThat(rules.toolSection(moodleOnly).fields()).doesNotContainKey("openedxCourseKey");
    }
}
