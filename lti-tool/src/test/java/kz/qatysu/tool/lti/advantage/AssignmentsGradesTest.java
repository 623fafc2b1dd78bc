package kz.qatysu.tool.lti.advantage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import kz.qatysu.tool.lti.LtiClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static kz.qatysu.tool.lti.advantage.AdvantageFixture.TOKEN_PATH;
import static kz.qatysu.tool.lti.advantage.AdvantageFixture.captured;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AssignmentsGradesTest {
    private static final String LINEITEMS = "/mod/lti/services.php/2/lineitems?type_id=1";
    private static final String ITEM_2 = "/mod/lti/services.php/2/lineitems/2/lineitem?type_id=1";
    private static final String ITEM_8 = "/mod/lti/services.php/2/lineitems/8/lineitem?type_id=1";
    private static final String BEARER = "Bearer e76f1880d6497b5e57bbe9e6db3831a8";

    private final AdvantageFixture f = new AdvantageFixture();

    @BeforeEach
    void reset() {
        f.reset();
    }

    @AfterAll
    void close() {
        f.close();
    }

    @Test
    void the_endpoint_and_scopes_come_from_the_ags_claim_of_a_real_moodle_launch() {
        AgsEndpoint endpoint = moodleLaunchEndpoint();

        assertThat(endpoint.lineItems()).isEqualTo(URI.create("http://127.0.0.1:8100" + LINEITEMS));
        assertThat(endpoint.launchLineItem()).contains(URI.create("http://127.0.0.1:8100" + ITEM_2));
        assertThat(endpoint.scopes()).isEqualTo(AssignmentsGrades.ALL_SCOPES);
    }

    @Test
    void lists_line_items_with_the_container_media_type_and_one_token_for_all_granted_ags_scopes() {
        f.wm.stubFor(get(urlEqualTo(LINEITEMS)).willReturn(captured("advantage_13_ags_lineitems_get.json")));

        List<LineItem> items = ags().lineItems(f.platform(), endpoint(true), LineItemFilter.ALL);

        f.wm.verify(getRequestedFor(urlEqualTo(LINEITEMS))
                .withHeader("Accept", equalTo("application/vnd.ims.lis.v2.lineitemcontainer+json"))
                .withHeader("Authorization", equalTo(BEARER)));
        String scope = AdvantageFixture.form(f.wm.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH))).getFirst().getBodyAsString()).get("scope");
        assertThat(scope.split(" ")).containsExactlyInAnyOrderElementsOf(AssignmentsGrades.ALL_SCOPES);
        assertThat(items).hasSize(4);
        assertThat(items.getFirst()).isEqualTo(new LineItem(URI.create("http://127.0.0.1:8100" + ITEM_2),
                "Attendance check-in (embedded)", 100, null, null, "1", null, null));
        assertThat(items.get(2).tag()).isEqualTo("attendance");
    }

    @Test
    void filters_go_into_the_query_after_moodles_type_id_and_are_applied_again_here() {
        f.wm.stubFor(get(urlEqualTo(LINEITEMS + "&resource_link_id=1&tag=attendance"))
                .willReturn(captured("advantage_15_ags_lineitems_get_by_resource_link_for_fallback.json")));

        List<LineItem> items = ags().lineItems(f.platform(), endpoint(true), new LineItemFilter("1", null, "attendance"));

        assertThat(items).extracting(i -> i.id().toString())
                .containsExactly("http://127.0.0.1:8100/mod/lti/services.php/2/lineitems/4/lineitem?type_id=1",
                        "http://127.0.0.1:8100/mod/lti/services.php/2/lineitems/7/lineitem?type_id=1");
    }

    @Test
    void line_item_pages_are_followed_through_link_next() {
        f.wm.stubFor(get(urlEqualTo(LINEITEMS + "&tag=attendance")).willReturn(captured("advantage_24_ags_lineitems_get_by_tag.json")
                .withHeader("Link", "<" + f.url(LINEITEMS + "&tag=attendance&from=3") + ">; rel=\"next\"")));
        f.wm.stubFor(get(urlEqualTo(LINEITEMS + "&tag=attendance&from=3")).willReturn(captured("advantage_24_ags_lineitems_get_by_tag.json")
                .withBody("[{\"id\":\"" + f.url(ITEM_2) + "\",\"label\":\"Later\",\"scoreMaximum\":\"5\",\"tag\":\"attendance\"}]")));

        List<LineItem> items = ags().lineItems(f.platform(), endpoint(true), LineItemFilter.tag("attendance"));

        assertThat(items).hasSize(4);
        assertThat(items.getLast().scoreMaximum()).isEqualTo(5);
    }

    @Test
    void gets_one_line_item_with_the_line_item_media_type() {
        f.wm.stubFor(get(urlEqualTo(ITEM_2)).willReturn(captured("advantage_16_ags_lineitem_get.json")));

        LineItem item = ags().lineItem(f.platform(), endpoint(true), URI.create(f.url(ITEM_2)));

        f.wm.verify(getRequestedFor(urlEqualTo(ITEM_2)).withHeader("Accept", equalTo("application/vnd.ims.lis.v2.lineitem+json")));
        assertThat(item.label()).isEqualTo("Attendance check-in (embedded)");
        assertThat(item.scoreMaximum()).isEqualTo(100);
    }

    @Test
    void creates_a_line_item_with_the_line_item_media_type_and_reads_the_201() {
        f.wm.stubFor(post(urlEqualTo(LINEITEMS)).willReturn(captured("advantage_19_ags_lineitem_create.json")));

        LineItem created = ags().create(f.platform(), endpoint(true),
                new NewLineItem("Attendance 2025-10-01 (harness)", 1, "1", "att-2025-10-01", "attendance"));

        LoggedRequest request = f.wm.findAll(postRequestedFor(urlEqualTo(LINEITEMS))).getFirst();
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/vnd.ims.lis.v2.lineitem+json");
        assertThat(request.getHeader("Accept")).isEqualTo("application/vnd.ims.lis.v2.lineitem+json");
        assertThat(AdvantageFixture.json(request.getBodyAsString())).isEqualTo(AdvantageFixture.json(
                "{\"scoreMaximum\":1,\"label\":\"Attendance 2025-10-01 (harness)\",\"resourceId\":\"att-2025-10-01\","
                        + "\"tag\":\"attendance\",\"resourceLinkId\":\"1\"}"));
        assertThat(created.id()).isEqualTo(URI.create("http://127.0.0.1:8100" + ITEM_8));
        assertThat(created.startDateTime()).isEqualTo(Instant.parse("2026-11-24T02:02:52.820Z"));
    }

    @Test
    void updates_a_line_item_with_put_to_its_id() {
        f.wm.stubFor(put(urlEqualTo(ITEM_8)).willReturn(captured("advantage_21_ags_lineitem_update_put.json")));
        LineItem item = new LineItem(URI.create(f.url(ITEM_8)), "Attendance 2025-10-01 (harness, renamed)", 1,
                "att-2025-10-01", "attendance", "1", null, null);

        LineItem updated = ags().update(f.platform(), endpoint(true), item);

        LoggedRequest request = f.wm.findAll(putRequestedFor(urlEqualTo(ITEM_8))).getFirst();
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/vnd.ims.lis.v2.lineitem+json");
        assertThat(AdvantageFixture.json(request.getBodyAsString()).get("id").asText()).isEqualTo(f.url(ITEM_8));
        assertThat(updated.label()).isEqualTo("Attendance 2025-10-01 (harness, renamed)");
    }

    @Test
    void posts_a_score_to_scores_inserted_before_the_query_string() {
        String scores = "/mod/lti/services.php/2/lineitems/2/lineitem/scores?type_id=1";
        f.wm.stubFor(post(urlEqualTo(scores)).willReturn(captured("advantage_17_ags_score_post.json")));

        ScoreOutcome outcome = ags().postScore(f.platform(), endpoint(true), URI.create(f.url(ITEM_2)),
                Score.graded("4", 87, 100, Instant.parse("2026-11-24T02:02:52.729Z"), "Present, on time (harness)"));

        assertThat(outcome).isEqualTo(ScoreOutcome.ACCEPTED);
        LoggedRequest request = f.wm.findAll(postRequestedFor(urlEqualTo(scores))).getFirst();
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/vnd.ims.lis.v1.score+json");
        assertThat(request.getHeader("Authorization")).isEqualTo(BEARER);
        JsonNode sent = AdvantageFixture.json(request.getBodyAsString());
        JsonNode recorded = AdvantageFixture.capture("advantage_17_ags_score_post.json").get("request").get("body");
        assertThat(sent).isEqualTo(recorded);
        assertThat(sent.get("timestamp").asText()).isEqualTo("2026-11-24T02:02:52.729Z");
    }

    @Test
    void a_timestamp_rounded_to_the_second_still_goes_out_with_milliseconds() {
        f.wm.stubFor(post(urlPathEqualTo("/mod/lti/services.php/2/lineitems/2/lineitem/scores")).willReturn(captured("advantage_17_ags_score_post.json")));

        ags().postScore(f.platform(), endpoint(true), URI.create(f.url(ITEM_2)),
                new Score("4", null, null, Score.ActivityProgress.STARTED, Score.GradingProgress.NOT_READY,
                        Instant.parse("2026-11-24T02:02:52Z"), null));

        JsonNode sent = AdvantageFixture.json(f.wm.findAll(postRequestedFor(urlPathEqualTo(
                "/mod/lti/services.php/2/lineitems/2/lineitem/scores"))).getFirst().getBodyAsString());
        assertThat(sent.get("timestamp").asText()).isEqualTo("2026-11-24T02:02:52.000Z");
        assertThat(sent.has("scoreGiven")).isFalse();
        assertThat(sent.get("activityProgress").asText()).isEqualTo("Started");
        assertThat(sent.get("gradingProgress").asText()).isEqualTo("NotReady");
    }

    @Test
    void a_409_means_the_platform_holds_a_score_at_least_as_new() {
        f.wm.stubFor(post(urlEqualTo("/mod/lti/services.php/2/lineitems/2/lineitem/scores?type_id=1"))
                .willReturn(aResponse().withStatus(409).withBody("")));

        assertThat(ags().postScore(f.platform(), endpoint(true), URI.create(f.url(ITEM_2)), score("4")))
                .isEqualTo(ScoreOutcome.NOT_NEWER);
    }

    @Test
    void moodles_400_with_an_empty_array_means_the_user_cannot_be_graded() {
        f.wm.stubFor(post(urlEqualTo("/mod/lti/services.php/2/lineitems/2/lineitem/scores?type_id=1"))
                .willReturn(captured("advantage_25_ags_score_error_unknown_user.json")));

        assertThat(ags().postScore(f.platform(), endpoint(true), URI.create(f.url(ITEM_2)), score("99999")))
                .isEqualTo(ScoreOutcome.USER_NOT_GRADABLE);
    }

    @Test
    void any_other_score_error_is_an_exception_with_the_platforms_reason() {
        f.wm.stubFor(post(urlEqualTo("/mod/lti/services.php/2/lineitems/2/lineitem/scores?type_id=1"))
                .willReturn(captured("advantage_26_ags_error_wrong_accept.json")));

        assertThatThrownBy(() -> ags().postScore(f.platform(), endpoint(true), URI.create(f.url(ITEM_2)), score("4")))
                .isInstanceOfSatisfying(AdvantageException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).startsWith("No handler found");
                    assertThat(e.getMessage()).contains("AGS score POST", "/lineitem/scores?type_id=1");
                });
    }

    @Test
    void reads_results_from_results_inserted_before_the_query_with_the_user_filter_after_it() {
        String results = "/mod/lti/services.php/2/lineitems/2/lineitem/results?type_id=1&user_id=4";
        f.wm.stubFor(get(urlEqualTo(results)).willReturn(captured("advantage_18_ags_results_get.json")));

        List<Result> list = ags().results(f.platform(), endpoint(true), URI.create(f.url(ITEM_2)), "4");

        f.wm.verify(getRequestedFor(urlEqualTo(results))
                .withHeader("Accept", equalTo("application/vnd.ims.lis.v2.resultcontainer+json")));
        assertThat(list).containsExactly(new Result(
                URI.create("http://127.0.0.1:8100/mod/lti/services.php/2/lineitems/2/lineitem/results?type_id=1&user_id=4"),
                "4", 87.0, 100.0, "Present, on time (harness)",
                URI.create("http://127.0.0.1:8100" + ITEM_2), Instant.parse("2026-11-24T02:02:52Z")));
    }

    @Test
    void a_call_whose_scope_the_launch_did_not_grant_fails_without_any_request() {
        AgsEndpoint readOnly = new AgsEndpoint(URI.create(f.url(LINEITEMS)), null,
                Set.of(AssignmentsGrades.SCOPE_LINEITEM_READONLY, AssignmentsGrades.SCOPE_RESULT_READONLY));

        assertThatThrownBy(() -> ags().postScore(f.platform(), readOnly, URI.create(f.url(ITEM_2)), score("4")))
                .isInstanceOf(AdvantageException.class).hasMessageContaining("does not grant " + AssignmentsGrades.SCOPE_SCORE);
        assertThatThrownBy(() -> ags().create(f.platform(), readOnly, NewLineItem.attendanceAdmission("1")))
                .isInstanceOf(AdvantageException.class).hasMessageContaining("does not grant " + AssignmentsGrades.SCOPE_LINEITEM);
        f.wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void a_line_item_service_that_does_not_answer_in_time_is_an_exception() {
        f.wm.stubFor(get(urlEqualTo(LINEITEMS)).willReturn(captured("advantage_13_ags_lineitems_get.json").withFixedDelay(AdvantageFixture.SLOW_ANSWER_MS)));
        AssignmentsGrades impatient = new AssignmentsGrades(f.http, f.tokens(), AdvantageFixture.SHORT_TIMEOUT);

        assertThatThrownBy(() -> impatient.lineItems(f.platform(), endpoint(true), LineItemFilter.ALL))
                .isInstanceOfSatisfying(AdvantageException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.getMessage()).contains("AGS line items GET", LINEITEMS, "no answer within");
                });
    }

    @Test
    void the_launchs_line_item_claim_is_used_without_asking_the_platform() {
        ResolvedLineItem resolved = ags().findOrCreate(f.platform(), endpoint(true), NewLineItem.attendanceAdmission("1"));

        assertThat(resolved).isEqualTo(new ResolvedLineItem(URI.create(f.url(ITEM_2)), ResolvedLineItem.Source.LAUNCH_CLAIM));
        f.wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void without_the_claim_the_line_item_is_found_by_resource_link_and_tag() {
        f.wm.stubFor(get(urlEqualTo(LINEITEMS + "&resource_link_id=1&tag=attendance"))
                .willReturn(captured("advantage_15_ags_lineitems_get_by_resource_link_for_fallback.json")));

        ResolvedLineItem resolved = ags().findOrCreate(f.platform(), endpoint(false),
                new NewLineItem("Attendance 2025-10-01", 1, "1", null, "attendance"));

        assertThat(resolved).isEqualTo(new ResolvedLineItem(
                URI.create("http://127.0.0.1:8100/mod/lti/services.php/2/lineitems/4/lineitem?type_id=1"), ResolvedLineItem.Source.FOUND));
        f.wm.verify(0, postRequestedFor(urlPathEqualTo("/mod/lti/services.php/2/lineitems")));
    }

    @Test
    void without_the_claim_and_without_a_match_the_admission_line_item_is_created() {
        f.wm.stubFor(get(urlEqualTo(LINEITEMS + "&resource_link_id=1&tag=qatysu-attendance-admission"))
                .willReturn(captured("advantage_15_ags_lineitems_get_by_resource_link_for_fallback.json")));
        f.wm.stubFor(post(urlEqualTo(LINEITEMS)).willReturn(captured("advantage_19_ags_lineitem_create.json")));

        ResolvedLineItem resolved = ags().findOrCreate(f.platform(), endpoint(false), NewLineItem.attendanceAdmission("1"));

        assertThat(resolved).isEqualTo(new ResolvedLineItem(URI.create("http://127.0.0.1:8100" + ITEM_8), ResolvedLineItem.Source.CREATED));
        LoggedRequest create = f.wm.findAll(postRequestedFor(urlEqualTo(LINEITEMS))).getFirst();
        assertThat(AdvantageFixture.json(create.getBodyAsString())).isEqualTo(AdvantageFixture.json(
                "{\"scoreMaximum\":1,\"label\":\"Attendance admission\",\"tag\":\"qatysu-attendance-admission\",\"resourceLinkId\":\"1\"}"));
        f.wm.verify(postRequestedFor(urlEqualTo(LINEITEMS)).withHeader("Accept", equalTo(AssignmentsGrades.LINEITEM)));
        f.wm.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withHeader("Accept", equalTo("application/json"))
                .withHeader("Authorization", absent()));
    }

    private AssignmentsGrades ags() {
        return new AssignmentsGrades(f.http, f.tokens(), AdvantageFixture.TIMEOUT);
    }

    /** The AGS claim of Moodle's launch_002, pointed at WireMock; without its lineitem when {@code withLineItem} is false. */
    private AgsEndpoint endpoint(boolean withLineItem) {
        AgsEndpoint moodle = moodleLaunchEndpoint();
        return new AgsEndpoint(URI.create(f.url(LINEITEMS)), withLineItem ? URI.create(f.url(ITEM_2)) : null, moodle.scopes());
    }

    @SuppressWarnings("unchecked")
    private AgsEndpoint moodleLaunchEndpoint() {
        try (InputStream in = getClass().getResourceAsStream("/integration/captures/moodle-4.5/launch_002_student1_LtiResourceLinkRequest.json")) {
            ObjectMapper json = new ObjectMapper();
            Map<String, Object> claim = json.convertValue(json.readTree(in).get("claims").get(LtiClaims.AGS_ENDPOINT), Map.class);
            return AgsEndpoint.fromClaim(claim).orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Score score(String userId) {
        return Score.graded(userId, 1, 1, Instant.parse("2026-11-24T02:02:53.095Z"), null);
    }
}
