package kz.qatysu.connectors.moodle;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpFailure;
import kz.qatysu.connectors.http.HttpRequestSpec;
import kz.qatysu.connectors.http.HttpResult;
import kz.qatysu.connectors.http.Json;
import kz.qatysu.connectors.moodle.MoodleModel.Category;
import kz.qatysu.connectors.moodle.MoodleModel.Course;
import kz.qatysu.connectors.moodle.MoodleModel.Created;
import kz.qatysu.connectors.moodle.MoodleModel.EnrolledUser;
import kz.qatysu.connectors.moodle.MoodleModel.Event;
import kz.qatysu.connectors.moodle.MoodleModel.GradeItem;
import kz.qatysu.connectors.moodle.MoodleModel.Group;
import kz.qatysu.connectors.moodle.MoodleModel.GroupMembers;
import kz.qatysu.connectors.moodle.MoodleModel.SiteInfo;
import kz.qatysu.connectors.moodle.MoodleModel.User;
import kz.qatysu.connectors.moodle.MoodleModel.Warning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moodle's REST web services ({@code /webservice/rest/server.php}, {@code moodlewsrestformat=json}), for the functions
 * listed in {@code shared/integration/moodle-ws.md}.
 *
 * <p>What it guards against: HTTP 200 error bodies (thrown as {@link MoodleException}); PHP's {@code max_input_vars}
 * silently dropping the tail of a large post (a call over the configured limit is refused before sending, and a
 * create that answers with fewer records than it was sent fails loudly); non-JSON answers (an XML default format, a PHP
 * fatal page). Creates are not idempotent and are therefore not repeated after a timeout; callers look records up
 * by idnumber before creating them so an interrupted run resumes without duplicates.
 */
public final class MoodleClient {
    public static final String ENDPOINT = "/webservice/rest/server.php";
    private static final Set<String> WRITE_FUNCTIONS = Set.of("core_user_create_users", "core_user_update_users",
            "core_course_create_courses", "core_course_update_courses", "core_course_create_categories",
            "core_course_duplicate_course", "enrol_manual_enrol_users", "core_group_create_groups",
            "core_group_add_group_members", "core_group_delete_group_members", "core_calendar_create_calendar_events",
            "core_calendar_delete_calendar_events", "core_grades_update_grades");
    private static final Set<String> NOT_IDEMPOTENT = Set.of("core_user_create_users", "core_course_create_courses",
            "core_course_create_categories", "core_course_duplicate_course", "core_group_create_groups",
            "core_calendar_create_calendar_events");

    private final HttpConnector http;
    private final Secret token;
    private final int maxInputVars;
    private final AtomicLong writeCalls = new AtomicLong();
    private final AtomicLong readCalls = new AtomicLong();

    /** @param maxInputVars the site's PHP {@code max_input_vars} (1000 unless the host raised it) */
    public MoodleClient(HttpConnector http, Secret token, int maxInputVars) {
        this.http = Objects.requireNonNull(http, "http");
        this.token = Objects.requireNonNull(token, "token");
        this.maxInputVars = maxInputVars;
    }

    public int maxInputVars() {
        return maxInputVars;
    }

    /** Calls that change something in Moodle, for reports and the "no-op resync makes zero writes" check. */
    public long writeCalls() {
        return writeCalls.get();
    }

    public long readCalls() {
        return readCalls.get();
    }

