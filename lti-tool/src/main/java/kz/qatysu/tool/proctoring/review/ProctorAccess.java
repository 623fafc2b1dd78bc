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
import kz.qatysu.tool.web.Messages;

import java.util.Optional;

/**
 * Who may review which exam's attempts (their evidence, recordings and verdicts). Students never may.
 * <ul>
 *   <li>in a course ({@code /app/{launch}/exams/{examId}/attempts…}): the teachers of the exam's section, through their
 *       launch; a teacher of another section does not see the exam at all (404), a student or guest gets 403;</li>
 *   <li>in the admin area ({@code /admin/proctoring/exams/{examId}…}): the dean's office (admin sign-in) and — once staff
 *       sessions exist — staff with the PROCTOR role assigned to the exam ({@link #staff});</li>
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

    public ProctorAccess(Sessions sessions, AdminSessions adminSessions, AdminGate gate, ExamRepository exams) {
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

    /** An admin-area page: the dean's office, or a staff member allowed by {@link #staff}; else 401 (sign in at /admin). */
    public Access admin(Context ctx, String examId) {
        Optional<AdminSessions.AdminSession> admin = adminSessions.find(ctx);
        Exam exam = admin.isPresent() || staffSignedIn(ctx) ? exams.find(examId)
                .orElseThrow(() -> new NotFoundResponse("no exam " + examId)) : null;
        if (admin.isPresent()) {
            return new Access(exam, new Viewer(Kind.ADMIN, AdminGate.actor(admin.get()), gate.csrf(admin.get()),
                    gate.messages(ctx), adminBase(examId), adminBase(examId) + "/attempts"));
        }
        if (exam != null) {
            return new Access(exam, staff(ctx, exam).orElseThrow(() -> new ForbiddenResponse(
                    "you are not assigned to proctor exam " + examId)));
        }
        throw new UnauthorizedResponse("sign in at /admin first");
    }

    /** An admin-area form POST: {@link #admin} with the CSRF token checked. */
    public Access adminPost(Context ctx, String examId) {
        if (adminSessions.find(ctx).isPresent()) {
            gate.post(ctx);
        }
        Access a = admin(ctx, examId);
        if (a.viewer().kind() == Kind.STAFF) {
            checkStaffCsrf(ctx);
        }
        return a;
    }

    public static String adminBase(String examId) {
        return "/admin/proctoring/exams/" + examId;
    }

    // ---- where staff sessions plug in (h-staff: StaffSessions.current(ctx)) -----------------------------------------

    /**
     * STAFF SESSIONS PLUG IN HERE. A signed-in staff member with the PROCTOR role who is assigned to {@code exam}
     * ({@code exams.isProctor(exam.id(), principal.personId())}) reviews it as
     * {@code new Viewer(Kind.STAFF, principal.personId(), <staff CSRF token>, <their language>, adminBase(exam.id()),
     * adminBase(exam.id()) + "/attempts")};
     * the DEANS_OFFICE role like the admin sign-in. Until staff sessions are wired nobody is let in this way.
     */
    Optional<Viewer> staff(Context ctx, Exam exam) {
        return Optional.empty();
    }

    /** Whether a staff session is present at all (then a missing assignment is 403, not 401). */
    boolean staffSignedIn(Context ctx) {
        return false;
    }

    /** The staff session's CSRF check for {@link #adminPost}. */
    void checkStaffCsrf(Context ctx) {
        throw new ForbiddenResponse("staff forms are not wired yet");
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
