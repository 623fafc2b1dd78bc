package kz.qatysu.sync.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.Json;
import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.engine.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /admin/*} on the daemon's HTTP endpoint: the run history, one run, the jobs with "Dry run" and "Run now".
 * Signed in with {@code sync.admin.token} (a form that sets an HttpOnly, SameSite=Strict cookie of a random
 * server-side session; every POST carries the session's CSRF token) or, for the JSON variants
 * ({@code Accept: application/json}), {@code Authorization: Bearer <token>}. Errors are mapped to HTTP here, once.
 */
public final class AdminHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);
    static final String SESSION_COOKIE = "qatysu_sync_admin";
    static final String SIGN_IN_COOKIE = "qatysu_sync_signin";
    /** The language chosen with the switch (kk, ru, en), remembered for a year; not a credential. */
    static final String LANGUAGE_COOKIE = "qatysu_sync_lang";
    static final int PAGE_SIZE = 50;
    private static final int MAX_FORM = 8192;
    /** Failed sign-ins (all clients together) per minute before the form answers 429. */
    static final int MAX_FAILURES_PER_MINUTE = 20;
    private static final Pattern RUN = Pattern.compile("/admin/runs/([^/]+)");
    private static final Pattern JOB_ACTION = Pattern.compile("/admin/jobs/([^/]+)/(dry-run|run)");

    private final Secret token;
    private final AdminRuns runs;
    private final AdminJobs jobs;
    private final AdminPages pages;
    private final AdminSessions sessions;
    private final Clock clock;
    private final AtomicLong failureWindow = new AtomicLong();
    private final AtomicInteger failures = new AtomicInteger();

    public AdminHandler(Secret token, AdminRuns runs, AdminJobs jobs, ZoneId zone, Clock clock) {
        this.token = Objects.requireNonNull(token, "token");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.pages = new AdminPages(zone);
        this.clock = clock;
        this.sessions = new AdminSessions(clock);
    }

    /**
     * An answer other than 200 with a message for the person or program asking (4xx: their request; never a secret):
     * a text of {@link AdminTexts} with its arguments, shown in the page's language (English in JSON).
     */
    static final class Refused extends RuntimeException {
        final int status;
        final String key;
        final transient Object[] args;

        Refused(int status, String key, Object... args) {
            super(AdminTexts.EN.t(key, args));
            this.status = status;
            this.key = key;
            this.args = args;
        }

        String message(AdminTexts t) {
            return t.t(key, args);
        }
    }

    /** Who asks: a signed-in session, or a bearer of the token (no cookie, so no CSRF to check). */
    private record Caller(AdminSessions.Session session, boolean bearer) {
        String csrf() {
            return session == null ? null : session.csrf();
        }
    }

    /** @param t the texts in the reader's language (the switch, its cookie, Accept-Language, else kk) */
    private record Request(HttpExchange exchange, String method, String path, Map<String, String> query, boolean json,
                           String nonce, AdminTexts t) {
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String accept = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Accept")).orElse("");
            Map<String, String> query;
            Refused malformed = null;
            try {
                query = query(exchange.getRequestURI().getRawQuery());
            } catch (Refused e) {
                query = Map.of();
                malformed = e;
            }
            AdminTexts chosen = AdminTexts.of(query.get("lang"));
            AdminTexts t = AdminTexts.pick(chosen != null ? chosen.language() : cookie(exchange, LANGUAGE_COOKIE),
                    exchange.getRequestHeaders().getFirst("Accept-Language"));
            Request req = new Request(exchange, exchange.getRequestMethod(), path, query,
                    accept.contains("application/json"), sessions.randomToken(), t);
            if (chosen != null) {
                cookie(req, LANGUAGE_COOKIE, chosen.language(), 365 * 24 * 3600);
            }
            try {
                if (malformed != null) {
                    throw malformed;
                }
                route(req);
            } catch (Refused e) {
                refuse(req, e.status, e);
            } catch (RuntimeException e) {
                log.error("admin page {} {} failed", req.method(), path, e);
                refuse(req, 500, new Refused(500, "error.internal"));
            }
        }
    }

    private void route(Request req) throws IOException {
        String p = req.path();
        String m = req.method();
        if (p.equals("/admin") || p.equals("/admin/")) {
            redirect(req, "/admin/runs");
            return;
        }
        if (p.equals("/admin/sign-in")) {
            if (m.equals("GET")) {
                signInForm(req, 200, false);
            } else if (m.equals("POST")) {
                signIn(req);
            } else {
                throw new Refused(405, "error.method", "GET, POST");
            }
            return;
        }
        boolean known = p.equals("/admin/sign-out") || p.equals("/admin/runs") || p.equals("/admin/jobs")
                || RUN.matcher(p).matches() || JOB_ACTION.matcher(p).matches();
        if (!known) {
            throw new Refused(404, "error.notFound");
        }
        Caller caller = authenticate(req);
        if (m.equals("POST")) {
            Map<String, String> form = form(req.exchange());
            checkCsrf(req, caller, form);
            if (p.equals("/admin/sign-out")) {
                signOut(req, caller);
                return;
            }
            Matcher a = JOB_ACTION.matcher(p);
            if (a.matches()) {
                String job = a.group(1); // getPath() is decoded already
                if (!jobs.knows(job)) {
                    throw new Refused(404, "error.noJob", job, String.join(", ", jobs.names()));
                }
                if (a.group(2).equals("dry-run")) {
                    dryRun(req, caller, job);
                } else {
                    runNow(req, caller, job);
                }
                return;
            }
            throw new Refused(405, "error.method", "GET");
        }
        if (!m.equals("GET") && !m.equals("HEAD")) {
            throw new Refused(405, "error.method", "GET, HEAD, POST");
        }
        if (p.equals("/admin/runs")) {
            history(req, caller);
        } else if (p.equals("/admin/jobs")) {
            jobsPage(req, caller);
        } else {
            Matcher r = RUN.matcher(p);
            if (r.matches()) {
                run(req, caller, r.group(1));
            } else {
                throw new Refused(405, "error.method", "POST");
            }
        }
    }

    // --- authentication --------------------------------------------------------------------------------------

    private Caller authenticate(Request req) {
        String auth = req.exchange().getRequestHeaders().getFirst("Authorization");
        if (auth != null) {
            if (auth.regionMatches(true, 0, "Bearer ", 0, 7) && token.matches(auth.substring(7).strip())) {
                return new Caller(null, true);
            }
            failed(req);
            throw new Refused(401, "error.wrongToken");
        }
        return sessions.find(cookie(req.exchange(), SESSION_COOKIE)).map(s -> new Caller(s, false))
                .orElseThrow(() -> new Refused(401, "error.signIn"));
    }

    private void checkCsrf(Request req, Caller caller, Map<String, String> form) {
        if (caller.bearer()) {
            return; // no ambient credential: a bearer token cannot be sent by another site's form
        }
        String given = Optional.ofNullable(form.get("csrf")).orElse(req.exchange().getRequestHeaders().getFirst("X-CSRF-Token"));
        if (!same(given, caller.csrf())) {
            throw new Refused(403, "error.csrf");
        }
    }

    private static boolean same(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private void signInForm(Request req, int status, boolean failed) throws IOException {
        String formToken = sessions.randomToken();
        cookie(req, SIGN_IN_COOKIE, formToken, -1);
        html(req, status, pages.layout(req.t(), req.t().t("signIn.title"), req.nonce(), null, null, pages.signIn(req.t(), formToken, failed),
                "/admin/sign-in"));
    }

    private void signIn(Request req) throws IOException {
        Map<String, String> form = form(req.exchange());
        if (!same(form.get("csrf"), cookie(req.exchange(), SIGN_IN_COOKIE))) {
            throw new Refused(403, "error.signInExpired");
        }
        if (tooManyFailures()) {
            throw new Refused(429, "error.tooMany");
        }
        if (!token.matches(form.get("token"))) {
            failed(req);
            signInForm(req, 401, true);
            return;
        }
        AdminSessions.Session s = sessions.open();
        log.info("admin signed in from {}", remote(req));
        cookie(req, SIGN_IN_COOKIE, "", 0);
        cookie(req, SESSION_COOKIE, s.id(), -1);
        redirect(req, "/admin/runs");
    }

    private void signOut(Request req, Caller caller) throws IOException {
        if (caller.session() != null) {
            sessions.close(caller.session().id());
        }
        cookie(req, SESSION_COOKIE, "", 0);
        log.info("admin signed out from {}", remote(req));
        redirect(req, "/admin/sign-in");
    }

    private boolean tooManyFailures() {
        long minute = clock.millis() / 60_000;
        return failureWindow.get() == minute && failures.get() >= MAX_FAILURES_PER_MINUTE;
    }

    private void failed(Request req) {
        long minute = clock.millis() / 60_000;
        if (failureWindow.getAndSet(minute) != minute) {
            failures.set(0);
        }
        failures.incrementAndGet();
        log.warn("admin: wrong token from {}", remote(req));
    }

    // --- pages -----------------------------------------------------------------------------------------------

    private void history(Request req, Caller caller) throws IOException {
        Optional<String> job = Optional.ofNullable(req.query().get("job")).filter(s -> !s.isBlank());
        Optional<String> outcome = Optional.ofNullable(req.query().get("outcome")).filter(s -> !s.isBlank());
        List<String> statuses = Arrays.stream(RunStatus.values()).map(Enum::name).toList();
        if (outcome.isPresent() && !statuses.contains(outcome.get())) {
            throw new Refused(400, "error.outcome", String.join(", ", statuses), outcome.get());
        }
        if (job.isPresent() && job.get().length() > 100) {
            throw new Refused(400, "error.job", "100");
        }
        int page = 1;
        String pageParam = req.query().get("page");
        if (pageParam != null && !pageParam.isBlank()) {
            try {
                page = Integer.parseInt(pageParam);
            } catch (NumberFormatException e) {
                page = 0;
            }
            if (page < 1 || page > 100_000) {
                throw new Refused(400, "error.page", pageParam);
            }
        }
        AdminRuns.Page result = runs.page(job, outcome, page, PAGE_SIZE);
        if (req.json()) {
            json(req, 200, result);
            return;
        }
        List<String> known = new java.util.ArrayList<>(jobs.names());
        runs.jobs().stream().filter(j -> !known.contains(j)).forEach(known::add);
        html(req, 200, pages.layout(req.t(), req.t().t("runs.title"), req.nonce(), caller.csrf(), flash(caller),
                pages.runs(req.t(), result, known, statuses, job, outcome), AdminPages.runsAddress(job, outcome, page)));
    }

    private void run(Request req, Caller caller, String idText) throws IOException {
        long id;
        try {
            id = Long.parseLong(idText);
        } catch (NumberFormatException e) {
            throw new Refused(400, "error.runId", idText);
        }
        AdminRuns.RunDetail d = runs.detail(id).orElseThrow(() -> new Refused(404, "error.noRun", Long.toString(id)));
        if (req.json()) {
            json(req, 200, d);
            return;
        }
        html(req, 200, pages.layout(req.t(), req.t().t("run.title", Long.toString(id), req.t().job(d.run().job())), req.nonce(),
                caller.csrf(), flash(caller), pages.run(req.t(), d), "/admin/runs/" + id));
    }

    private List<AdminJobs.JobLine> jobLines() {
        return jobs.names().stream().map(name -> {
            var schedule = jobs.schedule(name);
            boolean reconcile = kz.qatysu.sync.SyncSettings.RECONCILE.equals(name);
            return new AdminJobs.JobLine(name, schedule.enabled(), schedule.cron(), jobs.nextFire(name).orElse(null),
                    runs.latest(name, reconcile).orElse(null), jobs.running(name));
        }).toList();
    }

    private void jobsPage(Request req, Caller caller) throws IOException {
        List<AdminJobs.JobLine> lines = jobLines();
        if (req.json()) {
            json(req, 200, Map.of("zone", pages.zoneId(), "jobs", lines));
            return;
        }
        html(req, 200, pages.layout(req.t(), req.t().t("jobs.title"), req.nonce(), caller.csrf(), flash(caller),
                pages.jobs(req.t(), lines, caller.csrf()), "/admin/jobs"));
    }

    private void dryRun(Request req, Caller caller, String job) throws IOException {
        log.info("admin: dry run of {} from {}", job, remote(req));
        List<SyncRunReport> reports;
        try {
            reports = jobs.dryRun(job);
        } catch (IllegalArgumentException e) {
            throw new Refused(409, "error.cannotRun", job, e.getMessage());
        }
        if (req.json()) {
            json(req, 200, reports);
            return;
        }
        html(req, 200, pages.layout(req.t(), req.t().t("plan.title", req.t().job(job)), req.nonce(), caller.csrf(), null,
                pages.plan(req.t(), reports), "/admin/jobs"));
    }

    private void runNow(Request req, Caller caller, String job) throws IOException {
        AdminJobs.Started started = jobs.runNow(job);
        log.info("admin: run now of {} from {}: {}", job, remote(req), started);
        String key = switch (started) {
            case TRIGGERED -> "runNow.triggered";
            case RUNNING -> "runNow.running";
            case NOT_SCHEDULED -> "runNow.notScheduled";
        };
        if (req.json()) {
            json(req, started == AdminJobs.Started.TRIGGERED ? 202 : 409, Map.of("job", job, "result", started.name(),
                    "message", AdminTexts.EN.t(key, job, job)));
            return;
        }
        if (caller.session() != null) {
            sessions.flash(caller.session(), req.t().t(key, req.t().job(job), job));
        }
        redirect(req, "/admin/jobs");
    }

    private String flash(Caller caller) {
        return caller.session() == null ? null : sessions.takeFlash(caller.session());
    }

    // --- HTTP plumbing ---------------------------------------------------------------------------------------

    private void refuse(Request req, int status, Refused refusal) throws IOException {
        if (status == 401) {
            req.exchange().getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"qatysu-sync-admin\"");
        }
        if (req.json()) {
            json(req, status, Map.of("status", status, "error", refusal.message(AdminTexts.EN)));
            return;
        }
        AdminTexts t = req.t();
        String body = "<p>" + Html.esc(refusal.message(t)) + "</p>" + (status == 401 || status == 403
                ? "<p><a href=\"/admin/sign-in\">" + Html.esc(t.t("error.toSignIn")) + "</a></p>"
                : "<p><a href=\"/admin/runs\">" + Html.esc(t.t("error.toRuns")) + "</a></p>");
        html(req, status, pages.layout(t, status == 401 ? t.t("error.signInRequired") : t.t("error.title", Integer.toString(status)),
                req.nonce(), null, null, body, "/admin/runs"));
    }

    private static void headers(Request req) {
        var h = req.exchange().getResponseHeaders();
        h.set("Content-Security-Policy", "default-src 'none'; style-src 'nonce-" + req.nonce() + "'; form-action 'self';"
                + " frame-ancestors 'none'; base-uri 'none'");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cache-Control", "no-store");
    }

    private static void html(Request req, int status, String page) throws IOException {
        send(req, status, "text/html; charset=utf-8", page);
    }

    private static void json(Request req, int status, Object value) throws IOException {
        send(req, status, "application/json", Json.write(value));
    }

    private static void send(Request req, int status, String type, String text) throws IOException {
        headers(req);
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        req.exchange().getResponseHeaders().set("Content-Type", type);
        if (req.method().equals("HEAD")) {
            req.exchange().sendResponseHeaders(status, -1);
            return;
        }
        req.exchange().sendResponseHeaders(status, body.length);
        try (OutputStream out = req.exchange().getResponseBody()) {
            out.write(body);
        }
    }

    private static void redirect(Request req, String to) throws IOException {
        headers(req);
        req.exchange().getResponseHeaders().set("Location", to);
        req.exchange().sendResponseHeaders(303, -1);
    }

    /**
     * Sets a cookie on {@code /admin}: HttpOnly, SameSite=Strict, and Secure unless the request came straight to a
     * loopback address without {@code X-Forwarded-Proto: https} (an SSH tunnel to a loopback-bound daemon, where the
     * browser speaks plain http to localhost). Reached over the network or through a TLS proxy, it is Secure.
     */
    private static void cookie(Request req, String name, String value, int maxAge) {
        boolean loopback = req.exchange().getRemoteAddress().getAddress().isLoopbackAddress();
        String proto = req.exchange().getRequestHeaders().getFirst("X-Forwarded-Proto");
        boolean secure = !loopback || "https".equalsIgnoreCase(proto);
        req.exchange().getResponseHeaders().add("Set-Cookie", name + "=" + value + "; Path=/admin; HttpOnly; SameSite=Strict"
                + (maxAge >= 0 ? "; Max-Age=" + maxAge : "") + (secure ? "; Secure" : ""));
    }

    static String cookie(HttpExchange exchange, String name) {
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String part : header.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).strip().equals(name)) {
                    return part.substring(eq + 1).strip();
                }
            }
        }
        return null;
    }

    private static Map<String, String> form(HttpExchange exchange) throws IOException {
        String type = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_FORM + 1);
            if (body.length > MAX_FORM) {
                throw new Refused(413, "error.tooLarge", Integer.toString(MAX_FORM));
            }
            if (body.length == 0 || !type.startsWith("application/x-www-form-urlencoded")) {
                return Map.of();
            }
            return query(new String(body, StandardCharsets.UTF_8));
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.putIfAbsent(k, v);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Refused(400, "error.encoding");
        }
    }

    private static String remote(Request req) {
        return req.exchange().getRemoteAddress().getAddress().getHostAddress();
    }

}
