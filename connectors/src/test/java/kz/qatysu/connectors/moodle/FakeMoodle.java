package kz.qatysu.connectors.moodle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A stateful Moodle stand-in for sync tests and benchmarks: a WireMock extension that keeps users, courses,
 * enrolments, groups, calendar events and grades in memory and answers the web-service functions the sync uses in
 * the shapes of the real 4.5 captures — HTTP 200 exception bodies, transactional rollback of a whole batch on the
 * first bad record, {@code null} for void functions, and PHP's silent {@code max_input_vars} truncation.
 */
public final class FakeMoodle implements ResponseDefinitionTransformerV2 {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WRITES = Set.of("core_user_create_users", "core_user_update_users", "core_course_create_courses",
            "core_course_update_courses", "core_course_duplicate_course", "enrol_manual_enrol_users", "core_group_create_groups", "core_group_add_group_members",
            "core_group_delete_group_members", "core_calendar_create_calendar_events", "core_calendar_delete_calendar_events",
            "core_grades_update_grades");

    public final Map<Long, Map<String, Object>> users = new ConcurrentHashMap<>();
    public final Map<Long, Map<String, Object>> courses = new ConcurrentHashMap<>();
    /** courseid → userid → {roleid, suspend} */
    public final Map<Long, Map<Long, Map<String, Object>>> enrolments = new ConcurrentHashMap<>();
    public final Map<Long, Map<String, Object>> groups = new ConcurrentHashMap<>();
    public final Map<Long, Set<Long>> groupMembers = new ConcurrentHashMap<>();
    public final Map<Long, Map<String, Object>> events = new ConcurrentHashMap<>();
    /** courseid → grade items {id, idnumber, itemtype, itemmodule, cmid (activities only), itemname, grademax} */
    public final Map<Long, List<Map<String, Object>>> gradeItems = new ConcurrentHashMap<>();
    /** cmid → userid → grade (activities' grade items) */
    public final Map<Long, Map<Long, Double>> grades = new ConcurrentHashMap<>();
    /** grade item id → userid → grade (manual grade items, which have no course module) */
    public final Map<Long, Map<Long, Double>> manualGrades = new ConcurrentHashMap<>();
    public final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    /** Look-up indexes, so the fake stays O(1) per record at benchmark sizes (kept by {@link #reindex()}). */
    private final Map<String, Map<String, Object>> userByUsername = new ConcurrentHashMap<>();
    private final Map<String, List<Map<String, Object>>> usersByIdnumber = new ConcurrentHashMap<>();
    private final Map<Long, List<Map<String, Object>>> eventsByCourse = new ConcurrentHashMap<>();
    private int indexedUsers = -1;
    /** A record whose field matches is rejected the way Moodle rejects it (e.g. an invalid e-mail). */
    public volatile Predicate<Map<String, Object>> poison = r -> false;
    public volatile int maxInputVars = 5000;
    public volatile long delayMillis = 0;
    /** A per-function delay (ms) replacing {@link #delayMillis}, e.g. the real site's 2.3 s per enrolment batch. */
    public final Map<String, Long> delayByFunction = new ConcurrentHashMap<>();
    /** Write calls per record ({@code user:<idnumber>}, {@code enrol:<course>/<user>}, {@code group:<course>/<idnumber>}, {@code member:<group>/<user>}). */
    public final Map<String, AtomicLong> writesPerRecord = new ConcurrentHashMap<>();
    /** When set, at most this many calls are processed (delayed) at once, like PHP's worker processes; others queue. */
    public volatile java.util.concurrent.Semaphore workers;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger maxInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicLong ids = new AtomicLong(100);

    /** Starts WireMock on a free port with this fake behind {@code /webservice/rest/server.php}. */
    public static WireMockServer start(FakeMoodle fake) {
        WireMockServer server = new WireMockServer(options().dynamicPort().extensions(fake).containerThreads(20)
                .disableRequestJournal()); // the fake counts calls itself; a journal of 100k bodies would dominate the heap
        server.start();
        server.stubFor(post(urlEqualTo(MoodleClient.ENDPOINT)).willReturn(aResponse().withTransformers(fake.getName())));
        return server;
    }

