package kz.qatysu.tool.proctoring.exams;

import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.InputText;
import kz.qatysu.tool.deans.AdminAudit;
import kz.qatysu.tool.util.Tokens;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creating and editing exams and assigning their proctors, for the section's teachers (course pages) and the dean's
 * office (admin pages, REST API). Every change is checked first ({@link ExamDraft#validate}: 400 naming the fields,
 * nothing stored), edits are optimistic ({@link Exam#version}: 409 when someone saved in between) and every change is
 * audited ({@code admin_audit}) with its actor: the teacher's person id, {@code web:<token>} for the dean's office
 * pages, the API token's name.
 */
public final class ExamService {
    static final int MAX_PERSON_ID = 100;

    private final Jdbi jdbi;
    private final ExamRepository exams;
    private final AdminAudit audit;
    private final Clock clock;

    public ExamService(Jdbi jdbi, ExamRepository exams, AdminAudit audit, Clock clock) {
        this.jdbi = jdbi;
        this.exams = exams;
        this.audit = audit;
        this.clock = clock;
    }

    public ExamRepository repository() {
        return exams;
    }

    /** The exam, or 404. */
    public Exam require(String examId) {
        return exams.find(examId).orElseThrow(() -> ApiException.notFound("no exam " + examId));
    }

    public List<Exam> ofSection(String sectionId) {
        return exams.ofSection(sectionId);
    }

    /** A new exam of {@code sectionId} (version 1); 400 naming every wrong field. */
    public Exam create(String sectionId, ExamDraft draft, String actor) {
        draft.validate().throwIfAny("invalid exam: nothing was stored");
        Instant now = clock.instant();
        Exam e = new Exam("exam-" + Tokens.random(9).replace('_', 'x').replace('-', 'y'), sectionId, draft.title().strip(),
                draft.kind(), draft.opensAt(), draft.closesAt(), draft.proctored(), draft.checksOrNone(),
                draft.snapshotInterval(), draft.campusAlternative(), draft.tries(), 1, actor, now, actor, now);
        jdbi.useTransaction(h -> exams.insert(h, e));
        audit.record(actor, "exam.create", subject(e.id()), detail(e));
        return e;
    }

    /**
     * Replaces the exam's settings when it is still at {@code expectedVersion}: 404 unknown exam, 400 naming the wrong
     * fields, 409 when someone else saved since (reload and apply the change again). Returns the stored exam.
     */
    public Exam update(String examId, ExamDraft draft, int expectedVersion, String actor) {
        Exam current = require(examId);
        draft.validate().throwIfAny("invalid exam: nothing was stored");
        Instant now = clock.instant();
        Exam changed = new Exam(examId, current.sectionId(), draft.title().strip(), draft.kind(), draft.opensAt(),
                draft.closesAt(), draft.proctored(), draft.checksOrNone(), draft.snapshotInterval(),
                draft.campusAlternative(), draft.tries(), expectedVersion + 1, current.createdBy(), current.createdAt(),
                actor, now);
        boolean stored = jdbi.inTransaction(h -> exams.update(h, changed, expectedVersion));
        if (!stored) {
            Exam now2 = require(examId);
            throw new ApiException(409, "exam " + examId + " was changed by " + now2.updatedBy() + " at " + now2.updatedAt()
                    + " (version " + now2.version() + ", yours was " + expectedVersion + "): reload it and apply your change again",
                    List.of(new ApiException.Detail("version", "is " + now2.version() + ", not " + expectedVersion)));
        }
        audit.record(actor, "exam.update", subject(examId), detail(changed));
        return require(examId);
    }

    /** Assigns {@code personId} to proctor the exam (idempotent); true when newly assigned. */
    public boolean assign(String examId, String personId, String actor) {
        require(examId);
        String person = checkPerson(personId);
        boolean added = jdbi.inTransaction(h -> exams.assign(h, examId, person, actor, clock.instant()));
        if (added) {
            audit.record(actor, "exam.proctor.assign", subject(examId), Map.of("personId", person));
        }
        return added;
    }

    /** Removes {@code personId} from the exam's proctors; true when they were one. */
    public boolean unassign(String examId, String personId, String actor) {
        require(examId);
        boolean removed = jdbi.inTransaction(h -> exams.unassign(h, examId, personId));
        if (removed) {
            audit.record(actor, "exam.proctor.unassign", subject(examId), Map.of("personId", personId));
        }
        return removed;
    }

    /** The person id of a proctor assignment, stripped, or 400 naming {@code personId}. */
    static String checkPerson(String personId) {
        String p = personId == null ? "" : personId.strip();
        String problem = p.isEmpty() ? "required: the proctor's person id (as the portal knows them)"
                : p.length() > MAX_PERSON_ID ? "at most " + MAX_PERSON_ID + " characters" : InputText.idProblem(p);
        if (problem == null && p.contains("/")) {
            problem = "must not contain '/'";
        }
        if (problem != null) {
            throw ApiException.badRequest("invalid proctor: nothing was stored", List.of(new ApiException.Detail("personId", problem)));
        }
        return p;
    }

    static String subject(String examId) {
        return "proctored_exam/" + examId;
    }

    private static Map<String, Object> detail(Exam e) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("sectionId", e.sectionId());
        d.put("title", e.title());
        d.put("kind", e.kind().name());
        d.put("opensAt", e.opensAt().toString());
        d.put("closesAt", e.closesAt().toString());
        d.put("proctored", e.proctored());
        d.put("checks", e.checks());
        d.put("snapshotIntervalSeconds", e.snapshotIntervalSeconds());
        d.put("campusAlternative", e.campusAlternative());
        d.put("identityTries", e.identityTries());
        d.put("version", e.version());
        return d;
    }
}
