package kz.qatysu.connectors.videoconf;

import com.github.tomakehurst.wiremock.WireMockServer;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpFailure;
import kz.qatysu.connectors.http.HttpSettings;
import kz.qatysu.connectors.videoconf.ZoomClient.NotReadyYet;
import kz.qatysu.connectors.videoconf.ZoomClient.Ready;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

class ZoomClientTest {
    static WireMockServer zoom;

    @BeforeAll
    static void start() {
        zoom = new WireMockServer(options().dynamicPort());
        zoom.start();
    }

    @AfterAll
    static void stop() {
        zoom.stop();
    }

    @BeforeEach
    void reset() {
        zoom.resetAll();
        zoom.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(okJson("""
                {"access_token":"eyJzdjoi.s2s.token","token_type":"bearer","expires_in":3600,
                 "scope":"report:read:admin","api_url":"https://api.zoom.us"}""")));
    }

    static ZoomClient client() {
        HttpSettings s = HttpSettings.defaults("zoom", URI.create(zoom.baseUrl() + "/v2"))
                .withRetries(3, Duration.ofMillis(10), Duration.ofMillis(20)).withRateLimit(0);
        HttpConnector api = new HttpConnector(s);
        HttpConnector oauth = new HttpConnector(HttpSettings.defaults("zoom-oauth", URI.create(zoom.baseUrl()))
                .withRetries(3, Duration.ofMillis(10), Duration.ofMillis(20)).withRateLimit(0));
        return new ZoomClient(api, oauth, "kaznu-acc-1", "s2s-client", new Secret("s2s-secret"), Clock.systemUTC());
    }

    static final String PAGE_1 = """
            {"page_count":2,"page_size":300,"total_records":4,"next_page_token":"Tva2CuIdTgsv8wAnhyAdU3m06Y2HuLQtlh3",
             "participants":[
              {"id":"30R7kT7bTIKSNUFEuH_Qlg","user_id":"16778240","participant_user_id":"p1","name":"Айгерім С.","user_email":"A.Seitkyzy@KazNU.kz",
               "join_time":"2025-09-24T08:15:02Z","leave_time":"2025-09-24T08:35:02Z","duration":1200,
               "registrant_id":"r1","failover":false,"status":"in_meeting","customer_key":"20B030123","bo_mtg_id":""},
              {"id":"30R7kT7bTIKSNUFEuH_Qlg","user_id":"16778241","participant_user_id":"p1","name":"Айгерім С.","user_email":"A.Seitkyzy@KazNU.kz",
               "join_time":"2025-09-24T08:14:00Z","leave_time":"2025-09-24T08:15:02Z","duration":62,
               "registrant_id":"r1","failover":false,"status":"in_waiting_room","customer_key":"20B030123","bo_mtg_id":""}
             ]}""";

    static final String PAGE_2 = """
            {"page_count":2,"page_size":300,"total_records":4,"next_page_token":"",
             "participants":[
              {"id":"30R7kT7bTIKSNUFEuH_Qlg","user_id":"16778242","participant_user_id":"p1","name":"Айгерім С.","user_email":"A.Seitkyzy@KazNU.kz",
               "join_time":"2025-09-24T08:36:10Z","leave_time":"2025-09-24T09:05:00Z","duration":1730,
               "registrant_id":"r1","failover":false,"status":"in_meeting","customer_key":"20B030123","bo_mtg_id":""},
              {"id":"","user_id":"16778250","participant_user_id":"","name":"Ержан (телефон)","user_email":"",
               "join_time":"2025-09-24T08:20:00Z","leave_time":"2025-09-24T08:40:00Z","duration":1200,
               "registrant_id":"","failover":false,"status":"in_meeting","customer_key":"","bo_mtg_id":""},
              {"id":"x2","user_id":"16778251","participant_user_id":"p2","name":"Dana","user_email":"Dana@KazNU.kz",
               "join_time":"2025-09-24T08:20:00Z","duration":600,"failover":false,"status":"in_meeting","customer_key":""}
             ]}""";

    @Test
    void the_report_is_read_page_by_page_with_the_token_once_and_waiting_room_rows_left_out() {
        zoom.stubFor(get(urlEqualTo("/v2/report/meetings/85746065432/participants?page_size=300")).willReturn(okJson(PAGE_1)));
        zoom.stubFor(get(urlEqualTo("/v2/report/meetings/85746065432/participants?page_size=300&next_page_token=Tva2CuIdTgsv8wAnhyAdU3m06Y2HuLQtlh3"))
                .willReturn(okJson(PAGE_2)));

        Ready ready = (Ready) client().participants("85746065432");

        assertThat(ready.waitingRoomRowsExcluded()).isEqualTo(1);
        assertThat(ready.intervals()).extracting(PresenceInterval::personKey, PresenceInterval::displayName,
                PresenceInterval::join, PresenceInterval::leave).containsExactly(
                tuple("20B030123", "Айгерім С.", Instant.parse("2025-09-24T08:15:02Z"), Instant.parse("2025-09-24T08:35:02Z")),
                tuple("20B030123", "Айгерім С.", Instant.parse("2025-09-24T08:36:10Z"), Instant.parse("2025-09-24T09:05:00Z")),
                tuple(null, "Ержан (телефон)", Instant.parse("2025-09-24T08:20:00Z"), Instant.parse("2025-09-24T08:40:00Z")),
                // no customer_key: the e-mail, lower-cased; no leave_time: join + duration (seconds)
                tuple("dana@kaznu.kz", "Dana", Instant.parse("2025-09-24T08:20:00Z"), Instant.parse("2025-09-24T08:30:00Z")));
        assertThat(ready.intervals()).allSatisfy(i -> assertThat(i.source()).isEqualTo(PresenceInterval.Source.ZOOM_REPORT));

        String basic = "Basic " + Base64.getEncoder().encodeToString("s2s-client:s2s-secret".getBytes(StandardCharsets.UTF_8));
        zoom.verify(1, postRequestedFor(urlEqualTo("/oauth/token?grant_type=account_credentials&account_id=kaznu-acc-1"))
                .withHeader("Authorization", equalTo(basic)));
        zoom.verify(2, getRequestedFor(urlPathEqualTo("/v2/report/meetings/85746065432/participants"))
                .withHeader("Authorization", equalTo("Bearer eyJzdjoi.s2s.token")));
    }

    @Test
    void the_token_is_cached_across_calls_and_fetched_again_after_a_401() {
        zoom.stubFor(get(urlPathEqualTo("/v2/report/meetings/1/participants")).willReturn(okJson(PAGE_2)));
        ZoomClient c = client();
        c.participants("1");
        c.participants("1");
        zoom.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token")));

        zoom.stubFor(get(urlPathEqualTo("/v2/report/meetings/2/participants"))
                .willReturn(aResponse().withStatus(401).withBody("{\"code\":124,\"message\":\"Invalid access token.\"}")));
        assertThatThrownBy(() -> c.participants("2")).isInstanceOf(HttpFailure.class).hasMessageContaining("401");
        zoom.verify(2, postRequestedFor(urlPathEqualTo("/oauth/token")));
    }

    @Test
    void a_refused_token_request_names_the_account_but_not_the_secret() {
        zoom.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(aResponse().withStatus(400)
                .withBody("{\"reason\":\"Invalid client_id or client_secret\",\"error\":\"invalid_client\"}")));
        assertThatThrownBy(() -> client().participants("1")).isInstanceOf(HttpFailure.class)
                .hasMessageContaining("kaznu-acc-1").hasMessageContaining("invalid_client").hasMessageNotContaining("s2s-secret");
    }

    @Test
    void uuids_starting_with_a_slash_or_containing_a_double_slash_are_encoded_twice() {
        assertThat(ZoomClient.encodeMeetingId("4444AAAiAAAAAiAiAiiAii==")).isEqualTo("4444AAAiAAAAAiAiAiiAii%3D%3D");
        assertThat(ZoomClient.encodeMeetingId("/ajXp112QmuoKj4854875==")).isEqualTo("%252FajXp112QmuoKj4854875%253D%253D");
        assertThat(ZoomClient.encodeMeetingId("ajXp1//2QmuoKj48+4875==")).isEqualTo("ajXp1%252F%252F2QmuoKj48%252B4875%253D%253D");
        assertThat(ZoomClient.encodeMeetingId("85746065432")).isEqualTo("85746065432");

        zoom.stubFor(get(urlEqualTo("/v2/report/meetings/%252FajXp112QmuoKj4854875%253D%253D/participants?page_size=300")).willReturn(okJson(PAGE_2)));
        assertThat(client().participants("/ajXp112QmuoKj4854875==")).isInstanceOf(Ready.class);
    }

    @Test
    void a_report_that_is_not_there_yet_is_a_distinct_retry_later_answer() {
        zoom.stubFor(get(urlPathEqualTo("/v2/report/meetings/85746065432/participants")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"code\":3001,\"message\":\"Meeting does not exist: 85746065432.\"}")));
        assertThat(client().participants("85746065432")).isInstanceOfSatisfying(NotReadyYet.class,
                n -> assertThat(n.message()).contains("Meeting does not exist"));
    }

    @Test
    void another_404_is_a_failure_not_a_wait() {
        zoom.stubFor(get(urlPathEqualTo("/v2/report/meetings/9/participants")).willReturn(aResponse().withStatus(404)
                .withBody("{\"code\":1001,\"message\":\"User does not exist\"}")));
        assertThatThrownBy(() -> client().participants("9")).isInstanceOf(HttpFailure.class).hasMessageContaining("1001");
    }

    @Test
    void a_429_is_waited_out_as_retry_after_says() {
        zoom.stubFor(get(urlPathEqualTo("/v2/report/meetings/7/participants")).inScenario("heavy").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody("{\"code\":429,\"message\":\"You have reached the maximum per-second rate limit for this API.\"}"))
                .willSetStateTo("ok"));
        zoom.stubFor(get(urlPathEqualTo("/v2/report/meetings/7/participants")).inScenario("heavy").whenScenarioStateIs("ok")
                .willReturn(okJson(PAGE_2)));

        long t0 = System.nanoTime();
        assertThat(client().participants("7")).isInstanceOf(Ready.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        zoom.verify(2, getRequestedFor(urlPathEqualTo("/v2/report/meetings/7/participants")));
    }

    @Test
    void past_instances_give_the_uuids_of_a_recurring_meeting() {
        zoom.stubFor(get(urlEqualTo("/v2/past_meetings/85746065432/instances")).willReturn(okJson("""
                {"meetings":[{"uuid":"Cmz6r4ZkQmuoKj48PA0nfA==","start_time":"2025-09-24T08:14:57Z"},
                             {"uuid":"/bj7pZkQmuoKj48PA0nfA==","start_time":"2025-10-01T08:15:03Z"}]}""")));
        assertThat(client().pastInstances("85746065432")).extracting(ZoomClient.Instance::uuid, ZoomClient.Instance::startTime)
                .containsExactly(tuple("Cmz6r4ZkQmuoKj48PA0nfA==", Instant.parse("2025-09-24T08:14:57Z")),
                        tuple("/bj7pZkQmuoKj48PA0nfA==", Instant.parse("2025-10-01T08:15:03Z")));
        zoom.verify(getRequestedFor(urlEqualTo("/v2/past_meetings/85746065432/instances")).withQueryParam("x", absent()));
    }
}
