package kz.qatysu.sync;

import com.github.tomakehurst.wiremock.WireMockServer;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.database.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/** The daemon as the demo starts it: Quartz with the JDBC job store on PostgreSQL firing the sections job. */
class SyncDaemonAppTest {
    @TempDir
    Path dataDir;
    WireMockServer tool;

    @BeforeEach
    void setUp() {
        tool = new WireMockServer(options().dynamicPort());
        tool.start();
        tool.stubFor(put(anyUrl()).willReturn(aResponse().withStatus(204)));
    }

    @AfterEach
    void tearDown() {
        tool.stop();
    }

    private SyncSettings settings(boolean clustered) {
        Map<String, String> env = new HashMap<>(Map.of("QATYSU_DATA_DIR", dataDir.toString(), "QATYSU_ADMIN_TOKEN", "demo-admin-token-0123",
                "QATYSU_SYNC_TOOL_URL", tool.baseUrl(),
                "QATYSU_SYNC_PORTAL_CSV_FOLDER", Path.of("../config/demo-university").toAbsolutePath().toString(),
                "QATYSU_SYNC_JOBS_SECTIONS_CRON", "* * * * * ?",
                "QATYSU_SYNC_JOBS_TIMETABLE_ENABLED", "false", "QATYSU_SYNC_JOBS_ATTENDANCE_ENABLED", "false",
                "QATYSU_SYNC_SCHEDULER_CLUSTERED", Boolean.toString(clustered), "QATYSU_SYNC_METRICS_PORT", "0"));
        var problems = new ConfigProblems();
        SyncSettings s = SyncSettings.read(new ConfigReader(ConfigSource.load(Path.of("../config/sync-demo.yaml"), env), problems));
        assertThat(problems.list()).isEmpty();
        return s;
    }

    @Test
    void the_scheduler_fires_the_job_from_the_postgresql_job_store_in_clustered_mode() throws Exception {
        var db = TestPostgres.freshDatabase("sync");
        SyncDaemonApp app = SyncDaemonApp.create(settings(true), db, Clock.systemUTC());
        app.start();
        try {
            Instant deadline = Instant.now().plusSeconds(30);
            String status = null;
            while (Instant.now().isBefore(deadline)) {
                status = db.jdbi().withHandle(h -> h.createQuery("SELECT status FROM sync_run WHERE job = 'sections' AND status <> 'RUNNING' ORDER BY id LIMIT 1")
                        .mapTo(String.class).findOne().orElse(null));
                if (status != null) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(status).isEqualTo("SUCCEEDED");
            String jobClass = db.jdbi().withHandle(h -> h.createQuery("SELECT job_class_name FROM qrtz_job_details WHERE job_name = 'sections'")
                    .mapTo(String.class).one());
            assertThat(jobClass).isEqualTo("kz.qatysu.sync.schedule.ScheduledSyncJob");
            int schedulerRows = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM qrtz_scheduler_state").mapTo(Integer.class).one());
            assertThat(schedulerRows).as("a clustered node checks in").isEqualTo(1);
            boolean timetableScheduled = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM qrtz_triggers WHERE trigger_name = 'timetable'")
                    .mapTo(Integer.class).one()) > 0;
            assertThat(timetableScheduled).as("disabled jobs have no trigger").isFalse();
            assertThat(app.metrics().render()).contains("qatysu_sync_runs_total{job=\"sections\",status=\"SUCCEEDED\"}");
        } finally {
            app.stop();
        }
    }

