package kz.qatysu.tool.observe;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ObservabilityTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static RunningTool tool;
    static TestPlatform platform;
    static String metricsToken;

    @BeforeAll
    static void start() throws Exception {
        // the test's own address is a trusted proxy: its X-Request-Id is kept when well-formed
        tool = RunningTool.start(Map.of("QATYSU_HTTP_TRUSTED_PROXIES", "127.0.0.1"), Clock.systemUTC());
        platform = new TestPlatform("http://127.0.0.1:8131", "observe-client", "1");
        new LtiFlow(tool, platform, new Browser()).register();
        var issued = send("POST", "/api/v1/admin/tokens", "{\"name\":\"prometheus\",\"scopes\":[\"metrics\"]}", RunningTool.ADMIN_TOKEN, Map.of());
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        Matcher m = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(issued.body());
        assertThat(m.find()).isTrue();
        metricsToken = m.group(1);
    }

    @AfterAll
    static void stop() {
        tool.close();
        platform.close();
    }

    @Test
    void health_and_ready_answer_without_sign_in_and_name_only_components() throws Exception {
        var health = send("GET", "/health", null, null, Map.of());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
        var ready = send("GET", "/ready", null, null, Map.of());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"ready\",\"components\":{\"database\":\"up\",\"migrations\":\"up\"}}");
    }

    @Test
    void ready_is_503_while_a_migration_of_this_build_is_not_applied() throws Exception {
        var jdbi = tool.database().jdbi();
        String version = jdbi.withHandle(h -> h.createQuery(
                "SELECT version FROM flyway_history_tool WHERE version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1").mapTo(String.class).one());
        jdbi.useHandle(h -> h.execute("UPDATE flyway_history_tool SET success = false WHERE version = ?", version));
        try {
            var ready = send("GET", "/ready", null, null, Map.of());
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"migrations\":\"down\"").contains("\"database\":\"up\"").doesNotContain(version);
        } finally {
            jdbi.useHandle(h -> h.execute("UPDATE flyway_history_tool SET success = true WHERE version = ?", version));
        }
        assertThat(send("GET", "/ready", null, null, Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void metrics_need_a_bearer_token_with_the_metrics_scope() throws Exception {
        assertThat(send("GET", "/metrics", null, null, Map.of()).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/metrics", null, "qat_wrong", Map.of()).statusCode()).isEqualTo(401);
        var sync = send("POST", "/api/v1/admin/tokens", "{\"name\":\"daemon\",\"scopes\":[\"sync\"]}", RunningTool.ADMIN_TOKEN, Map.of());
        String syncToken = sync.body().replaceAll("(?s).*\"token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        assertThat(send("GET", "/metrics", null, syncToken, Map.of()).statusCode()).isEqualTo(403);
        var ok = send("GET", "/metrics", null, metricsToken, Map.of());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        assertThat(ok.body()).contains("# TYPE qatysu_lti_launches_total counter", "# TYPE qatysu_http_request_duration_seconds histogram",
                "qatysu_notify_outbox_pending ", "qatysu_proctoring_analysis_queue ", "qatysu_db_pool_connections{state=\"active\"}",
                "qatysu_db_pool_max_connections ", "jvm_memory_used_bytes");
        assertThat(send("GET", "/metrics", null, RunningTool.ADMIN_TOKEN, Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void launches_are_counted_and_refusals_by_step_and_reason_code() throws Exception {
        double accepted = value(scrape(), "qatysu_lti_launches_total");
        double forged = value(scrape(), "qatysu_lti_refusals_total{reason=\"UNKNOWN_STATE\",step=\"launch\"}");
        double missingParameter = value(scrape(), "qatysu_lti_refusals_total{reason=\"MISSING_LOGIN_PARAMETER\",step=\"login\"}");
        var flow = new LtiFlow(tool, platform, new Browser());
        assertThat(flow.launch((nonce, target) -> LaunchClaims.moodleStudent(platform, nonce, target)).statusCode()).isEqualTo(303);
        assertThat(flow.post("x.y.z", "forged-state").statusCode()).isEqualTo(401);
        assertThat(new Browser().postForm(tool.baseUrl() + "/lti/login", Map.of("iss", "https://unknown.example")).statusCode())
                .isEqualTo(400);

        String after = scrape();
        assertThat(value(after, "qatysu_lti_launches_total")).isEqualTo(accepted + 1);
        assertThat(value(after, "qatysu_lti_refusals_total{reason=\"UNKNOWN_STATE\",step=\"launch\"}")).isEqualTo(forged + 1);
        assertThat(value(after, "qatysu_lti_refusals_total{reason=\"MISSING_LOGIN_PARAMETER\",step=\"login\"}")).isEqualTo(missingParameter + 1);
    }

    @Test
    void request_latency_is_labelled_by_the_route_template_not_the_url() throws Exception {
        for (String launch : new String[] {"aaaa", "bbbb", "cccc"}) {
            assertThat(send("GET", "/app/" + launch + "/", null, null, Map.of()).statusCode()).isEqualTo(401);
        }
        send("GET", "/no/such/page/" + System.nanoTime(), null, null, Map.of());
        String text = scrape();
        assertThat(value(text, "qatysu_http_request_duration_seconds_count{method=\"GET\",route=\"/app/{launch}/\",status=\"4xx\"}"))
                .isGreaterThanOrEqualTo(3);
        assertThat(text).doesNotContain("aaaa").doesNotContain("/no/such/page")
                .contains("qatysu_http_request_duration_seconds_count{method=\"ANY\",route=\"unmatched\",status=\"4xx\"}");
    }

    @Test
    void standing_transitions_and_admission_score_posts_are_counted() throws Exception {
        var app = tool.app();
        double before = value(scrape(), "qatysu_standing_transitions_total{from=\"OK\",to=\"LOCKED\"}");
        app.metrics().standingTransition(kz.qatysu.tool.attendance.rules.StandingState.OK, kz.qatysu.tool.attendance.rules.StandingState.LOCKED);
        app.metrics().agsPass(3, 1);
        String text = scrape();
        assertThat(value(text, "qatysu_standing_transitions_total{from=\"OK\",to=\"LOCKED\"}")).isEqualTo(before + 1);
        assertThat(value(text, "qatysu_ags_posts_total{outcome=\"failed\"}")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void a_request_id_from_a_trusted_proxy_is_kept_when_well_formed_and_is_on_every_log_line_of_the_request() throws Exception {
        Logger errors = (Logger) LoggerFactory.getLogger(kz.qatysu.tool.web.HttpErrors.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        errors.addAppender(appender);
        try {
            var kept = new LtiFlow(tool, platform, new Browser()).post("x.y.z", "forged");
            String generated = kept.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(generated).matches("[0-9a-f]{24}");
            var proxied = send("POST", "/lti/launch", "id_token=x.y.z&state=forged", null, Map.of("X-Request-Id", "nginx-7f3a.1",
                    "Content-Type", "application/x-www-form-urlencoded"));
            assertThat(proxied.headers().firstValue("X-Request-Id")).contains("nginx-7f3a.1");
            var malformed = send("GET", "/health", null, null, Map.of("X-Request-Id", "bad id with spaces"));
            assertThat(malformed.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f]{24}");
            assertThat(appender.list).filteredOn(e -> e.getFormattedMessage().startsWith("LTI refused"))
                    .extracting(e -> e.getMDCPropertyMap().get("requestId")).contains(generated, "nginx-7f3a.1");
        } finally {
            errors.detachAppender(appender);
        }
    }

    @Test
    void a_request_id_from_an_untrusted_peer_is_replaced() {
        RequestIds ids = new RequestIds(kz.qatysu.tool.checkin.IpRanges.parse("10.0.0.0/8"));
        assertThat(ids.choose("abc-1", "10.1.2.3")).isEqualTo("abc-1");
        assertThat(ids.choose("abc-1", "192.0.2.7")).isNotEqualTo("abc-1").matches("[0-9a-f]{24}");
        assertThat(ids.choose("x".repeat(65), "10.1.2.3")).matches("[0-9a-f]{24}");
        assertThat(ids.choose("a\nb", "10.1.2.3")).matches("[0-9a-f]{24}");
    }

    static String scrape() throws Exception {
        var r = send("GET", "/metrics", null, metricsToken, Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The value of one series line ({@code name{labels} value}); 0 when absent. */
    static double value(String exposition, String series) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    static HttpResponse<String> send(String method, String path, String body, String token, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tool.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null && !headers.containsKey("Content-Type")) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
