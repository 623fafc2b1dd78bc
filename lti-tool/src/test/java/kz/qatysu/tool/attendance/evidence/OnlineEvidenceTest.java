package kz.qatysu.tool.attendance.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import kz.qatysu.tool.testing.Api;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.CourseBrowser;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static kz.qatysu.tool.testing.LaunchClaims.LTI;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Online evidence end to end over real HTTP: Moodle-shaped launches, sections seeded through the REST API, BBB's
 * analytics callback signed HS512 the way {@code post_events_analytics_callback.rb} signs it, Zoom's S2S OAuth and
 * participants report on WireMock, CSV uploads, and the marks and standing read back from the API.
 */
class OnlineEvidenceTest {
    static final String BBB_SECRET = "8cd8ef52e8e101574e400365b55e11a6";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final String LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";
    private static final String INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";

    static WireMockServer zoom;
    static RunningTool tool;
    static TestPlatform platform;

    @BeforeAll
    static void start() {
        zoom = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        zoom.start();
        tool = RunningTool.start(Map.of(
                "QATYSU_VIDEOCONF_BBB_SECRET", BBB_SECRET,
                "QATYSU_VIDEOCONF_ZOOM_ACCOUNT_ID", "kaznu-acc-1",
                "QATYSU_VIDEOCONF_ZOOM_CLIENT_ID", "s2s-client",
                "QATYSU_VIDEOCONF_ZOOM_CLIENT_SECRET", "s2s-secret-value",
                "QATYSU_VIDEOCONF_ZOOM_API_URL", "http://127.0.0.1:" + zoom.port() + "/v2",
                "QATYSU_VIDEOCONF_ZOOM_OAUTH_URL", "http://127.0.0.1:" + zoom.port()), java.time.Clock.systemUTC());
        platform = new TestPlatform("http://127.0.0.1:8100", "evidence-client", "1");
        new LtiFlow(tool, platform, new Browser()).register();
    }

    @AfterAll
    static void stop() {
        tool.close();
        platform.close();
        zoom.stop();
    }

    @Test
    void a_bbb_analytics_callback_becomes_proposals_and_the_teacher_takes_them_without_overwriting_her_own_marks() {
        seedSection("BBB-1", "P-1001", "P-1002", "P-1003");
        // Moodle's BBB activity passes the Moodle user id as BBB userID; Moodle's LTI sub is that same id
        launch("BBB-1", "P-1001", "45", "Әлия Нұрланқызы", "aliya@example.kz", LEARNER);
        CourseBrowser teacher = launch("BBB-1", "T-7", "3", "Айгүл Серікқызы", "aigul@example.kz", INSTRUCTOR);

        // the teacher already marked P-1003 present by hand
        Map<String, String> grid = gridOf(teacher.get("/sessions/BBB-1-1").body());
        grid.put(statusField(grid, "P-1003"), "PRESENT");
        assertThat(teacher.post("/sessions/BBB-1-1/marks", grid).statusCode()).isEqualTo(303);

        var linked = teacher.post("/sessions/BBB-1-1/evidence/meeting", Map.of("_csrf", csrf(teacher, "/sessions/BBB-1-1/evidence"),
                "platform", "bbb", "meetingId", "bbb-room-BBB-1"));
        assertThat(linked.statusCode()).as(linked.body()).isEqualTo(303);

        var callback = callback(bearer(BBB_SECRET, Instant.now().plusSeconds(24 * 3600)), analyticsBody("bbb-room-BBB-1", "BBB-1-1"));
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(202);
        assertThat(callback.body()).contains("\"matched\":true");

        String page = teacher.get("/sessions/BBB-1-1/evidence").body();
        assertThat(row(page, "P-1001")).contains("Present", "46.83", "08:01").doesNotContain("Matched by name");
        assertThat(row(page, "P-1002")).contains("Late", "20 min late", "30", "08:20");
        assertThat(row(page, "P-1003")).contains("Absent", "You marked this differently").doesNotContain("checked");
        assertThat(page).contains("id=\"strangers\"", "Гость Қонақ", "not recognised", "teacher of the section");

        String marking = teacher.get("/sessions/BBB-1-1").body();
        assertThat(marking).contains("id=\"evidence-link\"", "evidence for 3 students", "46.83 min, first joined 08:01");

        var taken = teacher.post("/sessions/BBB-1-1/evidence/take", takeFormOf(page));
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(303);
        assertThat(teacher.follow(taken).body()).contains("Saved 2 marks from the proposals");

        JsonNode standing = api("GET", "/api/v1/sections/BBB-1/standing", null);
        assertThat(standingOf(standing, "P-1002").path("lateCount").asInt()).as("LATE 20 min was saved").isEqualTo(1);
        assertThat(standingOf(standing, "P-1003").path("absentHours").asInt()).as("her own PRESENT was kept").isZero();
        assertThat(teacher.get("/sessions/BBB-1-1").body()).containsPattern("value=\"LATE\" id=\"s-\\d-LATE\" checked");

        // now she ticks the conflicting row on purpose: the proposal replaces her mark and the standing follows
        String again = teacher.get("/sessions/BBB-1-1/evidence").body();
        Map<String, String> form = takeFormOf(again);
        form.put("take." + indexOf(again, "P-1003"), "1");
        assertThat(teacher.post("/sessions/BBB-1-1/evidence/take", form).statusCode()).isEqualTo(303);
        assertThat(standingOf(api("GET", "/api/v1/sections/BBB-1/standing", null), "P-1003").path("absentHours").asInt()).isEqualTo(1);
    }

