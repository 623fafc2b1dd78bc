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
 * The student's exam gate in a real browser, in Kazakh: launched from the demo course page, the page shows both
 * conditions of the final exam — attendance (20 % missed, admitted) and rating (142 of 300, 8 more points needed,
 * RK2 not graded yet) — and the verdict.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExamGateInBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SECTION = "CS101-2026F";

    private DemoPlatform platform;
    private WebDriver browser;
    private DemoInBrowser demo;

    @BeforeAll
    void start() throws Exception {
        demo = DemoInBrowser.start(1280, 1000);
        platform = demo.platform();
        browser = demo.driver();
        admin("/api/v1/sections/" + SECTION, "{\"title\":\"CS101\",\"termStart\":\"2020-01-01\",\"termEnd\":\"2099-12-31\"}");
        admin("/api/v1/sections/" + SECTION + "/enrolments", "[{\"personId\":\"P-1001\",\"role\":\"student\"},{\"personId\":\"T-7\",\"role\":\"teacher\"}]");
        StringBuilder sessions = new StringBuilder("[");
        for (int i = 1; i <= 10; i++) {
            sessions.append(i > 1 ? "," : "").append(String.format("{\"sessionId\":\"CS-%d\",\"start\":\"2026-09-%02dT08:00:00+05:00\","
                    + "\"end\":\"2026-09-%02dT08:50:00+05:00\",\"kind\":\"lecture\",\"hours\":1}", i, i + 1, i + 1));
        }
        admin("/api/v1/sections/" + SECTION + "/sessions", sessions.append("]").toString());
        for (String s : new String[]{"CS-1", "CS-2"}) {
            admin("/api/v1/sessions/" + s + "/marks", "[{\"personId\":\"P-1001\",\"status\":\"ABSENT\"}]");
        }
        admin("/api/v1/sections/" + SECTION + "/scores", "[{\"personId\":\"P-1001\",\"component\":\"АБ1\",\"points\":80},"
                + "{\"personId\":\"P-1001\",\"component\":\"MT\",\"points\":62}]");
    }

    @AfterAll
    void stop() throws IOException {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void the_student_sees_both_conditions_of_the_final_exam_in_kazakh() {
        String studentApp = launch("Launch as Әсел Қанатқызы");
        browser.get(studentApp + "exam-gate");
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        WebElement verdict = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("final-verdict")));
        assertThat(verdict.getText()).contains("Қорытынды емтихан", "жіберілмедіңіз");
        WebElement attendance = browser.findElement(By.id("condition-attendance"));
        assertThat(attendance.getText()).contains("Сабаққа қатысу: сағаттардың 20 % жіберілген, рұқсат бар");
        assertThat(attendance.getAttribute("class")).isEqualTo("met");
        WebElement rating = browser.findElement(By.id("condition-rating"));
        assertThat(rating.getText()).contains("Рейтинг: 300 балдың 142 (47 %, FX), тағы 8 балл қажет", "RK2 әлі бағаланбаған");
        assertThat(rating.getAttribute("class")).isEqualTo("unmet");
        assertThat(browser.findElement(By.id("todo-rating")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.tagName("body")).getText()).doesNotContain("planned missed", "without excuse");
        demo.saveScreenshot("exam gate kk");

        // on a 390 px phone the page fits the screen: nothing scrolls sideways
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            browser.get(studentApp + "exam-gate");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("final-verdict")));
            Number overflow = (Number) ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(overflow.intValue()).isLessThanOrEqualTo(0);
            demo.saveScreenshot("exam gate kk 390px");
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
        }
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
