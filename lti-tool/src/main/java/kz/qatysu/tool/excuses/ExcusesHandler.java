package kz.qatysu.tool.excuses;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UploadedFile;
import kz.qatysu.tool.admin.AdminSessions;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.deans.AdminGate;
import kz.qatysu.tool.home.CourseContext;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.reports.PersonNames;
import kz.qatysu.tool.web.FormInput;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Excuse pages. In a course ({@code /app/{launch}/excuses}) a student submits excuses and sees their own; the
 * section's teacher sees the section's and decides them. The dean's office does the same for every section at
 * {@code /admin/excuses}. Documents are served only to the student who sent them, the section's teacher and
 * administrators, always as an attachment with the type their bytes proved.
 */
public final class ExcusesHandler {
    private static final Logger log = LoggerFactory.getLogger(ExcusesHandler.class);
    /** Room for the form fields and multipart boundaries around a document of the maximum size. */
    private static final long FORM_OVERHEAD = 64 * 1024;

    private final ExcuseService service;
    private final ExcuseDocuments documents;
    private final Sessions sessions;
    private final AdminGate admin;
    private final PersonNames names;
    private final Pages pages;

    public ExcusesHandler(ExcuseService service, ExcuseDocuments documents, Sessions sessions, AdminGate admin,
                          PersonNames names, Pages pages) {
        this.service = service;
        this.documents = documents;
        this.sessions = sessions;
        this.admin = admin;
        this.names = names;
        this.pages = pages;
    }

    // ---- course pages ----------------------------------------------------------------------------------------

    public void course(Context ctx) {
        ToolSession s = CourseContext.require(ctx, sessions);
        String notice = ctx.queryParam("submitted") != null ? s.messages().t("excuse.submitted")
                : ctx.queryParam("decided") != null ? s.messages().t("excuse.decided") : null;
        coursePage(ctx, s, 200, List.of(), notice, Form.EMPTY);
    }

