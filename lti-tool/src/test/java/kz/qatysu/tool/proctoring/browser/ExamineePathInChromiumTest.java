package kz.qatysu.tool.proctoring.browser;

import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.proctoring.attempts.Attempt;
import kz.qatysu.tool.proctoring.attempts.AttemptEvent;
import kz.qatysu.tool.proctoring.attempts.AttemptRepository;
import kz.qatysu.tool.proctoring.attempts.AttemptState;
import kz.qatysu.tool.proctoring.attempts.EventType;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examinee's path in a real Chromium (Debian's, headless, {@link ProctoringChromium#headless(Path)}) with the fake
 * camera showing a real face ({@link FakeCameraVideos}): the LTI launch played in the browser itself (login initiation
 * → the platform's auth address → the launch form POST), the exam page, consent, the top-level exam window opened by
 * {@code window.open} with the single-use link, the system check, identity photos taken from the camera, the room scan,
 * about 16 s of monitoring with a 2 s snapshot interval, the end and the summary — then what the server stored.
 * <p>What it proves: the examinee's scripts and pages work together in a browser against the real tool (CSP, CSRF
 * headers, cookies of the window link, {@code getUserMedia}, {@code MediaRecorder} chunks with their SHA-256, canvas
 * snapshots that the server's face analysis reads: one face, or two as {@code MULTIPLE_FACES}), and that the
 * whole-screen check accepts what says {@code displaySurface === 'monitor'}.
 * <p>What it cannot prove about screen sharing (docs/PROCTORING.md, "What the browser tests can and cannot prove"):
 * the screen shared here is Chromium's <em>synthetic</em> fake screen (a test pattern that claims {@code monitor}),
 * not the page nor a real desktop; a real user's picker, a second monitor ({@code screen.isExtended} is always false),
 * the user stopping the share from the browser's own bar, real camera/microphone hardware and permission prompts, and
 * other browsers are not covered.
 */
class ExamineePathInChromiumTest {
    static final String FULL = "exm-browser-full";
    static final String PLAIN = "exm-browser-plain";
    static DeansFixture f;

    @BeforeAll
    static void start() {
        ProctoringChromium.assumeInstalled();
        f = DeansFixture.start(Map.of());
        f.absent("P-1001", "S-1", "S-2");
        exam(FULL, Exam.Checks.ALL);
        // identity with two faces is refused (exactly one face on the live photo), so the two-face run goes straight
        // from the system check to the monitoring
        exam(PLAIN, new Exam.Checks(false, false, false, true));
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    static void exam(String id, Exam.Checks checks) {
        Instant now = Instant.now();
        Exam e = new Exam(id, DeansFixture.SECTION, "Exam " + id, Exam.ExamKind.MIDTERM, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(3)), true, checks, 2, true, 2, 1, "T-7", now, "T-7", now);
        f.tool.database().jdbi().useHandle(h -> f.tool.app().proctoredExams().insert(h, e));
    }

    static AttemptRepository attempts() {
        return f.tool.app().proctoringAttempts().repository();
    }

    static List<EventType> events(Attempt a) {
        return attempts().events(a.id()).stream().map(AttemptEvent::type).toList();
    }

    @Test
    void a_student_with_one_face_walks_from_the_launch_through_checks_and_monitoring_to_the_summary() throws Exception {
        try (ProctoringChromium chromium = chromium(FakeCameraVideos.oneFace())) {
            WebDriver d = chromium.driver();
            launch(d, "P-1001", "41", FULL);
            String examPage = d.getWindowHandle();
            openExamWindow(d);

            systemCheck(d);
            waitFor(d, "the identity step", () -> d.findElement(By.id("identity")).isDisplayed());
            waitFor(d, "the camera preview plays", () -> Boolean.TRUE.equals(js(d, "return document.getElementById('preview').videoWidth > 0;")));
            d.findElement(By.id("take-live")).click();
            d.findElement(By.id("take-id")).click();
            waitFor(d, "both photos taken", () -> d.findElement(By.id("identity-send")).isEnabled());
            d.findElement(By.id("identity-send")).click();
            waitFor(d, "the identity decided", () -> d.findElement(By.id("room")).isDisplayed()
                    || !text(d, "identity-result").isEmpty() && d.findElement(By.id("identity-send")).isEnabled());
            assertThat(d.findElement(By.id("identity-result")).getAttribute("data-identity")).as(text(d, "identity-result"))
                    .isIn("VERIFIED", "NOT_VERIFIED");

            System.out.println("identity: " + text(d, "identity-result"));
            assertThat(js(d, "return document.getElementById('live-photo').naturalWidth")).as("the live photo shown").isEqualTo(640L);
            assertThat(text(d, "system-results")).as("every item of the system check passed").doesNotContain("✗");
            d.findElement(By.id("room-record")).click();
            waitFor(d, Duration.ofSeconds(40), "the room scan uploaded", () -> d.findElement(By.id("ready")).isDisplayed()
                    || text(d, "room-result").contains("✗") || d.findElement(By.id("room-record")).isEnabled());
            assertThat(d.findElement(By.id("ready")).isDisplayed()).as(text(d, "room-result")).isTrue();

            d.findElement(By.id("go-monitor")).click();
            monitor(d, 16);
            assertThat(text(d, "summary")).isNotEmpty();
            assertThat(consoleErrors(d)).as("the exam window's console").isEmpty();

            // back in the LMS's frame: the exam page shows the ended attempt and its summary
            d.switchTo().window(examPage);
            assertThat(consoleErrors(d)).as("the exam page's console").isEmpty();
            d.navigate().refresh();
            assertThat(text(d, "attempt-state")).isEqualTo("ended");
            assertThat(text(d, "attempt-summary")).contains("The recording is complete on the server.");

            Attempt a = attempts().of(FULL, "P-1001").orElseThrow();
            assertThat(a.state()).isEqualTo(AttemptState.ENDED);
            assertThat(a.identity()).isIn(Attempt.Identity.VERIFIED, Attempt.Identity.NOT_VERIFIED);
            assertThat(a.roomScanKey()).isPresent();
            assertRecordingFinished(a);
            awaitAnalysed(a);
            List<AttemptRepository.SnapshotRow> camera = attempts().snapshots(a.id()).stream()
                    .filter(s -> s.source().name().equals("CAMERA")).toList();
            assertThat(camera).hasSizeGreaterThanOrEqualTo(4).allSatisfy(s -> assertThat(s.faces()).isEqualTo(1));
            List<EventType> types = events(a);
            System.out.println("events: " + types);
            assertThat(types).doesNotContain(EventType.MULTIPLE_FACES, EventType.NO_FACE)
                    .containsSubsequence(EventType.CONSENT_GIVEN, EventType.SYSTEM_CHECKED,
                            a.identity() == Attempt.Identity.VERIFIED ? EventType.ID_VERIFIED : EventType.ID_NOT_VERIFIED,
                            EventType.ROOM_SCAN_RECORDED, EventType.ATTEMPT_STARTED, EventType.ATTEMPT_ENDED);
        }
    }

    @Test
    void two_faces_before_the_camera_during_the_monitoring_become_multiple_faces_and_the_screen_is_photographed() throws Exception {
        try (ProctoringChromium chromium = chromium(FakeCameraVideos.twoFaces())) {
            WebDriver d = chromium.driver();
            launch(d, "P-1001", "42", PLAIN);
            openExamWindow(d);
            systemCheck(d);
            waitFor(d, "ready for the monitoring", () -> d.findElement(By.id("ready")).isDisplayed());
            d.findElement(By.id("go-monitor")).click();
            // the screen is photographed every max(30 s, 3 × interval): 32 s of monitoring catch one picture
            monitor(d, 32);
            assertThat(consoleErrors(d)).as("the exam window's console").isEmpty();

            Attempt a = attempts().of(PLAIN, "P-1001").orElseThrow();
            assertThat(a.state()).isEqualTo(AttemptState.ENDED);
            assertRecordingFinished(a);
            awaitAnalysed(a);
            assertThat(attempts().snapshots(a.id())).as("a picture of the shared (synthetic) screen")
                    .anySatisfy(s -> assertThat(s.source().name()).isEqualTo("SCREEN"));
            assertThat(events(a)).contains(EventType.MULTIPLE_FACES)
                    .containsSubsequence(EventType.CONSENT_GIVEN, EventType.SYSTEM_CHECKED, EventType.ATTEMPT_STARTED,
                            EventType.ATTEMPT_ENDED);
        }
    }

    // ---- steps -----------------------------------------------------------------------------------------------------

    /**
     * The LTI launch in the browser: the platform's login initiation form POSTed to the tool, the tool's redirect to
     * the platform's auth address (whose nonce and state the test platform signs into the id_token), and the platform's
     * form POST of the id_token to the tool. Lands on the exam page.
     */
    static void launch(WebDriver d, String personId, String sub, String examId) {
        String tool = f.tool.baseUrl();
        d.get(f.platform.authLoginUrl());
        postForm(d, tool + "/lti/login", Map.of("iss", f.platform.issuer, "target_link_uri", tool + "/lti/launch",
                "login_hint", sub, "client_id", f.platform.clientId, "lti_deployment_id", f.platform.deploymentId));
        waitFor(d, "the auth redirect to the platform", () -> d.getCurrentUrl().startsWith(f.platform.authLoginUrl() + "?"));
        Map<String, String> auth = Browser.queryOf(d.getCurrentUrl());
        Map<String, Object> c = LaunchClaims.moodleStudent(f.platform, auth.get("nonce"), tool + "/lti/launch");
        c.put("sub", sub);
        c.put(LaunchClaims.LTI + "lis", Map.of("person_sourcedid", personId, "course_section_sourcedid", DeansFixture.SECTION));
        c.put(LaunchClaims.LTI + "launch_presentation", Map.of("locale", "en", "document_target", "iframe"));
        c.put(LaunchClaims.LTI + "custom", Map.of("qatysu_resource", "proctored-exam", "qatysu_exam", examId));
        postForm(d, tool + "/lti/launch", Map.of("id_token", f.platform.sign(c), "state", auth.get("state")));
        waitFor(d, "the exam page", () -> d.getCurrentUrl().contains("/exams/" + examId) && !d.findElements(By.id("attempt")).isEmpty());
    }

    /** Consent on the exam page, then the exam window: a new top-level window that the driver switches to. */
    static void openExamWindow(WebDriver d) {
        d.findElement(By.id("consent-accept")).click();
        waitFor(d, "the button that opens the exam window", () -> !d.findElements(By.id("open-window")).isEmpty());
        String examPage = d.getWindowHandle();
        d.findElement(By.id("open-window")).click();
        waitFor(d, "a second window", () -> d.getWindowHandles().size() == 2);
        Set<String> handles = d.getWindowHandles();
        d.switchTo().window(handles.stream().filter(h -> !h.equals(examPage)).findFirst().orElseThrow());
        waitFor(d, "the checks page in the exam window", () -> d.getCurrentUrl().endsWith("/checks")
                && !d.findElements(By.id("system-run")).isEmpty());
    }

    static void systemCheck(WebDriver d) {
        d.findElement(By.id("system-run")).click();
        waitFor(d, Duration.ofSeconds(30), "the system check's answer", () -> text(d, "system-results").contains("HTTP")
                || "true".equals(d.findElement(By.id("checks")).getAttribute("data-system-done"))
                || d.findElement(By.id("system-run")).isEnabled());
        assertThat(d.findElement(By.id("checks")).getAttribute("data-system-done")).as(text(d, "system-results")).isEqualTo("true");
    }

    /** Starts the monitoring, lets it run {@code seconds}, ends it and waits for the summary. */
    static void monitor(WebDriver d, int seconds) throws InterruptedException {
        waitFor(d, "the monitoring page", () -> !d.findElements(By.id("monitor-start")).isEmpty());
        d.findElement(By.id("monitor-start")).click();
        waitFor(d, Duration.ofSeconds(20), "the monitoring running", () -> "true".equals(d.findElement(By.id("monitor")).getAttribute("data-running"))
                || !text(d, "warning").isEmpty());
        assertThat(d.findElement(By.id("monitor")).getAttribute("data-running")).as(text(d, "warning")).isEqualTo("true");
        Thread.sleep(seconds * 1000L);
        assertThat(text(d, "warning")).isEmpty();
        d.findElement(By.id("monitor-end")).click();
        waitFor(d, Duration.ofSeconds(40), "the end", () -> "ENDED".equals(d.findElement(By.id("monitor")).getAttribute("data-state"))
                || !text(d, "warning").isEmpty());
        assertThat(d.findElement(By.id("monitor")).getAttribute("data-state")).as(text(d, "warning")).isEqualTo("ENDED");
    }

    // ---- server side -------------------------------------------------------------------------------------------------

    static void assertRecordingFinished(Attempt a) {
        String recording = a.recordingId().orElseThrow();
        Map<String, Object> row = f.tool.database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT r.finished_at IS NOT NULL AS finished,
                               (SELECT count(*) FROM proctoring_media m WHERE m.recording_id = r.id) AS chunks
                        FROM proctoring_recording r WHERE r.id = :id""").bind("id", recording).mapToMap().one());
        assertThat(row.get("finished")).isEqualTo(true);
        assertThat(((Number) row.get("chunks")).longValue()).isGreaterThanOrEqualTo(1);
    }

    /** The face analysis runs in the background; this drives it until every camera picture is analysed (the screen's are not). */
    static void awaitAnalysed(Attempt a) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            List<AttemptRepository.SnapshotRow> rows = attempts().snapshots(a.id()).stream()
                    .filter(s -> s.source().name().equals("CAMERA")).toList();
            if (!rows.isEmpty() && rows.stream().allMatch(s -> s.analysedAt() != null)) {
                return;
            }
            f.tool.app().superviseProctoring();
            Thread.sleep(200);
        }
        throw new AssertionError("snapshots not analysed: " + attempts().snapshots(a.id()));
    }

    // ---- the browser -------------------------------------------------------------------------------------------------

    /** {@link ProctoringChromium#headless(Path)} that also keeps the pages' console messages. */
    static ProctoringChromium chromium(Path fakeCamera) throws java.io.IOException {
        Path profile = java.nio.file.Files.createTempDirectory("qatysu-chromium-");
        ChromeOptions options = ProctoringChromium.headlessOptions(profile, fakeCamera, ProctoringChromium.Surface.MONITOR);
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        return ProctoringChromium.headless(options, profile);
    }

    /**
     * The console errors since the last call, except the test platform's pages (its auth address is not served) and
     * the tool's missing {@code /favicon.ico} (the browser asks for it on every page; the tool has none).
     */
    static List<String> consoleErrors(WebDriver d) {
        return d.manage().logs().get(LogType.BROWSER).getAll().stream()
                .peek(e -> System.out.println("console " + e))
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !m.startsWith(f.platform.authLoginUrl().replace("/auth", "/")))
                .filter(m -> !m.startsWith(f.tool.baseUrl() + "/favicon.ico "))
                .toList();
    }

    /** Builds and submits a form in the current page, as the platform's auto-submitted forms do. */
    static void postForm(WebDriver d, String action, Map<String, String> fields) {
        ((JavascriptExecutor) d).executeScript("""
                const f = document.createElement('form');
                f.method = 'post';
                f.action = arguments[0];
                for (const [k, v] of Object.entries(arguments[1])) {
                  const i = document.createElement('input');
                  i.type = 'hidden'; i.name = k; i.value = v;
                  f.append(i);
                }
                document.body.append(f);
                f.submit();""", action, fields);
    }

    static Object js(WebDriver d, String script) {
        return ((JavascriptExecutor) d).executeScript(script);
    }

    static String text(WebDriver d, String id) {
        List<WebElement> e = d.findElements(By.id(id));
        return e.isEmpty() ? "" : e.get(0).getText();
    }

    static void waitFor(WebDriver d, String what, Supplier<Boolean> condition) {
        waitFor(d, Duration.ofSeconds(15), what, condition);
    }

    static void waitFor(WebDriver d, Duration timeout, String what, Supplier<Boolean> condition) {
        new WebDriverWait(d, timeout, Duration.ofMillis(200)).withMessage(() -> what + " (at " + d.getCurrentUrl() + ")")
                .until(x -> Boolean.TRUE.equals(condition.get()));
    }
}
