package kz.qatysu.demo.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.javalin.http.Context;
import kz.qatysu.demo.platform.PlatformSessions.DeepLinkRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The deep-linking return URL ({@code /mod/lti/contentitem_return.php}): the tool's browser form POSTs {@code JWT}
 * here. The JWT must be RS256 with a {@code kid} of the tool's key set, {@code iss} = the client id, {@code aud} =
 * the platform issuer, an unexpired {@code exp}, {@code message_type} LtiDeepLinkingResponse, {@code version}
 * 1.3.0, the request's deployment id, and echo {@code data} exactly when the request carried it. Accepted
 * {@code ltiResourceLink} items become activities of the course (Moodle pre-fills its activity form with them).
 */
final class DeepLinkController {
    private static final Logger log = LoggerFactory.getLogger(DeepLinkController.class);
    private static final String LTI = LaunchMessages.LTI;
    private static final String DL = LaunchMessages.DL;

    /** One accepted deep-linking response, for the demo page. */
    record Received(String message, List<Map<String, Object>> items, List<String> addedLinkIds) {
    }

    private final PlatformSessions sessions;
    private final ToolKeySet toolKeys;
    private final CourseLinks links;
    private final Gradebook gradebook;
    private final PlatformUrls urls;
    private final String clientId;
    private final String toolLaunchUrl;
    private final Clock clock;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ObjectMapper json = new ObjectMapper();

    DeepLinkController(PlatformSessions sessions, ToolKeySet toolKeys, CourseLinks links, Gradebook gradebook, PlatformUrls urls,
                       String clientId, String toolLaunchUrl, Clock clock) {
        this.sessions = sessions;
        this.toolKeys = toolKeys;
        this.links = links;
        this.gradebook = gradebook;
        this.urls = urls;
        this.clientId = clientId;
        this.toolLaunchUrl = toolLaunchUrl;
        this.clock = clock;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    void receive(Context ctx) throws Exception {
        String returnKey = ctx.queryParam("sesskey");
        DeepLinkRequest request = sessions.deepLinkRequest(returnKey).orElse(null);
        if (request == null) {
            refuse(ctx, "Incorrect sesskey submitted, form not accepted: no deep-linking request is waiting for this return URL");
            return;
        }
        String jwtParam = ctx.formParam("JWT");
        if (jwtParam == null || jwtParam.isEmpty()) {
            refuse(ctx, "No JWT form field in the deep-linking response");
            return;
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(jwtParam);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            refuse(ctx, "The JWT field is not a signed JWT: " + e.getMessage());
            return;
        }
        try {
            toolKeys.verify(jwt);
        } catch (ToolKeySet.VerificationException e) {
            refuse(ctx, e.getMessage());
            return;
        }
        String problem = claimProblem(claims, request);
        if (problem != null) {
            refuse(ctx, problem);
            return;
        }
        if (!sessions.finishDeepLinkRequest(request.returnKey())) {
            refuse(ctx, "This deep-linking request was already answered");
            return;
        }
        List<Map<String, Object>> items = contentItems(claims);
        List<String> added = new ArrayList<>();
        for (Map<String, Object> item : items) {
            if ("ltiResourceLink".equals(item.get("type"))) {
                added.add(addActivity(item));
            }
        }
        String message = stringClaim(claims, DL + "msg");
        received.add(new Received(message, items, added));
        log.info("deep-linking response accepted: {} item(s), {} activity(ies) added", items.size(), added.size());
        ctx.html(Html.page("en", "Content received", receivedPage(message, items, added)));
    }

    private String claimProblem(JWTClaimsSet claims, DeepLinkRequest request) throws ParseException {
        if (!clientId.equals(claims.getIssuer())) {
            return "iss must be the client id " + clientId + ", was " + claims.getIssuer();
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(urls.issuer())) {
            return "aud must be the platform issuer " + urls.issuer() + ", was " + claims.getAudience();
        }
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            return "exp missing";
        }
        if (!exp.toInstant().isAfter(clock.instant())) {
            return "Expired token";
        }
        if (claims.getIssueTime() == null) {
            return "iat missing";
        }
        if (claims.getStringClaim("nonce") == null) {
            return "nonce missing";
        }
        if (!"LtiDeepLinkingResponse".equals(stringClaim(claims, LTI + "message_type"))) {
            return "message_type must be LtiDeepLinkingResponse, was " + stringClaim(claims, LTI + "message_type");
        }
        if (!"1.3.0".equals(stringClaim(claims, LTI + "version"))) {
            return "version must be 1.3.0, was " + stringClaim(claims, LTI + "version");
        }
        if (!request.deploymentId().equals(stringClaim(claims, LTI + "deployment_id"))) {
            return "deployment_id must be " + request.deploymentId() + ", was " + stringClaim(claims, LTI + "deployment_id");
        }
        if (request.dlData() != null && !request.dlData().equals(stringClaim(claims, DL + "data"))) {
            return "data must echo the request's data " + request.dlData() + ", was " + stringClaim(claims, DL + "data");
        }
        Object items = claims.getClaim(DL + "content_items");
        if (items != null && !(items instanceof List<?>)) {
            return "content_items must be an array";
        }
        return null;
    }