    public void submit(Context ctx) {
        ToolSession s = CourseContext.require(ctx, sessions);
        Messages t = s.messages();
        long length = ctx.contentLength();
        if (length > documents.maxBytes() + FORM_OVERHEAD) {
            coursePage(ctx, s, 413, List.of(t.t("excuse.error.tooLarge", megabytes(documents.maxBytes()))), null, Form.EMPTY);
            return;
        }
        if (!FormInput.readMultipart(ctx)) {
            coursePage(ctx, s, 413, List.of(t.t("excuse.error.tooLarge", megabytes(documents.maxBytes()))), null, Form.EMPTY);
            return;
        }
        UploadedFile file = ctx.uploadedFile("document");
        sessions.checkCsrf(ctx);
        FormInput.requireStorable(ctx);
        Form form = new Form(param(ctx, "dateFrom"), param(ctx, "dateTo"), ctx.formParams("session"), param(ctx, "reason"));
        ExcuseService.Request request;
        String sectionId = CourseScope.sectionId(s);
        String personId = CourseScope.personId(s);
        try {
            request = new ExcuseService.Request(date(form.dateFrom()), date(form.dateTo()), form.sessions(), form.reason());
            service.validate(sectionId, personId, request);
        } catch (DateTimeParseException e) {
            coursePage(ctx, s, 400, List.of(t.t("excuse.error.badRange")), null, form);
            return;
        } catch (ExcuseService.Invalid e) {
            coursePage(ctx, s, 400, e.keys().stream().map(t::t).toList(), null, form);
            return;
        }
        Optional<ExcuseDocuments.Stored> stored = Optional.empty();
        if (file != null && file.filename() != null && !file.filename().isBlank()) {
            try (InputStream in = file.content()) {
                stored = Optional.of(documents.store(in));
            } catch (ExcuseDocuments.Refused e) {
                coursePage(ctx, s, e.status(), List.of(t.t(e.key(), megabytes(documents.maxBytes()))), null, form);
                return;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        long id = service.submit(sectionId, personId, "lti:" + personId, request, stored);
        ctx.redirect(base(s) + "?submitted=" + id, HttpStatus.SEE_OTHER);
    }

    public void decide(Context ctx) {
        ToolSession s = CourseContext.require(ctx, sessions);
        sessions.checkCsrf(ctx);
        Excuse e = excuse(ctx);
        if (!teaches(s, e.sectionId())) {
            throw new ForbiddenResponse("only the teacher of section '" + e.sectionId() + "' or the dean's office decides this excuse");
        }
        if (!decide(ctx, e, "lti:" + CourseScope.personId(s), s.messages(), errors -> coursePage(ctx, s, 400, errors, null, Form.EMPTY))) {
            return;
        }
        ctx.redirect(base(s) + "?decided=" + e.id(), HttpStatus.SEE_OTHER);
    }

    public void document(Context ctx) {
        ToolSession s = CourseContext.require(ctx, sessions);
        Excuse e = excuse(ctx);
        boolean own = CourseScope.personId(s).equals(e.personId());
        if (!own && !teaches(s, e.sectionId())) {
            throw new ForbiddenResponse("this document belongs to another student's excuse");
        }
        serve(ctx, e, "lti:" + CourseScope.personId(s));
    }

    // ---- dean's office -----------------------------------------------------------------------------------------

    public void adminList(Context ctx) {
        AdminSessions.AdminSession session = admin.page(ctx);
        adminPage(ctx, session, 200, List.of(), ctx.queryParam("decided") != null ? admin.messages(ctx).t("excuse.decided") : null);
    }

    public void adminDecide(Context ctx) {
        AdminSessions.AdminSession session = admin.post(ctx);
        Excuse e = excuse(ctx);
        admin.section(session, e.sectionId());
        if (!decide(ctx, e, AdminGate.actor(session), admin.messages(ctx), errors -> adminPage(ctx, session, 400, errors, null))) {
            return;
        }
        ctx.redirect("/admin/excuses?decided=" + e.id(), HttpStatus.SEE_OTHER);
    }

    public void adminDocument(Context ctx) {
        AdminSessions.AdminSession session = admin.page(ctx);
        Excuse e = excuse(ctx);
        admin.section(session, e.sectionId());
        serve(ctx, e, AdminGate.actor(session));
    }

    // ---- shared ------------------------------------------------------------------------------------------------

    /** @return false when the form was refused (the page has been rendered) */
    private boolean decide(Context ctx, Excuse e, String actor, Messages t, java.util.function.Consumer<List<String>> refused) {
        String decision = ctx.pathParam("decision");
        String comment = Optional.ofNullable(ctx.formParam("comment")).orElse("");
        if (comment.length() > ExcuseService.MAX_COMMENT) {
            refused.accept(List.of(t.t("excuse.error.commentTooLong")));
            return false;
        }
        try {
            switch (decision) {
                case "approve" -> service.approve(e.id(), actor, comment);
                case "reject" -> service.reject(e.id(), actor, comment);
                default -> throw new NotFoundResponse("no decision '" + decision + "': approve or reject");
            }
        } catch (ExcuseService.Invalid ex) {
            refused.accept(ex.keys().stream().map(t::t).toList());
            return false;
        } catch (ApiException ex) {
            throw new HttpResponseException(ex.status(), ex.getMessage(), Map.of());
        }
        return true;
    }

    private void serve(Context ctx, Excuse e, String actor) {
        InputStream document;
        try {
            document = e.hasDocument() ? documents.open(e.documentFile()).orElse(null) : null;
        } catch (ExcuseDocuments.Missing missing) {
            log.error("excuse #{}: {}", e.id(), missing.getMessage());
            throw new HttpResponseException(503, "the document of excuse #" + e.id() + " is not available on this node", Map.of());
        }
        if (document == null) {
            throw new NotFoundResponse("excuse #" + e.id() + " has no document");
        }
        service.documentOpened(e, actor);
        ctx.header("Content-Type", e.documentType().contentType());
        ctx.header("Content-Disposition", "attachment; filename=\"excuse-" + e.id() + "." + e.documentType().extension() + "\"");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Security-Policy", "sandbox; default-src 'none'");
        ctx.header("Cache-Control", "private, no-store");
        ctx.result(document);
    }

    private Excuse excuse(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse("no excuse '" + ctx.pathParam("id") + "'");
        }
        return service.find(id).orElseThrow(() -> new NotFoundResponse("no excuse #" + id));
    }

    private static boolean teaches(ToolSession s, String sectionId) {
        return s.role().teaches() && CourseScope.sectionId(s).equals(sectionId);
    }

    private void coursePage(Context ctx, ToolSession s, int status, List<String> errors, String notice, Form form) {
        String sectionId = CourseScope.sectionId(s);
        boolean teacher = s.role().teaches();
        List<Excuse> excuses = teacher ? service.ofSection(sectionId) : service.ofStudent(sectionId, CourseScope.personId(s));
        pages.html(ctx, status, "excuses/page.jte", new ExcusesPage(s.messages(), base(s), sessions.csrfToken(ctx), teacher,
                false, s.courseTitle(), rows(excuses), teacher ? List.of() : service.excusable(sectionId, CourseScope.personId(s)), errors, notice,
                form, megabytes(documents.maxBytes())));
    }

    private void adminPage(Context ctx, AdminSessions.AdminSession session, int status, List<String> errors, String notice) {
        java.util.function.Predicate<String> visible = admin.sections(session);
        pages.html(ctx, status, "excuses/page.jte", new ExcusesPage(admin.messages(ctx), "/admin/excuses", admin.csrf(session),
                true, true, "", rows(service.all().stream().filter(e -> visible.test(e.sectionId())).toList()), List.of(), errors, notice, Form.EMPTY, megabytes(documents.maxBytes())));
    }

    private List<Row> rows(List<Excuse> excuses) {
        Map<String, String> known = names.of(excuses.stream().map(Excuse::personId).distinct().toList());
        Instant now = service.now();
        return excuses.stream().map(e -> new Row(e, known.getOrDefault(e.personId(), ""), e.overdue(now))).toList();
    }

    private static String base(ToolSession s) {
        return s.pagesBase() + "/excuses";
    }

    private static LocalDate date(String s) {
        return s == null || s.isBlank() ? null : LocalDate.parse(s.strip());
    }

    private static String param(Context ctx, String name) {
        return Optional.ofNullable(ctx.formParam(name)).orElse("");
    }

    private static String megabytes(long bytes) {
        return bytes % (1024 * 1024) == 0 ? (bytes / (1024 * 1024)) + " MB" : bytes + " B";
    }

    /** The excuse form as typed, so a refused form comes back filled in. */
    public record Form(String dateFrom, String dateTo, List<String> sessions, String reason) {
        static final Form EMPTY = new Form("", "", List.of(), "");

        public Form {
            sessions = List.copyOf(sessions);
        }

        public boolean chosen(String sessionId) {
            return sessions.contains(sessionId);
        }
    }

    public record Row(Excuse excuse, String name, boolean overdue) {
    }

    /**
     * @param base    where this list lives: {@code /app/<launch>/excuses} or {@code /admin/excuses}
     * @param decides true when the viewer may decide (the section's teacher, the dean's office)
     */
    public record ExcusesPage(Messages t, String base, String csrf, boolean decides, boolean admin, String courseTitle,
                              List<Row> excuses, List<ExcuseRepository.SessionRow> sessions, List<String> errors,
                              String notice, Form form, String maxSize) {

        /** The student's own missed sessions (absent or late), oldest first. */
        public List<ExcuseRepository.SessionRow> missed() {
            return sessions.stream().filter(s -> s.mark() != null).toList();
        }

        /** Sessions still to come, for a planned absence. */
        public List<ExcuseRepository.SessionRow> coming() {
            return sessions.stream().filter(s -> s.mark() == null).toList();
        }

        /**
         * The session's day and time in the reader's language, in the institution's zone ({@code ui.timeZone}) like
         * every page, not in the offset the timetable was sent in: "ср, 02.09.2026 08:00".
         */
        public String when(ExcuseRepository.SessionRow s) {
            return s.start().atZoneSameInstant(Messages.zone()).format(java.time.format.DateTimeFormatter.ofPattern("EEE, dd.MM.yyyy HH:mm",
                    java.util.Locale.forLanguageTag(t.language())));
        }

        /** The session's kind in the reader's language. */
        public String kind(ExcuseRepository.SessionRow s) {
            return t.kind(s.kind());
        }
    }
}
