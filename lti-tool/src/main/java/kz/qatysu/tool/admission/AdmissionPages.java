package kz.qatysu.tool.admission;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import kz.qatysu.tool.admin.AdminSessions;
import kz.qatysu.tool.admission.rules.AdmissionOverride;
import kz.qatysu.tool.admission.rules.Component;
import kz.qatysu.tool.admission.rules.ComponentScore;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.deans.AdminAudit;
import kz.qatysu.tool.deans.AdminGate;
import kz.qatysu.tool.home.CourseContext;
import kz.qatysu.tool.lti.ToolRole;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.reports.PersonNames;
import kz.qatysu.tool.reports.ReportTable;
import kz.qatysu.tool.reports.ReportsHandler;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The section's final exam admission table: for its teacher ({@code /app/{launch}/reports/admission}) and the dean's
 * office ({@code /admin/reports/sections/{sectionId}/admission}) as a printable page, CSV or XLSX through the report
 * exporters; and the dean's office page {@code /admin/sections/{sectionId}/admission} that sets and withdraws
 * admission overrides (admin sign-in, CSRF, audited).
 */
public final class AdmissionPages {
    static final int MAX_REASON = 1000;

    private final AdmissionService admission;
    private final Sessions sessions;
    private final AdminGate gate;
    private final PersonNames names;
    private final AdminAudit audit;
    private final ReportsHandler reports;
    private final Pages pages;
    private final Clock clock;

    public AdmissionPages(AdmissionService admission, Sessions sessions, AdminGate gate, PersonNames names, AdminAudit audit,
                          ReportsHandler reports, Pages pages, Clock clock) {
        this.admission = admission;
        this.sessions = sessions;
        this.gate = gate;
        this.names = names;
        this.audit = audit;
        this.reports = reports;
        this.pages = pages;
        this.clock = clock;
    }

    /** The course's table for its teacher; a student gets 403 (their own gate is the exam gate page). */
    public void courseReport(Context ctx) {
        ToolSession s = CourseContext.require(ctx, sessions);
        if (!s.role().teaches() || s.role() == ToolRole.GUEST) {
            throw new ForbiddenResponse("the admission table is for the course's teachers; your own gate is at exam-gate");
        }
        reports.send(ctx, s.messages(), table(CourseScope.sectionId(s), s.messages()));
    }

    public void adminReport(Context ctx) {
        gate.section(gate.page(ctx), ctx.pathParam("sectionId"));
        reports.send(ctx, gate.messages(ctx), table(ctx.pathParam("sectionId"), gate.messages(ctx)));
    }

    /** The section's rows with the names the tool knows, for the dean's office page. */
    public record DeanRow(AdmissionService.Row row, String name, String rating, String verdict, String why,
                          Optional<String> override) {
    }

    public record DeanPage(Messages t, String sectionId, String csrf, List<DeanRow> rows, String error, String errorPerson) {
    }

    public void deansPage(Context ctx) {
        AdminSessions.AdminSession session = gate.page(ctx);
        gate.section(session, ctx.pathParam("sectionId"));
        deansPage(ctx, session, 200, null, null);
    }

