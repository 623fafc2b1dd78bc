package kz.qatysu.tool;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.HandlerType;
import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static kz.qatysu.tool.excuses.DeansFixture.SECTION;
import static kz.qatysu.tool.excuses.DeansFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One authorization matrix over every route of {@link Routes} and {@code CheckinRoutes}, against the real tool:
 * two sections (ATT101-2025: students P-1001 "A" and P-1002 "B", teacher T-7 "T1"; SEC2-2025: student P-2001 "S2",
 * teacher T-8 "T2"), each person launched through the OIDC flow in their own browser, the dean's office signed in,
 * and API tokens of every scope. Each row is (actor, method, path, expected status, and for pages that show people:
 * what must and must not appear). Rows run in order, as listed; the last test fails when a route is registered
 * without a row here (or a row names a route that no longer exists).
 *
 * <p>Path placeholders: {@code {launch}} the actor's own launch key, {@code {launch:X}} actor X's (without X's
 * cookie: another browser's launch), {@code {id}} values found during set-up (excuse, check-in and roll-call ids, a
 * platform, a token). Form value {@code {csrf}} is the actor's CSRF token (course session or admin session).
 */
class AuthorizationMatrixTest {
    static final String SECTION2 = "SEC2-2025";
    static final String WRONG_TOKEN = "qat_not-a-token-0000000000000000000000";
    static final byte[] PDF = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    static DeansFixture f;
    /** Browser actors: "anon" (a fresh browser each request), LTI launches, "admin" (signed in), "student-cookie". */
    static final Map<String, Actor> actors = new LinkedHashMap<>();
    /** API tokens by name: none, wrong, sync, read (standing:read), overrides, admin. */
    static final Map<String, String> tokens = new LinkedHashMap<>();
    static final String BBB_SECRET = "matrix-bbb-security-salt-0123456789";
    /** Routes a caller other than an API token authenticates: BigBlueButton signs its callback with its own secret. */
    static final Set<String> CALLBACKS = Set.of("POST /api/v1/videoconf/bbb/analytics");
    static final Map<String, String> ids = new LinkedHashMap<>();
    /** Admin-area routes that are ways in (no session yet): they answer 403 / 404, not 401. */
    static final Set<String> SIGN_IN = Set.of("POST /admin/signin", "POST /admin/staff/enter", "GET /admin/oidc/start",
            "GET /admin/oidc/callback");

    record Actor(String name, Browser browser, String launch, String csrf) {
    }

    /** What a row expects: the status, and text that must (not) be in the body ("own data only"). */
    record Expect(int status, List<String> contains, List<String> absent) {
        static Expect status(int status) {
            return new Expect(status, List.of(), List.of());
        }

        Expect showing(String... texts) {
            return new Expect(status, List.of(texts), absent);
        }

        Expect hiding(String... texts) {
            return new Expect(status, contains, List.of(texts));
        }
    }

    /**
     * One cell of the matrix. {@code route} is the registered pattern ("GET /app/{launch}/sessions/{sessionId}");
     * {@code actor} a browser actor or {@code token:<name>}; {@code form}/{@code json} the body (multipart when
     * {@code multipart}).
     */
    record Row(String route, String actor, String path, Map<String, String> form, String json, boolean multipart, Expect expect) {
        String method() {
            return route.substring(0, route.indexOf(' '));
        }

        @Override
        public String toString() {
            return actor + " " + method() + " " + path + (form != null && form.containsKey("_csrf") ? " (csrf)" : "")
                    + " → " + expect.status + (expect.contains.isEmpty() && expect.absent.isEmpty() ? "" : " own data only");
        }
    }

