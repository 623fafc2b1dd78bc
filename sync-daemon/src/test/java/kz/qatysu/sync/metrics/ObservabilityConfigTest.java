package kz.qatysu.sync.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.database.TestPostgres;
import kz.qatysu.sync.SyncDaemonApp;
import kz.qatysu.sync.SyncSettings;
import kz.qatysu.tool.testing.RunningTool;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * config/observability: the alert rules pass {@code promtool check rules}, the Grafana dashboard is a dashboard, and
 * every qatysu_* metric either names is exposed by the running apps (the real tool and the real daemon, scraped).
 */
class ObservabilityConfigTest {
    static final Path RULES = Path.of("../config/observability/qatysu-alerts.yml");
    static final Path DASHBOARD = Path.of("../config/observability/qatysu-dashboard.json");
    static final Pattern METRIC = Pattern.compile("\\bqatysu_[a-z_]+");

    @TempDir
    Path dataDir;

    @Test
    void the_alert_rules_pass_promtool() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        boolean installed = Files.isExecutable(promtool);
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("promtool missing under CI (scripts/ensure-promtool.sh installs Debian's prometheus)");
        }
        assumeTrue(installed, "promtool missing (scripts/ensure-promtool.sh installs Debian's prometheus)");
        Process p = new ProcessBuilder(promtool.toString(), "check", "rules", RULES.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("SUCCESS");
    }

    @Test
    void the_dashboard_is_a_grafana_dashboard_whose_panels_all_query_prometheus() throws Exception {
        JsonNode d = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(d.path("uid").asText()).isEqualTo("qatysu-overview");
        assertThat(d.path("schemaVersion").asInt()).isPositive();
        assertThat(d.path("panels")).hasSizeGreaterThan(10);
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode panel : d.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("unique panel id").isTrue();
            assertThat(panel.path("title").asText()).isNotBlank();
            assertThat(panel.path("gridPos").path("w").asInt()).isBetween(1, 24);
            assertThat(panel.path("datasource").path("type").asText()).isEqualTo("prometheus");
            assertThat(panel.path("targets")).isNotEmpty().allSatisfy(t -> assertThat(t.path("expr").asText()).matches("(?s).*qatysu_.*"));
        }
    }

    @Test
    void every_metric_the_rules_and_the_dashboard_use_is_exposed_by_the_tool_or_the_daemon() throws Exception {
        Set<String> used = new TreeSet<>();
        for (Path f : new Path[] {RULES, DASHBOARD}) {
            Matcher m = METRIC.matcher(Files.readString(f));
            while (m.find()) {
                used.add(m.group());
            }
        }
        assertThat(used).hasSizeGreaterThan(20);

        StringBuilder exposed = new StringBuilder();
        HttpClient http = HttpClient.newHttpClient();
        WireMockServer toolStub = new WireMockServer(options().dynamicPort());
        try (RunningTool tool = RunningTool.start()) {
            // a request or two, so the latency histogram has series
            http.send(HttpRequest.newBuilder(URI.create(tool.baseUrl() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            exposed.append(http.send(HttpRequest.newBuilder(URI.create(tool.baseUrl() + "/metrics"))
                    .header("Authorization", "Bearer " + RunningTool.ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString()).body());

            toolStub.start();
            toolStub.stubFor(put(anyUrl()).willReturn(aResponse().withStatus(204)));
            int port;
            try (var s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            try (SyncDaemonApp daemon = SyncDaemonApp.create(settings(toolStub.baseUrl(), port), TestPostgres.freshDatabase("sync"),
                    Clock.systemUTC())) {
                daemon.runNow("sections", false, false);
                daemon.start();
                exposed.append(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
            }
        } finally {
            toolStub.stop();
        }
        Set<String> samples = new TreeSet<>();
        for (String line : exposed.toString().split("\n")) {
            Matcher m = Pattern.compile("^(qatysu_[a-z_]+)[{ ]").matcher(line);
            if (m.find()) {
                samples.add(m.group(1));
            }
        }
        assertThat(samples).as("series exposed by the tool and the daemon").containsAll(used);
    }

    private SyncSettings settings(String toolUrl, int metricsPort) {
        Map<String, String> env = new HashMap<>(Map.of("QATYSU_DATA_DIR", dataDir.toString(), "QATYSU_ADMIN_TOKEN", "demo-admin-token-0123",
                "QATYSU_SYNC_TOOL_URL", toolUrl,
                "QATYSU_SYNC_PORTAL_CSV_FOLDER", Path.of("../config/demo-university").toAbsolutePath().toString(),
                "QATYSU_SYNC_METRICS_PORT", String.valueOf(metricsPort)));
        var problems = new ConfigProblems();
        SyncSettings s = SyncSettings.read(new ConfigReader(ConfigSource.load(Path.of("../config/sync-demo.yaml"), env), problems));
        assertThat(problems.list()).isEmpty();
        return s;
    }
}
