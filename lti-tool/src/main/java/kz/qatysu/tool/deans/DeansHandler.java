package kz.qatysu.tool.deans;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import kz.qatysu.tool.admin.AdminSessions;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.policy.SectionPolicyOverride;
import kz.qatysu.tool.attendance.policy.SectionPolicyService;
import kz.qatysu.tool.attendance.rules.StandingOverride;
import kz.qatysu.tool.attendance.standing.StandingRepository;
import kz.qatysu.tool.attendance.standing.StandingService;
import kz.qatysu.tool.reports.PersonNames;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dean's office in the admin area: the sections, a section's standing table with overrides (ADMITTED or
 * LOCKED, always with a reason) and their withdrawal — through {@link StandingService}, which records each in the
 * standing history — one student's history of state transitions, and the section's absence policy (the
 * institution's with this section's overrides, validated and stored by {@link SectionPolicyService} like the API).
 */
public final class DeansHandler {
    private static final int MAX_REASON = 1000;

    private final StandingService standing;
    private final AdminGate gate;
    private final PersonNames names;
    private final AdminAudit audit;
    private final Jdbi jdbi;
    private final Pages pages;
    private final Clock clock;
    private final SectionPolicyService policy;

    public DeansHandler(StandingService standing, AdminGate gate, PersonNames names, AdminAudit audit, Jdbi jdbi,
                        Pages pages, Clock clock, SectionPolicyService policy) {
        this.standing = standing;
        this.gate = gate;
        this.names = names;
        this.audit = audit;
        this.jdbi = jdbi;
        this.pages = pages;
        this.clock = clock;
        this.policy = policy;
    }

    public record SectionRow(String sectionId, String title, int students, int locked, int warning, int pendingExcuses) {
    }

    public record SectionsPage(Messages t, List<SectionRow> sections) {
    }

    /** @param group the student's academic group in this section (null = unknown), linking to the group's report */
    public record StudentRow(StandingRepository.StoredStanding standing, String name, String group) {
        public String groupHref() {
            return group == null ? null : kz.qatysu.tool.reports.GroupReportsHandler.href(group);
        }
    }

    public record StandingPage(Messages t, String sectionId, String title, String csrf, List<StudentRow> students,
                               String error, String errorPerson, PolicyForm.Panel policy) {
    }

    public record HistoryPage(Messages t, String sectionId, String personId, String name,
                              List<StandingRepository.HistoryEntry> history) {
    }

    public void sections(Context ctx) {
        java.util.function.Predicate<String> visible = gate.sections(gate.page(ctx));
        List<SectionRow> rows = jdbi.withHandle(h -> h.createQuery("""
                        SELECT s.section_id, s.title,
                               (SELECT count(*) FROM enrolment e WHERE e.section_id = s.section_id AND e.role = 'student'
                                  AND e.withdrawn_at IS NULL) AS students,
                               (SELECT count(*) FROM standing st WHERE st.section_id = s.section_id AND st.state = 'LOCKED') AS locked,
                               (SELECT count(*) FROM standing st WHERE st.section_id = s.section_id AND st.state = 'WARNING') AS warning,
                               (SELECT count(*) FROM excuse x WHERE x.section_id = s.section_id AND x.status = 'PENDING') AS pending
                        FROM section s ORDER BY s.section_id""")
                .map((rs, c) -> new SectionRow(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getInt(6)))
                .list()).stream().filter(r -> visible.test(r.sectionId())).toList();
        pages.html(ctx, "deans/sections.jte", new SectionsPage(gate.messages(ctx), rows));
    }

    public void section(Context ctx) {
        AdminSessions.AdminSession session = gate.page(ctx);
        gate.section(session, ctx.pathParam("sectionId"));
        String notice = ctx.queryParam("policy") == null ? null : switch (ctx.queryParam("policy")) {
            case "saved" -> gate.messages(ctx).t("deans.policy.saved");
            case "reset" -> gate.messages(ctx).t("deans.policy.wasReset");
            default -> null;
        };
        standingPage(ctx, session, 200, null, null, panel(ctx, null, Map.of(), notice));
    }

