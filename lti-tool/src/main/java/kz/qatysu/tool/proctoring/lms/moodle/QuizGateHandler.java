package kz.qatysu.tool.proctoring.lms.moodle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.ApiCaller;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.home.CourseContext;
import kz.qatysu.tool.lti.ToolRole;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.proctoring.attempts.Attempt;
import kz.qatysu.tool.proctoring.attempts.AttemptRepository;
import kz.qatysu.tool.proctoring.attempts.AttemptState;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.proctoring.exams.ExamRepository;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Moodle quiz gate over HTTP: the examinee's password ({@code GET /app/{launch}/exams/{examId}/attempt/quiz-password},
 * the caller's own attempt only, never cached) and the exam's Moodle quiz through the API
 * ({@code GET|PUT|DELETE /api/v1/exams/{examId}/moodle}, scope admin, audited).
 */
public final class QuizGateHandler {
    private final QuizGateService service;
    private final QuizGate gate;
    private final Sessions sessions;
    private final ExamRepository exams;
    private final AttemptRepository attempts;
    private final ApiAuth auth;
    private final ObjectMapper json;

    public QuizGateHandler(QuizGateService service, QuizGate gate, Sessions sessions, ExamRepository exams,
                           AttemptRepository attempts, ApiAuth auth, ObjectMapper json) {
        this.service = service;
        this.gate = gate;
        this.sessions = sessions;
        this.exams = exams;
        this.attempts = attempts;
        this.auth = auth;
        this.json = json;
    }

    /**
     * {@code GET …/attempt/quiz-password}: what the monitoring window shows beside the quiz. {@code status}: READY with
     * the password (QUIZ_OVERRIDE: the student's own, once saved in Moodle; SHARED_PASSWORD: the quiz's, once the checks
     * are cleared), PENDING (being saved in Moodle), NOT_STARTED (the checks are not done), CLOSED (the attempt ended),
     * NONE (GRADE_RESTRICTION: no password, the quiz opens by the grade; or the exam gates no Moodle quiz).
     */
    public void password(Context ctx) {
        ToolSession s = CourseContext.require(ctx, sessions);
        String examId = ctx.pathParam("examId");
        Exam exam = exams.find(examId).filter(x -> x.sectionId().equals(CourseScope.sectionId(s)))
                .orElseThrow(() -> new ApiException(404, "no exam " + examId + " in this course"));
        if (s.role() != ToolRole.STUDENT) {
            throw new ApiException(403, "only the exam's examinees have a quiz password");
        }
        Attempt a = attempts.of(exam.id(), CourseScope.personId(s))
                .orElseThrow(() -> new ApiException(404, "no attempt at this exam yet"));
        Optional<QuizMapping> mapped = service.mappings().find(exam.id());
        Map<String, Object> out = new LinkedHashMap<>();
        ctx.header("Cache-Control", "no-store");
        if (mapped.isEmpty()) {
            // the monitoring window asks for every exam: one that gates no quiz answers NONE (the panel stays hidden)
            out.put("mode", null);
            out.put("status", "NONE");
            out.put("password", null);
            ctx.json(out);
            return;
        }
        QuizMapping m = mapped.get();
        out.put("mode", m.mode().name());
        out.put("quizName", m.quizName());
        String status;
        String password = null;
        switch (m.mode()) {
            case QUIZ_OVERRIDE -> {
                Optional<QuizGate.Status> st = gate.status(a.id());
                if (st.isEmpty()) {
                    status = a.state() == AttemptState.IN_PROGRESS ? "PENDING" : notStartedOrClosed(a);
                } else {
                    status = switch (st.get().state()) {
                        case "OPEN" -> "READY";
                        case "OPENING" -> "PENDING";
                        default -> "CLOSED";
                    };
                    password = st.get().password().orElse(null);
                }
            }
            case SHARED_PASSWORD -> {
                status = a.state() == AttemptState.IN_PROGRESS ? "READY" : notStartedOrClosed(a);
                password = status.equals("READY") ? m.sharedPassword().orElse(null) : null;
            }
            default -> status = "NONE";
        }
        out.put("status", status);
        out.put("password", password);
        ctx.header("Cache-Control", "no-store");
        ctx.json(out);
    }

