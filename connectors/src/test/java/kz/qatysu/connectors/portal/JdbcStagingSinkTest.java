package kz.qatysu.connectors.portal;

import com.zaxxer.hikari.HikariDataSource;
import kz.qatysu.database.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Results into the portal's staging tables on a real PostgreSQL: upserted by key, Kazakh text intact. */
class JdbcStagingSinkTest {
    HikariDataSource portal;

    @BeforeEach
    void setUp() throws Exception {
        portal = TestPostgres.freshDataSource("staging");
        try (var c = portal.getConnection(); var st = c.createStatement()) {
            st.execute("""
                    CREATE TABLE qatysu_grades (section text, person text, item text, score numeric, max numeric, letter text,
                        updated_at timestamptz, PRIMARY KEY (section, person, item));
                    CREATE TABLE qatysu_marks (section text, session text, person text, status text, late_minutes int, reason text,
                        updated_at timestamptz, PRIMARY KEY (session, person));
                    CREATE TABLE qatysu_standing (section text, person text, state text, absence_share numeric, absent_hours numeric,
                        planned_hours numeric, reason text, updated_at timestamptz, PRIMARY KEY (section, person));
                    CREATE TABLE qatysu_verdicts (section text, person text, exam text, exam_title text, attempt text PRIMARY KEY,
                        verdict text, score numeric, decided_at timestamptz, updated_at timestamptz);
                    """);
        }
    }

    @AfterEach
    void tearDown() {
        portal.close();
    }

    @Test
    void rows_are_upserted_so_a_repeated_push_changes_nothing_twice() {
        var sink = new JdbcStagingSink(portal, "qatysu_grades", "qatysu_marks", "qatysu_standing");

        sink.pushGrades(List.of(new PortalSink.GradeRow("CS101", "P-1", "EXAM", "73.00", "100.00", "C+")));
        sink.pushGrades(List.of(new PortalSink.GradeRow("CS101", "P-1", "EXAM", "91.00", "100.00", "A-")));
        sink.pushMarks(List.of(new PortalSink.MarkRow("CS101", "S-1", "P-1", "EXCUSED", null, "дәрігер анықтамасы")));
        sink.pushStanding(List.of(new PortalSink.StandingRow("CS101", "P-1", "LOCKED", "0.3333", "15.00", "45.00", "15 of 45 hours")));

        var db = org.jdbi.v3.core.Jdbi.create(portal);
        List<String> grades = db.withHandle(h -> h.createQuery("SELECT score || ' ' || letter FROM qatysu_grades").mapTo(String.class).list());
        String reason = db.withHandle(h -> h.createQuery("SELECT reason FROM qatysu_marks").mapTo(String.class).one());
        String state = db.withHandle(h -> h.createQuery("SELECT state FROM qatysu_standing").mapTo(String.class).one());
        assertThat(grades).containsExactly("91.00 A-");
        assertThat(reason).isEqualTo("дәрігер анықтамасы");
        assertThat(state).isEqualTo("LOCKED");
    }

    @Test
    void a_changed_verdict_replaces_the_attempts_row() {
        var sink = new JdbcStagingSink(portal, "qatysu_grades", "qatysu_marks", "qatysu_standing", "qatysu_verdicts");

        sink.pushVerdicts(List.of(new PortalSink.VerdictRow("CS201", "S-42", "EX-1", "Қорытынды емтихан", "A-1", "SUSPICIOUS", "0.5",
                "2026-12-18T09:31:05Z")));
        sink.pushVerdicts(List.of(new PortalSink.VerdictRow("CS201", "S-42", "EX-1", "Қорытынды емтихан", "A-1", "VIOLATION", "0",
                "2026-12-18T10:02:00Z")));

        var db = org.jdbi.v3.core.Jdbi.create(portal);
        List<String> rows = db.withHandle(h -> h.createQuery(
                "SELECT attempt || ' ' || verdict || ' ' || score || ' ' || exam_title FROM qatysu_verdicts").mapTo(String.class).list());
        assertThat(rows).containsExactly("A-1 VIOLATION 0 Қорытынды емтихан");
        assertThat(sink.describe()).endsWith(",qatysu_verdicts");
    }
}
