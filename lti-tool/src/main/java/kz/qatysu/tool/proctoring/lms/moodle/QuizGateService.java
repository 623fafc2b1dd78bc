package kz.qatysu.tool.proctoring.lms.moodle;

import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.deans.AdminAudit;
import kz.qatysu.tool.lti.platforms.Platform;
import kz.qatysu.tool.lti.platforms.PlatformService;
import kz.qatysu.tool.moodle.MoodleException;
import kz.qatysu.tool.moodle.MoodleSettings;
import kz.qatysu.tool.moodle.MoodleSite;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An exam's Moodle quiz: the mapping (validated, audited), and the checks the exam's Moodle page and API show — the
 * course's quizzes, whether the mapped quiz has its own password (QUIZ_OVERRIDE gates only then) and whether the token
 * may manage its overrides.
 */
public final class QuizGateService {
    private final QuizMappings mappings;
    private final MoodleQuizzes quizzes;
    private final MoodleSettings moodle;
    private final PlatformService platforms;
    private final AdminAudit audit;
    private final Clock clock;

    public QuizGateService(QuizMappings mappings, MoodleQuizzes quizzes, MoodleSettings moodle, PlatformService platforms,
                           AdminAudit audit, Clock clock) {
        this.mappings = mappings;
        this.quizzes = quizzes;
        this.moodle = moodle;
        this.platforms = platforms;
        this.audit = audit;
        this.clock = clock;
    }

    public QuizMappings mappings() {
        return mappings;
    }

    /** What a teacher or the API asks to store. */
    public record Draft(Long platformId, Long courseId, Long quizId, String mode, String sharedPassword) {
        @Override
        public String toString() {
            return "Draft[platformId=" + platformId + ", courseId=" + courseId + ", quizId=" + quizId + ", mode=" + mode
                    + ", sharedPassword=" + (sharedPassword == null ? "null" : "<masked>") + "]";
        }
    }

