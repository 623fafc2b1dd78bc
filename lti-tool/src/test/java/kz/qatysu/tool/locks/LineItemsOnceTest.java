package kz.qatysu.tool.locks;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import kz.qatysu.tool.lti.advantage.NewLineItem;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.MoodleLineItems;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 §1: each admission line item is found or created once per resource link, whatever launches, time-outs and
 * nodes do — against a container that lists what was created, as Moodle 4.5's does.
 */
class LineItemsOnceTest extends MoodleAgsCourse {
    static final String SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/";

    @Test
    void a_relaunch_whose_ags_claim_differs_only_in_its_scopes_keeps_the_remembered_line_items() throws Exception {
        // the cluster test's order: a launch granting lineitem and score, a pass, then a launch also granting lineitem.readonly
        launch(Map.of("scope", List.of(SCOPE + "lineitem", SCOPE + "score"), "lineitems", container()));
        tool.app().publishAdmissionScores();
        assertThat(lineItemUrl()).endsWith("/lineitems/7/lineitem?type_id=1");

        launchAsStudent(new Browser());
        assertThat(lineItemUrl()).as("same container, no other lineitem claim: still the remembered item").endsWith("/lineitems/7/lineitem?type_id=1");
        markAbsent(1, 2, 3, 4);
        tool.app().publishAdmissionScores();

        assertThat(last(scores())).contains("\"scoreGiven\":0,");
        assertThat(created()).as("each item created once").hasSize(2);
        assertThat(lms.findAll(getRequestedFor(urlPathEqualTo(LINE_ITEMS)).withQueryParam("tag", equalTo(NewLineItem.ADMISSION_TAG))))
                .as("the attendance item was looked for once, before it was created").hasSize(1);
    }

    @Test
    void the_activitys_own_line_item_stays_the_attendance_item_when_moodle_drops_the_claim_beside_the_exam_item() throws Exception {
        // Moodle names the link's only line item in the claim; once the tool adds the exam item beside it, the claim is gone
        String own = lms.baseUrl() + LINE_ITEMS + "/2/lineitem?type_id=1";
        lms.stubFor(post(urlPathEqualTo(LINE_ITEMS + "/2/lineitem/scores")).willReturn(aResponse().withStatus(200)));
        launch(Map.of("scope", List.of(SCOPE + "lineitem", SCOPE + "lineitem.readonly", SCOPE + "score"),
                "lineitems", container(), "lineitem", own));
        tool.app().publishAdmissionScores();
        assertThat(lineItemUrl()).isEqualTo(own);

        launchAsStudent(new Browser()); // the claim without "lineitem"
        markAbsent(1, 2, 3, 4);
        tool.app().publishAdmissionScores();

        assertThat(lms.findAll(postRequestedFor(urlPathEqualTo(LINE_ITEMS + "/2/lineitem/scores"))))
                .extracting(LoggedRequest::getBodyAsString).last().asString().contains("\"scoreGiven\":0,");
        assertThat(lineItems.items()).as("no \"Attendance admission\" item beside the activity's own")
                .extracting(i -> i.path("tag").asText()).containsExactly(NewLineItem.EXAM_ADMISSION_TAG);
        assertThat(scores()).isEmpty();
    }

    @Test
    void a_line_item_post_that_outlasts_the_time_out_but_was_created_is_found_and_used_in_the_same_pass() throws Exception {
        tool = tool.restart(Map.of("QATYSU_LTI_HTTP_TIMEOUT", "1s"), clock); // 2 s for the AGS calls
        // a slow LMS under load: it makes the item at once, its answer comes after the tool stopped waiting
        lms.stubFor(post(urlPathEqualTo(LINE_ITEMS)).atPriority(1).withRequestBody(containing(NewLineItem.ADMISSION_TAG))
                .willReturn(aResponse().withFixedDelay(4_000).withTransformers(MoodleLineItems.NAME)));
        launchAsStudent(new Browser());

        tool.app().publishAdmissionScores();

        assertThat(created()).as("one POST per item, none repeated after the time-out").hasSize(2);
        assertThat(lineItemUrl()).endsWith("/lineitems/7/lineitem?type_id=1");
        assertThat(scores()).as("the score went to the item found after the time-out, in this pass").hasSize(1);

        markAbsent(1, 2, 3, 4);
        tool.app().publishAdmissionScores();
        assertThat(created()).hasSize(2);
        assertThat(last(scores())).contains("\"scoreGiven\":0,");
    }

    @Test
    void a_remembered_line_item_the_lms_no_longer_has_is_forgotten_and_found_or_created_again() throws Exception {
        launchAsStudent(new Browser());
        tool.app().publishAdmissionScores();
        assertThat(lineItemUrl()).endsWith("/lineitems/7/lineitem?type_id=1");
        // the teacher deleted the item: Moodle answers 404 for its scores
        lms.stubFor(post(urlPathEqualTo(LINE_ITEMS + "/7/lineitem/scores")).atPriority(1).willReturn(aResponse().withStatus(404)));

        markAbsent(1, 2, 3, 4);
        tool.app().publishAdmissionScores();

        assertThat(lineItemUrl()).as("forgotten: the next pass looks for it again").isNull();
    }

    private void launch(Map<String, Object> agsClaim) {
        LtiFlow flow = new LtiFlow(tool, platform, new Browser());
        var r = flow.launch((nonce, target) -> {
            Map<String, Object> claims = withAgs(LaunchClaims.moodleStudent(platform, nonce, target));
            claims.put("https://purl.imsglobal.org/spec/lti-ags/claim/endpoint", new HashMap<>(agsClaim));
            return claims;
        });
        assertThat(r.statusCode()).isEqualTo(303);
    }

    private String container() {
        return lms.baseUrl() + LINE_ITEMS + "?type_id=1";
    }

    private List<LoggedRequest> created() {
        return lms.findAll(postRequestedFor(urlPathEqualTo(LINE_ITEMS)));
    }

    private String lineItemUrl() {
        return tool.database().jdbi().withHandle(h -> h.createQuery("SELECT line_item_url FROM course_link WHERE resource_link_id = '1'")
                .mapTo(String.class).one());
    }
}
