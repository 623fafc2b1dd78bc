package kz.qatysu.tool.proctoring.lms.openedx;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import kz.qatysu.tool.lti.LtiClaims;
import kz.qatysu.tool.util.Tokens;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tool's {@code LtiStartAssessment} (LTI Proctoring Services 1.0 §4.3) as Open edX's
 * {@code LtiProctoringConsumer.check_and_decode_token} checks it: RS256 with the tool's current key ({@code kid} in the
 * header), {@code iss} = the tool's client id (Open edX finds the configuration by it), {@code aud} = the platform's
 * issuer, {@code iat}/{@code exp}/{@code nonce}, message type, version 1.3.0, the deployment, {@code resource_link.id},
 * the launch's {@code session_data} and {@code attempt_number} unchanged, {@code end_assessment_return: true} (so the
 * platform sends LtiEndAssessment) and {@code verified_user} only when the identity check verified the examinee —
 * and then only with the name claims the platform itself sent. A pure function.
 */
public final class StartAssessment {
    /** Open edX verifies {@code exp}: long enough for a slow browser to post it, short enough to be useless later. */
    static final Duration LIFETIME = Duration.ofMinutes(5);

    private StartAssessment() {
    }

    public static String sign(RSAKey toolKey, String clientId, String platformIssuer, OpenEdxAttempt a, boolean identityVerified,
                              Instant now) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(clientId)
                .audience(platformIssuer)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .jwtID(Tokens.random(16))
                .claim("nonce", Tokens.random(16))
                .claim(LtiClaims.MESSAGE_TYPE, LtiClaims.START_ASSESSMENT)
                .claim(LtiClaims.VERSION, LtiClaims.LTI_VERSION)
                .claim(LtiClaims.DEPLOYMENT_ID, a.deploymentId())
                .claim(LtiClaims.RESOURCE_LINK, Map.of("id", a.resourceLinkId()))
                .claim(LtiClaims.AP_SESSION_DATA, a.sessionData())
                .claim(LtiClaims.AP_ATTEMPT_NUMBER, a.attemptNumber())
                .claim(LtiClaims.AP_END_ASSESSMENT_RETURN, true);
        Map<String, Object> verified = verifiedUser(a, identityVerified);
        if (!verified.isEmpty()) {
            claims.claim(LtiClaims.AP_VERIFIED_USER, verified);
        }
        return kz.qatysu.tool.lti.keys.ToolJwt.sign(toolKey, claims.build(), "LtiStartAssessment");
    }

    /** The name claims the platform sent, when the identity check verified the examinee; else none. */
    static Map<String, Object> verifiedUser(OpenEdxAttempt a, boolean identityVerified) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!identityVerified) {
            return out;
        }
        a.name().filter(s -> !s.isBlank()).ifPresent(v -> out.put("name", v));
        a.givenName().filter(s -> !s.isBlank()).ifPresent(v -> out.put("given_name", v));
        a.familyName().filter(s -> !s.isBlank()).ifPresent(v -> out.put("family_name", v));
        return out;
    }
}
