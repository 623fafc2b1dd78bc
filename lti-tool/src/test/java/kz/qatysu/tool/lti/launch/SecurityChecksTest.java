package kz.qatysu.tool.lti.launch;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import static kz.qatysu.tool.testing.LaunchClaims.LTI;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security checks of lti-cert-cases.md §F (1EdTech Security Framework §5.1.1 / §5.1.3 = OIDC Core §3.1.3.7)
 * that the certification suite does not spell out, each through the real login → launch flow.
 */
class SecurityChecksTest {
    static RunningTool tool;
    static TestPlatform platform;
    static TestPlatform rotating;
    static TestPlatform disabled;
    static long disabledId;

    @BeforeAll
    static void start() {
        // A short minimum refetch interval so the key rotation test need not wait the default 5 s.
        tool = RunningTool.start(Map.of("QATYSU_LTI_JWKS_MIN_REFETCH", "300ms"), Clock.systemUTC());
        platform = new TestPlatform("http://127.0.0.1:8101", "sec-client", "d1");
        rotating = new TestPlatform("http://127.0.0.1:8102", "rotating-client", "d1");
        disabled = new TestPlatform("http://127.0.0.1:8103", "disabled-client", "d1");
        new LtiFlow(tool, platform, new Browser()).register();
        new LtiFlow(tool, rotating, new Browser()).register();
        disabledId = new LtiFlow(tool, disabled, new Browser()).register();
    }

    @AfterAll
    static void stop() {
        tool.close();
        platform.close();
        rotating.close();
        disabled.close();
    }

    // ---- helpers ----

    /** Login, then a student launch whose claims {@code mutate} changes, signed normally by the platform. */
    static HttpResponse<String> launchWith(Consumer<Map<String, Object>> mutate) {
        return launchSigned(claims -> {
            mutate.accept(claims);
            return platform.sign(claims);
        });
    }

    static HttpResponse<String> launchSigned(Function<Map<String, Object>, String> signer) {
        var flow = new LtiFlow(tool, platform, new Browser());
        Map<String, String> auth = flow.login();
        Map<String, Object> claims = LaunchClaims.moodleStudent(platform, auth.get("nonce"), flow.targetLinkUri());
        return flow.post(signer.apply(claims), auth.get("state"));
    }

