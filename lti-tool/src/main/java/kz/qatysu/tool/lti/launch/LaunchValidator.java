package kz.qatysu.tool.lti.launch;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import kz.qatysu.tool.lti.LtiClaims;
import kz.qatysu.tool.lti.LtiException;
import kz.qatysu.tool.lti.LtiFailure;
import kz.qatysu.tool.lti.ToolRole;
import kz.qatysu.tool.lti.jwks.PlatformKeySets;
import kz.qatysu.tool.lti.login.LoginState;
import kz.qatysu.tool.lti.platforms.Platform;

import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Validates an id_token against the login state it answers. Steps follow the 1EdTech Security Framework §5.1.3
 * (= OIDC Core §3.1.3.7) and LTI 1.3 Core §5; each refusal names its {@link LtiFailure}. Pure apart from the key
 * lookup: the state has already been taken out of the store by the caller, and the nonce is recorded by the
 * caller in the same transaction that opens the session.
 */
public final class LaunchValidator {
    private static final Set<String> SUPPORTED_MESSAGE_TYPES = Set.of(
            LtiClaims.RESOURCE_LINK_REQUEST, LtiClaims.DEEP_LINKING_REQUEST,
            LtiClaims.START_PROCTORING, LtiClaims.END_ASSESSMENT);
    /** Where {@link Launch#services()} keeps the checked LTI Proctoring Services claims of a proctoring message. */
    public static final String PROCTORING = "proctoring";
    private static final String OPENEDX_COURSE_KEY_PREFIX = "course-v1:";

    private final PlatformKeySets keySets;
    private final Clock clock;
    private final Duration leeway;

    public LaunchValidator(PlatformKeySets keySets, Clock clock, Duration leeway) {
        this.keySets = keySets;
        this.clock = clock;
        this.leeway = leeway;
    }

