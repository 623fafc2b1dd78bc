package kz.qatysu.demo;

import kz.qatysu.demo.platform.DemoPlatform;
import kz.qatysu.demo.platform.SampleCourse;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A teacher takes attendance in a real browser: Debian's Chromium launches the tool from the demo platform's course
 * page (inside its iframe), opens a session, clicks "All present", marks one student ABSENT, saves — and sees the
 * saved marks and that student's absence share go up. The section, roster and timetable come through the REST API,
 * as the sync daemon sends them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TeacherMarksSessionBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SECTION = SampleCourse.SECTION_SOURCEDID;

    private RunningTool tool;
    private DemoPlatform platform;
    private WebDriver browser;
    private DemoInBrowser demo;

    @BeforeAll
    void start() throws Exception {
        demo = DemoInBrowser.start(420, 900);
        tool = demo.tool();
        platform = demo.platform();
        browser = demo.driver();
        api("PUT", "/api/v1/sections/" + SECTION,
                "{\"title\": \"Алгоритмдер\", \"termStart\": \"2026-09-01\", \"termEnd\": \"2026-12-25\"}");
        api("PUT", "/api/v1/sections/" + SECTION + "/enrolments", """
                [{"personId":"P-1001","role":"student"},{"personId":"P-1002","role":"student"},
                 {"personId":"P-1003","role":"student"},{"personId":"T-7","role":"teacher"}]""");
        List<String> sessions = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            LocalDate day = LocalDate.of(2026, 9, 1).plusWeeks(i);
            sessions.add("{\"sessionId\":\"CS-" + i + "\",\"start\":\"" + day + "T08:00:00+05:00\",\"end\":\"" + day
                    + "T08:50:00+05:00\",\"kind\":\"lecture\",\"hours\":1,\"room\":\"A-204\"}");
        }
        api("PUT", "/api/v1/sections/" + SECTION + "/sessions", "[" + String.join(",", sessions) + "]");
    }

    @AfterAll
    void stop() throws IOException {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void the_teacher_marks_all_present_but_one_absent_and_sees_the_saved_marks_and_the_share_go_up() {
        // a student's launch first, so the tool knows her name
        launchFromCoursePage("Launch as Әсел Қанатқызы");
        launchFromCoursePage("Launch as teacher");
        WebDriverWait wait = new WebDriverWait(browser, WAIT);

        browser.findElement(By.id("focus-mark")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("grid")));
        assertThat(browser.findElement(By.id("grid")).getText()).contains("Әсел Қанатқызы");
        assertThat(share("P-1002")).isEqualTo("0.0 %");

        browser.findElement(By.id("all-present")).click();
        assertThat(browser.findElements(By.cssSelector("#grid input[value=PRESENT]")))
                .hasSize(3).allSatisfy(r -> assertThat(r.isSelected()).isTrue());
        // on a phone the Save button is a sticky bar at the bottom: the row is scrolled to the middle first, as a
        // teacher scrolls a row out from under the bar before tapping it
        WebElement absent = row("P-1002").findElement(By.cssSelector("input[value=ABSENT]"));
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", absent);
        absent.click();
        demo.saveScreenshot("teacher-grid-before-save");
        browser.findElement(By.id("save")).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("notice")));
        demo.saveScreenshot("teacher-grid-saved");
        assertThat(browser.findElement(By.id("notice")).getText()).contains("3");
        assertThat(row("P-1002").findElement(By.cssSelector("input[value=ABSENT]")).isSelected()).isTrue();
        assertThat(row("P-1001").findElement(By.cssSelector("input[value=PRESENT]")).isSelected()).isTrue();
        assertThat(row("P-1003").findElement(By.cssSelector("input[value=PRESENT]")).isSelected()).isTrue();
        assertThat(share("P-1002")).as("1 of 5 planned hours").isEqualTo("20.0 %");
        assertThat(share("P-1001")).isEqualTo("0.0 %");
    }

    private WebElement row(String personId) {
        return browser.findElement(By.cssSelector("#grid tr[data-person='" + personId + "']"));
    }

    private String share(String personId) {
        return row(personId).findElement(By.className("share")).getText();
    }

    /** Opens the course page, clicks {@code button}, and waits inside the iframe for the tool's course home. */
    private void launchFromCoursePage(String button) {
        browser.switchTo().defaultContent();
        browser.get(platform.demoPageUrl());
        browser.findElement(By.linkText(button)).click();
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.id("contentframe")));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("greeting")));
    }

    private void api(String method, String path, String json) {
        demo.api().ok(demo.api().send(method, path, json));
    }
}
