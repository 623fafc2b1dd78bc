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
 * A person's launch, end to end: Debian's Chromium opens the demo platform's course page, clicks a launch button,
 * and the real tool (on a fresh embedded-PostgreSQL database) renders inside the platform's iframe after the full
 * OIDC round trip — POST login initiation, redirect to the platform's auth endpoint, form POST of the id_token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoLaunchBrowserTest {
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
    }

    @AfterAll
    void stop() throws IOException {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void the_teacher_launches_the_tool_inside_the_platform_iframe_and_sees_their_name_and_the_course() {
        WebElement greeting = launchFromCoursePage("Launch as teacher");

        assertThat(greeting.getText()).contains("Айгүл Серікқызы");
        assertThat(browser.findElement(By.id("course-title")).getText()).contains("Алгоритмдер және деректер құрылымы");
        assertThat(browser.findElement(By.id("role")).getText()).isNotBlank();
        assertThat((String) ((JavascriptExecutor) browser).executeScript("return location.href;"))
                .as("the frame shows the tool's page").startsWith(tool.baseUrl() + "/app/");
        browser.switchTo().defaultContent();
        assertThat(browser.getCurrentUrl()).as("the top window stays on the platform").startsWith(platform.issuer() + "/demo/view");
    }

    @Test
    void a_student_launches_the_tool_and_sees_their_own_name_and_the_course() {
        WebElement greeting = launchFromCoursePage("Launch as Әсел Қанатқызы");

        assertThat(greeting.getText()).contains("Әсел Қанатқызы");
        assertThat(browser.findElement(By.id("course-title")).getText()).contains("Алгоритмдер және деректер құрылымы");
        assertThat(browser.getPageSource()).contains("CS101-2026F");
    }

    @Test
    void an_open_edx_style_launch_with_a_get_login_initiation_reaches_the_tool_too() {
        WebElement greeting = launchFromCoursePage(By.id("openedx-1-P-1003"), "Open edX-style launch");

        assertThat(greeting.getText()).contains("Ғалым Өмірзақов");
        assertThat(browser.findElement(By.id("course-title")).getText()).contains("Алгоритмдер және деректер құрылымы");
    }

    @Test
    void open_in_new_window_launches_the_tool_as_the_top_level_page() {
        launchFromCoursePage("Launch as Аружан Тоқтарова");
        browser.switchTo().defaultContent();
        String coursePage = browser.getWindowHandle();
        browser.findElement(By.id("open-new-window")).click();
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(d -> d.getWindowHandles().size() > 1);
        String newWindow = browser.getWindowHandles().stream().filter(h -> !h.equals(coursePage)).findFirst().orElseThrow();
        try {
            browser.switchTo().window(newWindow);
            WebElement greeting = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("greeting")));

            assertThat(greeting.getText()).contains("Аружан Тоқтарова");
            assertThat(browser.getCurrentUrl()).startsWith(tool.baseUrl() + "/app/");
        } finally {
            browser.close();
            browser.switchTo().window(coursePage);
        }
    }

    /** Opens the course page, clicks {@code button}, and waits inside the iframe for the tool's landing page. */
    private WebElement launchFromCoursePage(String button) {
        return launchFromCoursePage(By.linkText(button), button);
    }

    private WebElement launchFromCoursePage(By button, String name) {
        browser.switchTo().defaultContent();
        browser.get(platform.demoPageUrl());
        browser.findElement(button).click();
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.id("contentframe")));
        WebElement greeting = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("greeting")));
        demo.saveScreenshot(name);
        return greeting;
    }

}
