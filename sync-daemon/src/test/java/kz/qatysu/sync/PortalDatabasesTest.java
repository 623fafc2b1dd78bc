package kz.qatysu.sync;

import kz.qatysu.config.ConfigProblem;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.connectors.portal.SqlDialect;
import org.junit.jupiter.api.Test;

import java.sql.Driver;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal databases the daemon reads views from and writes staging tables to: the URLs sync.portal.jdbc.url
 * accepts, and the drivers the daemon ships for them (runtime dependencies, so the dist tarball carries them).
 */
class PortalDatabasesTest {
    static final Map<String, String> URLS = Map.of(
            "jdbc:postgresql://db.univ.kz:5432/portal", "org.postgresql.Driver",
            "jdbc:mariadb://db.univ.kz:3306/platonus", "org.mariadb.jdbc.Driver",
            "jdbc:mysql://db.univ.kz:3306/platonus?sslMode=verify-full", "org.mariadb.jdbc.Driver",
            "jdbc:sqlserver://db.univ.kz:1433;databaseName=univer;encrypt=true", "com.microsoft.sqlserver.jdbc.SQLServerDriver",
            "jdbc:oracle:thin:@//db.univ.kz:1521/PORTAL", "oracle.jdbc.OracleDriver");

    private static List<ConfigProblem> problems(String url) {
        var problems = new ConfigProblems();
        SyncSettings.read(new ConfigReader(ConfigSource.of("sync: {portal: {kind: jdbc, jdbc: {url: '" + url + "'}}}", Map.of()),
                problems));
        return problems.list().stream().filter(p -> p.path().startsWith("sync.portal")).toList();
    }

    @Test
    void postgresql_mariadb_mysql_sql_server_and_oracle_urls_are_accepted() {
        for (String url : URLS.keySet()) {
            assertThat(problems(url)).as(url).isEmpty();
        }
    }

    @Test
    void any_other_url_is_refused_naming_the_key_with_the_password_masked() {
        assertThat(problems("jdbc:db2://db.univ.kz:50000/portal:password=hunter2;")).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("sync.portal.jdbc.url");
            assertThat(p.problem()).contains("jdbc:mariadb:", "jdbc:sqlserver:", "jdbc:oracle:thin:", "<masked>").doesNotContain("hunter2");
        });
        assertThat(problems("jdbc:oracle:oci:scott/hunter2@PORTAL")).singleElement().satisfies(p ->
                assertThat(p.problem()).doesNotContain("hunter2"));
    }

    @Test
    void the_daemon_ships_a_driver_for_every_accepted_url() throws Exception {
        for (var e : URLS.entrySet()) {
            Driver driver = DriverManager.getDriver(SqlDialect.driverUrl(e.getKey()));
            assertThat(driver.getClass().getName()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(driver.acceptsURL(SqlDialect.driverUrl(e.getKey()))).isTrue();
        }
    }

    @Test
    void an_oracle_password_written_into_the_url_is_masked() {
        assertThat(kz.qatysu.config.DatabaseSettings.maskJdbcPassword("jdbc:oracle:thin:sync/hunter2@//db.univ.kz:1521/PORTAL"))
                .isEqualTo("jdbc:oracle:thin:sync/<masked>@//db.univ.kz:1521/PORTAL");
        assertThat(kz.qatysu.config.DatabaseSettings.maskJdbcPassword("jdbc:sqlserver://db:1433;user=sync;password=hunter2;encrypt=true"))
                .isEqualTo("jdbc:sqlserver://db:1433;user=sync;password=<masked>;encrypt=true");
    }
}
