package kz.qatysu.tool.staff;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpStatus;
import io.javalin.http.UnauthorizedResponse;
import kz.qatysu.tool.admin.AdminSessions;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.InputProblems;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.deans.AdminAudit;
import kz.qatysu.tool.home.CourseContext;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.util.Csrf;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Staff pages: the administrator's grants ({@code /admin/staff}), the page a launch by a staff member lands on
 * ({@code /app/{launch}/staff}: a button opens the staff area in its own window, first-party) and the one-time
 * entry behind that button ({@code POST /admin/staff/enter}).
 */
public final class StaffHandler {
    private static final Logger log = LoggerFactory.getLogger(StaffHandler.class);
    private static final String CSRF_PURPOSE = "admin";

    private final AdminSessions adminSessions;
    private final StaffSessions staff;
    private final Sessions launches;
    private final AdminAudit audit;
    private final Pages pages;
    private final Messages defaultMessages;

    public StaffHandler(AdminSessions adminSessions, StaffSessions staff, Sessions launches, AdminAudit audit, Pages pages,
                        Messages defaultMessages) {
        this.adminSessions = adminSessions;
        this.staff = staff;
        this.launches = launches;
        this.audit = audit;
        this.pages = pages;
        this.defaultMessages = defaultMessages;
    }

    /** The grants form as typed, so a refused form comes back filled in. */
    public record GrantForm(String personId, String displayName, List<String> roles, String faculties) {
        static final GrantForm EMPTY = new GrantForm("", "", List.of(), "");

        public boolean checked(StaffRole role) {
            return roles.contains(role.name());
        }
    }

    public record Row(StaffDirectory.StaffMember member, String roles, String faculties) {
    }

    public record GrantsPage(Messages t, String csrf, List<Row> staff, List<StaffRole> allRoles, GrantForm form,
                             Map<String, String> errors, String notice) {
        public String error(String field) {
            return errors.get(field);
        }
    }

    public record LaunchPage(Messages t, StaffPrincipal staff, String roles, String ticket) {
    }

    public record EnteredPage(Messages t, String name) {
    }

    // ---- grants (ADMINISTRATOR) ----------------------------------------------------------------------------------

    public void grants(Context ctx) {
        AdminSessions.AdminSession s = administrator(ctx, false);
        String notice = ctx.queryParam("saved") != null ? messages(ctx).t("staff.saved", ctx.queryParam("saved"))
                : ctx.queryParam("revoked") != null ? messages(ctx).t("staff.revoked", ctx.queryParam("revoked")) : null;
        grantsPage(ctx, s, 200, GrantForm.EMPTY, Map.of(), notice);
    }

    public void grant(Context ctx) {
        AdminSessions.AdminSession s = administrator(ctx, true);
        List<String> roles = ctx.formParams("role");
        String facultyText = Optional.ofNullable(ctx.formParam("faculties")).orElse("").strip();
        List<String> faculties = facultyText.isEmpty() ? List.of() : Arrays.asList(facultyText.split("[,\\s]+"));
        GrantForm form = new GrantForm(Optional.ofNullable(ctx.formParam("personId")).orElse(""),
                Optional.ofNullable(ctx.formParam("displayName")).orElse(""), roles, facultyText);
        InputProblems problems = new InputProblems();
        StaffGrant grant = StaffGrant.parse(form.personId(), form.displayName(), roles, faculties, problems);
        if (grant == null) {
            Map<String, String> errors = new LinkedHashMap<>();
            for (ApiException.Detail d : problems.list()) {
                errors.merge(d.path().replaceAll("\\[\\d+]$", ""), d.problem(), (a, b) -> a + "; " + b);
            }
            grantsPage(ctx, s, 400, form, errors, null);
            return;
        }
        save(grant, s.auditActor());
        ctx.redirect("/admin/staff?saved=" + java.net.URLEncoder.encode(grant.personId(), java.nio.charset.StandardCharsets.UTF_8),
                HttpStatus.SEE_OTHER);
    }

    public void revoke(Context ctx) {
        AdminSessions.AdminSession s = administrator(ctx, true);
        String personId = ctx.pathParam("personId");
        if (!remove(personId, s.auditActor())) {
            throw new io.javalin.http.NotFoundResponse("no staff member '" + personId + "'");
        }
        ctx.redirect("/admin/staff?revoked=" + java.net.URLEncoder.encode(personId, java.nio.charset.StandardCharsets.UTF_8),
                HttpStatus.SEE_OTHER);
    }

