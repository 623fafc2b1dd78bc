package kz.qatysu.tool.proctoring.lms.openedx;

import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.deans.AdminAudit;
import kz.qatysu.tool.lti.platforms.PlatformService;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.proctoring.exams.ExamRepository;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Linking an Open edX proctored exam (the resource link of its LtiStartProctoring on one platform) to a Qatysu exam,
 * and unlinking it: validated (400 naming the field, nothing stored), a link already held by another exam is refused
 * (409: unlink it there first), every change audited.
 */
public final class ExamLinking {
    private final OpenEdxRepository repository;
    private final ExamRepository exams;
    private final PlatformService platforms;
    private final AdminAudit audit;
    private final Clock clock;

    public ExamLinking(OpenEdxRepository repository, ExamRepository exams, PlatformService platforms, AdminAudit audit,
                       Clock clock) {
        this.repository = repository;
        this.exams = exams;
        this.platforms = platforms;
        this.audit = audit;
        this.clock = clock;
    }

    public OpenEdxRepository repository() {
        return repository;
    }

    public Exam exam(String examId) {
        return exams.find(examId).orElseThrow(() -> ApiException.notFound("no exam " + examId));
    }

    /** Links the resource link to the exam; true when it was new, false when it was linked to this exam already. */
    public boolean link(String examId, Long platformId, String resourceLinkId, String actor) {
        Exam exam = exam(examId);
        List<ApiException.Detail> problems = check(platformId, resourceLinkId);
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("Open edX exam link refused; nothing stored", problems);
        }
        String link = resourceLinkId.strip();
        return repository.jdbi().inTransaction(h -> {
            String held = repository.examOf(h, platformId, link).orElse(null);
            if (exam.id().equals(held)) {
                return false;
            }
            if (held != null) {
                throw new ApiException(409, "resourceLinkId: already linked to exam " + held + "; unlink it there first",
                        List.of(new ApiException.Detail("resourceLinkId", "already linked to exam " + held)));
            }
            repository.link(h, platformId, link, exam.id(), actor, clock.instant());
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("platformId", platformId);
            detail.put("resourceLinkId", link);
            audit.record(actor, "exam.openedx.link", "exam:" + exam.id(), detail);
            return true;
        });
    }

    /** Removes the link; 404 when the exam has no such link. */
    public void unlink(String examId, Long platformId, String resourceLinkId, String actor) {
        Exam exam = exam(examId);
        List<ApiException.Detail> problems = check(platformId, resourceLinkId);
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("Open edX exam unlink refused", problems);
        }
        boolean removed = repository.jdbi().inTransaction(h -> repository.unlink(h, platformId, resourceLinkId.strip(), exam.id()));
        if (!removed) {
            throw ApiException.notFound("exam " + exam.id() + " has no Open edX link " + resourceLinkId + " on platform " + platformId);
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("platformId", platformId);
        detail.put("resourceLinkId", resourceLinkId.strip());
        audit.record(actor, "exam.openedx.unlink", "exam:" + exam.id(), detail);
    }

    private List<ApiException.Detail> check(Long platformId, String resourceLinkId) {
        List<ApiException.Detail> problems = new ArrayList<>();
        if (platformId == null) {
            problems.add(new ApiException.Detail("platformId", "required: the id of a registered platform"));
        } else if (platforms.byId(platformId).isEmpty()) {
            problems.add(new ApiException.Detail("platformId", "no platform " + platformId + " is registered"));
        }
        if (resourceLinkId == null || resourceLinkId.isBlank()) {
            problems.add(new ApiException.Detail("resourceLinkId", "required: the resource_link.id of the LtiStartProctoring"));
        } else if (resourceLinkId.strip().length() > 500 || resourceLinkId.chars().anyMatch(Character::isISOControl)) {
            problems.add(new ApiException.Detail("resourceLinkId", "at most 500 characters, no control characters"));
        }
        return problems;
    }
}