    @Override
    public String getName() {
        return "fake-moodle";
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    public long writeCalls() {
        return calls.entrySet().stream().filter(e -> WRITES.contains(e.getKey())).mapToLong(e -> e.getValue().get()).sum();
    }

    /** The most requests this fake was serving at the same moment. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Write calls that touched {@code record} (see {@link #writesPerRecord}). */
    public long writes(String record) {
        return writesPerRecord.getOrDefault(record, new AtomicLong()).get();
    }

    private void countWrite(String record) {
        writesPerRecord.computeIfAbsent(record, r -> new AtomicLong()).incrementAndGet();
    }

    public long calls(String function) {
        return calls.getOrDefault(function, new AtomicLong()).get();
    }

    public long addGradeItem(long courseId, String idnumber, String module) {
        long cmid = ids.incrementAndGet();
        gradeItems.computeIfAbsent(courseId, c -> new ArrayList<>()).add(new LinkedHashMap<>(Map.of("id", ids.incrementAndGet(),
                "idnumber", idnumber, "itemmodule", module, "cmid", cmid, "itemname", idnumber, "itemtype", "mod", "grademax", 100)));
        return cmid;
    }

    /**
     * A manual grade item (Gradebook setup → Add grade item, as in the Moodle 4.5 captures' RK1/RK2): it has no course
     * module, so core_grades_update_grades cannot write it; grades are typed in the gradebook ({@link #manualGrades}).
     */
    public long addManualGradeItem(long courseId, String idnumber, double grademax) {
        long id = ids.incrementAndGet();
        gradeItems.computeIfAbsent(courseId, c -> new ArrayList<>()).add(new LinkedHashMap<>(Map.of("id", id,
                "idnumber", idnumber, "itemname", idnumber, "itemtype", "manual", "grademax", grademax)));
        return id;
    }

    /** Sets a grade the way a teacher does in the gradebook: an activity's by its cmid, a manual item's by its id. */
    public void grade(long cmidOrItemId, long userId, double grade) {
        boolean manual = gradeItems.values().stream().flatMap(List::stream)
                .anyMatch(gi -> "manual".equals(gi.get("itemtype")) && gi.get("id").equals(cmidOrItemId));
        (manual ? manualGrades : grades).computeIfAbsent(cmidOrItemId, c -> new ConcurrentHashMap<>()).put(userId, grade);
    }

    /** One grade item of one user in the shape Moodle 4.5's gradereport_user_get_grade_items returns it. */
    private static Map<String, Object> userGradeItem(Map<String, Object> gi, Double raw) {
        boolean mod = "mod".equals(gi.get("itemtype"));
        double max = ((Number) gi.getOrDefault("grademax", 100)).doubleValue();
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", gi.get("id"));
        item.put("itemname", gi.get("itemname"));
        item.put("itemtype", gi.get("itemtype"));
        item.put("itemmodule", mod ? gi.get("itemmodule") : null);
        item.put("iteminstance", mod ? gi.get("cmid") : null);
        item.put("itemnumber", 0);
        item.put("idnumber", gi.get("idnumber"));
        item.put("categoryid", 2);
        item.put("outcomeid", null);
        item.put("scaleid", null);
        item.put("locked", false);
        if (mod) {
            item.put("cmid", gi.get("cmid"));
        }
        item.put("weightraw", 0);
        item.put("weightformatted", "0.00 %");
        if (raw == null) {
            item.put("status", "novalue");
        }
        gradeFields(item, raw, max);
        return item;
    }

    private static void gradeFields(Map<String, Object> item, Double raw, double max) {
        item.put("graderaw", raw);
        item.put("gradedatesubmitted", null);
        item.put("gradedategraded", raw == null ? null : 1796163183);
        item.put("gradehiddenbydate", false);
        item.put("gradeneedsupdate", false);
        item.put("gradeishidden", false);
        item.put("gradeislocked", false);
        item.put("gradeisoverridden", false);
        item.put("gradeformatted", raw == null ? "-" : String.format(java.util.Locale.ROOT, "%.2f", raw));
        item.put("grademin", 0);
        item.put("grademax", max == Math.rint(max) ? (Object) (long) max : (Object) max);
        item.put("rangeformatted", "0&ndash;" + (max == Math.rint(max) ? String.valueOf((long) max) : String.valueOf(max)));
        item.put("percentageformatted", raw == null ? "-" : String.format(java.util.Locale.ROOT, "%.2f %%", raw * 100 / max));
        item.put("feedback", "");
        item.put("feedbackformat", 2);
    }

    /** The course total as Moodle 4.5 lists it last: no name, no ID number, the sum of the graded items. */
    private static Map<String, Object> courseTotal(long course, double sum, double max) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", course * 1000);
        item.put("itemname", null);
        item.put("itemtype", "course");
        item.put("itemmodule", null);
        item.put("iteminstance", course);
        item.put("itemnumber", null);
        item.put("idnumber", null);
        item.put("categoryid", null);
        item.put("outcomeid", null);
        item.put("scaleid", null);
        item.put("locked", false);
        gradeFields(item, max == 0 ? null : sum, max == 0 ? 100 : max);
        return item;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            return serve(event);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private ResponseDefinition serve(ServeEvent event) {
        List<String[]> pairs = pairs(event.getRequest().getBodyAsString());
        if (pairs.size() > maxInputVars) {
            pairs = pairs.subList(0, maxInputVars); // what PHP does, silently
        }
        Map<String, Object> p = nest(pairs);
        String function = String.valueOf(p.getOrDefault("wsfunction", ""));
        long delay = delayByFunction.getOrDefault(function, delayMillis);
        java.util.concurrent.Semaphore pool = workers;
        if (pool != null) {
            pool.acquireUninterruptibly();
        }
        try {
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            if (pool != null) {
                pool.release();
            }
        }
        calls.computeIfAbsent(function, f -> new AtomicLong()).incrementAndGet();
        Object body;
        try {
            synchronized (this) {
                body = dispatch(function, p);
            }
        } catch (WsError e) {
            body = e.body();
        }
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder()
                .withStatus(200).withHeader("Content-type", "application/json").withBody(text).build();
    }

    private Object dispatch(String f, Map<String, Object> p) {
        return switch (f) {
            case "core_webservice_get_site_info" -> Map.of("sitename", "Fake Moodle", "release", "4.5.6 (Build: 20250811)",
                    "version", "2024100706", "userid", 2, "functions", List.of());
            case "core_user_get_users_by_field" -> {
                String field = (String) p.get("field");
                List<String> values = strings(p.get("values"));
                reindex();
                if (field.equals("username")) {
                    yield values.stream().map(userByUsername::get).filter(java.util.Objects::nonNull).toList();
                }
                if (field.equals("idnumber")) {
                    yield values.stream().flatMap(v -> usersByIdnumber.getOrDefault(v, List.of()).stream()).toList();
                }
                Set<String> set = Set.copyOf(values);
                yield users.values().stream().filter(u -> set.contains(String.valueOf(u.get(field)))).toList();
            }
            case "core_user_create_users" -> {
                List<Map<String, Object>> in = list(p.get("users"));
                List<Map<String, Object>> staged = new ArrayList<>();
                for (Map<String, Object> u : in) {
                    for (String required : List.of("username", "firstname", "lastname", "email")) {
                        if (!u.containsKey(required)) {
                            // what a post cut short by max_input_vars looks like when the cut falls inside a record
                            throw WsError.invalidParameter("Missing required key in single structure: " + required);
                        }
                    }
                    if (poison.test(u)) {
                        throw WsError.invalidParameter("Email address is invalid");
                    }
                    reindex();
                    boolean dup = userByUsername.containsKey(String.valueOf(u.get("username")))
                            || staged.stream().anyMatch(x -> x.get("username").equals(u.get("username")));
                    if (dup) {
                        throw WsError.invalidParameter("Username already exists: " + u.get("username"));
                    }
                    Map<String, Object> user = new LinkedHashMap<>(u);
                    user.put("id", ids.incrementAndGet());
                    user.put("suspended", false);
                    user.putIfAbsent("idnumber", "");
                    staged.add(user);
                }
                boolean indexed = indexedUsers == users.size();
                staged.forEach(u -> countWrite("user:" + u.get("idnumber")));
                staged.forEach(u -> users.put((Long) u.get("id"), u));
                if (indexed) {
                    staged.forEach(u -> {
                        userByUsername.put(String.valueOf(u.get("username")), u);
                        usersByIdnumber.computeIfAbsent(String.valueOf(u.get("idnumber")), k -> new ArrayList<>()).add(u);
                    });
                    indexedUsers = users.size();
                } else {
                    indexedUsers = -1;
                }
                yield staged.stream().map(u -> Map.of("id", u.get("id"), "username", u.get("username"))).toList();
            }
            case "core_user_update_users" -> {
                List<Map<String, Object>> warnings = new ArrayList<>();
                for (Map<String, Object> u : list(p.get("users"))) {
                    long id = Long.parseLong((String) u.get("id"));
                    Map<String, Object> user = users.get(id);
                    if (user == null || poison.test(u)) {
                        warnings.add(Map.of("item", "user", "itemid", id, "warningcode", user == null ? "invaliduserid" : "useremailinvalid",
                                "message", user == null ? "Invalid user ID" : "Invalid email address"));
                        continue;
                    }
                    countWrite("user:" + user.get("idnumber"));
                    u.forEach((k, v) -> {
                        if (!k.equals("id")) {
                            user.put(k, k.equals("suspended") ? "1".equals(v) : v);
                        }
                    });
                    indexedUsers = -1;
                }
                yield Map.of("warnings", warnings);
            }
            case "core_course_get_courses_by_field" -> {
                String field = (String) p.get("field");
                String value = (String) p.get("value");
                yield Map.of("courses", courses.values().stream().filter(c -> String.valueOf(c.get(field)).equals(value)).toList(),
                        "warnings", List.of());
            }
            case "core_course_create_courses" -> {
                List<Map<String, Object>> staged = new ArrayList<>();
                for (Map<String, Object> c : list(p.get("courses"))) {
                    if (poison.test(c)) {
                        throw new WsError("moodle_exception", "invalidcategoryid", "Invalid category id");
                    }
                    if (courses.values().stream().anyMatch(x -> x.get("shortname").equals(c.get("shortname")))) {
                        throw new WsError("moodle_exception", "shortnametaken", "Short name is already used for another course (" + c.get("shortname") + ")");
                    }
                    Map<String, Object> course = new LinkedHashMap<>(c);
                    course.put("id", ids.incrementAndGet());
                    staged.add(course);
                }
                staged.forEach(c -> courses.put((Long) c.get("id"), c));
                yield staged.stream().map(c -> Map.of("id", c.get("id"), "shortname", c.get("shortname"))).toList();
            }
            case "core_course_duplicate_course" -> {
                Map<String, Object> template = courses.get(Long.parseLong((String) p.get("courseid")));
                if (template == null) {
                    throw new WsError("dml_missing_record_exception", "invalidrecord", "Can't find data record in database table course.");
                }
                if (courses.values().stream().anyMatch(x -> x.get("shortname").equals(p.get("shortname")))) {
                    throw new WsError("moodle_exception", "shortnametaken", "Short name is already used for another course (" + p.get("shortname") + ")");
                }
                Map<String, Object> copy = new LinkedHashMap<>(template);
                copy.put("id", ids.incrementAndGet());
                copy.put("fullname", p.get("fullname"));
                copy.put("shortname", p.get("shortname"));
                copy.put("categoryid", p.get("categoryid"));
                copy.put("idnumber", ""); // a copy takes no idnumber
                copy.put("copiedfrom", template.get("id"));
                courses.put((Long) copy.get("id"), copy);
                gradeItems.getOrDefault((Long) template.get("id"), List.of()).forEach(gi -> {
                    Map<String, Object> item = new LinkedHashMap<>(gi);
                    item.put("id", ids.incrementAndGet());
                    if (item.containsKey("cmid")) {
                        item.put("cmid", ids.incrementAndGet());
                    }
                    gradeItems.computeIfAbsent((Long) copy.get("id"), c -> new ArrayList<>()).add(item);
                });
                yield Map.of("id", copy.get("id"), "shortname", copy.get("shortname"));
            }
            case "core_course_update_courses" -> {
                List<Map<String, Object>> warnings = new ArrayList<>();
                for (Map<String, Object> c : list(p.get("courses"))) {
                    Map<String, Object> course = courses.get(Long.parseLong((String) c.get("id")));
                    if (course == null) {
                        warnings.add(Map.of("item", "course", "itemid", Long.parseLong((String) c.get("id")), "warningcode", "unknowncourse",
                                "message", "Unknown course"));
                    } else {
                        course.putAll(c);
                        course.put("id", Long.parseLong((String) c.get("id")));
                    }
                }
                yield Map.of("warnings", warnings);
            }
            case "enrol_manual_enrol_users" -> {
                List<Map<String, Object>> in = list(p.get("enrolments"));
                for (Map<String, Object> e : in) {
                    long user = Long.parseLong((String) e.get("userid"));
                    long course = Long.parseLong((String) e.get("courseid"));
                    if (!users.containsKey(user) || !courses.containsKey(course) || poison.test(e)) {
                        throw new WsError("moodle_exception", "wsusercannotassign", "You don't have the permission to assign this role ("
                                + e.get("roleid") + ") to this user (" + user + ") in this course(" + course + ").");
                    }
                }
                for (Map<String, Object> e : in) {
                    countWrite("enrol:" + e.get("courseid") + "/" + e.get("userid"));
                    enrolments.computeIfAbsent(Long.parseLong((String) e.get("courseid")), c -> new ConcurrentHashMap<>())
                            .put(Long.parseLong((String) e.get("userid")), Map.of("roleid", e.get("roleid"),
                                    "suspend", "1".equals(e.get("suspend"))));
                }
                yield null;
            }
            case "core_enrol_get_enrolled_users" -> {
                long course = Long.parseLong((String) p.get("courseid"));
                Map<String, String> opts = new java.util.HashMap<>();
                list(p.get("options")).forEach(o -> opts.put(String.valueOf(o.get("name")), String.valueOf(o.get("value"))));
                boolean onlyActive = "1".equals(opts.get("onlyactive"));
                int from = Integer.parseInt(opts.getOrDefault("limitfrom", "0"));
                int limit = Integer.parseInt(opts.getOrDefault("limitnumber", "0"));
                var stream = new TreeMap<>(enrolments.getOrDefault(course, Map.of())).entrySet().stream()
                        .filter(e -> !onlyActive || !Boolean.TRUE.equals(e.getValue().get("suspend")))
                        .skip(from);
                if (limit > 0) {
                    stream = stream.limit(limit);
                }
                yield stream.map(e -> {
                    Map<String, Object> u = new LinkedHashMap<>(users.get(e.getKey()));
                    u.put("roles", List.of(Map.of("roleid", Long.parseLong(String.valueOf(e.getValue().get("roleid"))), "name", "",
                            "shortname", "role" + e.getValue().get("roleid"), "sortorder", 0)));
                    u.put("groups", groups.values().stream().filter(g -> g.get("courseid").equals(course)
                            && groupMembers.getOrDefault((Long) g.get("id"), Set.of()).contains(e.getKey()))
                            .map(g -> Map.of("id", g.get("id"), "name", g.get("name"), "description", "", "descriptionformat", 1)).toList());
                    return u;
                }).toList();
            }
            case "core_group_get_course_groups" -> {
                long course = Long.parseLong((String) p.get("courseid"));
                yield groups.values().stream().filter(g -> g.get("courseid").equals(course)).toList();
            }
            case "core_group_create_groups" -> {
                List<Map<String, Object>> staged = new ArrayList<>();
                for (Map<String, Object> g : list(p.get("groups"))) {
                    long course = Long.parseLong((String) g.get("courseid"));
                    if (groups.values().stream().anyMatch(x -> x.get("courseid").equals(course) && x.get("name").equals(g.get("name")))) {
                        throw WsError.invalidParameter("Group with the same name already exists in the course");
                    }
                    Map<String, Object> group = new LinkedHashMap<>(g);
                    group.put("id", ids.incrementAndGet());
                    group.put("courseid", course);
                    staged.add(group);
                }
                staged.forEach(g -> countWrite("group:" + g.get("courseid") + "/" + g.get("idnumber")));
                staged.forEach(g -> groups.put((Long) g.get("id"), g));
                yield staged;
            }
            case "core_group_get_group_members" -> {
                List<Long> ids = strings(p.get("groupids")).stream().map(Long::parseLong).toList();
                for (Long g : ids) {
                    if (!groups.containsKey(g)) {
                        // groups_get_group(…, MUST_EXIST): one deleted group fails the whole call
                        throw new WsError("dml_missing_record_exception", "invalidrecord", "Can't find data record in database table groups.");
                    }
                }
                yield ids.stream().map(g -> Map.of("groupid", g, "userids", List.copyOf(new java.util.TreeSet<>(groupMembers.getOrDefault(g, Set.of()))))).toList();
            }
            case "core_group_add_group_members", "core_group_delete_group_members" -> {
                List<Map<String, Object>> in = list(p.get("members"));
                boolean add = f.equals("core_group_add_group_members");
                for (Map<String, Object> m : in) {
                    long g = Long.parseLong((String) m.get("groupid"));
                    long u = Long.parseLong((String) m.get("userid"));
                    Map<String, Object> group = groups.get(g);
                    if (group == null) {
                        throw new WsError("dml_missing_record_exception", "invalidrecord", "Can't find data record in database table groups.");
                    }
                    if (add && !enrolments.getOrDefault((Long) group.get("courseid"), Map.of()).containsKey(u)) {
                        throw WsError.invalidParameter("Only enrolled users may be members of groups");
                    }
                }
                for (Map<String, Object> m : in) {
                    countWrite("member:" + m.get("groupid") + "/" + m.get("userid"));
                    Set<Long> members = groupMembers.computeIfAbsent(Long.parseLong((String) m.get("groupid")), g -> ConcurrentHashMap.newKeySet());
                    if (add) {
                        members.add(Long.parseLong((String) m.get("userid")));
                    } else {
                        members.remove(Long.parseLong((String) m.get("userid")));
                    }
                }
                yield null;
            }
            case "core_calendar_create_calendar_events" -> {
                List<Map<String, Object>> created = new ArrayList<>();
                for (Map<String, Object> e : list(p.get("events"))) {
                    if (poison.test(e)) {
                        throw WsError.invalidParameter("Invalid event");
                    }
                    Map<String, Object> ev = new LinkedHashMap<>();
                    ev.put("id", ids.incrementAndGet());
                    ev.put("name", e.get("name"));
                    ev.put("description", e.getOrDefault("description", ""));
                    ev.put("courseid", Long.parseLong((String) e.getOrDefault("courseid", "0")));
                    ev.put("groupid", Long.parseLong((String) e.getOrDefault("groupid", "0")));
                    ev.put("eventtype", e.getOrDefault("eventtype", "user"));
                    ev.put("timestart", Long.parseLong((String) e.get("timestart")));
                    ev.put("timeduration", Long.parseLong((String) e.getOrDefault("timeduration", "0")));
                    created.add(ev);
                }
                created.forEach(ev -> {
                    events.put((Long) ev.get("id"), ev);
                    eventsByCourse.computeIfAbsent((Long) ev.get("courseid"), c -> new ArrayList<>()).add(ev);
                });
                yield Map.of("events", created, "warnings", List.of());
            }
            case "core_calendar_get_calendar_events" -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> ev = (Map<String, Object>) p.getOrDefault("events", Map.of());
                Set<Long> courseIds = Set.copyOf(strings(ev.get("courseids")).stream().map(Long::parseLong).toList());
                yield Map.of("events", courseIds.stream().flatMap(c -> eventsByCourse.getOrDefault(c, List.of()).stream())
                        .filter(e -> events.containsKey((Long) e.get("id"))).toList(), "warnings", List.of());
            }
            case "core_calendar_delete_calendar_events" -> {
                List<Map<String, Object>> in = list(p.get("events"));
                for (Map<String, Object> e : in) {
                    if (!events.containsKey(Long.parseLong((String) e.get("eventid")))) {
                        throw new WsError("dml_missing_record_exception", "invalidrecord", "Can't find data record in database table event.");
                    }
                }
                in.forEach(e -> events.remove(Long.parseLong((String) e.get("eventid"))));
                yield null;
            }
            case "core_grades_update_grades" -> {
                long cmid = Long.parseLong((String) p.get("activityid"));
                Map<Long, Double> g = grades.computeIfAbsent(cmid, c -> new ConcurrentHashMap<>());
                for (Map<String, Object> x : list(p.get("grades"))) {
                    g.put(Long.parseLong((String) x.get("studentid")), Double.parseDouble((String) x.get("grade")));
                }
                yield 0;
            }
            case "gradereport_user_get_grade_items" -> {
                long course = Long.parseLong((String) p.get("courseid"));
                if (!courses.containsKey(course)) {
                    throw new WsError("dml_missing_record_exception", "invalidrecord", "Can't find data record in database table course.");
                }
                List<Map<String, Object>> usergrades = new ArrayList<>();
                for (Long uid : enrolments.getOrDefault(course, Map.of()).keySet()) {
                    List<Map<String, Object>> items = new ArrayList<>();
                    double sum = 0;
                    double max = 0;
                    for (Map<String, Object> gi : gradeItems.getOrDefault(course, List.of())) {
                        boolean manual = "manual".equals(gi.get("itemtype"));
                        Double raw = manual ? manualGrades.getOrDefault((Long) gi.get("id"), Map.of()).get(uid)
                                : grades.getOrDefault((Long) gi.get("cmid"), Map.of()).get(uid);
                        items.add(userGradeItem(gi, raw));
                        if (raw != null) {
                            sum += raw;
                            max += ((Number) gi.getOrDefault("grademax", 100)).doubleValue();
                        }
                    }
                    items.add(courseTotal(course, sum, max));
                    Map<String, Object> u = users.get(uid);
                    Map<String, Object> ug = new LinkedHashMap<>();
                    ug.put("courseid", course);
                    ug.put("courseidnumber", courses.get(course).getOrDefault("idnumber", ""));
                    ug.put("userid", uid);
                    ug.put("userfullname", u.get("firstname") + " " + u.get("lastname"));
                    ug.put("useridnumber", u.get("idnumber"));
                    ug.put("maxdepth", 2);
                    ug.put("gradeitems", items);
                    usergrades.add(ug);
                }
                yield Map.of("usergrades", usergrades, "warnings", List.of());
            }
            default -> throw new WsError("dml_missing_record_exception", "invalidrecord",
                    "Can't find data record in database table external_functions.");
        };
    }