    private String addActivity(Map<String, Object> item) {
        String title = item.get("title") instanceof String t && !t.isBlank() ? t : "Untitled activity";
        String text = item.get("text") instanceof String t ? t : "";
        String url = item.get("url") instanceof String u && !u.isBlank() ? u : toolLaunchUrl;
        Map<String, String> custom = new LinkedHashMap<>();
        if (item.get("custom") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> custom.put(String.valueOf(k), String.valueOf(v)));
        }
        CourseLinks.ResourceLink link = links.add(title, text, url, custom);
        if (item.get("lineItem") instanceof Map<?, ?> li && li.get("scoreMaximum") instanceof Number max && max.doubleValue() > 0) {
            String label = li.get("label") instanceof String l && !l.isBlank() ? l : title;
            gradebook.create(label, max.doubleValue(), (String) (li.get("resourceId") instanceof String s ? s : null),
                    (String) (li.get("tag") instanceof String s ? s : null), link.id(), false);
        }
        return link.id();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> contentItems(JWTClaimsSet claims) {
        Object items = claims.getClaim(DL + "content_items");
        List<Map<String, Object>> out = new ArrayList<>();
        if (items instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    out.add((Map<String, Object>) m);
                }
            }
        }
        return out;
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        Object v = claims.getClaim(name);
        return v instanceof String s ? s : null;
    }

    private String receivedPage(String message, List<Map<String, Object>> items, List<String> added) throws Exception {
        StringBuilder b = new StringBuilder("<header><a href=\"").append(Html.esc(urls.demo())).append("\">← ")
                .append(Html.esc(SampleCourse.TITLE)).append("</a></header><main><section><h1 id=\"dl-received\">Content received from the tool</h1>");
        if (message != null) {
            b.append("<p id=\"dl-msg\">").append(Html.esc(message)).append("</p>");
        }
        b.append("<p>").append(items.size()).append(" content item(s); ").append(added.size())
                .append(" added to the course as activities (Moodle accepts only ltiResourceLink).</p><table><tr><th>type</th><th>title</th><th>url</th><th>details</th></tr>");
        for (Map<String, Object> item : items) {
            b.append("<tr class=\"dl-item\"><td>").append(Html.esc(String.valueOf(item.get("type"))))
                    .append("</td><td>").append(Html.esc(item.get("title") == null ? "" : String.valueOf(item.get("title"))))
                    .append("</td><td>").append(Html.esc(item.get("url") == null ? "" : String.valueOf(item.get("url"))))
                    .append("</td><td><pre>").append(Html.esc(json.writerWithDefaultPrettyPrinter().writeValueAsString(item)))
                    .append("</pre></td></tr>");
        }
        b.append("</table><p><a class=\"button\" href=\"").append(Html.esc(urls.demo())).append("\">Back to the course</a></p></section></main>");
        return b.toString();
    }

    private void refuse(Context ctx, String reason) {
        log.info("deep-linking response refused: {}", reason);
        ctx.status(400).html(Html.page("en", "Deep-linking response refused", "<main><section><h1>Deep-linking response refused</h1><p id=\"dl-error\">"
                + Html.esc(reason) + "</p><p><a href=\"" + Html.esc(urls.demo()) + "\">Back to the course</a></p></section></main>"));
    }
}
