package kz.qatysu.demo.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.ParseException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OAuth 2 client-credentials token endpoint ({@code /mod/lti/token.php}), as Moodle 4.5 runs it: form POST only;
 * the tool is found by the assertion's {@code sub}; the assertion is checked against the tool's key set (cached,
 * downloaded again on failure); granted scopes = requested ∩ permitted; success and errors are JSON served as
 * {@code text/html}, errors with HTTP 400 and Moodle's error strings (captures {@code advantage_0*_token_*.json}).
 */
final class TokenController {
    private static final Logger log = LoggerFactory.getLogger(TokenController.class);
    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static final List<String> PERMITTED_SCOPES = List.of(
            LaunchMessages.SCOPE_LINEITEM, LaunchMessages.SCOPE_LINEITEM_READONLY, LaunchMessages.SCOPE_RESULT_READONLY,
            LaunchMessages.SCOPE_SCORE, LaunchMessages.SCOPE_MEMBERSHIPS);
    // Moodle sends its JSON with this content type.
    private static final String MOODLE_CONTENT_TYPE = "text/html; charset=utf-8";

    private final String clientId;
    private final ToolKeySet toolKeys;
    private final AccessTokens tokens;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    TokenController(String clientId, ToolKeySet toolKeys, AccessTokens tokens, Clock clock) {
        this.clientId = clientId;
        this.toolKeys = toolKeys;
        this.tokens = tokens;
        this.clock = clock;
    }

    void token(Context ctx) throws Exception {
        String contentType = ctx.contentType() == null ? "" : ctx.contentType().split(";", 2)[0].trim();
        if (!"POST".equals(ctx.method().name()) || !"application/x-www-form-urlencoded".equalsIgnoreCase(contentType)) {
            fail(ctx, "invalid_request");
            return;
        }
        String assertion = ctx.formParam("client_assertion");
        String assertionType = ctx.formParam("client_assertion_type");
        String grantType = ctx.formParam("grant_type");
        String scope = ctx.formParam("scope");
        if (empty(assertion) || empty(assertionType) || empty(grantType) || empty(scope)) {
            fail(ctx, "invalid_request");
            return;
        }
        if (!JWT_BEARER.equals(assertionType) || !"client_credentials".equals(grantType)) {
            fail(ctx, "unsupported_grant_type");
            return;
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(assertion);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            fail(ctx, "invalid_request");
            return;
        }
        if (empty(claims.getSubject())) {
            fail(ctx, "invalid_request");
            return;
        }
        if (!clientId.equals(claims.getSubject())) {
            fail(ctx, "invalid_client");
            return;
        }
        try {
            toolKeys.verify(jwt);
        } catch (ToolKeySet.VerificationException e) {
            fail(ctx, e.getMessage());
            return;
        }
        Date exp = claims.getExpirationTime();
        if (exp != null && !exp.toInstant().isAfter(clock.instant())) {
            fail(ctx, "Expired token");
            return;
        }
        List<String> requested = Arrays.stream(scope.split(" ")).filter(s -> !s.isEmpty()).distinct().toList();
        List<String> granted = requested.stream().filter(PERMITTED_SCOPES::contains).toList();
        if (granted.isEmpty()) {
            fail(ctx, "invalid_scope");
            return;
        }
        AccessTokens.Grant grant = tokens.issue(granted);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", grant.token());
        body.put("token_type", "Bearer");
        body.put("expires_in", AccessTokens.LIFETIME.toSeconds());
        body.put("scope", String.join(" ", granted));
        ctx.header("Cache-Control", "no-store").contentType(MOODLE_CONTENT_TYPE).result(json.writeValueAsString(body));
    }

    private void fail(Context ctx, String error) throws Exception {
        log.info("token request refused: {}", error);
        ctx.status(400).contentType(MOODLE_CONTENT_TYPE).result(json.writeValueAsString(Map.of("error", error)));
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }
}
