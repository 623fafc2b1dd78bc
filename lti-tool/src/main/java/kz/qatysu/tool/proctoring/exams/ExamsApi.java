package kz.qatysu.tool.proctoring.exams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.ApiCaller;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.InputProblems;
import kz.qatysu.tool.api.InputText;
import kz.qatysu.tool.api.Scope;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dean's office's exam API (scope {@code admin}): {@code GET/POST /api/v1/sections/{sectionId}/exams},
 * {@code GET/PUT /api/v1/exams/{examId}} (the version to replace from {@code If-Match} or the body's {@code version}:
 * 409 when the exam changed since), {@code PUT/DELETE /api/v1/exams/{examId}/proctors/{personId}}. Times are ISO-8601
 * instants.
 */
public final class ExamsApi {
    private final ExamService exams;
    private final ApiAuth auth;
    private final ObjectMapper json;
    private final Jdbi jdbi;

    public ExamsApi(ExamService exams, ApiAuth auth, ObjectMapper json, Jdbi jdbi) {
        this.exams = exams;
        this.auth = auth;
        this.json = json;
        this.jdbi = jdbi;
    }

    public void list(Context ctx) {
        auth.require(ctx, Scope.ADMIN);
        String sectionId = ctx.pathParam("sectionId");
        requireSection(sectionId);
        ctx.json(exams.ofSection(sectionId).stream().map(e -> view(e, exams.repository().proctors(e.id()))).toList());
    }

    public void create(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        String sectionId = ctx.pathParam("sectionId");
        requireSection(sectionId);
        Exam e = exams.create(sectionId, draft(body(ctx)), caller.actor());
        ctx.header("Location", "/api/v1/exams/" + e.id());
        ctx.header("ETag", etag(e));
        ctx.status(201).json(view(e, Set.of()));
    }

    public void get(Context ctx) {
        auth.require(ctx, Scope.ADMIN);
        Exam e = exams.require(ctx.pathParam("examId"));
        ctx.header("ETag", etag(e));
        ctx.json(view(e, exams.repository().proctors(e.id())));
    }

    public void update(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        String examId = ctx.pathParam("examId");
        exams.require(examId);
        JsonNode body = body(ctx);
        int version = version(ctx.header("If-Match"), body.path("version"));
        Exam e = exams.update(examId, draft(body), version, caller.actor());
        ctx.header("ETag", etag(e));
        ctx.json(view(e, exams.repository().proctors(e.id())));
    }

    public void assign(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        String examId = ctx.pathParam("examId");
        boolean added = exams.assign(examId, ctx.pathParam("personId"), caller.actor());
        ctx.status(added ? 201 : 200).json(Map.of("examId", examId, "proctors", exams.repository().proctors(examId).stream()
                .sorted().toList()));
    }

    public void unassign(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        String examId = ctx.pathParam("examId");
        if (!exams.unassign(examId, ctx.pathParam("personId"), caller.actor())) {
            throw ApiException.notFound("person " + ctx.pathParam("personId") + " is not a proctor of exam " + examId);
        }
        ctx.status(204);
    }

