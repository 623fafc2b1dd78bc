package kz.qatysu.sync;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.zaxxer.hikari.HikariDataSource;
import kz.qatysu.database.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/** The CLI end to end: the demo university's CSV files → the tool's API (WireMock), on a real PostgreSQL. */
class SyncCliTest {
    @TempDir
    Path dataDir;
    WireMockServer tool;
    HikariDataSource db;
    Map<String, String> env;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        tool = new WireMockServer(options().dynamicPort());
        tool.start();
        tool.stubFor(put(anyUrl()).willReturn(aResponse().withStatus(204)));
        db = TestPostgres.freshDataSource("synccli");
        env = new HashMap<>(Map.of(
                "QATYSU_DB_URL", db.getJdbcUrl(), "QATYSU_DB_USER", "postgres", "QATYSU_DATA_DIR", dataDir.toString(),
                "QATYSU_ADMIN_TOKEN", "demo-admin-token-0123",
                "QATYSU_SYNC_TOOL_URL", tool.baseUrl(),
                "QATYSU_SYNC_PORTAL_CSV_FOLDER", Path.of("../config/demo-university").toAbsolutePath().toString(),
                "QATYSU_SYNC_PORTAL_SINK_FOLDER", dataDir.resolve("outbox").toString()));
    }

    @AfterEach
    void tearDown() {
        tool.stop();
        db.close();
    }

    private int cli(String... args) {
        out.reset();
        err.reset();
        return SyncCli.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void help_lists_commands_jobs_and_exit_codes() {
        assertThat(cli("help")).isZero();
        assertThat(out()).contains("run <job> [--dry-run] [--force]", "accounts, sections, timetable, grades, attendance", "2 refused by the safety valve");
    }

    @Test
    void usage_errors_exit_64_and_configuration_errors_exit_78_naming_keys_and_variables() {
        assertThat(cli("run")).isEqualTo(64);
        assertThat(cli("frobnicate")).isEqualTo(64);
        assertThat(cli("--config", "../config/sync-demo.yaml", "run", "nosuch")).isEqualTo(64);
        assertThat(err()).contains("unknown job 'nosuch'");

        env.put("QATYSU_SYNC_JOBS_TIMETABLE_CRON", "at midnight");
        assertThat(cli("--config", "../config/sync-demo.yaml", "status")).isEqualTo(78);
        assertThat(err()).contains("sync.jobs.timetable.cron").contains("[env QATYSU_SYNC_JOBS_TIMETABLE_CRON]");
    }

    @Test
    void the_demo_university_syncs_into_the_tool_and_a_second_run_makes_no_calls() {
        assertThat(cli("--config", "../config/sync-demo.yaml", "plan", "sections")).isZero();
        assertThat(out()).contains("DRY_RUN").contains("create qatysu.sections INF101-2026-1: new in the portal");
        assertThat(tool.getAllServeEvents()).isEmpty();

        assertThat(cli("--config", "../config/sync-demo.yaml", "run", "sections")).as(out() + err()).isZero();
        assertThat(cli("--config", "../config/sync-demo.yaml", "run", "timetable")).as(out() + err()).isZero();
        assertThat(out()).contains("qatysu.sessions");
        tool.verify(putRequestedFor(urlEqualTo("/api/v1/sections/INF101-2026-1/sessions")));
        tool.verify(putRequestedFor(urlEqualTo("/api/v1/sections/KAZ103-2026-1/enrolments")));
        int calls = tool.getAllServeEvents().size();

        assertThat(cli("--config", "../config/sync-demo.yaml", "run", "sections", "--json")).isZero();
        assertThat(out()).startsWith("{").contains("\"status\":\"SUCCEEDED\"");
        assertThat(cli("--config", "../config/sync-demo.yaml", "run", "timetable")).isZero();
        assertThat(tool.getAllServeEvents()).hasSize(calls);

        assertThat(cli("--config", "../config/sync-demo.yaml", "status")).isZero();
        assertThat(out()).contains("sections").contains("SUCCEEDED").contains("timetable");
        assertThat(dataDir.resolve("sync/reports/sections-last.txt")).exists();
        assertThat(dataDir.resolve("sync/metrics.prom")).content()
                .contains("qatysu_sync_runs_total{job=\"sections\",status=\"SUCCEEDED\"} 2")
                .contains("qatysu_sync_runs_total{job=\"timetable\",status=\"SUCCEEDED\"} 2");
    }

    @Test
    void check_reads_the_portal_exports_and_reports_what_it_found() {
        assertThat(cli("--config", "../config/sync-demo.yaml", "check")).as(out() + err()).isZero();
        assertThat(out()).contains("ok    portal persons: 59 rows, 59 good, 0 rejected")
                .contains("ok    portal timetable: 120 rows").contains("ok    tool");
    }

    @Test
    void reconcile_reads_moodle_back_shows_the_drift_in_a_dry_run_and_repairs_it() {
        assertThat(cli("--config", "../config/sync-demo.yaml", "reconcile")).isZero();
        assertThat(out()).contains("nothing to reconcile");
        assertThat(cli("--config", "../config/sync-demo.yaml", "reconcile", "sections")).isEqualTo(64);
        assertThat(cli("--config", "../config/sync-demo.yaml", "run", "reconcile")).as("the timer template's form").isZero();
        assertThat(out()).contains("nothing to reconcile");

        var fake = new kz.qatysu.connectors.moodle.FakeMoodle();
        WireMockServer moodle = kz.qatysu.connectors.moodle.FakeMoodle.start(fake);
        try {
            env.put("QATYSU_SYNC_MOODLE_URL", moodle.baseUrl());
            env.put("QATYSU_SYNC_MOODLE_TOKEN", "t0ken");
            assertThat(cli("--config", "../config/sync-demo.yaml", "run", "accounts")).as(out() + err()).isZero();
            assertThat(cli("--config", "../config/sync-demo.yaml", "run", "sections")).as(out() + err()).isZero();
            var course = fake.enrolments.entrySet().stream().filter(e -> !e.getValue().isEmpty()).findFirst().orElseThrow();
            long user = course.getValue().keySet().iterator().next();
            course.getValue().remove(user); // unenrolled by hand in Moodle
            long writes = fake.writeCalls();

            assertThat(cli("--config", "../config/sync-demo.yaml", "reconcile", "--dry-run")).as(out() + err()).isZero();
            assertThat(out()).contains("sync reconcile accounts: DRY_RUN").contains("sync reconcile sections: DRY_RUN")
                    .contains("moodle.enrolments missing: 1").contains("planned repairs:")
                    .contains("drift: user #" + user + " is not enrolled in Moodle course #" + course.getKey());
            assertThat(fake.writeCalls()).isEqualTo(writes);

            assertThat(cli("--config", "../config/sync-demo.yaml", "run", "reconcile")).as(out() + err()).isZero();
            assertThat(out()).contains("sync reconcile sections: SUCCEEDED");
            assertThat(course.getValue()).containsKey(user);
        } finally {
            moodle.stop();
        }
    }
}
