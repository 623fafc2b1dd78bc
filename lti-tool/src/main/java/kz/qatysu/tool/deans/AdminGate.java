package kz.qatysu.tool.deans;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.UnauthorizedResponse;
import kz.qatysu.tool.admin.AdminSessions;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.staff.StaffPrincipal;
import kz.qatysu.tool.staff.StaffRole;
import kz.qatysu.tool.staff.StaffSessions;
import kz.qatysu.tool.util.Csrf;
import kz.qatysu.tool.web.Messages;

import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The dean's-office pages sit inside the admin area: the same sign-in ({@code /admin}), the same session cookie
 * (path {@code /admin}) and the same CSRF tokens as {@code AdminHandler}'s forms. Who may enter: a session signed in
 * with the admin token or an admin-scope token (the bootstrap: every section), or a staff member with the
 * {@link StaffRole#DEANS_OFFICE} role, who sees only the sections of their faculties ({@link #section}).
 */
public final class AdminGate {
    /** The purpose AdminHandler derives its form tokens for; shared so one token serves every admin form. */
    private static final String CSRF_PURPOSE = "admin";

    private final AdminSessions sessions;
    private final Messages defaultMessages;
    private final StaffSessions staff;

    public AdminGate(AdminSessions sessions, Messages defaultMessages, StaffSessions staff) {
        this.sessions = sessions;
        this.defaultMessages = defaultMessages;
        this.staff = staff;
    }

    /** The signed-in dean's office of a page request, else 401 (sign in at /admin) or 403 (a staff member without the role). */
    public AdminSessions.AdminSession page(Context ctx) {
        AdminSessions.AdminSession s = sessions.find(ctx).orElseThrow(() -> new UnauthorizedResponse("sign in at /admin first"));
        if (s.isStaff() && staff.principal(s).filter(p -> p.has(StaffRole.DEANS_OFFICE)).isEmpty()) {
            throw new ForbiddenResponse("the dean's office pages need the DEANS_OFFICE role");
        }
        return s;
    }

    /** The signed-in dean's office of a form POST whose CSRF token matches, else 401 / 403. */
    public AdminSessions.AdminSession post(Context ctx) {
        AdminSessions.AdminSession s = page(ctx);
        checkCsrf(s, ctx);
        return s;
    }

    /**
     * 403 unless the session may see {@code sectionId}: a token session sees every section, a dean's office the
     * sections of its faculties. An unknown section passes (the handler answers 404).
     */
    public void section(AdminSessions.AdminSession s, String sectionId) {
        Optional<StaffPrincipal> p = staff.principal(s);
        if (p.isEmpty() || p.get().everyFaculty() || !staff.directory().sectionExists(sectionId)) {
            return;
        }
        String faculty = staff.directory().facultyOfSection(sectionId).orElse(null);
        if (!p.get().seesFaculty(faculty)) {
            throw new ForbiddenResponse("section '" + sectionId + "' belongs to " + (faculty == null ? "no faculty" : "faculty '" + faculty + "'")
                    + "; your dean's office sees " + String.join(", ", p.get().faculties()));
        }
    }

    /** The sections a session may list: every one for a token session or an every-faculty office, else its faculties'. */
    public Predicate<String> sections(AdminSessions.AdminSession s) {
        Optional<StaffPrincipal> p = staff.principal(s);
        if (p.isEmpty() || p.get().everyFaculty()) {
            return id -> true;
        }
        Set<String> visible = staff.directory().sectionsOf(p.get());
        return visible::contains;
    }

    /**
     * For pages across faculties (academic groups, a student in every section, undelivered warnings, course
     * mapping): a token session or a dean's office of every faculty ({@code *}), else 403.
     */
    public AdminSessions.AdminSession everyFaculty(Context ctx) {
        AdminSessions.AdminSession s = page(ctx);
        if (staff.principal(s).filter(p -> !p.everyFaculty()).isPresent()) {
            throw new ForbiddenResponse("this page spans every faculty: it needs a dean's office of every faculty (*)");
        }
        return s;
    }

    /** {@link #everyFaculty} for a form POST, with its CSRF token. */
    public AdminSessions.AdminSession everyFacultyPost(Context ctx) {
        AdminSessions.AdminSession s = everyFaculty(ctx);
        checkCsrf(s, ctx);
        return s;
    }

    /**
     * 403 unless the form carries this session's CSRF token; for pages whose own rule decides who may post (e.g. a
     * proctor's verdict, where the dean's-office role of {@link #post} is not required).
     */
    public void checkCsrf(AdminSessions.AdminSession s, Context ctx) {
        if (!Csrf.matches(s.secret(), CSRF_PURPOSE, ctx.formParam(Sessions.CSRF_FIELD))) {
            throw new ForbiddenResponse("CSRF token missing or wrong: reload the page");
        }
    }

    public String csrf(AdminSessions.AdminSession s) {
        return Csrf.tokenFor(s.secret(), CSRF_PURPOSE);
    }

    /**
     * The name written into audit rows and change sources: {@code staff:<person id> <name>} for a staff member,
     * {@code web:<token name>} for a session signed in with a token (as the platform pages do).
     */
    public static String actor(AdminSessions.AdminSession s) {
        return s.auditActor();
    }

    public Messages messages(Context ctx) {
        return Messages.forLocale(ctx.header("Accept-Language"), defaultMessages);
    }
}
