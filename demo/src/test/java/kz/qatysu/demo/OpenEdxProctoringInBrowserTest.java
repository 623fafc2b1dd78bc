package kz.qatysu.demo;

import kz.qatysu.demo.platform.DemoPlatform;
import kz.qatysu.tool.proctoring.attempts.Attempt;
import kz.qatysu.tool.proctoring.attempts.AttemptEvent;
import kz.qatysu.tool.proctoring.attempts.AttemptState;
import kz.qatysu.tool.proctoring.attempts.EventType;
import kz.qatysu.tool.proctoring.browser.FakeCameraVideos;
import kz.qatysu.tool.proctoring.browser.ProctoringChromium;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.proctoring.lms.openedx.OpenEdxAttempt;
import kz.qatysu.tool.testing.Api;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Open edX LTI Proctoring Services end to end in Debian's Chromium with the fake camera: the demo platform's proctored
 * exam (run as Open edX runs it) starts LtiStartProctoring → the tool's exam page (the exam gate admits P-1001) →
 * consent → the exam window: system check and the monitoring → back in the exam tab "Continue to the exam" → the
 * tool's LtiStartAssessment auto-posted from the browser and accepted by the platform ("Sending you back to your
 * exam") → the exam → "Finish exam" → LtiEndAssessment → the monitoring window, told by its heartbeat, finishes the
 * recording and ends the attempt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenEdxProctoringInBrowserTest {
    static final String SECTION = "CS101-2026F";
    static final String EXAM = "oex-browser";
    private RunningTool tool;
    private DemoPlatform platform;
    private Api api;

    @BeforeAll
    void start() {
        ProctoringChromium.assumeInstalled();
        tool = RunningTool.start();
        platform = DemoPlatform.start(DemoPlatform.Settings.forTool(tool.baseUrl()));
        api = Api.admin(tool);
        long platformId = api.ok(api.post("/api/v1/admin/platforms", platform.registrationJson())).path("id").asLong();
        api.ok(api.put("/api/v1/sections/" + SECTION, "{\"title\":\"CS101\",\"termStart\":\"2020-01-01\",\"termEnd\":\"2099-12-31\"}"));
        api.ok(api.put("/api/v1/sections/" + SECTION + "/enrolments",
                "[{\"personId\":\"P-1001\",\"role\":\"student\",\"login\":\"asel.kanatkyzy\"},{\"personId\":\"T-7\",\"role\":\"teacher\"}]"));
        OffsetDateTime s = OffsetDateTime.now(ZoneOffset.ofHours(5)).truncatedTo(ChronoUnit.MINUTES);
        api.ok(api.put("/api/v1/sections/" + SECTION + "/sessions", "[{\"sessionId\":\"CS-1\",\"start\":\"" + s + "\",\"end\":\""
                + s.plusMinutes(50) + "\",\"kind\":\"lecture\",\"hours\":1}]"));
        Instant now = Instant.now();
        Exam exam = new Exam(EXAM, SECTION, "Final exam (Open edX)", Exam.ExamKind.MIDTERM, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(3)), true, Exam.Checks.NONE, 2, true, 2, 1, "T-7", now, "T-7", now);
        tool.database().jdbi().useHandle(h -> tool.app().proctoredExams().insert(h, exam));
        api.ok(api.put("/api/v1/exams/" + EXAM + "/openedx-links", "{\"platformId\":" + platformId + ",\"resourceLinkId\":\""
                + DemoPlatform.proctoredExamBlockId() + "\"}"));
    }

    @AfterAll
    void stop() {
        if (platform != null) {
            platform.stop();
        }
        if (tool != null) {
            tool.close();
        }
    }

    @Test
    void the_open_edx_exam_opens_only_after_the_checks_and_the_monitoring_and_ends_with_the_platform() throws Exception {
        try (ProctoringChromium chromium = ProctoringChromium.headless(FakeCameraVideos.oneFace())) {
            WebDriver d = chromium.driver();
            // Open edX's exam page; "Start exam" opens the tool (a new tab in Open edX, this tab here)
            d.get(platform.proctoredExamUrl("P-1001"));
            String start = d.findElement(By.id("start-exam")).getAttribute("href");
            d.get(start);
            waitFor(d, "the tool's exam page after LtiStartProctoring", () -> d.getCurrentUrl().contains("/exams/" + EXAM)
                    && !d.findElements(By.id("consent-accept")).isEmpty());
            String examTab = d.getWindowHandle();
            d.findElement(By.id("consent-accept")).click();
            waitFor(d, "the exam window button", () -> !d.findElements(By.id("open-window")).isEmpty());
            // the exam cannot be reached before the monitoring runs
            d.findElement(By.id("openedx-continue")).click();
            waitFor(d, "the refusal", () -> !d.findElements(By.id("openedx-problem")).isEmpty());
            assertThat(d.getCurrentUrl()).startsWith(tool.baseUrl());
            d.navigate().back();
            d.navigate().refresh();

            waitFor(d, "the exam window button", () -> !d.findElements(By.id("open-window")).isEmpty());
            d.findElement(By.id("open-window")).click();
            waitFor(d, "a second window", () -> d.getWindowHandles().size() == 2);
            String monitorWindow = d.getWindowHandles().stream().filter(h -> !h.equals(examTab)).findFirst().orElseThrow();
            d.switchTo().window(monitorWindow);
            waitFor(d, "the checks page", () -> d.getCurrentUrl().endsWith("/checks") && !d.findElements(By.id("system-run")).isEmpty());
            d.findElement(By.id("system-run")).click();
            waitFor(d, Duration.ofSeconds(30), "ready for the monitoring", () -> !d.findElements(By.id("ready")).isEmpty()
                    && d.findElement(By.id("ready")).isDisplayed());
            d.findElement(By.id("go-monitor")).click();
            waitFor(d, "the monitoring page", () -> !d.findElements(By.id("monitor-start")).isEmpty());
            d.findElement(By.id("monitor-start")).click();
            waitFor(d, Duration.ofSeconds(20), "the monitoring running",
                    () -> "true".equals(d.findElement(By.id("monitor")).getAttribute("data-running")));

            // back in the exam tab: on to Open edX with LtiStartAssessment, which the platform accepts
            d.switchTo().window(examTab);
            d.navigate().refresh();
            waitFor(d, "the continue button", () -> !d.findElements(By.id("openedx-continue")).isEmpty());
            d.findElement(By.id("openedx-continue")).click();
            waitFor(d, "the platform's answer", () -> !d.findElements(By.id("assessment-started")).isEmpty()
                    || !d.findElements(By.id("assessment-error")).isEmpty());
            assertThat(d.findElement(By.tagName("body")).getText()).contains("Sending you back to your exam.");
            d.findElement(By.id("return-to-exam")).click();
            waitFor(d, "the exam", () -> !d.findElements(By.id("exam-content")).isEmpty());
            Thread.sleep(4000);

            // the learner submits: LtiEndAssessment lands on the tool's page; the monitoring window ends itself
            d.findElement(By.id("finish-exam")).click();
            waitFor(d, "the end page", () -> !d.findElements(By.id("openedx-ended")).isEmpty());
            d.switchTo().window(monitorWindow);
            waitFor(d, Duration.ofSeconds(60), "the monitoring ended by its heartbeat",
                    () -> "ENDED".equals(d.findElement(By.id("monitor")).getAttribute("data-state")));
        }
        Attempt a = tool.app().proctoringAttempts().repository().of(EXAM, "P-1001").orElseThrow();
        assertThat(a.state()).isEqualTo(AttemptState.ENDED);
        List<EventType> events = tool.app().proctoringAttempts().repository().events(a.id()).stream().map(AttemptEvent::type).toList();
        assertThat(events).containsSubsequence(EventType.CONSENT_GIVEN, EventType.SYSTEM_CHECKED, EventType.ATTEMPT_STARTED,
                EventType.ATTEMPT_ENDED);
        OpenEdxAttempt o = tool.app().openedxProctoring().repository().ofAttempt(a.id()).getFirst();
        assertThat(o.attemptNumber()).isEqualTo(1);
        assertThat(o.assessmentStartedAt()).isPresent();
        assertThat(o.endAssessmentAt()).isPresent();
    }

    static void waitFor(WebDriver d, String what, Supplier<Boolean> condition) {
        waitFor(d, Duration.ofSeconds(15), what, condition);
    }

    static void waitFor(WebDriver d, Duration timeout, String what, Supplier<Boolean> condition) {
        new WebDriverWait(d, timeout, Duration.ofMillis(200)).withMessage(() -> what + " (at " + d.getCurrentUrl() + ")")
                .until(x -> Boolean.TRUE.equals(condition.get()));
    }
}