    @BeforeAll
    static void start() {
        // moodle[0]: the fixture's platform with a Moodle that is not there (nothing listens on port 9)
        f = DeansFixture.start(Map.of("QATYSU_VIDEOCONF_BBB_SECRET", BBB_SECRET, "QATYSU_MOODLE_0_ISSUER", "https://moodle.example.kz",
                "QATYSU_MOODLE_0_URL", "http://127.0.0.1:9", "QATYSU_MOODLE_0_TOKEN", "matrix-moodle-token"));
        // the excuse form offers a student's own absences (and sessions to come): the excused sessions are absences
        f.absent("P-1001", "S-1", "S-2", "S-8");
        f.absent("P-1002", "S-5", "S-6");
        ok(api("PUT", "/api/v1/sections/" + SECTION2, "{\"title\":\"Second section\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\",\"faculty\":\"ECO\"}", RunningTool.ADMIN_TOKEN));
        ok(api("PUT", "/api/v1/sections/" + SECTION2 + "/sessions", section2Timetable(), RunningTool.ADMIN_TOKEN));
        ok(api("PUT", "/api/v1/sections/" + SECTION2 + "/enrolments", section2Roster(), RunningTool.ADMIN_TOKEN));
        for (String x : List.of("X-1", "X-2")) {
            ok(api("PUT", "/api/v1/sessions/" + x + "/marks", "[{\"personId\":\"P-2001\",\"status\":\"ABSENT\"}]",
                    RunningTool.ADMIN_TOKEN));
        }
        ok(api("PUT", "/api/v1/sessions/X-1/marks", "[{\"personId\":\"P-2001\",\"status\":\"ABSENT\"}]", RunningTool.ADMIN_TOKEN));
        // two local course sections (courses that launched without a section code), for the mapping routes
        for (String local : List.of("lti-1-matrix-api", "lti-1-matrix-page")) {
            ok(api("PUT", "/api/v1/sections/" + local, "{\"title\":\"Local course\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\"}",
                    RunningTool.ADMIN_TOKEN));
        }

        // proctored exams: one of each section, open now
        for (String[] e : new String[][]{{"mx-exam", SECTION}, {"mx-exam2", SECTION2}}) {
            java.time.Instant now = java.time.Instant.now();
            var exam = new kz.qatysu.tool.proctoring.exams.Exam(e[0], e[1], "Exam", kz.qatysu.tool.proctoring.exams.Exam.ExamKind.MIDTERM,
                    now.minusSeconds(3600), now.plusSeconds(3 * 3600), true, kz.qatysu.tool.proctoring.exams.Exam.Checks.ALL, 10, true, 2, 1,
                    "T-7", now, "T-7", now);
            f.tool.database().jdbi().useHandle(h -> f.tool.app().proctoredExams().insert(h, exam));
        }
        launch("A", "5", "P-1001", SECTION, "2", false, false);
        launch("B", "6", "P-1002", SECTION, "2", false, false);
        launch("T1", "3", "T-7", SECTION, "2", true, false);
        launch("S2", "21", "P-2001", SECTION2, "3", false, false);
        launch("T2", "22", "T-8", SECTION2, "3", true, false);
        launch("DL", "3", "T-7", SECTION, "2", true, true);
        launch("G", "9", "P-9009", SECTION, "2", false, false); // roles #None: a guest (least privilege)
        Browser admin = f.admin();
        actors.put("admin", new Actor("admin", admin, null, csrfOf(admin, "/admin/sections/" + SECTION)));
        // a dean's office of faculty ECO (SECTION2 only), signed in by a launch of the staff link
        ok(api("PUT", "/api/v1/admin/staff/D-500", "{\"displayName\":\"Dean Eco\",\"roles\":[\"DEANS_OFFICE\"],\"faculties\":[\"ECO\"]}",
                RunningTool.ADMIN_TOKEN));
        Browser dean = kz.qatysu.tool.staff.StaffLogin.signIn(f, "D-500", "Dean Eco");
        actors.put("dean", new Actor("dean", dean, null, csrfOf(dean, "/admin/sections/" + SECTION2)));
        // an adviser (role ADVISER, implied by the portal's links) of P-1001 and P-2001, in two sections
        f.tool.database().jdbi().useHandle(h -> h.execute("""
                INSERT INTO student_adviser (student_id, adviser_id, updated_at) VALUES ('P-1001', 'ADV-1', now()), ('P-2001', 'ADV-1', now())"""));
        Browser adviser = kz.qatysu.tool.staff.StaffLogin.signIn(f, "ADV-1", "Adviser One");
        actors.put("adviser", new Actor("adviser", adviser, null, csrfOf(adviser, "/admin/advisees")));
        Browser signOut = f.admin();
        actors.put("admin-signout", new Actor("admin-signout", signOut, null, csrfOf(signOut, "/admin/sections/" + SECTION)));

        // excuses with documents: A's (S-1), B's (S-5), S2's
        ids.put("excA", String.valueOf(excuse("A", "S-1")));
        ids.put("excB", String.valueOf(excuse("B", "S-5")));
        ids.put("excB2", String.valueOf(excuse("B", "S-6")));
        ids.put("excS2", String.valueOf(excuse("S2", "X-1")));
        ids.put("excS2b", String.valueOf(excuse("S2", "X-2")));
        // a check-in open in each section, a roll call in each section
        ids.put("chkS1", String.valueOf(openCheckin("T1", "S-3")));
        ids.put("chkS2", String.valueOf(openCheckin("T2", "X-2")));
        ids.put("rcS1", String.valueOf(rollCall("T1", "S-4")));
        ids.put("rcS2", String.valueOf(rollCall("T2", "X-3")));

        tokens.put("none", null);
        tokens.put("wrong", WRONG_TOKEN);
        tokens.put("sync", issue("sync-daemon", "sync"));
        tokens.put("read", issue("reader", "standing:read"));
        tokens.put("overrides", issue("dean", "overrides"));
        tokens.put("admin", issue("second admin", "admin"));
        tokens.put("bbb", bbbToken(BBB_SECRET));
        tokens.put("metrics", issue("prometheus", "metrics"));
        ids.put("throwawayToken", String.valueOf(ok(api("POST", "/api/v1/admin/tokens",
                "{\"name\":\"throwaway\",\"scopes\":[\"sync\"]}", RunningTool.ADMIN_TOKEN)).path("id").asLong()));
        ids.put("platform3", String.valueOf(ok(api("POST", "/api/v1/admin/platforms", platformJson("https://third.example.kz"),
                RunningTool.ADMIN_TOKEN)).path("id").asLong()));
        ids.put("platform4", String.valueOf(ok(api("POST", "/api/v1/admin/platforms", platformJson("https://fourth.example.kz"),
                RunningTool.ADMIN_TOKEN)).path("id").asLong()));
        ProctorSideMatrix.setUp();
        OpenEdxMatrix.setUp();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    // ---- the matrix --------------------------------------------------------------------------------------------

    static List<Row> matrix() {
        M m = new M();
        // LTI 1.3 and public endpoints: no sign-in needed, and nothing of anybody's data
        m.route("GET /lti/login").as("anon", "/lti/login", 400);
        m.route("POST /lti/login").post("anon", "/lti/login", Map.of("iss", "https://unknown.example"), 400);
        m.route("POST /lti/launch").post("anon", "/lti/launch", Map.of("id_token", "x.y.z", "state", "forged"), 401);
        m.route("GET /.well-known/jwks.json").as("anon", "/.well-known/jwks.json", 200);
        m.route("GET /lti/register").as("anon", "/lti/register", 403);
        m.route("POST /lti/register").post("anon", "/lti/register", Map.of(), 403);
        m.route("GET /lti/register/{code}").as("anon", "/lti/register/forged-code?openid_configuration=https%3A%2F%2Fmoodle.example.kz%2Fmod%2Flti%2Fopenid-configuration.php", 404);
        m.route("POST /lti/register/{code}").post("anon", "/lti/register/forged-code", Map.of("openid_configuration",
                "https://moodle.example.kz/mod/lti/openid-configuration.php"), 403);
        m.route("GET /health").as("anon", "/health", 200);
        // observability: readiness without sign-in; Prometheus metrics with a token of the scope metrics (or admin)
        m.route("GET /ready").as("anon", "/ready", 200).as("A", "/ready", 200);
        m.route("GET /metrics").as("anon", "/metrics", 401).as("admin", "/metrics", 401);
        m.rows.add(new Row("GET /metrics", "token:none", "/metrics", null, null, false, Expect.status(401)));
        m.rows.add(new Row("GET /metrics", "token:wrong", "/metrics", null, null, false, Expect.status(401)));
        for (String t : List.of("sync", "read", "overrides")) {
            m.rows.add(new Row("GET /metrics", "token:" + t, "/metrics", null, null, false, Expect.status(403)));
        }
        m.rows.add(new Row("GET /metrics", "token:metrics", "/metrics", null, null, false,
                Expect.status(200).showing("qatysu_lti_launches_total")));
        m.rows.add(new Row("GET /metrics", "token:admin", "/metrics", null, null, false, Expect.status(200)));
        m.route("GET /api/v1/openapi.json").as("anon", "/api/v1/openapi.json", 200);

        // course home: own launch only; students see themselves, teachers their section
        m.route("GET /app/{launch}/")
                .as("anon", "/app/{launch:A}/", 401)
                .as("B", "/app/{launch:A}/", 401)
                .as("T1", "/app/{launch:A}/", 401)
                .expect("A", "/app/{launch}/", Expect.status(200).hiding("P-1002", "P-2001"))
                .expect("T1", "/app/{launch}/", Expect.status(200).showing("P-1001", "P-1002").hiding("P-2001"))
                .expect("T2", "/app/{launch}/", Expect.status(200).showing("P-2001").hiding("P-1001", "P-1002"))
                .expect("G", "/app/{launch}/", Expect.status(200).hiding("P-1001", "P-1002"));
        // marking grid: teachers only, sessions of their own section only (IDOR by swapping the session id)
        m.route("GET /app/{launch}/sessions/{sessionId}")
                .as("anon", "/app/{launch:T1}/sessions/S-1", 401)
                .as("A", "/app/{launch:T1}/sessions/S-1", 401)
                .as("A", "/app/{launch}/sessions/S-1", 403)
                .as("T1", "/app/{launch}/sessions/X-1", 404)
                .as("T2", "/app/{launch}/sessions/S-1", 404)
                .as("G", "/app/{launch}/sessions/S-1", 403)
                .expect("T1", "/app/{launch}/sessions/S-1", Expect.status(200).showing("P-1001", "P-1002").hiding("P-2001"));
        m.route("POST /app/{launch}/sessions/{sessionId}/marks")
                .post("anon", "/app/{launch:T1}/sessions/S-7/marks", marks("x", "P-1001"), 401)
                .post("T1", "/app/{launch}/sessions/S-7/marks", Map.of("p.0", "P-1001", "s.0", "ABSENT"), 403)
                .post("A", "/app/{launch}/sessions/S-7/marks", marks("{csrf}", "P-1001"), 403)
                .post("G", "/app/{launch}/sessions/S-7/marks", marks("{csrf}", "P-1001"), 403)
                .post("T1", "/app/{launch}/sessions/X-4/marks", marks("{csrf}", "P-2001"), 404)
                .post("T1", "/app/{launch}/sessions/S-7/marks", marks("{csrf}", "P-2001"), 422)
                .post("T1", "/app/{launch}/sessions/S-7/marks", marks("{csrf}", "P-1001"), 303);
        // online evidence of a session (the section's teachers only)
        m.route("GET /app/{launch}/sessions/{sessionId}/evidence")
                .as("anon", "/app/{launch:T1}/sessions/S-1/evidence", 401)
                .as("A", "/app/{launch}/sessions/S-1/evidence", 403)
                .as("G", "/app/{launch}/sessions/S-1/evidence", 403)
                .as("T2", "/app/{launch}/sessions/S-1/evidence", 404)
                .as("T1", "/app/{launch}/sessions/X-1/evidence", 404)
                .as("T1", "/app/{launch}/sessions/S-1/evidence", 200);
        m.route("POST /app/{launch}/sessions/{sessionId}/evidence/meeting")
                .post("anon", "/app/{launch:T1}/sessions/S-1/evidence/meeting", Map.of("platform", "bbb", "meetingId", "room-1"), 401)
                .post("T1", "/app/{launch}/sessions/S-1/evidence/meeting", Map.of("platform", "bbb", "meetingId", "room-1"), 403)
                .post("A", "/app/{launch}/sessions/S-1/evidence/meeting", Map.of("_csrf", "{csrf}", "platform", "bbb", "meetingId", "room-1"), 403)
                .post("T2", "/app/{launch}/sessions/S-1/evidence/meeting", Map.of("_csrf", "{csrf}", "platform", "bbb", "meetingId", "room-1"), 404)
                .post("T1", "/app/{launch}/sessions/S-1/evidence/meeting", Map.of("_csrf", "{csrf}", "platform", "bbb", "meetingId", "room-1"), 303);
        m.route("POST /app/{launch}/sessions/{sessionId}/evidence/zoom")
                .post("anon", "/app/{launch:T1}/sessions/S-1/evidence/zoom", Map.of(), 401)
                .post("T1", "/app/{launch}/sessions/S-1/evidence/zoom", Map.of(), 403)
                .post("A", "/app/{launch}/sessions/S-1/evidence/zoom", Map.of("_csrf", "{csrf}"), 403)
                .post("T2", "/app/{launch}/sessions/S-1/evidence/zoom", Map.of("_csrf", "{csrf}"), 404)
                .post("T1", "/app/{launch}/sessions/S-1/evidence/zoom", Map.of("_csrf", "{csrf}"), 422); // Zoom not configured
        m.route("POST /app/{launch}/sessions/{sessionId}/evidence/csv")
                .multipart("anon", "/app/{launch:T1}/sessions/S-1/evidence/csv", Map.of(), 401)
                .multipart("A", "/app/{launch}/sessions/S-1/evidence/csv", Map.of("_csrf", "{csrf}"), 403)
                .multipart("T1", "/app/{launch}/sessions/S-1/evidence/csv", Map.of(), 403)
                .multipart("T2", "/app/{launch}/sessions/S-1/evidence/csv", Map.of("_csrf", "{csrf}"), 404);
        m.route("POST /app/{launch}/sessions/{sessionId}/evidence/take")
                .post("anon", "/app/{launch:T1}/sessions/S-1/evidence/take", Map.of("p.0", "P-1001", "take.0", "on"), 401)
                .post("T1", "/app/{launch}/sessions/S-1/evidence/take", Map.of("p.0", "P-1001", "take.0", "on"), 403)
                .post("A", "/app/{launch}/sessions/S-1/evidence/take", Map.of("_csrf", "{csrf}", "p.0", "P-1001", "take.0", "on"), 403)
                .post("T2", "/app/{launch}/sessions/S-1/evidence/take", Map.of("_csrf", "{csrf}", "p.0", "P-1001", "take.0", "on"), 404)
                .post("T1", "/app/{launch}/sessions/S-1/evidence/take", Map.of("_csrf", "{csrf}"), 422); // nothing ticked
        // the roster from the LMS (NRPS): the section's teachers; refused where the portal sent the roster
        m.route("GET /app/{launch}/roster")
                .as("anon", "/app/{launch:T1}/roster", 401)
                .as("A", "/app/{launch}/roster", 403)
                .as("G", "/app/{launch}/roster", 403)
                .expect("T1", "/app/{launch}/roster", Expect.status(200).showing("id=\"not-offered\""));
        m.route("POST /app/{launch}/roster/import")
                .post("anon", "/app/{launch:T1}/roster/import", Map.of(), 401)
                .post("T1", "/app/{launch}/roster/import", Map.of(), 403)
                .post("A", "/app/{launch}/roster/import", Map.of("_csrf", "{csrf}"), 403)
                .post("T1", "/app/{launch}/roster/import", Map.of("_csrf", "{csrf}"), 409);
        m.route("GET /app/{launch}/timetable/new")
                .as("anon", "/app/{launch:T1}/timetable/new", 401)
                .as("A", "/app/{launch}/timetable/new", 403)
                .as("G", "/app/{launch}/timetable/new", 403)
                .as("T1", "/app/{launch}/timetable/new", 200);
        m.route("POST /app/{launch}/timetable")
                .post("anon", "/app/{launch:T1}/timetable", newSession("x"), 401)
                .post("A", "/app/{launch}/timetable", newSession("{csrf}"), 403)
                .post("T1", "/app/{launch}/timetable", newSession("forged"), 403)
                .post("T1", "/app/{launch}/timetable", newSession("{csrf}"), 303);
        // deep linking: a teacher's deep-linking launch only
        m.route("GET /app/{launch}/deep-linking")
                .as("anon", "/app/{launch:DL}/deep-linking", 401)
                .as("T1", "/app/{launch:DL}/deep-linking", 401)
                .as("T1", "/app/{launch}/deep-linking", 403)
                .as("A", "/app/{launch}/deep-linking", 403)
                .as("DL", "/app/{launch}/deep-linking", 200);
        m.route("POST /app/{launch}/deep-linking")
                .post("anon", "/app/{launch:DL}/deep-linking", Map.of("resource", "attendance"), 401)
                .post("DL", "/app/{launch}/deep-linking", Map.of("resource", "attendance"), 403)
                .post("T1", "/app/{launch}/deep-linking", Map.of("_csrf", "{csrf}", "resource", "attendance"), 403)
                .post("DL", "/app/{launch}/deep-linking", Map.of("_csrf", "{csrf}", "resource", "attendance"), 200);
        // exam gate: a student sees only their own admission, a teacher their own section's
        m.route("GET /app/{launch}/exam-gate")
                .as("anon", "/app/{launch:A}/exam-gate", 401)
                .expect("A", "/app/{launch}/exam-gate", Expect.status(200).hiding("P-1002", "P-2001"))
                .expect("G", "/app/{launch}/exam-gate", Expect.status(200).hiding("P-1001", "P-1002"))
                .expect("T1", "/app/{launch}/exam-gate", Expect.status(200).showing("P-1001", "P-1002").hiding("P-2001"))
                .expect("T2", "/app/{launch}/exam-gate", Expect.status(200).showing("P-2001").hiding("P-1001"));

        // excuses in a course: own (students), own section's (teachers)
        m.route("GET /app/{launch}/excuses")
                .as("anon", "/app/{launch:A}/excuses", 401)
                .as("B", "/app/{launch:A}/excuses", 401)
                .expect("A", "/app/{launch}/excuses", Expect.status(200).showing("excuse-{excA}").hiding("excuse-{excB}", "excuse-{excS2}"))
                .expect("G", "/app/{launch}/excuses", Expect.status(200).hiding("excuse-{excA}", "excuse-{excB}"))
                .expect("T1", "/app/{launch}/excuses", Expect.status(200).showing("excuse-{excA}", "excuse-{excB}").hiding("excuse-{excS2}"))
                .expect("T2", "/app/{launch}/excuses", Expect.status(200).showing("excuse-{excS2}").hiding("excuse-{excA}"));
        m.route("POST /app/{launch}/excuses")
                .multipart("anon", "/app/{launch:A}/excuses", excuseForm("x", "S-8"), 401)
                .multipart("A", "/app/{launch}/excuses", excuseForm(null, "S-8"), 403)
                .multipart("A", "/app/{launch}/excuses", excuseForm("{csrf}", "X-4"), 400)
                .multipart("A", "/app/{launch}/excuses", excuseForm("{csrf}", "S-8"), 303);
        m.route("POST /app/{launch}/excuses/{id}/{decision}")
                .post("anon", "/app/{launch:T1}/excuses/{excB}/reject", Map.of("_csrf", "x"), 401)
                .post("A", "/app/{launch}/excuses/{excA}/approve", Map.of("_csrf", "{csrf}"), 403)
                .post("G", "/app/{launch}/excuses/{excA}/reject", Map.of("_csrf", "{csrf}", "comment", "x"), 403)
                .post("B", "/app/{launch}/excuses/{excA}/reject", Map.of("_csrf", "{csrf}"), 403)
                .post("T1", "/app/{launch}/excuses/{excB}/reject", Map.of("comment", "no csrf"), 403)
                .post("T1", "/app/{launch}/excuses/{excS2}/reject", Map.of("_csrf", "{csrf}"), 403)
                .post("T2", "/app/{launch}/excuses/{excB}/reject", Map.of("_csrf", "{csrf}"), 403)
                .post("T1", "/app/{launch}/excuses/{excB}/reject", Map.of("_csrf", "{csrf}", "comment", "no document"), 303);
        m.route("GET /app/{launch}/excuses/{id}/document")
                .as("anon", "/app/{launch:A}/excuses/{excA}/document", 401)
                .as("B", "/app/{launch:A}/excuses/{excA}/document", 401)
                .as("B", "/app/{launch}/excuses/{excA}/document", 403)
                .as("A", "/app/{launch}/excuses/{excB}/document", 403)
                .as("G", "/app/{launch}/excuses/{excA}/document", 403)
                .as("S2", "/app/{launch}/excuses/{excA}/document", 403)
                .as("T2", "/app/{launch}/excuses/{excA}/document", 403)
                .as("T1", "/app/{launch}/excuses/{excS2}/document", 403)
                .as("A", "/app/{launch}/excuses/{excA}/document", 200)
                .as("T1", "/app/{launch}/excuses/{excA}/document", 200);
        // reports: teachers their section's, students only their own
        m.route("GET /app/{launch}/reports/course")
                .as("anon", "/app/{launch:T1}/reports/course", 401)
                .as("A", "/app/{launch:T1}/reports/course", 401)
                .as("A", "/app/{launch}/reports/course", 403)
                .as("G", "/app/{launch}/reports/course", 403)
                .expect("T1", "/app/{launch}/reports/course", Expect.status(200).showing("P-1001", "P-1002").hiding("P-2001"))
                .expect("T2", "/app/{launch}/reports/course", Expect.status(200).showing("P-2001").hiding("P-1001", "P-1002"));
        m.route("GET /app/{launch}/reports/admission")
                .as("anon", "/app/{launch:T1}/reports/admission", 401)
                .as("A", "/app/{launch:T1}/reports/admission", 401)
                .as("A", "/app/{launch}/reports/admission", 403)
                .as("G", "/app/{launch}/reports/admission", 403)
                .expect("T1", "/app/{launch}/reports/admission", Expect.status(200).showing("P-1001", "P-1002").hiding("P-2001"))
                .expect("T2", "/app/{launch}/reports/admission", Expect.status(200).showing("P-2001").hiding("P-1001", "P-1002"));
        m.route("GET /app/{launch}/reports/sessions/{sessionId}")
                .as("anon", "/app/{launch:T1}/reports/sessions/S-1", 401)
                .as("A", "/app/{launch}/reports/sessions/S-1", 403)
                .as("T1", "/app/{launch}/reports/sessions/X-1", 404)
                .as("T2", "/app/{launch}/reports/sessions/S-1", 404)
                .expect("T1", "/app/{launch}/reports/sessions/S-1", Expect.status(200).showing("P-1001").hiding("P-2001"));
        m.route("GET /app/{launch}/reports/me")
                .as("anon", "/app/{launch:A}/reports/me", 401)
                .as("B", "/app/{launch:A}/reports/me", 401)
                .expect("A", "/app/{launch}/reports/me", Expect.status(200).showing("P-1001").hiding("P-1002", "P-2001"))
                .expect("A", "/app/{launch}/reports/me?personId=P-1002&format=csv", Expect.status(200).showing(SECTION).hiding("P-1002", SECTION2))
                .expect("B", "/app/{launch}/reports/me", Expect.status(200).showing("P-1002").hiding("P-1001"))
                .expect("T1", "/app/{launch}/reports/me", Expect.status(200).hiding("P-1001", "P-1002"))
                .expect("G", "/app/{launch}/reports/me", Expect.status(200).hiding("P-1001", "P-1002"));

        // self check-in and roll call
        m.route("GET /checkin/scan")
                .as("anon", "/checkin/scan?c={chkS1}&code=123456", 200)
                .as("A", "/checkin/scan?c={chkS2}&code=123456", 200)
                .expect("A", "/checkin/scan?c={chkS1}&code=123456", Expect.status(303));
        m.route("GET /app/{launch}/checkin")
                .as("anon", "/app/{launch:A}/checkin", 401)
                .as("A", "/app/{launch}/checkin", 200)
                .expect("T1", "/app/{launch}/checkin", Expect.status(200).showing("S-1").hiding("X-1"));
        m.route("POST /app/{launch}/checkin")
                .post("anon", "/app/{launch:A}/checkin", Map.of("code", "000000"), 401)
                .post("A", "/app/{launch}/checkin", Map.of("checkin", "{chkS1}", "code", "000000"), 403)
                .expect("A", "/app/{launch}/checkin", Map.of("_csrf", "{csrf}", "checkin", "{chkS2}", "code", "000000"),
                        Expect.status(422).hiding("X-2"));
        m.route("GET /app/{launch}/checkin/{sessionId}")
                .as("anon", "/app/{launch:T1}/checkin/S-3", 401)
                .as("A", "/app/{launch}/checkin/S-3", 403)
                .as("G", "/app/{launch}/checkin/S-3", 403)
                .as("T1", "/app/{launch}/checkin/X-2", 404)
                .as("T1", "/app/{launch}/checkin/S-3", 200);
        m.route("POST /app/{launch}/checkin/{sessionId}/open")
                .post("anon", "/app/{launch:T1}/checkin/S-9/open", Map.of(), 401)
                .post("A", "/app/{launch}/checkin/S-9/open", Map.of("_csrf", "{csrf}"), 403)
                .post("T1", "/app/{launch}/checkin/S-9/open", Map.of(), 403)
                .post("T1", "/app/{launch}/checkin/X-4/open", Map.of("_csrf", "{csrf}"), 404)
                .post("T1", "/app/{launch}/checkin/S-9/open", Map.of("_csrf", "{csrf}"), 303);
        m.route("POST /app/{launch}/checkin/{sessionId}/close")
                .post("anon", "/app/{launch:T1}/checkin/S-9/close", Map.of(), 401)
                .post("A", "/app/{launch}/checkin/S-9/close", Map.of("_csrf", "{csrf}"), 403)
                .post("T1", "/app/{launch}/checkin/S-9/close", Map.of(), 403)
                .post("T1", "/app/{launch}/checkin/X-2/close", Map.of("_csrf", "{csrf}"), 404)
                .post("T1", "/app/{launch}/checkin/S-9/close", Map.of("_csrf", "{csrf}"), 303);
        m.route("GET /app/{launch}/checkin/{sessionId}/projector")
                .as("anon", "/app/{launch:T1}/checkin/S-3/projector", 401)
                .as("A", "/app/{launch}/checkin/S-3/projector", 403)
                .as("T1", "/app/{launch}/checkin/X-2/projector", 404)
                .as("T1", "/app/{launch}/checkin/S-3/projector", 200);
        m.route("GET /app/{launch}/checkin/{sessionId}/code.json")
                .as("anon", "/app/{launch:T1}/checkin/S-3/code.json", 401)
                .as("A", "/app/{launch}/checkin/S-3/code.json", 403)
                .as("T1", "/app/{launch}/checkin/X-2/code.json", 404)
                .as("T1", "/app/{launch}/checkin/S-3/code.json", 200);
        m.route("GET /app/{launch}/rollcall/active.json")
                .as("anon", "/app/{launch:A}/rollcall/active.json", 401)
                .expect("A", "/app/{launch}/rollcall/active.json", Expect.status(200).showing("\"id\":{rcS1}").hiding("\"id\":{rcS2}"))
                .expect("S2", "/app/{launch}/rollcall/active.json", Expect.status(200).showing("\"id\":{rcS2}"));
        m.route("POST /app/{launch}/checkin/{sessionId}/rollcall-absences")
                .post("anon", "/app/{launch:T1}/checkin/S-4/rollcall-absences", Map.of(), 401)
                .post("A", "/app/{launch}/checkin/S-4/rollcall-absences", Map.of("_csrf", "{csrf}", "p.0", "P-1002", "take.0", "1"), 403)
                .post("T1", "/app/{launch}/checkin/S-4/rollcall-absences", Map.of("p.0", "P-1002", "take.0", "1"), 403)
                .post("T1", "/app/{launch}/checkin/X-3/rollcall-absences", Map.of("_csrf", "{csrf}", "p.0", "P-2001", "take.0", "1"), 404)
                .post("T1", "/app/{launch}/checkin/S-4/rollcall-absences", Map.of("_csrf", "{csrf}"), 303);
        m.route("POST /app/{launch}/rollcall/{sessionId}/start")
                .post("anon", "/app/{launch:T1}/rollcall/S-10/start", Map.of(), 401)
                .post("A", "/app/{launch}/rollcall/S-10/start", Map.of("_csrf", "{csrf}"), 403)
                .post("T1", "/app/{launch}/rollcall/S-10/start", Map.of(), 403)
                .post("T1", "/app/{launch}/rollcall/X-4/start", Map.of("_csrf", "{csrf}"), 404)
                .post("T1", "/app/{launch}/rollcall/S-10/start", Map.of("_csrf", "{csrf}"), 303);
        m.route("GET /app/{launch}/rollcall/{rollCallId}")
                .as("anon", "/app/{launch:T1}/rollcall/{rcS1}", 401)
                .as("A", "/app/{launch}/rollcall/{rcS1}", 403)
                .as("T1", "/app/{launch}/rollcall/{rcS2}", 404)
                .expect("T1", "/app/{launch}/rollcall/{rcS1}", Expect.status(200).showing("P-1001").hiding("P-2001"));
        m.route("POST /app/{launch}/rollcall/{rollCallId}/confirm")
                .post("anon", "/app/{launch:S2}/rollcall/{rcS2}/confirm", Map.of(), 401)
                .post("A", "/app/{launch}/rollcall/{rcS2}/confirm", Map.of("_csrf", "{csrf}"), 404)
                .post("T2", "/app/{launch}/rollcall/{rcS2}/confirm", Map.of("_csrf", "{csrf}"), 403)
                .post("G", "/app/{launch}/rollcall/{rcS1}/confirm", Map.of("_csrf", "{csrf}"), 403)
                .post("S2", "/app/{launch}/rollcall/{rcS2}/confirm", Map.of(), 403)
                .post("S2", "/app/{launch}/rollcall/{rcS2}/confirm", Map.of("_csrf", "{csrf}"), 200);

        // administrator API: platforms, keys, registrations, tokens (scope admin)
        m.api("GET /api/v1/admin/platforms", "/api/v1/admin/platforms", null, "admin", 200);
        m.api("POST /api/v1/admin/platforms", "/api/v1/admin/platforms", platformJson("https://fifth.example.kz"), "admin", 201);
        m.api("GET /api/v1/admin/platforms/{id}", "/api/v1/admin/platforms/{platform3}", null, "admin", 200);
        m.api("PUT /api/v1/admin/platforms/{id}", "/api/v1/admin/platforms/{platform3}", platformJson("https://third.example.kz"), "admin", 200);
        m.api("DELETE /api/v1/admin/platforms/{id}", "/api/v1/admin/platforms/{platform3}", null, "admin", 200);
        m.api("POST /api/v1/admin/keys/rotate", "/api/v1/admin/keys/rotate", null, "admin", 200);
        m.api("POST /api/v1/admin/registrations", "/api/v1/admin/registrations", "{}", "admin", 201);
        m.api("POST /api/v1/admin/tokens", "/api/v1/admin/tokens", "{\"name\":\"matrix\",\"scopes\":[\"sync\"]}", "admin", 201);
        m.api("DELETE /api/v1/admin/tokens/{id}", "/api/v1/admin/tokens/{throwawayToken}", null, "admin", 204);
        // backup while running (scope admin): writes into the fixture's temporary backup.dir
        m.api("POST /api/v1/admin/backups", "/api/v1/admin/backups", "{\"includeKeys\":false}", "admin", 201);

        // attendance API: sync uploads, standing, overrides, policy, change feed
        m.api("PUT /api/v1/sections/{sectionId}", "/api/v1/sections/" + SECTION2,
                "{\"title\":\"Second section\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\"}", "sync", 200);
        m.api("PUT /api/v1/sections/{sectionId}/enrolments", "/api/v1/sections/" + SECTION2 + "/enrolments", section2Roster(), "sync", 200);
        m.api("PUT /api/v1/sections/{sectionId}/sessions", "/api/v1/sections/" + SECTION2 + "/sessions", section2Timetable(), "sync", 200);
        m.api("PUT /api/v1/sessions/{sessionId}/marks", "/api/v1/sessions/X-4/marks",
                "[{\"personId\":\"P-2001\",\"status\":\"PRESENT\"}]", "sync", 200);
        m.api("GET /api/v1/sections/{sectionId}/standing", "/api/v1/sections/" + SECTION + "/standing", null, "read", 200);
        m.api("GET /api/v1/sections/{sectionId}/standing/{personId}/history",
                "/api/v1/sections/" + SECTION + "/standing/P-1001/history", null, "read", 200);
        m.api("POST /api/v1/sections/{sectionId}/overrides", "/api/v1/sections/" + SECTION2 + "/overrides",
                "{\"personId\":\"P-2001\",\"state\":\"ADMITTED\",\"reason\":\"Бұйрық №7\"}", "overrides", 201);
        m.api("DELETE /api/v1/sections/{sectionId}/overrides/{personId}", "/api/v1/sections/" + SECTION2 + "/overrides/P-2001",
                null, "overrides", 200);
        m.api("GET /api/v1/sections/{sectionId}/policy", "/api/v1/sections/" + SECTION2 + "/policy", null, "admin", 200);
        m.api("PUT /api/v1/sections/{sectionId}/policy", "/api/v1/sections/" + SECTION2 + "/policy", "{\"lockThreshold\":0.25}", "admin", 200);
        m.api("DELETE /api/v1/sections/{sectionId}/policy", "/api/v1/sections/" + SECTION2 + "/policy", null, "admin", 200);
        m.api("GET /api/v1/changes", "/api/v1/changes", null, "read", 200);
        // exam admission: the daemon's scores, the final gate (read by the daemon and readers), dean's overrides, policy
        m.api("PUT /api/v1/sections/{sectionId}/scores", "/api/v1/sections/" + SECTION2 + "/scores",
                "[{\"personId\":\"P-2001\",\"component\":\"RK1\",\"points\":50}]", "sync", 200);
        m.route("GET /api/v1/sections/{sectionId}/admission");
        for (Map.Entry<String, Integer> e : Map.of("none", 401, "wrong", 401, "overrides", 403, "read", 200, "sync", 200,
                "admin", 200).entrySet()) {
            m.rows.add(new Row(m.route, "token:" + e.getKey(), "/api/v1/sections/" + SECTION2 + "/admission", null, null,
                    false, Expect.status(e.getValue())));
        }
        m.api("GET /api/v1/sections/{sectionId}/admission/{personId}/history",
                "/api/v1/sections/" + SECTION2 + "/admission/P-2001/history", null, "read", 200);
        m.api("POST /api/v1/sections/{sectionId}/admission-overrides", "/api/v1/sections/" + SECTION2 + "/admission-overrides",
                "{\"personId\":\"P-2001\",\"state\":\"NOT_ADMITTED\",\"reason\":\"Бұйрық №8\"}", "overrides", 201);
        m.api("DELETE /api/v1/sections/{sectionId}/admission-overrides/{personId}",
                "/api/v1/sections/" + SECTION2 + "/admission-overrides/P-2001", null, "overrides", 200);
        m.api("GET /api/v1/sections/{sectionId}/rating-policy", "/api/v1/sections/" + SECTION2 + "/rating-policy", null, "admin", 200);
        m.api("PUT /api/v1/sections/{sectionId}/rating-policy", "/api/v1/sections/" + SECTION2 + "/rating-policy",
                "{\"threshold\":0.6}", "admin", 200);
        m.api("DELETE /api/v1/sections/{sectionId}/rating-policy", "/api/v1/sections/" + SECTION2 + "/rating-policy", null, "admin", 200);
        // BigBlueButton's analytics callback: only a token signed with the BBB secret; API tokens are no such thing
        m.route("POST /api/v1/videoconf/bbb/analytics");
        for (String t : List.of("none", "wrong", "admin", "sync")) {
            m.rows.add(new Row(m.route, "token:" + t, "/api/v1/videoconf/bbb/analytics", null, BBB_CALLBACK, false, Expect.status(401)));
        }
        m.rows.add(new Row(m.route, "token:bbb", "/api/v1/videoconf/bbb/analytics", null, BBB_CALLBACK, false, Expect.status(202)));
        // proctoring: the face analysis of one picture (scope admin), sent as multipart with a real photograph
        m.route("POST /api/v1/proctoring/analysis");
        for (Map.Entry<String, Integer> e : List.of(Map.entry("none", 401), Map.entry("wrong", 401), Map.entry("sync", 403),
                Map.entry("read", 403), Map.entry("overrides", 403))) {
            m.rows.add(new Row(m.route, "token:" + e.getKey(), "/api/v1/proctoring/analysis", null, null, true,
                    Expect.status(e.getValue()).hiding("\"faces\"")));
        }
        m.rows.add(new Row(m.route, "token:admin", "/api/v1/proctoring/analysis", null, null, true,
                Expect.status(200).showing("\"faces\":[{\"x\":", "\"match\":null")));
        // proctoring, the examinee's path (exam mx-exam of A's section, mx-exam2 of S2's): only the course's students,
        // each acting on their own attempt (found by the launch's person, never by an id in the path)
        m.route("GET /assets/proctoring/{name}").as("anon", "/assets/proctoring/monitor.js", 200)
                .as("anon", "/assets/proctoring/secret.properties", 404);
        m.route("GET /app/{launch}/exams/{examId}")
                .as("anon", "/app/{launch:A}/exams/mx-exam", 401)
                .as("B", "/app/{launch:A}/exams/mx-exam", 401)
                .as("S2", "/app/{launch}/exams/mx-exam", 404)
                .as("A", "/app/{launch}/exams/mx-exam2", 404)
                .as("G", "/app/{launch}/exams/mx-exam", 403)
                .as("T1", "/app/{launch}/exams/mx-exam", 303)
                .expect("A", "/app/{launch}/exams/mx-exam", Expect.status(200).showing("id=\"consent\"").hiding("P-1002"));
        m.route("POST /app/{launch}/exams/{examId}/consent")
                .post("anon", "/app/{launch:A}/exams/mx-exam/consent", Map.of("_csrf", "x"), 401)
                .post("A", "/app/{launch}/exams/mx-exam/consent", Map.of(), 403)
                .post("T1", "/app/{launch}/exams/mx-exam/consent", Map.of("_csrf", "{csrf}"), 403)
                .post("S2", "/app/{launch}/exams/mx-exam/consent", Map.of("_csrf", "{csrf}"), 404)
                .post("A", "/app/{launch}/exams/mx-exam/consent", Map.of("_csrf", "{csrf}"), 303);
        m.route("POST /app/{launch}/exams/{examId}/refuse")
                .post("anon", "/app/{launch:B}/exams/mx-exam/refuse", Map.of("_csrf", "x"), 401)
                .post("B", "/app/{launch}/exams/mx-exam/refuse", Map.of(), 403)
                .post("T1", "/app/{launch}/exams/mx-exam/refuse", Map.of("_csrf", "{csrf}"), 403)
                .post("B", "/app/{launch}/exams/mx-exam/refuse", Map.of("_csrf", "{csrf}"), 303);
        m.route("GET /app/{launch}/exams/{examId}/checks")
                .as("anon", "/app/{launch:A}/exams/mx-exam/checks", 401)
                .as("T1", "/app/{launch}/exams/mx-exam/checks", 403)
                .as("B", "/app/{launch}/exams/mx-exam/checks", 303)
                .expect("A", "/app/{launch}/exams/mx-exam/checks", Expect.status(200).showing("id=\"system-run\""));
        m.route("GET /app/{launch}/exams/{examId}/monitor")
                .as("anon", "/app/{launch:A}/exams/mx-exam/monitor", 401)
                .as("anon", "/app/{launch:A}/exams/mx-exam/monitor?token=forged", 401)
                .as("T1", "/app/{launch}/exams/mx-exam/monitor", 403)
                .as("A", "/app/{launch}/exams/mx-exam/monitor", 303);
        m.route("GET /app/{launch}/exams/{examId}/attempt")
                .as("anon", "/app/{launch:A}/exams/mx-exam/attempt", 401)
                .as("T1", "/app/{launch}/exams/mx-exam/attempt", 403)
                .expect("B", "/app/{launch}/exams/mx-exam/attempt", Expect.status(200).showing("REFUSED").hiding("CHECKING"))
                .expect("A", "/app/{launch}/exams/mx-exam/attempt", Expect.status(200).showing("CHECKING").hiding("REFUSED"));
        for (String[] r : new String[][]{{"system-check", "400"}, {"identity", "400"}, {"room-scan", "400"}, {"window", "200"},
                {"start", "400"}, {"recording/finish", "409"}, {"snapshots", "400"}, {"events", "400"}, {"heartbeat", "409"},
                {"end", "409"}}) {
            String path = "/app/{launch}/exams/mx-exam/attempt/" + r[0];
            m.route("POST /app/{launch}/exams/{examId}/attempt/" + r[0])
                    .post("anon", path.replace("{launch}", "{launch:A}"), Map.of("_csrf", "x"), 401)
                    .post("B", path.replace("{launch}", "{launch:A}"), Map.of("_csrf", "{csrf}"), 401)
                    .post("A", path, Map.of(), 403)
                    .post("T1", path, Map.of("_csrf", "{csrf}"), 403)
                    .post("G", path, Map.of("_csrf", "{csrf}"), 403)
                    .post("A", path, Map.of("_csrf", "{csrf}"), Integer.parseInt(r[1]));
        }
        m.route("PUT /app/{launch}/exams/{examId}/attempt/recording/{index}")
                .post("anon", "/app/{launch:A}/exams/mx-exam/attempt/recording/0", Map.of("_csrf", "x"), 401)
                .post("T1", "/app/{launch}/exams/mx-exam/attempt/recording/0", Map.of("_csrf", "{csrf}"), 403)
                .post("A", "/app/{launch}/exams/mx-exam/attempt/recording/0", Map.of(), 403)
                .post("A", "/app/{launch}/exams/mx-exam/attempt/recording/0", Map.of("_csrf", "{csrf}"), 409);
        m.route("GET /app/{launch}/exams/{examId}/attempt/recording")
                .as("anon", "/app/{launch:A}/exams/mx-exam/attempt/recording", 401)
                .as("T1", "/app/{launch}/exams/mx-exam/attempt/recording", 403)
                .as("A", "/app/{launch}/exams/mx-exam/attempt/recording", 404);
        // the Moodle quiz gate's password: the caller's own attempt only (mx-exam gates no quiz: NONE, no password)
        m.route("GET /app/{launch}/exams/{examId}/attempt/quiz-password")
                .as("anon", "/app/{launch:A}/exams/mx-exam/attempt/quiz-password", 401)
                .as("T1", "/app/{launch}/exams/mx-exam/attempt/quiz-password", 403)
                .as("G", "/app/{launch}/exams/mx-exam/attempt/quiz-password", 403)
                .as("S2", "/app/{launch}/exams/mx-exam/attempt/quiz-password", 404)
                .expect("A", "/app/{launch}/exams/mx-exam/attempt/quiz-password", Expect.status(200).showing("\"status\":\"NONE\""));
        // proctoring, the teachers' / dean's office's / proctors' side (exams, review, a person's data)
        ProctorSideMatrix.rows(m);
        // Open edX LTI Proctoring Services: the learner's tab, an exam's Open edX links and their API
        OpenEdxMatrix.rows(m);
        // an exam's Moodle quiz pages and its results delivery (pages and API)
        LmsExamMatrix.rows(m);
        m.api("GET /api/v1/admin/course-mappings", "/api/v1/admin/course-mappings", null, "admin", 200);
        m.api("PUT /api/v1/admin/course-mappings/{localSectionId}", "/api/v1/admin/course-mappings/lti-1-matrix-api",
                "{\"sectionId\":\"" + SECTION2 + "\"}", "admin", 200);

        // administrator web pages: sign-in with the admin token, CSRF on every form
        m.route("GET /admin")
                .expect("anon", "/admin", Expect.status(200).showing("name=\"token\"").hiding("third.example.kz"))
                .expect("A", "/admin", Expect.status(200).showing("name=\"token\"").hiding("third.example.kz"))
                .expect("admin", "/admin", Expect.status(200).showing("third.example.kz"))
                .expect("dean", "/admin", Expect.status(200).showing("id=\"staff-roles\"", "Dean Eco").hiding("third.example.kz"));
        m.route("POST /admin/signin")
                .post("anon", "/admin/signin", Map.of("token", RunningTool.ADMIN_TOKEN), 403)
                .post("anon-signin", "/admin/signin", Map.of("_csrf", "{csrf}", "token", "wrong-admin-token"), 401)
                .post("anon-signin", "/admin/signin", Map.of("_csrf", "{csrf}", "token", "{token:sync}"), 401)
                .post("anon-signin", "/admin/signin", Map.of("_csrf", "{csrf}", "token", RunningTool.ADMIN_TOKEN), 303);
        m.route("POST /admin/signout")
                .post("anon", "/admin/signout", Map.of(), 401)
                .post("admin-signout", "/admin/signout", Map.of(), 403)
                .post("admin-signout", "/admin/signout", Map.of("_csrf", "{csrf}"), 303);
        m.route("POST /admin/platforms")
                .post("dean", "/admin/platforms", platformForm("{csrf}", "https://seventh.example.kz"), 403)
                .post("anon", "/admin/platforms", platformForm("x", "https://sixth.example.kz"), 401)
                .post("A", "/admin/platforms", platformForm("{csrf}", "https://sixth.example.kz"), 401)
                .post("admin", "/admin/platforms", platformForm("forged", "https://sixth.example.kz"), 403)
                .post("admin", "/admin/platforms", platformForm("{csrf}", "https://sixth.example.kz"), 303);
        m.route("POST /admin/platforms/{id}/disable")
                .post("anon", "/admin/platforms/{platform4}/disable", Map.of(), 401)
                .post("admin", "/admin/platforms/{platform4}/disable", Map.of(), 403)
                .post("admin", "/admin/platforms/{platform4}/disable", Map.of("_csrf", "{csrf}"), 303);
        // staff as people: grants (administrator or the admin token), sign-in by launch or OpenID Connect (off here)
        m.route("GET /admin/staff")
                .as("anon", "/admin/staff", 401).as("A", "/admin/staff", 401).as("dean", "/admin/staff", 403)
                .expect("admin", "/admin/staff", Expect.status(200).showing("D-500", "Dean Eco"));
        m.route("POST /admin/staff")
                .post("anon", "/admin/staff", Map.of("personId", "PR-9", "role", "PROCTOR"), 401)
                .post("dean", "/admin/staff", Map.of("_csrf", "{csrf}", "personId", "PR-9", "role", "PROCTOR"), 403)
                .post("admin", "/admin/staff", Map.of("personId", "PR-9", "role", "PROCTOR"), 403)
                .post("admin", "/admin/staff", Map.of("_csrf", "{csrf}", "personId", "PR-9", "role", "PROCTOR"), 303);
        m.route("POST /admin/staff/{personId}/revoke")
                .post("anon", "/admin/staff/PR-9/revoke", Map.of(), 401)
                .post("dean", "/admin/staff/PR-9/revoke", Map.of("_csrf", "{csrf}"), 403)
                .post("admin", "/admin/staff/PR-9/revoke", Map.of(), 403)
                .post("admin", "/admin/staff/PR-9/revoke", Map.of("_csrf", "{csrf}"), 303);
        m.route("POST /admin/staff/enter")
                .post("anon", "/admin/staff/enter", Map.of("ticket", "forged"), 403)
                .post("A", "/admin/staff/enter", Map.of(), 403);
        m.route("GET /app/{launch}/staff")
                .as("anon", "/app/{launch:A}/staff", 401)
                .as("A", "/app/{launch}/staff", 403)
                .as("T1", "/app/{launch}/staff", 403);
        // advisers: their own students only; a launch (student or teacher) is no admin-area session
        m.route("GET /admin/advisees")
                .as("anon", "/admin/advisees", 401).as("A", "/admin/advisees", 401).as("T1", "/admin/advisees", 401)
                .as("dean", "/admin/advisees", 403).as("admin", "/admin/advisees", 403)
                .expect("adviser", "/admin/advisees", Expect.status(200).showing("P-1001", "P-2001").hiding("P-1002"));
        m.route("GET /admin/oidc/start").as("anon", "/admin/oidc/start", 404);
        m.route("GET /admin/oidc/callback").as("anon", "/admin/oidc/callback?code=x&state=y", 404);
        m.api("GET /api/v1/admin/staff", "/api/v1/admin/staff", null, "admin", 200);
        m.api("GET /api/v1/admin/staff/{personId}", "/api/v1/admin/staff/D-500", null, "admin", 200);
        m.api("PUT /api/v1/admin/staff/{personId}", "/api/v1/admin/staff/PR-8", "{\"roles\":[\"PROCTOR\"]}", "admin", 201);
        m.api("DELETE /api/v1/admin/staff/{personId}", "/api/v1/admin/staff/PR-8", null, "admin", 204);

        m.route("POST /admin/registrations")
                .post("anon", "/admin/registrations", Map.of(), 401)
                .post("admin", "/admin/registrations", Map.of(), 403)
                .post("admin", "/admin/registrations", Map.of("_csrf", "{csrf}"), 200);

        // dean's office pages (admin sign-in; a launch cookie is no sign-in)
        m.route("GET /admin/excuses")
                .as("anon", "/admin/excuses", 401).as("A", "/admin/excuses", 401).as("T1", "/admin/excuses", 401)
                .expect("admin", "/admin/excuses", Expect.status(200).showing("excuse-{excA}", "excuse-{excS2}"));
        m.route("POST /admin/excuses/{id}/{decision}")
                .post("anon", "/admin/excuses/{excS2b}/reject", Map.of(), 401)
                .post("T2", "/admin/excuses/{excS2b}/reject", Map.of("_csrf", "{csrf}"), 401)
                .post("admin", "/admin/excuses/{excS2b}/reject", Map.of("comment", "x"), 403)
                .post("admin", "/admin/excuses/{excS2b}/reject", Map.of("_csrf", "{csrf}", "comment", "Анықтама жоқ"), 303);
        m.route("GET /admin/excuses/{id}/document")
                .as("anon", "/admin/excuses/{excA}/document", 401)
                .as("A", "/admin/excuses/{excA}/document", 401)
                .as("admin", "/admin/excuses/{excA}/document", 200);
        m.route("GET /admin/sections")
                .as("anon", "/admin/sections", 401).as("T1", "/admin/sections", 401)
                .as("admin-signout", "/admin/sections", 401) // signed out above
                .as("anon-signin-wrong", "/admin/sections", 401)
                .expect("admin", "/admin/sections", Expect.status(200).showing(SECTION, SECTION2))
                .expect("dean", "/admin/sections", Expect.status(200).showing(SECTION2).hiding(SECTION));
        m.route("GET /admin/sections/{sectionId}")
                .as("dean", "/admin/sections/" + SECTION, 403)
                .expect("dean", "/admin/sections/" + SECTION2, Expect.status(200).showing("P-2001").hiding("P-1001"))
                .as("anon", "/admin/sections/" + SECTION, 401).as("T1", "/admin/sections/" + SECTION, 401)
                .expect("admin", "/admin/sections/" + SECTION, Expect.status(200).showing("P-1001", "id=\"policy-form\""));
        m.route("POST /admin/sections/{sectionId}/overrides")
                .post("anon", "/admin/sections/" + SECTION + "/overrides", override("x"), 401)
                .post("T1", "/admin/sections/" + SECTION + "/overrides", override("{csrf}"), 401)
                .post("admin", "/admin/sections/" + SECTION + "/overrides", override(null), 403)
                .post("admin", "/admin/sections/" + SECTION + "/overrides", override("{csrf}"), 303);
        m.route("POST /admin/sections/{sectionId}/overrides/{personId}/withdraw")
                .post("anon", "/admin/sections/" + SECTION + "/overrides/P-1001/withdraw", Map.of(), 401)
                .post("admin", "/admin/sections/" + SECTION + "/overrides/P-1001/withdraw", Map.of(), 403)
                .post("admin", "/admin/sections/" + SECTION + "/overrides/P-1001/withdraw", Map.of("_csrf", "{csrf}"), 303);
        m.route("GET /admin/sections/{sectionId}/students/{personId}")
                .as("anon", "/admin/sections/" + SECTION + "/students/P-1001", 401)
                .as("A", "/admin/sections/" + SECTION + "/students/P-1001", 401)
                .as("admin", "/admin/sections/" + SECTION + "/students/P-1001", 200);
        m.route("POST /admin/sections/{sectionId}/policy")
                .post("anon", "/admin/sections/" + SECTION2 + "/policy", Map.of("lockThreshold", "0.2"), 401)
                .post("T2", "/admin/sections/" + SECTION2 + "/policy", Map.of("_csrf", "{csrf}", "lockThreshold", "0.2"), 401)
                .post("admin", "/admin/sections/" + SECTION2 + "/policy", Map.of("lockThreshold", "0.2"), 403)
                .post("admin", "/admin/sections/" + SECTION2 + "/policy", Map.of("_csrf", "{csrf}", "lockThreshold", "0.2"), 303);
        m.route("POST /admin/sections/{sectionId}/policy/reset")
                .post("anon", "/admin/sections/" + SECTION2 + "/policy/reset", Map.of(), 401)
                .post("admin", "/admin/sections/" + SECTION2 + "/policy/reset", Map.of(), 403)
                .post("admin", "/admin/sections/" + SECTION2 + "/policy/reset", Map.of("_csrf", "{csrf}"), 303);
        m.route("GET /admin/courses")
                .as("anon", "/admin/courses", 401).as("T1", "/admin/courses", 401)
                .expect("admin", "/admin/courses", Expect.status(200).showing("lti-1-matrix-page"));
        m.route("POST /admin/courses/{localSectionId}/map")
                .post("anon", "/admin/courses/lti-1-matrix-page/map", Map.of("sectionId", SECTION2), 401)
                .post("T2", "/admin/courses/lti-1-matrix-page/map", Map.of("_csrf", "{csrf}", "sectionId", SECTION2), 401)
                .post("admin", "/admin/courses/lti-1-matrix-page/map", Map.of("sectionId", SECTION2), 403)
                .post("admin", "/admin/courses/lti-1-matrix-page/map", Map.of("_csrf", "{csrf}", "sectionId", SECTION2), 303);
        m.route("GET /admin/notifications")
                .as("anon", "/admin/notifications", 401).as("A", "/admin/notifications", 401)
                .as("admin", "/admin/notifications", 200);
        m.route("GET /admin/reports/sections/{sectionId}")
                .as("anon", "/admin/reports/sections/" + SECTION, 401).as("T1", "/admin/reports/sections/" + SECTION, 401)
                .expect("admin", "/admin/reports/sections/" + SECTION, Expect.status(200).showing("P-1001", "P-1002"));
        m.route("GET /admin/reports/sections/{sectionId}/admission")
                .as("anon", "/admin/reports/sections/" + SECTION + "/admission", 401)
                .as("T1", "/admin/reports/sections/" + SECTION + "/admission", 401)
                .expect("admin", "/admin/reports/sections/" + SECTION + "/admission", Expect.status(200).showing("P-1001", "P-1002"));
        m.route("GET /admin/sections/{sectionId}/admission")
                .as("anon", "/admin/sections/" + SECTION + "/admission", 401).as("T1", "/admin/sections/" + SECTION + "/admission", 401)
                .expect("admin", "/admin/sections/" + SECTION + "/admission", Expect.status(200).showing("P-1001", "P-1002"));
        m.route("POST /admin/sections/{sectionId}/admission-overrides")
                .post("anon", "/admin/sections/" + SECTION + "/admission-overrides", Map.of("personId", "P-1001"), 401)
                .post("T1", "/admin/sections/" + SECTION + "/admission-overrides", Map.of("_csrf", "{csrf}", "personId", "P-1001"), 401)
                .post("admin", "/admin/sections/" + SECTION + "/admission-overrides",
                        Map.of("personId", "P-1001", "decision", "ADMITTED", "reason", "x"), 403)
                .post("admin", "/admin/sections/" + SECTION + "/admission-overrides",
                        Map.of("_csrf", "{csrf}", "personId", "P-1001", "decision", "ADMITTED", "reason", "Бұйрық №9"), 303);
        m.route("POST /admin/sections/{sectionId}/admission-overrides/{personId}/withdraw")
                .post("anon", "/admin/sections/" + SECTION + "/admission-overrides/P-1001/withdraw", Map.of(), 401)
                .post("admin", "/admin/sections/" + SECTION + "/admission-overrides/P-1001/withdraw", Map.of(), 403)
                .post("admin", "/admin/sections/" + SECTION + "/admission-overrides/P-1001/withdraw", Map.of("_csrf", "{csrf}"), 303);
        m.route("GET /admin/reports/sessions/{sessionId}")
                .as("anon", "/admin/reports/sessions/X-1", 401).as("T1", "/admin/reports/sessions/X-1", 401)
                .as("admin", "/admin/reports/sessions/X-1", 200);
        m.route("GET /admin/reports/groups")
                .as("anon", "/admin/reports/groups", 401).as("A", "/admin/reports/groups", 401).as("T1", "/admin/reports/groups", 401)
                .as("admin", "/admin/reports/groups", 200);
        m.route("GET /admin/reports/groups/{group}")
                .as("anon", "/admin/reports/groups/NO-SUCH-GROUP", 401).as("T1", "/admin/reports/groups/NO-SUCH-GROUP", 401)
                .as("admin", "/admin/reports/groups/NO-SUCH-GROUP", 404);
        // sections with held sessions nobody marked: the dean's office sees its faculties' only
        m.route("GET /admin/unmarked-sessions")
                .as("anon", "/admin/unmarked-sessions", 401).as("A", "/admin/unmarked-sessions", 401)
                .as("T1", "/admin/unmarked-sessions", 401)
                .expect("admin", "/admin/unmarked-sessions", Expect.status(200).showing(SECTION))
                .expect("dean", "/admin/unmarked-sessions", Expect.status(200).hiding(SECTION));
        m.route("GET /admin/reports/students/{personId}")
                .as("anon", "/admin/reports/students/P-1002", 401).as("A", "/admin/reports/students/P-1002", 401)
                .expect("admin", "/admin/reports/students/P-1002", Expect.status(200).showing("P-1002"));
        return m.rows;
    }

    @TestFactory
    Stream<DynamicTest> every_route_refuses_whom_it_must_and_serves_whom_it_should() {
        return matrix().stream().map(row -> DynamicTest.dynamicTest(row.toString(), () -> check(row)));
    }

    @Test
    void every_registered_route_has_rows_in_the_matrix() {
        Set<HandlerType> methods = Set.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);
        Set<String> registered = f.tool.app().javalin().unsafe.internalRouter.allHttpHandlers().stream()
                .map(e -> e.endpoint)
                .filter(e -> methods.contains(e.method))
                .map(e -> e.method.name() + " " + e.path)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> inMatrix = matrix().stream().map(Row::route).collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(registered);
        missing.removeAll(inMatrix);
        Set<String> stale = new TreeSet<>(inMatrix);
        stale.removeAll(registered);
        assertThat(registered).hasSizeGreaterThan(60);
        assertThat(missing).as("routes without a row in AuthorizationMatrixTest.matrix()").isEmpty();
        assertThat(stale).as("rows naming routes that are not registered").isEmpty();
        // every API route has its 401 (no token, wrong token) and 403 (wrong scope) rows; every course page its anonymous row
        for (String route : registered) {
            List<Row> rows = matrix().stream().filter(r -> r.route().equals(route)).toList();
            if (route.contains(" /api/v1/") && !route.endsWith("/openapi.json") && !CALLBACKS.contains(route)) {
                assertThat(rows).as(route).anyMatch(r -> r.actor().equals("token:none") && r.expect().status() == 401)
                        .anyMatch(r -> r.actor().equals("token:wrong") && r.expect().status() == 401)
                        .anyMatch(r -> r.expect().status() == 403)
                        .anyMatch(r -> r.expect().status() / 100 == 2);
            }
            if (route.contains(" /app/") || route.contains(" /admin/") && !SIGN_IN.contains(route)) {
                assertThat(rows).as(route).anyMatch(r -> r.actor().equals("anon") && r.expect().status() == 401);
            }
        }
    }

