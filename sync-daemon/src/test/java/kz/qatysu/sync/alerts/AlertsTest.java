package kz.qatysu.sync.alerts;

import com.github.tomakehurst.wiremock.WireMockServer;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpSettings;
import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.engine.RunStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

class AlertsTest {
    WireMockServer hook;

    @BeforeEach
    void start() {
        hook = new WireMockServer(options().dynamicPort());
        hook.start();
        hook.stubFor(post("/hooks/sync").willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void stop() {
        hook.stop();
    }

    private static SyncRunReport report(RunStatus status, boolean forced) {
        return new SyncRunReport(42, "accounts", status, false, forced, Instant.now(), Instant.now(), List.of(), 0, List.of(), 0, List.of(), 0, List.of(),
                List.of("moodle.users: would suspend 812 of 30500 records (2.7 %, limit 2.0 %)"), Map.of(), "nothing was written", List.of());
    }

    private Alerts alerts() {
        return new Alerts(new HttpConnector(HttpSettings.defaults("alerts", URI.create(hook.baseUrl() + "/hooks/sync")).withRateLimit(0)));
    }

    @Test
    void a_refused_plan_posts_a_chat_message_with_the_reasons_and_what_to_do() {
        alerts().onRun(report(RunStatus.REFUSED, false));

        hook.verify(postRequestedFor(urlEqualTo("/hooks/sync"))
                .withRequestBody(matchingJsonPath("$.status", equalTo("REFUSED")))
                .withRequestBody(matchingJsonPath("$.text", containing(
                        "job 'accounts' was REFUSED by the safety valve — nothing was written (run #42, exit 2).\nmoodle.users: would suspend 812")))
                .withRequestBody(matchingJsonPath("$.text", containing("./qatysu sync run accounts --force"))));
    }

    @Test
    void successful_and_forced_runs_stay_quiet_and_a_dead_webhook_does_not_fail_the_run() {
        alerts().onRun(report(RunStatus.SUCCEEDED, false));
        alerts().onRun(report(RunStatus.REFUSED, true));
        hook.verify(0, postRequestedFor(urlEqualTo("/hooks/sync")));

        var dead = new Alerts(new HttpConnector(HttpSettings.defaults("alerts", URI.create("http://127.0.0.1:1/hook"))
                .withRetries(1, Duration.ofMillis(1), Duration.ofMillis(1))));
        dead.onRun(report(RunStatus.SOURCE_FAILED, false));
        hook.verify(0, postRequestedFor(urlEqualTo("/hooks/sync")));
    }
}
