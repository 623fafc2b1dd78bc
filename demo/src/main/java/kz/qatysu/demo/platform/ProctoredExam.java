package kz.qatysu.demo.platform;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import kz.qatysu.demo.platform.PlatformSessions.MessageType;
import kz.qatysu.demo.platform.PlatformSessions.Session;
import kz.qatysu.demo.platform.PlatformSessions.Variant;
import kz.qatysu.demo.platform.SampleCourse.Member;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * LTI Proctoring Services as Open edX sends and checks them (xblock-lti-consumer 11.4, {@code LtiProctoringConsumer}
 * and {@code start_proctoring_assessment_endpoint}; shared/integration/lti-platform-messages.md §2.5): a proctored
 * exam of the sample course whose "Start exam" starts the OIDC login for an {@code LtiStartProctoring} (the
 * {@code session_data} cached per user and exam, the {@code attempt_number} counted per user); the
 * {@code start_proctoring_assessment} endpoint that checks the tool's LtiStartAssessment exactly as Open edX does
 * (configuration by {@code iss} = client id and {@code resource_link.id}, else 404; signature against the tool's key set
 * and {@code exp}, which Open edX does not catch: 500; message type, version, {@code session_data},
 * {@code attempt_number}, the learner's own platform session: 400) and then shows the exam; "Finish exam" sends
 * {@code LtiEndAssessment} when the tool asked for it ({@code end_assessment_return}).
 */
final class ProctoredExam {
    private static final Logger log = LoggerFactory.getLogger(ProctoredExam.class);
    static final String PAGE = "/demo/proctored-exam";
    static final String START = "/demo/proctored-exam/start";
    static final String FINISH = "/demo/proctored-exam/finish";
    static final String START_ASSESSMENT = "/api/lti_consumer/v1/start_proctoring_assessment";
    static final String BLOCK_ID = "block-v1:KazNU+CS101+2026F+type@lti_consumer+block@proctored0final0exam00000000000";
    static final String TITLE = "Қорытынды емтихан · Final exam (proctored, Open edX)";

    /** A learner's state at the exam: the cached session_data, the attempt number, what the tool and the learner did. */
    static final class State {
        String sessionData;
        int attemptNumber;
        boolean started;
        boolean endAssessmentReturn;
        boolean submitted;
    }

    private final PlatformSessions sessions;
    private final SampleCourse.Roster roster;
    private final ToolKeySet toolKeys;
    private final PlatformUrls urls;
    private final String clientId;
    private final String deploymentId;
    private final String toolLoginUrl;
    private final String toolLaunchUrl;
    private final Clock clock;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    ProctoredExam(PlatformSessions sessions, SampleCourse.Roster roster, ToolKeySet toolKeys, PlatformUrls urls, String clientId,
                  String deploymentId, String toolLoginUrl, String toolLaunchUrl, Clock clock) {
        this.sessions = sessions;
        this.roster = roster;
        this.toolKeys = toolKeys;
        this.urls = urls;
        this.clientId = clientId;
        this.deploymentId = deploymentId;
        this.toolLoginUrl = toolLoginUrl;
        this.toolLaunchUrl = toolLaunchUrl;
        this.clock = clock;
    }

    String startAssessmentUrl() {
        return urls.issuer() + START_ASSESSMENT;
    }

    State state(String userId) {
        return states.computeIfAbsent(userId, k -> new State());
    }

    /** {@code GET /demo/proctored-exam[?user=]}: logs in as the user when named; the exam's state, start and finish. */
    void page(Context ctx) {
        Session session;
        String user = ctx.queryParam("user");
        if (user != null) {
            if (roster.byUserId(user).isEmpty()) {
                ctx.status(404).html(Html.page("en", "Unknown user", "<main><section><p>No such user.</p></section></main>"));
                return;
            }
            session = sessions.login(user);
            ctx.header("Set-Cookie", DemoPages.sessionCookie(session.id(), toolLaunchUrl));
        } else {
            session = sessions.session(ctx.cookie(DemoPages.SESSION_COOKIE)).orElse(null);
            if (session == null) {
                notLoggedIn(ctx);
                return;
            }
        }
        Member m = roster.byUserId(session.userId()).orElseThrow();
        State s = state(m.userId());
        StringBuilder b = new StringBuilder("<header><a href=\"").append(Html.esc(urls.demo())).append("\">← ")
                .append(Html.esc(SampleCourse.TITLE)).append("</a> · logged in as <strong id=\"platform-user\">")
                .append(Html.esc(m.name())).append("</strong></header><main><section><h1>").append(Html.esc(TITLE)).append("</h1>");
        b.append("<p id=\"exam-state\" data-attempt=\"").append(s.attemptNumber).append("\">");
        if (s.started && !s.submitted) {
            b.append("Attempt ").append(s.attemptNumber).append(": in progress, proctored by the tool.</p>")
                    .append("<div id=\"exam-content\"><p><strong>1.</strong> Which structure gives O(1) access by index?</p>")
                    .append("<p><label><input type=\"radio\" name=\"q1\"> array</label> <label><input type=\"radio\" name=\"q1\"> linked list</label></p></div>")
                    .append("<p><a class=\"button\" id=\"finish-exam\" href=\"").append(FINISH).append("\">Finish exam</a></p>");
        } else {
            b.append(s.attemptNumber == 0 ? "Not started." : "Attempt " + s.attemptNumber + (s.submitted ? ": submitted." : ": waiting for the proctoring tool."))
                    .append("</p><p><a class=\"button\" id=\"start-exam\" target=\"_blank\" rel=\"opener\" href=\"").append(START)
                    .append("\">").append(s.attemptNumber == 0 || s.submitted ? "Start exam" : "Start the system check again").append("</a></p>")
                    .append("<p class=\"muted\">Like Open edX, the proctoring tool opens in a new tab (LtiStartProctoring).</p>");
        }
        b.append("</section></main>");
        ctx.header("Cache-Control", "no-store");
        ctx.html(Html.page(m.locale(), TITLE, b.toString()));
    }

    /** {@code GET /demo/proctored-exam/start}: a new attempt (after a submitted one), then LtiStartProctoring's login. */
    void start(Context ctx) {
        Session session = sessions.session(ctx.cookie(DemoPages.SESSION_COOKIE)).orElse(null);
        if (session == null) {
            notLoggedIn(ctx);
            return;
        }
        State s = state(session.userId());
        synchronized (s) {
            if (s.attemptNumber == 0 || s.submitted) {
                s.attemptNumber++;
                s.started = false;
                s.submitted = false;
                s.endAssessmentReturn = false;
            }
            if (s.sessionData == null) {
                s.sessionData = sessions.randomHex(16);
            }
        }
        redirectToLogin(ctx, session, MessageType.START_PROCTORING);
    }

    /** {@code GET /demo/proctored-exam/finish}: the learner submits; LtiEndAssessment when the tool asked for it. */
    void finish(Context ctx) {
        Session session = sessions.session(ctx.cookie(DemoPages.SESSION_COOKIE)).orElse(null);
        if (session == null) {
            notLoggedIn(ctx);
            return;
        }
        State s = state(session.userId());
        boolean end;
        synchronized (s) {
            if (!s.started || s.submitted) {
                ctx.redirect(PAGE, HttpStatus.FOUND);
                return;
            }
            s.submitted = true;
            end = s.endAssessmentReturn;
        }
        if (end) {
            redirectToLogin(ctx, session, MessageType.END_ASSESSMENT);
        } else {
            ctx.redirect(PAGE, HttpStatus.FOUND);
        }
    }

    private void redirectToLogin(Context ctx, Session session, MessageType type) {
        // Open edX's hint: md5 of the launch data's cache key, per (user, resource link)
        String hint = LaunchMessages.md5Hex(type.claim + ":" + session.userId() + ":" + BLOCK_ID);
        sessions.startLaunch(hint, session, Variant.OPENEDX, type, null, "iframe", null);
        String location = toolLoginUrl + (toolLoginUrl.contains("?") ? "&" : "?")
                + "iss=" + PlatformUrls.enc(urls.issuer()) + "&client_id=" + PlatformUrls.enc(clientId)
                + "&lti_deployment_id=" + PlatformUrls.enc(deploymentId) + "&target_link_uri=" + PlatformUrls.enc(toolLaunchUrl)
                + "&login_hint=" + PlatformUrls.enc(session.userId()) + "&lti_message_hint=" + PlatformUrls.enc(hint);
        ctx.redirect(location, HttpStatus.FOUND);
    }

    /** The claims of LtiStartProctoring / LtiEndAssessment for the auth endpoint (as LtiProctoringConsumer builds them). */
    Map<String, Object> claims(LaunchMessages messages, Member user, MessageType type, String nonce, long now) {
        State s = state(user.userId());
        Map<String, Object> c = messages.openEdxProctoring(user, type.claim, BLOCK_ID, toolLaunchUrl, nonce, now);
        c.put(LaunchMessages.AP + "attempt_number", s.attemptNumber);
        if (type == MessageType.START_PROCTORING) {
            c.put(LaunchMessages.AP + "session_data", s.sessionData);
            c.put(LaunchMessages.AP + "start_assessment_url", startAssessmentUrl());
        } else {
            c.put(LaunchMessages.AP + "session_data", null);
        }
        return c;
    }

    /** {@code POST /api/lti_consumer/v1/start_proctoring_assessment} (form field {@code JWT}), as Open edX checks it. */
    void startAssessment(Context ctx) {
        String token = ctx.formParam("JWT");
        SignedJWT jwt;
        JWTClaimsSet unverified;
        try {
            jwt = SignedJWT.parse(token == null ? "" : token);
            unverified = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            error(ctx, 400, "MalformedJwtToken");
            return;
        }
        // the configuration is looked up by iss = client id and location = resource_link.id before any verification
        Object rl = unverified.getClaim(LaunchMessages.LTI + "resource_link");
        if (!clientId.equals(unverified.getIssuer()) || !(rl instanceof Map<?, ?> link) || !BLOCK_ID.equals(link.get("id"))) {
            error(ctx, 404, "no LtiConfiguration for iss/resource_link");
            return;
        }
        try {
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) && !JWSAlgorithm.RS512.equals(jwt.getHeader().getAlgorithm())) {
                throw new ToolKeySet.VerificationException("Algorithm not allowed");
            }
            toolKeys.verify(jwt);
        } catch (ToolKeySet.VerificationException e) {
            serverError(ctx, "InvalidSignatureError: " + e.getMessage());
            return;
        }
        Date exp = unverified.getExpirationTime();
        if (exp != null && exp.toInstant().isBefore(clock.instant())) {
            serverError(ctx, "ExpiredSignatureError");
            return;
        }
        Session session = sessions.session(ctx.cookie(DemoPages.SESSION_COOKIE)).orElse(null);
        State s = session == null ? null : states.get(session.userId());
        if (s == null || s.sessionData == null || s.attemptNumber == 0) {
            error(ctx, 400, "launch data cache miss for user " + (session == null ? "None" : session.userId()));
            return;
        }
        String problem = check(unverified, "message_type", LaunchMessages.LTI + "message_type", "LtiStartAssessment");
        if (problem == null) {
            problem = check(unverified, "version", LaunchMessages.LTI + "version", "1.3.0");
        }
        if (problem == null) {
            problem = check(unverified, "session_data", LaunchMessages.AP + "session_data", s.sessionData);
        }
        if (problem == null && !(unverified.getClaim(LaunchMessages.AP + "attempt_number") instanceof Number n
                && n.intValue() == s.attemptNumber)) {
            problem = "Token's " + LaunchMessages.AP + "attempt_number claim is not correct.";
        }
        if (problem != null) {
            error(ctx, 400, problem);
            return;
        }
        synchronized (s) {
            s.started = true;
            s.endAssessmentReturn = Boolean.TRUE.equals(unverified.getClaim(LaunchMessages.AP + "end_assessment_return"));
        }
        log.info("LtiStartAssessment accepted: user={} attempt_number={} end_assessment_return={}", session.userId(),
                s.attemptNumber, s.endAssessmentReturn);
        ctx.html(Html.page("en", "LTI", "<main><section><h1>LTI</h1><p id=\"assessment-started\">Sending you back to your exam.</p>"
                + "<p><a class=\"button\" id=\"return-to-exam\" href=\"" + PAGE + "\">Return to exam</a></p></section></main>"));
    }

    private static String check(JWTClaimsSet c, String name, String claim, Object expected) {
        Object v = c.getClaim(claim);
        if (v == null) {
            return "Token is missing required " + claim + " claim.";
        }
        return expected.equals(v) ? null : "Token's " + claim + " claim is not correct (" + name + ").";
    }

    private static void error(Context ctx, int status, String reason) {
        log.info("LtiStartAssessment refused ({}): {}", status, reason);
        ctx.status(status).html(Html.page("en", "LTI", "<main><section><h1>LTI</h1><p id=\"assessment-error\">There was an error while "
                + "starting your LTI proctored assessment. If you're seeing this on a live course, please contact the course staff.</p>"
                + "<p class=\"muted\" id=\"assessment-reason\">" + Html.esc(reason) + "</p></section></main>"));
    }

    private static void serverError(Context ctx, String reason) {
        log.info("LtiStartAssessment: Open edX would not catch this ({}): 500", reason);
        ctx.status(500).html("<h1>Server Error (500)</h1>");
    }

    private void notLoggedIn(Context ctx) {
        ctx.status(401).html(Html.page("en", "Not logged in", "<main><section><p>Choose a user on <a href=\""
                + Html.esc(urls.demo()) + "\">the demo page</a> first.</p></section></main>"));
    }
}
