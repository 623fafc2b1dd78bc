package kz.qatysu.tool.proctoring.lms.moodle;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import kz.qatysu.tool.admin.AdminSessions;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.deans.AdminGate;
import kz.qatysu.tool.home.CourseContext;
import kz.qatysu.tool.lti.platforms.Platform;
import kz.qatysu.tool.lti.platforms.PlatformService;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.moodle.MoodleSettings;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.proctoring.exams.ExamRepository;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An exam's Moodle quiz on pages (docs/PROCTORING.md "Moodle: the quiz gate"): the section's teachers in their course
 * ({@code /app/{launch}/exams/{examId}/moodle}, the Moodle of their launch) and the dean's office
 * ({@code /admin/sections/{sectionId}/exams/{examId}/moodle}, any Moodle with a {@code moodle[i]} entry) map the exam
 * to a quiz by its instance id and pick the gate mode; the page shows what Moodle says now (the course's quizzes, whether
 * the quiz has its own password, whether the token may manage overrides). Everything goes through
 * {@link QuizGateService#save} (validated, audited, the same checks as the API); the shared password is write-only:
 * never shown, kept when the field is left empty. CSRF on every form.
 */
public final class QuizPages {
    private final QuizGateService service;
    private final ExamRepository exams;
    private final PlatformService platforms;
    private final MoodleSettings moodle;
    private final Sessions sessions;
    private final AdminGate gate;
    private final Pages pages;

    public QuizPages(QuizGateService service, ExamRepository exams, PlatformService platforms, MoodleSettings moodle,
                     Sessions sessions, AdminGate gate, Pages pages) {
        this.service = service;
        this.exams = exams;
        this.platforms = platforms;
        this.moodle = moodle;
        this.sessions = sessions;
        this.gate = gate;
        this.pages = pages;
    }

    /**
     * Who maps, from where: a teacher maps only to the Moodle of their launch ({@code platform} present, the course id
     * proposed from the launch's context); the dean's office picks among the configured Moodles.
     */
    public record Mapper(Messages t, String actor, String csrf, String base, Optional<Long> platform, String courseHint) {
    }

    /** What the form shows (never the shared password). */
    public record Form(String platformId, String courseId, String quizId, String mode) {
        static Form of(QuizMapping m) {
            return new Form(Long.toString(m.platformId()), Long.toString(m.courseId()), Long.toString(m.quizId()), m.mode().name());
        }
    }

    /** A refused field with its localized label and explanation. */
    public record Problem(String field, String label, String message) {
    }

    public record QuizPage(Mapper mapper, Exam exam, Optional<QuizMapping> mapping, Optional<QuizGateService.Check> check,
                           List<Platform> choices, Form form, List<Problem> problems, String notice) {
        public String base() {
            return mapper.base() + "/" + seg(exam.id());
        }

        public List<String> modes() {
            return List.of(GateMode.QUIZ_OVERRIDE.name(), GateMode.GRADE_RESTRICTION.name(), GateMode.SHARED_PASSWORD.name());
        }

        public boolean sharedPasswordStored() {
            return mapping.flatMap(QuizMapping::sharedPassword).isPresent();
        }
    }

    // ---- the course's teachers -------------------------------------------------------------------------------------

    public void courseQuiz(Context ctx) {
        Mapper m = course(ctx, false);
        show(ctx, m, courseExam(ctx), 200, null, List.of(), notice(ctx, m.t()));
    }

    public void courseSave(Context ctx) {
        Mapper m = course(ctx, true);
        save(ctx, m, courseExam(ctx));
    }

    public void courseRemove(Context ctx) {
        Mapper m = course(ctx, true);
        remove(ctx, m, courseExam(ctx));
    }

    // ---- the dean's office -----------------------------------------------------------------------------------------

    public void adminQuiz(Context ctx) {
        Mapper m = admin(ctx, false);
        show(ctx, m, adminExam(ctx), 200, null, List.of(), notice(ctx, m.t()));
    }

    public void adminSave(Context ctx) {
        Mapper m = admin(ctx, true);
        save(ctx, m, adminExam(ctx));
    }

    public void adminRemove(Context ctx) {
        Mapper m = admin(ctx, true);
        remove(ctx, m, adminExam(ctx));
    }

    // ---- shared ----------------------------------------------------------------------------------------------------

    private void show(Context ctx, Mapper m, Exam exam, int status, Form form, List<Problem> problems, String notice) {
        Optional<QuizMapping> mapping = service.mappings().find(exam.id());
        Form shown = form != null ? form : mapping.map(Form::of).orElse(new Form(m.platform().map(String::valueOf).orElse(""),
                m.courseHint(), "", GateMode.QUIZ_OVERRIDE.name()));
        Optional<QuizGateService.Check> check = mapping.map(x -> service.check(x.platformId(), x.courseId(), Optional.of(x.quizId())));
        if (check.isEmpty() && positive(shown.platformId()) && positive(shown.courseId())) {
            // not mapped yet: the course's quizzes to pick from
            check = Optional.of(service.check(Long.parseLong(shown.platformId()), Long.parseLong(shown.courseId()), Optional.empty()));
        }
        ctx.header("Cache-Control", "no-store");
        pages.html(ctx, status, "proctoring/lms/moodle/quiz.jte", new QuizPage(m, exam, mapping, check, choices(m), shown,
                problems, notice));
    }

    private void save(Context ctx, Mapper m, Exam exam) {
        Form form = new Form(m.platform().map(String::valueOf).orElse(trim(ctx.formParam("platformId"))),
                trim(ctx.formParam("courseId")), trim(ctx.formParam("quizId")), trim(ctx.formParam("mode")));
        List<Problem> problems = new ArrayList<>();
        Long platformId = whole(form.platformId(), "platformId", m.t(), problems);
        Long courseId = whole(form.courseId(), "courseId", m.t(), problems);
        Long quizId = whole(form.quizId(), "quizId", m.t(), problems);
        if (platformId != null && choices(m).stream().noneMatch(p -> p.id() == platformId)) {
            problems.add(problem(m.t(), "platformId", "proctoring.moodle.error.platformId"));
        }
        if (!problems.isEmpty()) {
            show(ctx, m, exam, 400, form, problems, null);
            return;
        }
        // the shared password is write-only: an empty field keeps the stored one
        String typed = ctx.formParam("sharedPassword");
        String shared = typed == null || typed.isBlank() ? null : typed;
        if (shared == null && GateMode.SHARED_PASSWORD.name().equals(form.mode())) {
            shared = service.mappings().find(exam.id()).flatMap(QuizMapping::sharedPassword).orElse(null);
        }
        if (!GateMode.SHARED_PASSWORD.name().equals(form.mode())) {
            shared = null;
        }
        try {
            service.save(exam.id(), new QuizGateService.Draft(platformId, courseId, quizId, form.mode(), shared), m.actor());
        } catch (ApiException e) {
            if (e.status() != 400) {
                throw e;
            }
            show(ctx, m, exam, 400, form, problems(m.t(), e.details(), platformId, courseId, quizId), null);
            return;
        }
        ctx.redirect(m.base() + "/" + seg(exam.id()) + "/moodle?saved=1", HttpStatus.SEE_OTHER);
    }

    private void remove(Context ctx, Mapper m, Exam exam) {
        service.remove(exam.id(), m.actor());
        ctx.redirect(m.base() + "/" + seg(exam.id()) + "/moodle?removed=1", HttpStatus.SEE_OTHER);
    }

    /** The service's refusals in the user's language; a course-module id names the quiz id to use instead. */
    private List<Problem> problems(Messages t, List<ApiException.Detail> details, long platformId, long courseId, long quizId) {
        Map<String, Problem> out = new LinkedHashMap<>();
        for (ApiException.Detail d : details) {
            String field = switch (d.path()) {
                case "platformId", "courseId", "quizId", "mode", "sharedPassword" -> d.path();
                default -> "quizId";
            };
            if (out.containsKey(field)) {
                continue;
            }
            if (field.equals("quizId") && d.problem().contains("course-module id")) {
                Optional<MoodleQuizzes.Quiz> byCm = service.check(platformId, courseId, Optional.empty()).quizzes().stream()
                        .filter(q -> q.courseModule() == quizId).findFirst();
                if (byCm.isPresent()) {
                    out.put(field, new Problem(field, t.t("proctoring.moodle.field.quizId"),
                            t.t("proctoring.moodle.error.courseModule", Long.toString(quizId), byCm.get().name(),
                                    Long.toString(byCm.get().id()))));
                    continue;
                }
            }
            String key = switch (field) {
                case "platformId" -> d.problem().contains("moodle[i]") ? "proctoring.moodle.error.noConfig"
                        : "proctoring.moodle.error.platformId";
                case "quizId" -> d.problem().contains("has no quiz") ? "proctoring.moodle.error.noQuiz" : "proctoring.moodle.error.quizId";
                case "sharedPassword" -> d.problem().startsWith("required") ? "proctoring.moodle.error.sharedPassword.required"
                        : "proctoring.moodle.error.sharedPassword";
                default -> "proctoring.moodle.error." + field;
            };
            out.put(field, new Problem(field, t.t("proctoring.moodle.field." + field), t.t(key, Long.toString(quizId),
                    Long.toString(courseId))));
        }
        return List.copyOf(out.values());
    }

    private static Long whole(String raw, String field, Messages t, List<Problem> problems) {
        try {
            long n = Long.parseLong(raw);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        problems.add(problem(t, field, "proctoring.moodle.error." + field));
        return null;
    }

    private static Problem problem(Messages t, String field, String key) {
        return new Problem(field, t.t("proctoring.moodle.field." + field), t.t(key, "", ""));
    }

    /** The Moodles this mapper may map to: the launch's own, or (dean's office) every platform with a moodle[i] entry. */
    private List<Platform> choices(Mapper m) {
        return platforms.list().stream()
                .filter(p -> m.platform().map(id -> id == p.id()).orElse(true))
                .filter(p -> moodle.forIssuer(p.issuer()).isPresent())
                .toList();
    }

    private Mapper course(Context ctx, boolean post) {
        ToolSession s = CourseContext.requireTeacher(ctx, sessions);
        if (post) {
            sessions.checkCsrf(ctx);
        }
        // Moodle's LTI context id is its course id
        String hint = s.contextId() != null && s.contextId().matches("[1-9][0-9]{0,17}") ? s.contextId() : "";
        return new Mapper(s.messages(), CourseScope.personId(s), sessions.csrfToken(ctx), s.pagesBase() + "/exams",
                Optional.of(s.platformId()), hint);
    }

    private Exam courseExam(Context ctx) {
        ToolSession s = CourseContext.requireTeacher(ctx, sessions);
        return exams.find(ctx.pathParam("examId")).filter(e -> e.sectionId().equals(CourseScope.sectionId(s)))
                .orElseThrow(() -> new NotFoundResponse("no exam " + ctx.pathParam("examId") + " in this course"));
    }

    private Mapper admin(Context ctx, boolean post) {
        AdminSessions.AdminSession s = post ? gate.post(ctx) : gate.page(ctx);
        gate.section(s, ctx.pathParam("sectionId"));
        return new Mapper(gate.messages(ctx), AdminGate.actor(s), gate.csrf(s),
                "/admin/sections/" + seg(ctx.pathParam("sectionId")) + "/exams", Optional.empty(), "");
    }

    private Exam adminExam(Context ctx) {
        return exams.find(ctx.pathParam("examId")).filter(e -> e.sectionId().equals(ctx.pathParam("sectionId")))
                .orElseThrow(() -> new NotFoundResponse("no exam " + ctx.pathParam("examId") + " in section "
                        + ctx.pathParam("sectionId")));
    }

    private static String notice(Context ctx, Messages t) {
        if (ctx.queryParam("saved") != null) {
            return t.t("proctoring.moodle.saved");
        }
        return ctx.queryParam("removed") != null ? t.t("proctoring.moodle.removed") : null;
    }

    private static boolean positive(String s) {
        return s != null && s.matches("[1-9][0-9]{0,17}");
    }

    private static String trim(String s) {
        return s == null ? "" : s.strip();
    }

    static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