    private void requireSection(String sectionId) {
        boolean known = jdbi.withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM section WHERE section_id = :id)")
                .bind("id", sectionId).mapTo(Boolean.class).one());
        if (!known) {
            throw ApiException.notFound("no section " + sectionId + " (the sync daemon sends sections; a course that "
                    + "launched without a section code is mapped first)");
        }
    }

    private JsonNode body(Context ctx) {
        JsonNode body;
        try {
            body = json.readTree(ctx.bodyAsBytes());
        } catch (Exception e) {
            throw new ApiException(400, "the body is not JSON: " + EXAMPLE);
        }
        if (body == null || !body.isObject()) {
            throw new ApiException(400, "a JSON object expected: " + EXAMPLE);
        }
        InputText.requireStorable(body);
        return body;
    }

    static final String EXAMPLE = "{\"title\": \"Final exam\", \"kind\": \"FINAL\", \"opensAt\": \"2026-06-01T04:00:00Z\", "
            + "\"closesAt\": \"2026-06-01T07:00:00Z\", \"proctored\": true, \"checks\": {\"idPhoto\": true, \"faceMatch\": true, "
            + "\"roomScan\": true, \"screenShare\": true}, \"snapshotIntervalSeconds\": 10, \"campusAlternative\": true, "
            + "\"identityTries\": 3}";

    /** The exam the body describes; 400 naming every field of the wrong type, together with {@link ExamDraft#validate}'s. */
    static ExamDraft draft(JsonNode b) {
        InputProblems types = new InputProblems();
        String title = b.path("title").isTextual() ? b.get("title").asText() : null;
        if (b.has("title") && !b.get("title").isTextual() && !b.get("title").isNull()) {
            types.add("title", "text expected");
        }
        Exam.ExamKind kind = null;
        if (b.hasNonNull("kind")) {
            try {
                kind = Exam.ExamKind.valueOf(b.get("kind").asText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                types.add("kind", "MIDTERM or FINAL expected, was '" + b.get("kind").asText() + "'");
            }
        }
        Instant opens = instant(b, "opensAt", types);
        Instant closes = instant(b, "closesAt", types);
        boolean proctored = bool(b, "proctored", true, types);
        Exam.Checks checks = Exam.Checks.NONE;
        JsonNode c = b.path("checks");
        if (!c.isMissingNode() && !c.isNull()) {
            if (!c.isObject()) {
                types.add("checks", "an object expected: {\"idPhoto\": true, \"faceMatch\": true, \"roomScan\": true, \"screenShare\": true}");
            } else {
                checks = new Exam.Checks(bool(c, "idPhoto", false, types, "checks."), bool(c, "faceMatch", false, types, "checks."),
                        bool(c, "roomScan", false, types, "checks."), bool(c, "screenShare", false, types, "checks."));
            }
        } else if (proctored) {
            checks = Exam.Checks.ALL;
        }
        Integer interval = integer(b, "snapshotIntervalSeconds", types);
        boolean campus = bool(b, "campusAlternative", false, types);
        Integer tries = integer(b, "identityTries", types);
        ExamDraft draft = new ExamDraft(title, kind, opens, closes, proctored, checks, interval, campus, tries);
        if (!types.isEmpty()) {
            List<ApiException.Detail> all = new java.util.ArrayList<>(types.list());
            Set<String> named = new java.util.HashSet<>(all.stream().map(ApiException.Detail::path).toList());
            draft.validate().list().stream().filter(d -> !named.contains(d.path())).forEach(all::add);
            throw ApiException.badRequest("invalid exam: nothing was stored", all);
        }
        return draft;
    }

    /** The version an update replaces: {@code If-Match: "3"} (or W/"3", 3), else the body's {@code version}; 428 without. */
    static int version(String ifMatch, JsonNode bodyVersion) {
        if (ifMatch != null && !ifMatch.isBlank()) {
            String v = ifMatch.strip();
            if (v.startsWith("W/")) {
                v = v.substring(2);
            }
            v = v.replace("\"", "");
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new ApiException(400, "If-Match: the exam's version (its ETag) expected, was " + ifMatch,
                        List.of(new ApiException.Detail("If-Match", "a version number such as \"3\" expected")));
            }
        }
        if (bodyVersion.isIntegralNumber()) {
            return bodyVersion.asInt();
        }
        throw new ApiException(428, "say which version you are replacing: If-Match: \"<version>\" or \"version\" in the body",
                List.of(new ApiException.Detail("version", "required (the exam's version as read), or the If-Match header")));
    }

    static String etag(Exam e) {
        return "\"" + e.version() + "\"";
    }

    /** The exam as the API shows it. */
    public static Map<String, Object> view(Exam e, Set<String> proctors) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("examId", e.id());
        m.put("sectionId", e.sectionId());
        m.put("title", e.title());
        m.put("kind", e.kind().name());
        m.put("opensAt", e.opensAt().toString());
        m.put("closesAt", e.closesAt().toString());
        m.put("proctored", e.proctored());
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("idPhoto", e.checks().idPhoto());
        checks.put("faceMatch", e.checks().faceMatch());
        checks.put("roomScan", e.checks().roomScan());
        checks.put("screenShare", e.checks().screenShare());
        m.put("checks", checks);
        m.put("snapshotIntervalSeconds", e.snapshotIntervalSeconds());
        m.put("campusAlternative", e.campusAlternative());
        m.put("identityTries", e.identityTries());
        m.put("proctors", proctors.stream().sorted().toList());
        m.put("version", e.version());
        m.put("createdBy", e.createdBy());
        m.put("createdAt", e.createdAt().toString());
        m.put("updatedBy", e.updatedBy());
        m.put("updatedAt", e.updatedAt().toString());
        return m;
    }

    private static Instant instant(JsonNode b, String field, InputProblems p) {
        if (!b.hasNonNull(field)) {
            return null;
        }
        try {
            return Instant.parse(b.get(field).asText());
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(b.get(field).asText()).toInstant();
            } catch (DateTimeParseException e2) {
                p.add(field, "an ISO-8601 instant like 2026-06-01T04:00:00Z expected, was '" + b.get(field).asText() + "'");
                return null;
            }
        }
    }

    private static boolean bool(JsonNode b, String field, boolean dflt, InputProblems p) {
        return bool(b, field, dflt, p, "");
    }

    private static boolean bool(JsonNode b, String field, boolean dflt, InputProblems p, String prefix) {
        if (!b.hasNonNull(field)) {
            return dflt;
        }
        if (!b.get(field).isBoolean()) {
            p.add(prefix + field, "true or false expected");
            return dflt;
        }
        return b.get(field).asBoolean();
    }

    private static Integer integer(JsonNode b, String field, InputProblems p) {
        if (!b.hasNonNull(field)) {
            return null;
        }
        if (!b.get(field).isIntegralNumber() || !b.get(field).canConvertToInt()) {
            p.add(field, "a whole number expected");
            return null;
        }
        return b.get(field).asInt();
    }

    static Optional<String> text(JsonNode b, String field) {
        return b.path(field).isTextual() ? Optional.of(b.get(field).asText()) : Optional.empty();
    }
}
