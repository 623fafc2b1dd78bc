package kz.qatysu.connectors.portal;

import com.zaxxer.hikari.HikariDataSource;
import kz.qatysu.database.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A real PostgreSQL with portal-like tables and the views a portal's DBA would expose to us. */
class JdbcPortalSourceTest {
    static HikariDataSource portalDb;

    @BeforeAll
    static void portalDatabase() throws Exception {
        portalDb = TestPostgres.freshDataSource("portal");
        try (Connection c = portalDb.getConnection(); var st = c.createStatement()) {
            st.execute("""
                    CREATE SCHEMA platonus;
                    CREATE TABLE platonus.student (
                        iin varchar(12) PRIMARY KEY, login text, mail text, state int,
                        lastname_kz text, firstname_kz text, lastname_ru text, firstname_ru text, grp text);
                    CREATE TABLE platonus.lesson (id text, stream text, starts timestamptz, ends timestamptz, online boolean);
                    INSERT INTO platonus.student VALUES
                        ('020304500123', 'a.nurlan', 'a.nurlan@univ.kz', 1, 'Нұрланұлы', 'Әлихан', 'Нурланов', 'Алихан', 'ИС-21-1'),
                        ('020304500124', 'b.saule', 'b.saule@univ.kz', 3, 'Серікқызы', 'Сәуле', NULL, NULL, 'ИС-21-1'),
                        ('020304500125', 'c.broken', 'broken-mail', 1, 'Ғалымжан', 'Үміт', NULL, NULL, 'ИС-21-2');
                    INSERT INTO platonus.lesson VALUES ('L-1', 'CS101-2026-1', '2026-09-02 08:00+05', '2026-09-02 08:50+05', true);
                    -- the views the sync reads: portal vocabulary mapped onto ours in SQL
                    CREATE VIEW platonus.v_persons AS
                        SELECT iin AS id, login, mail AS email, 'student' AS role,
                               CASE state WHEN 1 THEN 'active' WHEN 2 THEN 'expelled' WHEN 3 THEN 'academic-leave' ELSE 'graduated' END AS status,
                               grp AS "group", lastname_kz AS last_name_kk, firstname_kz AS first_name_kk,
                               lastname_ru AS last_name_ru, firstname_ru AS first_name_ru
                        FROM platonus.student;
                    CREATE VIEW platonus.v_timetable AS
                        SELECT id, stream AS section, starts AS start, ends AS "end", online FROM platonus.lesson;
                    """);
        }
    }

    @AfterAll
    static void close() {
        portalDb.close();
    }

    private PortalReader reader() {
        var source = new JdbcPortalSource(portalDb, Map.of(Entity.PERSONS, "platonus.v_persons", Entity.TIMETABLE, "platonus.v_timetable"),
                FieldMapping.identity(), "platonus");
        return new PortalReader(source, ZoneId.of("Asia/Almaty"));
    }

    @Test
    void persons_come_from_the_view_with_kazakh_text_intact_and_bad_rows_reported() {
        SourceBatch<Person> batch = reader().persons();

        assertThat(batch.records()).extracting(Person::id).containsExactly("020304500123", "020304500124");
        assertThat(batch.records().getFirst().kk().full()).isEqualTo("Әлихан Нұрланұлы");
        assertThat(batch.records().get(1).status()).isEqualTo(Person.Status.ACADEMIC_LEAVE);
        assertThat(batch.errors()).singleElement().satisfies(e -> {
            assertThat(e.ref()).isEqualTo("platonus.v_persons row 3");
            assertThat(e.key()).isEqualTo("020304500125");
            assertThat(e.field()).isEqualTo("email");
            assertThat(e.value()).isEqualTo("broken-mail");
        });
    }

    @Test
    void timestamptz_columns_keep_their_instant() {
        TimetableEntry e = reader().timetable().records().getFirst();
        assertThat(e.start().toInstant()).isEqualTo(OffsetDateTime.parse("2026-09-02T08:00:00+05:00").toInstant());
        assertThat(e.online()).isTrue();
    }

    @Test
    void a_missing_view_makes_the_source_unavailable_naming_it() {
        assertThatThrownBy(() -> reader().sections())
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("v_sections");
    }

    @Test
    void a_view_name_that_is_not_a_plain_identifier_is_refused() {
        assertThatThrownBy(() -> new JdbcPortalSource(portalDb, Map.of(Entity.PERSONS, "v; DROP TABLE x"), FieldMapping.identity(), "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a plain SQL identifier");
    }
}
