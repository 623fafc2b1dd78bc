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
import kz.qatysu.tool.api.InputText;
import kz.qatysu.tool.course.PersonDirectory;
import kz.qatysu.tool.course.PersonName;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code PUT /api/v1/sections/{sectionId}} and {@code PUT /api/v1/sections/{sectionId}/enrolments} (scope sync). A
 * section may name the Open edX course it runs in ({@code openedxCourseKey}); an enrolment may carry the person's
 * names from the portal ({@code familyName}, {@code givenName}, {@code middleName}) and their single-sign-on
 * {@code login} (the Open edX username), so pages show names before anyone launched and Open edX launches find the
 * portal person; a student's enrolment may name their adviser ({@code adviserId}, docs/ADVISERS.md).
 */
public final class SectionsApi {
    /** The longest name part and login the API accepts. */
    static final int MAX_NAME = 200;
    static final String OPENEDX_COURSE_KEY_PREFIX = "course-v1:";

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
        String faculty = in.optionalText(body, "", "faculty");
        if (faculty != null && (faculty.isEmpty() || faculty.length() > 64 || faculty.chars().anyMatch(Character::isWhitespace)
                || kz.qatysu.tool.api.InputText.idProblem(faculty) != null || faculty.equals("*"))) {
            in.problem("faculty", "a faculty code without spaces, at most 64 characters (or leave it out), was '" + faculty + "'");
        }
        boolean keySent = body.has("openedxCourseKey");
        String courseKey = openedxCourseKey(in, body);
        problems.throwIfAny("invalid section");
        Section section = new Section(sectionId, title, start, end, faculty);
        ChangeSource source = new ChangeSource(caller.name(), clock.instant(), "section " + sectionId);
        boolean created = service.upsert(section, source);
        if (keySent) {
            service.linkOpenEdxCourse(sectionId, courseKey, source);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("sectionId", sectionId);
        view.put("title", title);
        view.put("termStart", start.toString());
        view.put("termEnd", end.toString());
        if (faculty != null) {
            view.put("faculty", faculty);
        }
        if (keySent) {
            view.put("openedxCourseKey", courseKey);
        }
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
        List<PersonDirectory.PortalPerson> names = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Integer> logins = new HashMap<>();
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
            PersonName name = name(in, record, path);
            String login = login(in, record, path);
            String adviserId = adviserId(in, record, path, personId, roleText);
            if (login != null) {
                Integer first = logins.putIfAbsent(login, i);
                if (first != null) {
                    in.problem(path + ".login", "'" + login + "' appears twice (also at [" + first + "])");
                }
            }
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
                if (name != null || login != null || adviserId != null) {
                    names.add(new PersonDirectory.PortalPerson(personId, name, login, adviserId));
                }
            }
        }
        problems.throwIfAny("invalid enrolments: nothing was stored");
        SectionService.RosterResult r = service.replaceRoster(sectionId, roster, names,
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

    /** The optional {@code openedxCourseKey}: null (or absent) = none; else {@code course-v1:Org+Course+Run}. */
    private static String openedxCourseKey(JsonBody in, JsonNode body) {
        String key = in.optionalText(body, "", "openedxCourseKey");
        if (key == null || key.isEmpty()) {
            return null;
        }
        if (!key.startsWith(OPENEDX_COURSE_KEY_PREFIX) || key.length() == OPENEDX_COURSE_KEY_PREFIX.length()
                || key.length() > 255 || key.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            in.problem("openedxCourseKey", "must be an Open edX course key like course-v1:Org+Course+Run (no spaces, at most 255 characters), was '"
                    + key + "'");
            return null;
        }
        return key;
    }

    /**
     * The portal's name of the person: optional {@code familyName}, {@code givenName} and {@code middleName} (the
     * patronymic); null when none is sent. A patronymic alone is refused: it needs a family or given name beside it.
     */
    private static PersonName name(JsonBody in, JsonNode record, String path) {
        String family = namePart(in, record, path, "familyName");
        String given = namePart(in, record, path, "givenName");
        String middle = namePart(in, record, path, "middleName");
        if (family == null && given == null) {
            if (middle != null) {
                in.problem(path + ".middleName", "needs familyName or givenName beside it");
            }
            return null;
        }
        return PersonName.of(family, given, middle);
    }

    private static String namePart(JsonBody in, JsonNode record, String path, String field) {
        String value = in.optionalText(record, path, field);
        if (value == null || value.isEmpty()) {
            return null;
        }
        String problem = InputText.idProblem(value);
        if (problem == null && value.codePointCount(0, value.length()) > MAX_NAME) {
            problem = "at most " + MAX_NAME + " characters";
        }
        if (problem != null) {
            in.problem(path + "." + field, problem);
            return null;
        }
        return value.replaceAll("\\s+", " ");
    }

    /**
     * A student's optional {@code adviserId} (эдвайзер / куратор, a portal person id): left out = the stored link stays
     * as it is; {@code null} or {@code ""} = the student has no adviser (returned as {@code ""}); else the adviser's id.
     * Only a student has an adviser, and nobody is their own.
     */
    private static String adviserId(JsonBody in, JsonNode record, String path, String personId, String role) {
        if (!record.has("adviserId")) {
            return null;
        }
        if (record.get("adviserId").isNull()) {
            return "";
        }
        String adviser = in.optionalText(record, path, "adviserId");
        if (adviser == null) {
            return null; // not text: the problem is recorded
        }
        if (adviser.isEmpty()) {
            return "";
        }
        String problem = InputText.idProblem(adviser);
        if (problem == null && adviser.length() > MAX_NAME) {
            problem = "at most " + MAX_NAME + " characters";
        }
        if (problem == null && adviser.chars().anyMatch(Character::isWhitespace)) {
            problem = "a person id without spaces";
        }
        if (problem == null && adviser.equals(personId)) {
            problem = "a student cannot be their own adviser";
        }
        if (problem == null && role != null && !"student".equalsIgnoreCase(role)) {
            problem = "only a student has an adviser (role is '" + role + "')";
        }
        if (problem != null) {
            in.problem(path + ".adviserId", problem);
            return null;
        }
        return adviser;
    }

    /** The optional single-sign-on {@code login} (the Open edX username): no spaces; stored lower case. */
    private static String login(JsonBody in, JsonNode record, String path) {
        String login = in.optionalText(record, path, "login");
        if (login == null || login.isEmpty()) {
            return null;
        }
        if (login.length() > MAX_NAME || login.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))
                || InputText.idProblem(login) != null) {
            in.problem(path + ".login", "must be a login without spaces or control characters, at most " + MAX_NAME + " characters");
            return null;
        }
        return login.toLowerCase(Locale.ROOT);
    }
}
