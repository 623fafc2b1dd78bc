package kz.qatysu.tool.attendance.sessions;

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

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code PUT /api/v1/sections/{sectionId}/sessions}: the section's full planned timetable (scope sync). */
public final class SessionsApi {
    private final TimetableService service;
    private final ApiAuth auth;
    private final ObjectMapper json;
    private final Clock clock;

    public SessionsApi(TimetableService service, ApiAuth auth, ObjectMapper json, Clock clock) {
        this.service = service;
        this.auth = auth;
        this.json = json;
        this.clock = clock;
    }

    public void putSessions(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.SYNC);
        String sectionId = PathIds.sectionId(ctx);
        JsonNode body = JsonBody.array(ctx, json, "sessions");
        InputProblems problems = new InputProblems();
        JsonBody in = new JsonBody(problems);
        List<TimetableService.Indexed> timetable = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < body.size(); i++) {
            String path = "[" + i + "]";
            JsonNode record = body.get(i);
            if (!in.isRecord(record, path)) {
                continue;
            }
            int before = problems.list().size();
            String sessionId = in.requiredId(record, path, "sessionId");
            OffsetDateTime start = in.dateTime(record, path, "start");
            OffsetDateTime end = in.dateTime(record, path, "end");
            String kind = in.optionalText(record, path, "kind");
            Integer hours = in.integer(record, path, "hours", 1);
            String room = in.optionalText(record, path, "room");
            String onlineUrl = in.optionalText(record, path, "onlineUrl");
            String group = kz.qatysu.tool.attendance.sections.SectionsApi.group(in, record, path);
            if (start != null && end != null && !end.isAfter(start)) {
                in.problem(path + ".end", "must be after start (" + start + ")");
            } else if (start != null && end != null && Duration.between(start, end).compareTo(ClassSession.MAX_LENGTH) > 0) {
                in.problem(path + ".end", "a session lasts at most " + ClassSession.MAX_LENGTH.toHours() + " hours, this one "
                        + Duration.between(start, end).toHours() + " hours (from " + start + ")");
            }
            if (hours != null && hours < 1) {
                in.problem(path + ".hours", "must be at least 1, was " + hours);
            }
            if (onlineUrl != null && !onlineUrl.isEmpty() && !isWebUrl(onlineUrl)) {
                in.problem(path + ".onlineUrl", "must be an absolute http(s) URL, was '" + onlineUrl + "'");
            }
            if (sessionId != null) {
                Integer first = seen.putIfAbsent(sessionId, i);
                if (first != null) {
                    in.problem(path + ".sessionId", "'" + sessionId + "' appears twice (also at [" + first + "])");
                }
            }
            if (problems.list().size() == before) {
                timetable.add(new TimetableService.Indexed(i, new ClassSession(sessionId, start, end, kind, hours, room,
                        onlineUrl == null || onlineUrl.isEmpty() ? null : onlineUrl, false, group)));
            }
        }
        ctx.json(service.replace(sectionId, timetable, problems,
                new ChangeSource(caller.name(), clock.instant(), "timetable of section " + sectionId)));
    }

    private static boolean isWebUrl(String text) {
        try {
            URI uri = new URI(text);
            return uri.isAbsolute() && uri.getHost() != null
                    && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()));
        } catch (Exception e) {
            return false;
        }
    }
}
