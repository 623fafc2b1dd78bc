package kz.qatysu.tool.lti.session;

import kz.qatysu.tool.util.Csrf;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import kz.qatysu.tool.util.Cookies;
import kz.qatysu.tool.util.Tokens;
import org.jdbi.v3.core.Handle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Opens and finds tool sessions. Each launch gets its own cookie {@code qs_<launchKey>} (so two courses open in
 * two tabs do not overwrite each other), and every course page lives under {@code /app/<launchKey>/…}. Cookies are
 * {@code Secure; HttpOnly; SameSite=None; Partitioned}: an LMS iframe is a third-party context, and partitioned
 * cookies are what browsers keep there. Forms carry a CSRF token derived from the session secret.
 */
public final class Sessions {
    public static final String COOKIE_PREFIX = "qs_";
    public static final String CSRF_FIELD = "_csrf";
    private static final String ATTRIBUTE = "qatysu.session";
    private static final String SECRET_ATTRIBUTE = "qatysu.sessionSecret";

    private final SessionRepository repository;
    private final Clock clock;
    private final Duration lifetime;
    private final boolean secureCookies;

    public Sessions(SessionRepository repository, Clock clock, Duration lifetime, boolean secureCookies) {
        this.repository = repository;
        this.clock = clock;
        this.lifetime = lifetime;
        this.secureCookies = secureCookies;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** Stores the session inside the launch's transaction and returns the secret for the cookie. */
    public String open(Handle h, ToolSession session) {
        String secret = Tokens.random(32);
        repository.insert(h, Tokens.sha256Hex(secret), session);
        return secret;
    }

    /**
     * Records the launch's nonce and stores the session in one statement, inside the launch's transaction; the secret
     * for the cookie, or empty (nothing stored) when the nonce was used before on the platform (a replayed id_token).
     */
    public Optional<String> openIfNonceFresh(Handle h, ToolSession session, String nonce, java.time.Instant nonceKeepUntil) {
        String secret = Tokens.random(32);
        return repository.insertIfNonceFresh(h, Tokens.sha256Hex(secret), session, nonce, nonceKeepUntil)
                ? Optional.of(secret) : Optional.empty();
    }

    public void setCookie(Context ctx, String launchKey, String secret) {
        ctx.res().addHeader("Set-Cookie", Cookies.crossSite(COOKIE_PREFIX + launchKey, secret, "/", lifetime, secureCookies));
    }

    /** The session of the launch named in the path ({@code {launch}}), or empty when there is none (or it expired). */
    public Optional<ToolSession> find(Context ctx) {
        ToolSession cached = ctx.attribute(ATTRIBUTE);
        if (cached != null) {
            return Optional.of(cached);
        }
        String launchKey = ctx.pathParamMap().get("launch");
        if (launchKey == null) {
            return Optional.empty();
        }
        String secret = ctx.cookie(COOKIE_PREFIX + launchKey);
        if (secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        Optional<ToolSession> s = repository.find(Tokens.sha256Hex(secret), launchKey, clock.instant());
        s.ifPresent(session -> {
            ctx.attribute(ATTRIBUTE, session);
            ctx.attribute(SECRET_ATTRIBUTE, secret);
        });
        return s;
    }

    /**
     * The session of the launch a path is under ({@code /app/<launchKey>/…}), also when no route matched it (an
     * error page for a mistyped address inside a course speaks the launch's language).
     */
    public Optional<ToolSession> underPath(Context ctx) {
        ToolSession cached = ctx.attribute(ATTRIBUTE);
        if (cached != null) {
            return Optional.of(cached);
        }
        String path = ctx.path();
        if (!path.startsWith("/app/")) {
            return Optional.empty();
        }
        String rest = path.substring("/app/".length());
        String launchKey = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        String secret = launchKey.isEmpty() ? null : ctx.cookie(COOKIE_PREFIX + launchKey);
        if (secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        return repository.find(Tokens.sha256Hex(secret), launchKey, clock.instant());
    }

    /**
     * Every valid session this browser holds a cookie for, for pages outside {@code /app/<launchKey>/…} (a scanned
     * check-in QR code). The caller picks the one that fits; nothing is cached on the request.
     */
    public java.util.List<ToolSession> findAll(Context ctx) {
        java.util.List<ToolSession> out = new java.util.ArrayList<>();
        ctx.cookieMap().forEach((name, secret) -> {
            if (name.startsWith(COOKIE_PREFIX) && secret != null && !secret.isBlank()) {
                repository.find(Tokens.sha256Hex(secret), name.substring(COOKIE_PREFIX.length()), clock.instant()).ifPresent(out::add);
            }
        });
        return out;
    }

    /** The CSRF token for forms of this request's session. */
    public String csrfToken(Context ctx) {
        String secret = ctx.attribute(SECRET_ATTRIBUTE);
        if (secret == null) {
            find(ctx);
            secret = ctx.attribute(SECRET_ATTRIBUTE);
        }
        return secret == null ? "" : csrfFor(secret);
    }

    /** Refuses a state-changing request whose form (or X-CSRF-Token header) lacks this session's token. */
    public void checkCsrf(Context ctx) {
        String expected = csrfToken(ctx);
        String given = Optional.ofNullable(ctx.header("X-CSRF-Token")).orElseGet(() -> ctx.formParam(CSRF_FIELD));
        if (expected.isEmpty() || given == null
                || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            throw new ForbiddenResponse("CSRF token missing or wrong");
        }
    }

    public int deleteExpired() {
        return repository.deleteExpired(clock.instant());
    }

    static String csrfFor(String secret) {
        return Csrf.tokenFor(secret, "csrf");
    }
}
