package kz.qatysu.tool.lti.launch;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.course.PersonDirectory;
import kz.qatysu.tool.course.PersonName;
import kz.qatysu.tool.lti.LtiClaims;
import kz.qatysu.tool.lti.LtiException;
import kz.qatysu.tool.lti.LtiFailure;
import kz.qatysu.tool.lti.login.LoginHandler;
import kz.qatysu.tool.lti.login.LoginState;
import kz.qatysu.tool.lti.login.LoginStateRepository;
import kz.qatysu.tool.lti.platforms.Platform;
import kz.qatysu.tool.lti.platforms.PlatformService;
import kz.qatysu.tool.locks.CourseLinks;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.util.Tokens;
import kz.qatysu.tool.web.Messages;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /lti/launch}: the platform's form POST of {@code id_token} + {@code state} (or an OIDC error). The
 * state is taken out first, so it is spent even when the launch is refused; then the token is validated against
 * it; then, in one transaction, the nonce is recorded (replay guard) and the session opened.
 */
public final class LaunchHandler {
    private static final Logger log = LoggerFactory.getLogger(LaunchHandler.class);

    private final Jdbi jdbi;
    private final LoginStateRepository states;
    private final PlatformService platforms;
    private final LaunchValidator validator;
    private final Sessions sessions;
    private final CourseLinks courseLinks;
    private final Clock clock;
    private final Duration nonceRetention;
    private final Messages defaultMessages;

    private final PersonDirectory people;
    private final ProctoringMessages proctoring;

    public LaunchHandler(Jdbi jdbi, LoginStateRepository states, PlatformService platforms, LaunchValidator validator,
                         Sessions sessions, CourseLinks courseLinks, Clock clock, Duration nonceRetention, Messages defaultMessages,
                         PersonDirectory people,
                         ProctoringMessages proctoring) {
        this.proctoring = proctoring;
        this.people = people;
        this.jdbi = jdbi;
        this.states = states;
        this.platforms = platforms;
        this.validator = validator;
        this.sessions = sessions;
        this.courseLinks = courseLinks;
        this.clock = clock;
        this.nonceRetention = nonceRetention;
        this.defaultMessages = defaultMessages;
    }

    public void handle(Context ctx) {
        String idToken = ctx.formParam("id_token");
        String stateParam = ctx.formParam("state");
        String error = ctx.formParam("error");
        if (error != null) {
            // OIDC error response (Moodle's auth.php answers this way for unauthorized_client, access_denied, …)
            if (stateParam != null) {
                jdbi.useHandle(h -> states.consume(h, stateParam));
            }
            String description = Optional.ofNullable(ctx.formParam("error_description")).orElse("");
            throw new LtiException(LtiFailure.PLATFORM_ERROR, error + (description.isEmpty() ? "" : ": " + description));
        }
        Validated validated;
        String secret;
        String proctoringLanding = null;
        try (Handle h = jdbi.open()) {
            // One connection and one transaction per launch: take the state out, validate, record the nonce, open
            // the session. A refused launch still commits, so its state stays spent.
            h.begin();
            try {
                validated = validate(ctx, h, idToken, stateParam);
                Launch launch = validated.launch();
                // Nonce replay guard (Security Framework 5.1.3 step 9): one use per platform while a token could live.
                Instant nonceKeepUntil = clock.instant().plus(nonceRetention);
                if (isProctoringMessage(launch.messageType())) {
                    if (!states.rememberNonce(h, launch.platform().id(), validated.state().nonce(), nonceKeepUntil)) {
                        throw nonceReplayed(launch);
                    }
                    // LTI Proctoring Services: the proctored exam the platform named, the attempt it counts
                    ProctoringMessages.Accepted accepted = proctoring.accept(h, launch, validated.session());
                    validated = new Validated(launch, validated.state(), accepted.session());
                    proctoringLanding = accepted.landing();
                    secret = sessions.open(h, validated.session());
                } else {
                    // the nonce and the session in one statement: a replayed nonce stores no session
                    secret = sessions.openIfNonceFresh(h, validated.session(), validated.state().nonce(), nonceKeepUntil)
                            .orElseThrow(() -> nonceReplayed(launch));
                }
                courseLinks.record(h, validated.session());
                // the name the launch sent teaches the name store (a portal name is never overwritten by it)
                people.remember(h, CourseScope.personId(validated.session()), launchName(launch), "launch");
                h.commit();
            } catch (LtiException e) {
                h.commit();
                // Only a refused launch reads the unverified token again: to answer in the user's language.
                String locale = idToken == null ? null : LaunchValidator.unverifiedLocale(idToken);
                throw locale == null ? e : e.withLocale(locale);
            } catch (RuntimeException e) {
                h.rollback();
                throw e;
            }
        }
        // The connection is back in the pool before anything else asks for one: a launch never holds one connection
        // while waiting for another (at a class start, launches holding the whole pool would wait on each other).
        Launch launch = validated.launch();
        ToolSession session = validated.session();
        sessions.setCookie(ctx, session.launchKey(), secret);
        log.info("launch accepted: platform={} deployment={} type={} role={} context={} link={}",
                launch.platform().id(), launch.deploymentId(), launch.messageType(), launch.role(),
                launch.contextId(), launch.resourceLinkId());
        ctx.header("Cache-Control", "no-store");
        // a staff link (custom parameter qatysu_resource=staff, e.g. a site-level link) lands on the staff page
        String landing = proctoringLanding != null ? proctoringLanding
                : launch.messageType().equals(LtiClaims.DEEP_LINKING_REQUEST) ? "deep-linking"
                : session.resource().filter("staff"::equals).isPresent() ? "staff" : "";
        ctx.redirect(session.pagesBase() + "/" + landing, HttpStatus.SEE_OTHER);
    }