    /** Calls {@code function}; returns the JSON answer ({@code null} literal for void functions). */
    public JsonNode call(String function, Map<String, ?> params) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        pairs.add(Map.entry("wstoken", token.reveal()));
        pairs.add(Map.entry("wsfunction", function));
        pairs.add(Map.entry("moodlewsrestformat", "json"));
        List<Map.Entry<String, String>> own = MoodleParams.flatten(params);
        // +3 for wstoken, wsfunction, moodlewsrestformat
        if (own.size() + 3 > maxInputVars) {
            throw new IllegalArgumentException(function + ": " + (own.size() + 3) + " form variables exceed max_input_vars="
                    + maxInputVars + "; PHP would silently drop the rest — send a smaller batch");
        }
        pairs.addAll(own);
        boolean write = WRITE_FUNCTIONS.contains(function);
        (write ? writeCalls : readCalls).incrementAndGet();
        HttpRequestSpec spec = HttpRequestSpec.form(ENDPOINT, MoodleParams.encode(pairs), !NOT_IDEMPOTENT.contains(function))
                .withHeader("Accept", "application/json")
                .describedAs("wsfunction " + function);
        HttpResult result = http.sendOk(spec);
        JsonNode body = Json.parse(http.name(), function, result);
        if (body.isObject() && body.has("exception")) {
            throw new MoodleException(function, body.path("exception").asText(), body.path("errorcode").asText(),
                    body.path("message").asText(), body.path("debuginfo").isMissingNode() ? null : body.path("debuginfo").asText());
        }
        return body;
    }

    public SiteInfo siteInfo() {
        JsonNode b = call("core_webservice_get_site_info", Map.of());
        List<String> functions = new ArrayList<>();
        b.path("functions").forEach(f -> functions.add(f.path("name").asText()));
        return new SiteInfo(b.path("sitename").asText(), b.path("release").asText(), b.path("version").asText(),
                b.path("userid").asInt(), functions);
    }

    /** {@code field} ∈ id, idnumber, username, email. Unknown values are simply absent from the answer. */
    public List<User> usersByField(String field, List<String> values) {
        if (values.isEmpty()) {
            return List.of();
        }
        JsonNode b = call("core_user_get_users_by_field", params("field", field, "values", values));
        List<User> out = new ArrayList<>();
        b.forEach(u -> out.add(user(u)));
        return out;
    }

    /** Transactional: one bad user fails them all. Returns ids in the order sent. */
    public List<Created> createUsers(List<Map<String, Object>> users) {
        JsonNode b = call("core_user_create_users", Map.of("users", users));
        return created("core_user_create_users", b, users.size(), "username");
    }

    /** Per-user failures come back as warnings ({@code item=user, itemid=<id>}). */
    public List<Warning> updateUsers(List<Map<String, Object>> users) {
        return warnings(call("core_user_update_users", Map.of("users", users)));
    }

    /** {@code field} ∈ id, ids, shortname, idnumber, category. */
    public List<Course> coursesByField(String field, String value) {
        JsonNode b = call("core_course_get_courses_by_field", params("field", field, "value", value));
        List<Course> out = new ArrayList<>();
        b.path("courses").forEach(c -> out.add(new Course(c.path("id").asLong(), c.path("shortname").asText(),
                c.path("fullname").asText(), c.path("idnumber").asText(""), c.path("categoryid").asLong(),
                c.path("visible").asInt(1) == 1)));
        return out;
    }

    public List<Created> createCourses(List<Map<String, Object>> courses) {
        return created("core_course_create_courses", call("core_course_create_courses", Map.of("courses", courses)),
                courses.size(), "shortname");
    }

    public List<Warning> updateCourses(List<Map<String, Object>> courses) {
        return warnings(call("core_course_update_courses", Map.of("courses", courses)));
    }

    /** Copies a template course (activities, grade items, settings; no users). Returns the new course id. */
    public long duplicateCourse(long templateId, String fullname, String shortname, long categoryId, boolean visible) {
        JsonNode b = call("core_course_duplicate_course", params("courseid", templateId, "fullname", fullname,
                "shortname", shortname, "categoryid", categoryId, "visible", visible,
                "options", List.of(Map.of("name", "users", "value", 0))));
        return b.path("id").asLong();
    }

    public List<Category> categoriesByIdnumber(String idnumber) {
        JsonNode b = call("core_course_get_categories", params("criteria", List.of(Map.of("key", "idnumber", "value", idnumber)),
                "addsubcategories", 0));
        List<Category> out = new ArrayList<>();
        b.forEach(c -> out.add(new Category(c.path("id").asLong(), c.path("name").asText(), c.path("idnumber").asText(""),
                c.path("parent").asLong())));
        return out;
    }

    public List<Created> createCategories(List<Map<String, Object>> categories) {
        return created("core_course_create_categories", call("core_course_create_categories", Map.of("categories", categories)),
                categories.size(), "name");
    }

    /** Idempotent: enrolling an enrolled user updates the enrolment ({@code suspend=1} suspends it). Returns nothing. */
    public void enrolUsers(List<Map<String, Object>> enrolments) {
        call("enrol_manual_enrol_users", Map.of("enrolments", enrolments));
    }

    /** One page of a course's participants with the fields the sync needs. */
    public List<EnrolledUser> enrolledUsers(long courseId, int from, int limit) {
        return enrolledUsers(courseId, from, limit, false);
    }

    /**
     * One page of a course's participants; with {@code onlyActive} only active enrolments of unsuspended users
     * ({@code onlyactive=1}, needs {@code moodle/course:enrolreview}), otherwise suspended enrolments too.
     */
    public List<EnrolledUser> enrolledUsers(long courseId, int from, int limit, boolean onlyActive) {
        List<Map<String, Object>> options = new ArrayList<>(List.of(
                Map.of("name", "limitfrom", "value", from), Map.of("name", "limitnumber", "value", limit),
                Map.of("name", "userfields", "value", "id,username,idnumber,groups,roles")));
        if (onlyActive) {
            options.add(Map.of("name", "onlyactive", "value", 1));
        }
        JsonNode b = call("core_enrol_get_enrolled_users", params("courseid", courseId, "options", options));
        List<EnrolledUser> out = new ArrayList<>();
        b.forEach(u -> {
            List<String> roles = new ArrayList<>();
            u.path("roles").forEach(r -> roles.add(r.path("shortname").asText()));
            List<Long> groups = new ArrayList<>();
            u.path("groups").forEach(g -> groups.add(g.path("id").asLong()));
            out.add(new EnrolledUser(u.path("id").asLong(), u.path("username").asText(), u.path("idnumber").asText(""), roles, groups));
        });
        return out;
    }

    public List<Group> courseGroups(long courseId) {
        JsonNode b = call("core_group_get_course_groups", params("courseid", courseId));
        List<Group> out = new ArrayList<>();
        b.forEach(g -> out.add(group(g)));
        return out;
    }

    public List<Group> createGroups(List<Map<String, Object>> groups) {
        JsonNode b = call("core_group_create_groups", Map.of("groups", groups));
        List<Group> out = new ArrayList<>();
        b.forEach(g -> out.add(group(g)));
        if (out.size() != groups.size()) {
            throw truncated("core_group_create_groups", groups.size(), out.size());
        }
        return out;
    }

    public List<GroupMembers> groupMembers(List<Long> groupIds) {
        JsonNode b = call("core_group_get_group_members", Map.of("groupids", groupIds));
        List<GroupMembers> out = new ArrayList<>();
        b.forEach(g -> {
            List<Long> ids = new ArrayList<>();
            g.path("userids").forEach(u -> ids.add(u.asLong()));
            out.add(new GroupMembers(g.path("groupid").asLong(), ids));
        });
        return out;
    }

    /** {@code members[i][groupid|userid]}; adding an existing member is a no-op. */
    public void addGroupMembers(List<Map<String, Object>> members) {
        call("core_group_add_group_members", Map.of("members", members));
    }

    public void deleteGroupMembers(List<Map<String, Object>> members) {
        call("core_group_delete_group_members", Map.of("members", members));
    }

    /** Creates course events; returns them in the order sent, with per-item warnings (e.g. {@code nopermissions}). */
    public CalendarCreated createCalendarEvents(List<Map<String, Object>> events) {
        JsonNode b = call("core_calendar_create_calendar_events", Map.of("events", events));
        List<Event> created = new ArrayList<>();
        b.path("events").forEach(e -> created.add(event(e)));
        return new CalendarCreated(created, warnings(b));
    }

    public record CalendarCreated(List<Event> events, List<Warning> warnings) {
    }

    /** Course events (no user or site events) of the given courses. */
    public List<Event> courseEvents(List<Long> courseIds) {
        JsonNode b = call("core_calendar_get_calendar_events", params(
                "events", Map.of("courseids", courseIds),
                "options", Map.of("userevents", 0, "siteevents", 0, "timestart", 0)));
        List<Event> out = new ArrayList<>();
        b.path("events").forEach(e -> out.add(event(e)));
        return out;
    }

    /** Deletes events the sync itself created (never a teacher's own). */
    public void deleteCalendarEvents(List<Long> eventIds) {
        List<Map<String, Object>> events = new ArrayList<>();
        eventIds.forEach(id -> events.add(Map.of("eventid", id, "repeat", 0)));
        call("core_calendar_delete_calendar_events", Map.of("events", events));
    }

    /**
     * Writes grades of one activity ({@code activityid} is the course-module id). Returns Moodle's status:
     * 0 OK, 1 FAILED, 2 MULTIPLE, 4 ITEM_LOCKED.
     */
    public int updateGrades(long courseId, String component, long cmid, int itemNumber, List<Map<String, Object>> grades) {
        JsonNode b = call("core_grades_update_grades", params("source", "qatysu-sync", "courseid", courseId,
                "component", component, "activityid", cmid, "itemnumber", itemNumber, "grades", grades));
        return b.asInt(1);
    }

    /** The gradebook of a course for one user (0 = all users, needs {@code moodle/grade:viewall}). */
    public List<GradeItem> gradeItems(long courseId, long userId) {
        JsonNode b = call("gradereport_user_get_grade_items", params("courseid", courseId, "userid", userId));
        List<GradeItem> out = new ArrayList<>();
        b.path("usergrades").forEach(ug -> ug.path("gradeitems").forEach(gi -> out.add(new GradeItem(
                gi.path("id").asLong(), gi.path("itemname").asText(""), gi.path("idnumber").asText(""),
                gi.path("itemtype").asText(""), gi.path("itemmodule").asText(""),
                gi.path("cmid").isNumber() ? gi.path("cmid").asLong() : null,
                ug.path("userid").asLong(), ug.path("useridnumber").asText(""),
                gi.path("graderaw").isNumber() ? gi.path("graderaw").asDouble() : null,
                gi.path("grademax").asDouble(100)))));
        return out;
    }

    private static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static User user(JsonNode u) {
        return new User(u.path("id").asLong(), u.path("username").asText(), u.path("idnumber").asText(""),
                u.path("email").asText(""), u.path("firstname").asText(""), u.path("lastname").asText(""),
                u.path("suspended").asBoolean(false), u.path("auth").asText(""));
    }

    private static Group group(JsonNode g) {
        return new Group(g.path("id").asLong(), g.path("courseid").asLong(), g.path("name").asText(), g.path("idnumber").asText(""));
    }

    private static Event event(JsonNode e) {
        return new Event(e.path("id").asLong(), e.path("name").asText(), e.path("description").asText(""),
                e.path("courseid").asLong(), e.path("groupid").asLong(0), e.path("timestart").asLong(), e.path("timeduration").asLong());
    }

    private static List<Warning> warnings(JsonNode b) {
        List<Warning> out = new ArrayList<>();
        if (b != null && b.isObject()) {
            b.path("warnings").forEach(w -> out.add(new Warning(w.path("item").asText(), w.path("itemid").asLong(),
                    w.path("warningcode").asText(), w.path("message").asText())));
        }
        return out;
    }

    private List<Created> created(String function, JsonNode b, int sent, String keyField) {
        if (!b.isArray()) {
            throw new HttpFailure(http.name(), HttpFailure.Kind.MALFORMED, 200, 1, function + ": expected an array, got " + b, null);
        }
        List<Created> out = new ArrayList<>();
        b.forEach(c -> out.add(new Created(c.path("id").asLong(), c.path(keyField).asText())));
        if (out.size() != sent) {
            throw truncated(function, sent, out.size());
        }
        return out;
    }

    private HttpFailure truncated(String function, int sent, int got) {
        return new HttpFailure(http.name(), HttpFailure.Kind.MALFORMED, 200, 1, function + ": sent " + sent
                + " records, Moodle answered for " + got + " — the post was probably truncated by PHP max_input_vars; "
                + "lower the batch size or raise max_input_vars", null);
    }
}