    @Test
    void a_dean_signed_in_with_an_issued_token_is_signed_out_when_the_token_is_revoked() {
        JsonNode issued = ok(api("POST", "/api/v1/admin/tokens", "{\"name\":\"dean-office\",\"scopes\":[\"admin\"]}",
                RunningTool.ADMIN_TOKEN));
        Browser dean = new Browser();
        var signIn = dean.postForm(f.tool.baseUrl() + "/admin/signin", Map.of("_csrf", csrfOf(dean, "/admin"),
                "token", issued.path("token").asText()));
        assertThat(signIn.statusCode()).isEqualTo(303);
        assertThat(dean.get(f.tool.baseUrl() + "/admin/sections").statusCode()).isEqualTo(200);
        // another dean, signed in with the configured admin token, is not affected
        Browser other = f.admin();

        assertThat(api("DELETE", "/api/v1/admin/tokens/" + issued.path("id").asLong(), null, RunningTool.ADMIN_TOKEN).statusCode())
                .isEqualTo(204);
        assertThat(dean.get(f.tool.baseUrl() + "/admin/sections").statusCode()).isEqualTo(401);
        assertThat(dean.get(f.tool.baseUrl() + "/admin/excuses/" + ids.get("excA") + "/document").statusCode()).isEqualTo(401);
        assertThat(dean.postForm(f.tool.baseUrl() + "/admin/sections/" + SECTION + "/overrides", override(csrfOf(other, "/admin/sections/" + SECTION)))
                .statusCode()).isEqualTo(401);
        assertThat(other.get(f.tool.baseUrl() + "/admin/sections").statusCode()).isEqualTo(200);
    }