    private static String notStartedOrClosed(Attempt a) {
        return a.state() == AttemptState.CONSENT_PENDING || a.state() == AttemptState.CHECKING ? "NOT_STARTED" : "CLOSED";
    }

    /** {@code GET /api/v1/exams/{examId}/moodle}: the mapping, Moodle's checks now, and the overrides' states. */
    public void apiGet(Context ctx) {
        auth.require(ctx, Scope.ADMIN);
        Exam exam = exam(ctx);
        QuizMapping m = service.mappings().find(exam.id())
                .orElseThrow(() -> ApiException.notFound("exam " + exam.id() + " gates no Moodle quiz"));
        ctx.header("Cache-Control", "no-store");
        ctx.json(view(m, service.check(m.platformId(), m.courseId(), Optional.of(m.quizId())), gate.rows(exam.id())));
    }

    /**
     * {@code PUT /api/v1/exams/{examId}/moodle}
     * {@code {"platformId": 1, "courseId": 127, "quizId": 4, "mode": "QUIZ_OVERRIDE", "sharedPassword": null}}.
     */
    public void apiPut(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        Exam exam = exam(ctx);
        JsonNode body;
        try {
            body = json.readTree(ctx.bodyAsBytes());
        } catch (Exception e) {
            throw new ApiException(400, "the body is not JSON");
        }
        if (body == null || !body.isObject()) {
            throw new ApiException(400, "a JSON object expected: {\"platformId\", \"courseId\", \"quizId\", \"mode\"}");
        }
        QuizMapping m = service.save(exam.id(), new QuizGateService.Draft(number(body, "platformId"), number(body, "courseId"),
                number(body, "quizId"), text(body, "mode"), text(body, "sharedPassword")), caller.actor());
        ctx.json(view(m, service.check(m.platformId(), m.courseId(), Optional.of(m.quizId())), gate.rows(exam.id())));
    }

    /** {@code DELETE /api/v1/exams/{examId}/moodle}: the exam gates no quiz any more (existing overrides stay). */
    public void apiDelete(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        Exam exam = exam(ctx);
        if (!service.remove(exam.id(), caller.actor())) {
            throw ApiException.notFound("exam " + exam.id() + " gates no Moodle quiz");
        }
        ctx.status(204);
    }

    private Exam exam(Context ctx) {
        String id = ctx.pathParam("examId");
        return exams.find(id).orElseThrow(() -> ApiException.notFound("no exam " + id));
    }

    static Map<String, Object> view(QuizMapping m, QuizGateService.Check c, List<QuizGate.Row> rows) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("examId", m.examId());
        out.put("platformId", m.platformId());
        out.put("courseId", m.courseId());
        out.put("quizId", m.quizId());
        out.put("quizName", m.quizName());
        out.put("mode", m.mode().name());
        out.put("sharedPasswordSet", m.sharedPassword().isPresent());
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("quizFound", c.quiz().isPresent());
        check.put("quizHasPassword", c.password().name());
        check.put("canManageOverrides", c.canManage().orElse(null));
        check.put("gates", m.mode() != GateMode.QUIZ_OVERRIDE || c.gates());
        check.put("problem", c.problem().orElse(null));
        check.put("courseQuizzes", c.quizzes().stream().map(q -> Map.of("quizId", q.id(), "courseModuleId", q.courseModule(),
                "name", q.name())).toList());
        out.put("check", check);
        out.put("overrides", rows.stream().map(r -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("attemptId", r.attemptId());
            row.put("personId", r.personId());
            row.put("state", r.state());
            row.put("overrideId", r.overrideId());
            row.put("attempts", r.attempts());
            row.put("lastError", r.lastError());
            row.put("nextAttemptAt", r.nextAttemptAt());
            return row;
        }).toList());
        return out;
    }

    private static Long number(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.canConvertToLong() || !n.isIntegralNumber()) {
            throw ApiException.badRequest("Moodle quiz refused", List.of(new ApiException.Detail(field, "a whole number expected")));
        }
        return n.asLong();
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest("Moodle quiz refused", List.of(new ApiException.Detail(field, "text expected")));
        }
        return n.asText();
    }
}