    static void assertRefused(HttpResponse<String> r, int status, String reason) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("qs_"));
        assertThat(r.body()).contains("<code>" + reason + "</code>").doesNotContain("Exception", "\tat ");
    }

    static void assertAccepted(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location").orElseThrow()).startsWith("/app/");
    }

    static JWTClaimsSet claimsSet(Map<String, Object> claims) {
        try {
            return JWTClaimsSet.parse(claims);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> login(Browser browser, Map<String, String> form) {
        return browser.postForm(tool.baseUrl() + "/lti/login", form);
    }

    static Map<String, String> loginForm(TestPlatform p) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("iss", p.issuer);
        form.put("login_hint", "5");
        form.put("target_link_uri", tool.baseUrl() + "/lti/launch");
        form.put("client_id", p.clientId);
        form.put("lti_deployment_id", p.deploymentId);
        return form;
    }

    // ---- F1–F5: issuer, audience, authorized party ----

    @Test
    void a_token_whose_iss_is_not_the_issuer_of_the_login_is_refused() {
        assertRefused(launchWith(c -> c.put("iss", "http://127.0.0.1:8102")), 401, "ISSUER_MISMATCH");
    }

    @Test
    void a_token_addressed_to_another_client_id_is_refused() {
        assertRefused(launchWith(c -> c.put("aud", "someone-else")), 401, "AUD_MISMATCH");
    }

    @Test
    void a_token_whose_aud_array_lacks_our_client_id_is_refused() {
        assertRefused(launchWith(c -> c.put("aud", List.of("WRONG_CLIENTID", "ClientId2"))), 401, "AUD_MISMATCH");
    }

    @Test
    void a_token_with_our_client_id_in_aud_but_another_azp_is_refused() {
        assertRefused(launchWith(c -> {
            c.put("aud", List.of(platform.clientId, "ClientId2"));
            c.put("azp", "ClientId2");
        }), 401, "AZP_MISMATCH");
    }

    @Test
    void a_token_with_several_audiences_and_no_azp_is_refused() {
        assertRefused(launchWith(c -> c.put("aud", List.of(platform.clientId, "ClientId2"))), 401, "AZP_MISSING");
    }

    @Test
    void a_token_with_an_aud_array_and_azp_equal_to_our_client_id_is_accepted() {
        assertAccepted(launchWith(c -> {
            c.put("aud", List.of(platform.clientId, "ClientId2"));
            c.put("azp", platform.clientId);
        }));
    }

    // ---- F6–F7: algorithm and signature ----

    @Test
    void an_unsigned_token_with_alg_none_is_refused() {
        assertRefused(launchSigned(c -> new PlainJWT(claimsSet(c)).serialize()), 401, "ALG_NOT_RS256");
    }

    @Test
    void an_hs256_token_keyed_with_the_platform_public_key_bytes_is_refused() {
        assertRefused(launchSigned(c -> {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(platform.key().getKeyID()).build(), claimsSet(c));
                jwt.sign(new MACSigner(platform.key().toRSAPublicKey().getEncoded()));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }), 401, "ALG_NOT_RS256");
    }

    @Test
    void an_rs512_token_is_refused_even_with_a_valid_signature() {
        assertRefused(launchSigned(c -> {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS512).keyID(platform.key().getKeyID()).build(), claimsSet(c));
                jwt.sign(new RSASSASigner(platform.key()));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }), 401, "ALG_NOT_RS256");
    }

    @Test
    void valid_claims_signed_by_another_key_under_a_known_kid_are_refused() {
        RSAKey impostor = TestPlatform.newKey(platform.key().getKeyID());
        assertRefused(launchSigned(c -> TestPlatform.sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(platform.key().getKeyID()).build(), c, impostor)), 401, "BAD_SIGNATURE");
    }

    // ---- F8: exp / iat with the 60 s clock skew leeway, both sides ----

    @Test
    void a_token_expired_longer_ago_than_the_leeway_is_refused() {
        long now = Instant.now().getEpochSecond();
        assertRefused(launchWith(c -> {
            c.put("iat", now - 300);
            c.put("exp", now - 120);
        }), 401, "EXPIRED");
    }

    @Test
    void a_token_expired_within_the_leeway_is_accepted() {
        long now = Instant.now().getEpochSecond();
        assertAccepted(launchWith(c -> {
            c.put("iat", now - 90);
            c.put("exp", now - 30);
        }));
    }

    @Test
    void a_token_issued_in_the_future_beyond_the_leeway_is_refused() {
        long now = Instant.now().getEpochSecond();
        assertRefused(launchWith(c -> {
            c.put("iat", now + 120);
            c.put("exp", now + 180);
        }), 401, "ISSUED_IN_FUTURE");
    }

    @Test
    void a_token_issued_slightly_in_the_future_within_the_leeway_is_accepted() {
        long now = Instant.now().getEpochSecond();
        assertAccepted(launchWith(c -> {
            c.put("iat", now + 20);
            c.put("exp", now + 80);
        }));
    }

    @Test
    void a_token_without_exp_is_refused() {
        assertRefused(launchWith(c -> c.remove("exp")), 400, "MISSING_EXP_OR_IAT");
    }

    // ---- F10–F12: nonce and state ----

    @Test
    void a_token_carrying_another_nonce_than_the_one_issued_is_refused() {
        assertRefused(launchWith(c -> c.put("nonce", "not-the-issued-nonce")), 401, "NONCE_MISMATCH");
    }

    @Test
    void the_same_token_posted_twice_is_refused_the_second_time_even_with_a_fresh_state() {
        var browser = new Browser();
        var flow = new LtiFlow(tool, platform, browser);
        Map<String, String> auth = flow.login();
        String token = platform.sign(LaunchClaims.moodleStudent(platform, auth.get("nonce"), flow.targetLinkUri()));
        assertAccepted(flow.post(token, auth.get("state")));
        // the state is single-use through its nonce, recorded once per platform
        assertRefused(flow.post(token, auth.get("state")), 401, "NONCE_REPLAYED");
        Map<String, String> again = flow.login();
        assertRefused(flow.post(token, again.get("state")), 401, "NONCE_MISMATCH");
    }

    @Test
    void a_launch_without_state_is_refused() {
        var flow = new LtiFlow(tool, platform, new Browser());
        Map<String, String> auth = flow.login();
        String token = platform.sign(LaunchClaims.moodleStudent(platform, auth.get("nonce"), flow.targetLinkUri()));
        var r = new Browser().postForm(tool.baseUrl() + "/lti/launch", Map.of("id_token", token));
        assertRefused(r, 400, "MISSING_STATE");
    }

    @Test
    void a_launch_with_a_state_the_tool_never_issued_is_refused() {
        var flow = new LtiFlow(tool, platform, new Browser());
        Map<String, String> auth = flow.login();
        String token = platform.sign(LaunchClaims.moodleStudent(platform, auth.get("nonce"), flow.targetLinkUri()));
        assertRefused(flow.post(token, "forged-state-0123456789abcdef"), 401, "UNKNOWN_STATE");
    }

    // ---- F13–F15: target, deployment, message type ----

    @Test
    void a_token_whose_target_link_uri_differs_from_the_login_is_refused() {
        assertRefused(launchWith(c -> c.put(LTI + "target_link_uri", "https://evil.example/phish")), 400, "TARGET_LINK_URI_MISMATCH");
    }

    @Test
    void a_token_for_an_unregistered_deployment_is_refused() {
        assertRefused(launchWith(c -> c.put(LTI + "deployment_id", "not-registered")), 403, "UNKNOWN_DEPLOYMENT");
    }

    @Test
    void a_login_naming_an_unregistered_deployment_is_refused_without_a_redirect() {
        Map<String, String> form = loginForm(platform);
        form.put("lti_deployment_id", "not-registered");
        assertRefused(login(new Browser(), form), 403, "UNKNOWN_DEPLOYMENT");
    }

    @Test
    void an_unsupported_message_type_is_refused() {
        assertRefused(launchWith(c -> c.put(LTI + "message_type", "LtiSubmissionReviewRequest")), 400, "UNSUPPORTED_MESSAGE_TYPE");
    }

    // ---- F16–F18: login initiation ----

    @ParameterizedTest(name = "login without {0}")
    @ValueSource(strings = {"iss", "login_hint", "target_link_uri"})
    void a_login_without_a_required_parameter_is_a_400_without_redirect(String missing) {
        Map<String, String> form = loginForm(platform);
        form.remove(missing);
        assertRefused(login(new Browser(), form), 400, "MISSING_LOGIN_PARAMETER");
    }

    @Test
    void a_login_from_an_unknown_issuer_is_a_400_without_redirect() {
        Map<String, String> form = loginForm(platform);
        form.put("iss", "https://unknown.example");
        assertRefused(login(new Browser(), form), 400, "UNKNOWN_PLATFORM");
    }

    @Test
    void a_login_with_an_unknown_client_id_is_a_400_without_redirect() {
        Map<String, String> form = loginForm(platform);
        form.put("client_id", "unknown-client");
        assertRefused(login(new Browser(), form), 400, "UNKNOWN_PLATFORM");
    }

    @Test
    void a_login_by_get_like_open_edx_leads_to_an_accepted_launch() {
        var browser = new Browser();
        var r = browser.get(tool.baseUrl() + "/lti/login?" + Browser.encode(loginForm(platform)));
        Map<String, String> auth = Browser.queryOf(Browser.authRedirect(r));
        assertThat(auth).containsKeys("state", "nonce").containsEntry("client_id", platform.clientId);
        var flow = new LtiFlow(tool, platform, browser);
        var launch = flow.post(platform.sign(LaunchClaims.moodleStudent(platform, auth.get("nonce"), flow.targetLinkUri())), auth.get("state"));
        assertAccepted(launch);
        assertThat(flow.follow(launch).statusCode()).isEqualTo(200);
    }

    @Test
    void a_login_by_post_like_moodle_leads_to_an_accepted_launch() {
        var browser = new Browser();
        var r = login(browser, loginForm(platform));
        Map<String, String> auth = Browser.queryOf(Browser.authRedirect(r));
        var flow = new LtiFlow(tool, platform, browser);
        var launch = flow.post(platform.sign(LaunchClaims.moodleStudent(platform, auth.get("nonce"), flow.targetLinkUri())), auth.get("state"));
        assertAccepted(launch);
        assertThat(flow.follow(launch).statusCode()).isEqualTo(200);
    }

    // ---- F19: OIDC error response ----

    @Test
    void an_oidc_error_response_shows_an_error_page_and_spends_the_state() {
        var browser = new Browser();
        var flow = new LtiFlow(tool, platform, browser);
        Map<String, String> auth = flow.login();
        var r = browser.postForm(tool.baseUrl() + "/lti/launch", Map.of("error", "access_denied",
                "error_description", "login_hint does not match the logged-in user", "state", auth.get("state")));
        assertRefused(r, 400, "PLATFORM_ERROR");
        assertThat(r.body()).contains("access_denied");
        String token = platform.sign(LaunchClaims.moodleStudent(platform, auth.get("nonce"), flow.targetLinkUri()));
        // the error spent the state: its nonce is recorded, so no token can be launched with it
        assertRefused(flow.post(token, auth.get("state")), 401, "NONCE_REPLAYED");
    }

    // ---- F20: platform keys ----

    @Test
    void a_platform_whose_key_set_cannot_be_fetched_fails_closed_with_503() {
        TestPlatform down = new TestPlatform("http://127.0.0.1:8104", "down-client", "d1");
        new LtiFlow(tool, down, new Browser()).register();
        down.close(); // the JWKS port is now closed
        var flow = new LtiFlow(tool, down, new Browser());
        Map<String, String> auth = flow.login();
        var r = flow.post(down.sign(LaunchClaims.moodleStudent(down, auth.get("nonce"), flow.targetLinkUri())), auth.get("state"));
        assertRefused(r, 503, "JWKS_UNAVAILABLE");
    }

    @Test
    void a_launch_signed_with_a_key_the_platform_rotated_in_is_accepted_after_exactly_one_refetch() throws Exception {
        var flow = new LtiFlow(tool, rotating, new Browser());
        assertAccepted(flow.launch((nonce, target) -> LaunchClaims.moodleStudent(rotating, nonce, target)));
        RSAKey next = TestPlatform.newKey("platform-key-2");
        rotating.publish(new JWKSet(next.toPublicJWK()));
        Thread.sleep(400); // past the tool's minimum refetch interval (300 ms in this class)
        int fetchesBefore = rotating.jwksFetches();

        Map<String, String> auth = flow.login();
        String token = TestPlatform.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("platform-key-2").build(),
                LaunchClaims.moodleStudent(rotating, auth.get("nonce"), flow.targetLinkUri()), next);
        assertAccepted(flow.post(token, auth.get("state")));
        assertThat(rotating.jwksFetches()).isEqualTo(fetchesBefore + 1);

        Map<String, String> again = flow.login();
        String second = TestPlatform.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("platform-key-2").build(),
                LaunchClaims.moodleStudent(rotating, again.get("nonce"), flow.targetLinkUri()), next);
        assertAccepted(flow.post(second, again.get("state")));
        assertThat(rotating.jwksFetches()).as("the new key is cached").isEqualTo(fetchesBefore + 1);
    }

    // ---- disabled platform ----

    @Test
    void a_platform_disabled_through_the_admin_api_can_no_longer_launch() throws Exception {
        var flow = new LtiFlow(tool, disabled, new Browser());
        Map<String, String> before = flow.login(); // a login started before the platform was disabled
        var delete = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(tool.baseUrl() + "/api/v1/admin/platforms/" + disabledId))
                .header("Authorization", "Bearer " + RunningTool.ADMIN_TOKEN).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).as(delete.body()).isEqualTo(200);

        String token = disabled.sign(LaunchClaims.moodleStudent(disabled, before.get("nonce"), flow.targetLinkUri()));
        assertRefused(flow.post(token, before.get("state")), 403, "PLATFORM_DISABLED");
        assertRefused(login(new Browser(), loginForm(disabled)), 403, "PLATFORM_DISABLED");
    }
}
