package kz.qatysu.connectors.qatysu;

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
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToolClientTest {
    static WireMockServer tool;

    @BeforeAll
    static void start() {
        tool = new WireMockServer(options().dynamicPort());
        tool.start();
    }

    @AfterAll
    static void stop() {
        tool.stop();
    }

    @BeforeEach
    void reset() {
        tool.resetAll();
    }

    private ToolClient client() {
        return new ToolClient(new HttpConnector(HttpSettings.defaults("tool", URI.create(tool.baseUrl()))
                .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(10)).withRateLimit(0)), new Secret("daemon-token-0123456789"));
    }

    @Test
    void sessions_are_put_as_the_full_timetable_of_a_section_in_the_contract_shape() {
        tool.stubFor(put("/api/v1/sections/CS101-2026-1/sessions").willReturn(aResponse().withStatus(204)));

        client().putSessions("CS101-2026-1", List.of(new ToolModel.SessionBody("S-1",
                OffsetDateTime.parse("2026-09-02T08:00:00+05:00"), OffsetDateTime.parse("2026-09-02T08:50:00+05:00"),
                "lecture", 1, "A-204", null)));

        tool.verify(putRequestedFor(urlEqualTo("/api/v1/sections/CS101-2026-1/sessions"))
                .withHeader("Authorization", equalTo("Bearer daemon-token-0123456789"))
                .withRequestBody(equalToJson("""
                        [{"sessionId": "S-1", "start": "2026-09-02T08:00:00+05:00", "end": "2026-09-02T08:50:00+05:00",
                          "kind": "lecture", "hours": 1, "room": "A-204", "onlineUrl": null}]""")));
    }

    @Test
    void sections_and_enrolments_use_the_contract_field_names() {
        tool.stubFor(put("/api/v1/sections/%D0%98%D0%A1-101").willReturn(okJson("{}")));
        tool.stubFor(put("/api/v1/sections/%D0%98%D0%A1-101/enrolments").willReturn(okJson("{}")));

        var c = client();
        c.putSection("ИС-101", new ToolModel.SectionBody("Бағдарламалау", LocalDate.parse("2026-09-01"), LocalDate.parse("2026-12-25")));
        c.putEnrolments("ИС-101", List.of(new ToolModel.EnrolmentBody("P-1001", "student", LocalDate.parse("2026-09-15"), "ИС-21-1"),
                new ToolModel.EnrolmentBody("P-1002", "student", null), new ToolModel.EnrolmentBody("T-7", "teacher", null)));

        tool.verify(putRequestedFor(urlEqualTo("/api/v1/sections/%D0%98%D0%A1-101"))
                .withRequestBody(equalToJson("{\"title\": \"Бағдарламалау\", \"termStart\": \"2026-09-01\", \"termEnd\": \"2026-12-25\"}")));
        tool.verify(putRequestedFor(urlEqualTo("/api/v1/sections/%D0%98%D0%A1-101/enrolments"))
                .withRequestBody(equalToJson("[{\"personId\": \"P-1001\", \"role\": \"student\", \"since\": \"2026-09-15\", \"group\": \"ИС-21-1\"},"
                        + " {\"personId\": \"P-1002\", \"role\": \"student\"}, {\"personId\": \"T-7\", \"role\": \"teacher\"}]")));
        assertThat(c.writeCalls()).isEqualTo(2);
    }

    @Test
    void a_400_with_details_is_an_error_carrying_each_path_and_problem() {
        tool.stubFor(put("/api/v1/sessions/S-1/marks").willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\": \"invalid marks\", \"details\": [{\"path\": \"[2].lateMinutes\", \"problem\": \"required when status is LATE\"}]}")));

        assertThatThrownBy(() -> client().putMarks("S-1", List.of(new ToolModel.MarkBody("P-1", "LATE", null, null))))
                .isInstanceOfSatisfying(ToolApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.details()).containsExactly(new ToolApiException.Detail("[2].lateMinutes", "required when status is LATE"));
                })
                .hasMessageContaining("invalid marks");
    }

    @Test
    void a_wrong_token_is_explained_without_showing_it() {
        tool.stubFor(get("/api/v1/sections/X/standing").willReturn(aResponse().withStatus(401).withBody("{\"error\":\"unauthorized\"}")));
        assertThatThrownBy(() -> client().standing("X"))
                .hasMessageContaining("HTTP 401").hasMessageContaining("sync.tool.token")
                .hasMessageNotContaining("daemon-token-0123456789");
    }

    @Test
    void standing_and_changes_are_read() {
        tool.stubFor(get("/api/v1/sections/CS101/standing").willReturn(okJson("""
                [{"personId": "P-1001", "plannedHours": 45, "absentHours": 9, "lateCount": 6, "absenceShare": 0.2222,
                  "state": "WARNING", "computedState": "WARNING", "override": null, "reason": "9 of 45 hours"}]""")));
        tool.stubFor(get("/api/v1/changes?since=c-1").willReturn(okJson("""
                {"changes": [{"type": "standing", "sectionId": "CS101", "personId": "P-1001", "state": "LOCKED"}], "cursor": "c-2"}""")));

        var c = client();
        assertThat(c.standing("CS101")).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo("WARNING");
            assertThat(s.absenceShare()).isEqualTo(0.2222);
        });
        ToolModel.Changes changes = c.changes("c-1");
        assertThat(changes.cursor()).isEqualTo("c-2");
        assertThat(changes.changes()).singleElement().satisfies(ch -> assertThat(ch.state()).isEqualTo("LOCKED"));
    }

    @Test
    void scores_are_put_as_a_merge_in_the_contract_shape_and_a_removal_sends_null_points() {
        tool.stubFor(put("/api/v1/sections/CS101-2026-1/scores").willReturn(aResponse().withStatus(204)));

        client().putScores("CS101-2026-1", List.of(new ToolModel.ScoreBody("P-1001", "RK1", new java.math.BigDecimal("78.5"),
                new java.math.BigDecimal("100")), ToolModel.ScoreBody.removal("P-1002", "MT")));

        tool.verify(putRequestedFor(urlEqualTo("/api/v1/sections/CS101-2026-1/scores"))
                .withHeader("Authorization", equalTo("Bearer daemon-token-0123456789"))
                .withRequestBody(equalToJson("""
                        [{"personId": "P-1001", "component": "RK1", "points": 78.5, "max": 100},
                         {"personId": "P-1002", "component": "MT", "points": null}]""")));
    }

    @Test
    void a_refused_score_list_names_each_record_by_its_index_and_field() {
        tool.stubFor(put("/api/v1/sections/CS101-2026-1/scores").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"error": "invalid scores", "details": [{"path": "[1].points", "problem": "must be between 0 and max"},
                          {"path": "[3].component", "problem": "unknown component 'RK9'"}]}""")));

        assertThatThrownBy(() -> client().putScores("CS101-2026-1", List.of()))
                .isInstanceOfSatisfying(ToolApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.details()).extracting(ToolApiException.Detail::recordIndex).containsExactly(1, 3);
                    assertThat(e.details()).extracting(ToolApiException.Detail::field).containsExactly("points", "component");
                    assertThat(e.details().get(1).problem()).isEqualTo("unknown component 'RK9'");
                    assertThat(e.getMessage()).contains("invalid scores");
                });
        assertThat(new ToolApiException.Detail("sectionId", "unknown").recordIndex()).isEqualTo(-1);
        assertThat(new ToolApiException.Detail("sectionId", "unknown").field()).isEqualTo("sectionId");
    }

    @Test
    void admission_rows_are_read_in_the_contract_shape() {
        tool.stubFor(get("/api/v1/sections/CS101-2026-1/admission").willReturn(okJson("""
                [{"personId": "P-1001", "admitted": false,
                  "attendance": {"state": "LOCKED", "absenceShare": 0.34, "override": null},
                  "rating": {"points": 149.5, "max": 300, "share": 0.4983, "threshold": 0.5, "missing": ["RK2"],
                             "components": [{"component": "RK1", "points": 78.5, "max": 100}, {"component": "MT", "points": 71, "max": 100}]},
                  "reasons": ["ATTENDANCE_LOCKED", "RATING_BELOW_THRESHOLD"], "override": null},
                 {"personId": "P-1002", "admitted": true, "attendance": {"state": "OK", "absenceShare": 0, "override": null},
                  "rating": {"points": 150, "max": 300, "share": 0.5, "threshold": 0.5, "missing": [], "components": []},
                  "reasons": [], "override": {"state": "ADMITTED", "reason": "dean's order 12", "by": "admin", "at": "2026-12-20T10:00:00Z"},
                  "added": "fields the contract allows"}]""")));

        List<ToolModel.Admission> rows = client().admission("CS101-2026-1");

        assertThat(rows).hasSize(2);
        ToolModel.Admission p1 = rows.getFirst();
        assertThat(p1.personId()).isEqualTo("P-1001");
        assertThat(p1.admitted()).isFalse();
        assertThat(p1.attendance().state()).isEqualTo("LOCKED");
        assertThat(p1.attendance().absenceShare()).isEqualTo(0.34);
        assertThat(p1.rating().points()).isEqualByComparingTo("149.5");
        assertThat(p1.rating().share()).isEqualByComparingTo("0.4983");
        assertThat(p1.rating().missing()).containsExactly("RK2");
        assertThat(p1.rating().components()).extracting(ToolModel.ComponentScore::component).containsExactly("RK1", "MT");
        assertThat(p1.reasons()).containsExactly("ATTENDANCE_LOCKED", "RATING_BELOW_THRESHOLD");
        assertThat(p1.override()).isNull();
        assertThat(rows.get(1).override().state()).isEqualTo("ADMITTED");
        assertThat(rows.get(1).admitted()).isTrue();
    }
}
