package kz.qatysu.tool.lti.advantage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static kz.qatysu.tool.lti.advantage.AdvantageFixture.TOKEN_PATH;
import static kz.qatysu.tool.lti.advantage.AdvantageFixture.captured;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NamesRolesTest {
    private static final String PATH = "/mod/lti/services.php/CourseSection/2/bindings/1/memberships";
    private static final String LEARNER_URI = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";

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
    void reads_moodles_roster_with_the_membership_media_type_and_a_bearer_token_of_the_nrps_scope() {
        f.wm.stubFor(get(urlEqualTo(PATH)).willReturn(captured("advantage_07_nrps_memberships.json")));

        Roster roster = names().roster(f.platform(), endpoint());

        f.wm.verify(getRequestedFor(urlEqualTo(PATH))
                .withHeader("Accept", equalTo("application/vnd.ims.lti-nrps.v2.membershipcontainer+json"))
                .withHeader("Authorization", equalTo("Bearer e76f1880d6497b5e57bbe9e6db3831a8")));
        assertThat(AdvantageFixture.form(f.wm.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH))).getFirst().getBodyAsString()))
                .containsEntry("scope", "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly");
        assertThat(roster.context()).isEqualTo(new Roster.Context("2", "ATT101", "Attendance and Proctoring 101"));
        assertThat(roster.pages()).isEqualTo(1);
        assertThat(roster.members()).extracting(Member::userId).containsExactly("7", "5", "6", "4", "3");
        Member sara = roster.members().get(1);
        assertThat(sara).isEqualTo(new Member("5", "Active", List.of("Learner"), "Sara Schüler", "Sara", "Schüler",
                "student2@example.com", "S-2002", "student2"));
        assertThat(roster.members()).filteredOn(Member::learner).hasSize(4);
        assertThat(roster.members()).filteredOn(Member::instructor).extracting(Member::extUserUsername).containsExactly("teacher1");
    }

    @Test
    void follows_link_next_across_three_pages() {
        JsonNode all = AdvantageFixture.json(AdvantageFixture.body("advantage_07_nrps_memberships.json"));
        f.wm.stubFor(get(urlEqualTo(PATH + "?limit=2")).willReturn(page(all, 0, 2, PATH + "?limit=2&from=2")));
        f.wm.stubFor(get(urlEqualTo(PATH + "?limit=2&from=2")).willReturn(page(all, 2, 4, PATH + "?limit=2&from=4")));
        f.wm.stubFor(get(urlEqualTo(PATH + "?limit=2&from=4")).willReturn(page(all, 4, 5, null)));

        Roster roster = names().roster(f.platform(), endpoint(), new MembershipFilter(null, 2));

        assertThat(roster.pages()).isEqualTo(3);
        assertThat(roster.members()).extracting(Member::userId).containsExactly("7", "5", "6", "4", "3");
        f.wm.verify(3, getRequestedFor(urlPathEqualTo(PATH))
                .withHeader("Accept", equalTo(NamesRoles.MEDIA_TYPE)));
        f.wm.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
    }

    @Test
    void a_relative_next_link_is_resolved_against_the_page() {
        JsonNode all = AdvantageFixture.json(AdvantageFixture.body("advantage_07_nrps_memberships.json"));
        f.wm.stubFor(get(urlEqualTo(PATH)).willReturn(page(all, 0, 3, null)
                .withHeader("Link", "<memberships?from=3>; rel=\"next\", <memberships>; rel=\"first\"")));
        f.wm.stubFor(get(urlEqualTo(PATH + "?from=3")).willReturn(page(all, 3, 5, null)));

        assertThat(names().roster(f.platform(), endpoint()).members()).hasSize(5);
    }

    @Test
    void sends_the_role_filter_as_a_query_parameter() {
        f.wm.stubFor(get(urlPathEqualTo(PATH)).willReturn(captured("advantage_09_nrps_memberships_role_learner.json")));

        Roster learners = names().roster(f.platform(), endpoint(), MembershipFilter.role(LEARNER_URI));

        f.wm.verify(getRequestedFor(urlEqualTo(PATH + "?role=http%3A%2F%2Fpurl.imsglobal.org%2Fvocab%2Flis%2Fv2%2Fmembership%23Learner")));
        assertThat(learners.members()).hasSize(4).allMatch(Member::learner);
    }

    @Test
    void a_next_link_back_to_a_page_already_read_stops_with_an_exception() {
        JsonNode all = AdvantageFixture.json(AdvantageFixture.body("advantage_07_nrps_memberships.json"));
        f.wm.stubFor(get(urlEqualTo(PATH)).willReturn(page(all, 0, 2, PATH + "?from=2")));
        f.wm.stubFor(get(urlEqualTo(PATH + "?from=2")).willReturn(page(all, 2, 4, PATH)));

        assertThatThrownBy(() -> names().roster(f.platform(), endpoint()))
                .isInstanceOf(AdvantageException.class).hasMessageContaining("already read");
    }

    @Test
    void a_401_is_retried_once_with_a_new_token_then_reported_with_moodles_reason() {
        f.wm.stubFor(get(urlEqualTo(PATH)).willReturn(captured("advantage_11_nrps_error_no_token.json")));

        assertThatThrownBy(() -> names().roster(f.platform(), endpoint()))
                .isInstanceOfSatisfying(AdvantageException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.error()).isEqualTo("Unauthorized");
                    assertThat(e.getMessage()).contains("NRPS", f.url(PATH)).doesNotContain("e76f1880d6497b5e57bbe9e6db3831a8");
                });
        f.wm.verify(2, getRequestedFor(urlEqualTo(PATH)));
        f.wm.verify(2, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
    }

    @Test
    void a_401_with_a_revoked_token_succeeds_on_the_retry_with_a_new_token() {
        f.wm.stubFor(get(urlEqualTo(PATH)).inScenario("revoked").whenScenarioStateIs("Started")
                .willReturn(captured("advantage_11_nrps_error_no_token.json")).willSetStateTo("renewed"));
        f.wm.stubFor(get(urlEqualTo(PATH)).inScenario("revoked").whenScenarioStateIs("renewed")
                .willReturn(captured("advantage_07_nrps_memberships.json")));

        assertThat(names().roster(f.platform(), endpoint()).members()).hasSize(5);
        f.wm.verify(2, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
    }

    @Test
    void a_membership_service_that_does_not_answer_in_time_is_an_exception() {
        f.wm.stubFor(get(urlEqualTo(PATH)).willReturn(captured("advantage_07_nrps_memberships.json").withFixedDelay(AdvantageFixture.SLOW_ANSWER_MS)));
        NamesRoles impatient = new NamesRoles(f.http, f.tokens(), AdvantageFixture.SHORT_TIMEOUT);

        assertThatThrownBy(() -> impatient.roster(f.platform(), endpoint()))
                .isInstanceOf(AdvantageException.class).hasMessageContaining("no answer within");
    }

    @Test
    void a_role_given_as_short_name_or_uri_matches_either_form() {
        Member moodle = new Member("4", null, List.of("Learner"), null, null, null, null, null, null);
        Member other = new Member("4", "Active", List.of(LEARNER_URI), null, null, null, null, null, null);

        assertThat(moodle.hasRole(LEARNER_URI)).isTrue();
        assertThat(moodle.hasRole("Learner")).isTrue();
        assertThat(other.hasRole("Learner")).isTrue();
        assertThat(other.instructor()).isFalse();
        assertThat(moodle.active()).isTrue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_endpoint_comes_from_the_nrps_claim_of_a_real_moodle_launch() throws Exception {
        JsonNode claims;
        try (var in = getClass().getResourceAsStream("/integration/captures/moodle-4.5/launch_002_student1_LtiResourceLinkRequest.json")) {
            claims = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in).get("claims");
        }
        Map<String, Object> claim = new com.fasterxml.jackson.databind.ObjectMapper()
                .convertValue(claims.get(kz.qatysu.tool.lti.LtiClaims.NRPS), Map.class);

        assertThat(NrpsEndpoint.fromClaim(claim)).contains(new NrpsEndpoint(
                URI.create("http://127.0.0.1:8100" + PATH), List.of("1.0", "2.0")));
        assertThat(NrpsEndpoint.fromClaim(Map.of("service_versions", List.of("2.0")))).isEmpty();
    }

    private NamesRoles names() {
        return new NamesRoles(f.http, f.tokens(), AdvantageFixture.TIMEOUT);
    }

    private NrpsEndpoint endpoint() {
        return new NrpsEndpoint(URI.create(f.url(PATH)), List.of("2.0"));
    }

    /** Moodle's container with members [from, to) of the captured roster, and a Link to the next page. */
    private com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder page(JsonNode all, int from, int to, String next) {
        ObjectNode page = all.deepCopy();
        ArrayNode members = page.putArray("members");
        for (int i = from; i < to; i++) {
            members.add(all.get("members").get(i));
        }
        var response = aResponse().withStatus(200)
                .withHeader("Content-Type", "application/vnd.ims.lti-nrps.v2.membershipcontainer+json; charset=utf-8")
                .withBody(page.toString());
        return next == null ? response : response.withHeader("Link", "<" + f.url(next) + ">; rel=\"next\"");
    }
}
