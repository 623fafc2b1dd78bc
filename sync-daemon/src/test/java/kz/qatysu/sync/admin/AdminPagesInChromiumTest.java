package kz.qatysu.sync.admin;

import com.github.tomakehurst.wiremock.WireMockServer;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.connectors.moodle.FakeMoodle;
import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import kz.qatysu.sync.SyncDaemonApp;
import kz.qatysu.sync.SyncSettings;
import kz.qatysu.tool.proctoring.browser.ProctoringChromium;
import kz.qatysu.tool.testing.PageChecks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon's admin pages in headless Chromium at 390 px (a phone), in Kazakh and English chosen with the language
 * switch, with a realistic history: a real accounts run with rejected records (one of them a script), a dry run's
 * plan, a page of partly applied grades runs, a reconciliation with drift. On every page: no sideways scrolling, tap
 * targets of at least 24×24 px (or spaced as WCAG 2.2 allows), no raw ISO date or constant in the text, and nothing
 * serious or critical from axe-core ({@link PageChecks}, the tool's checks). One browser; every problem reported at once.
 */
class AdminPagesInChromiumTest {
    static final String TOKEN = AdminPagesTest.TOKEN;
    static Path dir;
    static FakeMoodle fake;
    static WireMockServer moodle;
    static Database db;
    static SyncDaemonApp app;
    static String base;
    static long accountsRun;
    static long dryRun;
    static long reconcileRun;

    @BeforeAll
    static void start() throws Exception {
        ProctoringChromium.assumeInstalled();
        dir = Files.createTempDirectory("qatysu-sync-admin-chromium-");
        fake = new FakeMoodle();
        moodle = FakeMoodle.start(fake);
        db = TestPostgres.freshDatabase("sync");
        Path drop = Files.createDirectories(dir.resolve("drop"));
        StringBuilder p = new StringBuilder("id;login;email;role;status;group;last_name_kk;first_name_kk\n");
        for (int i = 0; i < 12; i++) {
            p.append("P-%04d;s%04d;s%04d@univ.kz;student;active;ИС-21-1;Сұлтанбек;Әсел\n".formatted(i, i, i));
        }
        p.append(AdminPagesTest.EVIL).append(";evil;not-an-email;student;active;ИС-21-1;Зұлым;Адам\n");
        Files.writeString(drop.resolve("persons.csv"), p.toString());
        Map<String, String> env = new HashMap<>();
        env.put("QATYSU_DATA_DIR", dir.resolve("data").toString());
        env.put("QATYSU_SYNC_PORTAL_CSV_FOLDER", drop.toString());
        env.put("QATYSU_SYNC_MOODLE_URL", moodle.baseUrl());
        env.put("QATYSU_SYNC_MOODLE_TOKEN", "t0ken");
        env.put("QATYSU_SYNC_MOODLE_RATE_LIMIT", "0");
        try (var s = new java.net.ServerSocket(0)) {
            env.put("QATYSU_SYNC_METRICS_PORT", Integer.toString(s.getLocalPort()));
        }
        for (String job : SyncSettings.JOBS) {
            env.put("QATYSU_SYNC_JOBS_" + job.toUpperCase() + "_CRON", "0 0 3 1 1 ? 2099");
        }
        env.put("QATYSU_SYNC_JOBS_RECONCILE_CRON", "0 0 3 1 1 ? 2099");
        env.put("QATYSU_SYNC_ADMIN_TOKEN", TOKEN);
        var problems = new ConfigProblems();
        SyncSettings s = SyncSettings.read(new ConfigReader(ConfigSource.of("", env), problems));
        assertThat(problems.list()).isEmpty();
        app = SyncDaemonApp.create(s, db, Clock.systemUTC());
        app.start();
        base = "http://127.0.0.1:" + app.metricsAddress().orElseThrow().getPort();
        dryRun = app.runNow("accounts", true, false).runId();
        accountsRun = app.runNow("accounts", false, false).runId();
        db.jdbi().useHandle(h -> {
            h.execute("""
                    INSERT INTO sync_run (job, started_at, finished_at, status, dry_run, forced, mode, host, report)
                    SELECT 'grades', now() - make_interval(mins => g), now() - make_interval(mins => g) + interval '95 seconds',
                           CASE WHEN g % 3 = 0 THEN 'PARTIAL' WHEN g % 3 = 1 THEN 'TARGET_FAILED' ELSE 'SUCCEEDED' END,
                           false, false, 'sync', 'sync-1.univ.kz',
                           '{"targets":[{"target":"portal.grades","create":1234,"update":5,"suspend":0}],"failureCount":2}'::jsonb
                      FROM generate_series(1, 60) g""");
            reconcileRun = h.createQuery("""
                    INSERT INTO sync_run (job, started_at, finished_at, status, dry_run, forced, mode, host, report)
                    VALUES ('accounts', now() - interval '2 hours', now() - interval '2 hours' + interval '4 seconds', 'PARTIAL',
                            false, false, 'reconcile', 'sync-2.univ.kz', '{"targets":[{"target":"moodle.users","known":13,
                            "create":1,"update":1,"suspend":1,"noop":10,"applied":2,"failed":1}],"failureCount":1}'::jsonb)
                    RETURNING id""").mapTo(Long.class).one();
            h.createUpdate("""
                    INSERT INTO sync_drift (run_id, target, record_key, kind, detail) VALUES
                      (:r, 'moodle.users', 'P-0003', 'missing', 'no Moodle user with idnumber P-0003'),
                      (:r, 'moodle.users', 'P-0004', 'suspended', 'suspended in Moodle'),
                      (:r, 'moodle.users', 'P-0005', 'active', 'active in Moodle, suspended in the ledger')""")
                    .bind("r", reconcileRun).execute();
            h.createUpdate("""
                    INSERT INTO sync_run_change (run_id, target, record_key, action, outcome, detail) VALUES
                      (:r, 'moodle.users', 'P-0005', 'SUSPEND', 'FAILED', 'suspended again — Moodle answered 503')""")
                    .bind("r", reconcileRun).execute();
        });
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.stop();
        }
        if (moodle != null) {
            moodle.stop();
        }
    }

    @Test
    void at_390_px_in_kazakh_and_english_no_page_scrolls_sideways_taps_are_24_px_no_constant_shows_and_axe_finds_nothing_serious()
            throws Exception {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String axe = PageChecks.axeScript();
        Path profile = Files.createTempDirectory("qatysu-sync-admin-profile-");
        ChromeOptions options = ProctoringChromium.commonOptions(profile, null);
        options.addArguments("--headless=new");
        try (ProctoringChromium chromium = ProctoringChromium.headless(options, profile)) {
            WebDriver driver = chromium.driver();
            driver.manage().timeouts().scriptTimeout(PageChecks.AXE_TIMEOUT);
            ((ChromeDriver) driver).executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", 390, "height", 844, "deviceScaleFactor", 2, "mobile", true));
            JavascriptExecutor js = (JavascriptExecutor) driver;
            open(driver, base + "/admin/sign-in?lang=en");
            check(js, "sign-in (en)", axe, problems, notes);
            driver.findElement(By.name("token")).sendKeys(TOKEN);
            driver.findElement(By.cssSelector("main button[type=submit]")).click();
            waitLoaded(driver);
            assertThat(driver.getCurrentUrl()).endsWith("/admin/runs");
            for (String language : List.of("kk", "en")) {
                List<String> pages = List.of("/admin/runs?lang=" + language, "/admin/runs?page=2", "/admin/runs?job=grades&outcome=PARTIAL",
                        "/admin/runs/" + accountsRun, "/admin/runs/" + dryRun, "/admin/runs/" + reconcileRun, "/admin/jobs");
                for (String page : pages) {
                    open(driver, base + page);
                    assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).as(page).isEqualTo(language);
                    check(js, page + " (" + language + ")", axe, problems, notes);
                }
                // the dry run's plan: the page a POST answers
                driver.findElement(By.cssSelector("form[action='/admin/jobs/accounts/dry-run'] button")).click();
                waitLoaded(driver);
                assertThat(driver.getPageSource()).contains(AdminTexts.of(language).t("plan.valveOk"));
                check(js, "dry run of accounts (" + language + ")", axe, problems, notes);
                // "run now" leaves a message on the jobs page
                open(driver, base + "/admin/jobs");
                driver.findElement(By.cssSelector("form[action='/admin/jobs/grades/run'] button")).click();
                waitLoaded(driver);
                assertThat(driver.findElement(By.cssSelector(".flash")).getText()).contains(AdminTexts.of(language).job("grades"));
                check(js, "jobs after run now (" + language + ")", axe, problems, notes);
            }
            assertThat(driver.getPageSource()).doesNotContain(AdminPagesTest.EVIL);
        }
        notes.forEach(n -> System.out.println("axe (moderate/minor, not failing): " + n));
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }

    private static void check(JavascriptExecutor js, String page, String axe, List<String> problems, List<String> notes) {
        PageChecks.phone(js, 390).forEach(p -> problems.add(page + " → " + p));
        PageChecks.rawText(js).forEach(p -> problems.add(page + " → " + p));
        List<String> minor = new ArrayList<>();
        PageChecks.axe(js, axe, minor).forEach(p -> problems.add(page + " → " + p));
        minor.forEach(m -> notes.add(page + " → " + m));
    }

    private static void open(WebDriver driver, String url) {
        driver.get(url);
        waitLoaded(driver);
        assertThat(driver.getPageSource()).as(url + " is a page, not an error").doesNotContain("<h1>Error", "<h1>Қате", "HTTP ERROR");
    }

    private static void waitLoaded(WebDriver driver) {
        new WebDriverWait(driver, Duration.ofSeconds(20))
                .until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
    }
}