    @Test
    void a_callback_with_a_wrong_signature_an_expired_token_or_a_broken_body_is_refused_and_stores_nothing() {
        seedSection("BBB-2", "P-1001");
        CourseBrowser teacher = launch("BBB-2", "T-7", "3", "Айгүл", null, INSTRUCTOR);
        teacher.post("/sessions/BBB-2-1/evidence/meeting", Map.of("_csrf", csrf(teacher, "/sessions/BBB-2-1/evidence"),
                "platform", "bbb", "meetingId", "bbb-room-BBB-2"));
        String body = analyticsBody("bbb-room-BBB-2", "BBB-2-1");

        var forged = callback(bearer("another-servers-secret-0000000000", Instant.now().plusSeconds(3600)), body);
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.body()).contains("unauthorized").doesNotContain(BBB_SECRET);
        assertThat(callback(bearer(BBB_SECRET, Instant.now().minusSeconds(3600)), body).statusCode()).isEqualTo(401);
        assertThat(callback(null, body).statusCode()).isEqualTo(401);
        var broken = callback(bearer(BBB_SECRET, Instant.now().plusSeconds(3600)), "{\"version\":\"1.0\",\"meeting_id\":\"bbb-room-BBB-2\"}");
        assertThat(broken.statusCode()).isEqualTo(400);

