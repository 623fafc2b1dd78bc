package kz.qatysu.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import kz.qatysu.tool.proctoring.lms.moodle.QuizCaptures;
import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.proctoring.browser.ProctoringChromium;
import kz.qatysu.tool.staff.StaffLogin;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.PageChecks;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static kz.qatysu.tool.excuses.DeansFixture.SECTION;
import static kz.qatysu.tool.excuses.DeansFixture.csrf;
import static kz.qatysu.tool.excuses.DeansFixture.form;
import static kz.qatysu.tool.excuses.DeansFixture.ok;
import static kz.qatysu.tool.testing.LaunchClaims.LTI;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The teacher's, the student's, the dean's office's and the administrator's pages in headless Chromium with realistic
 * data (named students in two academic groups, absences, an excuse waiting for a decision, online evidence, a
 * session open for check-in, a proctored exam mapped to a Moodle quiz (Moodle 4.5 answered by WireMock from its captures,
 * as in QuizPagesTest), an adviser), issue 12 §6:
 * <ul>
 *   <li>at 390 px (a phone) no page scrolls sideways and every tap target is at least 24×24 px or spaced as WCAG 2.2
 *       allows ({@link PageChecks#phone});</li>
 *   <li>axe-core finds no serious or critical violation, nor the ones the issue named, on the main pages in kk and
 *       en ({@link PageChecks#axe}).</li>
 * </ul>
 * One browser per test, the pages in sequence; every problem of every page is reported at once.
 */
class PagesInChromiumTest {
    static final String MOODLE_TOKEN = "moodle-ws-token-pages-0123456789";
    static WireMockServer moodle;
    static DeansFixture f;
    static Seeded data;

    /** What the seeding made: the course pages' bases per language and role, the exam, the adviser's browser. */
    record Seeded(Map<String, String> teacher, Map<String, String> student, List<Browser> launches, String examId, Browser adviser,
                  String checkinSession) {
    }

    @BeforeAll
    static void start() {
        ProctoringChromium.assumeInstalled();
        moodle = new WireMockServer(com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        moodle.start();
        moodle.stubFor(post(urlPathEqualTo(QuizCaptures.PATH)).withRequestBody(containing("wsfunction=mod_quiz_get_quizzes_by_courses"))
                .willReturn(QuizCaptures.response("ws_quiz_overrides_00_get_quizzes_by_courses")));
        moodle.stubFor(post(urlPathEqualTo(QuizCaptures.PATH)).withRequestBody(containing("wsfunction=mod_quiz_delete_overrides"))
                .willReturn(QuizCaptures.response("ws_quiz_overrides_26_delete_error_id_of_other_quiz")));
        // the same Moodle takes the warnings as private messages (delivered, as a healthy Moodle answers)
        moodle.stubFor(post(urlPathEqualTo(QuizCaptures.PATH)).withRequestBody(containing("wsfunction=core_message_send_instant_messages"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(
                        "[{\"msgid\":7,\"clientmsgid\":\"qatysu-1\",\"text\":\"<p>…</p>\",\"timecreated\":1764000000,\"conversationid\":3,"
                                + "\"useridfrom\":2,\"candeletemessagesforallusers\":false}]")));
        f = DeansFixture.start(Map.of("QATYSU_MOODLE_0_ISSUER", "https://moodle.example.kz", "QATYSU_MOODLE_0_URL", moodle.baseUrl(),
                "QATYSU_MOODLE_0_TOKEN", MOODLE_TOKEN));
        data = seed();
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
        if (moodle != null) {
            moodle.stop();
        }
    }

    @Test
    void at_390_px_no_page_scrolls_sideways_every_tap_target_is_at_least_24_px_and_no_raw_iso_date_or_enum_shows() throws Exception {
        List<String> problems = new ArrayList<>();
        try (ProctoringChromium chromium = chromium()) {
            WebDriver driver = chromium.driver();
            ((ChromeDriver) driver).executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", 390, "height", 844, "deviceScaleFactor", 2, "mobile", true));
            signInEverywhere(driver, f.admin());
            List<Browser> launched = new ArrayList<>();
            launchIn("kk", launched, data.teacher(), data.student());
            launched.forEach(b -> b.cookies().forEach((name, value) -> driver.manage().addCookie(new Cookie(name, value, "/"))));
            JavascriptExecutor js = (JavascriptExecutor) driver;
            for (String url : pages("kk", true)) {
                open(driver, url);
                PageChecks.phone(js, 390).forEach(p -> problems.add(url + " → " + p));
                PageChecks.rawText(js).forEach(p -> problems.add(url + " → " + p));
            }
            // the adviser's page, with the adviser's staff session in place of the dean's office's
            driver.manage().deleteCookieNamed("qatysu_admin");
            data.adviser().cookies().forEach((name, value) -> driver.manage().addCookie(new Cookie(name, value, "/")));
            String advisees = f.tool.baseUrl() + "/admin/advisees";
            open(driver, advisees);
            assertThat(driver.getPageSource()).contains("Нұрланқызы");
            PageChecks.phone(js, 390).forEach(p -> problems.add(advisees + " → " + p));
        }
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }

    @Test
    void axe_core_finds_nothing_serious_or_critical_on_the_main_pages_in_kazakh_and_english() throws Exception {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String axe = PageChecks.axeScript();
        try (ProctoringChromium chromium = chromium()) {
            WebDriver driver = chromium.driver();
            driver.manage().timeouts().scriptTimeout(PageChecks.AXE_TIMEOUT);
            signInEverywhere(driver, f.admin());
            JavascriptExecutor js = (JavascriptExecutor) driver;
            for (String language : List.of("kk", "en")) {
                // the admin pages follow the browser's language, the course pages the launch's
                ((ChromeDriver) driver).executeCdpCommand("Emulation.setUserAgentOverride",
                        Map.of("userAgent", (String) js.executeScript("return navigator.userAgent"), "acceptLanguage", language));
                List<Browser> launched = new ArrayList<>();
                launchIn(language, launched, data.teacher(), data.student());
                launched.forEach(b -> b.cookies().forEach((name, value) -> driver.manage().addCookie(new Cookie(name, value, "/"))));
                for (String url : pages(language, false)) {
                    open(driver, url);
                    assertThat(driver.findElement(org.openqa.selenium.By.tagName("html")).getAttribute("lang")).as(url).isEqualTo(language);
                    List<String> minor = new ArrayList<>();
                    PageChecks.axe(js, axe, minor).forEach(p -> problems.add(url + " → " + p));
                    minor.forEach(m -> notes.add(url + " → " + m));
                }
            }
        }
        notes.forEach(n -> System.out.println("axe (moderate/minor, not failing): " + n));
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }

    /**
     * The pages to visit: with {@code all}, every page of the check-in, evidence, excuses and admin areas too (the
     * phone test); else the main pages (the axe test).
     */
    private static List<String> pages(String language, boolean all) {
        String base = f.tool.baseUrl();
        String t = base + data.teacher().get(language);
        String s = base + data.student().get(language);
        String session = data.checkinSession();
        String exam = data.examId();
        List<String> out = new ArrayList<>(List.of(
                t + "/", t + "/sessions/S-1", t + "/reports/course", t + "/checkin", t + "/checkin/" + session,
                t + "/checkin/" + session + "/projector", t + "/checkin/S-2", t + "/sessions/S-1/evidence", t + "/excuses", t + "/exam-gate",
                t + "/exams/" + exam + "/attempts",
                s + "/", s + "/exam-gate", s + "/excuses", s + "/exams/" + exam,
                base + "/admin", base + "/admin/excuses", base + "/admin/sections", base + "/admin/sections/" + SECTION,
                base + "/admin/sections/" + SECTION + "/students/P-1001", base + "/admin/unmarked-sessions",
                base + "/admin/proctoring/exams/" + exam,
                // the exam's Moodle quiz and its results delivery: the teacher's and the dean's office's
                t + "/exams/" + exam + "/moodle", t + "/exams/" + exam + "/delivery",
                base + "/admin/sections/" + SECTION + "/exams/" + exam + "/moodle",
                base + "/admin/sections/" + SECTION + "/exams/" + exam + "/delivery"));
        if (all) {
            out.addAll(List.of(t + "/roster", t + "/timetable/new", t + "/exams", t + "/reports/admission",
                    s + "/reports/me", s + "/checkin",
                    base + "/admin/reports/sections/" + SECTION, base + "/admin/reports/sessions/S-1",
                    base + "/admin/reports/students/P-1001", base + "/admin/reports/groups",
                    base + "/admin/reports/groups/" + URLEncoder.encode("ИС-24-1", StandardCharsets.UTF_8).replace("+", "%20"),
                    base + "/admin/courses", base + "/admin/notifications", base + "/admin/staff",
                    base + "/admin/sections/" + SECTION + "/admission", base + "/admin/reports/sections/" + SECTION + "/admission",
                    base + "/admin/sections/" + SECTION + "/exams", base + "/admin/sections/" + SECTION + "/exams/" + exam + "/edit",
                    base + "/admin/proctoring/persons/P-1001"));
        }
        return out;
    }

    private static ProctoringChromium chromium() throws Exception {
        Path profile = Files.createTempDirectory("qatysu-pages-chromium-");
        ChromeOptions options = ProctoringChromium.commonOptions(profile, null);
        options.addArguments("--headless=new");
        return ProctoringChromium.headless(options, profile);
    }

    /** The launches' and the dean's office's cookies in the browser (the sessions were made over HTTP). */
    private static void signInEverywhere(WebDriver driver, Browser admin) {
        driver.get(f.tool.baseUrl() + "/health");
        for (Browser b : data.launches()) {
            b.cookies().forEach((name, value) -> driver.manage().addCookie(new Cookie(name, value, "/")));
        }
        admin.cookies().forEach((name, value) -> driver.manage().addCookie(new Cookie(name, value, "/")));
    }

    /** Opens {@code url}, fails on an error page, waits until it has loaded. */
    private static void open(WebDriver driver, String url) {
        driver.get(url);
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
        assertThat(driver.getPageSource()).as(url + " is a page of ours, not an error").doesNotContain("class=\"error\"", "HTTP ERROR");
    }

    /**
     * The realistic data: the fixture's section (S-1…S-10 in September) with named students in two groups and an
     * adviser, absences and a present mark, a session running now (check-in), an excuse waiting, a CSV of an online
     * session, a proctored exam open now; teacher and student launches in kk and en; a course launched without a
     * portal section (the course-mapping page); the adviser signed in.
     */
    private static Seeded seed() {
        ok(f.api("PUT", "/api/v1/sections/" + SECTION + "/enrolments", """
                [{"personId":"P-1001","role":"student","group":"ИС-24-1","familyName":"Нұрланқызы","givenName":"Әлия","middleName":"Серікқызы","adviserId":"ADV-1"},
                 {"personId":"P-1002","role":"student","group":"ИС-24-2","familyName":"Шаһмаранұлы-Бекмұхамбетов","givenName":"Дәулетқали","adviserId":"ADV-1"},
                 {"personId":"T-7","role":"teacher","familyName":"Серікқызы","givenName":"Айгүл"}]""", RunningTool.ADMIN_TOKEN));
        ZonedDateTime now = ZonedDateTime.now(ZoneId.of("Asia/Almaty")).truncatedTo(ChronoUnit.MINUTES);
        f.timetable("{\"sessionId\":\"S-NOW\",\"start\":\"" + now.minusMinutes(10).toOffsetDateTime() + "\",\"end\":\""
                + now.plusMinutes(70).toOffsetDateTime() + "\",\"kind\":\"seminar\",\"hours\":2,\"room\":\"Б-312\",\"group\":\"ИС-24-1\"}");
        f.absent("P-1001", "S-1", "S-2", "S-3");
        ok(f.api("PUT", "/api/v1/sessions/S-1/marks", "[{\"personId\":\"P-1002\",\"status\":\"PRESENT\"}]", RunningTool.ADMIN_TOKEN));

        List<Browser> launches = new ArrayList<>();
        Map<String, String> teacher = new LinkedHashMap<>();
        Map<String, String> student = new LinkedHashMap<>();
        launchIn("kk", launches, teacher, student);
        // a course without a portal section code: the dean's office maps it on /admin/courses
        launch(launches, true, c -> {
            c.put(LTI + "lis", Map.of("person_sourcedid", "T-7"));
            c.put(LTI + "context", Map.of("id", "77", "label", "ФИЗ-201", "title", "Физика (механика), күзгі семестр, ағылшын тобы"));
        });

        // an excuse waiting for the teacher's decision
        Browser studentBrowser = launches.get(1);
        String excuses = studentBrowser.get(f.tool.baseUrl() + student.get("kk") + "/excuses").body();
        assertThat(f.multipart(studentBrowser, student.get("kk") + "/excuses",
                form(csrf(excuses), null, null, List.of("S-2"), "Ауырып қалдым, емхананың анықтамасы қоса беріледі"), null, null)
                .statusCode()).isEqualTo(303);
        // the online evidence of S-1: a participants CSV
        Browser teacherBrowser = launches.get(0);
        String evidence = teacherBrowser.get(f.tool.baseUrl() + teacher.get("kk") + "/sessions/S-1/evidence").body();
        HttpResponse<String> csv = upload(teacherBrowser, teacher.get("kk") + "/sessions/S-1/evidence/csv", csrf(evidence),
                "person;join;leave\nP-1002;2026-09-02 08:00;2026-09-02 08:50\nP-1001;2026-09-02 08:20;2026-09-02 08:30\n");
        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(303);
        // check-in open for the session running now (the projector shows its code)
        String options = teacherBrowser.get(f.tool.baseUrl() + teacher.get("kk") + "/checkin/S-NOW").body();
        HttpResponse<String> opened = teacherBrowser.postForm(f.tool.baseUrl() + teacher.get("kk") + "/checkin/S-NOW/open",
                Map.of("_csrf", csrf(options)));
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(303);
        // a proctored exam open now
        Instant opens = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        HttpResponse<String> exam = f.api("POST", "/api/v1/sections/" + SECTION + "/exams", """
                {"title": "Алгоритмдер: қорытынды емтихан", "kind": "FINAL", "opensAt": "%s", "closesAt": "%s",
                 "proctored": true, "checks": {"idPhoto": true, "faceMatch": true, "roomScan": false, "screenShare": true},
                 "snapshotIntervalSeconds": 15, "campusAlternative": true, "identityTries": 3}""".formatted(opens, opens.plus(Duration.ofHours(4))),
                RunningTool.ADMIN_TOKEN);
        assertThat(exam.statusCode()).as(exam.body()).isEqualTo(201);
        String examId = json(exam.body()).path("examId").asText();
        // the exam gated by Moodle quiz 4 of course 2, saved on the teacher's page (Moodle's live checks shown there)
        String quizPage = f.tool.baseUrl() + teacher.get("kk") + "/exams/" + examId + "/moodle";
        HttpResponse<String> quiz = teacherBrowser.postForm(quizPage, Map.of("_csrf", csrf(teacherBrowser.get(quizPage).body()),
                "courseId", "2", "quizId", "4", "mode", "QUIZ_OVERRIDE", "sharedPassword", ""));
        assertThat(quiz.statusCode()).as(quiz.body()).isEqualTo(303);
        assertThat(teacherBrowser.get(quizPage).body()).contains("id=\"check-gates\" data-gates=\"true\"");
        // warnings the dean's office must see on /admin/notifications: one skipped for a reason of ours, one failing
        f.notificationProblems(SECTION);
        Browser adviser = StaffLogin.signIn(f, "ADV-1", "Бақыт Жұмабаева");
        return new Seeded(teacher, student, launches, examId, adviser, "S-NOW");
    }

    /**
     * The teacher's and the student's launches in {@code language}, their bases put in {@code teacher} and
     * {@code student}: a person's pages speak the language of their latest launch, so each language's pass launches
     * anew.
     */
    private static void launchIn(String language, List<Browser> launches, Map<String, String> teacher, Map<String, String> student) {
        teacher.put(language, launch(launches, true, c -> {
            c.put(LTI + "lis", Map.of("person_sourcedid", "T-7", "course_section_sourcedid", SECTION));
            c.put(LTI + "launch_presentation", Map.of("locale", language, "document_target", "iframe"));
        }));
        student.put(language, launch(launches, false, c -> {
            c.put("sub", "5");
            c.put("name", "Әлия Нұрланқызы");
            c.put(LTI + "lis", Map.of("person_sourcedid", "P-1001", "course_section_sourcedid", SECTION));
            c.put(LTI + "launch_presentation", Map.of("locale", language, "document_target", "iframe"));
        }));
    }

    /** A Moodle 4.5 launch (a teacher's or a student's) as {@code edit} changes it; its course pages' base. */
    private static String launch(List<Browser> launches, boolean teacher, Consumer<Map<String, Object>> edit) {
        Browser browser = new Browser();
        HttpResponse<String> r = new LtiFlow(f.tool, f.platform, browser).launch((nonce, target) -> {
            Map<String, Object> c = teacher ? LaunchClaims.moodleTeacher(f.platform, nonce, target)
                    : LaunchClaims.moodleStudent(f.platform, nonce, target);
            edit.accept(c);
            return c;
        });
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        launches.add(browser);
        String location = r.headers().firstValue("Location").orElseThrow();
        return location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
    }

    /** A participants CSV as the evidence page's form sends it (multipart, field {@code file}). */
    private static HttpResponse<String> upload(Browser browser, String path, String csrf, String csv) {
        String boundary = "----qatysu" + System.nanoTime();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + csrf + "\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"participants.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + csv + "\r\n--" + boundary + "--\r\n";
        StringBuilder cookies = new StringBuilder();
        browser.cookies().forEach((k, v) -> cookies.append(cookies.isEmpty() ? "" : "; ").append(k).append('=').append(v));
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(f.tool.baseUrl() + path))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("Cookie", cookies.toString())
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(String body) {
        try {
            return DeansFixture.JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }
}