    /** Rebuilds the user indexes after users changed (tests also put users into {@link #users} directly). */
    private void reindex() {
        if (indexedUsers == users.size() && indexedUsers >= 0) {
            return;
        }
        userByUsername.clear();
        usersByIdnumber.clear();
        for (Map<String, Object> u : users.values()) {
            userByUsername.put(String.valueOf(u.get("username")), u);
            usersByIdnumber.computeIfAbsent(String.valueOf(u.get("idnumber")), k -> new ArrayList<>()).add(u);
        }
        indexedUsers = users.size();
    }

    /** An error body exactly as Moodle sends it (HTTP 200). */
    static final class WsError extends RuntimeException {
        final String exception;
        final String errorcode;
        final String message;
        final String debuginfo;

        WsError(String exception, String errorcode, String message) {
            this(exception, errorcode, message, null);
        }

        WsError(String exception, String errorcode, String message, String debuginfo) {
            super(message);
            this.exception = exception;
            this.errorcode = errorcode;
            this.message = message;
            this.debuginfo = debuginfo;
        }

        static WsError invalidParameter(String debug) {
            return new WsError("core\\exception\\invalid_parameter_exception", "invalidparameter", "Invalid parameter value detected", debug);
        }

        Map<String, Object> body() {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("exception", exception);
            b.put("errorcode", errorcode);
            b.put("message", message);
            if (debuginfo != null) {
                b.put("debuginfo", debuginfo);
            }
            return b;
        }
    }

