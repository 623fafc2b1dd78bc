package kz.qatysu.tool.attendance.marks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.ApiCaller;
import kz.qatysu.tool.api.InputProblems;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.input.JsonBody;
import kz.qatysu.tool.attendance.input.PathIds;
import kz.qatysu.tool.attendance.rules.AttendanceStatus;
import kz.qatysu.tool.attendance.rules.Mark;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code PUT /api/v1/sessions/{sessionId}/marks}: marks of one session, e.g. from the portal's journal (scope sync).
 * A record may carry the {@code version} of the mark it was read at (optimistic concurrency): a mark changed since is
 * not overwritten — the answer is 409 listing it with the current mark (who, when, version); the other records are
 * stored as usual. Every answer gives each received person's mark version after the import.
 */
public final class MarksApi {
    private final MarkService service;
    private final ApiAuth auth;
    private final ObjectMapper json;
    private final Clock clock;

    public MarksApi(MarkService service, ApiAuth auth, ObjectMapper json, Clock clock) {
        this.service = service;
        this.auth = auth;
        this.json = json;
        this.clock = clock;
    }

    public void putMarks(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.SYNC);
        String sessionId = PathIds.sessionId(ctx);
        JsonNode body = JsonBody.array(ctx, json, "marks");
        InputProblems problems = new InputProblems();
        JsonBody in = new JsonBody(problems);
        List<MarkService.Indexed> records = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < body.size(); i++) {
            String path = "[" + i + "]";
            JsonNode record = body.get(i);
            if (!in.isRecord(record, path)) {
                continue;
            }
            int before = problems.list().size();
            String personId = in.requiredId(record, path, "personId");
            String statusText = in.requiredText(record, path, "status");
            Integer lateMinutes = in.integer(record, path, "lateMinutes", null);
            boolean lateGiven = record.hasNonNull("lateMinutes");
            String reason = in.optionalText(record, path, "reason");
            Long version = null;
            if (record.has("version") && !record.get("version").isNull()) {
                JsonNode v = record.get("version");
                if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
                    in.problem(path + ".version", "the mark's version as read (an integer ≥ 0, 0 = no mark yet), was " + v);
                } else {
                    version = v.asLong();
                }
            }
            AttendanceStatus status = null;
            if (statusText != null) {
                try {
                    status = AttendanceStatus.valueOf(statusText.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    in.problem(path + ".status", "must be PRESENT, LATE, ABSENT or EXCUSED, was '" + statusText + "'");
                }
            }
            if (status == AttendanceStatus.LATE) {
                if (!lateGiven) {
                    in.problem(path + ".lateMinutes", "required when status is LATE");
                } else if (lateMinutes != null && lateMinutes < 0) {
                    in.problem(path + ".lateMinutes", "must be 0 or more, was " + lateMinutes);
                }
            } else if (status != null && lateGiven) {
                in.problem(path + ".lateMinutes", "only allowed when status is LATE (status is " + status + ")");
            }
            if (status == AttendanceStatus.EXCUSED && (reason == null || reason.isBlank())) {
                in.problem(path + ".reason", "required when status is EXCUSED");
            }
            if (personId != null) {
                Integer first = seen.putIfAbsent(personId, i);
                if (first != null) {
                    in.problem(path + ".personId", "'" + personId + "' appears twice (also at [" + first + "])");
                }
            }
            Mark mark = problems.list().size() == before
                    ? new Mark(sessionId, status, lateMinutes, reason == null || reason.isBlank() ? null : reason) : null;
            records.add(new MarkService.Indexed(i, personId, mark, version));
        }
        MarkService.MarksResult result = service.importMarks(sessionId, records, problems,
                new ChangeSource(caller.name(), clock.instant(), "marks of session " + sessionId),
                // the mark edit lock binds every caller but an admin-scoped one (the sync daemon carries teachers' marks)
                caller.scopes().contains(Scope.ADMIN) ? MarkService.Editor.ADMIN : MarkService.Editor.TEACHER);
        Map<String, Object> out = new LinkedHashMap<>();
        if (!result.conflicts().isEmpty()) {
            out.put("error", result.conflicts().size() + " mark(s) changed after the version given: not stored, see"
                    + " conflicts; the other records were stored");
        }
        out.put("sessionId", result.sessionId());
        out.put("sectionId", result.sectionId());
        out.put("sessionCancelled", result.sessionCancelled());
        out.put("received", result.received());
        out.put("changed", result.changed());
        out.put("unchanged", result.unchanged());
        out.put("standingChanged", result.standingChanged());
        out.put("versions", result.versions());
        out.put("conflicts", result.conflicts().stream().map(MarksApi::conflict).toList());
        ctx.status(result.conflicts().isEmpty() ? 200 : 409).json(out);
    }

    /** A conflict as the API shows it: the caller's mark and the stored one, with who stored it, when, and its version. */
    private static Map<String, Object> conflict(MarkService.Conflict c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("index", c.index());
        out.put("personId", c.personId());
        out.put("readAtVersion", c.readAtVersion());
        out.put("yours", mark(c.yours()));
        Map<String, Object> current = c.current() == null ? new LinkedHashMap<>() : mark(c.current().mark());
        current.put("version", c.current() == null ? 0 : c.current().version());
        current.put("updatedBy", c.current() == null ? null : c.current().updatedBy());
        current.put("updatedAt", c.current() == null ? null : c.current().updatedAt().toString());
        out.put("current", current);
        return out;
    }

    private static Map<String, Object> mark(Mark m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", m.status().name());
        out.put("lateMinutes", m.lateMinutes());
        out.put("reason", m.reason());
        return out;
    }
}
