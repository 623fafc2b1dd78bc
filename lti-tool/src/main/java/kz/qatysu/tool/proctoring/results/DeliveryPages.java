package kz.qatysu.tool.proctoring.results;

import io.javalin.http.Context;
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
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.proctoring.exams.ExamRepository;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An exam's results delivery ({@link DeliveryStatus}) for the section's teachers in their course
 * ({@code /app/{launch}/exams/{examId}/delivery}), the dean's office ({@code /admin/sections/{sectionId}/exams/{examId}/delivery})
 * and the API ({@code GET /api/v1/exams/{examId}/delivery}, {@code POST …/delivery/retry}, scope admin); "retry now"
 * (CSRF on pages) makes the failed items due at once.
 */
public final class DeliveryPages {
    private final DeliveryStatus status;
    private final ExamRepository exams;
    private final Sessions sessions;
    private final AdminGate gate;
    private final ApiAuth auth;
    private final Pages pages;

    public DeliveryPages(DeliveryStatus status, ExamRepository exams, Sessions sessions, AdminGate gate, ApiAuth auth,
                         Pages pages) {
        this.status = status;
        this.exams = exams;
        this.sessions = sessions;
        this.gate = gate;
        this.auth = auth;
        this.pages = pages;
    }

    /** Who looks, from where. */
    public record Viewer(Messages t, String actor, String csrf, String base) {
    }

    public record DeliveryPage(Viewer viewer, Exam exam, List<DeliveryStatus.Row> rows, String notice) {
        public String base() {
            return viewer.base() + "/" + seg(exam.id());
        }

        public long failed() {
            return rows.stream().mapToLong(DeliveryStatus.Row::failed).sum();
        }

        /** A moment in the viewer's way of writing it; "" for none. */
        public String when(java.util.Optional<java.time.Instant> at) {
            return at.map(viewer.t()::dateTime).orElse("");
        }
    }

    public void coursePage(Context ctx) {
        Viewer v = course(ctx, false);
        page(ctx, v, courseExam(ctx));
    }

    public void courseRetry(Context ctx) {
        Viewer v = course(ctx, true);
        retry(ctx, v, courseExam(ctx));
    }

    public void adminPage(Context ctx) {
        Viewer v = admin(ctx, false);
        page(ctx, v, adminExam(ctx));
    }

    public void adminRetry(Context ctx) {
        Viewer v = admin(ctx, true);
        retry(ctx, v, adminExam(ctx));
    }

    /** {@code GET /api/v1/exams/{examId}/delivery}. */
    public void apiGet(Context ctx) {
        auth.require(ctx, Scope.ADMIN);
        Exam exam = apiExam(ctx);
        ctx.header("Cache-Control", "no-store");
        ctx.json(Map.of("examId", exam.id(), "attempts", status.of(exam.id()).stream().map(DeliveryPages::view).toList()));
    }

    /** {@code POST /api/v1/exams/{examId}/delivery/retry}: the failed items made due now; how many, per channel. */
    public void apiRetry(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        Exam exam = apiExam(ctx);
        DeliveryStatus.Retried r = status.retry(exam.id(), caller.actor());
        ctx.json(Map.of("overrides", r.overrides(), "scores", r.scores(), "acs", r.acs()));
    }

    private void page(Context ctx, Viewer v, Exam exam) {
        String notice = ctx.queryParam("retried") != null ? v.t().t("proctoring.delivery.retried", ctx.queryParam("retried")) : null;
        ctx.header("Cache-Control", "no-store");
        pages.html(ctx, "proctoring/results/delivery.jte", new DeliveryPage(v, exam, status.of(exam.id()), notice));
    }

    private void retry(Context ctx, Viewer v, Exam exam) {
        DeliveryStatus.Retried r = status.retry(exam.id(), v.actor());
        ctx.redirect(v.base() + "/" + seg(exam.id()) + "/delivery?retried=" + r.total(), HttpStatus.SEE_OTHER);
    }

    static Map<String, Object> view(DeliveryStatus.Row r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attemptId", r.attemptId());
        out.put("personId", r.personId());
        out.put("name", r.name());
        out.put("attemptNumber", r.attemptNumber());
        out.put("state", r.state());
        out.put("verdict", r.verdict().orElse(null));
        out.put("items", r.items().stream().map(i -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("channel", i.channel());
            m.put("outcome", i.outcome().name());
            m.put("what", i.what());
            m.put("where", i.where());
            m.put("tries", i.tries());
            m.put("lastError", i.lastError().orElse(null));
            m.put("at", i.at().map(Object::toString).orElse(null));
            m.put("nextTryAt", i.nextTryAt().map(Object::toString).orElse(null));
            return m;
        }).toList());
        return out;
    }

    private Viewer course(Context ctx, boolean post) {
        ToolSession s = CourseContext.requireTeacher(ctx, sessions);
        if (post) {
            sessions.checkCsrf(ctx);
        }
        return new Viewer(s.messages(), CourseScope.personId(s), sessions.csrfToken(ctx), s.pagesBase() + "/exams");
    }

    private Exam courseExam(Context ctx) {
        ToolSession s = CourseContext.requireTeacher(ctx, sessions);
        return exams.find(ctx.pathParam("examId")).filter(e -> e.sectionId().equals(CourseScope.sectionId(s)))
                .orElseThrow(() -> new NotFoundResponse("no exam " + ctx.pathParam("examId") + " in this course"));
    }

    private Viewer admin(Context ctx, boolean post) {
        AdminSessions.AdminSession s = post ? gate.post(ctx) : gate.page(ctx);
        gate.section(s, ctx.pathParam("sectionId"));
        return new Viewer(gate.messages(ctx), AdminGate.actor(s), gate.csrf(s), "/admin/sections/" + seg(ctx.pathParam("sectionId")) + "/exams");
    }

    private Exam adminExam(Context ctx) {
        return exams.find(ctx.pathParam("examId")).filter(e -> e.sectionId().equals(ctx.pathParam("sectionId")))
                .orElseThrow(() -> new NotFoundResponse("no exam " + ctx.pathParam("examId") + " in section "
                        + ctx.pathParam("sectionId")));
    }

    private Exam apiExam(Context ctx) {
        String id = ctx.pathParam("examId");
        return exams.find(id).orElseThrow(() -> ApiException.notFound("no exam " + id));
    }

    static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