    public void setOverride(Context ctx) {
        AdminSessions.AdminSession session = gate.post(ctx);
        Messages t = gate.messages(ctx);
        String sectionId = ctx.pathParam("sectionId");
        gate.section(session, sectionId);
        String personId = Optional.ofNullable(ctx.formParam("personId")).orElse("").strip();
        String reason = Optional.ofNullable(ctx.formParam("reason")).orElse("").strip();
        AdmissionOverride.Decision decision;
        try {
            decision = AdmissionOverride.Decision.valueOf(Optional.ofNullable(ctx.formParam("decision")).orElse("")
                    .toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            deansPage(ctx, session, 400, t.t("admission.deans.decision"), personId);
            return;
        }
        if (reason.isEmpty()) {
            deansPage(ctx, session, 400, t.t("deans.error.reasonRequired"), personId);
            return;
        }
        if (reason.length() > MAX_REASON) {
            deansPage(ctx, session, 400, t.t("deans.error.reasonTooLong"), personId);
            return;
        }
        String actor = AdminGate.actor(session);
        try {
            admission.override(sectionId, personId, decision, reason,
                    new ChangeSource(actor, clock.instant(), "dean's office admission override " + decision + " (admin page)"));
        } catch (ApiException e) {
            if (e.status() == 404) {
                throw new HttpResponseException(404, e.getMessage(), Map.of());
            }
            deansPage(ctx, session, e.status(), t.t("admission.deans.notStudent"), personId);
            return;
        }
        audit.record(actor, "admission.override", sectionId + "/" + personId, Map.of("decision", decision.name(), "reason", reason));
        ctx.redirect("/admin/sections/" + encode(sectionId) + "/admission", HttpStatus.SEE_OTHER);
    }

    public void withdrawOverride(Context ctx) {
        AdminSessions.AdminSession session = gate.post(ctx);
        String sectionId = ctx.pathParam("sectionId");
        gate.section(session, sectionId);
        String personId = ctx.pathParam("personId");
        String actor = AdminGate.actor(session);
        try {
            admission.withdrawOverride(sectionId, personId,
                    new ChangeSource(actor, clock.instant(), "dean's office admission override withdrawn (admin page)"));
        } catch (ApiException e) {
            throw new HttpResponseException(e.status(), e.getMessage(), Map.of());
        }
        audit.record(actor, "admission.override.withdraw", sectionId + "/" + personId, Map.of());
        ctx.redirect("/admin/sections/" + encode(sectionId) + "/admission", HttpStatus.SEE_OTHER);
    }

    private void deansPage(Context ctx, AdminSessions.AdminSession session, int status, String error, String errorPerson) {
        Messages t = gate.messages(ctx);
        String sectionId = ctx.pathParam("sectionId");
        List<AdmissionService.Row> rows = names.sortedRows(rows(sectionId), AdmissionService.Row::personId, t);
        Map<String, String> known = names.of(rows.stream().map(AdmissionService.Row::personId).toList());
        List<DeanRow> out = rows.stream().map(r -> new DeanRow(r, known.getOrDefault(r.personId(), ""),
                AdmissionTexts.rating(t, r.rating()), AdmissionTexts.verdict(t, r.admission().admitted()),
                AdmissionTexts.why(t, r.admission()), AdmissionTexts.override(t, r.admission()))).toList();
        pages.html(ctx, status, "admission/deans.jte", new DeanPage(t, sectionId, gate.csrf(session), out, error, errorPerson));
    }

    private List<AdmissionService.Row> rows(String sectionId) {
        try {
            return admission.rows(sectionId);
        } catch (ApiException e) {
            throw new HttpResponseException(e.status(), e.getMessage(), Map.of());
        }
    }

    /** One row per student: attendance, each component's score, the rating, the decision, why, the override. */
    ReportTable table(String sectionId, Messages t) {
        List<AdmissionService.Row> rows = names.sortedRows(rows(sectionId), AdmissionService.Row::personId, t);
        Map<String, String> known = names.of(rows.stream().map(AdmissionService.Row::personId).toList());
        List<Component> components = rows.isEmpty() ? admission.policy(sectionId).components() : rows.get(0).policy().components();
        List<String> headers = new ArrayList<>(List.of(t.t("report.student"), t.t("report.name"), t.t("report.state"),
                t.t("report.share")));
        components.forEach(c -> headers.add(c.name() + " (" + AdmissionTexts.plain(c.max()) + ")"));
        headers.addAll(List.of(t.t("admission.column.points"), t.t("admission.column.max"), t.t("admission.column.share"),
                t.t("admission.column.letter"), t.t("admission.column.missing"), t.t("admission.column.final"), t.t("admission.column.why"),
                t.t("admission.column.override")));
        List<List<Object>> out = new ArrayList<>();
        for (AdmissionService.Row r : rows) {
            List<Object> cells = new ArrayList<>();
            cells.add(r.personId());
            cells.add(known.getOrDefault(r.personId(), ""));
            cells.add(t.t("state." + (r.standing() == null ? "OK" : r.standing().state().name())));
            cells.add(r.standing() == null ? BigDecimal.ZERO : r.standing().absenceShare().movePointRight(2).stripTrailingZeros());
            for (Component c : components) {
                ComponentScore s = r.rating().components().stream().filter(x -> x.component().equals(c.name())).findFirst().orElse(null);
                cells.add(s == null ? "" : s.max().compareTo(c.max()) == 0 ? s.points()
                        : AdmissionTexts.plain(s.points()) + "/" + AdmissionTexts.plain(s.max()));
            }
            cells.add(r.rating().points());
            cells.add(r.rating().max());
            cells.add(r.rating().share().movePointRight(2).stripTrailingZeros());
            cells.add(AdmissionTexts.letter(r.rating().share()));
            cells.add(String.join(", ", r.rating().missing()));
            cells.add(AdmissionTexts.verdict(t, r.admission().admitted()));
            cells.add(AdmissionTexts.why(t, r.admission()));
            cells.add(r.admission().override().map(o -> t.t("admission.override." + o.decision().name()) + ": " + o.reason()
                    + " (" + o.by() + ")").orElse(""));
            out.add(cells);
        }
        // the header row and the id and name columns stay in view in the XLSX (frozen panes), as in the attendance report
        return new ReportTable(t.t("admission.table.title", sectionId), "admission-" + sectionId.replaceAll("[^A-Za-z0-9._-]", "_"),
                headers, out, 2, "", List.of());
    }

    static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