    private static LtiException nonceReplayed(Launch launch) {
        return new LtiException(LtiFailure.NONCE_REPLAYED, "nonce already used on platform " + launch.platform().id());
    }

    private static boolean isProctoringMessage(String messageType) {
        return LtiClaims.START_PROCTORING.equals(messageType) || LtiClaims.END_ASSESSMENT.equals(messageType);
    }

    /** The nonce was checked equal to the state's, so the state's nonce is the token's. */
    private record Validated(Launch launch, LoginState state, ToolSession session) {
    }

    private Validated validate(Context ctx, Handle h, String idToken, String stateParam) {
        if (idToken == null || idToken.isBlank()) {
            throw new LtiException(LtiFailure.MISSING_ID_TOKEN, "no id_token in the launch POST");
        }
        if (stateParam == null || stateParam.isBlank()) {
            throw new LtiException(LtiFailure.MISSING_STATE, "no state in the launch POST");
        }
        // Security Framework 5.1.1.2: the state must be one we issued, unexpired, and issued to this browser.
        LoginState state = states.consume(h, stateParam)
                .orElseThrow(() -> new LtiException(LtiFailure.UNKNOWN_STATE, "state unknown, expired or already used"));
        if (state.expiresAt().isBefore(clock.instant())) {
            throw new LtiException(LtiFailure.UNKNOWN_STATE, "state expired at " + state.expiresAt());
        }
        String browserId = ctx.cookie(LoginHandler.BROWSER_COOKIE);
        if (browserId == null || !MessageDigest.isEqual(Tokens.sha256Hex(browserId).getBytes(StandardCharsets.US_ASCII),
                state.browserHash().getBytes(StandardCharsets.US_ASCII))) {
            throw new LtiException(LtiFailure.STATE_NOT_BOUND_TO_BROWSER, browserId == null
                    ? "the browser sent no login cookie (blocked in the LMS frame?)" : "the login was started in another browser");
        }
        Platform platform = platforms.byId(state.platformId())
                .orElseThrow(() -> new LtiException(LtiFailure.UNKNOWN_PLATFORM, "platform " + state.platformId() + " no longer registered"));
        if (!platform.enabled()) {
            throw new LtiException(LtiFailure.PLATFORM_DISABLED, "platform " + platform.id() + " is disabled");
        }
        Launch launch = validator.validate(idToken, state, platform);
        return new Validated(launch, state, toSession(h, launch, ctx.header("Accept-Language")));
    }

    /**
     * The launch as a session. Where the launch does not name the portal's section and person, the tool finds them:
     * an Open edX course opens the section the sync daemon linked it to, else the one the dean's office mapped its
     * course to (any platform's course without a section code); a username the roster uploads know as a portal login
     * becomes that person's id. A launch without a name takes the name the tool knows for the person.
     *
     * @param acceptLanguage the browser's Accept-Language: the language when the launch sends no usable
     *                       {@code launch_presentation.locale} (Open edX sends none), before the institution's default
     */
    private ToolSession toSession(Handle h, Launch l, String acceptLanguage) {
        Instant now = clock.instant();
        PersonName sent = launchName(l);
        String sectionCode = l.courseSectionSourcedId();
        // what the launch does not name, looked up on the launch's own connection in one statement
        LaunchLookup.Found found = LaunchLookup.find(h, l.platform().id(), l.contextId(), blankToNull(l.openedxCourseKey()),
                blankToNull(l.personSourcedId()), blankToNull(l.username()), l.subject(), isBlank(sectionCode), sent.display().isEmpty());
        if (isBlank(sectionCode) && found.sectionId() != null) {
            sectionCode = found.sectionId();
        }
        String personSourcedId = l.personSourcedId();
        if (isBlank(personSourcedId) && found.loginPerson() != null) {
            personSourcedId = found.loginPerson();
        }
        String launchKey = Tokens.shortKey(l.platform().id() + "|" + l.deploymentId() + "|" + l.contextId() + "|"
                + l.resourceLinkId() + "|" + l.messageType() + "|" + l.subject());
        Map<String, Object> services = new HashMap<>(l.services());
        services.put("custom", l.custom());
        if (l.returnUrl() != null) {
            services.put("return_url", l.returnUrl());
        }
        if (l.productFamily() != null) {
            services.put("product_family", l.productFamily());
        }
        String language = Messages.forLocale(l.locale(), Messages.forLocale(acceptLanguage, defaultMessages)).language();
        // no PII in the launch (an Open edX block that shares none): the name the portal or an earlier launch gave
        String name = !sent.display().isEmpty() ? sent.display() : found.knownName();
        return new ToolSession(launchKey, l.platform().id(), l.deploymentId(), l.messageType(), l.subject(),
                name, l.email(), l.role(), l.roles(),
                l.contextId(), l.contextLabel(), l.contextTitle(), l.resourceLinkId(), l.resourceLinkTitle(), language,
                personSourcedId, sectionCode, l.username(), l.openedxCourseKey(), services,
                now, now.plus(sessions.lifetime()));
    }

    /** The launch's name: its {@code name} claim (as the LMS writes it) with the given/family parts when sent. */
    private static PersonName launchName(Launch l) {
        return new PersonName(isBlank(l.name()) ? null : l.name(), l.familyName(), l.givenName(), null);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String blankToNull(String s) {
        return isBlank(s) ? null : s;
    }

}
