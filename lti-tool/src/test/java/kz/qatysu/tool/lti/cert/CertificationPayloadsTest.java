package kz.qatysu.tool.lti.cert;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.JSONArrayUtils;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.Fixtures;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the 1EdTech LTI Advantage certification payloads (cert-payloads/, from packbackbooks/lti-1-3-php-library
 * tests/data/certification) through the full login → launch flow: re-signed with the test platform's key, header
 * mutations kept, nonce / exp / iat / target_link_uri rewritten (exp/iat kept when keep.json says so).
 */
class CertificationPayloadsTest {
    static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";
    static final Path PAYLOADS = Fixtures.dir("cert-payloads");
    /** Filed under invalid/ by the PHP library, but the certification guide (§6.1.2, B9) lists it as a valid launch. */
    static final String VALID_DESPITE_FOLDER = "Launch Instructor With Email No Context";

    static final Map<String, String> EXPECTED_REFUSAL = Map.ofEntries(
            Map.entry("Correct KID Required in Header", "MISSING_KID"),
            Map.entry("Exp and Iat Fields invalid", "EXPIRED"),
            Map.entry("Incorrect KID passed in JWT Header", "UNKNOWN_KID"),
            Map.entry("JWT Passed is Not LTI 1.3 JWT", "MALFORMED_JWT"),
            Map.entry("LTI version passed is not 1.3", "WRONG_VERSION"),
            Map.entry("Launch With Missing resource_link_id", "MISSING_RESOURCE_LINK_ID"),
            Map.entry("No LTI Version Passed in JWT", "MISSING_VERSION"),
            // message_type, version and roles are all removed; version is the first required claim checked
            Map.entry("One or more JWT fields missing", "MISSING_VERSION"),
            Map.entry("deployment_id Claim Missing", "MISSING_DEPLOYMENT_ID"),
            Map.entry("message_type Claim Missing", "MISSING_MESSAGE_TYPE"),
            Map.entry("role Claim Missing", "MISSING_ROLES"),
            Map.entry("user Claim Missing", "MISSING_SUB"));

    static final String TEACHER = "signed in as a teacher";
    static final String STUDENT = "signed in as a student";
    static final String GUEST = "does not give access to attendance data";
    static final Map<String, String> EXPECTED_ROLE_TEXT = Map.ofEntries(
            Map.entry("Assignments and Grades - Core Launch", TEACHER),
            Map.entry("Deep Linking - Core Launch of Passed LTI Link", STUDENT),
            Map.entry("Deep Linking - Send Deep Linking Request Payload", TEACHER),
            Map.entry("Launch Instructor No PII", TEACHER),
            Map.entry("Launch Instructor Only Email", TEACHER),
            Map.entry("Launch Instructor Only Names", TEACHER),
            Map.entry("Launch Instructor With No Role", GUEST),
            Map.entry("Launch Instructor with Multiple Role Values", TEACHER),
            Map.entry("Launch Instructor with Short Role Value", TEACHER),
            Map.entry("Launch Instructor with Unknown Role", GUEST),
            Map.entry("Launch LTI 1.3 Message as Instructor", TEACHER),
            Map.entry("Launch LTI 1.3 Message as Student", STUDENT),
            Map.entry("Launch Student No PII", STUDENT),
            Map.entry("Launch Student Only Email", STUDENT),
            Map.entry("Launch Student Only Names", STUDENT),
            Map.entry("Launch Student Only Resource Link", STUDENT),
            Map.entry("Launch Student With No Role", GUEST),
            Map.entry("Launch Student with Multiple Role Values", STUDENT),
            Map.entry("Launch Student with Short Role Value", STUDENT),
            Map.entry("Launch Student with Unknown Role", STUDENT),
            Map.entry("Names and Roles - Core Launch if Needed", TEACHER),
            Map.entry(VALID_DESPITE_FOLDER, TEACHER));

    static RunningTool tool;
    static TestPlatform platform;

    @BeforeAll
    static void start() {
        tool = RunningTool.start();
        // The suite's own issuer / client id / deployment; the JWKS is still served on loopback.
        platform = new TestPlatform("https://ltiadvantagevalidator.imsglobal.org", "imstester_3dfad6d", "testdeploy");
        new LtiFlow(tool, platform, new Browser()).register();
    }

    @AfterAll
    static void stop() {
        tool.close();
        platform.close();
    }

    static Stream<Arguments> validCases() {
        Stream<Path> valid = Fixtures.children(PAYLOADS.resolve("valid")).stream();
        return Stream.concat(valid, Stream.of(PAYLOADS.resolve("invalid").resolve(VALID_DESPITE_FOLDER)))
                .map(p -> Arguments.of(p.getFileName().toString(), p));
    }

    static Stream<Arguments> invalidCases() {
        return Fixtures.children(PAYLOADS.resolve("invalid")).stream()
                .filter(p -> !p.getFileName().toString().equals(VALID_DESPITE_FOLDER))
                .map(p -> Arguments.of(p.getFileName().toString(), p));
    }

