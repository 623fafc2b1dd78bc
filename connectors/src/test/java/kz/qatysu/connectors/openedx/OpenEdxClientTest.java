package kz.qatysu.connectors.openedx;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

class OpenEdxClientTest {
    static final String COURSE = "course-v1:KazNU+CS101+2025_T1";
    static WireMockServer lms;

    @BeforeAll
    static void start() {
        lms = new WireMockServer(options().dynamicPort());
        lms.start();
    }

    @AfterAll
    static void stop() {
        lms.stop();
    }

    @BeforeEach
    void reset() {
        lms.resetAll();
        lms.stubFor(post("/oauth2/access_token").willReturn(okJson(
                "{\"access_token\":\"eyJhbGciOi.jwt.sig\",\"expires_in\":3600,\"token_type\":\"JWT\",\"scope\":\"read write email profile\"}")));
    }

    private OpenEdxClient client() {
        return new OpenEdxClient(new HttpConnector(HttpSettings.defaults("openedx", URI.create(lms.baseUrl()))
                .withRetries(3, Duration.ofMillis(10), Duration.ofMillis(20)).withRateLimit(0)),
                "sync-client", new Secret("edx-secret"), Clock.systemUTC());
    }

    @Test
    void a_client_credentials_jwt_is_fetched_once_and_sent_with_the_jwt_prefix() {
        lms.stubFor(get(urlPathEqualTo("/api/user/v1/accounts")).willReturn(okJson(
                "[{\"username\":\"20b030123\",\"email\":\"a@kaznu.kz\",\"name\":\"Әлия\",\"is_active\":true}]")));
        var c = client();

        assertThat(c.accounts(List.of("20b030123", "nobody"))).extracting(OpenEdxModel.Account::username).containsExactly("20b030123");
        c.accounts(List.of("20b030123"));

        lms.verify(1, postRequestedFor(urlEqualTo("/oauth2/access_token"))
                .withFormParam("grant_type", equalTo("client_credentials"))
                .withFormParam("token_type", equalTo("jwt")));
        lms.verify(2, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo("/api/user/v1/accounts"))
                .withHeader("Authorization", equalTo("JWT eyJhbGciOi.jwt.sig"))
                .withQueryParam("username", containing("20b030123")));
    }

    @Test
    void bulk_enrolment_reports_enrolled_allowed_and_invalid_identifiers() {
        lms.stubFor(post("/api/bulk_enroll/v1/bulk_enroll/").willReturn(okJson("""
                {"action":"enroll","auto_enroll":true,"email_students":false,"courses":{"%s":{"action":"enroll","auto_enroll":true,
                  "results":[{"identifier":"20b030123","before":{"enrollment":false,"auto_enroll":false,"user":true,"allowed":false},
                                                       "after":{"enrollment":true,"auto_enroll":false,"user":true,"allowed":false,"cohort":"CS-21-1"}},
                             {"identifier":"new@kaznu.kz","before":{"enrollment":false,"auto_enroll":false,"user":false,"allowed":false},
                                                          "after":{"enrollment":false,"auto_enroll":true,"user":false,"allowed":true}},
                             {"identifier":"x@@","invalidIdentifier":true}]}}}""".formatted(COURSE))));

        var results = client().bulkEnroll(COURSE, List.of("20b030123", "new@kaznu.kz", "x@@"), "CS-21-1", true);

        assertThat(results).extracting(OpenEdxModel.BulkEnrollResult::enrolled).containsExactly(true, false, false);
        assertThat(results.get(1).allowed()).isTrue();
        assertThat(results.get(2).invalid()).isTrue();
        lms.verify(postRequestedFor(urlEqualTo("/api/bulk_enroll/v1/bulk_enroll/")).withRequestBody(equalToJson("""
                {"identifiers":"20b030123,new@kaznu.kz,x@@","courses":"%s","cohorts":"CS-21-1","action":"enroll",
                 "auto_enroll":true,"email_students":false}""".formatted(COURSE))));
    }

    @Test
    void a_throttled_enrolment_waits_for_retry_after_and_goes_through() {
        lms.stubFor(post("/api/bulk_enroll/v1/bulk_enroll/").inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody("{\"detail\":\"Request was throttled. Expected available in 1 second.\"}"))
                .willSetStateTo("open"));
        lms.stubFor(post("/api/bulk_enroll/v1/bulk_enroll/").inScenario("throttle").whenScenarioStateIs("open")
                .willReturn(okJson("{\"courses\":{}}")));

        assertThat(client().bulkEnroll(COURSE, List.of("a"), null, true)).isEmpty();
        lms.verify(2, postRequestedFor(urlEqualTo("/api/bulk_enroll/v1/bulk_enroll/")));
    }

    @Test
    void an_expired_token_is_replaced_after_a_401() {
        lms.stubFor(get(urlPathEqualTo("/api/cohorts/v1/courses/course-v1%3AKazNU%2BCS101%2B2025_T1/cohorts/")).inScenario("t").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(401).withBody("{\"detail\":\"Token expired\"}")).willSetStateTo("ok"));
        lms.stubFor(get(urlPathEqualTo("/api/cohorts/v1/courses/course-v1%3AKazNU%2BCS101%2B2025_T1/cohorts/")).inScenario("t").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"count\":1,\"next\":null,\"results\":[{\"name\":\"CS-21-1\",\"id\":4,\"user_count\":25,\"assignment_type\":\"manual\"}]}")));

        assertThat(client().cohorts(COURSE)).extracting(OpenEdxModel.Cohort::name).containsExactly("CS-21-1");
        lms.verify(2, postRequestedFor(urlEqualTo("/oauth2/access_token")));
    }

    @Test
    void grades_follow_the_cursor_pages_and_key_on_username() {
        lms.stubFor(get(urlEqualTo("/api/grades/v1/courses/" + "course-v1%3AKazNU%2BCS101%2B2025_T1" + "/?page_size=100")).willReturn(okJson("""
                {"next":"%s/api/grades/v1/courses/x/?cursor=cD0x","previous":null,"results":[
                  {"username":"20b030123","email":"","course_id":"%s","passed":true,"percent":0.87,"letter_grade":"Pass"}]}""".formatted(lms.baseUrl(), COURSE))));
        lms.stubFor(get(urlEqualTo("/api/grades/v1/courses/x/?cursor=cD0x")).willReturn(okJson("""
                {"next":null,"previous":null,"results":[{"username":"20b030124","email":"","course_id":"%s","passed":false,"percent":0.31,"letter_grade":null}]}""".formatted(COURSE))));

        var grades = client().courseGrades(COURSE);

        assertThat(grades).extracting(OpenEdxModel.Grade::username).containsExactly("20b030123", "20b030124");
        assertThat(grades.get(1).letterGrade()).isNull();
    }
}
