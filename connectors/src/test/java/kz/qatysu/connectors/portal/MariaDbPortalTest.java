package kz.qatysu.connectors.portal;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real MariaDB (Debian's mariadb-server, started by the test): the SQL-view source reads a portal's views with
 * Kazakh and Russian names intact (utf8mb4), and the staging sink upserts with ON DUPLICATE KEY UPDATE, so a second
 * push updates the rows instead of adding any.
 */
class MariaDbPortalTest {
    static TestMariaDb server;
    static HikariDataSource portal;

    @BeforeAll
    static void portalDatabase() throws Exception {
        server = TestMariaDb.start();
        portal = server.dataSource();
        try (Connection c = portal.getConnection(); var st = c.createStatement()) {
            for (String sql : List.of(
                    """
                    CREATE TABLE student (iin VARCHAR(12) PRIMARY KEY, login VARCHAR(64), mail VARCHAR(128), state INT,
                        lastname_kz VARCHAR(100), firstname_kz VARCHAR(100), lastname_ru VARCHAR(100), firstname_ru VARCHAR(100),
                        grp VARCHAR(32))""",
                    """
                    CREATE TABLE stream (id VARCHAR(32) PRIMARY KEY, discipline VARCHAR(32), name_kz VARCHAR(200), term VARCHAR(16),
                        starts DATE, ends DATE, hours INT, credits DECIMAL(4,1))""",
                    "CREATE TABLE stream_student (stream VARCHAR(32), iin VARCHAR(12), since DATE)",
                    """
                    INSERT INTO student VALUES
                        ('020304500123', 'a.nurlan', 'a.nurlan@univ.kz', 1, 'Нұрланұлы', 'Әлихан', 'Нурланов', 'Алихан', 'ИС-21-1'),
                        ('020304500124', 'b.saule', 'b.saule@univ.kz', 3, 'Серікқызы', 'Сәуле', 'Сериковна', 'Сауле', 'ИС-21-1')""",
                    """
                    INSERT INTO stream VALUES ('CS101-2026-1', 'CS101', 'Бағдарламалау негіздері', '2026-1', '2026-09-01', '2026-12-25', 45, 5.0)""",
                    "INSERT INTO stream_student VALUES ('CS101-2026-1', '020304500123', '2026-09-01'), ('CS101-2026-1', '020304500124', NULL)",
                    // the views the sync reads, as a portal's DBA would write them in MariaDB: `group` and `end` need backticks
                    """
                    CREATE VIEW v_persons AS SELECT iin AS id, login, mail AS email, 'student' AS role,
                        CASE state WHEN 1 THEN 'active' WHEN 3 THEN 'academic-leave' ELSE 'graduated' END AS status,
                        grp AS `group`, lastname_kz AS last_name_kk, firstname_kz AS first_name_kk,
                        lastname_ru AS last_name_ru, firstname_ru AS first_name_ru FROM student""",
                    """
                    CREATE VIEW v_sections AS SELECT id AS code, discipline, name_kz AS title, term, starts AS term_start,
                        ends AS term_end, hours, credits FROM stream""",
                    "CREATE VIEW v_enrolments AS SELECT stream AS section, iin AS person, 'student' AS role, since FROM stream_student",
                    // the staging tables of docs/SYNC.md's MariaDB/MySQL DDL
                    """
                    CREATE TABLE qatysu_grades (section VARCHAR(64) NOT NULL, person VARCHAR(64) NOT NULL, item VARCHAR(128) NOT NULL,
                        score DECIMAL(9,2), max DECIMAL(9,2), letter VARCHAR(4), updated_at DATETIME(6),
                        PRIMARY KEY (section, person, item)) CHARACTER SET utf8mb4""",
                    """
                    CREATE TABLE qatysu_marks (section VARCHAR(64), session VARCHAR(64) NOT NULL, person VARCHAR(64) NOT NULL,
                        status VARCHAR(16), late_minutes INT, reason VARCHAR(1000), updated_at DATETIME(6),
                        PRIMARY KEY (session, person)) CHARACTER SET utf8mb4""",
                    """
                    CREATE TABLE qatysu_standing (section VARCHAR(64) NOT NULL, person VARCHAR(64) NOT NULL, state VARCHAR(16),
                        absence_share DECIMAL(6,4), absent_hours DECIMAL(9,2), planned_hours DECIMAL(9,2), reason VARCHAR(1000),
                        updated_at DATETIME(6), PRIMARY KEY (section, person)) CHARACTER SET utf8mb4""",
                    """
                    CREATE TABLE qatysu_verdicts (section VARCHAR(64), person VARCHAR(64), exam VARCHAR(64), exam_title VARCHAR(500),
                        attempt VARCHAR(64) NOT NULL PRIMARY KEY, verdict VARCHAR(16), score DECIMAL(9,4), decided_at DATETIME(6),
                        updated_at DATETIME(6)) CHARACTER SET utf8mb4""")) {
                st.execute(sql);
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (portal != null) {
            portal.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private PortalReader reader() {
        var source = new JdbcPortalSource(portal, SqlDialect.fromUrl(server.url()), Map.of(), FieldMapping.identity(), "mariadb");
        return new PortalReader(source, ZoneId.of("Asia/Almaty"));
    }

    @Test
    void persons_sections_and_enrolments_come_from_mariadb_views_with_kazakh_and_russian_intact() {
        SourceBatch<Person> persons = reader().persons();
        SourceBatch<Section> sections = reader().sections();
        SourceBatch<Enrolment> enrolments = reader().enrolments();

        assertThat(persons.errors()).isEmpty();
        assertThat(persons.records()).extracting(Person::id).containsExactlyInAnyOrder("020304500123", "020304500124");
        Person saule = persons.records().stream().filter(p -> p.id().equals("020304500124")).findFirst().orElseThrow();
        assertThat(saule.kk().full()).isEqualTo("Сәуле Серікқызы");
        assertThat(saule.ru().full()).isEqualTo("Сауле Сериковна");
        assertThat(saule.status()).isEqualTo(Person.Status.ACADEMIC_LEAVE);
        assertThat(saule.group()).isEqualTo("ИС-21-1");

        assertThat(sections.errors()).isEmpty();
        Section s = sections.records().getFirst();
        assertThat(s.title()).isEqualTo("Бағдарламалау негіздері");
        assertThat(s.termStart()).isEqualTo(LocalDate.of(2026, 9, 1));
        assertThat(s.termEnd()).isEqualTo(LocalDate.of(2026, 12, 25));
        assertThat(s.hours()).isEqualTo(45);
        assertThat(s.credits()).isEqualTo(5.0);

        assertThat(enrolments.errors()).isEmpty();
        assertThat(enrolments.records()).extracting(Enrolment::key)
                .containsExactlyInAnyOrder("CS101-2026-1/020304500123", "CS101-2026-1/020304500124");
    }

    @Test
    void a_second_push_of_every_kind_updates_the_rows_and_adds_none() throws Exception {
        Instant first = Instant.parse("2026-12-18T09:00:00.123456Z");
        Instant second = Instant.parse("2026-12-18T10:30:00Z");
        // jdbc:mysql: as a MySQL operator would write it: the same driver, the same dialect
        String mysqlUrl = server.url().replace("jdbc:mariadb:", "jdbc:mysql:");
        assertThat(SqlDialect.fromUrl(mysqlUrl)).isEqualTo(SqlDialect.MARIADB);
        assertThat(SqlDialect.driverUrl(mysqlUrl)).isEqualTo(server.url());
        for (Instant at : List.of(first, second)) {
            boolean again = at.equals(second);
            var sink = new JdbcStagingSink(portal, SqlDialect.MARIADB, Clock.fixed(at, ZoneOffset.UTC),
                    "qatysu_grades", "qatysu_marks", "qatysu_standing", "qatysu_verdicts");
            sink.pushGrades(List.of(
                    new PortalSink.GradeRow("CS101-2026-1", "020304500123", "EXAM", again ? "91.00" : "73.00", "100.00", again ? "A-" : "C+"),
                    new PortalSink.GradeRow("CS101-2026-1", "020304500124", "EXAM", "55.50", "100.00", "D")));
            sink.pushMarks(List.of(new PortalSink.MarkRow("CS101-2026-1", "S-1", "020304500123", again ? "EXCUSED" : "LATE",
                    again ? null : 12, again ? "дәрігер анықтамасы" : null)));
            sink.pushStanding(List.of(new PortalSink.StandingRow("CS101-2026-1", "020304500123", again ? "LOCKED" : "WARNED",
                    again ? "0.3333" : "0.2000", again ? "15.00" : "9.00", "45.00", again ? "15 из 45 часов" : "9 of 45 hours")));
            sink.pushVerdicts(List.of(new PortalSink.VerdictRow("CS101-2026-1", "020304500123", "EX-1", "Қорытынды емтихан", "A-1",
                    again ? "VIOLATION" : "SUSPICIOUS", again ? "" : "0.5", again ? "2026-12-18T15:02:00+05:00" : "2026-12-18T09:31:05Z")));
        }

        assertThat(rows("SELECT person, score, letter, updated_at FROM qatysu_grades ORDER BY person")).containsExactly(
                "020304500123 91.00 A- 2026-12-18 10:30:00.000000", "020304500124 55.50 D 2026-12-18 10:30:00.000000");
        assertThat(rows("SELECT section, status, late_minutes, reason FROM qatysu_marks"))
                .containsExactly("CS101-2026-1 EXCUSED null дәрігер анықтамасы");
        assertThat(rows("SELECT state, absence_share, absent_hours, planned_hours, reason FROM qatysu_standing"))
                .containsExactly("LOCKED 0.3333 15.00 45.00 15 из 45 часов");
        assertThat(rows("SELECT attempt, verdict, score, exam_title, decided_at FROM qatysu_verdicts"))
                .containsExactly("A-1 VIOLATION null Қорытынды емтихан 2026-12-18 10:02:00.000000");
    }

    @Test
    void the_shipped_mariadb_driver_accepts_the_mysql_scheme_only_through_driver_url() throws Exception {
        String mysqlUrl = server.url().replace("jdbc:mariadb:", "jdbc:mysql:");
        assertThatThrownBy(() -> DriverManager.getConnection(mysqlUrl, TestMariaDb.USER, TestMariaDb.PASSWORD).close())
                .isInstanceOf(java.sql.SQLException.class);
        try (Connection c = DriverManager.getConnection(SqlDialect.driverUrl(mysqlUrl), TestMariaDb.USER, TestMariaDb.PASSWORD);
             var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM v_persons")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    /** Each row as its columns' text (as MariaDB renders it) joined by spaces. */
    private static List<String> rows(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = portal.getConnection(); var st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> cols = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    cols.add(rs.getString(i));
                }
                out.add(String.join(" ", cols));
            }
        }
        return out;
    }
}
