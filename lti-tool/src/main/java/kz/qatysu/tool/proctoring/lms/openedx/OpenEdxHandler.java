package kz.qatysu.tool.proctoring.lms.openedx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import kz.qatysu.tool.admin.AdminSessions;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.ApiCaller;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.deans.AdminGate;
import kz.qatysu.tool.home.CourseContext;
import kz.qatysu.tool.lti.LtiClaims;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.proctoring.attempts.Attempt;
import kz.qatysu.tool.proctoring.attempts.AttemptService;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Open edX proctoring on pages and in the API.
 * <ul>
 * <li>The learner (a session of an LtiStartProctoring or LtiEndAssessment launch): {@code GET /app/{launch}/openedx}
 * says where the Open edX attempt stands; {@code POST …/openedx/start-assessment} (CSRF) sends the browser on to the
 * exam with the signed LtiStartAssessment — an auto-submitted form to the platform's {@code start_assessment_url},
 * with a visible button when scripts do not run — once the monitoring runs, else the page says what is missing.</li>
 * <li>The exam's teachers ({@code /app/{launch}/exams/{examId}/openedx}) and the dean's office
 * ({@code /admin/sections/{sectionId}/exams/{examId}/openedx}): the exam's Open edX links and the resource links
 * LtiStartProctoring launches named that no exam is linked to yet, each linked with one button (CSRF). edx-exams'
 * Instructor Tool launch lands there ({@link #landing}); the page's script then reads edx-exams' roster in the staff's
 * browser and posts it to {@code POST …/openedx/roster} ({@link EdxRoster}).</li>
 * <li>The API (scope admin): {@code GET|PUT|DELETE /api/v1/exams/{examId}/openedx-links}.</li>
 * </ul>
 */
public final class OpenEdxHandler {
    static final int UNLINKED_SHOWN = 50;

    private final OpenEdxProctoring proctoring;
    private final ExamLinking linking;
    private final AttemptService attempts;
    private final Sessions sessions;
    private final AdminGate gate;
    private final ApiAuth auth;
    private final ObjectMapper json;
    private final Pages pages;
    private final EdxRoster roster;

    public OpenEdxHandler(OpenEdxProctoring proctoring, ExamLinking linking, AttemptService attempts, Sessions sessions,
                          AdminGate gate, ApiAuth auth, ObjectMapper json, Pages pages, EdxRoster roster) {
        this.roster = roster;
        this.proctoring = proctoring;
        this.linking = linking;
        this.attempts = attempts;
        this.sessions = sessions;
        this.gate = gate;
        this.auth = auth;
        this.json = json;
        this.pages = pages;
    }

    // ---- the learner -----------------------------------------------------------------------------------------------

    public record LearnerPage(Messages t, ToolSession session, Optional<OpenEdxAttempt> lms, Optional<Attempt> attempt,
                              Optional<Exam> exam, String csrf, String problem, boolean ended) {
        public String examUrl() {
            return exam.map(e -> session.pagesBase() + "/exams/" + seg(e.id())).orElse(session.pagesBase() + "/");
        }

        public String stateText() {
            return attempt.map(a -> t.t("examinee.state." + a.state().name())).orElse(t.t("examinee.state.NONE"));
        }
    }

    /** {@code GET /app/{launch}/openedx}: the learner's Open edX attempt (after LtiEndAssessment: the end). */
    public void learner(Context ctx) {
        ToolSession s = learnerSession(ctx);
        learnerPage(ctx, s, 200, null);
    }

    /** {@code POST /app/{launch}/openedx/start-assessment}: LtiStartAssessment, once the monitoring runs. */
    public void startAssessment(Context ctx) {
        ToolSession s = learnerSession(ctx);
        sessions.checkCsrf(ctx);
        if (!LtiClaims.START_PROCTORING.equals(s.messageType())) {
            throw new ForbiddenResponse("Only the exam tab Open edX opened (LtiStartProctoring) continues to the exam.");
        }
        OpenEdxProctoring.Assessment a;
        try {
            a = proctoring.startAssessment(s);
        } catch (OpenEdxProctoring.NotYet e) {
            learnerPage(ctx, s, 409, "openedx.learner.notYet." + e.reason());
            return;
        }
        ctx.header("Cache-Control", "no-store");
        ctx.header("Referrer-Policy", "no-referrer");
        pages.html(ctx, "proctoring/lms/openedx/start-assessment.jte", new AutoPostPage(s.messages(), a.url(), a.jwt()));
    }

    public record AutoPostPage(Messages t, String url, String jwt) {
    }

    private void learnerPage(Context ctx, ToolSession s, int status, String problem) {
        Optional<OpenEdxAttempt> lms = proctoring.current(s);
        Optional<Attempt> attempt = lms.flatMap(o -> attempts.repository().find(o.attemptId()));
        Optional<Exam> exam = lms.map(OpenEdxAttempt::examId).flatMap(id -> Optional.ofNullable(examOrNull(id)));
        ctx.header("Cache-Control", "no-store");
        pages.html(ctx, status, "proctoring/lms/openedx/learner.jte", new LearnerPage(s.messages(), s, lms, attempt, exam,
                sessions.csrfToken(ctx), problem, LtiClaims.END_ASSESSMENT.equals(s.messageType())));
    }

    private Exam examOrNull(String id) {
        try {
            return linking.exam(id);
        } catch (ApiException e) {
            return null;
        }
    }

    private ToolSession learnerSession(Context ctx) {
        ToolSession s = CourseContext.require(ctx, sessions);
        if (!LtiClaims.START_PROCTORING.equals(s.messageType()) && !LtiClaims.END_ASSESSMENT.equals(s.messageType())) {
            throw new ForbiddenResponse("This page belongs to an exam Open edX started (LTI Proctoring Services).");
        }
        return s;
    }

    // ---- linking on pages ------------------------------------------------------------------------------------------

    /** Who links, from where. */
    public record Linker(Messages t, String actor, String csrf, String base, Optional<Long> platformId) {
    }

    public record LinksPage(Linker linker, Exam exam, List<OpenEdxRepository.Link> links,
                            List<OpenEdxRepository.Unlinked> unlinked, String notice, String problem, RosterView roster) {
    }

    /**
     * The exam's edx-exams roster on its Open edX page: where the page's script reads it (null: no Instructor Tool
     * launch brought a roster URL from this platform), where it posts the pairs, and what the tool knows already.
     */
    public record RosterView(String rosterUrl, String postUrl, EdxRoster.Counts counts) {
    }

    public void courseLinks(Context ctx) {
        Linker l = course(ctx, false);
        page(ctx, l, courseExam(ctx), 200, notice(ctx, l.t()), null);
    }

    public void courseLink(Context ctx) {
        Linker l = course(ctx, true);
        change(ctx, l, courseExam(ctx), true);
    }

    public void courseUnlink(Context ctx) {
        Linker l = course(ctx, true);
        change(ctx, l, courseExam(ctx), false);
    }

    public void adminLinks(Context ctx) {
        Linker l = admin(ctx, false);
        page(ctx, l, adminExam(ctx), 200, notice(ctx, l.t()), null);
    }

    public void adminLink(Context ctx) {
        Linker l = admin(ctx, true);
        change(ctx, l, adminExam(ctx), true);
    }

    public void adminUnlink(Context ctx) {
        Linker l = admin(ctx, true);
        change(ctx, l, adminExam(ctx), false);
    }

    private void page(Context ctx, Linker l, Exam exam, int status, String notice, String problem) {
        ctx.header("Cache-Control", "no-store");
        RosterView view = null;
        if (l.platformId().isPresent()) {
            Optional<EdxRoster.Source> source = roster.sourceOf(exam.id(), l.platformId().get());
            EdxRoster.Counts counts = roster.counts(l.platformId().get(), exam.id());
            if (source.isPresent()) {
                // the page's script reads the roster in the browser: its origin, and only on this page, in connect-src
                String csp = ctx.res().getHeader("Content-Security-Policy");
                if (csp != null) {
                    ctx.header("Content-Security-Policy", csp + "; connect-src 'self' " + source.get().origin());
                }
            }
            if (source.isPresent() || counts.known() + counts.unknown() > 0) {
                view = new RosterView(source.map(x -> x.rosterUrl().toString()).orElse(null),
                        l.base() + "/" + seg(exam.id()) + "/openedx/roster", counts);
            }
        }
        pages.html(ctx, status, "proctoring/lms/openedx/links.jte", new LinksPage(l, exam, linking.repository().linksOf(exam.id()),
                linking.repository().unlinked(l.platformId(), UNLINKED_SHOWN), notice, problem, view));
    }

    // ---- edx-exams' roster -----------------------------------------------------------------------------------------

    /**
     * Where edx-exams' Instructor Tool launch lands (an LtiResourceLinkRequest of a teacher whose resource link is
     * linked to an exam and which carries the custom parameter {@code roster_url}): the exam's Open edX page, the
     * roster URL remembered for the exam. Empty for any other launch (the course home as usual).
     */
    public Optional<String> landing(ToolSession s) {
        if (!LtiClaims.RESOURCE_LINK_REQUEST.equals(s.messageType()) || !s.role().teaches() || s.resourceLinkId() == null) {
            return Optional.empty();
        }
        Optional<java.net.URI> url = s.service("custom").map(c -> c.get(EdxRoster.ROSTER_URL))
                .filter(String.class::isInstance).map(String.class::cast).flatMap(EdxRoster::rosterUrl);
        if (url.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> examId = linking.repository().link(s.platformId(), s.resourceLinkId()).map(OpenEdxRepository.Link::examId);
        if (examId.isEmpty()) {
            return Optional.empty();
        }
        roster.rememberSource(s.platformId(), s.resourceLinkId(), examId.get(), url.get(), CourseScope.personId(s));
        return Optional.of(s.pagesBase() + "/exams/" + seg(examId.get()) + "/openedx");
    }

    /**
     * {@code POST /app/{launch}/exams/{examId}/openedx/roster} (the exam's staff, CSRF in {@code X-CSRF-Token}): the
     * roster the page's script read from edx-exams, as edx-exams answers it ({@code [[anonymous_user_id, username], …]});
     * answers the counts of those known by name and not.
     */
    public void courseRoster(Context ctx) {
        ToolSession s = CourseContext.requireTeacher(ctx, sessions);
        sessions.checkCsrf(ctx);
        Exam exam = courseExam(ctx);
        long length = ctx.contentLength();
        if (length > EdxRoster.MAX_BODY) {
            throw new ApiException(413, "a roster of at most " + EdxRoster.MAX_BODY + " bytes");
        }
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length > EdxRoster.MAX_BODY) {
            throw new ApiException(413, "a roster of at most " + EdxRoster.MAX_BODY + " bytes");
        }
        JsonNode body;
        try {
            body = json.readTree(bytes);
        } catch (Exception e) {
            body = null;
        }
        List<EdxRoster.Pair> pairs = EdxRoster.parse(body);
        EdxRoster.Counts counts = roster.learn(s.platformId(), exam.id(), pairs, CourseScope.personId(s));
        ctx.header("Cache-Control", "no-store");
        ctx.json(Map.of("pairs", pairs.size(), "known", counts.known(), "unknown", counts.unknown(),
                "text", s.messages().t("openedx.roster.counts", counts.known(), counts.unknown())));
    }

    /** {@code GET /assets/openedx/{name}}: the Open edX page's script (CSP {@code script-src 'self'}). */
    public void asset(Context ctx) {
        if (!"roster.js".equals(ctx.pathParam("name"))) {
            throw new NotFoundResponse("no such script");
        }
        try (java.io.InputStream in = OpenEdxHandler.class.getResourceAsStream("roster.js")) {
            if (in == null) {
                throw new NotFoundResponse("no such script");
            }
            ctx.header("Cache-Control", "no-cache");
            ctx.contentType("text/javascript; charset=utf-8").result(in.readAllBytes());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void change(Context ctx, Linker l, Exam exam, boolean link) {
        Long platformId = parseLong(ctx.formParam("platformId"));
        String resourceLink = ctx.formParam("resourceLinkId");
        if (link && platformId != null && resourceLink != null && l.platformId().isPresent()
                && !l.platformId().get().equals(platformId)) {
            // a course's teacher links only links seen from their own platform
            page(ctx, l, exam, 403, null, l.t().t("openedx.links.error.platform"));
            return;
        }
        if (link && platformId != null && resourceLink != null && linking.repository().link(platformId, resourceLink.strip()).isEmpty()
                && !linking.repository().wasSeen(platformId, resourceLink.strip())) {
            page(ctx, l, exam, 400, null, l.t().t("openedx.links.error.unseen"));
            return;
        }
        try {
            if (link) {
                linking.link(exam.id(), platformId, resourceLink, l.actor());
            } else {
                linking.unlink(exam.id(), platformId, resourceLink, l.actor());
            }
        } catch (ApiException e) {
            String key = e.status() == 409 ? "openedx.links.error.taken" : e.status() == 404 ? "openedx.links.error.gone"
                    : "openedx.links.error.input";
            page(ctx, l, exam, e.status(), null, l.t().t(key));
            return;
        }
        ctx.redirect(l.base() + "/" + seg(exam.id()) + "/openedx?" + (link ? "linked" : "unlinked") + "=1", HttpStatus.SEE_OTHER);
    }

    private Linker course(Context ctx, boolean post) {
        ToolSession s = CourseContext.requireTeacher(ctx, sessions);
        if (post) {
            sessions.checkCsrf(ctx);
        }
        return new Linker(s.messages(), CourseScope.personId(s), sessions.csrfToken(ctx), s.pagesBase() + "/exams",
                Optional.of(s.platformId()));
    }

    private Exam courseExam(Context ctx) {
        ToolSession s = CourseContext.requireTeacher(ctx, sessions);
        Exam e = examOrNull(ctx.pathParam("examId"));
        // the exam of the course's section, or the exam the launch's own resource link is linked to (edx-exams'
        // Instructor Tool: its course may be on no section, the link decides as for LtiStartProctoring)
        if (e == null || !e.sectionId().equals(CourseScope.sectionId(s)) && (s.resourceLinkId() == null
                || !linking.repository().link(s.platformId(), s.resourceLinkId()).map(l -> l.examId().equals(e.id())).orElse(false))) {
            throw new NotFoundResponse("no exam " + ctx.pathParam("examId") + " in this course");
        }
        return e;
    }

    private Linker admin(Context ctx, boolean post) {
        AdminSessions.AdminSession s = post ? gate.post(ctx) : gate.page(ctx);
        gate.section(s, ctx.pathParam("sectionId"));
        return new Linker(gate.messages(ctx), AdminGate.actor(s), gate.csrf(s),
                "/admin/sections/" + seg(ctx.pathParam("sectionId")) + "/exams", Optional.empty());
    }

    private Exam adminExam(Context ctx) {
        Exam e = examOrNull(ctx.pathParam("examId"));
        if (e == null || !e.sectionId().equals(ctx.pathParam("sectionId"))) {
            throw new NotFoundResponse("no exam " + ctx.pathParam("examId") + " in section " + ctx.pathParam("sectionId"));
        }
        return e;
    }

    private static String notice(Context ctx, Messages t) {
        if (ctx.queryParam("linked") != null) {
            return t.t("openedx.links.linked");
        }
        return ctx.queryParam("unlinked") != null ? t.t("openedx.links.unlinked") : null;
    }

    // ---- the API ---------------------------------------------------------------------------------------------------

    /** {@code GET /api/v1/exams/{examId}/openedx-links}: the exam's links and the unlinked resource links seen. */
    public void apiList(Context ctx) {
        auth.require(ctx, Scope.ADMIN);
        Exam exam = linking.exam(ctx.pathParam("examId"));
        ctx.json(listing(exam));
    }

    /** {@code PUT /api/v1/exams/{examId}/openedx-links} {@code {"platformId": 1, "resourceLinkId": "block-v1:…"}}. */
    public void apiLink(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        Exam exam = linking.exam(ctx.pathParam("examId"));
        JsonNode b = body(ctx);
        boolean created = linking.link(exam.id(), platformId(b), text(b, "resourceLinkId"), caller.actor());
        ctx.status(created ? 201 : 200).json(listing(exam));
    }

    /** {@code DELETE /api/v1/exams/{examId}/openedx-links?platformId=&resourceLinkId=}. */
    public void apiUnlink(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        Exam exam = linking.exam(ctx.pathParam("examId"));
        Long platformId = parseLong(ctx.queryParam("platformId"));
        if (ctx.queryParam("platformId") != null && platformId == null) {
            throw ApiException.badRequest("Open edX exam unlink refused", List.of(new ApiException.Detail("platformId",
                    "a whole number expected, was '" + ctx.queryParam("platformId") + "'")));
        }
        linking.unlink(exam.id(), platformId, ctx.queryParam("resourceLinkId"), caller.actor());
        ctx.status(204);
    }

    private Map<String, Object> listing(Exam exam) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("examId", exam.id());
        out.put("links", linking.repository().linksOf(exam.id()).stream().map(l -> Map.of("platformId", l.platformId(),
                "platformName", l.platformName(), "resourceLinkId", l.resourceLinkId(), "linkedBy", l.linkedBy(),
                "linkedAt", l.linkedAt().toString())).toList());
        out.put("unlinked", linking.repository().unlinked(Optional.empty(), UNLINKED_SHOWN).stream().map(u -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("platformId", u.platformId());
            m.put("platformName", u.platformName());
            m.put("resourceLinkId", u.resourceLinkId());
            m.put("contextId", u.contextId());
            m.put("contextTitle", u.contextTitle());
            m.put("lastSeenAt", u.lastSeenAt().toString());
            m.put("launches", u.launches());
            return m;
        }).toList());
        return out;
    }

    private JsonNode body(Context ctx) {
        JsonNode b;
        try {
            b = json.readTree(ctx.bodyAsBytes());
        } catch (Exception e) {
            b = null;
        }
        if (b == null || !b.isObject()) {
            throw new ApiException(400, "a JSON object expected: {\"platformId\": 1, \"resourceLinkId\": \"block-v1:…\"}");
        }
        return b;
    }

    private static Long platformId(JsonNode b) {
        JsonNode p = b.get("platformId");
        if (p == null || p.isNull()) {
            return null;
        }
        if (!p.canConvertToLong() || !p.isIntegralNumber()) {
            throw ApiException.badRequest("Open edX exam link refused; nothing stored",
                    List.of(new ApiException.Detail("platformId", "a whole number expected")));
        }
        return p.asLong();
    }

    private static String text(JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (v != null && !v.isNull() && !v.isTextual()) {
            throw ApiException.badRequest("Open edX exam link refused; nothing stored",
                    List.of(new ApiException.Detail(field, "text expected")));
        }
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Long parseLong(String s) {
        try {
            return s == null ? null : Long.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
