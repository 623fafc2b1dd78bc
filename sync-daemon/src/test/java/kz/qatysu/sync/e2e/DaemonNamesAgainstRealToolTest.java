package kz.qatysu.sync.e2e;

import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import kz.qatysu.sync.SyncDaemonApp;
import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.SyncSettings;
import kz.qatysu.sync.engine.RunStatus;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.CourseBrowser;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon sends the portal's names and logins with the rosters to the real tool over real HTTP: the dean's
 * standing table shows every student by name before anyone launched, and each login points at its portal person.
 */
class DaemonNamesAgainstRealToolTest {
    @TempDir
    static Path dataDir;
    static RunningTool tool;
    static Database syncDb;
    static SyncDaemonApp daemon;

    @BeforeAll
    static void start() {
        tool = RunningTool.start();
        String token = tool.app().apiAuth().issue("sync-daemon", EnumSet.of(Scope.SYNC, Scope.STANDING_READ)).token();
        Map<String, String> env = new HashMap<>(Map.of(
                "QATYSU_DATA_DIR", dataDir.toString(),
                "QATYSU_SYNC_TOOL_URL", tool.baseUrl(),
                "QATYSU_SYNC_TOOL_TOKEN", token,
                "QATYSU_SYNC_PORTAL_CSV_FOLDER", Path.of("../config/demo-university").toAbsolutePath().toString(),
                "QATYSU_SYNC_PORTAL_SINK_FOLDER", dataDir.resolve("outbox").toString(),
                "QATYSU_SYNC_METRICS_PORT", "0"));
        ConfigProblems problems = new ConfigProblems();
        SyncSettings settings = SyncSettings.read(new ConfigReader(ConfigSource.load(Path.of("../config/sync-demo.yaml"), env), problems));
        assertThat(problems.list()).isEmpty();
        syncDb = TestPostgres.freshDatabase("sync");
        daemon = SyncDaemonApp.create(settings, syncDb, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        daemon.close();
        syncDb.close();
        tool.close();
    }

    @Test
    void the_rosters_bring_the_portal_names_and_logins_and_the_deans_table_shows_names_before_anyone_launched() {
        SyncRunReport sections = daemon.runNow("sections", false, false);
        assertThat(sections.status()).as(sections.summary()).isEqualTo(RunStatus.SUCCEEDED);

        List<Map<String, Object>> people = tool.database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT e.person_id, p.display_name, p.family_name, p.source, l.login
                        FROM enrolment e LEFT JOIN person p ON p.person_id = e.person_id
                        LEFT JOIN person_login l ON l.person_id = e.person_id
                        WHERE e.section_id = 'CS101-2026F'""").mapToMap().list());
        assertThat(people).isNotEmpty().allSatisfy(p -> {
            assertThat(p.get("source")).as(p.toString()).isEqualTo("portal");
            assertThat((String) p.get("family_name")).as(p.toString()).isNotBlank();
            assertThat((String) p.get("login")).as(p.toString()).isNotBlank().isLowerCase();
        });

        Browser dean = new Browser();
        String form = dean.get(tool.baseUrl() + "/admin").body();
        assertThat(dean.postForm(tool.baseUrl() + "/admin/signin", Map.of("_csrf", CourseBrowser.csrfOf(form),
                "token", RunningTool.ADMIN_TOKEN)).statusCode()).isEqualTo(303);
        String table = dean.get(tool.baseUrl() + "/admin/sections/CS101-2026F").body();
        people.stream().filter(p -> ((String) p.get("person_id")).startsWith("P-"))
                .forEach(p -> assertThat(table).contains("<td>" + p.get("display_name") + "</td>"));

        // nothing changed in the portal: the next run writes nothing
        assertThat(daemon.runNow("sections", false, false).targets()).allSatisfy(t -> assertThat(t.applied()).isZero());
    }
}
