package kz.qatysu.tool.advisers;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.UnauthorizedResponse;
import kz.qatysu.tool.admin.AdminSessions;
import kz.qatysu.tool.deans.AdminGate;
import kz.qatysu.tool.staff.StaffPrincipal;
import kz.qatysu.tool.staff.StaffRole;
import kz.qatysu.tool.staff.StaffSessions;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;

import java.util.List;
import java.util.Locale;

/**
 * {@code GET /admin/advisees}: "My students" — the signed-in adviser's own students (the portal's adviser links) with
 * their standing in each section: share, state, hours left, the dean's-office decision. Nothing else: no marks, no
 * other student, no form. A staff session whose person is nobody's adviser, and a session signed in with a token,
 * get 403; no admin-area session at all gets 401 (students never have one).
 */
public final class AdvisersHandler {
    private final AdminSessions sessions;
    private final StaffSessions staff;
    private final AdminGate gate;
    private final Advisees advisees;
    private final Pages pages;

    public AdvisersHandler(AdminSessions sessions, StaffSessions staff, AdminGate gate, Advisees advisees, Pages pages) {
        this.sessions = sessions;
        this.staff = staff;
        this.gate = gate;
        this.advisees = advisees;
        this.pages = pages;
    }

    /** What the page shows. */
    public record StudentsPage(Messages t, StaffPrincipal adviser, String csrf, List<Advisees.Student> students) {
    }

    public void page(Context ctx) {
        AdminSessions.AdminSession session = sessions.find(ctx).orElseThrow(() -> new UnauthorizedResponse("sign in at /admin first"));
        StaffPrincipal p = staff.current(ctx).filter(s -> s.has(StaffRole.ADVISER))
                .orElseThrow(() -> new ForbiddenResponse("this page is for advisers: the portal names you no student's adviser"));
        Messages t = gate.messages(ctx);
        pages.html(ctx, "advisers/students.jte", new StudentsPage(t, p, gate.csrf(session),
                advisees.of(p.personId(), Locale.forLanguageTag(t.language()))));
    }
}