    @Test
    void a_launch_cookie_presented_under_another_launchs_name_is_refused() {
        Actor a = actors.get("A");
        Actor b = actors.get("B");
        Browser forged = new Browser();
        forged.cookies().put("qs_" + b.launch(), a.browser().cookies().get("qs_" + a.launch()));
        assertThat(forged.get(f.tool.baseUrl() + "/app/" + b.launch() + "/reports/me").statusCode()).isEqualTo(401);
        assertThat(forged.get(f.tool.baseUrl() + "/app/" + b.launch() + "/excuses/" + ids.get("excB") + "/document").statusCode())
                .isEqualTo(401);
    }

    // ---- running a row -----------------------------------------------------------------------------------------

    static void check(Row row) {
        HttpResponse<String> r = send(row);
        String where = row + " — got " + r.statusCode() + ": " + abbreviate(r.body());
        assertThat(r.statusCode()).as(where).isEqualTo(row.expect().status());
        for (String text : row.expect().contains()) {
            assertThat(r.body()).as(where).contains(resolve(text, null));
        }
        for (String text : row.expect().absent()) {
            assertThat(r.body()).as(where).doesNotContain(resolve(text, null));
        }
    }

    static HttpResponse<String> send(Row row) {
        if (row.actor().startsWith("token:") && row.multipart()) {
            return apiPicture(resolve(row.path(), null), tokens.get(row.actor().substring(6)),
                    kz.qatysu.tool.proctoring.analysis.Photos.bytes(kz.qatysu.tool.proctoring.analysis.Photos.ASTRONAUT));
        }
        if (row.actor().startsWith("token:")) {
            return api(row.method(), resolve(row.path(), null), row.json(), tokens.get(row.actor().substring(6)));
        }
        Actor actor = actorFor(row.actor());
        String url = f.tool.baseUrl() + resolve(row.path(), actor);
        if (row.multipart()) {
            Map<String, List<String>> fields = new LinkedHashMap<>();
            row.form().forEach((k, v) -> fields.put(k, List.of(resolve(v, actor))));
            return f.multipart(actor.browser(), resolve(row.path(), actor), fields, "note.pdf", PDF);
        }
        if (row.method().equals("GET")) {
            return actor.browser().get(url);
        }
        Map<String, String> form = new LinkedHashMap<>();
        row.form().forEach((k, v) -> form.put(k, resolve(v, actor)));
        if (!row.method().equals("POST")) {
            // a page's script sends PUT with the session cookie (and its CSRF token, here as the form field)
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                    .method(row.method(), HttpRequest.BodyPublishers.ofString(Browser.encode(form)))
                    .header("Content-Type", "application/x-www-form-urlencoded");
            if (!actor.browser().cookies().isEmpty()) {
                b.header("Cookie", actor.browser().cookies().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("; ")));
            }
            try {
                return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return actor.browser().postForm(url, form);
    }

    static Actor actorFor(String name) {
        if (name.equals("anon")) {
            return new Actor("anon", new Browser(), null, "");
        }
        if (name.equals("anon-signin-wrong")) {
            // a browser whose sign-in with a wrong token was refused holds no admin session
            Browser b = new Browser();
            var r = b.postForm(f.tool.baseUrl() + "/admin/signin", Map.of("_csrf", csrfOf(b, "/admin"), "token", WRONG_TOKEN));
            assertThat(r.statusCode()).isEqualTo(401);
            return new Actor(name, b, null, "");
        }
        if (name.equals("anon-signin")) {
            Browser b = new Browser();
            return new Actor(name, b, null, csrfOf(b, "/admin"));
        }
        Actor a = actors.get(name);
        assertThat(a).as("actor " + name).isNotNull();
        return a;
    }

    static String resolve(String template, Actor actor) {
        Matcher m = Pattern.compile("\\{([A-Za-z0-9:]+)}").matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String value;
            if (key.equals("launch")) {
                value = actor.launch();
            } else if (key.startsWith("launch:")) {
                value = actors.get(key.substring(7)).launch();
            } else if (key.equals("csrf")) {
                value = actor.csrf();
            } else if (key.startsWith("token:")) {
                value = tokens.get(key.substring(6));
            } else {
                value = ids.get(key);
            }
            assertThat(value).as("placeholder {" + key + "} in " + template).isNotNull();
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Builds rows route by route; {@link #api} adds the token rows every API route gets. */
    static final class M {
        final List<Row> rows = new ArrayList<>();
        String route;

        M route(String route) {
            this.route = route;
            return this;
        }

        M as(String actor, String path, int status) {
            return expect(actor, path, Expect.status(status));
        }

        M expect(String actor, String path, Expect expect) {
            rows.add(new Row(route, actor, path, null, null, false, expect));
            return this;
        }

        M post(String actor, String path, Map<String, String> form, int status) {
            return expect(actor, path, form, Expect.status(status));
        }

        M expect(String actor, String path, Map<String, String> form, Expect expect) {
            rows.add(new Row(route, actor, path, form, null, false, expect));
            return this;
        }

        M multipart(String actor, String path, Map<String, String> form, int status) {
            rows.add(new Row(route, actor, path, form, null, true, Expect.status(status)));
            return this;
        }

        /** No token and a wrong token → 401; every token without the scope → 403; the right one → {@code okStatus}. */
        void api(String route, String path, String json, String scope, int okStatus) {
            this.route = route;
            rows.add(new Row(route, "token:none", path, null, json, false, Expect.status(401)));
            rows.add(new Row(route, "token:wrong", path, null, json, false, Expect.status(401)));
            for (String other : List.of("sync", "read", "overrides", "admin")) {
                if (!other.equals(scope) && !other.equals("admin")) {
                    rows.add(new Row(route, "token:" + other, path, null, json, false, Expect.status(403)));
                }
            }
            rows.add(new Row(route, "token:" + scope, path, null, json, false, Expect.status(okStatus)));
        }
    }

    // ---- set-up helpers ----------------------------------------------------------------------------------------

    static void launch(String name, String sub, String personId, String section, String contextId, boolean teacher, boolean deepLinking) {
        TestPlatform p = f.platform;
        Browser browser = new Browser();
        var r = new LtiFlow(f.tool, p, browser).launch((nonce, target) -> {
            Map<String, Object> c = teacher ? LaunchClaims.moodleTeacher(p, nonce, target) : LaunchClaims.moodleStudent(p, nonce, target);
            c.put("sub", sub);
            c.put("name", name + " " + personId);
            c.put(LaunchClaims.LTI + "lis", Map.of("person_sourcedid", personId, "course_section_sourcedid", section));
            c.put(LaunchClaims.LTI + "context", Map.of("id", contextId, "label", section, "title", section, "type", List.of("CourseSection")));
            c.put(LaunchClaims.LTI + "launch_presentation", Map.of("locale", "en", "document_target", "iframe"));
            if (name.equals("G")) {
                c.put(LaunchClaims.LTI + "roles", List.of("http://purl.imsglobal.org/vocab/lis/v2/membership#None"));
            }
            if (deepLinking) {
                c.remove(LaunchClaims.LTI + "resource_link");
                c.put(LaunchClaims.LTI + "message_type", "LtiDeepLinkingRequest");
                c.put("https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings", Map.of(
                        "accept_types", List.of("ltiResourceLink"), "accept_presentation_document_targets", List.of("iframe"),
                        "accept_multiple", true, "auto_create", false,
                        "deep_link_return_url", p.issuer + "/mod/lti/contentitem_return.php?course=2&id=1&sesskey=abc"));
            }
            return c;
        });
        assertThat(r.statusCode()).as(name + " launch: " + r.body()).isEqualTo(303);
        String location = r.headers().firstValue("Location").orElseThrow();
        Matcher m = Pattern.compile("^/app/([^/]+)").matcher(location);
        assertThat(m.find()).as(location).isTrue();
        String key = m.group(1);
        String csrf = csrfOf(browser, "/app/" + key + (deepLinking ? "/deep-linking" : "/checkin"), "/app/" + key + "/excuses",
                "/app/" + key + "/timetable/new");
        actors.put(name, new Actor(name, browser, key, csrf));
    }

    static String csrfOf(Browser browser, String... paths) {
        for (String path : paths) {
            Matcher m = CSRF.matcher(browser.get(f.tool.baseUrl() + path).body());
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no CSRF token on " + List.of(paths));
    }

    static long excuse(String actor, String sessionId) {
        Actor a = actors.get(actor);
        Map<String, List<String>> form = DeansFixture.form(a.csrf(), null, null, List.of(sessionId), "Ауырдым — анықтама");
        var r = f.multipart(a.browser(), "/app/" + a.launch() + "/excuses", form, "note.pdf", PDF);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        return f.newestExcuse();
    }

    static long openCheckin(String actor, String sessionId) {
        Actor a = actors.get(actor);
        var r = a.browser().postForm(f.tool.baseUrl() + "/app/" + a.launch() + "/checkin/" + sessionId + "/open", Map.of("_csrf", a.csrf()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        String json = a.browser().get(f.tool.baseUrl() + "/app/" + a.launch() + "/checkin/" + sessionId + "/code.json").body();
        Matcher m = Pattern.compile("[?&]c=(\\d+)").matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return Long.parseLong(m.group(1));
    }

    static long rollCall(String actor, String sessionId) {
        Actor a = actors.get(actor);
        var r = a.browser().postForm(f.tool.baseUrl() + "/app/" + a.launch() + "/rollcall/" + sessionId + "/start",
                Map.of("_csrf", a.csrf(), "seconds", "1800"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        String location = r.headers().firstValue("Location").orElseThrow();
        return Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
    }

    static String issue(String name, String scope) {
        JsonNode body = ok(api("POST", "/api/v1/admin/tokens", "{\"name\":\"" + name + "\",\"scopes\":[\"" + scope + "\"]}",
                RunningTool.ADMIN_TOKEN));
        return body.path("token").asText();
    }

    static String section2Timetable() {
        List<String> sessions = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            LocalDate day = LocalDate.of(2026, 9, 1).plusDays(i);
            sessions.add("{\"sessionId\":\"X-" + i + "\",\"start\":\"" + day + "T10:00:00+05:00\",\"end\":\"" + day
                    + "T10:50:00+05:00\",\"kind\":\"lecture\",\"hours\":1,\"room\":\"B-101\",\"onlineUrl\":null}");
        }
        return "[" + String.join(",", sessions) + "]";
    }

    static String section2Roster() {
        return "[{\"personId\":\"P-2001\",\"role\":\"student\"},{\"personId\":\"T-8\",\"role\":\"teacher\"}]";
    }

    static String platformJson(String issuer) {
        return """
                {"issuer": "%s", "clientId": "client-x", "name": "Another platform",
                 "authLoginUrl": "%s/mod/lti/auth.php", "authTokenUrl": "%s/mod/lti/token.php",
                 "keySetUrl": "%s/mod/lti/certs.php", "deploymentIds": ["1"]}""".formatted(issuer, issuer, issuer, issuer);
    }

    static Map<String, String> platformForm(String csrf, String issuer) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("_csrf", csrf);
        m.put("issuer", issuer);
        m.put("clientId", "client-y");
        m.put("name", "Sixth platform");
        m.put("authLoginUrl", issuer + "/mod/lti/auth.php");
        m.put("authTokenUrl", issuer + "/mod/lti/token.php");
        m.put("keySetUrl", issuer + "/mod/lti/certs.php");
        m.put("deploymentIds", "1");
        return m;
    }

    static Map<String, String> marks(String csrf, String personId) {
        return Map.of("_csrf", csrf, "p.0", personId, "s.0", "LATE", "m.0", "5");
    }

    static Map<String, String> newSession(String csrf) {
        return Map.of("_csrf", csrf, "date", "2026-12-01", "start", "09:00", "duration", "50", "hours", "1",
                "kind", "lecture", "room", "", "repeat", "1");
    }

    static Map<String, String> excuseForm(String csrf, String sessionId) {
        Map<String, String> m = new LinkedHashMap<>();
        if (csrf != null) {
            m.put("_csrf", csrf);
        }
        m.put("dateFrom", "");
        m.put("dateTo", "");
        m.put("session", sessionId);
        m.put("reason", "Отбасылық жағдай");
        return m;
    }

    static Map<String, String> override(String csrf) {
        Map<String, String> m = new LinkedHashMap<>();
        if (csrf != null) {
            m.put("_csrf", csrf);
        }
        m.put("personId", "P-1001");
        m.put("decision", "ADMITTED");
        m.put("reason", "Бұйрық №45");
        return m;
    }

    static HttpResponse<String> api(String method, String path, String json, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.tool.baseUrl() + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A multipart POST of one picture in the field {@code image}, with the token. */
    static HttpResponse<String> apiPicture(String path, String token, byte[] picture) {
        String boundary = "----qatysu" + System.nanoTime();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"photo.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        body.writeBytes(picture);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // Expect: 100-continue, as an uploader should: a refused caller is answered before the picture is sent, instead
        // of the server closing the connection under a body it will never read (a broken pipe on a slow machine)
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.tool.baseUrl() + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String abbreviate(String body) {
        String flat = body.replaceAll("\\s+", " ");
        return flat.length() > 400 ? flat.substring(0, 400) + "…" : flat;
    }

    static final String BBB_CALLBACK = """
            {"version":"1.0","meeting_id":"matrix-room","internal_meeting_id":"0f1e2d3c-1700000000000",
             "data":{"metadata":{"meeting_name":"Matrix"},"duration":3000,
              "start":"2026-09-02 07:58:02 +0500","finish":"2026-09-02 08:52:40 +0500",
              "attendees":[{"ext_user_id":"P-1001","name":"A","moderator":false,"joins":["2026-09-02 08:01:10 +0500"],
                            "leaves":["2026-09-02 08:49:00 +0500"],"duration":2870}]}}""";

    /** The bearer BigBlueButton's post_events_analytics_callback.rb sends: HS512 over {"exp": …} with the secret. */
    static String bbbToken(String secret) {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"HS512\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"exp\":" + (System.currentTimeMillis() / 1000 + 24 * 3600) + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA512");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA512"));
            return header + "." + payload + "." + b64.encodeToString(mac.doFinal((header + "." + payload)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
