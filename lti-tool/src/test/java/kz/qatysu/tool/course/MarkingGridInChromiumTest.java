package kz.qatysu.tool.course;

import kz.qatysu.tool.proctoring.browser.ProctoringChromium;
import kz.qatysu.tool.testing.Api;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.CourseBrowser;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static kz.qatysu.tool.testing.LaunchClaims.LTI;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The marking grid in headless Chromium emulating a 390 px phone (issue 12 §5): nothing scrolls sideways, the save
 * button stays on screen (a sticky bottom bar) wherever the teacher has scrolled, "set for everyone" and "set for the
 * selected" fill the grid in place, a mark's colour comes with its icon and word at a text contrast of at least 4.5:1,
 * and the minutes field appears only for a late mark.
 */
class MarkingGridInChromiumTest {
    private static final String INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";
    /** The WCAG contrast of the label's text against its background, read from the computed style. */
    private static final String CONTRAST = """
            const label = arguments[0];
            const rgb = c => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
            const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
                               return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
            const s = getComputedStyle(label);
            const a = lum(s.color), b = lum(s.backgroundColor);
            return JSON.stringify({ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), color: s.color, background: s.backgroundColor});""";

    static RunningTool tool;
    static TestPlatform platform;

    @BeforeAll
    static void start() {
        ProctoringChromium.assumeInstalled();
        tool = RunningTool.start();
        platform = new TestPlatform("http://127.0.0.1:8100", "grid-chromium", "1");
        new LtiFlow(tool, platform, new Browser()).register();
    }

    @AfterAll
    static void stop() {
        if (tool != null) {
            tool.close();
            platform.close();
        }
    }

