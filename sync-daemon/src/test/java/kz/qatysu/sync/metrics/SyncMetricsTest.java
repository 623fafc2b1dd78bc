package kz.qatysu.sync.metrics;

import com.github.tomakehurst.wiremock.WireMockServer;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import kz.qatysu.sync.SyncDaemonApp;
import kz.qatysu.sync.SyncSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/** The daemon's metrics on the Prometheus client: totals that add up across processes, /health and /ready. */
class SyncMetricsTest {
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

    private SyncSettings settings(int metricsPort) {
        Map<String, String> env = new HashMap<>(Map.of("QATYSU_DATA_DIR", dataDir.toString(), "QATYSU_ADMIN_TOKEN", "demo-admin-token-0123",
                "QATYSU_SYNC_TOOL_URL", tool.baseUrl(),
                "QATYSU_SYNC_PORTAL_CSV_FOLDER", Path.of("../config/demo-university").toAbsolutePath().toString(),
                "QATYSU_SYNC_JOBS_SECTIONS_ENABLED", "false", "QATYSU_SYNC_JOBS_TIMETABLE_ENABLED", "false",
                "QATYSU_SYNC_JOBS_ATTENDANCE_ENABLED", "false", "QATYSU_SYNC_METRICS_PORT", String.valueOf(metricsPort)));
        var problems = new ConfigProblems();
        SyncSettings s = SyncSettings.read(new ConfigReader(ConfigSource.load(Path.of("../config/sync-demo.yaml"), env), problems));
        assertThat(problems.list()).isEmpty();
        return s;
    }

    @Test
    void counters_add_up_across_processes_as_under_cron_in_the_textfile_and_on_the_endpoint() throws Exception {
        String url;
        try (var fresh = TestPostgres.freshDataSource("sync")) {
            url = fresh.getJdbcUrl();
        }
        // two cron runs: each one its own process (its own app, connectors and metrics) on the same database
        long firstRequests;
        try (SyncDaemonApp first = SyncDaemonApp.create(settings(0), process(url), Clock.systemUTC())) {
            first.runNow("sections", false, false);
            firstRequests = tool.getAllServeEvents().size();
        }
        assertThat(firstRequests).isPositive();
        Path textfile = dataDir.resolve("sync/metrics.prom");
        assertThat(value(Files.readString(textfile), "qatysu_sync_http_requests_total{target=\"tool\"}")).isEqualTo(firstRequests);
        tool.resetRequests();
        // the second run changes nothing in the tool, so it sends nothing: the total stays
        try (SyncDaemonApp second = SyncDaemonApp.create(settings(0), process(url), Clock.systemUTC())) {
            second.runNow("sections", false, false);
            tool.stubFor(put(anyUrl()).willReturn(aResponse().withStatus(204)));
            second.runNow("sections", false, true);
        }
        String text = Files.readString(textfile);
        assertThat(value(text, "qatysu_sync_runs_total{job=\"sections\",status=\"SUCCEEDED\"}")).isEqualTo(3);
        assertThat(value(text, "qatysu_sync_http_requests_total{target=\"tool\"}")).isEqualTo(firstRequests + tool.getAllServeEvents().size());
        assertThat(value(text, "qatysu_sync_applied_changes_total{job=\"sections\",target=\"qatysu.sections\"}")).isPositive();
        assertThat(text).doesNotContain("jvm_").contains("# TYPE qatysu_sync_last_run_exit_code gauge");

        // a long-lived daemon started later serves the same totals, and counts its own requests on top at once
        int port = freePort();
        try (SyncDaemonApp daemon = SyncDaemonApp.create(settings(port), process(url), Clock.systemUTC())) {
            daemon.start();
            String served = get(port, "/metrics").body();
            assertThat(value(served, "qatysu_sync_runs_total{job=\"sections\",status=\"SUCCEEDED\"}")).isEqualTo(3);
            assertThat(value(served, "qatysu_sync_http_requests_total{target=\"tool\"}"))
                    .isEqualTo(value(text, "qatysu_sync_http_requests_total{target=\"tool\"}"));
            assertThat(value(served, "qatysu_sync_last_run_exit_code{job=\"sections\"}")).isZero();
            assertThat(served).contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void health_and_ready_are_served_beside_the_metrics() throws Exception {
        Database db = TestPostgres.freshDatabase("sync");
        int port = freePort();
        try (SyncDaemonApp daemon = SyncDaemonApp.create(settings(port), db, Clock.systemUTC())) {
            daemon.start();
            var health = get(port, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
            var ready = get(port, "/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("{\"status\":\"ready\",\"components\":{\"database\":\"up\",\"migrations\":\"up\",\"scheduler\":\"up\"}}");
            db.jdbi().useHandle(h -> h.execute("UPDATE flyway_history_sync SET success = false WHERE version = '3'"));
            var notReady = get(port, "/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("\"migrations\":\"down\"");
        }
    }

    /** The database as a new process opens it: its own pool on the same database. */
    static Database process(String url) {
        var cfg = new com.zaxxer.hikari.HikariConfig();
        cfg.setJdbcUrl(url);
        cfg.setUsername("postgres");
        cfg.setMaximumPoolSize(5);
        return Database.wrap("sync", new com.zaxxer.hikari.HikariDataSource(cfg));
    }

    static double value(String exposition, String series) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws java.io.IOException {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