    /** Reads the id_token without trusting it: only to decide which language an error page speaks. */
    public static String unverifiedLocale(String idToken) {
        try {
            Object lp = JWTParser.parse(idToken).getJWTClaimsSet().getClaim(LtiClaims.LAUNCH_PRESENTATION);
            return lp instanceof Map<?, ?> m && m.get("locale") instanceof String s ? s : null;
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    public Launch validate(String idToken, LoginState state, Platform platform) {
        // Security Framework 5.1.3 / OIDC 3.1.3.7 step 6: the token must be a JWS signed with RS256 — refuse
        // unsigned ("none"), encrypted, and HMAC tokens (an HS256 token "signed" with our copy of the public key).
        JWT jwt;
        try {
            jwt = JWTParser.parse(idToken);
        } catch (ParseException e) {
            throw new LtiException(LtiFailure.MALFORMED_JWT, "id_token is not a JWT: " + e.getMessage());
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw new LtiException(LtiFailure.ALG_NOT_RS256, "id_token is not signed (" + jwt.getClass().getSimpleName() + ")");
        }
        JWSHeader header = signed.getHeader();
        if (!JWSAlgorithm.RS256.equals(header.getAlgorithm())) {
            throw new LtiException(LtiFailure.ALG_NOT_RS256, "id_token alg is " + header.getAlgorithm() + ", only RS256 is accepted");
        }
        // The platform's key is chosen by kid; a token without one is refused rather than tried against every key.
        String kid = header.getKeyID();
        if (kid == null || kid.isBlank()) {
            throw new LtiException(LtiFailure.MISSING_KID, "id_token header has no kid");
        }
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new LtiException(LtiFailure.MALFORMED_JWT, "id_token payload is not a JSON object: " + e.getMessage());
        }

        // Step 2: iss must exactly match the issuer of the platform the login was initiated for.
        String iss = claims.getIssuer();
        if (iss == null || !iss.equals(platform.issuer())) {
            throw new LtiException(LtiFailure.ISSUER_MISMATCH, "iss '" + iss + "' is not the issuer of the login ('" + platform.issuer() + "')");
        }
        // Step 1 (signature) — verified before any other claim is trusted.
        RSASSAVerifier verifier = keySets.verifier(platform, kid);
        try {
            if (!signed.verify(verifier)) {
                throw new LtiException(LtiFailure.BAD_SIGNATURE, "signature does not verify with key " + kid);
            }
        } catch (JOSEException e) {
            throw new LtiException(LtiFailure.BAD_SIGNATURE, "signature cannot be verified: " + e.getMessage());
        }

        // Step 3: aud must contain our client_id; steps 4–5: with several audiences azp must be present and be
        // our client_id, and whenever azp is present it must be our client_id (Open edX sends it, Moodle does not).
        List<String> aud = claims.getAudience();
        if (aud == null || !aud.contains(platform.clientId())) {
            throw new LtiException(LtiFailure.AUD_MISMATCH, "aud " + aud + " does not contain client_id '" + platform.clientId() + "'");
        }
        Object azp = claims.getClaim("azp");
        if (azp != null && !platform.clientId().equals(azp)) {
            throw new LtiException(LtiFailure.AZP_MISMATCH, "azp '" + azp + "' is not client_id '" + platform.clientId() + "'");
        }
        if (azp == null && aud.size() > 1) {
            throw new LtiException(LtiFailure.AZP_MISSING, "aud has " + aud.size() + " values but no azp");
        }

        // Steps 7–8: exp in the future and iat not in the future, both within a small leeway for clock skew.
        // Moodle's tokens live 60 s, so the leeway must not be what keeps them valid — it is only for skew.
        Date exp = claims.getExpirationTime();
        Date iat = claims.getIssueTime();
        if (exp == null || iat == null) {
            throw new LtiException(LtiFailure.MISSING_EXP_OR_IAT, "id_token without " + (exp == null ? "exp" : "iat"));
        }
        Instant now = clock.instant();
        if (exp.toInstant().plus(leeway).isBefore(now)) {
            throw new LtiException(LtiFailure.EXPIRED, "id_token expired at " + exp.toInstant() + " (now " + now + ")");
        }
        if (iat.toInstant().minus(leeway).isAfter(now)) {
            throw new LtiException(LtiFailure.ISSUED_IN_FUTURE, "id_token iat " + iat.toInstant() + " is in the future (now " + now + ")");
        }

        // Step 9: nonce must be the one this tool sent in the authentication request (replay is checked by the caller).
        String nonce = stringClaim(claims, "nonce");
        if (nonce == null || !nonce.equals(state.nonce())) {
            throw new LtiException(LtiFailure.NONCE_MISMATCH, "nonce does not match the one sent for this state");
        }

        // LTI 1.3 Core §5.3.3: version 1.3.0.
        Object version = claims.getClaim(LtiClaims.VERSION);
        if (version == null) {
            throw new LtiException(LtiFailure.MISSING_VERSION, "no " + LtiClaims.VERSION + " claim");
        }
        if (!LtiClaims.LTI_VERSION.equals(version)) {
            throw new LtiException(LtiFailure.WRONG_VERSION, "LTI version '" + version + "', expected 1.3.0");
        }
        // §5.3.1: message type, one this tool handles.
        String messageType = stringClaim(claims, LtiClaims.MESSAGE_TYPE);
        if (messageType == null || messageType.isBlank()) {
            throw new LtiException(LtiFailure.MISSING_MESSAGE_TYPE, "no " + LtiClaims.MESSAGE_TYPE + " claim");
        }
        if (!SUPPORTED_MESSAGE_TYPES.contains(messageType)) {
            throw new LtiException(LtiFailure.UNSUPPORTED_MESSAGE_TYPE, "message type '" + messageType + "' is not supported");
        }
        // §5.3.2: deployment_id, registered for this platform, and the one the login named (when it named one).
        String deploymentId = stringClaim(claims, LtiClaims.DEPLOYMENT_ID);
        if (deploymentId == null || deploymentId.isBlank()) {
            throw new LtiException(LtiFailure.MISSING_DEPLOYMENT_ID, "no " + LtiClaims.DEPLOYMENT_ID + " claim");
        }
        if (!platform.hasDeployment(deploymentId)) {
            throw new LtiException(LtiFailure.UNKNOWN_DEPLOYMENT, "deployment '" + deploymentId + "' is not registered for platform " + platform.id());
        }
        if (state.deploymentId() != null && !state.deploymentId().equals(deploymentId)) {
            throw new LtiException(LtiFailure.DEPLOYMENT_MISMATCH, "deployment '" + deploymentId + "' differs from the login's '" + state.deploymentId() + "'");
        }
        // §5.3.6 / OIDC: sub identifies the user; the certification suite refuses an empty one.
        String sub = claims.getSubject();
        if (sub == null || sub.isBlank()) {
            throw new LtiException(LtiFailure.MISSING_SUB, "no sub (user) claim");
        }
        // §5.3.7: roles must be present (an array); it may hold only unknown or empty values — that is accepted.
        Object rolesClaim = claims.getClaim(LtiClaims.ROLES);
        if (!(rolesClaim instanceof List<?> rawRoles)) {
            throw new LtiException(LtiFailure.MISSING_ROLES, "no " + LtiClaims.ROLES + " array");
        }
        List<String> roles = new ArrayList<>();
        for (Object r : rawRoles) {
            if (r instanceof String s) {
                roles.add(s);
            }
        }

        Map<String, Object> resourceLink = mapClaim(claims, LtiClaims.RESOURCE_LINK);
        String targetLinkUri = stringClaim(claims, LtiClaims.TARGET_LINK_URI);
        Map<String, Object> services = new HashMap<>();
        if (messageType.equals(LtiClaims.RESOURCE_LINK_REQUEST)) {
            // §5.3.5: a resource link launch names its link; §5.3.4: and the URL it targets.
            if (resourceLink == null || !(resourceLink.get("id") instanceof String id) || id.isBlank()) {
                throw new LtiException(LtiFailure.MISSING_RESOURCE_LINK_ID, "LtiResourceLinkRequest without resource_link.id");
            }
            if (targetLinkUri == null || targetLinkUri.isBlank()) {
                throw new LtiException(LtiFailure.MISSING_TARGET_LINK_URI, "LtiResourceLinkRequest without target_link_uri");
            }
        } else if (messageType.equals(LtiClaims.START_PROCTORING) || messageType.equals(LtiClaims.END_ASSESSMENT)) {
            services.put(PROCTORING, proctoring(claims, messageType, resourceLink));
        } else {
            // Deep Linking 2.0 §4.4.1: settings with a return URL; resource_link is absent (Moodle) or present (Open edX).
            Map<String, Object> dl = mapClaim(claims, LtiClaims.DL_SETTINGS);
            if (dl == null || !(dl.get("deep_link_return_url") instanceof String ret) || !isHttpUrl(ret)) {
                throw new LtiException(LtiFailure.MISSING_DEEP_LINKING_SETTINGS, "LtiDeepLinkingRequest without deep_link_return_url");
            }
            services.put(LtiClaims.DL_SETTINGS, dl);
        }
        // The target must be the one the login initiation named (never follow a URL the login did not).
        if (targetLinkUri != null && !sameUri(targetLinkUri, state.targetLinkUri())) {
            throw new LtiException(LtiFailure.TARGET_LINK_URI_MISMATCH, "target_link_uri '" + targetLinkUri
                    + "' differs from the login's '" + state.targetLinkUri() + "'");
        }

        // §5.4.1: context is optional (the certification suite's "no context" launches must be accepted).
        Map<String, Object> context = mapClaim(claims, LtiClaims.CONTEXT);
        String contextId = null;
        if (context != null) {
            if (!(context.get("id") instanceof String cid) || cid.isBlank()) {
                throw new LtiException(LtiFailure.INVALID_CONTEXT, "context claim without id");
            }
            contextId = cid;
        }
        putIfMap(services, claims, LtiClaims.AGS_ENDPOINT);
        putIfMap(services, claims, LtiClaims.NRPS);
        Map<String, Object> lis = mapClaim(claims, LtiClaims.LIS);
        Map<String, Object> ext = mapClaim(claims, LtiClaims.EXT);
        Map<String, Object> presentation = mapClaim(claims, LtiClaims.LAUNCH_PRESENTATION);
        Map<String, Object> toolPlatform = mapClaim(claims, LtiClaims.TOOL_PLATFORM);
        String username = firstNonBlank(str(ext, "user_username"), stringClaim(claims, "preferred_username"));
        String courseKey = contextId != null && contextId.startsWith(OPENEDX_COURSE_KEY_PREFIX) ? contextId : null;

        return new Launch(platform, deploymentId, messageType, sub,
                stringClaim(claims, "name"), stringClaim(claims, "given_name"), stringClaim(claims, "family_name"),
                stringClaim(claims, "email"), roles, ToolRole.fromLtiRoles(roles),
                contextId, str(context, "label"), str(context, "title"),
                str(resourceLink, "id"), str(resourceLink, "title"), targetLinkUri,
                str(presentation, "locale"), str(presentation, "document_target"), str(presentation, "return_url"),
                blankToNull(str(lis, "person_sourcedid")), blankToNull(str(lis, "course_section_sourcedid")), username, courseKey,
                productFamily(toolPlatform, courseKey), custom(claims), services);
    }

    /**
     * LTI Proctoring Services 1.0 §4.1/§4.4 as Open edX's {@code LtiProctoringConsumer} sends them: the resource link
     * (the proctored exam), {@code attempt_number} (a positive integer) and, in LtiStartProctoring,
     * {@code start_assessment_url} (absolute http/https), {@code session_data} (non-empty; LtiEndAssessment sends
     * {@code null}) and the optional {@code proctoring_settings} and {@code acs} objects. Each refusal names the claim.
     */
    private static Map<String, Object> proctoring(JWTClaimsSet claims, String messageType, Map<String, Object> resourceLink) {
        if (resourceLink == null || !(resourceLink.get("id") instanceof String id) || id.isBlank()) {
            throw new LtiException(LtiFailure.MISSING_RESOURCE_LINK_ID, messageType + " without " + LtiClaims.RESOURCE_LINK + ".id");
        }
        Object number = claims.getClaim(LtiClaims.AP_ATTEMPT_NUMBER);
        if (!(number instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 1
                || n.doubleValue() > Integer.MAX_VALUE) {
            throw new LtiException(LtiFailure.INVALID_ATTEMPT_NUMBER, LtiClaims.AP_ATTEMPT_NUMBER
                    + " must be a positive integer, was " + (number == null ? "absent" : "'" + number + "'"));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attempt_number", n.intValue());
        if (messageType.equals(LtiClaims.END_ASSESSMENT)) {
            return out;
        }
        String start = stringClaim(claims, LtiClaims.AP_START_ASSESSMENT_URL);
        if (start == null || !isHttpUrl(start) || !URI.create(start).isAbsolute()) {
            throw new LtiException(LtiFailure.MISSING_START_ASSESSMENT_URL, LtiClaims.AP_START_ASSESSMENT_URL
                    + " must be an absolute http(s) URL, was " + (start == null ? "absent" : "'" + start + "'"));
        }
        String sessionData = stringClaim(claims, LtiClaims.AP_SESSION_DATA);
        if (sessionData == null || sessionData.isBlank() || sessionData.length() > 2000) {
            throw new LtiException(LtiFailure.MISSING_SESSION_DATA, LtiClaims.AP_SESSION_DATA
                    + " must be a non-empty string (at most 2000 characters)");
        }
        out.put("start_assessment_url", start);
        out.put("session_data", sessionData);
        Object settings = claims.getClaim(LtiClaims.AP_PROCTORING_SETTINGS);
        if (settings != null && !(settings instanceof Map<?, ?>)) {
            throw new LtiException(LtiFailure.INVALID_PROCTORING_SETTINGS, LtiClaims.AP_PROCTORING_SETTINGS + " must be an object");
        }
        if (settings != null) {
            out.put("proctoring_settings", settings);
        }
        Object acs = claims.getClaim(LtiClaims.AP_ACS);
        if (acs != null) {
            if (!(acs instanceof Map<?, ?> a) || !(a.get("assessment_control_url") instanceof String url) || !isHttpUrl(url)) {
                throw new LtiException(LtiFailure.INVALID_ACS, LtiClaims.AP_ACS + " must be an object with an http(s) assessment_control_url");
            }
            List<String> actions = new ArrayList<>();
            if (a.get("actions") instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof String str) {
                        actions.add(str);
                    }
                }
            } else if (a.get("actions") != null) {
                throw new LtiException(LtiFailure.INVALID_ACS, LtiClaims.AP_ACS + ".actions must be an array of strings");
            }
            out.put("acs_url", url);
            out.put("acs_actions", actions);
        }
        return out;
    }

    private static String productFamily(Map<String, Object> toolPlatform, String courseKey) {
        String code = firstNonBlank(str(toolPlatform, "product_family_code"), str(toolPlatform, "family_code"));
        if (code != null) {
            return code.toLowerCase(Locale.ROOT);
        }
        return courseKey != null ? "openedx" : null;
    }

    private static Map<String, String> custom(JWTClaimsSet claims) {
        Map<String, Object> raw = mapClaim(claims, LtiClaims.CUSTOM);
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            raw.forEach((k, v) -> {
                if (v != null) {
                    out.put(k, String.valueOf(v));
                }
            });
        }
        return out;
    }

    private static void putIfMap(Map<String, Object> services, JWTClaimsSet claims, String name) {
        Map<String, Object> m = mapClaim(claims, name);
        if (m != null) {
            services.put(name, m);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapClaim(JWTClaimsSet claims, String name) {
        Object v = claims.getClaim(name);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        Object v = claims.getClaim(name);
        return v instanceof String s ? s : null;
    }

    private static String str(Map<String, Object> m, String key) {
        if (m == null) {
            return null;
        }
        Object v = m.get(key);
        return v instanceof String s ? s : null;
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : (b != null && !b.isBlank() ? b : null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static boolean isHttpUrl(String s) {
        try {
            URI u = URI.create(s);
            return u.getHost() != null && ("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Same URL up to scheme/host case and a trailing slash. */
    static boolean sameUri(String a, String b) {
        return normalize(a).equals(normalize(b));
    }

    private static String normalize(String s) {
        try {
            URI u = URI.create(s.trim());
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            int port = u.getPort();
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80)) {
                port = -1;
            }
            return scheme + "://" + (u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT))
                    + (port == -1 ? "" : ":" + port) + path + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        } catch (RuntimeException e) {
            return s;
        }
    }
}