    /**
     * {@code POST /admin/sections/{sectionId}/policy}: stores the section's overrides (an empty field inherits) after
     * the API's validation; a refused form comes back as typed with a message at each bad field, nothing stored.
     */
    public void setPolicy(Context ctx) {
        AdminSessions.AdminSession session = gate.post(ctx);
        String sectionId = ctx.pathParam("sectionId");
        gate.section(session, sectionId);
        String actor = AdminGate.actor(session);
        Map<String, String> typed = PolicyForm.typed(ctx::formParam);
        ChangeSource source = new ChangeSource(actor, clock.instant(), "policy of section " + sectionId + " (admin page)");
        SectionPolicyService.View saved;
        try {
            SectionPolicyOverride o = policy.parse(PolicyForm.body(typed), source);
            saved = policy.save(sectionId, o, source);
        } catch (ApiException e) {
            if (e.status() != 400) {
                throw new HttpResponseException(e.status(), e.getMessage(), Map.of());
            }
            Map<String, String> errors = PolicyForm.errors(e.details(), gate.messages(ctx), policy.view(sectionId).institution());
            standingPage(ctx, session, 400, null, null, panel(ctx, typed, errors, null));
            return;
        }
        Map<String, Object> detail = new java.util.LinkedHashMap<>();
        PolicyForm.of(saved.override()).forEach((f, v) -> {
            if (!v.isEmpty()) {
                detail.put(f, v);
            }
        });
        detail.put("standingChanged", saved.standingChanged());
        audit.record(actor, "section.policy.set", "section/" + sectionId, detail);
        ctx.redirect("/admin/sections/" + encode(sectionId) + "?policy=saved#policy", HttpStatus.SEE_OTHER);
    }

    /** {@code POST /admin/sections/{sectionId}/policy/reset}: back to the institution's policy, standing recomputed. */
    public void resetPolicy(Context ctx) {
        AdminSessions.AdminSession session = gate.post(ctx);
        String sectionId = ctx.pathParam("sectionId");
        gate.section(session, sectionId);
        String actor = AdminGate.actor(session);
        SectionPolicyService.View reset;
        try {
            reset = policy.reset(sectionId, new ChangeSource(actor, clock.instant(),
                    "policy override of section " + sectionId + " removed (admin page)"));
        } catch (ApiException e) {
            throw new HttpResponseException(e.status(), e.getMessage(), Map.of());
        }
        audit.record(actor, "section.policy.reset", "section/" + sectionId, Map.of("standingChanged", reset.standingChanged()));
        ctx.redirect("/admin/sections/" + encode(sectionId) + "?policy=reset#policy", HttpStatus.SEE_OTHER);
    }

    private PolicyForm.Panel panel(Context ctx, Map<String, String> typed, Map<String, String> errors, String notice) {
        try {
            return PolicyForm.panel(policy.view(ctx.pathParam("sectionId")), typed, errors, notice);
        } catch (ApiException e) {
            throw new HttpResponseException(e.status(), e.getMessage(), Map.of());
        }
    }

