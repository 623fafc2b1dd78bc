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
import kz.qatysu.tool.lti.login.NonceRepository;
import kz.qatysu.tool.lti.login.SignedStates;
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
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /lti/launch}: the platform's form POST of {@code id_token} + {@code state} (or an OIDC error). The
 * state is a signed value ({@link SignedStates}): its MAC, expiry and browser binding are checked without the
 * database, then the token against it. Then, on one connection: one look-up of what the launch does not name and of
 * what it would upsert, and the writes — for a returning user only the nonce with the session, one auto-committed
 * statement; in one transaction when more is written (first launch, changed claims or name, proctoring messages).
 * Recording the nonce once per platform is what makes a state single-use; a refused launch records its state's
 * nonce too, so its state stays spent.
 */
public final class LaunchHandler {
    private static final Logger log = LoggerFactory.getLogger(LaunchHandler.class);

    private final Jdbi jdbi;
    private final SignedStates states;
    private final NonceRepository nonces;
    private final PlatformService platforms;
    private final LaunchValidator validator;
    private final Sessions sessions;
    private final CourseLinks courseLinks;
    private final Clock clock;
    private final Duration nonceRetention;
    private final Messages defaultMessages;

    private final PersonDirectory people;
    private final ProctoringMessages proctoring;

    public LaunchHandler(Jdbi jdbi, SignedStates states, NonceRepository nonces, PlatformService platforms, LaunchValidator validator,
                         Sessions sessions, CourseLinks courseLinks, Clock clock, Duration nonceRetention, Messages defaultMessages,
                         PersonDirectory people,
                         ProctoringMessages proctoring) {
        this.proctoring = proctoring;
        this.people = people;
        this.jdbi = jdbi;
        this.states = states;
        this.nonces = nonces;
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
            // OIDC error response (Moodle's auth.php answers this way for unauthorized_client, access_denied, …): the
            // state, when it is ours, is spent (its nonce recorded) so that no later token can use it
            if (stateParam != null) {
                states.open(stateParam).filter(this::unexpired).ifPresent(this::spend);
            }
            String description = Optional.ofNullable(ctx.formParam("error_description")).orElse("");
            throw new LtiException(LtiFailure.PLATFORM_ERROR, error + (description.isEmpty() ? "" : ": " + description));
        }
        LoginState state = null;
        Launch launch;
        ToolSession session;
        String secret;
        String proctoringLanding = null;
        boolean nonceCommitted = false; // a refused proctoring message commits its nonce itself
        try {
            if (idToken == null || idToken.isBlank()) {
                throw new LtiException(LtiFailure.MISSING_ID_TOKEN, "no id_token in the launch POST");
            }
            if (stateParam == null || stateParam.isBlank()) {
                throw new LtiException(LtiFailure.MISSING_STATE, "no state in the launch POST");
            }
            LoginState verified = states.open(stateParam)
                    .orElseThrow(() -> new LtiException(LtiFailure.UNKNOWN_STATE, "state not issued by this tool (or altered)"));
            state = verified; // ours: from here on, a refusal spends it
            checkExpiryAndBrowser(ctx, verified);
            Platform platform = platforms.byId(verified.platformId())
                    .orElseThrow(() -> new LtiException(LtiFailure.UNKNOWN_PLATFORM, "platform " + verified.platformId() + " no longer registered"));
            if (!platform.enabled()) {
                throw new LtiException(LtiFailure.PLATFORM_DISABLED, "platform " + platform.id() + " is disabled");
            }
            launch = validator.validate(idToken, verified, platform);
            String nonce = verified.nonce(); // checked equal to the token's
            // Nonce replay guard (Security Framework 5.1.3 step 9): one use per platform while a token could live.
            Instant nonceKeepUntil = clock.instant().plus(nonceRetention);
            try (Handle h = jdbi.open()) {
                // One connection per launch; the look-up runs auto-committed before any write.
                Prepared p = prepare(h, launch, ctx.header("Accept-Language"));
                session = p.session();
                if (isProctoringMessage(launch.messageType())) {
                    h.begin();
                    try {
                        if (!nonces.rememberNonce(h, launch.platform().id(), nonce, nonceKeepUntil)) {
                            throw nonceReplayed(launch);
                        }
                        nonceCommitted = true;
                        // LTI Proctoring Services: the proctored exam the platform named, the attempt it counts
                        ProctoringMessages.Accepted accepted = proctoring.accept(h, launch, session);
                        session = accepted.session();
                        proctoringLanding = accepted.landing();
                        secret = sessions.open(h, session);
                        // the session may now carry the exam's section: its name is written as before (never a link or user)
                        writeWhatChanged(h, launch, session, new Writes(false, null, true));
                        h.commit();
                    } catch (LtiException e) {
                        h.commit(); // a refused proctoring message keeps its writes (the nonce, the unknown exam it named)
                        throw e;
                    } catch (RuntimeException e) {
                        nonceCommitted = false;
                        h.rollback();
                        throw e;
                    }
                } else if (!p.writes().any()) {
                    // a returning user: the nonce and the session in one auto-committed statement (one round trip)
                    secret = sessions.openIfNonceFresh(h, session, nonce, nonceKeepUntil).orElseThrow(() -> nonceReplayed(launch));
                } else {
                    h.begin();
                    try {
                        // the nonce and the session in one statement: a replayed nonce stores no session
                        secret = sessions.openIfNonceFresh(h, session, nonce, nonceKeepUntil).orElseThrow(() -> nonceReplayed(launch));
                        writeWhatChanged(h, launch, session, p.writes());
                        h.commit();
                    } catch (RuntimeException e) {
                        h.rollback();
                        throw e;
                    }
                }
            }
        } catch (LtiException e) {
            // The connection is back in the pool first. A refused launch spends its state: its nonce is recorded
            // (unless a refused proctoring message already committed it).
            if (state != null && !nonceCommitted && e.failure() != LtiFailure.NONCE_REPLAYED && unexpired(state)) {
                spend(state);
            }
            // Only a refused launch reads the unverified token again: to answer in the user's language.
            String locale = idToken == null ? null : LaunchValidator.unverifiedLocale(idToken);
            throw locale == null ? e : e.withLocale(locale);
        }
        // The connection is back in the pool before anything else asks for one: a launch never holds one connection
        // while waiting for another (at a class start, launches holding the whole pool would wait on each other).
        sessions.setCookie(ctx, session.launchKey(), secret);
        if (log.isInfoEnabled()) {
            log.info("launch accepted: platform={} deployment={} type={} role={} context={} link={}",
                    launch.platform().id(), launch.deploymentId(), launch.messageType(), launch.role(),
                    launch.contextId(), launch.resourceLinkId());
        }
        ctx.header("Cache-Control", "no-store");
        // a staff link (custom parameter qatysu_resource=staff, e.g. a site-level link) lands on the staff page
        String landing = proctoringLanding != null ? proctoringLanding
                : launch.messageType().equals(LtiClaims.DEEP_LINKING_REQUEST) ? "deep-linking"
                : session.resource().filter("staff"::equals).isPresent() ? "staff" : "";
        ctx.redirect(session.pagesBase() + "/" + landing, HttpStatus.SEE_OTHER);
    }

    /** Records a verified state's nonce (auto-committed, on its own short checkout): the state cannot be used again. */
    private void spend(LoginState state) {
        jdbi.useHandle(h -> nonces.rememberNonce(h, state.platformId(), state.nonce(), clock.instant().plus(nonceRetention)));
    }

    /**
     * Security Framework 5.1.1.2: the state must be one we issued (its MAC, checked by {@link SignedStates#open}),
     * unexpired, and issued to this browser (the SHA-256 of its {@code qatysu_bid} cookie, compared in constant time).
     */
    private void checkExpiryAndBrowser(Context ctx, LoginState state) {
        if (!unexpired(state)) {
            throw new LtiException(LtiFailure.UNKNOWN_STATE, "state expired at " + state.expiresAt());
        }
        String browserId = ctx.cookie(LoginHandler.BROWSER_COOKIE);
        if (browserId == null || !MessageDigest.isEqual(Tokens.sha256Hex(browserId).getBytes(StandardCharsets.US_ASCII),
                state.browserHash().getBytes(StandardCharsets.US_ASCII))) {
            throw new LtiException(LtiFailure.STATE_NOT_BOUND_TO_BROWSER, browserId == null
                    ? "the browser sent no login cookie (blocked in the LMS frame?)" : "the login was started in another browser");
        }
    }

    /** The state's lifetime (the login initiation's {@code expiresAt}) has not run out: it may still be used or spent. */
    private boolean unexpired(LoginState state) {
        return !state.expiresAt().isBefore(clock.instant());
    }

    private static LtiException nonceReplayed(Launch launch) {
        return new LtiException(LtiFailure.NONCE_REPLAYED, "nonce already used on platform " + launch.platform().id());
    }

    private static boolean isProctoringMessage(String messageType) {
        return LtiClaims.START_PROCTORING.equals(messageType) || LtiClaims.END_ASSESSMENT.equals(messageType);
    }

    /** Besides the nonce and the session, what the launch writes: only what its look-up found different or missing. */
    record Writes(boolean user, CourseLinks.LinkClaims link, boolean name) {
        boolean any() {
            return user || link != null || name;
        }
    }

    /** The session a launch opens, what its look-up found, and what it has to write besides the nonce and session. */
    private record Prepared(ToolSession session, LaunchLookup.Found found, Writes writes) {
    }

    private void writeWhatChanged(Handle h, Launch launch, ToolSession session, Writes w) {
        if (w.user()) {
            courseLinks.recordUser(h, session);
        }
        if (w.link() != null) {
            courseLinks.recordLink(h, session, w.link());
        }
        if (w.name()) {
            // the name the launch sent teaches the name store (a portal name is never overwritten by it)
            people.remember(h, CourseScope.personId(session), launchName(launch), "launch");
        }
    }

    /**
     * What a launch writes besides the nonce and the session, the pure rule: the platform user when the stored person
     * differs (or none is stored), the course link when the launch records one ({@code link}) and the stored row
     * differs in section, claims or deployment (or none exists), the name when the name store would change.
     */
    static Writes writes(Launch launch, ToolSession session, LaunchLookup.Found found, CourseLinks.LinkClaims link) {
        boolean user = CourseLinks.recordsUser(session.messageType())
                && !(found.userKnown() && CourseScope.personId(session).equals(found.userPerson()));
        if (link != null && found.link() != null && found.link().sameClaims()
                && CourseScope.sectionId(session).equals(found.link().sectionId())
                && Objects.equals(session.deploymentId(), found.link().deploymentId())) {
            link = null;
        }
        boolean name = PersonDirectory.wouldChange(found.name(), launchName(launch), "launch");
        return new Writes(user, link, name);
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
    private Prepared prepare(Handle h, Launch l, String acceptLanguage) {
        Instant now = clock.instant();
        PersonName sent = launchName(l);
        String sectionCode = l.courseSectionSourcedId();
        Map<String, Object> services = new HashMap<>(l.services());
        services.put("custom", l.custom());
        if (l.returnUrl() != null) {
            services.put("return_url", l.returnUrl());
        }
        if (l.productFamily() != null) {
            services.put("product_family", l.productFamily());
        }
        // what the launch would record as its course link, known before the look-up (which compares it)
        CourseLinks.LinkClaims link = CourseLinks.linkClaims(l.messageType(), Optional.ofNullable(l.custom().get("qatysu_resource")),
                services, l.contextId(), l.resourceLinkId()).orElse(null);
        // what the launch does not name, and what it would upsert, looked up on its own connection in one statement
        LaunchLookup.Found found = LaunchLookup.find(h, l.platform().id(), l.contextId(), blankToNull(l.openedxCourseKey()),
                blankToNull(l.personSourcedId()), blankToNull(l.username()), l.subject(), isBlank(sectionCode),
                CourseLinks.recordsUser(l.messageType()), l.resourceLinkId(), link);
        if (isBlank(sectionCode) && found.sectionId() != null) {
            sectionCode = found.sectionId();
        }
        String personSourcedId = l.personSourcedId();
        if (isBlank(personSourcedId) && found.loginPerson() != null) {
            personSourcedId = found.loginPerson();
        }
        String launchKey = Tokens.shortKey(l.platform().id() + "|" + l.deploymentId() + "|" + l.contextId() + "|"
                + l.resourceLinkId() + "|" + l.messageType() + "|" + l.subject());
        String language = Messages.forLocale(l.locale(), Messages.forLocale(acceptLanguage, defaultMessages)).language();
        // no PII in the launch (an Open edX block that shares none): the name the portal or an earlier launch gave
        String name = !sent.display().isEmpty() ? sent.display() : found.knownName();
        ToolSession session = new ToolSession(launchKey, l.platform().id(), l.deploymentId(), l.messageType(), l.subject(),
                name, l.email(), l.role(), l.roles(),
                l.contextId(), l.contextLabel(), l.contextTitle(), l.resourceLinkId(), l.resourceLinkTitle(), language,
                personSourcedId, sectionCode, l.username(), l.openedxCourseKey(), services,
                now, now.plus(sessions.lifetime()));
        return new Prepared(session, found, writes(l, session, found, link));
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
