package kz.qatysu.tool.proctoring.exams;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import kz.qatysu.tool.admin.AdminSessions;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.deans.AdminGate;
import kz.qatysu.tool.home.CourseContext;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.proctoring.review.ProctorAccess;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;
import org.jdbi.v3.core.Jdbi;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Exams of a section on pages: the section's teachers in their course ({@code /app/{launch}/exams…}) and the dean's
 * office ({@code /admin/sections/{sectionId}/exams…}) list them, create one, edit it (the form carries the version it
 * was read at: a save over someone else's is refused and the current settings are shown) and assign or remove
 * proctors by person id. Times are entered and shown in the institution's time zone ({@code ui.timeZone}); every
 * change goes through {@link ExamService} (validated, audited). CSRF on every form.
 */
public final class ExamPages {
    static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm"); // as every page shows times (issue 12 §1)

    private final ExamService exams;
    private final Sessions sessions;
    private final AdminGate gate;
    private final Pages pages;
    private final ZoneId zone;
    private final Jdbi jdbi;

    public ExamPages(ExamService exams, Sessions sessions, AdminGate gate, Pages pages, ZoneId zone, Jdbi jdbi) {
        this.exams = exams;
        this.sessions = sessions;
        this.gate = gate;
        this.pages = pages;
        this.zone = zone;
        this.jdbi = jdbi;
    }

    /** Who edits which section's exams, and where its pages live. */
    public record Editor(Messages t, String actor, String csrf, String sectionId, String base, boolean deansOffice) {
        /** Where the attempts of {@code examId} are reviewed by this editor. */
        public String reviewUrl(String examId) {
            return deansOffice ? ProctorAccess.adminBase(examId) : base + "/" + examId + "/attempts";
        }
    }

    public record ExamRow(Exam exam, String window, int proctors) {
    }

    public record ListPage(Editor editor, List<ExamRow> exams, ExamForm form, List<Problem> problems, String zone) {
    }

    public record EditPage(Editor editor, Exam exam, ExamForm form, List<String> proctors, List<Problem> problems,
                           String notice, String zone) {
    }

    /** A refused field with its localized label and explanation. */
    public record Problem(String field, String label, String message) {
    }

    // ---- the course's teachers -------------------------------------------------------------------------------------

    public void courseList(Context ctx) {
        list(ctx, course(ctx, false), 200, ExamForm.blank(), List.of());
    }

    public void courseCreate(Context ctx) {
        create(ctx, course(ctx, true));
    }

    public void courseEdit(Context ctx) {
        Editor e = course(ctx, false);
        edit(ctx, e, exam(e, ctx.pathParam("examId")), null, List.of(), 200, notice(ctx, e.t()));
    }

    public void courseUpdate(Context ctx) {
        update(ctx, course(ctx, true));
    }

    public void courseAssign(Context ctx) {
        assign(ctx, course(ctx, true));
    }

    public void courseUnassign(Context ctx) {
        unassign(ctx, course(ctx, true));
    }

    // ---- the dean's office -----------------------------------------------------------------------------------------

    public void adminList(Context ctx) {
        list(ctx, admin(ctx, false), 200, ExamForm.blank(), List.of());
    }

    public void adminCreate(Context ctx) {
        create(ctx, admin(ctx, true));
    }

    public void adminEdit(Context ctx) {
        Editor e = admin(ctx, false);
        edit(ctx, e, exam(e, ctx.pathParam("examId")), null, List.of(), 200, notice(ctx, e.t()));
    }

    public void adminUpdate(Context ctx) {
        update(ctx, admin(ctx, true));
    }

    public void adminAssign(Context ctx) {
        assign(ctx, admin(ctx, true));
    }

    public void adminUnassign(Context ctx) {
        unassign(ctx, admin(ctx, true));
    }

    // ---- shared ----------------------------------------------------------------------------------------------------

    private void list(Context ctx, Editor e, int status, ExamForm form, List<Problem> problems) {
        List<ExamRow> rows = exams.ofSection(e.sectionId()).stream()
                .map(x -> new ExamRow(x, window(x), exams.repository().proctors(x.id()).size())).toList();
        ctx.header("Cache-Control", "no-store");
        pages.html(ctx, status, "proctoring/exams/list.jte", new ListPage(e, rows, form, problems, zone.getId()));
    }

    private void create(Context ctx, Editor e) {
        ExamForm form = ExamForm.read(ctx::formParam);
        ExamForm.Parsed parsed = form.parse(zone);
        if (!parsed.problems().isEmpty()) {
            list(ctx, e, 400, form, problems(e.t(), parsed.problems()));
            return;
        }
        Exam created = exams.create(e.sectionId(), parsed.draft(), e.actor());
        ctx.redirect(e.base() + "/" + created.id() + "/edit?saved=1", HttpStatus.SEE_OTHER);
    }

    private void edit(Context ctx, Editor e, Exam exam, ExamForm form, List<Problem> problems, int status, String notice) {
        ctx.header("Cache-Control", "no-store");
        pages.html(ctx, status, "proctoring/exams/edit.jte", new EditPage(e, exam, form == null ? ExamForm.of(exam, zone) : form,
                exams.repository().proctors(exam.id()).stream().sorted().toList(), problems, notice, zone.getId()));
    }

    private void update(Context ctx, Editor e) {
        Exam exam = exam(e, ctx.pathParam("examId"));
        ExamForm form = ExamForm.read(ctx::formParam);
        ExamForm.Parsed parsed = form.parse(zone);
        if (!parsed.problems().isEmpty()) {
            edit(ctx, e, exam, form, problems(e.t(), parsed.problems()), 400, null);
            return;
        }
        try {
            exams.update(exam.id(), parsed.draft(), form.versionNumber(), e.actor());
        } catch (ApiException x) {
            if (x.status() != 409) {
                throw x;
            }
            // someone saved in between: show the stored settings, say so, keep nothing of this submission silently
            Exam now = exams.require(exam.id());
            edit(ctx, e, now, null, List.of(new Problem("version", e.t().t("proctoring.exams.field.version"),
                    e.t().t("proctoring.exams.error.version", now.updatedBy()))), 409, null);
            return;
        }
        ctx.redirect(e.base() + "/" + exam.id() + "/edit?saved=1", HttpStatus.SEE_OTHER);
    }

    private void assign(Context ctx, Editor e) {
        Exam exam = exam(e, ctx.pathParam("examId"));
        try {
            exams.assign(exam.id(), ctx.formParam("personId"), e.actor());
        } catch (ApiException x) {
            if (x.status() != 400) {
                throw x;
            }
            edit(ctx, e, exam, null, List.of(new Problem("personId", e.t().t("proctoring.exams.field.personId"),
                    e.t().t("proctoring.exams.error.personId"))), 400, null);
            return;
        }
        ctx.redirect(e.base() + "/" + exam.id() + "/edit?proctors=1#proctors", HttpStatus.SEE_OTHER);
    }

    private void unassign(Context ctx, Editor e) {
        Exam exam = exam(e, ctx.pathParam("examId"));
        exams.unassign(exam.id(), ctx.pathParam("personId"), e.actor());
        ctx.redirect(e.base() + "/" + exam.id() + "/edit?proctors=1#proctors", HttpStatus.SEE_OTHER);
    }

    private Editor course(Context ctx, boolean post) {
        ToolSession s = CourseContext.requireTeacher(ctx, sessions);
        if (post) {
            sessions.checkCsrf(ctx);
        }
        return new Editor(s.messages(), CourseScope.personId(s), sessions.csrfToken(ctx), CourseScope.sectionId(s),
                s.pagesBase() + "/exams", false);
    }

    private Editor admin(Context ctx, boolean post) {
        AdminSessions.AdminSession s = post ? gate.post(ctx) : gate.page(ctx);
        String sectionId = ctx.pathParam("sectionId");
        boolean known = jdbi.withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM section WHERE section_id = :id)")
                .bind("id", sectionId).mapTo(Boolean.class).one());
        if (!known) {
            throw new NotFoundResponse("no section " + sectionId);
        }
        gate.section(s, sectionId);
        return new Editor(gate.messages(ctx), AdminGate.actor(s), gate.csrf(s), sectionId,
                "/admin/sections/" + encode(sectionId) + "/exams", true);
    }

    /** The exam of the editor's section, else 404 (an exam of another section is not shown). */
    private Exam exam(Editor e, String examId) {
        return exams.repository().find(examId).filter(x -> x.sectionId().equals(e.sectionId()))
                .orElseThrow(() -> new NotFoundResponse("no exam " + examId + " in section " + e.sectionId()));
    }

    private String window(Exam e) {
        return SHOWN.format(e.opensAt().atZone(zone)) + " – " + SHOWN.format(e.closesAt().atZone(zone));
    }

    private static String notice(Context ctx, Messages t) {
        if (ctx.queryParam("saved") != null) {
            return t.t("proctoring.exams.saved");
        }
        return ctx.queryParam("proctors") != null ? t.t("proctoring.exams.proctorsSaved") : null;
    }

    static List<Problem> problems(Messages t, List<ApiException.Detail> details) {
        Map<String, String> seen = new java.util.LinkedHashMap<>();
        for (ApiException.Detail d : details) {
            String field = ExamForm.FIELDS.contains(d.path()) ? d.path() : "title";
            seen.putIfAbsent(field, d.problem());
        }
        return seen.keySet().stream().map(f -> new Problem(f, t.t("proctoring.exams.field." + f),
                t.t("proctoring.exams.error." + f))).toList();
    }

    static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** For the deep-linking page: the exams a teacher may place in their course. */
    public List<Exam> ofSection(String sectionId) {
        return exams.ofSection(sectionId);
    }

    Optional<Exam> find(String examId) {
        return exams.repository().find(examId);
    }
}