    @Test
    void at_390_px_the_grid_does_not_scroll_sideways_the_save_button_stays_on_screen_and_set_for_all_works() throws Exception {
        List<String> students = seed("PHONE-1", 12);
        CourseBrowser teacher = CourseBrowser.launch(tool, platform, c -> {
            c.put(LTI + "lis", Map.of("person_sourcedid", "T-7", "course_section_sourcedid", "PHONE-1"));
            c.put(LTI + "roles", List.of(INSTRUCTOR));
            c.put("sub", "sub-T-7");
            c.put("name", "Айгүл Серікқызы");
            c.put(LTI + "launch_presentation", Map.of("locale", "kk", "document_target", "iframe"));
        });
        Path profile = Files.createTempDirectory("qatysu-grid-chromium-");
        ChromeOptions options = ProctoringChromium.commonOptions(profile, null);
        options.addArguments("--headless=new");
        try (ProctoringChromium chromium = ProctoringChromium.headless(options, profile)) {
            WebDriver driver = chromium.driver();
            ((ChromeDriver) driver).executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", 390, "height", 844, "deviceScaleFactor", 2, "mobile", true));
            driver.get(tool.baseUrl() + "/health");
            teacher.browser().cookies().forEach((name, value) -> driver.manage().addCookie(new Cookie(name, value, "/")));
            driver.get(tool.baseUrl() + teacher.base() + "/sessions/PHONE-1-1");
            new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.visibilityOfElementLocated(By.id("grid")));
            JavascriptExecutor js = (JavascriptExecutor) driver;

            assertThat(((Number) js.executeScript("return window.innerWidth")).intValue()).isEqualTo(390);
            assertThat(((Number) js.executeScript("return document.documentElement.scrollWidth")).intValue())
                    .as("no sideways scrolling at 390 px").isLessThanOrEqualTo(390);
            assertSaveOnScreen(js);
            js.executeScript("window.scrollTo(0, document.body.scrollHeight / 2)");
            assertThat(((Number) js.executeScript("return window.scrollY")).intValue()).as("the grid is longer than the screen").isPositive();
            assertSaveOnScreen(js);

            // set for everyone: ABSENT in every row, in place
            new Select(driver.findElement(By.id("bulk-status"))).selectByValue("ABSENT");
            click(js, driver.findElement(By.id("set-all")));
            assertThat(driver.findElements(By.cssSelector("#grid input[type=radio][value=ABSENT]:checked"))).hasSize(students.size());
            assertThat(driver.findElement(By.id("bulk-result")).getText()).contains("12");
            assertThat(driver.getCurrentUrl()).as("no round trip").endsWith("/sessions/PHONE-1-1");

            // set for the selected: two rows PRESENT, the rest stay ABSENT
            click(js, driver.findElement(By.cssSelector("tr[data-person='" + students.get(0) + "'] input.select")));
            click(js, driver.findElement(By.cssSelector("tr[data-person='" + students.get(1) + "'] input.select")));
            new Select(driver.findElement(By.id("bulk-status"))).selectByValue("PRESENT");
            click(js, driver.findElement(By.id("set-selected")));
            assertThat(driver.findElements(By.cssSelector("#grid input[type=radio][value=PRESENT]:checked"))).hasSize(2);
            assertThat(driver.findElements(By.cssSelector("#grid input[type=radio][value=ABSENT]:checked"))).hasSize(10);

            // absent and present differ by colour, icon and word, each readable at ≥ 4.5:1
            var absent = driver.findElement(By.cssSelector("tr[data-person='" + students.get(2) + "'] label.st-ABSENT"));
            var present = driver.findElement(By.cssSelector("tr[data-person='" + students.get(0) + "'] label.st-PRESENT"));
            String a = (String) js.executeScript(CONTRAST, absent);
            String p = (String) js.executeScript(CONTRAST, present);
            assertThat(ratio(a)).as(a).isGreaterThanOrEqualTo(4.5);
            assertThat(ratio(p)).as(p).isGreaterThanOrEqualTo(4.5);
            assertThat(a).isNotEqualTo(p);
            assertThat(absent.getText()).contains("✗", "Болмады");
            assertThat(present.getText()).contains("✓", "Қатысты");

            // the minutes field only for a late mark
            var row = driver.findElement(By.cssSelector("tr[data-person='" + students.get(3) + "']"));
            assertThat(row.findElement(By.cssSelector("label.minutes")).isDisplayed()).isFalse();
            assertThat(row.findElement(By.cssSelector("label.reason")).isDisplayed()).isFalse();
            click(js, row.findElement(By.cssSelector("input[value=LATE]")));
            assertThat(row.findElement(By.cssSelector("label.minutes")).isDisplayed()).isTrue();
            row.findElement(By.cssSelector("label.minutes input")).sendKeys("7");
            click(js, row.findElement(By.cssSelector("input[value=EXCUSED]")));
            assertThat(row.findElement(By.cssSelector("label.minutes")).isDisplayed()).isFalse();
            assertThat(row.findElement(By.cssSelector("label.reason")).isDisplayed()).isTrue();
            click(js, row.findElement(By.cssSelector("input[value=LATE]")));

            js.executeScript("window.scrollTo(0, 0)");
            driver.findElement(By.id("save")).click();
            new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.visibilityOfElementLocated(By.id("notice")));
            assertThat(driver.findElement(By.id("notice")).getText()).contains("12");
        }
        Map<String, Long> stored = new java.util.TreeMap<>();
        tool.database().jdbi().useHandle(h -> h.createQuery("SELECT status, count(*) FROM mark WHERE session_id = 'PHONE-1-1' GROUP BY status")
                .map((rs, c) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> stored.put(e.getKey(), e.getValue())));
        assertThat(stored).containsEntry("ABSENT", 9L).containsEntry("PRESENT", 2L).containsEntry("LATE", 1L);
    }

    /** The save button is inside the viewport: nothing to scroll, sideways or down, to reach it. */
    private static void assertSaveOnScreen(JavascriptExecutor js) {
        String box = (String) js.executeScript("""
                const r = document.getElementById('save').getBoundingClientRect();
                return [r.left, r.top, r.right, r.bottom, innerWidth, innerHeight].join(' ');""");
        String[] v = box.split(" ");
        assertThat(Double.parseDouble(v[0])).as(box).isGreaterThanOrEqualTo(0);
        assertThat(Double.parseDouble(v[1])).as(box).isGreaterThanOrEqualTo(0);
        assertThat(Double.parseDouble(v[2])).as(box).isLessThanOrEqualTo(Double.parseDouble(v[4]));
        assertThat(Double.parseDouble(v[3])).as(box).isLessThanOrEqualTo(Double.parseDouble(v[5]));
    }

    /** A tap: scrolled into view and clicked as the page's own click (the sticky bar may cover a row's lower edge). */
    private static void click(JavascriptExecutor js, org.openqa.selenium.WebElement e) {
        js.executeScript("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", e);
    }

    private static double ratio(String json) throws Exception {
        return Api.JSON.readTree(json).path("ratio").asDouble();
    }

    /** Section {@code id}: {@code n} students with long Kazakh names, teacher T-7, two past sessions. */
    private static List<String> seed(String id, int n) {
        Api api = Api.admin(tool);
        api.ok(api.put("/api/v1/sections/" + id, "{\"title\": \"Course " + id + "\", \"termStart\": \"2026-01-10\", \"termEnd\": \"2026-12-25\"}"));
        List<String> ids = new ArrayList<>();
        List<String> roster = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String person = "P-" + (3000 + i);
            ids.add(person);
            roster.add("{\"personId\":\"" + person + "\",\"role\":\"student\",\"familyName\":\"Шаһмаранұлы-Бекмұхамбетов" + i
                    + "\",\"givenName\":\"Дәулетқали\",\"middleName\":\"Нұрсұлтанұлы\"}");
        }
        roster.add("{\"personId\":\"T-7\",\"role\":\"teacher\"}");
        api.ok(api.put("/api/v1/sections/" + id + "/enrolments", "[" + String.join(",", roster) + "]"));
        LocalDate day = LocalDate.now(ZoneId.of("Asia/Almaty")).minusDays(3);
        api.ok(api.put("/api/v1/sections/" + id + "/sessions", "[{\"sessionId\":\"" + id + "-1\",\"start\":\"" + day
                + "T08:00:00+05:00\",\"end\":\"" + day + "T08:50:00+05:00\",\"kind\":\"lecture\",\"hours\":1,\"room\":\"A-204\"}]"));
        return ids;
    }
}