    /** Stores a grant and audits it (shared with {@link StaffApi}). */
    StaffDirectory.StaffMember save(StaffGrant grant, String actor) {
        StaffDirectory.StaffMember m = staff.directory().put(grant, actor);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("roles", m.roles().stream().map(Enum::name).sorted().toList());
        detail.put("faculties", m.faculties().stream().sorted().toList());
        detail.put("displayName", m.displayName());
        audit.record(actor, "staff.grant", "staff/" + m.personId(), detail);
        log.info("staff grant of {} by {}: roles {} faculties {}", m.personId(), actor, m.roles(), m.faculties());
        return m;
    }

    /** Takes every role away and audits it (shared with {@link StaffApi}); false when the person had none. */
    boolean remove(String personId, String actor) {
        if (!staff.directory().remove(personId)) {
            return false;
        }
        audit.record(actor, "staff.revoke", "staff/" + personId, Map.of());
        log.info("staff grant of {} revoked by {}", personId, actor);
        return true;
    }

    private void grantsPage(Context ctx, AdminSessions.AdminSession s, int status, GrantForm form, Map<String, String> errors,
                            String notice) {
        Messages t = messages(ctx);
        List<Row> rows = staff.directory().list().stream().map(m -> new Row(m,
                String.join(", ", m.roles().stream().sorted().map(r -> t.t(r.messageKey())).toList()),
                m.faculties().contains(StaffPrincipal.ALL) ? t.t("staff.faculties.all") : String.join(", ", m.faculties()))).toList();
        pages.html(ctx, status, "staff/grants.jte", new GrantsPage(t, Csrf.tokenFor(s.secret(), CSRF_PURPOSE), rows,
                StaffRole.grantable(), form, errors, notice));
    }

    /** A session of the admin token (the bootstrap) or of a staff ADMINISTRATOR; with {@code post}, its CSRF token. */
    private AdminSessions.AdminSession administrator(Context ctx, boolean post) {
        AdminSessions.AdminSession s = adminSessions.find(ctx).orElseThrow(() -> new UnauthorizedResponse("sign in at /admin first"));
        if (s.isStaff() && staff.principal(s).filter(p -> p.has(StaffRole.ADMINISTRATOR)).isEmpty()) {
            throw new ForbiddenResponse("staff grants need the ADMINISTRATOR role");
        }
        if (post && !Csrf.matches(s.secret(), CSRF_PURPOSE, ctx.formParam(Sessions.CSRF_FIELD))) {
            throw new ForbiddenResponse("CSRF token missing or wrong: reload the page");
        }
        return s;
    }

    // ---- sign-in by an LTI launch ---------------------------------------------------------------------------------

    /**
     * {@code GET /app/{launch}/staff}: a launch by a person with a staff role gets a button that opens the staff area
     * in a new window (the admin cookie is first-party and cannot be set inside the LMS frame); anyone else gets 403.
     */
    public void launch(Context ctx) {
        ToolSession s = CourseContext.require(ctx, launches);
        String personId = CourseScope.personId(s);
        StaffPrincipal p = staff.directory().principal(personId, s.displayName())
                .orElseThrow(() -> new ForbiddenResponse("no staff role is granted to person '" + personId + "'"));
        ctx.header("Cache-Control", "no-store");
        pages.html(ctx, "staff/launch.jte", new LaunchPage(s.messages(), p,
                String.join(", ", p.roles().stream().sorted().map(r -> s.messages().t(r.messageKey())).toList()),
                staff.issueTicket(p)));
    }

    /** {@code POST /admin/staff/enter}: spends the launch's one-time ticket and opens the staff session. */
    public void enter(Context ctx) {
        Optional<StaffPrincipal> p = staff.redeem(ctx.formParam("ticket"));
        if (p.isEmpty()) {
            throw new ForbiddenResponse("this staff link has expired or was used already: open the staff link in the LMS again");
        }
        log.info("staff sign-in by launch: {} roles {}", p.get().personId(), p.get().roles());
        entered(ctx, p.get());
    }

    /**
     * Opens the staff session and answers a page that moves on to {@code /admin} by itself: a redirect would still
     * belong to the cross-site navigation (the LMS, the identity provider), which does not carry SameSite=Strict
     * cookies.
     */
    void entered(Context ctx, StaffPrincipal p) {
        staff.open(ctx, p);
        ctx.header("Cache-Control", "no-store");
        pages.html(ctx, "staff/entered.jte", new EnteredPage(messages(ctx), p.displayName()));
    }

    private Messages messages(Context ctx) {
        return Messages.forLocale(ctx.header("Accept-Language"), defaultMessages);
    }
}
