package kz.qatysu.connectors.portal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SQL each portal database gets. PostgreSQL and MariaDB run it in JdbcStagingSinkTest and MariaDbPortalTest; no
 * SQL Server or Oracle server can run here, so their statements are pinned as text (checked by hand against each
 * database's MERGE grammar) and docs/SYNC.md says they were not run.
 */
class SqlDialectTest {
    static final List<String> COLUMNS = List.of("section", "session", "person", "status", "updated_at");
    static final List<String> KEY = List.of("session", "person");

    @Test
    void the_dialect_is_picked_from_the_jdbc_url() {
        assertThat(SqlDialect.fromUrl("jdbc:postgresql://db.univ.kz/portal")).isEqualTo(SqlDialect.POSTGRESQL);
        assertThat(SqlDialect.fromUrl("jdbc:mariadb://db.univ.kz:3306/platonus")).isEqualTo(SqlDialect.MARIADB);
        assertThat(SqlDialect.fromUrl("jdbc:mysql://db.univ.kz:3306/platonus?useSSL=true")).isEqualTo(SqlDialect.MARIADB);
        assertThat(SqlDialect.fromUrl("jdbc:sqlserver://db.univ.kz:1433;databaseName=univer;encrypt=true")).isEqualTo(SqlDialect.SQLSERVER);
        assertThat(SqlDialect.fromUrl("jdbc:oracle:thin:@//db.univ.kz:1521/PORTAL")).isEqualTo(SqlDialect.ORACLE);
    }

    @Test
    void an_unsupported_url_is_refused_listing_the_supported_prefixes() {
        for (String url : List.of("jdbc:oracle:oci:@PORTAL", "jdbc:db2://db:50000/x", "jdbc:h2:mem:x", "postgresql://db/portal", "")) {
            assertThatThrownBy(() -> SqlDialect.fromUrl(url))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a JDBC URL of a supported portal database expected (jdbc:postgresql:, jdbc:mariadb:, jdbc:mysql:, "
                            + "jdbc:sqlserver:, jdbc:oracle:thin:)");
        }
    }

    @Test
    void the_mysql_scheme_goes_to_the_mariadb_driver_and_other_urls_unchanged() {
        assertThat(SqlDialect.driverUrl("jdbc:mysql://db:3306/p?useSSL=true")).isEqualTo("jdbc:mariadb://db:3306/p?useSSL=true");
        assertThat(SqlDialect.driverUrl("jdbc:sqlserver://db:1433;databaseName=u")).isEqualTo("jdbc:sqlserver://db:1433;databaseName=u");
    }

    @Test
    void each_database_quotes_a_schema_qualified_view_its_own_way() {
        assertThat(SqlDialect.POSTGRESQL.qualified("platonus.v_persons")).isEqualTo("\"platonus\".\"v_persons\"");
        assertThat(SqlDialect.MARIADB.qualified("platonus.v_persons")).isEqualTo("`platonus`.`v_persons`");
        assertThat(SqlDialect.SQLSERVER.qualified("dbo.v_persons")).isEqualTo("[dbo].[v_persons]");
        // Oracle folds unquoted names to upper case: "V_PERSONS" is the view created as CREATE VIEW v_persons
        assertThat(SqlDialect.ORACLE.qualified("platonus.v_persons")).isEqualTo("\"PLATONUS\".\"V_PERSONS\"");
        assertThatThrownBy(() -> SqlDialect.MARIADB.qualified("v`; DROP TABLE x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a plain SQL identifier");
    }

    @Test
    void postgresql_upserts_with_on_conflict() {
        assertThat(SqlDialect.POSTGRESQL.upsert("qatysu_marks", COLUMNS, KEY)).isEqualTo(
                "INSERT INTO \"qatysu_marks\" (\"section\", \"session\", \"person\", \"status\", \"updated_at\") VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (\"session\", \"person\") DO UPDATE SET \"section\" = EXCLUDED.\"section\", "
                        + "\"status\" = EXCLUDED.\"status\", \"updated_at\" = EXCLUDED.\"updated_at\"");
    }

    @Test
    void mariadb_and_mysql_upsert_with_on_duplicate_key_update() {
        assertThat(SqlDialect.MARIADB.upsert("qatysu_marks", COLUMNS, KEY)).isEqualTo(
                "INSERT INTO `qatysu_marks` (`section`, `session`, `person`, `status`, `updated_at`) VALUES (?, ?, ?, ?, ?) "
                        + "ON DUPLICATE KEY UPDATE `section` = VALUES(`section`), `status` = VALUES(`status`), "
                        + "`updated_at` = VALUES(`updated_at`)");
    }

    @Test
    void sql_server_merges_under_holdlock_from_a_values_row_ending_with_a_semicolon() {
        assertThat(SqlDialect.SQLSERVER.upsert("dbo.qatysu_marks", COLUMNS, KEY)).isEqualTo(
                "MERGE INTO [dbo].[qatysu_marks] WITH (HOLDLOCK) AS tgt USING (VALUES (?, ?, ?, ?, ?)) "
                        + "AS src ([section], [session], [person], [status], [updated_at]) "
                        + "ON tgt.[session] = src.[session] AND tgt.[person] = src.[person] "
                        + "WHEN MATCHED THEN UPDATE SET tgt.[section] = src.[section], tgt.[status] = src.[status], "
                        + "tgt.[updated_at] = src.[updated_at] "
                        + "WHEN NOT MATCHED THEN INSERT ([section], [session], [person], [status], [updated_at]) "
                        + "VALUES (src.[section], src.[session], src.[person], src.[status], src.[updated_at]);");
    }

    @Test
    void oracle_merges_from_a_row_selected_from_dual_without_a_semicolon() {
        assertThat(SqlDialect.ORACLE.upsert("qatysu_marks", COLUMNS, KEY)).isEqualTo(
                "MERGE INTO \"QATYSU_MARKS\" tgt USING (SELECT ? AS \"SECTION\", ? AS \"SESSION\", ? AS \"PERSON\", ? AS \"STATUS\", "
                        + "? AS \"UPDATED_AT\" FROM dual) src "
                        + "ON (tgt.\"SESSION\" = src.\"SESSION\" AND tgt.\"PERSON\" = src.\"PERSON\") "
                        + "WHEN MATCHED THEN UPDATE SET tgt.\"SECTION\" = src.\"SECTION\", tgt.\"STATUS\" = src.\"STATUS\", "
                        + "tgt.\"UPDATED_AT\" = src.\"UPDATED_AT\" "
                        + "WHEN NOT MATCHED THEN INSERT (\"SECTION\", \"SESSION\", \"PERSON\", \"STATUS\", \"UPDATED_AT\") "
                        + "VALUES (src.\"SECTION\", src.\"SESSION\", src.\"PERSON\", src.\"STATUS\", src.\"UPDATED_AT\")");
    }

    @Test
    void every_dialect_binds_as_many_parameters_as_the_sink_has_columns() {
        var tables = java.util.Map.of(JdbcStagingSink.GRADE_COLUMNS, JdbcStagingSink.GRADE_KEY, JdbcStagingSink.MARK_COLUMNS,
                JdbcStagingSink.MARK_KEY, JdbcStagingSink.STANDING_COLUMNS, JdbcStagingSink.STANDING_KEY, JdbcStagingSink.VERDICT_COLUMNS,
                JdbcStagingSink.VERDICT_KEY);
        for (SqlDialect d : SqlDialect.values()) {
            tables.forEach((columns, keys) -> {
                String sql = d.upsert("t", columns, keys);
                assertThat(sql.chars().filter(ch -> ch == '?').count()).as(d + " " + sql).isEqualTo(columns.size());
            });
        }
    }

    @Test
    void key_columns_must_be_some_of_the_columns() {
        assertThatThrownBy(() -> SqlDialect.ORACLE.upsert("t", List.of("a", "b"), List.of("c")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[c]");
        assertThatThrownBy(() -> SqlDialect.ORACLE.upsert("t", List.of("a", "b"), List.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void offset_timestamps_are_recognised_by_each_databases_type_name() {
        assertThat(SqlDialect.POSTGRESQL.isOffsetDateTime("timestamptz")).isTrue();
        assertThat(SqlDialect.SQLSERVER.isOffsetDateTime("datetimeoffset")).isTrue();
        assertThat(SqlDialect.ORACLE.isOffsetDateTime("TIMESTAMP WITH TIME ZONE")).isTrue();
        assertThat(SqlDialect.MARIADB.isOffsetDateTime("DATETIME")).isFalse();
        assertThat(SqlDialect.ORACLE.isOffsetDateTime("DATE")).isFalse();
    }
}
