package kz.qatysu.tool.reports;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.NotFoundResponse;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.deans.AdminGate;
import kz.qatysu.tool.home.CourseContext;
import kz.qatysu.tool.lti.ToolRole;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Reports as a printable page ({@code ?format=html}, the default), CSV ({@code ?format=csv}, with {@code &sep=;}
 * for spreadsheets that expect semicolons) or XLSX ({@code ?format=xlsx}).
 * <ul>
 *   <li>{@code /app/{launch}/reports/course} and {@code …/reports/sessions/{sessionId}}: the section's teacher only;</li>
 *   <li>{@code /app/{launch}/reports/me}: a student's own sections — never anyone else's;</li>
 *   <li>{@code /admin/reports/sections/{sectionId}}, {@code …/sessions/{sessionId}}, {@code …/students/{personId}}:
 *       the dean's office.</li>
 * </ul>
 */
public final class ReportsHandler {
    private final ReportService reports;
    private final Sessions sessions;
    private final AdminGate admin;
    private final PersonNames names;
    private final Pages pages;

    public ReportsHandler(ReportService reports, Sessions sessions, AdminGate admin, PersonNames names, Pages pages) {
        this.reports = reports;
        this.sessions = sessions;
        this.admin = admin;
        this.names = names;
        this.pages = pages;
    }

    public record ReportPage(Messages t, ReportTable table, String csvUrl, String csvSemicolonUrl, String xlsxUrl) {
    }

    public void course(Context ctx) {
        ToolSession s = teacher(ctx);
        String sectionId = CourseScope.sectionId(s);
        send(ctx, s.messages(), reports.course(sectionId, s.messages())
                .orElseThrow(() -> new NotFoundResponse("section '" + sectionId + "' has no timetable or roster in Qatysu yet")));
    }

    public void session(Context ctx) {
        ToolSession s = teacher(ctx);
        String sessionId = ctx.pathParam("sessionId");
        if (!reports.sectionOfSession(sessionId).map(CourseScope.sectionId(s)::equals).orElse(false)) {
            throw new NotFoundResponse("no session '" + sessionId + "' in this course");
        }
        send(ctx, s.messages(), reports.session(sessionId, s.messages()).orElseThrow());
    }

    public void me(Context ctx) {
        ToolSession s = CourseContext.require(ctx, sessions);
        send(ctx, s.messages(), reports.student(CourseScope.personId(s), s.messages()));
    }

    public void adminSection(Context ctx) {
        Messages t = admin.messages(ctx);
        String sectionId = ctx.pathParam("sectionId");
        admin.section(admin.page(ctx), sectionId);
        send(ctx, t, reports.course(sectionId, t).orElseThrow(() -> new NotFoundResponse("no section '" + sectionId + "'")));
    }

    public void adminSession(Context ctx) {
        var session = admin.page(ctx);
        Messages t = admin.messages(ctx);
        String sessionId = ctx.pathParam("sessionId");
        reports.sectionOfSession(sessionId).ifPresent(sectionId -> admin.section(session, sectionId));
        send(ctx, t, reports.session(sessionId, t).orElseThrow(() -> new NotFoundResponse("no session '" + sessionId + "'")));
    }

    public void adminStudent(Context ctx) {
        admin.everyFaculty(ctx);
        Messages t = admin.messages(ctx);
        send(ctx, t, reports.student(ctx.pathParam("personId"), t));
    }

    /** The launch of the section's teacher; a student (or guest) gets 403 — they see only their own report. */
    private ToolSession teacher(Context ctx) {
        ToolSession s = CourseContext.require(ctx, sessions);
        if (!s.role().teaches() || s.role() == ToolRole.GUEST) {
            throw new ForbiddenResponse("course reports are for the course's teachers; your own attendance is at reports/me");
        }
        return s;
    }

    /** Renders {@code table} in the format the request asks for (shared with {@link GroupReportsHandler}). */
    public void send(Context ctx, Messages t, ReportTable table) {
        String format = ctx.queryParam("format") == null ? "html" : ctx.queryParam("format");
        ctx.header("Cache-Control", "private, no-store");
        switch (format) {
            case "csv" -> {
                char sep = ";".equals(ctx.queryParam("sep")) || "semicolon".equals(ctx.queryParam("sep")) ? ';' : ',';
                download(ctx, table.fileName() + ".csv", "text/csv; charset=utf-8", CsvWriter.write(table, sep));
            }
            case "xlsx" -> download(ctx, table.fileName() + ".xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", XlsxWriter.write(table));
            case "html" -> {
                String path = ctx.path();
                pages.html(ctx, "reports/table.jte", new ReportPage(t, table, path + "?format=csv",
                        path + "?format=csv&sep=" + URLEncoder.encode(";", StandardCharsets.UTF_8), path + "?format=xlsx"));
            }
            default -> throw new NotFoundResponse("no report format '" + format + "': html, csv or xlsx");
        }
    }

    private static void download(Context ctx, String fileName, String contentType, byte[] body) {
        ctx.header("Content-Type", contentType);
        ctx.header("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
        ctx.result(body);
    }
}