    @Test
    void every_payload_directory_has_an_expected_outcome() {
        assertThat(validCases()).hasSize(22);
        assertThat(invalidCases()).hasSize(12);
        validCases().forEach(a -> assertThat(EXPECTED_ROLE_TEXT).containsKey((String) a.get()[0]));
        invalidCases().forEach(a -> assertThat(EXPECTED_REFUSAL).containsKey((String) a.get()[0]));
    }

    @ParameterizedTest(name = "valid: {0}")
    @MethodSource("validCases")
    void a_valid_certification_payload_is_accepted_and_lands_with_the_right_role(String name, Path dir) {
        var flow = new LtiFlow(tool, platform, new Browser());
        Map<String, String> auth = flow.login();
        HttpResponse<String> launch = flow.post(resign(dir, auth.get("nonce"), flow.targetLinkUri()), auth.get("state"));

        assertThat(launch.statusCode()).as(launch.body()).isEqualTo(303);
        String location = launch.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/app/");
        if (name.startsWith("Deep Linking - Send")) {
            assertThat(location).endsWith("deep-linking");
            return; // the deep linking page is not built yet
        }
        var landing = flow.follow(launch);
        assertThat(landing.statusCode()).as(landing.body()).isEqualTo(200);
        assertThat(landing.body()).contains("lang=\"en\"", EXPECTED_ROLE_TEXT.get(name));
    }

    @ParameterizedTest(name = "invalid: {0}")
    @MethodSource("invalidCases")
    void an_invalid_certification_payload_is_refused_with_its_reason(String name, Path dir) {
        var flow = new LtiFlow(tool, platform, new Browser());
        Map<String, String> auth = flow.login();
        HttpResponse<String> launch = flow.post(resign(dir, auth.get("nonce"), flow.targetLinkUri()), auth.get("state"));
        assertRefused(launch, EXPECTED_REFUSAL.get(name));
    }

    @Test
    void the_not_an_lti_jwt_payload_sent_as_two_segments_is_refused_as_malformed() {
        Path dir = PAYLOADS.resolve("invalid").resolve("JWT Passed is Not LTI 1.3 JWT");
        String twoSegments = b64(Fixtures.text(dir.resolve("header.json"))) + "." + b64(Fixtures.text(dir.resolve("payload.json")));
        var flow = new LtiFlow(tool, platform, new Browser());
        Map<String, String> auth = flow.login();
        assertRefused(flow.post(twoSegments, auth.get("state")), "MALFORMED_JWT");
    }

    @Test
    void the_not_an_lti_jwt_payload_sent_as_plain_json_is_refused_as_malformed() {
        var flow = new LtiFlow(tool, platform, new Browser());
        Map<String, String> auth = flow.login();
        assertRefused(flow.post("{ \"name\" : \"badltilaunch\" }", auth.get("state")), "MALFORMED_JWT");
    }

    static void assertRefused(HttpResponse<String> r, String reason) {
        assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("qs_"));
        assertThat(r.body()).contains("<code>" + reason + "</code>").doesNotContain("Exception", "\tat ", "kz.qatysu");
    }

    /** The payload of {@code dir} rewritten for this run and signed with the platform key, header mutations kept. */
    static String resign(Path dir, String nonce, String targetLinkUri) {
        Map<String, Object> payload = Fixtures.object(dir.resolve("payload.json"));
        Set<String> keep = new HashSet<>();
        if (Files.exists(dir.resolve("keep.json"))) {
            try {
                JSONArrayUtils.parse(Fixtures.text(dir.resolve("keep.json"))).forEach(k -> keep.add((String) k));
            } catch (java.text.ParseException e) {
                throw new IllegalStateException(e);
            }
        }
        long now = Instant.now().getEpochSecond();
        replaceIfPresent(payload, keep, "iss", platform.issuer);
        replaceIfPresent(payload, keep, "aud", platform.clientId);
        replaceIfPresent(payload, keep, LTI + "deployment_id", platform.deploymentId);
        replaceIfPresent(payload, keep, "nonce", nonce);
        replaceIfPresent(payload, keep, LTI + "target_link_uri", targetLinkUri);
        replaceIfPresent(payload, keep, "iat", now);
        replaceIfPresent(payload, keep, "exp", now + 300);
        if (Files.exists(dir.resolve("header.json"))) {
            return platform.signRaw(Fixtures.text(dir.resolve("header.json")), Fixtures.json(payload));
        }
        return TestPlatform.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(platform.key().getKeyID()).build(),
                payload, platform.key());
    }

    private static void replaceIfPresent(Map<String, Object> payload, Set<String> keep, String claim, Object value) {
        if (payload.containsKey(claim) && !keep.contains(claim)) {
            payload.put(claim, value);
        }
    }

    static String b64(String s) {
        return com.nimbusds.jose.util.Base64URL.encode(s).toString();
    }

}
