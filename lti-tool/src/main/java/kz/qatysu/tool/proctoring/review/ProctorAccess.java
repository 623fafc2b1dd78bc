package kz.qatysu.tool.proctoring.review;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnauthorizedResponse;
import kz.qatysu.tool.admin.AdminSessions;
import kz.qatysu.tool.api.ApiCaller;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.deans.AdminGate;
import kz.qatysu.tool.home.CourseContext;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.proctoring.exams.ExamRepository;
import kz.qatysu.tool.staff.StaffPrincipal;
import kz.qatysu.tool.staff.StaffRole;
import kz.qatysu.tool.staff.StaffSessions;
import kz.qatysu.tool.web.Messages;

import java.util.Optional;

/**
 * Who may review which exam's attempts (their evidence, recordings and verdicts). Students never may.
 * <ul>
 *   <li>in a course ({@code /app/{launch}/exams/{examId}/attempts…}): the teachers of the exam's section, through their
 *       launch; a teacher of another section does not see the exam at all (404), a student or guest gets 403;</li>
 *   <li>in the admin area ({@code /admin/proctoring/exams/{examId}…}): the dean's office (a token sign-in: every exam;
 *       a staff member with DEANS_OFFICE: the exams of its faculties) and staff with the PROCTOR role assigned to the
 *       exam ({@link #admin});</li>
 *   <li>through the API (scope {@code proctor} or {@code admin}): a {@code proctor} token issued for a person sees only
 *       the exams that person is assigned to ({@link ExamRepository#isProctor}); one without a person (an integration)
 *       and {@code admin} tokens see all ({@link #apiMayReview}).</li>
 * </ul>
 */
public final class ProctorAccess {
    private final Sessions sessions;
    private final AdminSessions adminSessions;
    private final AdminGate gate;
    private final ExamRepository exams;
    private final StaffSessions staff;

    public ProctorAccess(Sessions sessions, AdminSessions adminSessions, AdminGate gate, ExamRepository exams,
                         StaffSessions staff) {
        this.staff = staff;
        this.sessions = sessions;
        this.adminSessions = adminSessions;
        this.gate = gate;
        this.exams = exams;
    }

    public enum Kind { COURSE, ADMIN, STAFF }

    /**
     * A reviewer of one exam: who (the audit rows' and the verdicts' actor), the CSRF token of their forms, their
     * language and where the exam's review pages live for them: the attempt list {@code listUrl}, each attempt under
     * {@code attemptsBase + "/" + attemptId}.
     */
    public record Viewer(Kind kind, String actor, String csrf, Messages t, String listUrl, String attemptsBase) {
        public boolean deansOffice() {
            return kind == Kind.ADMIN;
        }
    }

    /** The exam and who reviews it. */
    public record Access(Exam exam, Viewer viewer) {
    }

    /** A course page: the launch of a teacher of the exam's section. */
    public Access course(Context ctx, String examId) {
        ToolSession s = CourseContext.require(ctx, sessions);
        if (!s.role().teaches()) {
            throw new ForbiddenResponse("Only the course's teachers review proctored attempts.");
        }
        Exam exam = exams.find(examId).filter(e -> e.sectionId().equals(CourseScope.sectionId(s)))
                .orElseThrow(() -> new NotFoundResponse("no exam " + examId + " in this course"));
        return new Access(exam, new Viewer(Kind.COURSE, CourseScope.personId(s), sessions.csrfToken(ctx), s.messages(),
                s.pagesBase() + "/exams/" + exam.id() + "/attempts", s.pagesBase() + "/exams/" + exam.id() + "/attempts"));
    }

    /** A course form POST: {@link #course} with the session's CSRF token checked. */
    public Access coursePost(Context ctx, String examId) {
        Access a = course(ctx, examId);
        sessions.checkCsrf(ctx);
        return a;
    }

    /**
     * An admin-area page: a token-signed dean's office sees every exam; a staff member with the DEANS_OFFICE role the
     * exams of its faculties' sections; one with the PROCTOR role the exams they are assigned to; anyone else signed in
     * gets 403 (not assigned), nobody signed in 401 (sign in at /admin).
     */
    public Access admin(Context ctx, String examId) {
        return admin(ctx, examId, signedIn(ctx));
    }

    private AdminSessions.AdminSession signedIn(Context ctx) {
        return adminSessions.find(ctx).orElseThrow(() -> new UnauthorizedResponse("sign in at /admin first"));
    }

    private Access admin(Context ctx, String examId, AdminSessions.AdminSession session) {
        Exam exam = exams.find(examId).orElseThrow(() -> new NotFoundResponse("no exam " + examId));
        Optional<StaffPrincipal> principal = staff.principal(session);
        if (principal.isEmpty() || deansOfficeOf(session, principal.get(), exam)) {
            return new Access(exam, new Viewer(Kind.ADMIN, AdminGate.actor(session), gate.csrf(session),
                    gate.messages(ctx), adminBase(examId), adminBase(examId) + "/attempts"));
        }
        StaffPrincipal p = principal.get();
        if (p.has(StaffRole.PROCTOR) && exams.isProctor(exam.id(), p.personId())) {
            return new Access(exam, new Viewer(Kind.STAFF, p.actor(), gate.csrf(session), gate.messages(ctx),
                    adminBase(examId), adminBase(examId) + "/attempts"));
        }
        throw new ForbiddenResponse("you are not assigned to proctor exam " + examId);
    }

    /** An admin-area form POST: {@link #admin} with the session's CSRF token checked (for proctors too). */
    public Access adminPost(Context ctx, String examId) {
        AdminSessions.AdminSession session = signedIn(ctx);
        Access a = admin(ctx, examId, session);
        gate.checkCsrf(session, ctx);
        return a;
    }

    /** The exams a signed-in staff member proctors (their start page); empty for others. */
    public java.util.List<Exam> assignedTo(Context ctx) {
        return adminSessions.find(ctx).flatMap(staff::principal).filter(p -> p.has(StaffRole.PROCTOR))
                .map(p -> exams.proctoredBy(p.personId())).orElse(java.util.List.of());
    }

    private boolean deansOfficeOf(AdminSessions.AdminSession session, StaffPrincipal p, Exam exam) {
        if (!p.has(StaffRole.DEANS_OFFICE)) {
            return false;
        }
        try {
            gate.section(session, exam.sectionId());
            return true;
        } catch (ForbiddenResponse otherFaculty) {
            return false;
        }
    }

    public static String adminBase(String examId) {
        return "/admin/proctoring/exams/" + examId;
    }

    // ---- the API --------------------------------------------------------------------------------------------------

    /**
     * The person whose assignments limit what {@code caller} sees: present for a {@code proctor} token issued for a
     * person (without the admin scope); empty when the caller sees every exam.
     */
    public static Optional<String> apiProctor(ApiCaller caller) {
        return caller.scopes().contains(Scope.ADMIN) ? Optional.empty() : caller.personId();
    }

    /** Whether {@code caller} may review {@code examId}'s attempts. */
    public boolean apiMayReview(ApiCaller caller, String examId) {
        return apiProctor(caller).map(p -> exams.isProctor(examId, p)).orElse(true);
    }
}
