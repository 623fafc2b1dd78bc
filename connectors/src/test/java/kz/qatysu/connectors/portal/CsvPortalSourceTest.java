package kz.qatysu.connectors.portal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvPortalSourceTest {
    static final ZoneId ALMATY = ZoneId.of("Asia/Almaty");

    @TempDir
    Path dir;

    private PortalReader reader() {
        return new PortalReader(new CsvPortalSource(dir), ALMATY);
    }

    @Test
    void a_student_carries_the_adviser_the_portal_names_and_a_bad_adviser_id_is_refused_naming_the_field() throws Exception {
        Files.writeString(dir.resolve("persons.csv"), "id,login,email,last_name_ru,first_name_ru,adviser\n"
                + "P-1,a1,a1@univ.kz,Иванов,Иван,T-7\n"
                + "P-2,a2,a2@univ.kz,Петров,Пётр,\n"
                + "P-3,a3,a3@univ.kz,Сидоров,Сидор,T 7\n"
                + "P-4,a4,a4@univ.kz,Ахметов,Ахмет,P-4\n", StandardCharsets.UTF_8);

        SourceBatch<Person> batch = reader().persons();

        assertThat(batch.records()).extracting(Person::id, Person::adviser).containsExactly(tuple("P-1", "T-7"), tuple("P-2", null));
        assertThat(batch.errors()).extracting(RecordError::toString).containsExactly(
                "persons.csv line 4 (P-3): adviser = 'T 7': not a valid person id (letters, digits and . _ : / + - only, at most 100 characters)",
                "persons.csv line 5 (P-4): adviser = 'P-4': a person cannot be their own adviser");
    }

    @Test
    void kazakh_names_survive_a_semicolon_file_with_a_byte_order_mark() throws Exception {
        Files.writeString(dir.resolve("persons.csv"), "\uFEFFid;login;email;role;status;group;last_name_kk;first_name_kk;last_name_ru;first_name_ru\n"
                + "P-1;aigerim.n;aigerim@univ.kz;student;active;ИС-21-1;Нұрғалиқызы;Әйгерім;Нургалиева;Айгерим\n"
                + "P-2;Oral.Q;oral@univ.kz;student;academic-leave;ИС-21-1;Құрманғазыұлы;Өрал;;\n", StandardCharsets.UTF_8);

        SourceBatch<Person> batch = reader().persons();

        assertThat(batch.errors()).isEmpty();
        assertThat(batch.records()).hasSize(2);
        Person p = batch.records().getFirst();
        assertThat(p.kk()).isEqualTo(new PersonName("Әйгерім", "Нұрғалиқызы", null));
        assertThat(p.ru().last()).isEqualTo("Нургалиева");
        assertThat(p.group()).isEqualTo("ИС-21-1");
        Person p2 = batch.records().get(1);
        assertThat(p2.login()).as("logins are lower-cased for Moodle").isEqualTo("oral.q");
        assertThat(p2.status()).isEqualTo(Person.Status.ACADEMIC_LEAVE);
        assertThat(p2.ru()).isNull();
        assertThat(p2.name(Person.Script.RU).last()).isEqualTo("Құрманғазыұлы");
        String all = "ә ғ қ ң ө ұ ү һ і";
        assertThat(p.kk().full() + p2.kk().full()).containsAnyOf(all.split(" "));
    }

    @Test
    void every_bad_record_is_named_with_field_value_and_reason_and_the_rest_goes_through() throws Exception {
        Files.writeString(dir.resolve("persons.csv"), String.join("\n",
                "id,login,email,role,status,last_name_latin,first_name_latin",
                "P-1,ok1,ok1@univ.kz,student,active,Abay,Qunanbay",
                "P-2,Әлия,aliya@univ.kz,student,active,Aliya,B",
                "P-3,ok3,not-an-email,student,active,C,D",
                "P-4,ok4,ok4@univ.kz,student,on-holiday,E,F",
                "P-5,ok5,ok5@univ.kz,student,active,,",
                "P-1,dup,dup@univ.kz,student,active,G,H",
                "P-7,ok7,ok7@univ.kz,student,active,K,L") + "\n");

        SourceBatch<Person> batch = reader().persons();

        assertThat(batch.records()).extracting(Person::id).containsExactly("P-1", "P-7");
        assertThat(batch.rowsRead()).isEqualTo(7);
        assertThat(batch.errors()).extracting(RecordError::toString).containsExactly(
                "persons.csv line 3 (P-2): login = 'Әлия': not a valid login: only Latin letters, digits and _ - . @ are accepted (Moodle usernames)",
                "persons.csv line 4 (P-3): email = 'not-an-email': not an e-mail address",
                "persons.csv line 5 (P-4): status = 'on-holiday': one of [academic-leave, academic_leave, active, expelled, graduated, leave, studying] expected",
                "persons.csv line 6 (P-5): last_name_kk: a name is required: first and last name in Kazakh, Russian or Latin script",
                "persons.csv line 7 (P-1): key = 'P-1': duplicate: the same key already came from persons.csv line 2; this record was ignored");
    }

    /** Issue 8 §4: one unbalanced quote swallowed the next 50 lines into one record, reported as "1 rejected". */
    @Test
    void a_file_with_an_unbalanced_quote_at_line_12_is_refused_as_a_whole_naming_the_line() throws Exception {
        StringBuilder csv = new StringBuilder("id,login,email,role,status,last_name_latin,first_name_latin\n");
        for (int line = 2; line <= 62; line++) {
            String last = line == 12 ? "\"Abay" : line == 40 ? "\"Qunanbay\"" : "Name" + line;
            csv.append("P-%d,s%d,s%d@univ.kz,student,active,%s,First\n".formatted(line, line, line, last));
        }
        Files.writeString(dir.resolve("persons.csv"), csv.toString());

        assertThatThrownBy(() -> reader().persons())
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageStartingWith("persons.csv line 12: ")
                .hasMessageContaining("quote");
    }

    @Test
    void an_unbalanced_quote_that_runs_to_the_end_of_the_file_is_refused_naming_the_line_where_it_opened() throws Exception {
        StringBuilder csv = new StringBuilder("id,login,email,role,status,last_name_latin,first_name_latin\n");
        for (int line = 2; line <= 30; line++) {
            csv.append("P-%d,s%d,s%d@univ.kz,student,active,Name,%s\n".formatted(line, line, line, line == 12 ? "\"First" : "First"));
        }
        Files.writeString(dir.resolve("persons.csv"), csv.toString());

        assertThatThrownBy(() -> reader().persons())
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageStartingWith("persons.csv line 12: ")
                .hasMessageContaining("not closed");
    }

    @Test
    void a_line_with_more_or_fewer_fields_than_the_header_refuses_the_file_naming_the_line() throws Exception {
        Files.writeString(dir.resolve("enrolments.csv"), "section;person;role\nCS101;P-1;student\nCS101;P-2;student;extra\n");
        Files.writeString(dir.resolve("sections.csv"), "code;discipline;term;term_start;term_end\nCS101;CS101;2026-1;2026-09-01\n");

        assertThatThrownBy(() -> reader().enrolments())
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageStartingWith("enrolments.csv line 3: 4 fields where the header has 3");
        assertThatThrownBy(() -> reader().sections())
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageStartingWith("sections.csv line 2: 4 fields where the header has 5");
    }

    @Test
    void quoted_fields_may_hold_delimiters_quotes_and_line_breaks() throws Exception {
        Files.writeString(dir.resolve("sections.csv"), "code,discipline,title,term,term_start,term_end,teachers,hours,credits\r\n"
                + "CS101-2026-1,CS101,\"Программалау, негіздері \"\"1\"\"\nлекция\",2026-1,2026-09-01,25.12.2026,T-7|T-8,45,\"5,0\"\r\n");

        SourceBatch<Section> batch = reader().sections();

        assertThat(batch.errors()).isEmpty();
        Section s = batch.records().getFirst();
        assertThat(s.title()).isEqualTo("Программалау, негіздері \"1\"\nлекция");
        assertThat(s.termEnd()).isEqualTo("2026-12-25");
        assertThat(s.teachers()).containsExactly("T-7", "T-8");
        assertThat(s.credits()).isEqualTo(5.0);
    }

    @Test
    void timetable_times_without_an_offset_are_read_in_the_institution_zone() throws Exception {
        Files.writeString(dir.resolve("timetable.csv"), "id;section;start;end;kind;online_url;cameras\n"
                + "S-1;CS101;2026-09-02 08:00;2026-09-02 08:50;Lecture;https://bbb.univ.kz/b/cs1;no\n"
                + "S-2;CS101;2026-09-02T09:45:00+05:00;2026-09-02T08:55:00+05:00;seminar;;\n");

        SourceBatch<TimetableEntry> batch = reader().timetable();

        assertThat(batch.records()).hasSize(1);
        TimetableEntry e = batch.records().getFirst();
        assertThat(e.start()).isEqualTo(OffsetDateTime.parse("2026-09-02T08:00:00+05:00"));
        assertThat(e.online()).isTrue();
        assertThat(e.cameras()).isFalse();
        assertThat(e.kind()).isEqualTo("lecture");
        assertThat(batch.errors()).singleElement().hasToString(
                "timetable.csv line 3 (S-2): end = '2026-09-02T08:55:00+05:00': must be after the start (2026-09-02T09:45+05:00)");
    }

    @Test
    void a_file_in_a_legacy_cyrillic_code_page_is_refused_as_a_whole() throws Exception {
        Files.write(dir.resolve("persons.csv"), "id,login,last_name_ru,first_name_ru\nP-1,a,Иванов,Иван\n"
                .getBytes(Charset.forName("windows-1251")));

        assertThatThrownBy(() -> reader().persons())
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("persons.csv: not UTF-8");
    }

    @Test
    void a_source_configured_for_windows_1251_and_a_pipe_delimiter_reads_its_cyrillic_names() throws Exception {
        Files.write(dir.resolve("persons.csv"), "id|login|email|last_name_ru|first_name_ru\r\nP-1|a|a@univ.kz|\"Иванов|Петров\"|Иван\r\n"
                .getBytes(Charset.forName("windows-1251")));
        var format = new CsvPortalSource.Format(java.util.Optional.of('|'), Charset.forName("windows-1251"));
        var reader = new PortalReader(new CsvPortalSource(dir, Map.of(), FieldMapping.identity(), format), ALMATY);

        Person p = reader.persons().records().getFirst();

        assertThat(p.ru()).isEqualTo(new PersonName("Иван", "Иванов|Петров", null));
    }

    @Test
    void a_missing_file_makes_the_source_unavailable() {
        assertThatThrownBy(() -> reader().enrolments())
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("enrolments.csv");
    }

    @Test
    void columns_can_be_mapped_to_the_canonical_fields() throws Exception {
        Files.writeString(dir.resolve("students.csv"), "IIN,Login,Mail,Тегі,Аты\n020304500123,b.s,b@univ.kz,Сәтбаев,Қаныш\n");
        var mapping = FieldMapping.identity()
                .map(Entity.PERSONS, "id", "IIN").map(Entity.PERSONS, "login", "Login").map(Entity.PERSONS, "email", "Mail")
                .map(Entity.PERSONS, "last_name_kk", "Тегі").map(Entity.PERSONS, "first_name_kk", "Аты");
        var reader = new PortalReader(new CsvPortalSource(dir, Map.of(Entity.PERSONS, "students.csv"), mapping, CsvPortalSource.Format.DEFAULT), ALMATY);

        Person p = reader.persons().records().getFirst();

        assertThat(p.id()).isEqualTo("020304500123");
        assertThat(p.kk().full()).isEqualTo("Қаныш Сәтбаев");
    }

    @Test
    void grades_are_checked_against_their_scale() throws Exception {
        Files.writeString(dir.resolve("grades.csv"), "section,person,item,score,max\n"
                + "CS101,P-1,РК1,87.5,100\nCS101,P-1,exam,41,40\nCS101,P-2,bonus,5,100\nCS101,P-3,rk2,18,20\n");

        SourceBatch<GradeEntry> batch = reader().grades();

        assertThat(batch.records()).extracting(GradeEntry::key).containsExactly("CS101/P-1/RK1", "CS101/P-3/RK2");
        assertThat(batch.records().get(1).percent()).isEqualByComparingTo("90");
        assertThat(batch.errors()).extracting(RecordError::field).containsExactly("score", "item");
    }
}
