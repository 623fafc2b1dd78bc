package kz.qatysu.connectors.portal;

import com.github.tomakehurst.wiremock.WireMockServer;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestPortalSourceTest {
    static WireMockServer portal;

    @BeforeAll
    static void start() {
        portal = new WireMockServer(options().dynamicPort());
        portal.start();
    }

    @AfterAll
    static void stop() {
        portal.stop();
    }

    @BeforeEach
    void reset() {
        portal.resetAll();
    }

    private PortalReader reader(RestEndpoint persons) {
        var http = new HttpConnector(HttpSettings.defaults("portal", URI.create(portal.baseUrl()))
                .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(20)).withRateLimit(0));
        var mapping = FieldMapping.identity()
                .map(Entity.PERSONS, "id", "/iin")
                .map(Entity.PERSONS, "last_name_kk", "/fio/kk/last")
                .map(Entity.PERSONS, "first_name_kk", "/fio/kk/first")
                .map(Entity.PERSONS, "group", "/group/name");
        var source = new RestPortalSource(http, Map.of(Entity.PERSONS, persons), mapping,
                Optional.of("X-Api-Key"), Optional.of(new Secret("portal-key-123")));
        return new PortalReader(source, ZoneId.of("Asia/Almaty"));
    }

    private static String person(int n) {
        return """
                {"iin":"0203045%05d","login":"s%d","email":"s%d@univ.kz","status":"active",
                 "fio":{"kk":{"last":"Жұмабекұлы","first":"Ерңұр"}},"group":{"name":"ИС-21-1"}}""".formatted(n, n, n);
    }

    private static String page(int from, int to, int total) {
        var items = new StringBuilder();
        for (int i = from; i < to; i++) {
            items.append(i == from ? "" : ",").append(person(i));
        }
        return "{\"data\":{\"items\":[" + items + "]},\"meta\":{\"total\":" + total + "}}";
    }

    @Test
    void pages_are_followed_fields_are_mapped_by_json_pointer_and_the_key_header_is_sent() {
        portal.stubFor(get(urlPathEqualTo("/api/students")).withQueryParam("page", equalTo("1")).willReturn(okJson(page(0, 2, 5))));
        portal.stubFor(get(urlPathEqualTo("/api/students")).withQueryParam("page", equalTo("2")).willReturn(okJson(page(2, 4, 5))));
        portal.stubFor(get(urlPathEqualTo("/api/students")).withQueryParam("page", equalTo("3")).willReturn(okJson(page(4, 5, 5))));

        SourceBatch<Person> batch = reader(RestEndpoint.pages("/api/students", "/data/items", 2, "/meta/total")).persons();

        assertThat(batch.errors()).isEmpty();
        assertThat(batch.records()).hasSize(5);
        assertThat(batch.records().getFirst().id()).isEqualTo("020304500000");
        assertThat(batch.records().getFirst().kk().full()).isEqualTo("Ерңұр Жұмабекұлы");
        assertThat(batch.records().getFirst().group()).isEqualTo("ИС-21-1");
        portal.verify(3, getRequestedFor(urlPathEqualTo("/api/students")).withHeader("X-Api-Key", equalTo("portal-key-123")));
    }

    @Test
    void a_short_page_in_the_middle_fails_the_read_instead_of_passing_a_truncated_roster() {
        portal.stubFor(get(urlPathEqualTo("/api/students")).withQueryParam("page", equalTo("1")).willReturn(okJson(page(0, 2, 5))));
        portal.stubFor(get(urlPathEqualTo("/api/students")).withQueryParam("page", equalTo("2")).willReturn(okJson(page(2, 3, 5))));

        assertThatThrownBy(() -> reader(RestEndpoint.pages("/api/students", "/data/items", 2, "/meta/total")).persons())
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("reported 5 records but 3 arrived");
    }

    @Test
    void next_links_are_followed_until_null() {
        portal.stubFor(get(urlPathEqualTo("/v2/people")).willReturn(okJson(
                "{\"results\":[" + person(1) + "],\"next\":\"" + portal.baseUrl() + "/v2/people/p2\"}")));
        portal.stubFor(get(urlPathEqualTo("/v2/people/p2")).willReturn(okJson("{\"results\":[" + person(2) + "],\"next\":null}")));
        var ep = new RestEndpoint("/v2/people", "/results", RestEndpoint.Paging.NEXT_LINK, null, null, 0, 0, "/next", null);

        assertThat(reader(ep).persons().records()).extracting(Person::login).containsExactly("s1", "s2");
    }

    @Test
    void malformed_json_from_the_portal_makes_the_source_unavailable() {
        portal.stubFor(get(urlPathEqualTo("/api/students")).willReturn(okJson("{\"data\":{\"items\":[" + person(1) + ",")));

        assertThatThrownBy(() -> reader(RestEndpoint.pages("/api/students", "/data/items", 2, null)).persons())
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void a_record_without_the_mapped_id_is_reported_and_the_others_are_kept() {
        portal.stubFor(get(urlPathEqualTo("/api/students")).willReturn(okJson(
                "{\"data\":{\"items\":[" + person(1) + ",{\"login\":\"x\",\"email\":\"x@univ.kz\",\"fio\":{\"kk\":{\"last\":\"A\",\"first\":\"B\"}}}]}}")));

        SourceBatch<Person> batch = reader(RestEndpoint.pages("/api/students", "/data/items", 10, null)).persons();

        assertThat(batch.records()).hasSize(1);
        assertThat(batch.errors()).singleElement()
                .hasToString("GET /api/students page 1 item 2: id: required");
    }

    @Test
    void offset_paging_stops_at_a_short_last_page() {
        portal.stubFor(get(urlPathEqualTo("/api/students")).withQueryParam("offset", equalTo("0")).willReturn(okJson(page(0, 2, 0).replace(",\"meta\":{\"total\":0}", ""))));
        portal.stubFor(get(urlPathEqualTo("/api/students")).withQueryParam("offset", equalTo("2")).willReturn(okJson(page(2, 3, 0).replace(",\"meta\":{\"total\":0}", ""))));
        var ep = new RestEndpoint("/api/students", "/data/items", RestEndpoint.Paging.OFFSET, "offset", "limit", 2, 0, null, null);

        assertThat(reader(ep).persons().records()).hasSize(3);
        portal.verify(2, getRequestedFor(urlPathEqualTo("/api/students")).withQueryParam("limit", equalTo("2")));
    }

    @Test
    void a_portal_that_keeps_failing_makes_the_source_unavailable_after_the_retries() {
        portal.stubFor(get(urlPathEqualTo("/api/students")).willReturn(aResponse().withStatus(503).withBody("maintenance")));

        assertThatThrownBy(() -> reader(RestEndpoint.pages("/api/students", "/data/items", 2, null)).persons())
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("cannot read persons from the portal").hasMessageContaining("HTTP 503");
        portal.verify(2, getRequestedFor(urlPathEqualTo("/api/students")));
    }
}