    public void setOverride(Context ctx) {
        AdminSessions.AdminSession session = gate.post(ctx);
        Messages t = gate.messages(ctx);
        String sectionId = ctx.pathParam("sectionId");
        gate.section(session, sectionId);
        String personId = Optional.ofNullable(ctx.formParam("personId")).orElse("").strip();
        String reason = Optional.ofNullable(ctx.formParam("reason")).orElse("").strip();
        StandingOverride.Decision decision;
        try {
            decision = StandingOverride.Decision.valueOf(Optional.ofNullable(ctx.formParam("decision")).orElse(""));
        } catch (IllegalArgumentException e) {
            standingPage(ctx, session, 400, t.t("deans.error.decision"), personId, panel(ctx, null, Map.of(), null));
            return;
        }
        if (reason.isEmpty()) {
            standingPage(ctx, session, 400, t.t("deans.error.reasonRequired"), personId, panel(ctx, null, Map.of(), null));
            return;
        }
        if (reason.length() > MAX_REASON) {
            standingPage(ctx, session, 400, t.t("deans.error.reasonTooLong"), personId, panel(ctx, null, Map.of(), null));
            return;
        }
        String actor = AdminGate.actor(session);
        try {
            standing.override(sectionId, personId, decision, reason,
                    new ChangeSource(actor, clock.instant(), "dean's office override " + decision + " (admin page)"));
        } catch (ApiException e) {
            if (e.status() == 404) {
                throw new HttpResponseException(404, e.getMessage(), Map.of());
            }
            standingPage(ctx, session, e.status(), e.details().isEmpty() ? e.getMessage() : e.details().getFirst().problem(), personId,
                    panel(ctx, null, Map.of(), null));
            return;
        }
        audit.record(actor, "standing.override", sectionId + "/" + personId, Map.of("decision", decision.name(), "reason", reason));
        ctx.redirect("/admin/sections/" + encode(sectionId), HttpStatus.SEE_OTHER);
    }

    public void withdrawOverride(Context ctx) {
        AdminSessions.AdminSession session = gate.post(ctx);
        String sectionId = ctx.pathParam("sectionId");
        gate.section(session, sectionId);
        String personId = ctx.pathParam("personId");
        String actor = AdminGate.actor(session);
        try {
            standing.withdrawOverride(sectionId, personId,
                    new ChangeSource(actor, clock.instant(), "dean's office override withdrawn (admin page)"));
        } catch (ApiException e) {
            throw new HttpResponseException(e.status(), e.getMessage(), Map.of());
        }
        audit.record(actor, "standing.override.withdraw", sectionId + "/" + personId, Map.of());
        ctx.redirect("/admin/sections/" + encode(sectionId), HttpStatus.SEE_OTHER);
    }

    public void history(Context ctx) {
        String sectionId = ctx.pathParam("sectionId");
        gate.section(gate.page(ctx), sectionId);
        String personId = ctx.pathParam("personId");
        List<StandingRepository.HistoryEntry> history;
        try {
            history = standing.historyEntries(sectionId, personId);
        } catch (ApiException e) {
            throw new HttpResponseException(e.status(), e.getMessage(), Map.of());
        }
        pages.html(ctx, "deans/history.jte", new HistoryPage(gate.messages(ctx), sectionId, personId, names.of(personId), history));
    }

    private void standingPage(Context ctx, AdminSessions.AdminSession session, int status, String error, String errorPerson,
                              PolicyForm.Panel policyPanel) {
        String sectionId = ctx.pathParam("sectionId");
        List<StandingRepository.StoredStanding> rows;
        try {
            rows = names.sortedRows(standing.standing(sectionId), StandingRepository.StoredStanding::personId, gate.messages(ctx));
        } catch (ApiException e) {
            throw new HttpResponseException(e.status(), e.getMessage(), Map.of());
        }
        Map<String, String> known = names.of(rows.stream().map(StandingRepository.StoredStanding::personId).toList());
        String title = jdbi.withHandle(h -> h.createQuery("SELECT title FROM section WHERE section_id = :id")
                .bind("id", sectionId).mapTo(String.class).findOne().orElse(""));
        Map<String, String> groups = new java.util.HashMap<>();
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT person_id, academic_group FROM enrolment
                        WHERE section_id = :id AND academic_group IS NOT NULL""")
                .bind("id", sectionId).map((rs, c) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> groups.put(e.getKey(), e.getValue())));
        pages.html(ctx, status, "deans/standing.jte", new StandingPage(gate.messages(ctx), sectionId, title, gate.csrf(session),
                rows.stream().map(r -> new StudentRow(r, known.getOrDefault(r.personId(), ""), groups.get(r.personId()))).toList(),
                error, errorPerson, policyPanel));
    }

    static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
