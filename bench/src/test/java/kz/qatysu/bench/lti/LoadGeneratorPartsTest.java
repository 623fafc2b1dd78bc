package kz.qatysu.bench.lti;

import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The pieces of the LTI load generators whose mistakes would silently skew a benchmark. */
class LoadGeneratorPartsTest {

    @Test
    void the_ltijs_state_cookie_is_signed_exactly_like_node_cookie_signature() {
        // Expected values printed by Node.js: require('cookie-signature').sign(iss, secret) and encodeURIComponent('s:' + it)
        String signed = TokenPoster.sign("http://127.0.0.1:18077", "bench-encryption-key");

        assertThat(signed).isEqualTo("http://127.0.0.1:18077.nk8bz/rOxpAWl2i4aDpGthwYN6ogCJNSZTNOvOp3YTQ");
        assertThat(URLEncoder.encode("s:" + signed, StandardCharsets.UTF_8))
                .isEqualTo("s%3Ahttp%3A%2F%2F127.0.0.1%3A18077.nk8bz%2FrOxpAWl2i4aDpGthwYN6ogCJNSZTNOvOp3YTQ");
    }

    @Test
    void the_cpu_ratio_is_ltijs_over_qatysu_per_launch_and_its_median_is_taken_over_the_runs() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var n = json.readTree("{\"n\":1000}");
        java.util.List<java.util.List<LtiLaunchBench.TokenRun>> runs = java.util.List.of(
                java.util.List.of(new LtiLaunchBench.TokenRun("ltijs", 64, n, 4000, 2000), new LtiLaunchBench.TokenRun("qatysu", 64, n, 800, 400)),
                java.util.List.of(new LtiLaunchBench.TokenRun("ltijs", 64, n, 4000, 2000), new LtiLaunchBench.TokenRun("qatysu", 64, n, 1000, 500)),
                java.util.List.of(new LtiLaunchBench.TokenRun("ltijs", 64, n, 4500, 1500), new LtiLaunchBench.TokenRun("qatysu", 64, n, 1000, 1000)));

        assertThat(CpuRatio.cpuPerLaunch(runs.get(0).get(1))).isEqualTo(1.2);
        assertThat(CpuRatio.ratio(runs.get(0).get(0), runs.get(0).get(1))).isEqualTo(5.0);
        assertThat(CpuRatio.median(java.util.List.of(5.0, 3.0, 4.0))).isEqualTo(4.0);
        // ratios 5.0×, 4.0×, 3.0×: the median run is the second
        assertThat(CpuRatio.medianReport(runs)).contains("| 64 | 3 | 6.00 | 2.00 | 3.0× |").contains("| 64 | **median** | 6.00 | **1.50** | **4.0×** |");
    }

    @Test
    void percentiles_come_from_every_sample() {
        long[] nanos = new long[100];
        for (int i = 0; i < 100; i++) {
            nanos[i] = (100 - i) * 1_000_000L;
        }
        Latencies l = new Latencies(nanos);

        assertThat(l.count()).isEqualTo(100);
        assertThat(l.percentileMillis(0.5)).isEqualTo(51.0);
        assertThat(l.percentileMillis(0.99)).isEqualTo(100.0);
        assertThat(l.meanMillis()).isEqualTo(50.5);
    }

    @Test
    void open_loop_latency_counts_from_when_a_request_was_due_not_when_it_started() throws Exception {
        // One user, 20 requests due every 10 ms, each taking 30 ms: later requests wait for the user and that wait counts.
        OpenLoop.Result r = OpenLoop.run(20, 100, 1, Duration.ofSeconds(10), k -> () -> {
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        assertThat(r.completed()).isEqualTo(20);
        assertThat(r.latency().percentileMillis(0.0)).isGreaterThanOrEqualTo(29.0);
        assertThat(r.latency().percentileMillis(0.99)).as("the last one waited for 19 others").isGreaterThan(350.0);
    }

    @Test
    void the_auto_submitted_forms_are_read_back_into_fields() {
        String html = """
                <form action="http://localhost:8080/lti/launch" name="ltiAuthForm" id="ltiAuthForm" method="post">
                <input type="hidden" name="id_token" value="a.b.c"/>
                <input type="hidden" name="state" value="st&amp;1"/>
                </form>""";

        assertThat(BenchBrowser.formAction(html)).isEqualTo("http://localhost:8080/lti/launch");
        assertThat(BenchBrowser.hiddenFields(html)).isEqualTo(Map.of("id_token", "a.b.c", "state", "st&1"));
        assertThat(BenchBrowser.continueLink("<a id=\"continue\" href=\"http://p/auth?a=1&amp;b=2\">go</a>")).isEqualTo("http://p/auth?a=1&b=2");
    }
}
