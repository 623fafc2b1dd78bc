package kz.qatysu.demo.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import kz.qatysu.demo.platform.PlatformSessions.PendingLaunch;
import kz.qatysu.demo.platform.PlatformSessions.Session;
import kz.qatysu.demo.platform.SampleCourse.Member;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OIDC authentication endpoint ({@code /mod/lti/auth.php}): the tool's authentication request (GET or POST)
 * comes back here with the browser, and the answer is an auto-submitted form POST to the tool's redirect URI.
 *
 * <p>For Moodle launches the checks, their order and their outcome follow Moodle 4.5's {@code mod/lti/auth.php}
 * (captures {@code auth_error_*.json}): a missing parameter, a hint without launch id, a wrong {@code scope} or
 * {@code response_type}, an unknown or used launch and an unregistered {@code redirect_uri} end on a 404 error page
 * with nothing sent to the tool; a wrong {@code client_id}, a {@code login_hint} that is not the logged-in user, a
 * wrong {@code response_mode} or {@code prompt} are posted to the tool as {@code error} / {@code error_description}
 * / {@code state}. Open edX-style launches get Open edX's lighter preflight checks instead.
 */
final class AuthController {
    private static final Logger log = LoggerFactory.getLogger(AuthController.class);

    private final PlatformSessions sessions;
    private final SampleCourse.Roster roster;
    private final CourseLinks links;
    private final LaunchMessages messages;
    private final PlatformKey key;
    private final PlatformUrls urls;
    private final String clientId;
    private final String deploymentId;
    private final List<String> redirectUris;
    private final String toolLaunchUrl;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final ProctoredExam proctoredExam;

    AuthController(PlatformSessions sessions, SampleCourse.Roster roster, CourseLinks links, LaunchMessages messages, PlatformKey key, PlatformUrls urls,
                   String clientId, String deploymentId, List<String> redirectUris, String toolLaunchUrl, Clock clock,
                   ProctoredExam proctoredExam) {
        this.proctoredExam = proctoredExam;
        this.sessions = sessions;
        this.roster = roster;
        this.links = links;
        this.messages = messages;
        this.key = key;
        this.urls = urls;
        this.clientId = clientId;
        this.deploymentId = deploymentId;
        this.redirectUris = List.copyOf(redirectUris);
        this.toolLaunchUrl = toolLaunchUrl;
        this.clock = clock;
    }

    void authorize(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        Session session = sessions.session(ctx.cookie(DemoPages.SESSION_COOKIE)).orElse(null);
        if (session == null) {
            // Moodle's require_login() would send the browser to the login page; the demo has none.
            ctx.status(401).html(Html.page("en", "Not logged in", "<main><section><h1>Not logged in</h1>"
                    + "<p>This browser has no session on the demo platform. Start the launch from <a href=\""
                    + Html.esc(urls.demo()) + "\">the demo page</a>.</p></section></main>"));
            return;
        }
        String hint = param(ctx, "lti_message_hint");
        PendingLaunch openEdx = hint == null ? null : sessions.peekLaunch(hint)
                .filter(l -> l.variant() == PlatformSessions.Variant.OPENEDX).orElse(null);
        if (openEdx != null) {
            authorizeOpenEdx(ctx, session, openEdx);
        } else {
            authorizeMoodle(ctx, session, hint);
        }
    }

