package kz.qatysu.tool.proctoring.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.ApiCaller;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.InputText;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.deans.AdminAudit;
import kz.qatysu.tool.proctoring.attempts.Attempt;
import kz.qatysu.tool.proctoring.attempts.AttemptService;
import kz.qatysu.tool.proctoring.attempts.AttemptState;
import kz.qatysu.tool.proctoring.attempts.Verdict;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The proctoring REST API (qatysu-api.md, "Proctoring"), scope {@code proctor} or {@code admin}:
 * {@code GET /api/v1/proctoring/attempts?sectionId=&examId=&state=}, {@code GET …/attempts/{attemptId}/events},
 * {@code PUT …/attempts/{attemptId}/verdict}; and the dean's office's (scope {@code admin}) export and deletion of a
 * person's data: {@code GET /api/v1/proctoring/persons/{personId}/export}, {@code DELETE …/persons/{personId}/media}.
 * A {@code proctor} token issued for a person sees only the exams that person is assigned to ({@link ProctorAccess}).
 */
public final class ReviewApi {
    private final AttemptService attempts;
    private final AttemptList list;
    private final ProctorAccess access;
    private final PersonData persons;
    private final ApiAuth auth;
    private final ObjectMapper json;
    private final AdminAudit audit;

    public ReviewApi(AttemptService attempts, AttemptList list, ProctorAccess access, PersonData persons, ApiAuth auth,
                     ObjectMapper json, AdminAudit audit) {
        this.attempts = attempts;
        this.list = list;
        this.access = access;
        this.persons = persons;
        this.auth = auth;
        this.json = json;
        this.audit = audit;
    }

    public void attempts(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.PROCTOR);
        Optional<AttemptState> state = state(ctx.queryParam("state"));
        Optional<String> sectionId = param(ctx, "sectionId");
        Optional<String> examId = param(ctx, "examId");
        ctx.json(list.search(sectionId, examId, state, ProctorAccess.apiProctor(caller)).stream().map(AttemptList.Row::json).toList());
    }

    public void events(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.PROCTOR);
        Attempt a = attempt(caller, ctx.pathParam("attemptId"));
        ctx.json(attempts.repository().events(a.id()).stream().map(PersonData::eventJson).toList());
    }

    public void verdict(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.PROCTOR);
        Attempt a = attempt(caller, ctx.pathParam("attemptId"));
        JsonNode body;
        try {
            body = json.readTree(ctx.bodyAsBytes());
        } catch (Exception e) {
            throw new ApiException(400, "the body is not JSON: {\"verdict\": \"SUSPICIOUS\", \"comment\": \"…\"}");
        }
        if (body == null || !body.isObject()) {
            throw new ApiException(400, "a JSON object expected: {\"verdict\": \"CLEAN\", \"comment\": \"…\"}");
        }
        InputText.requireStorable(body);
        if (body.has("verdict") && !body.get("verdict").isTextual() && !body.get("verdict").isNull()) {
            throw ApiException.badRequest("verdict refused", List.of(new ApiException.Detail("verdict",
                    "CLEAN, SUSPICIOUS or VIOLATION expected")));
        }
        if (body.has("comment") && !body.get("comment").isTextual() && !body.get("comment").isNull()) {
            throw ApiException.badRequest("verdict refused", List.of(new ApiException.Detail("comment", "text expected")));
        }
        Verdict.Outcome outcome = PersonData.outcome(body.path("verdict").asText(null));
        String comment = body.path("comment").asText("");
        Verdict v = attempts.decide(a.id(), outcome, comment, caller.actor());
        audit.record(caller.actor(), "proctoring.review.verdict", "proctoring_attempt/" + a.id(),
                Map.of("verdict", v.verdict().name(), "comment", v.comment(), "token", caller.name()));
        ctx.json(AttemptList.verdictJson(v));
    }

    public void export(Context ctx) throws IOException {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        String personId = PersonData.checkPerson(ctx.pathParam("personId"));
        ctx.header("Cache-Control", "no-store");
        ctx.header("Content-Disposition", "attachment; filename=\"proctoring-" + fileSafe(personId) + ".zip\"");
        ctx.contentType("application/zip");
        OutputStream out = ctx.outputStream();
        persons.export(personId, caller.actor(), out);
        out.flush();
    }

    public void deleteMedia(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        String personId = PersonData.checkPerson(ctx.pathParam("personId"));
        int n = persons.deleteMedia(personId, caller.actor());
        ctx.json(Map.of("personId", personId, "deletedObjects", n));
    }

    private Attempt attempt(ApiCaller caller, String attemptId) {
        Attempt a = attempts.repository().find(attemptId).orElseThrow(() -> ApiException.notFound("no attempt " + attemptId));
        if (!access.apiMayReview(caller, a.examId())) {
            throw new ApiException(403, "this token's person is not a proctor of exam " + a.examId());
        }
        return a;
    }

    static Optional<AttemptState> state(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(AttemptState.valueOf(raw.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid filter", List.of(new ApiException.Detail("state",
                    "one of CONSENT_PENDING, CHECKING, IN_PROGRESS, ENDED, ABANDONED, REFUSED expected, was '" + raw + "'")));
        }
    }

    private static Optional<String> param(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    static String fileSafe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
