package kz.qatysu.tool.attendance.sections;

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

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code PUT /api/v1/sections/{sectionId}} and {@code PUT /api/v1/sections/{sectionId}/enrolments} (scope sync). */
public final class SectionsApi {
    private final SectionService service;
    private final ApiAuth auth;
    private final ObjectMapper json;
    private final Clock clock;

    public SectionsApi(SectionService service, ApiAuth auth, ObjectMapper json, Clock clock) {
        this.service = service;
        this.auth = auth;
        this.json = json;
        this.clock = clock;
    }

    public void putSection(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.SYNC);
        String sectionId = PathIds.sectionId(ctx);
        JsonNode body = JsonBody.object(ctx, json);
        InputProblems problems = new InputProblems();
        JsonBody in = new JsonBody(problems);
        String title = in.requiredText(body, "", "title");
        LocalDate start = in.date(body, "", "termStart", true);
        LocalDate end = in.date(body, "", "termEnd", true);
        if (start != null && end != null && end.isBefore(start)) {
            in.problem("termEnd", "must not be before termStart (" + start + ")");
        }
        problems.throwIfAny("invalid section");
        Section section = new Section(sectionId, title, start, end);
        boolean created = service.upsert(section, new ChangeSource(caller.name(), clock.instant(), "section " + sectionId));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("sectionId", sectionId);
        view.put("title", title);
        view.put("termStart", start.toString());
        view.put("termEnd", end.toString());
        view.put("created", created);
        ctx.status(created ? 201 : 200).json(view);
    }

    public void putEnrolments(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.SYNC);
        String sectionId = PathIds.sectionId(ctx);
        JsonNode body = JsonBody.array(ctx, json, "enrolments");
        InputProblems problems = new InputProblems();
        JsonBody in = new JsonBody(problems);
        List<Enrolment> roster = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < body.size(); i++) {
            String path = "[" + i + "]";
            JsonNode record = body.get(i);
            if (!in.isRecord(record, path)) {
                continue;
            }
            String personId = in.requiredId(record, path, "personId");
            String roleText = in.requiredText(record, path, "role");
            LocalDate since = in.date(record, path, "since", false);
            String group = group(in, record, path);
            Enrolment.Role role = null;
            if (roleText != null) {
                switch (roleText.toLowerCase(Locale.ROOT)) {
                    case "student" -> role = Enrolment.Role.STUDENT;
                    case "teacher" -> role = Enrolment.Role.TEACHER;
                    default -> in.problem(path + ".role", "must be 'student' or 'teacher', was '" + roleText + "'");
                }
            }
            if (personId != null) {
                Integer first = seen.putIfAbsent(personId, i);
                if (first != null) {
                    in.problem(path + ".personId", "'" + personId + "' appears twice (also at [" + first + "])");
                }
            }
            if (problems.isEmpty()) {
                roster.add(new Enrolment(personId, role, since, group, false));
            }
        }
        problems.throwIfAny("invalid enrolments: nothing was stored");
        SectionService.RosterResult r = service.replaceRoster(sectionId, roster,
                new ChangeSource(caller.name(), clock.instant(), "enrolments of section " + sectionId));
        ctx.json(r);
    }

    /**
     * The optional academic group code: trimmed, at most {@link Enrolment#MAX_GROUP} characters; blank = unknown.
     * The timetable's {@code group} of a session is read the same way.
     */
    public static String group(JsonBody in, JsonNode record, String path) {
        String group = in.optionalText(record, path, "group");
        if (group == null || group.isEmpty()) {
            return null;
        }
        int length = group.codePointCount(0, group.length());
        if (length > Enrolment.MAX_GROUP) {
            in.problem(path + ".group", "at most " + Enrolment.MAX_GROUP + " characters, was " + length);
            return null;
        }
        if (group.chars().anyMatch(Character::isISOControl)) {
            in.problem(path + ".group", "must not contain control characters");
            return null;
        }
        return group;
    }
}
