package kz.qatysu.tool.lti.deeplinking;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import kz.qatysu.tool.lti.LtiClaims;
import kz.qatysu.tool.util.Tokens;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the signed {@code LtiDeepLinkingResponse} (LTI Deep Linking 2.0 §4.5): iss = the tool's client id,
 * aud = the platform issuer, a fresh nonce, the request's deployment id, the content items, and the request's
 * {@code data} echoed verbatim when it was sent. RS256 with the tool's current key, whose kid is in our JWKS.
 */
public final class DeepLinkingResponse {
    private static final Duration LIFETIME = Duration.ofMinutes(5);

    private DeepLinkingResponse() {
    }

    /** One ltiResourceLink content item, already in its wire shape. */
    public static Map<String, Object> resourceLink(ToolResource resource, String title, String text, String launchUrl) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("type", "ltiResourceLink");
        item.put("title", title);
        item.put("text", text);
        item.put("url", launchUrl);
        item.put("custom", Map.of(ToolResource.CUSTOM_PARAMETER, resource.key()));
        resource.lineItemTag().ifPresent(tag -> {
            // Moodle turns this into the activity's grade item (scoreMaximum 1): the column the lock is posted to.
            Map<String, Object> lineItem = new LinkedHashMap<>();
            lineItem.put("label", title);
            lineItem.put("scoreMaximum", 1);
            lineItem.put("resourceId", tag);
            lineItem.put("tag", tag);
            item.put("lineItem", lineItem);
        });
        return item;
    }

    public static String sign(RSAKey toolKey, String clientId, String platformIssuer, String deploymentId,
                              List<Map<String, Object>> contentItems, Object data, String message, Instant now) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(clientId)
                .audience(platformIssuer)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .jwtID(Tokens.random(16))
                .claim("nonce", Tokens.random(16))
                .claim(LtiClaims.MESSAGE_TYPE, LtiClaims.DEEP_LINKING_RESPONSE)
                .claim(LtiClaims.VERSION, LtiClaims.LTI_VERSION)
                .claim(LtiClaims.DEPLOYMENT_ID, deploymentId)
                .claim(LtiClaims.DL_CONTENT_ITEMS, new ArrayList<>(contentItems));
        if (data != null) {
            claims.claim(LtiClaims.DL_DATA, data);
        }
        if (message != null) {
            claims.claim(LtiClaims.DL_MSG, message);
        }
        return kz.qatysu.tool.lti.keys.ToolJwt.sign(toolKey, claims.build(), "the deep linking response");
    }
}
