package kz.qatysu.tool.admin;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.ApiCaller;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.lti.platforms.Platform;
import kz.qatysu.tool.lti.platforms.PlatformInput;
import kz.qatysu.tool.lti.platforms.PlatformService;
import kz.qatysu.tool.lti.registration.RegistrationCodes;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.staff.StaffPrincipal;
import kz.qatysu.tool.staff.StaffRole;
import kz.qatysu.tool.staff.StaffSessions;
import kz.qatysu.tool.util.Csrf;
import kz.qatysu.tool.util.Tokens;
import kz.qatysu.tool.web.ClientAddress;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /admin}: the administrator's web pages — sign in with the admin token, list, add and disable platforms,
 * and create one-time dynamic registration URLs. Every POST carries a CSRF token derived from a cookie secret
 * (the pre-sign-in cookie for the sign-in form, the session cookie afterwards).
 */
public final class AdminHandler {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AdminHandler.class);
    static final String PRE_COOKIE = "qatysu_admin_pre";
    private static final String CSRF_PURPOSE = "admin";

    private final AdminSessions sessions;
    private final SignInThrottle throttle;
    private final ClientAddress clientAddress;
    private final ApiAuth auth;
    private final PlatformService platforms;
    private final RegistrationCodes codes;
    private final Pages pages;
    private final Messages defaultMessages;
    private final boolean secureCookies;
    private final boolean openRegistration;
    private final StaffSessions staff;
    private final boolean oidcSignIn;

    /**
     * @param staff      who of the staff is signed in: platforms, keys and registrations need the ADMINISTRATOR role
     *                   (or a session of the admin token); other staff get their own start page
     * @param oidcSignIn whether the sign-in page offers the university's OpenID Connect sign-in
     */
    /** The exams a person is assigned to proctor (their start page lists them). */
    private final java.util.function.Function<String, java.util.List<kz.qatysu.tool.proctoring.exams.Exam>> proctoredBy;

    public AdminHandler(AdminSessions sessions, SignInThrottle throttle, ClientAddress clientAddress, ApiAuth auth,
                        PlatformService platforms,
                        RegistrationCodes codes, Pages pages, Messages defaultMessages, boolean secureCookies,
                        boolean openRegistration, StaffSessions staff, boolean oidcSignIn,
                        java.util.function.Function<String, java.util.List<kz.qatysu.tool.proctoring.exams.Exam>> proctoredBy) {
        this.proctoredBy = proctoredBy;
        this.staff = staff;
        this.oidcSignIn = oidcSignIn;
        this.sessions = sessions;
        this.throttle = throttle;
        this.clientAddress = clientAddress;
        this.auth = auth;
        this.platforms = platforms;
        this.codes = codes;
        this.pages = pages;
        this.defaultMessages = defaultMessages;
        this.secureCookies = secureCookies;
        this.openRegistration = openRegistration;
    }

    /** Headers of every admin page: never framed, never cached. */
    public void headers(Context ctx) {
        ctx.header("Content-Security-Policy", kz.qatysu.tool.web.Csp.policy(kz.qatysu.tool.web.Csp.nonce(), "'none'")
                + "; form-action 'self'");
        ctx.header("Cache-Control", "no-store");
    }

    public void index(Context ctx) {
        Optional<AdminSessions.AdminSession> session = sessions.find(ctx);
        if (session.isEmpty()) {
            signInPage(ctx, 200, null);
            return;
        }
        if (session.get().isStaff()) {
            StaffPrincipal p = staff.principal(session.get()).orElseThrow(() -> new io.javalin.http.UnauthorizedResponse("sign in at /admin first"));
            if (!p.has(StaffRole.ADMINISTRATOR)) {
                pages.html(ctx, "staff/home.jte", new StaffHome(messages(ctx), p, Csrf.tokenFor(session.get().secret(), CSRF_PURPOSE),
                        p.has(StaffRole.PROCTOR) ? proctoredBy.apply(p.personId()) : java.util.List.of()));
                return;
            }
        }
        platformsPage(ctx, 200, session.get(), PlatformForm.EMPTY, Map.of(), null, null);
    }

    public void signIn(Context ctx) {
        Messages t = messages(ctx);
        String address = clientAddress.of(ctx);
        if (!Csrf.matches(ctx.cookie(PRE_COOKIE), CSRF_PURPOSE, ctx.formParam(Sessions.CSRF_FIELD))) {
            throw new ForbiddenResponse("CSRF token missing or wrong: reload the sign-in page");
        }
        String token = Optional.ofNullable(ctx.formParam("token")).orElse("").trim();
        ApiCaller caller = null;
        try (SignInThrottle.Attempt attempt = throttle.begin(address)) {
            if (attempt == null) {
                log.warn("admin sign-in from {} refused unchecked: backed off and {} sign-ins already in progress",
                        address, SignInThrottle.MAX_PENDING);
                signInPage(ctx, 429, t.t("admin.signIn.busy"));
                return;
            }
            if (!token.isEmpty()) {
                try {
                    caller = auth.authenticate("Bearer " + token);
                } catch (ApiException e) {
                    caller = null;
                }
            }
            if (caller == null || !caller.has(Scope.ADMIN)) {
                SignInThrottle.Failure f = attempt.failed();
                log.warn("admin sign-in from {}: wrong token ({} in a row{})", address, f.count(),
                        f.backedOff() ? ", answered after " + f.delay().toMillis() + " ms" : "");
                signInPage(ctx, f.backedOff() ? 429 : 401, t.t(f.backedOff() ? "admin.signIn.backedOff" : "admin.signIn.wrong"));
                return;
            }
            attempt.succeeded();
        }
        log.info("admin sign-in from {} as {}", address, caller.name());
        sessions.open(ctx, caller.name(), token);
        ctx.res().addHeader("Set-Cookie", AdminSessions.cookie(PRE_COOKIE, "", Duration.ZERO, secureCookies));
        ctx.redirect("/admin", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    public void signOut(Context ctx) {
        requireSession(ctx);
        sessions.close(ctx);
        ctx.redirect("/admin", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    public void addPlatform(Context ctx) {
        AdminSessions.AdminSession session = requireAdministrator(ctx);
        PlatformForm form = new PlatformForm(param(ctx, "issuer"), param(ctx, "clientId"), param(ctx, "name"),
                param(ctx, "authLoginUrl"), param(ctx, "authTokenUrl"), param(ctx, "keySetUrl"), param(ctx, "deploymentIds"));
        List<String> deployments = Arrays.stream(form.deploymentIds().split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
        PlatformInput input = new PlatformInput(form.issuer(), form.clientId(), form.name(), form.authLoginUrl(),
                form.authTokenUrl(), form.keySetUrl(), deployments, true);
        try {
            platforms.register(input, actor(session), "admin-web");
        } catch (ApiException e) {
            Map<String, String> errors = new LinkedHashMap<>();
            for (ApiException.Detail d : e.details()) {
                errors.merge(d.path().replaceAll("\\[\\d+]$", ""), d.problem(), (a, b) -> a + "; " + b);
            }
            platformsPage(ctx, e.status() == 409 ? 409 : 400, session, form, errors,
                    errors.isEmpty() ? e.getMessage() : messages(ctx).t("admin.form.fix"), null);
            return;
        }
        ctx.redirect("/admin", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    public void disablePlatform(Context ctx) {
        AdminSessions.AdminSession session = requireAdministrator(ctx);
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new io.javalin.http.NotFoundResponse("no platform " + ctx.pathParam("id"));
        }
        try {
            platforms.disable(id, actor(session));
        } catch (ApiException e) {
            throw new io.javalin.http.NotFoundResponse(e.getMessage());
        }
        ctx.redirect("/admin", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** Shows the new registration URL once, on the page that answers the POST (the code is not kept). */
    public void createRegistration(Context ctx) {
        AdminSessions.AdminSession session = requireAdministrator(ctx);
        RegistrationCodes.IssuedCode issued = codes.issue(actor(session), RegistrationCodes.DEFAULT_LIFETIME);
        platformsPage(ctx, 200, session, PlatformForm.EMPTY, Map.of(), null, issued);
    }

    private AdminSessions.AdminSession requireSession(Context ctx) {
        AdminSessions.AdminSession session = sessions.find(ctx)
                .orElseThrow(() -> new io.javalin.http.UnauthorizedResponse("sign in at /admin first"));
        if (!Csrf.matches(session.secret(), CSRF_PURPOSE, ctx.formParam(Sessions.CSRF_FIELD))) {
            throw new ForbiddenResponse("CSRF token missing or wrong: reload the page");
        }
        return session;
    }

    /** A signed-in session of the admin token (the bootstrap) or of a staff ADMINISTRATOR, with its CSRF token; else 401/403. */
    private AdminSessions.AdminSession requireAdministrator(Context ctx) {
        AdminSessions.AdminSession session = requireSession(ctx);
        if (session.isStaff() && staff.principal(session).filter(p -> p.has(StaffRole.ADMINISTRATOR)).isEmpty()) {
            throw new ForbiddenResponse("platforms, keys and registrations need the ADMINISTRATOR role");
        }
        return session;
    }

    private void signInPage(Context ctx, int status, String error) {
        String secret = Tokens.random(32);
        ctx.res().addHeader("Set-Cookie", AdminSessions.cookie(PRE_COOKIE, secret, Duration.ofHours(1), secureCookies));
        pages.html(ctx, status, "admin/signin.jte", new SignInPage(messages(ctx), Csrf.tokenFor(secret, CSRF_PURPOSE), error, oidcSignIn));
    }

    private void platformsPage(Context ctx, int status, AdminSessions.AdminSession session, PlatformForm form,
                               Map<String, String> errors, String formError, RegistrationCodes.IssuedCode issued) {
        pages.html(ctx, status, "admin/platforms.jte", new PlatformsPage(messages(ctx), session.isStaff() ? session.auditActor() : session.actor(),
                platforms.list(), Csrf.tokenFor(session.secret(), CSRF_PURPOSE), form, errors, formError,
                issued == null ? null : issued.url().toString(), issued == null ? null : Messages.formatDateTime(issued.expiresAt()),
                openRegistration));
    }

    private static String actor(AdminSessions.AdminSession session) {
        return session.auditActor();
    }

    private static String param(Context ctx, String name) {
        return Optional.ofNullable(ctx.formParam(name)).orElse("").trim();
    }

    private Messages messages(Context ctx) {
        return Messages.forLocale(ctx.header("Accept-Language"), defaultMessages);
    }

    public record SignInPage(Messages t, String csrf, String error, boolean oidc) {
    }

    /** The start page of a staff member who is no administrator: who they are, their roles, where to go. */
    /** @param proctored the exams this staff member is assigned to proctor, newest window first */
    public record StaffHome(Messages t, StaffPrincipal staff, String csrf, java.util.List<kz.qatysu.tool.proctoring.exams.Exam> proctored) {
        public boolean deansOffice() {
            return staff.has(StaffRole.DEANS_OFFICE);
        }

        public String roles() {
            return staff.roles().stream().sorted().map(r -> t.t(r.messageKey())).collect(java.util.stream.Collectors.joining(", "));
        }

        public String faculties() {
            return staff.everyFaculty() ? t.t("staff.faculties.all") : String.join(", ", new java.util.TreeSet<>(staff.faculties()));
        }
    }

    /** The add-platform form as typed, so a refused form comes back filled in. */
    public record PlatformForm(String issuer, String clientId, String name, String authLoginUrl, String authTokenUrl,
                               String keySetUrl, String deploymentIds) {
        static final PlatformForm EMPTY = new PlatformForm("", "", "", "", "", "", "");
    }

    public record PlatformsPage(Messages t, String actor, List<Platform> platforms, String csrf, PlatformForm form,
                                Map<String, String> errors, String formError, String registrationUrl,
                                String registrationExpiresAt, boolean openRegistration) {
        public String error(String field) {
            return errors.get(field);
        }

        /** Where the platform came from in the reader's words (config, admin-web, api, dynamic-registration). */
        public String source(Platform p) {
            String key = "admin.platform.source." + p.source();
            String text = t.t(key);
            return text.equals(key) ? p.source() : text;
        }
    }
}
