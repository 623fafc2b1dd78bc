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
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code PUT /api/v1/sessions/{sessionId}/marks}: marks of one session, e.g. from the portal's journal (scope sync). */
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
            records.add(new MarkService.Indexed(i, personId, mark));
        }
        ctx.json(service.importMarks(sessionId, records, problems,
                new ChangeSource(caller.name(), clock.instant(), "marks of session " + sessionId),
                // the mark edit lock binds every caller but an admin-scoped one (the sync daemon carries teachers' marks)
                caller.scopes().contains(Scope.ADMIN) ? MarkService.Editor.ADMIN : MarkService.Editor.TEACHER));
    }
}
