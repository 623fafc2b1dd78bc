package kz.qatysu.tool.proctoring.lms.openedx;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Open edX's check of the tool's LtiStartAssessment, written from its code (xblock-lti-consumer 11.4:
 * {@code start_proctoring_assessment_endpoint}, {@code ToolKeyHandler.validate_and_decode},
 * {@code LtiProctoringConsumer.check_and_decode_token}): the configuration is found by {@code iss} = the client id;
 * RS256/RS512 against the tool's key set (the key its kid names), {@code exp} checked, {@code aud} not; then message
 * type, version, session_data, resource_link.id and attempt_number against what the LtiStartProctoring launch sent.
 * Returns the claims, or throws naming the failed check as Open edX would answer (400 InvalidClaimValue, 404 no
 * configuration, 500 for a bad signature or an expired token).
 */
final class OpenEdxVerifier {
    static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";
    static final String AP = "https://purl.imsglobal.org/spec/lti-ap/claim/";

    record Expected(String clientId, String resourceLinkId, String sessionData, int attemptNumber) {
    }

    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    static Map<String, Object> verify(String jwt, JWKSet toolKeys, Expected launch, Instant now) {
        try {
            SignedJWT signed = SignedJWT.parse(jwt);
            JWTClaimsSet unverified = signed.getJWTClaimsSet();
            if (!launch.clientId().equals(unverified.getIssuer())) {
                throw new Refused(404, "no LtiConfiguration for iss " + unverified.getIssuer());
            }
            Object rl = unverified.getClaim(LTI + "resource_link");
            if (!(rl instanceof Map<?, ?> link) || !launch.resourceLinkId().equals(link.get("id"))) {
                throw new Refused(404, "no LtiConfiguration for resource_link " + rl);
            }
            if (!Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS512).contains(signed.getHeader().getAlgorithm())) {
                throw new Refused(500, "algorithm " + signed.getHeader().getAlgorithm());
            }
            RSAKey key = (RSAKey) toolKeys.getKeyByKeyId(signed.getHeader().getKeyID());
            if (key == null || !signed.verify(new RSASSAVerifier(key))) {
                throw new Refused(500, "InvalidSignatureError");
            }
            JWTClaimsSet c = signed.getJWTClaimsSet();
            if (c.getExpirationTime() != null && c.getExpirationTime().toInstant().isBefore(now)) {
                throw new Refused(500, "ExpiredSignatureError");
            }
            check(c, LTI + "message_type", "LtiStartAssessment");
            check(c, LTI + "version", "1.3.0");
            check(c, AP + "session_data", launch.sessionData());
            Object n = c.getClaim(AP + "attempt_number");
            if (!(n instanceof Number num) || num.intValue() != launch.attemptNumber()) {
                throw new Refused(400, "InvalidClaimValue: attempt_number " + n);
            }
            return c.getClaims();
        } catch (java.text.ParseException | com.nimbusds.jose.JOSEException e) {
            throw new Refused(400, "MalformedJwtToken: " + e.getMessage());
        }
    }

    private static void check(JWTClaimsSet c, String claim, Object expected) {
        Object v = c.getClaim(claim);
        if (v == null) {
            throw new Refused(400, "MissingRequiredClaim: " + claim);
        }
        if (!expected.equals(v)) {
            throw new Refused(400, "InvalidClaimValue: " + claim + " was " + v);
        }
    }
}
