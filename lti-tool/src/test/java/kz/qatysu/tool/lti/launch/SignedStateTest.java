package kz.qatysu.tool.lti.launch;

import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.MovableClock;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static kz.qatysu.tool.lti.launch.SecurityChecksTest.assertAccepted;
import static kz.qatysu.tool.lti.launch.SecurityChecksTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OIDC state as a signed value (no row): the login writes nothing, the launch checks the state's HMAC, expiry and
 * browser binding, and one use per state holds through the nonce recorded once per platform.
 */
class SignedStateTest {
    static final MovableClock clock = new MovableClock();
    static RunningTool tool;
    static TestPlatform platform;

    @BeforeAll
    static void start() {
        tool = RunningTool.start(Map.of(), clock);
        platform = new TestPlatform("http://127.0.0.1:8107", "signed-state-client", "1");
        new LtiFlow(tool, platform, new Browser()).register();
    }

    @AfterAll
    static void stop() {
        tool.close();
        platform.close();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static String token(LtiFlow flow, Map<String, String> auth) {
        return platform.sign(LaunchClaims.moodleStudent(platform, auth.get("nonce"), flow.targetLinkUri()));
    }

    @Test
    void a_login_initiation_needs_no_table_and_its_state_is_the_signed_value() {
        boolean noTable = tool.database().jdbi().withHandle(h -> h.createQuery("SELECT to_regclass('lti_login_state') IS NULL")
                .mapTo(Boolean.class).one());
        assertThat(noTable).isTrue();
        Map<String, String> auth = new LtiFlow(tool, platform, new Browser()).login();
        assertThat(auth.get("state")).startsWith("v1.").matches("v1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");
    }

    @Test
    void a_state_whose_payload_was_altered_is_refused_as_unknown() {
        LtiFlow flow = new LtiFlow(tool, platform, new Browser());
        Map<String, String> auth = flow.login();
        String state = auth.get("state");
        int at = state.indexOf('.') + 5;
        String altered = state.substring(0, at) + (state.charAt(at) == 'A' ? 'B' : 'A') + state.substring(at + 1);
        assertRefused(flow.post(token(flow, auth), altered), 401, "UNKNOWN_STATE");
        // the untouched state still works
        assertAccepted(flow.post(token(flow, auth), state));
    }

    @Test
    void a_state_with_the_same_content_minted_with_another_key_is_refused_as_unknown() throws Exception {
        LtiFlow flow = new LtiFlow(tool, platform, new Browser());
        Map<String, String> auth = flow.login();
        String state = auth.get("state");
        String signedPart = state.substring(0, state.lastIndexOf('.'));
        byte[] otherKey = new byte[32];
        new SecureRandom().nextBytes(otherKey);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(otherKey, "HmacSHA256"));
        mac.update("v1.".getBytes(StandardCharsets.US_ASCII));
        byte[] payload = Base64.getUrlDecoder().decode(signedPart.substring("v1.".length()));
        String foreign = signedPart + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(payload));
        assertThat(foreign).isNotEqualTo(state);
        assertRefused(flow.post(token(flow, auth), foreign), 401, "UNKNOWN_STATE");
    }

    @Test
    void an_expired_state_is_refused_as_unknown() {
        LtiFlow flow = new LtiFlow(tool, platform, new Browser());
        Map<String, String> auth = flow.login();
        String token = token(flow, auth);
        clock.advance(Duration.ofMinutes(30));
        assertRefused(flow.post(token, auth.get("state")), 401, "UNKNOWN_STATE");
    }

    @Test
    void a_state_posted_from_another_browser_is_refused_and_spent() {
        LtiFlow mine = new LtiFlow(tool, platform, new Browser());
        Map<String, String> auth = mine.login();
        String token = token(mine, auth);
        LtiFlow other = new LtiFlow(tool, platform, new Browser());
        other.login(); // the other browser has its own qatysu_bid cookie
        assertRefused(other.post(token, auth.get("state")), 401, "STATE_NOT_BOUND_TO_BROWSER");
        // the refused launch spent the state (its nonce is recorded): not even the right browser can use it now
        assertRefused(mine.post(token, auth.get("state")), 401, "NONCE_REPLAYED");
    }

    @Test
    void the_same_state_and_token_posted_again_are_refused_as_a_replayed_nonce_and_the_state_with_another_token_as_a_mismatch() {
        LtiFlow flow = new LtiFlow(tool, platform, new Browser());
        Map<String, String> auth = flow.login();
        String token = token(flow, auth);
        assertAccepted(flow.post(token, auth.get("state")));
        assertRefused(flow.post(token, auth.get("state")), 401, "NONCE_REPLAYED");
        String another = platform.sign(LaunchClaims.moodleStudent(platform, "another-nonce-0123456789", flow.targetLinkUri()));
        assertRefused(flow.post(another, auth.get("state")), 401, "NONCE_MISMATCH");
    }

    @Test
    void a_login_on_one_node_is_launched_on_another_node_sharing_the_database_and_is_refused_there_a_second_time() {
        try (RunningTool b = tool.anotherNode(Map.of(), clock)) {
            Browser browser = new Browser();
            LtiFlow onA = new LtiFlow(tool, platform, browser);
            LtiFlow onB = new LtiFlow(b, platform, browser);
            Map<String, String> auth = onA.login();
            String token = platform.sign(LaunchClaims.moodleStudent(platform, auth.get("nonce"), onA.targetLinkUri()));
            assertAccepted(onB.post(token, auth.get("state")));
            assertRefused(onA.post(token, auth.get("state")), 401, "NONCE_REPLAYED");
        }
    }
}
