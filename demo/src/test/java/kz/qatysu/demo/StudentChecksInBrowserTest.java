package kz.qatysu.demo;

import kz.qatysu.demo.platform.DemoPlatform;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Self check-in in a real browser: the teacher opens check-in and shows the code, the student types it in.
 * (Modelled on DemoLaunchBrowserTest.) A person's launch, end to end: Debian's Chromium opens the demo platform's course page, clicks a launch button,
 * and the real tool (on a fresh embedded-PostgreSQL database) renders inside the platform's iframe after the full
 * OIDC round trip — POST login initiation, redirect to the platform's auth endpoint, form POST of the id_token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StudentChecksInBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private RunningTool tool;
    private DemoPlatform platform;
    private WebDriver browser;
    private DemoInBrowser demo;

    @BeforeAll
    void start() throws Exception {
        demo = DemoInBrowser.start(1280, 900);
        tool = demo.tool();
        platform = demo.platform();
        browser = demo.driver();
        admin("/api/v1/sections/CS101-2026F", "{\"title\":\"CS101\",\"termStart\":\"2020-01-01\",\"termEnd\":\"2099-12-31\"}");
        admin("/api/v1/sections/CS101-2026F/enrolments", "[{\"personId\":\"P-1001\",\"role\":\"student\"},{\"personId\":\"T-7\",\"role\":\"teacher\"}]");
        java.time.OffsetDateTime s = java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(5)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        admin("/api/v1/sections/CS101-2026F/sessions", "[{\"sessionId\":\"CS-1\",\"start\":\"" + s + "\",\"end\":\"" + s.plusMinutes(50)
                + "\",\"kind\":\"lecture\",\"hours\":1}]");
    }

    @AfterAll
    void stop() throws IOException {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void the_teacher_shows_the_code_and_the_student_enters_it_and_is_checked_in() {
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        String teacherApp = launch("Launch as teacher");
        browser.get(teacherApp + "checkin/CS-1");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("open"))).click();
        String code = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("code"))).getText().trim();
        assertThat(code).matches("\\d{6}");
        assertThat(browser.findElement(By.id("qr")).getAttribute("innerHTML")).contains("<svg");

        String studentApp = launch("Launch as Әсел Қанатқызы");
        browser.get(studentApp + "checkin");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("code"))).sendKeys(code);
        browser.findElement(By.id("submit-code")).click();
        WebElement result = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("checkin-result")));
        assertThat(result.getAttribute("data-ok")).isEqualTo("true");
        assertThat(result.getText()).contains("белгілендіңіз");
    }

    /** Launches from the demo course page and returns the tool's /app/<launch>/ URL of that launch. */
    private String launch(String button) {
        browser.switchTo().defaultContent();
        browser.get(platform.demoPageUrl());
        browser.findElement(By.linkText(button)).click();
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.id("contentframe")));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("greeting")));
        String href = (String) ((JavascriptExecutor) browser).executeScript("return location.href;");
        browser.switchTo().defaultContent();
        return href.substring(0, href.indexOf("/", href.indexOf("/app/") + 5) + 1);
    }

    private void admin(String path, String json) {
        demo.api().ok(demo.api().put(path, json));
    }
}