        assertThat(teacher.get("/sessions/BBB-2-1/evidence").body()).contains("id=\"no-evidence\"").doesNotContain("id=\"proposals\"");
    }

    @Test
    void a_callback_for_a_meeting_nobody_linked_yet_is_kept_and_attached_when_the_teacher_links_it() {
        seedSection("BBB-3", "P-1001", "P-1002");
        var early = callback(bearer(BBB_SECRET, Instant.now().plusSeconds(3600)), analyticsBody("moodle-room-77", "BBB-3-1"));
        assertThat(early.statusCode()).isEqualTo(202);
        assertThat(early.body()).contains("\"matched\":false");

        CourseBrowser teacher = launch("BBB-3", "T-7", "3", "Айгүл", null, INSTRUCTOR);
        // the same room is used every week: linking the second class does not take the first class's report
        teacher.post("/sessions/BBB-3-2/evidence/meeting", Map.of("_csrf", csrf(teacher, "/sessions/BBB-3-2/evidence"),
                "platform", "bbb", "meetingId", "moodle-room-77"));
        assertThat(teacher.get("/sessions/BBB-3-2/evidence").body()).contains("id=\"no-evidence\"");

        var linked = teacher.post("/sessions/BBB-3-1/evidence/meeting", Map.of("_csrf", csrf(teacher, "/sessions/BBB-3-1/evidence"),
                "platform", "bbb", "meetingId", "moodle-room-77"));
        String page = teacher.follow(linked).body();
        assertThat(page).contains("Kept BigBlueButton reports attached: 1");
        assertThat(row(page, "P-1002")).contains("Late", "20 min late");

        // one tick links the room to the remaining weeks; next week's report then finds its own class
        teacher.post("/sessions/BBB-3-1/evidence/meeting", Map.of("_csrf", csrf(teacher, "/sessions/BBB-3-1/evidence"),
                "platform", "bbb", "meetingId", "moodle-room-77", "allSessions", "1"));
        assertThat(teacher.get("/sessions/BBB-3-4/evidence").body()).contains("value=\"moodle-room-77\"", "id=\"no-evidence\"");
        var week4 = callback(bearer(BBB_SECRET, Instant.now().plusSeconds(3600)), analyticsBody("moodle-room-77", "BBB-3-4"));
        assertThat(week4.body()).contains("\"matched\":true");
        assertThat(row(teacher.get("/sessions/BBB-3-4/evidence").body(), "P-1002")).contains("Late");
        assertThat(row(teacher.get("/sessions/BBB-3-1/evidence").body(), "P-1002")).as("week 1 keeps its own report").contains("Late");
    }

    @Test
    void zoom_import_pages_through_the_report_and_matches_by_email_and_by_name_only_as_uncertain() {
        seedSection("ZM-1", "P-2001", "P-2002", "P-2003");
        launch("ZM-1", "P-2001", "sub-P-2001", "Айгерим Сейітқызы", "Aigerim.S@kaznu.kz", LEARNER);
        launch("ZM-1", "P-2002", "sub-P-2002", "Дәулет Шаһмаранұлы", null, LEARNER);
        CourseBrowser teacher = launch("ZM-1", "T-7", "3", "Айгүл", null, INSTRUCTOR);
        String day = LocalDate.of(2026, 9, 2).toString();
        zoom.stubFor(post(urlPathEqualTo("/oauth/token")).withQueryParam("grant_type", equalTo("account_credentials"))
                .withQueryParam("account_id", equalTo("kaznu-acc-1"))
                .willReturn(okJson("{\"access_token\":\"eyJzm.token\",\"token_type\":\"bearer\",\"expires_in\":3599,"
                        + "\"scope\":\"report:read:admin\",\"api_url\":\"https://api.zoom.us\"}")));
        zoom.stubFor(get(urlPathEqualTo("/v2/past_meetings/85746065432/instances")).willReturn(okJson("""
                {"meetings":[{"uuid":"Wq0kF1aRQ1mZ0yWqPZ8CbA==","start_time":"%sT02:58:51Z"},
                             {"uuid":"hJ8Qm3QyTT2nqPj0sB7xYg==","start_time":"2026-09-09T02:59:02Z"}]}""".formatted(day))));
        zoom.stubFor(get(urlPathMatching("/v2/report/meetings/Wq0kF1aRQ1mZ0yWqPZ8CbA%3D%3D/participants"))
                .withQueryParam("next_page_token", absent()).willReturn(okJson("""
                {"page_count":2,"page_size":300,"total_records":4,"next_page_token":"Tva2CuIdTgsv8wAnhyAdU3m06Y2HuLQtlh3",
                 "participants":[
                  {"id":"30R7kT7bTIKSNUFEuH_Qlg","user_id":"16778240","name":"Айгерим С.","user_email":"aigerim.s@kaznu.kz",
                   "join_time":"%1$sT03:00:40Z","leave_time":"%1$sT03:20:02Z","duration":1162,"failover":false,"status":"in_meeting"},
                  {"id":"30R7kT7bTIKSNUFEuH_Qlg","user_id":"16778241","name":"Айгерим С.","user_email":"aigerim.s@kaznu.kz",
                   "join_time":"%1$sT03:21:00Z","leave_time":"%1$sT03:50:00Z","duration":1740,"failover":false,"status":"in_meeting"}]}
                """.formatted(day))));
        zoom.stubFor(get(urlPathMatching("/v2/report/meetings/Wq0kF1aRQ1mZ0yWqPZ8CbA%3D%3D/participants"))
                .withQueryParam("next_page_token", equalTo("Tva2CuIdTgsv8wAnhyAdU3m06Y2HuLQtlh3")).willReturn(okJson("""
                {"page_count":2,"page_size":300,"total_records":4,"next_page_token":"",
                 "participants":[
                  {"id":"","user_id":"16778250","name":"Дәулет  Шаһмаранұлы","user_email":"",
                   "join_time":"%1$sT03:02:00Z","leave_time":"%1$sT03:45:00Z","duration":2580,"failover":false,"status":"in_meeting"},
                  {"id":"","user_id":"16778251","name":"iPhone","user_email":"",
                   "join_time":"%1$sT02:55:00Z","leave_time":"%1$sT03:01:00Z","duration":360,"failover":false,"status":"in_waiting_room"},
                  {"id":"","user_id":"16778252","name":"Guest 1","user_email":"",
                   "join_time":"%1$sT03:10:00Z","leave_time":"%1$sT03:30:00Z","duration":1200,"failover":false,"status":"in_meeting"}]}
                """.formatted(day))));

        var linked = teacher.post("/sessions/ZM-1-1/evidence/meeting", Map.of("_csrf", csrf(teacher, "/sessions/ZM-1-1/evidence"),
                "platform", "zoom", "meetingId", "https://kaznu.zoom.us/j/85746065432?pwd=abc"));
        assertThat(teacher.follow(linked).body()).contains("value=\"85746065432\"", "id=\"import-zoom\"");
        var imported = teacher.post("/sessions/ZM-1-1/evidence/zoom", Map.of("_csrf", csrf(teacher, "/sessions/ZM-1-1/evidence")));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(303);
        String page = teacher.follow(imported).body();
        assertThat(page).contains("Imported 4 participant rows", "Zoom (participants report)");
        assertThat(row(page, "P-2001")).contains("Present", "48.36", "08:00").doesNotContain("Matched by name");
        assertThat(row(page, "P-2002")).contains("Present", "Matched by name only").doesNotContain("checked");
        assertThat(row(page, "P-2003")).contains("Absent", "checked");
        assertThat(page).contains("Guest 1").doesNotContain("iPhone");
        zoom.verify(2, getRequestedFor(urlPathMatching("/v2/report/meetings/.+/participants")));
    }

    @Test
    void a_zoom_participants_csv_and_a_generic_csv_become_proposals_and_a_broken_file_names_its_line() {
        seedSection("CSV-1", "P-3001", "P-3002");
        launch("CSV-1", "P-3001", "sub-P-3001", "Ержан Болатұлы", "erzhan@univ.kz", LEARNER);
        CourseBrowser teacher = launch("CSV-1", "T-7", "3", "Айгүл", null, INSTRUCTOR);
        String zoomCsv = """
                Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants
                857 4606 5432,Алгебра,09/02/2026 07:58:51 AM,09/02/2026 08:52:10 AM,aigul@univ.kz,54,3

                Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,In Waiting Room
                "Ержан Болатұлы",erzhan@univ.kz,09/02/2026 08:12:30 AM,09/02/2026 08:50:00 AM,38,No,No
                Someone,,09/02/2026 07:59:00 AM,09/02/2026 08:01:00 AM,2,Yes,Yes
                """;
        var uploaded = multipart(teacher, "/sessions/CSV-1-1/evidence/csv", "participants.csv", zoomCsv.getBytes(StandardCharsets.UTF_8));
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(303);
        String page = teacher.follow(uploaded).body();
        assertThat(page).contains("Imported 1 participant rows", "CSV (Zoom export)");
        assertThat(row(page, "P-3001")).contains("Late", "13 min late", "37.5", "08:12");
        assertThat(row(page, "P-3002")).contains("Absent");

        var generic = multipart(teacher, "/sessions/CSV-1-1/evidence/csv", "own.csv",
                "person;join;leave\nP-3002;2026-09-02 08:00;2026-09-02 08:50\n".getBytes(StandardCharsets.UTF_8));
        assertThat(generic.statusCode()).isEqualTo(303);
        String replaced = teacher.follow(generic).body();
        assertThat(row(replaced, "P-3002")).contains("Present", "50");
        assertThat(row(replaced, "P-3001")).as("the new file replaced the previous CSV").contains("Absent");

        var broken = multipart(teacher, "/sessions/CSV-1-1/evidence/csv", "bad.csv",
                "person,join,leave\nP-3001,2026-09-02 08:00,2026-09-02 08:50\nP-3002,yesterday,2026-09-02 08:50\n".getBytes(StandardCharsets.UTF_8));
        assertThat(broken.statusCode()).isEqualTo(422);
        assertThat(broken.body()).contains("nothing was imported", "line 3", "yesterday");
        assertThat(row(teacher.get("/sessions/CSV-1-1/evidence").body(), "P-3002")).as("the broken file changed nothing").contains("Present");
    }

    /**
     * Issue 12 §1: a timetable sent in UTC (03:00Z = 08:00 in Almaty) is shown in the institution's zone
     * ({@code ui.timeZone}) on the evidence page and beside the grid; a CSV's times without an offset (a Zoom or BBB
     * export, written in the exporting account's zone) are read in that zone too, not in the timetable's UTC, and times
     * with an offset are taken as they are.
     */
    @Test
    void a_session_sent_in_utc_shows_its_evidence_in_the_institutions_zone_and_a_csv_without_offset_is_read_in_it() {
        seedSection("UTC-E", "P-5001", "P-5002");
        api("PUT", "/api/v1/sections/UTC-E/sessions", "[{\"sessionId\":\"UTC-E-1\",\"start\":\"2026-09-02T03:00:00Z\","
                + "\"end\":\"2026-09-02T03:50:00Z\",\"kind\":\"lecture\",\"hours\":1}]");
        CourseBrowser teacher = launch("UTC-E", "T-7", "3", "Айгүл", null, INSTRUCTOR);
        var uploaded = multipart(teacher, "/sessions/UTC-E-1/evidence/csv", "own.csv",
                ("person,join,leave\nP-5001,2026-09-02 08:05,2026-09-02 08:50\n"
                        + "P-5002,2026-09-02T03:20:00Z,2026-09-02T03:50:00Z\n").getBytes(StandardCharsets.UTF_8));
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(303);
        String page = teacher.follow(uploaded).body();
        assertThat(page).contains("02.09.2026 · 08:00–08:50").doesNotContain("03:00–03:50");
        assertThat(row(page, "P-5001")).as("08:05 without an offset is Almaty's 08:05, not 08:05 UTC").contains("08:05").doesNotContain("Absent");
        assertThat(row(page, "P-5002")).as("03:20Z is 08:20 in Almaty").contains("Late", "08:20");
        String received = tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT to_char(received_at AT TIME ZONE 'Asia/Almaty', 'DD.MM.YYYY HH24:MI') FROM evidence_import i"
                        + " WHERE i.session_id = 'UTC-E-1'").mapTo(String.class).one());
        assertThat(page).as("received at, in Almaty").contains(received);
        assertThat(teacher.get("/sessions/UTC-E-1").body()).contains("02.09.2026 · 08:00–08:50", "first joined 08:05")
                .doesNotContain("03:00");
    }

    @Test
    void what_is_wrong_with_a_csv_file_is_told_in_the_teachers_language() {
        seedSection("CSV-L", "P-3101");
        CourseBrowser ru = launch("CSV-L", "T-7", "3", "Айгүл", null, INSTRUCTOR, "ru");
        var notATime = multipart(ru, "/sessions/CSV-L-1/evidence/csv", "bad.csv",
                "person,join,leave\nP-3101,yesterday,2026-09-02 08:50\n".getBytes(StandardCharsets.UTF_8));
        assertThat(notATime.statusCode()).isEqualTo(422);
        assertThat(notATime.body()).contains("строка 2: столбец join: «yesterday» — не время").doesNotContain("is not a time", "line 2");
        var backwards = multipart(ru, "/sessions/CSV-L-1/evidence/csv", "bad.csv",
                "person,join,leave\nP-3101,2026-09-02 08:30,2026-09-02 08:10\n".getBytes(StandardCharsets.UTF_8));
        assertThat(backwards.body()).as("times in the institution's zone, not UTC instants")
                .contains("строка 2: выход (02.09.2026 08:10) раньше входа (02.09.2026 08:30)");
        CourseBrowser kk = launch("CSV-L", "T-7", "3", "Айгүл", null, INSTRUCTOR, "kk");
        var shifted = multipart(kk, "/sessions/CSV-L-1/evidence/csv", "bad.csv",
                "person,join,leave\nP-3101,2026-09-02 08:00,2026-09-02 08:50,extra\n".getBytes(StandardCharsets.UTF_8));
        assertThat(shifted.body()).contains("2-жол: өрістер саны 4, ал тақырыпта 3").doesNotContain("fields where the header has");
        var unclosed = multipart(kk, "/sessions/CSV-L-1/evidence/csv", "bad.csv",
                "person,join,leave\n\"P-3101,2026-09-02 08:00,2026-09-02 08:50\n".getBytes(StandardCharsets.UTF_8));
        assertThat(unclosed.body()).contains("2-жол: осы жолда ашылған тырнақша жабылмаған");
    }

    @Test
    void students_cannot_see_or_post_evidence_and_a_teacher_of_another_section_gets_404() {
        seedSection("OWN-A", "P-4001");
        seedSection("OWN-B", "P-4001");
        CourseBrowser student = launch("OWN-A", "P-4001", "sub-P-4001", "Әлия", null, LEARNER);
        CourseBrowser otherTeacher = launch("OWN-B", "T-9", "9", "Бөтен", null, INSTRUCTOR);
        CourseBrowser teacher = launch("OWN-A", "T-7", "3", "Айгүл", null, INSTRUCTOR);
        teacher.post("/sessions/OWN-A-1/evidence/meeting", Map.of("_csrf", csrf(teacher, "/sessions/OWN-A-1/evidence"),
                "platform", "bbb", "meetingId", "room-own-a"));
        callback(bearer(BBB_SECRET, Instant.now().plusSeconds(3600)), analyticsBody("room-own-a", "OWN-A-1"));

        assertThat(student.get("/sessions/OWN-A-1/evidence").statusCode()).isEqualTo(403);
        assertThat(student.post("/sessions/OWN-A-1/evidence/take", Map.of("_csrf", "x", "version", "1", "p.0", "P-4001",
                "was.0", "", "take.0", "1")).statusCode()).isEqualTo(403);
        assertThat(student.post("/sessions/OWN-A-1/evidence/meeting", Map.of("_csrf", "x", "platform", "bbb", "meetingId", "evil"))
                .statusCode()).isEqualTo(403);
        assertThat(otherTeacher.get("/sessions/OWN-A-1/evidence").statusCode()).isEqualTo(404);
        assertThat(otherTeacher.post("/sessions/OWN-A-1/evidence/take", Map.of("_csrf", csrf(otherTeacher, "/sessions/OWN-B-1/evidence"),
                "version", "1", "p.0", "P-4001", "was.0", "", "take.0", "1")).statusCode()).isEqualTo(404);
        // without the CSRF token the section's own teacher is refused too
        assertThat(teacher.post("/sessions/OWN-A-1/evidence/take", Map.of("p.0", "P-4001", "was.0", "", "take.0", "1"))
                .statusCode()).isEqualTo(403);
        assertThat(standingOf(api("GET", "/api/v1/sections/OWN-A/standing", null), "P-4001").path("absentHours").asInt()).isZero();
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /**
     * The analytics callback body as the script posts it for class {@code sessionId} (08:00–08:50 +05:00): Moodle user
     * 45 (a number) present nearly all the class with a reconnect, P-1002 / P-xxx2 (a string) from 08:20, the teacher
     * as moderator, and a guest with an internal id only. Times in Ruby's {@code Time#to_s}.
     */
    static String analyticsBody(String meetingId, String sessionId) {
        String d = classDay(sessionId).toString();
        String second = sessionId.startsWith("BBB-1") ? "P-1002" : sessionId.startsWith("OWN") ? "P-4001" : "P-1002";
        return """
                {"version":"1.0","meeting_id":"%2$s","internal_meeting_id":"183f0bf3a0982a127bdb8161e0c44eb696b3e75c-%3$s",
                 "data":{"metadata":{"meeting_name":"Алгебра","analytics_callback_url":"https://qatysu.example.kz/api/v1/videoconf/bbb/analytics","is_breakout":"false"},
                  "duration":3000,"start":"%1$s 07:58:02 +0500","finish":"%1$s 08:52:40 +0500",
                  "attendees":[
                   {"ext_user_id":45,"name":"Әлия Нұрланқызы","moderator":false,
                    "joins":["%1$s 08:01:10 +0500","%1$s 08:21:00 +0500"],"leaves":["%1$s 08:20:00 +0500","%1$s 08:49:00 +0500"],
                    "duration":2870,"recent_talking_time":"","engagement":{"chats":2,"talks":1,"raisehand":0,"emojis":0,"poll_votes":1,"talk_time":12}},
                   {"ext_user_id":"%4$s","name":"Second Student","moderator":false,
                    "joins":["%1$s 08:20:00 +0500"],"leaves":["%1$s 08:50:00 +0500"],"duration":1800,"recent_talking_time":"",
                    "engagement":{"chats":0,"talks":0,"raisehand":0,"emojis":0,"poll_votes":0,"talk_time":0}},
                   {"ext_user_id":"T-7","name":"Айгүл Серікқызы","moderator":true,
                    "joins":["%1$s 07:58:05 +0500"],"leaves":["%1$s 08:52:40 +0500"],"duration":3275,"recent_talking_time":"",
                    "engagement":{"chats":5,"talks":30,"raisehand":0,"emojis":0,"poll_votes":0,"talk_time":1900}},
                   {"ext_user_id":"w_k1zsfjh5aqkq","name":"Гость Қонақ","moderator":false,
                    "joins":["%1$s 08:10:00 +0500"],"leaves":["%1$s 08:30:00 +0500"],"duration":1200,"recent_talking_time":"",
                    "engagement":{"chats":0,"talks":0,"raisehand":0,"emojis":0,"poll_votes":0,"talk_time":0}}],
                  "files":["default.pdf"],"polls":[]}}""".formatted(d, meetingId, System.nanoTime(), second);
    }

    /** {@code SECTION-n} is held on 2026-09-01 + n days, 08:00–08:50 +05:00 (see {@link #seedSection}). */
    static LocalDate classDay(String sessionId) {
        return LocalDate.of(2026, 9, 1).plusDays(Integer.parseInt(sessionId.substring(sessionId.lastIndexOf('-') + 1)));
    }

    /** {@code JWT.encode({exp:}, secret, 'HS512', {typ: 'JWT'})} as the Ruby jwt gem builds it. */
    static String bearer(String secret, Instant exp) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"HS512\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"exp\":" + exp.getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
            return "Bearer " + header + "." + payload + "."
                    + b64.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> callback(String authorization, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tool.baseUrl() + "/api/v1/videoconf/bbb/analytics"))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .header("Content-Type", "application/json").header("User-Agent", "BigBlueButton Analytics Callback");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_participants_csv_whose_file_name_holds_a_nul_is_a_400_naming_it_and_nothing_is_imported() {
        seedSection("CSV-NUL", "P-3101");
        CourseBrowser teacher = launch("CSV-NUL", "T-7", "3", "Айгүл", null, INSTRUCTOR);
        long imports = tool.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM evidence_import")
                .mapTo(Long.class).one());
        var r = multipart(teacher, "/sessions/CSV-NUL-1/evidence/csv", "zoom\u0000.csv",
                "person,join,leave\nP-3101,2026-09-02 08:00,2026-09-02 08:50\n".getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("the multipart form could not be read"); // the parser refuses a NUL in a part header
        long after = tool.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM evidence_import")
                .mapTo(Long.class).one());
        assertThat(after).isEqualTo(imports);
    }

    private static CourseBrowser launch(String section, String person, String sub, String name, String email, String role) {
        return launch(section, person, sub, name, email, role, "en");
    }

    private static CourseBrowser launch(String section, String person, String sub, String name, String email, String role, String locale) {
        CourseBrowser course = CourseBrowser.launch(tool, platform, c -> {
            c.put(LTI + "lis", Map.of("person_sourcedid", person, "course_section_sourcedid", section));
            c.put(LTI + "context", Map.of("id", "ctx-" + section, "label", section, "title", "Course " + section, "type", List.of("CourseSection")));
            c.put(LTI + "roles", List.of(role));
            c.put("sub", sub);
            c.put("name", name);
            if (email == null) {
                c.remove("email");
            } else {
                c.put("email", email);
            }
            c.put(LTI + "launch_presentation", Map.of("locale", locale, "document_target", "iframe"));
        });
        assertThat(course.get("/").statusCode()).isEqualTo(200); // the course home teaches the tool the name and e-mail
        return course;
    }

    /** Section {@code id}: four one-hour sessions {@code id-1…4} on 2026-09-02…05 08:00–08:50 +05:00, the students, teacher T-7. */
    private static void seedSection(String id, String... students) {
        api("PUT", "/api/v1/sections/" + id, "{\"title\": \"Course " + id + "\", \"termStart\": \"2026-09-01\", \"termEnd\": \"2026-12-25\"}");
        List<String> roster = new ArrayList<>();
        for (String s : students) {
            roster.add("{\"personId\":\"" + s + "\",\"role\":\"student\"}");
        }
        roster.add("{\"personId\":\"T-7\",\"role\":\"teacher\"}");
        api("PUT", "/api/v1/sections/" + id + "/enrolments", "[" + String.join(",", roster) + "]");
        List<String> sessions = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            LocalDate day = LocalDate.of(2026, 9, 1).plusDays(i);
            sessions.add("{\"sessionId\":\"" + id + "-" + i + "\",\"start\":\"" + day + "T08:00:00+05:00\",\"end\":\"" + day
                    + "T08:50:00+05:00\",\"kind\":\"lecture\",\"hours\":1}");
        }
        api("PUT", "/api/v1/sections/" + id + "/sessions", "[" + String.join(",", sessions) + "]");
    }

    static JsonNode api(String method, String path, String json) {
        Api api = Api.admin(tool);
        return api.ok(api.send(method, path, json));
    }

    private static JsonNode standingOf(JsonNode standing, String personId) {
        JsonNode rows = standing.has("students") ? standing.get("students") : standing;
        return StreamSupport.stream(rows.spliterator(), false).filter(r -> r.path("personId").asText().equals(personId))
                .findFirst().orElseThrow(() -> new AssertionError("no standing row for " + personId + " in " + standing));
    }

    /** The evidence grid's row of a person (from its {@code <tr>} to the next). */
    private static String row(String page, String personId) {
        int at = page.indexOf("data-person=\"" + personId + "\"");
        assertThat(at).as("a row for " + personId + " in\n" + page).isPositive();
        int end = page.indexOf("</tr>", at);
        return page.substring(at, end);
    }

    private static int indexOf(String page, String personId) {
        Matcher m = Pattern.compile("id=\"ev-(\\d+)\" class=\"[^\"]*\" data-person=\"" + Pattern.quote(personId) + "\"").matcher(page);
        assertThat(m.find()).as("row of " + personId).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** The take form as a browser submits it: hidden fields and the checkboxes that are checked. */
    private static Map<String, String> takeFormOf(String page) {
        String form = page.substring(page.indexOf("id=\"take-form\""));
        form = form.substring(0, form.indexOf("</form>"));
        Map<String, String> out = new LinkedHashMap<>();
        Matcher hidden = Pattern.compile("type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"").matcher(form);
        while (hidden.find()) {
            out.put(hidden.group(1), hidden.group(2).replace("&#39;", "'").replace("&quot;", "\"").replace("&amp;", "&"));
        }
        Matcher checked = Pattern.compile("name=\"(take\\.\\d+)\" id=\"[^\"]+\" value=\"1\" checked").matcher(form);
        while (checked.find()) {
            out.put(checked.group(1), "1");
        }
        return out;
    }

    private static Map<String, String> gridOf(String html) {
        Map<String, String> form = new LinkedHashMap<>();
        Matcher c = CSRF.matcher(html);
        form.put("_csrf", c.find() ? c.group(1) : "");
        Matcher person = Pattern.compile("name=\"(p\\.\\d+)\" value=\"([^\"]*)\"").matcher(html);
        while (person.find()) {
            form.put(person.group(1), person.group(2));
        }
        return form;
    }

    private static String statusField(Map<String, String> grid, String personId) {
        return grid.entrySet().stream().filter(e -> e.getKey().startsWith("p.") && e.getValue().equals(personId))
                .map(e -> "s." + e.getKey().substring(2)).findFirst().orElseThrow();
    }

    private static String csrf(CourseBrowser c, String path) {
        Matcher m = CSRF.matcher(c.get(path).body());
        return m.find() ? m.group(1) : "no-form-here";
    }

    /** A multipart/form-data POST as the CSV form sends it (the CSRF token as a form field). */
    private static HttpResponse<String> multipart(CourseBrowser c, String path, String fileName, byte[] file) {
        String token = csrf(c, path.replace("/csv", ""));
        String boundary = "----qatysu" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + token + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tool.baseUrl() + c.base() + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Cookie", c.browser().cookies().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("; ")));
        try {
            return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
                    .send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
