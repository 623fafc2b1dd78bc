package kz.qatysu.demo.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The token endpoint, NRPS and AGS, called the way the tool calls them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdvantageServicesTest {
    private static final String ALL_SCOPES = String.join(" ", TokenController.PERMITTED_SCOPES);
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private FakeTool tool;
    private DemoPlatform platform;

    @BeforeAll
    void start() {
        tool = new FakeTool();
        platform = DemoPlatform.start(new DemoPlatform.Settings(0, tool.baseUrl(), "tool-client-1", "1"));
    }

    @AfterAll
    void stop() {
        platform.stop();
        tool.close();
    }

    @Test
    void the_token_endpoint_grants_a_bearer_token_for_a_correctly_signed_assertion() throws Exception {
        HttpResponse<String> r = tokenRequest(tool.clientAssertion("tool-client-1", platform.authTokenUrl()),
                LaunchMessages.SCOPE_MEMBERSHIPS + " " + LaunchMessages.SCOPE_SCORE + " https://example.com/scope/unknown");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/html"));
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("access_token").asText()).matches("[0-9a-f]{32}");
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asInt()).isEqualTo(3600);
        assertThat(body.get("scope").asText()).isEqualTo(LaunchMessages.SCOPE_MEMBERSHIPS + " " + LaunchMessages.SCOPE_SCORE);
    }

    @Test
    void the_token_endpoint_refuses_an_assertion_signed_with_a_key_outside_the_tool_key_set() throws Exception {
        RSAKey impostor = FakeTool.newKey(tool.key().getKeyID());
        String assertion = FakeTool.sign(impostor, new JWTClaimsSet.Builder().issuer("tool-client-1").subject("tool-client-1")
                .audience(platform.authTokenUrl()).issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .jwtID("j1").build());

        HttpResponse<String> r = tokenRequest(assertion, ALL_SCOPES);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json.readTree(r.body()).get("error").asText()).isEqualTo("Signature verification failed");
    }

    @Test
    void the_token_endpoint_fetches_the_tool_key_set_again_when_the_tool_rotated_its_key() throws Exception {
        assertThat(tokenRequest(tool.clientAssertion("tool-client-1", platform.authTokenUrl()), ALL_SCOPES).statusCode()).isEqualTo(200);
        int downloads = tool.jwksDownloads();
        assertThat(tokenRequest(tool.clientAssertion("tool-client-1", platform.authTokenUrl()), ALL_SCOPES).statusCode()).isEqualTo(200);
        assertThat(tool.jwksDownloads()).as("cached while the kid is known").isEqualTo(downloads);

        Thread.sleep(1100); // downloads are rate-limited to one a second
        tool.rotateKey("tool-key-rotated");
        HttpResponse<String> r = tokenRequest(tool.clientAssertion("tool-client-1", platform.authTokenUrl()), ALL_SCOPES);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(tool.jwksDownloads()).isEqualTo(downloads + 1);
    }

    @Test
    void the_token_endpoint_answers_moodles_errors() throws Exception {
        String good = tool.clientAssertion("tool-client-1", platform.authTokenUrl());
        assertThat(error(tokenRequest(tool.clientAssertion("nope", platform.authTokenUrl()), ALL_SCOPES))).isEqualTo("invalid_client");
        assertThat(error(tokenRequest(good, "https://example.com/scope/unknown"))).isEqualTo("invalid_scope");
        assertThat(error(send(form(Map.of("grant_type", "password", "client_assertion_type", TokenController.JWT_BEARER,
                "client_assertion", good, "scope", ALL_SCOPES))))).isEqualTo("unsupported_grant_type");
        assertThat(error(send(form(Map.of("grant_type", "client_credentials", "client_assertion_type", TokenController.JWT_BEARER,
                "client_assertion", "not.a.jwt", "scope", ALL_SCOPES))))).isEqualTo("invalid_request");
        HttpResponse<String> jsonBody = http.send(HttpRequest.newBuilder(URI.create(platform.authTokenUrl()))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(error(jsonBody)).isEqualTo("invalid_request");
    }

    @Test
    void the_token_endpoint_refuses_an_expired_assertion() throws Exception {
        String expired = FakeTool.sign(tool.key(), new JWTClaimsSet.Builder().issuer("tool-client-1").subject("tool-client-1")
                .audience(platform.authTokenUrl()).issueTime(Date.from(Instant.now().minusSeconds(600)))
                .expirationTime(Date.from(Instant.now().minusSeconds(300))).jwtID("j2").build());

        assertThat(error(tokenRequest(expired, ALL_SCOPES))).isEqualTo("Expired token");
    }

    @Test
    void nrps_pages_through_the_whole_roster_with_link_headers() throws Exception {
        String token = token(LaunchMessages.SCOPE_MEMBERSHIPS);
        String url = platform.issuer() + "/mod/lti/services.php/CourseSection/2/bindings/1/memberships?limit=3";
        List<JsonNode> members = new ArrayList<>();
        int pages = 0;
        while (url != null && pages < 10) {
            HttpResponse<String> r = get(url, token, MembershipsController.MEDIA_TYPE);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith(MembershipsController.MEDIA_TYPE));
            JsonNode body = json.readTree(r.body());
            assertThat(body.get("context").get("title").asText()).isEqualTo(SampleCourse.TITLE);
            body.get("members").forEach(members::add);
            url = r.headers().firstValue("Link").map(l -> {
                Matcher m = NEXT.matcher(l);
                return m.find() ? m.group(1) : null;
            }).orElse(null);
            pages++;
        }

        assertThat(pages).isEqualTo(3);
        assertThat(members).extracting(m -> m.get("lis_person_sourcedid").asText())
                .containsExactly("T-7", "T-8", "P-1001", "P-1002", "P-1003", "P-1004", "P-1005", "P-1006");
        assertThat(members).extracting(m -> m.get("roles").get(0).asText())
                .containsExactly("Instructor", "Learner", "Learner", "Learner", "Learner", "Learner", "Learner", "Learner");
        assertThat(members.get(2).get("name").asText()).isEqualTo("Әсел Қанатқызы");
        assertThat(members.get(2).get("user_id").asText()).isEqualTo("5");
        assertThat(members.get(2).get("status").asText()).isEqualTo("Active");
    }

    @Test
    void nrps_filters_by_role_uri() throws Exception {
        HttpResponse<String> r = get(platform.issuer() + "/mod/lti/services.php/CourseSection/2/bindings/1/memberships?role="
                + PlatformUrls.enc("http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"), token(LaunchMessages.SCOPE_MEMBERSHIPS),
                MembershipsController.MEDIA_TYPE);

        assertThat(json.readTree(r.body()).get("members")).extracting(m -> m.get("lis_person_sourcedid").asText()).containsExactly("T-7");
    }

    @Test
    void services_refuse_missing_wrong_and_under_scoped_tokens_and_unknown_media_types() throws Exception {
        String nrps = platform.issuer() + "/mod/lti/services.php/CourseSection/2/bindings/1/memberships";
        HttpResponse<String> none = get(nrps, null, MembershipsController.MEDIA_TYPE);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(json.readTree(none.body()).get("reason").asText()).isEqualTo("Unauthorized");
        assertThat(get(nrps, "not-a-token", MembershipsController.MEDIA_TYPE).statusCode()).isEqualTo(401);
        assertThat(get(nrps, token(LaunchMessages.SCOPE_SCORE), MembershipsController.MEDIA_TYPE).statusCode()).isEqualTo(401);
        HttpResponse<String> wrongAccept = get(platform.issuer() + "/mod/lti/services.php/2/lineitems?type_id=1",
                token(LaunchMessages.SCOPE_LINEITEM), "application/json");
        assertThat(wrongAccept.statusCode()).isEqualTo(400);
        assertThat(json.readTree(wrongAccept.body()).get("reason").asText()).startsWith("No handler found for /2/lineitems application/json");
    }

    @Test
    void ags_score_round_trip_creates_an_item_posts_a_score_and_reads_the_rescaled_result() throws Exception {
        String token = token(ALL_SCOPES);
        String lineItems = platform.issuer() + "/mod/lti/services.php/2/lineitems?type_id=1";
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(lineItems))
                .header("Content-Type", GradebookController.LINE_ITEM).header("Accept", GradebookController.LINE_ITEM)
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"scoreMaximum\":10,\"label\":\"Қатысу рұқсаты\",\"resourceId\":\"admission\","
                        + "\"tag\":\"attendance\",\"resourceLinkId\":\"1\",\"startDateTime\":\"2026-09-01T00:00:00Z\"}")));
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode item = json.readTree(created.body());
        assertThat(item.get("label").asText()).isEqualTo("Қатысу рұқсаты");
        assertThat(item.get("startDateTime").asText()).as("echoed like Moodle").isEqualTo("2026-09-01T00:00:00Z");
        String itemUrl = item.get("id").asText();
        assertThat(itemUrl).matches("\\Q" + platform.issuer() + "/mod/lti/services.php/2/lineitems/\\E\\d+/lineitem\\?type_id=1");
        String scores = itemUrl.replace("/lineitem?", "/lineitem/scores?");
        String results = itemUrl.replace("/lineitem?", "/lineitem/results?");

        HttpResponse<String> scored = postScore(scores, token, "{\"userId\":\"5\",\"scoreGiven\":87,\"scoreMaximum\":100,"
                + "\"comment\":\"Қатысты\",\"timestamp\":\"2026-11-24T02:02:52.729Z\",\"activityProgress\":\"Completed\",\"gradingProgress\":\"FullyGraded\"}");
        assertThat(scored.statusCode()).isEqualTo(200);
        assertThat(scored.body()).isEmpty();

        HttpResponse<String> read = get(results, token, GradebookController.RESULTS);
        assertThat(read.statusCode()).isEqualTo(200);
        JsonNode result = json.readTree(read.body());
        assertThat(result.isArray()).isTrue();
        assertThat(result).hasSize(1);
        assertThat(result.get(0).get("userId").asText()).isEqualTo("5");
        assertThat(result.get(0).get("resultScore").asDouble()).isEqualTo(8.7);
        assertThat(result.get(0).get("resultMaximum").asDouble()).isEqualTo(10);
        assertThat(result.get(0).get("comment").asText()).isEqualTo("Қатысты");
        assertThat(result.get(0).get("scoreOf").asText()).isEqualTo(itemUrl);
        assertThat(result.get(0).get("timestamp").asText()).isEqualTo("2026-11-24T07:02:52+05:00");

        assertThat(postScore(scores, token, "{\"userId\":\"5\",\"scoreGiven\":1,\"scoreMaximum\":1,\"timestamp\":\"2026-11-24T02:02:52.729Z\","
                + "\"activityProgress\":\"Completed\",\"gradingProgress\":\"FullyGraded\"}").statusCode()).as("not newer").isEqualTo(409);
        HttpResponse<String> teacher = postScore(scores, token, "{\"userId\":\"3\",\"scoreGiven\":1,\"scoreMaximum\":1,"
                + "\"timestamp\":\"2026-11-24T03:00:00Z\",\"activityProgress\":\"Completed\",\"gradingProgress\":\"FullyGraded\"}");
        assertThat(teacher.statusCode()).isEqualTo(400);
        assertThat(teacher.body()).isEqualTo("[]");
    }

    @Test
    void ags_line_items_container_is_a_bare_array_filtered_by_resource_link() throws Exception {
        HttpResponse<String> r = get(platform.issuer() + "/mod/lti/services.php/2/lineitems?type_id=1&resource_link_id=1",
                token(LaunchMessages.SCOPE_LINEITEM_READONLY), GradebookController.CONTAINER);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode items = json.readTree(r.body());
        assertThat(items.isArray()).isTrue();
        assertThat(items).isNotEmpty().allSatisfy(i -> assertThat(i.get("resourceLinkId").asText()).isEqualTo("1"));
        assertThat(items.get(0).get("scoreMaximum").asInt()).isEqualTo(100);
    }

    @Test
    void a_second_line_item_on_the_activity_removes_the_lineitem_claim_from_launches_like_moodle() throws Exception {
        FakeTool otherTool = new FakeTool();
        try (DemoPlatform fresh = DemoPlatform.start(new DemoPlatform.Settings(0, otherTool.baseUrl(), "c2", "1"))) {
            assertThat(agsClaim(fresh)).containsKey("lineitem");
            String token = tokenFrom(fresh, otherTool, LaunchMessages.SCOPE_LINEITEM);
            HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(fresh.issuer() + "/mod/lti/services.php/2/lineitems?type_id=1"))
                    .header("Content-Type", GradebookController.LINE_ITEM).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"scoreMaximum\":1,\"label\":\"second\",\"resourceLinkId\":\"1\"}")));
            assertThat(created.statusCode()).isEqualTo(201);

            assertThat(agsClaim(fresh)).doesNotContainKey("lineitem").containsKey("lineitems");
        } finally {
            otherTool.close();
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> agsClaim(DemoPlatform p) throws Exception {
        PlatformBrowser browser = new PlatformBrowser();
        Map<String, String> login = browser.startMoodleLaunch(p, "5", "link=1");
        Map<String, String> posted = PlatformBrowser.hiddenFields(browser.authorize(p,
                PlatformBrowser.authRequest(login, login.get("target_link_uri"), "s", "n")).body());
        return (Map<String, Object>) SignedJWT.parse(posted.get("id_token")).getJWTClaimsSet()
                .getClaim("https://purl.imsglobal.org/spec/lti-ags/claim/endpoint");
    }

    private String token(String scope) throws Exception {
        return tokenFrom(platform, tool, scope);
    }

    private String tokenFrom(DemoPlatform p, FakeTool t, String scope) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(p.authTokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(PlatformBrowser.form(Map.of("grant_type", "client_credentials",
                        "client_assertion_type", TokenController.JWT_BEARER,
                        "client_assertion", t.clientAssertion(p.clientId(), p.authTokenUrl()), "scope", scope)))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body()).get("access_token").asText();
    }

    private HttpResponse<String> tokenRequest(String assertion, String scope) throws Exception {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "client_credentials");
        f.put("client_assertion_type", TokenController.JWT_BEARER);
        f.put("client_assertion", assertion);
        f.put("scope", scope);
        return send(form(f));
    }

    private HttpRequest.Builder form(Map<String, String> fields) {
        return HttpRequest.newBuilder(URI.create(platform.authTokenUrl())).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(PlatformBrowser.form(fields)));
    }

    private HttpResponse<String> postScore(String url, String token, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", GradebookController.SCORE)
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> get(String url, String token, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String error(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        return json.readTree(r.body()).get("error").asText();
    }
}