    /** Validates and stores the mapping (400 naming each bad field, nothing stored), audited without the password. */
    public QuizMapping save(String examId, Draft d, String actor) {
        List<ApiException.Detail> problems = new ArrayList<>();
        Optional<MoodleSite> site = Optional.empty();
        if (d.platformId() == null) {
            problems.add(new ApiException.Detail("platformId", "required: the Moodle platform's id (GET /api/v1/platforms)"));
        } else {
            Optional<Platform> p = platforms.byId(d.platformId());
            if (p.isEmpty()) {
                problems.add(new ApiException.Detail("platformId", "no platform " + d.platformId()));
            } else {
                site = moodle.forIssuer(p.get().issuer());
                if (site.isEmpty()) {
                    problems.add(new ApiException.Detail("platformId", "no moodle[i] entry (web service URL and token) "
                            + "has issuer " + p.get().issuer() + ": the administrator configures it first"));
                }
            }
        }
        if (d.courseId() == null || d.courseId() <= 0) {
            problems.add(new ApiException.Detail("courseId", "required: the Moodle course id (a positive whole number)"));
        }
        if (d.quizId() == null || d.quizId() <= 0) {
            problems.add(new ApiException.Detail("quizId", "required: the quiz id (not the course-module id), a positive whole number"));
        }
        GateMode mode = null;
        try {
            mode = d.mode() == null ? null : GateMode.valueOf(d.mode().strip());
        } catch (IllegalArgumentException e) {
            // named below
        }
        if (mode == null) {
            problems.add(new ApiException.Detail("mode", "one of QUIZ_OVERRIDE, GRADE_RESTRICTION, SHARED_PASSWORD expected"));
        }
        String shared = d.sharedPassword() == null || d.sharedPassword().isBlank() ? null : d.sharedPassword();
        if (mode == GateMode.SHARED_PASSWORD && shared == null) {
            problems.add(new ApiException.Detail("sharedPassword", "required with SHARED_PASSWORD: the quiz's own password"));
        } else if (mode != null && mode != GateMode.SHARED_PASSWORD && shared != null) {
            problems.add(new ApiException.Detail("sharedPassword", "only with SHARED_PASSWORD"));
        } else if (shared != null && (shared.length() > 255 || shared.chars().anyMatch(Character::isISOControl))) {
            problems.add(new ApiException.Detail("sharedPassword", "at most 255 characters, no control characters"));
        }
        String quizName = "";
        if (problems.isEmpty()) {
            try {
                List<MoodleQuizzes.Quiz> list = quizzes.quizzes(site.get(), d.courseId());
                Optional<MoodleQuizzes.Quiz> quiz = list.stream().filter(q -> q.id() == d.quizId()).findFirst();
                if (quiz.isEmpty()) {
                    Optional<MoodleQuizzes.Quiz> byCm = list.stream().filter(q -> q.courseModule() == d.quizId()).findFirst();
                    problems.add(new ApiException.Detail("quizId", byCm.map(q -> d.quizId() + " is the course-module id of \""
                                    + q.name() + "\"; its quiz id is " + q.id())
                            .orElse("course " + d.courseId() + " has no quiz " + d.quizId() + " (its quizzes: "
                                    + list.stream().map(q -> q.id() + " \"" + q.name() + "\"").toList() + ")")));
                } else {
                    quizName = quiz.get().name();
                }
            } catch (MoodleException e) {
                // Moodle not reachable now: the mapping is stored, the page shows the check's problem
                quizName = "";
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("Moodle quiz refused", problems);
        }
        QuizMapping m = new QuizMapping(examId, d.platformId(), d.courseId(), d.quizId(), quizName, mode,
                Optional.ofNullable(shared), actor, clock.instant());
        mappings.save(m);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("platformId", m.platformId());
        detail.put("courseId", m.courseId());
        detail.put("quizId", m.quizId());
        detail.put("mode", m.mode().name());
        audit.record(actor, "proctoring.moodle.quiz", "proctored_exam/" + examId, detail);
        return m;
    }

    public boolean remove(String examId, String actor) {
        boolean removed = mappings.delete(examId);
        if (removed) {
            audit.record(actor, "proctoring.moodle.quiz.removed", "proctored_exam/" + examId, Map.of());
        }
        return removed;
    }

    /**
     * What Moodle says about the mapped quiz now.
     *
     * @param quizzes       the course's quizzes (to pick from), empty when Moodle could not be asked
     * @param password      whether the quiz has its own password
     * @param canManage     whether the token may manage overrides (empty: unknown)
     * @param problem       why Moodle could not be asked (empty when it answered)
     */
    public record Check(List<MoodleQuizzes.Quiz> quizzes, Optional<MoodleQuizzes.Quiz> quiz,
                        MoodleQuizzes.PasswordState password, Optional<Boolean> canManage, Optional<String> problem) {
        /** QUIZ_OVERRIDE gates only when the quiz has a password and the token can manage overrides. */
        public boolean gates() {
            return password == MoodleQuizzes.PasswordState.SET && canManage.orElse(false);
        }
    }

    /** The course's quizzes, the mapped quiz's password state and the token's capability, asked of Moodle now. */
    public Check check(long platformId, long courseId, Optional<Long> quizId) {
        Optional<MoodleSite> site = platforms.byId(platformId).flatMap(p -> moodle.forIssuer(p.issuer()));
        if (site.isEmpty()) {
            return new Check(List.of(), Optional.empty(), MoodleQuizzes.PasswordState.UNKNOWN, Optional.empty(),
                    Optional.of("NO_MOODLE_CONFIG"));
        }
        try {
            List<MoodleQuizzes.Quiz> list = quizzes.quizzes(site.get(), courseId);
            Optional<MoodleQuizzes.Quiz> quiz = quizId.flatMap(id -> list.stream().filter(q -> q.id() == id).findFirst());
            Optional<Boolean> canManage = quiz.isPresent() ? quizzes.manageCapability(site.get(), quiz.get().id()).canManage()
                    : Optional.empty();
            return new Check(list, quiz, quiz.map(MoodleQuizzes.Quiz::password).orElse(MoodleQuizzes.PasswordState.UNKNOWN),
                    canManage, Optional.empty());
        } catch (MoodleException e) {
            return new Check(List.of(), Optional.empty(), MoodleQuizzes.PasswordState.UNKNOWN, Optional.empty(),
                    Optional.of(e.getMessage()));
        }
    }
}