    private static List<String[]> pairs(String body) {
        List<String[]> out = new ArrayList<>();
        for (String part : body.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            out.add(new String[] {URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8)});
        }
        return out;
    }

    /** PHP's parsing of {@code a[0][b]=v}: nested maps, numeric keys kept in numeric order. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> nest(List<String[]> pairs) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (String[] kv : pairs) {
            String key = kv[0];
            int b = key.indexOf('[');
            List<String> path = new ArrayList<>();
            path.add(b < 0 ? key : key.substring(0, b));
            if (b >= 0) {
                for (String seg : key.substring(b + 1, key.length() - 1).split("\\]\\[")) {
                    path.add(seg);
                }
            }
            Map<String, Object> node = root;
            for (int i = 0; i < path.size() - 1; i++) {
                node = (Map<String, Object>) node.computeIfAbsent(path.get(i), k -> new TreeMap<String, Object>(FakeMoodle::compareKeys));
            }
            node.put(path.getLast(), kv[1]);
        }
        return root;
    }

    private static int compareKeys(String a, String b) {
        boolean na = a.chars().allMatch(Character::isDigit);
        boolean nb = b.chars().allMatch(Character::isDigit);
        if (na && nb) {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        }
        return a.compareTo(b);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        if (o == null) {
            return List.of();
        }
        return ((Map<String, Object>) o).values().stream().map(v -> (Map<String, Object>) v).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        if (o == null) {
            return List.of();
        }
        return ((Map<String, Object>) o).values().stream().map(String::valueOf).toList();
    }
}