    @Test
    void the_scheduler_fires_the_reconciliation_which_reads_moodle_back_for_accounts_then_sections() throws Exception {
        var fake = new kz.qatysu.connectors.moodle.FakeMoodle();
        WireMockServer moodle = kz.qatysu.connectors.moodle.FakeMoodle.start(fake);
        var db = TestPostgres.freshDatabase("sync");
        Map<String, String> env = new HashMap<>(Map.of("QATYSU_DATA_DIR", dataDir.toString(), "QATYSU_ADMIN_TOKEN", "demo-admin-token-0123",
                "QATYSU_SYNC_TOOL_URL", tool.baseUrl(), "QATYSU_SYNC_MOODLE_URL", moodle.baseUrl(), "QATYSU_SYNC_MOODLE_TOKEN", "t0ken",
                "QATYSU_SYNC_PORTAL_CSV_FOLDER", Path.of("../config/demo-university").toAbsolutePath().toString(),
                "QATYSU_SYNC_JOBS_RECONCILE_CRON", "* * * * * ?", "QATYSU_SYNC_JOBS_ACCOUNTS_ENABLED", "false",
                "QATYSU_SYNC_JOBS_SECTIONS_ENABLED", "false", "QATYSU_SYNC_JOBS_TIMETABLE_ENABLED", "false"));
        env.put("QATYSU_SYNC_JOBS_ATTENDANCE_ENABLED", "false");
        env.put("QATYSU_SYNC_JOBS_GRADES_ENABLED", "false");
        var problems = new ConfigProblems();
        SyncSettings s = SyncSettings.read(new ConfigReader(ConfigSource.load(Path.of("../config/sync-demo.yaml"), env), problems));
        assertThat(problems.list()).isEmpty();
        SyncDaemonApp app = SyncDaemonApp.create(s, db, Clock.systemUTC());
        try {
            assertThat(app.runNow("accounts", false, false).status().name()).isEqualTo("SUCCEEDED");
            app.start();
            Instant deadline = Instant.now().plusSeconds(30);
            java.util.List<String> runs = java.util.List.of();
            while (runs.size() < 2 && Instant.now().isBefore(deadline)) {
                runs = db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT job || ' ' || status FROM sync_run WHERE mode = 'reconcile' AND status <> 'RUNNING' ORDER BY id LIMIT 2")
                        .mapTo(String.class).list());
                Thread.sleep(200);
            }
            assertThat(runs).containsExactly("accounts SUCCEEDED", "sections SUCCEEDED");
            assertThat(fake.calls("core_user_get_users_by_field")).as("accounts read back by id").isPositive();
        } finally {
            app.stop();
            moodle.stop();
        }
    }

    @Test
    void run_now_works_without_starting_the_scheduler_and_metrics_are_served() throws Exception {
        var db = TestPostgres.freshDatabase("sync");
        Map<String, String> env = Map.of();
        SyncSettings base = settings(false);
        SyncSettings withMetrics = new SyncSettings(base.process(), base.zone(), base.portal(), base.moodle(), base.openEdx(), base.tool(),
                base.suspendStatuses(), base.gradeDirections(), base.gradeComponents(), base.capacityWithCameras(), base.capacityWithoutCameras(), base.safety(),
                Map.of(), base.scheduler(), freePort(), base.metricsBind(), base.stateDir(), base.alertWebhook());
        try (SyncDaemonApp app = SyncDaemonApp.create(withMetrics, db, Clock.systemUTC())) {
            SyncRunReport r = app.runNow("timetable", false, false);
            assertThat(r.status().name()).isEqualTo("SUCCEEDED");
            assertThat(r.notes()).containsKey("video capacity: overloaded time slots (limits 400 with cameras, 600 without)");
            app.start();
            var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + withMetrics.metricsPort() + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).contains("qatysu_sync_http_requests_total{target=\"tool\"}")
                    .contains("qatysu_sync_last_run_exit_code{job=\"timetable\"} 0");
        }
        assertThat(env).isEmpty();
    }

    @Test
    void metrics_listen_on_loopback_only_by_default() throws Exception {
        var db = TestPostgres.freshDatabase("sync");
        SyncSettings base = settings(false);
        assertThat(base.metricsBind()).isEqualTo("127.0.0.1");
        SyncSettings withMetrics = new SyncSettings(base.process(), base.zone(), base.portal(), base.moodle(), base.openEdx(), base.tool(),
                base.suspendStatuses(), base.gradeDirections(), base.gradeComponents(), base.capacityWithCameras(), base.capacityWithoutCameras(), base.safety(),
                Map.of(), base.scheduler(), freePort(), base.metricsBind(), base.stateDir(), base.alertWebhook());
        try (SyncDaemonApp app = SyncDaemonApp.create(withMetrics, db, Clock.systemUTC())) {
            app.start();
            java.net.InetSocketAddress bound = app.metricsAddress().orElseThrow();
            assertThat(bound.getAddress().isLoopbackAddress()).as("bound to %s", bound).isTrue();
            assertThat(bound.getAddress().isAnyLocalAddress()).isFalse();
            assertThat(bound.getPort()).isEqualTo(withMetrics.metricsPort());
        }
    }

    @Test
    void metrics_listen_on_the_configured_address() throws Exception {
        var db = TestPostgres.freshDatabase("sync");
        SyncSettings base = settings(false);
        SyncSettings other = new SyncSettings(base.process(), base.zone(), base.portal(), base.moodle(), base.openEdx(), base.tool(),
                base.suspendStatuses(), base.gradeDirections(), base.gradeComponents(), base.capacityWithCameras(), base.capacityWithoutCameras(), base.safety(),
                Map.of(), base.scheduler(), freePort(), "127.0.0.2", base.stateDir(), base.alertWebhook());
        try (SyncDaemonApp app = SyncDaemonApp.create(other, db, Clock.systemUTC())) {
            app.start();
            assertThat(app.metricsAddress().orElseThrow().getAddress().getHostAddress()).isEqualTo("127.0.0.2");
        }
    }

    private static int freePort() throws java.io.IOException {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
