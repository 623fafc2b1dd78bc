package kz.qatysu.connectors.http;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpConnectorTest {
    static WireMockServer server;

    @BeforeAll
    static void start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void reset() {
        server.resetAll();
    }

    private HttpConnector connector(int attempts) {
        return new HttpConnector(HttpSettings.defaults("portal", URI.create(server.baseUrl()))
                .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(400))
                .withRetries(attempts, Duration.ofMillis(20), Duration.ofMillis(100))
                .withRateLimit(0));
    }

    /** A scenario whose first call answers {@code first} and every later call 200 {"ok":true}. */
    private void failOnceThenSucceed(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder first) {
        server.stubFor(get("/x").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(first).willSetStateTo("recovered"));
        server.stubFor(get("/x").inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(okJson("{\"ok\":true}")));
    }

    @Test
    void a_500_is_retried_and_the_second_answer_is_returned() {
        failOnceThenSucceed(aResponse().withStatus(500).withBody("boom"));
        try (var http = connector(3)) {
            HttpResult r = http.send(HttpRequestSpec.get("/x"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).contains("ok");
            assertThat(http.retryCount()).isEqualTo(1);
        }
        server.verify(2, getRequestedFor(urlEqualTo("/x")));
    }

    @Test
    void a_429_waits_as_long_as_retry_after_says() {
        failOnceThenSucceed(aResponse().withStatus(429).withHeader("Retry-After", "1"));
        try (var http = connector(3)) {
            long t0 = System.nanoTime();
            HttpResult r = http.send(HttpRequestSpec.get("/x"));
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.status()).isEqualTo(200);
            assertThat(elapsedMs).isGreaterThanOrEqualTo(950);
        }
    }

    @Test
    void a_retry_after_longer_than_the_configured_maximum_fails_at_once_naming_it() {
        server.stubFor(get("/x").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "86400")));
        try (var http = connector(3)) {
            assertThatThrownBy(() -> http.send(HttpRequestSpec.get("/x")))
                    .isInstanceOf(HttpFailure.class)
                    .hasMessageContaining("portal")
                    .hasMessageContaining("Retry-After 86400 s");
        }
        server.verify(1, getRequestedFor(urlEqualTo("/x")));
    }

    @Test
    void a_response_timeout_is_retried() {
        failOnceThenSucceed(aResponse().withFixedDelay(1500).withBody("late"));
        try (var http = connector(3)) {
            assertThat(http.send(HttpRequestSpec.get("/x")).bodyText()).contains("ok");
        }
    }

    @Test
    void a_connection_reset_is_retried() {
        failOnceThenSucceed(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        try (var http = connector(3)) {
            assertThat(http.send(HttpRequestSpec.get("/x")).status()).isEqualTo(200);
        }
    }

    @Test
    void a_malformed_chunk_is_retried() {
        failOnceThenSucceed(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK));
        try (var http = connector(3)) {
            assertThat(http.send(HttpRequestSpec.get("/x")).status()).isEqualTo(200);
        }
    }

    @Test
    void when_every_attempt_times_out_the_failure_names_target_request_and_attempts() {
        server.stubFor(get("/x").willReturn(aResponse().withFixedDelay(1500)));
        try (var http = connector(2)) {
            assertThatThrownBy(() -> http.send(HttpRequestSpec.get("/x")))
                    .isInstanceOf(HttpFailure.class)
                    .hasMessageContaining("portal: GET /x failed after 2 attempts")
                    .satisfies(e -> assertThat(((HttpFailure) e).kind()).isEqualTo(HttpFailure.Kind.TIMEOUT));
        }
    }

    @Test
    void a_non_idempotent_post_is_not_repeated_after_a_timeout() {
        server.stubFor(post("/create").willReturn(aResponse().withFixedDelay(1500)));
        try (var http = connector(4)) {
            assertThatThrownBy(() -> http.send(HttpRequestSpec.form("/create", "a=1", false)))
                    .isInstanceOf(HttpFailure.class)
                    .hasMessageContaining("not retried");
        }
        server.verify(1, postRequestedFor(urlEqualTo("/create")));
    }

    @Test
    void a_non_idempotent_post_is_repeated_after_a_429_because_nothing_was_processed() {
        server.stubFor(post("/create").inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429)).willSetStateTo("free"));
        server.stubFor(post("/create").inScenario("busy").whenScenarioStateIs("free").willReturn(okJson("[]")));
        try (var http = connector(3)) {
            assertThat(http.send(HttpRequestSpec.form("/create", "a=1", false)).status()).isEqualTo(200);
        }
        server.verify(2, postRequestedFor(urlEqualTo("/create")));
    }

    @Test
    void a_client_error_is_returned_without_retrying() {
        server.stubFor(get("/x").willReturn(aResponse().withStatus(404).withBody("{\"detail\":\"Not found.\"}")));
        try (var http = connector(3)) {
            assertThat(http.send(HttpRequestSpec.get("/x")).status()).isEqualTo(404);
            assertThatThrownBy(() -> http.sendOk(HttpRequestSpec.get("/x")))
                    .hasMessageContaining("HTTP 404").hasMessageContaining("Not found.");
        }
        server.verify(2, getRequestedFor(urlEqualTo("/x")));
    }

    @Test
    void malformed_json_is_reported_with_the_target_and_an_excerpt() {
        server.stubFor(get("/x").willReturn(okJson("{\"results\": [1, 2,")));
        try (var http = connector(1)) {
            HttpResult r = http.send(HttpRequestSpec.get("/x"));
            assertThatThrownBy(() -> Json.parse("portal", "GET /x", r))
                    .isInstanceOf(HttpFailure.class)
                    .hasMessageContaining("portal: GET /x: answer is not valid JSON")
                    .hasMessageContaining("{\"results\": [1, 2,");
        }
    }

    @Test
    void a_refused_connection_fails_as_connect_after_the_retries() {
        var http = new HttpConnector(HttpSettings.defaults("moodle", URI.create("http://127.0.0.1:1"))
                .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(10)));
        assertThatThrownBy(() -> http.send(HttpRequestSpec.get("/x")))
                .isInstanceOf(HttpFailure.class)
                .satisfies(e -> assertThat(((HttpFailure) e).kind()).isEqualTo(HttpFailure.Kind.CONNECT))
                .hasMessageContaining("after 2 attempts");
        http.close();
    }

    @Test
    void the_rate_limit_spaces_requests_of_one_target() {
        server.stubFor(get("/x").willReturn(okJson("{}")));
        try (var http = new HttpConnector(HttpSettings.defaults("openedx", URI.create(server.baseUrl())).withRateLimit(20))) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 11; i++) {
                http.send(HttpRequestSpec.get("/x"));
            }
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(elapsedMs).as("10 intervals of 50 ms").isGreaterThanOrEqualTo(480);
        }
    }

    @Test
    void retry_after_may_be_an_http_date() {
        String inTwoSeconds = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(2));
        var r = new HttpResult(429, java.util.Map.of("retry-after", inTwoSeconds), new byte[0]);
        assertThat(HttpConnector.retryAfter(r)).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(2)));
    }

    @Test
    void backoff_grows_exponentially_with_jitter_and_stays_under_the_cap() {
        try (var http = new HttpConnector(HttpSettings.defaults("x", URI.create("http://localhost"))
                .withRetries(10, Duration.ofMillis(100), Duration.ofMillis(1000)))) {
            for (int i = 0; i < 50; i++) {
                assertThat(http.backoff(1).toMillis()).isBetween(50L, 100L);
                assertThat(http.backoff(3).toMillis()).isBetween(200L, 400L);
                assertThat(http.backoff(9).toMillis()).isBetween(500L, 1000L);
            }
        }
    }
}