    private void authorizeMoodle(Context ctx, Session session, String hint) {
        String scope = param(ctx, "scope");
        String responseType = param(ctx, "response_type");
        String requestClientId = param(ctx, "client_id");
        String redirectUri = param(ctx, "redirect_uri");
        String loginHint = param(ctx, "login_hint");
        String state = param(ctx, "state");
        String responseMode = param(ctx, "response_mode");
        String nonce = param(ctx, "nonce");
        String prompt = param(ctx, "prompt");

        boolean ok = present(scope) && present(responseType) && present(requestClientId) && present(redirectUri)
                && present(loginHint) && present(nonce);
        String error = ok ? null : "invalid_request";
        String description = null;
        String launchId = launchIdOf(hint);
        if (ok && launchId == null) {
            ok = false;
            error = "invalid_request";
            description = "No launch id in LTI hint";
        }
        if (ok && !"openid".equals(scope)) {
            ok = false;
            error = "invalid_scope";
        }
        if (ok && !"id_token".equals(responseType)) {
            ok = false;
            error = "unsupported_response_type";
        }
        PendingLaunch launch = null;
        if (ok) {
            // Read once and removed, as Moodle unsets $SESSION->$launchid: a replayed request finds nothing.
            launch = sessions.takeLaunch(launchId)
                    .filter(l -> l.sessionId().equals(session.id()) && l.variant() == PlatformSessions.Variant.MOODLE)
                    .orElse(null);
            if (launch != null && !clientId.equals(requestClientId)) {
                ok = false;
                error = "unauthorized_client";
            }
        }
        if (ok && launch != null && !loginHint.equals(session.userId())) {
            ok = false;
            error = "access_denied";
        }
        if (launch == null) {
            log.info("auth request refused with an error page: {}{}", error == null ? "unknown or used launch" : error,
                    description == null ? "" : " (" + description + ")");
            moodleErrorPage(ctx);
            return;
        }
        if (!redirectUris.contains(redirectUri)) {
            log.info("auth request refused with an error page: redirect_uri {} is not registered", redirectUri);
            moodleErrorPage(ctx);
            return;
        }
        if (ok && !"form_post".equals(responseMode)) {
            ok = false;
            error = "invalid_request";
            description = "Invalid response_mode";
        }
        if (ok && present(prompt) && !"none".equals(prompt)) {
            ok = false;
            error = "invalid_request";
            description = "Invalid prompt";
        }
        Map<String, String> fields = new LinkedHashMap<>();
        if (ok) {
            fields.put("id_token", idToken(launch, session, nonce));
        } else {
            log.info("auth request answered with error={}{}", error, description == null ? "" : " (" + description + ")");
            fields.put("error", error);
            if (description != null) {
                fields.put("error_description", description);
            }
        }
        fields.put("state", state == null ? "" : state);
        ctx.html(Html.autoPostForm(redirectUri, fields, "ltiAuthForm"));
    }

    /** Open edX's {@code launch_gate_endpoint}: hint and login hint present, nonce and state present, known redirect and client. */
    private void authorizeOpenEdx(Context ctx, Session session, PendingLaunch launch) {
        String loginHint = param(ctx, "login_hint");
        String nonce = param(ctx, "nonce");
        String state = param(ctx, "state");
        String redirectUri = param(ctx, "redirect_uri");
        if (!present(loginHint)) {
            ctx.status(400).html(Html.page("en", "Bad request", "<p>Missing login_hint or lti_message_hint.</p>"));
            return;
        }
        if (!present(nonce) || !present(state) || !redirectUris.contains(redirectUri) || !clientId.equals(param(ctx, "client_id"))
                || !launch.sessionId().equals(session.id())) {
            ctx.status(400).html(Html.page("en", "Bad request", "<p>PreflightRequestValidationFailure</p>"));
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("state", state);
        fields.put("id_token", idToken(launch, session, nonce));
        ctx.html(Html.autoPostForm(redirectUri, fields, "lti-1p3-launch-form"));
    }

    private String idToken(PendingLaunch launch, Session session, String nonce) {
        Member user = roster.byUserId(launch.userId()).orElseThrow();
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims;
        if (launch.type() == PlatformSessions.MessageType.START_PROCTORING
                || launch.type() == PlatformSessions.MessageType.END_ASSESSMENT) {
            claims = proctoredExam.claims(messages, user, launch.type(), nonce, now);
        } else if (launch.type() == PlatformSessions.MessageType.DEEP_LINKING) {
            var expected = sessions.expectDeepLinkResponse(user.userId(), deploymentId, launch.dlData());
            claims = messages.moodleDeepLinking(user, toolLaunchUrl, nonce, now, urls.contentItemReturn(expected.returnKey()),
                    launch.dlData());
        } else {
            var link = links.find(launch.resourceLinkId()).orElseThrow();
            claims = launch.variant() == PlatformSessions.Variant.OPENEDX
                    ? messages.openEdxResourceLink(user, link, nonce, now)
                    : messages.moodleResourceLink(user, link, nonce, now, launch.documentTarget(), session.sesskey());
        }
        return key.sign(claims, key.kid());
    }

    private void moodleErrorPage(Context ctx) {
        ctx.status(404).html(Html.page("en", "Error | qatysu-demo", "<main><section><h1>Error</h1>"
                + "<p>Invalid request</p><p class=\"muted\">Debug info: Error code: invalidrequest</p></section></main>"));
    }

    /** Moodle 4.x sends {@code {"cmid":2,"launchid":"ltilaunch1_..."}}; anything else has no launch id. */
    private String launchIdOf(String hint) {
        if (hint == null || hint.isEmpty()) {
            return null;
        }
        try {
            JsonNode node = json.readTree(hint);
            JsonNode id = node == null ? null : node.get("launchid");
            return id != null && id.isValueNode() && !id.asText().isEmpty() ? id.asText() : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** Moodle's {@code optional_param}: the query string or the form body. */
    static String param(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null && ctx.contentType() != null && ctx.contentType().startsWith("application/x-www-form-urlencoded")) {
            v = ctx.formParam(name);
        }
        return v;
    }

    private static boolean present(String s) {
        return s != null && !s.isEmpty();
    }
}
