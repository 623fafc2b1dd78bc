package kz.qatysu.cluster;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.nimbusds.jose.jwk.JWKSet;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import kz.qatysu.demo.platform.DemoPlatform;
import kz.qatysu.tool.lti.advantage.NewLineItem;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.MoodleLineItems;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import javax.net.ssl.SSLContext;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 §1 and §2 with real components only: an external PostgreSQL from Debian's binaries (SCRAM, fsync on), two
 * tool nodes in JVMs of their own, nginx with TLS from a test CA in front of them running config/nginx/qatysu.conf, a
 * WireMock LMS counting AGS posts, GreenMail counting e-mails, the demo platform and Chromium. Everything is started
 * once for the class (the order of the tests matters only for the last, which kills node A).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoToolNodesBehindNginxTest {
    static final String TOKEN = "cluster-test-admin-token-0123456789";
    static final String SECTION = "ATT101-2025";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String LINE_ITEMS = "/mod/lti/services.php/2/lineitems";

    static long classStart;
    static Path dir;
    static TestCa ca;
    static ExternalPostgres pg;
    static WireMockServer lms;
    static GreenMail smtp;
    static Nginx nginx;
    static ToolNode a;
    static ToolNode b;
    static TestPlatform platform;
    static HttpClient tls;
    static final HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        Commands.assumeInstalled();
        classStart = System.nanoTime();
        dir = Files.createTempDirectory("qatysu-cluster-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        ca = TestCa.create(dir.resolve("tls"));
        SSLContext trust = ca.sslContext();
        SSLContext.setDefault(trust); // the demo platform's own clients fetch the tool's keys through nginx too
        tls = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        pg = ExternalPostgres.start(dir.resolve("pg"));
        lms = fakeLms();
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();

        int portA = Commands.freePort();
        int portB = Commands.freePort();
        int https = Commands.freePort();
        nginx = Nginx.start(dir.resolve("nginx"), portA, portB, ca, https);
        Map<String, String> env = nodeEnv(https);
        // both nodes at once on the empty database: the migrations and the first signing key must happen once
        a = ToolNode.launch("A", dir.resolve("node-a"), portA, env);
        b = ToolNode.launch("B", dir.resolve("node-b"), portB, env);
        a.awaitReady();
        b.awaitReady();

        // the issuer on loopback: the names-and-roles calls of the publisher reach the fake LMS (404), not a DNS lookup
        platform = new TestPlatform(lms.baseUrl(), "c5dFF2OU3Si4N9D", "1");
        String registration = platform.registrationJson().replace(platform.tokenUrl(), lms.baseUrl() + "/mod/lti/token.php");
        assertThat(api("POST", "/api/v1/admin/platforms", registration).statusCode()).isEqualTo(201);
        api("PUT", "/api/v1/sections/" + SECTION, "{\"title\":\"Attendance 101\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\"}");
        api("PUT", "/api/v1/sections/" + SECTION + "/enrolments", "[{\"personId\":\"P-1001\",\"role\":\"student\"},{\"personId\":\"T-7\",\"role\":\"teacher\"}]");
        assertThat(api("PUT", "/api/v1/sections/" + SECTION + "/sessions", sessions("S", 10)).statusCode()).isEqualTo(200);
        System.out.printf("[cluster] set-up (PostgreSQL, CA, nginx, two tool nodes, data): %.1f s%n", seconds(classStart));
    }

    static Map<String, String> nodeEnv(int https) throws IOException {
        Path media = Files.createDirectories(dir.resolve("shared-media"));
        SecureRandom random = new SecureRandom();
        Map<String, String> env = new HashMap<>();
        env.put("QATYSU_PUBLIC_URL", "https://localhost:" + https);
        env.put("QATYSU_ADMIN_TOKEN", TOKEN);
        env.put("QATYSU_DB_URL", pg.jdbcUrl());
        env.put("QATYSU_DB_USER", ExternalPostgres.USER);
        env.put("QATYSU_DB_PASSWORD", pg.password());
        env.put("QATYSU_DB_MAX_POOL_SIZE", "8");
        // shared by every node: the key that opens the signing keys, the media store and its key
        env.put("QATYSU_LTI_KEY_ENCRYPTION_KEY", key(random));
        env.put("QATYSU_PROCTORING_MEDIA_DIR", media.toString());
        env.put("QATYSU_PROCTORING_MEDIA_ENCRYPTION_KEY", key(random));
        env.put("QATYSU_HTTP_TRUSTED_PROXIES", Nginx.PROXY_ADDRESS);
        env.put("QATYSU_UI_DEFAULT_LANGUAGE", "en");
        env.put("QATYSU_NOTIFY_SMTP_HOST", "127.0.0.1");
        env.put("QATYSU_NOTIFY_SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()));
        env.put("QATYSU_NOTIFY_SMTP_SECURITY", "NONE");
        env.put("QATYSU_NOTIFY_SMTP_FROM", "Qatysu <qatysu@university.kz>");
        env.put("QATYSU_NOTIFY_INTERVAL", "1s");
        return env;
    }

    private static String key(SecureRandom random) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{b, a, nginx, pg}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception | AssertionError e) {
                    System.out.println("[cluster] stopping: " + e);
                }
            }
        }
        if (platform != null) {
            platform.close();
        }
        if (lms != null) {
            lms.stop();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (classStart != 0) {
            System.out.printf("[cluster] TwoToolNodesBehindNginxTest took %.1f s%n", seconds(classStart));
        }
        if (dir != null) {
            Path logs = Files.createDirectories(Path.of("target", "cluster-logs"));
            for (String f : List.of("node-a/tool.log", "node-b/tool.log", "nginx/error.log", "pg/server.log")) {
                if (Files.exists(dir.resolve(f))) {
                    Files.copy(dir.resolve(f), logs.resolve(f.replace('/', '-')), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void two_nodes_started_at_once_on_an_empty_database_migrated_it_once_and_made_one_signing_key() throws Exception {
        try (Connection c = pg.connect(); var st = c.createStatement()) {
            assertThat(count(st.executeQuery("SELECT count(*) FROM tool_key"))).isEqualTo(1);
            assertThat(count(st.executeQuery("SELECT count(*) - count(DISTINCT version) FROM flyway_history_tool WHERE version IS NOT NULL")))
                    .as("no migration applied twice").isZero();
        }
        assertThat(get(plain, a.directUrl() + "/.well-known/jwks.json").body())
                .isEqualTo(get(plain, b.directUrl() + "/.well-known/jwks.json").body());
    }

    @Test
    @Order(2)
    void a_login_started_on_node_a_is_finished_by_a_launch_on_node_b() {
        Visitor browser = new Visitor(plain);
        Map<String, String> auth = browser.login(a.directUrl(), platform.issuer, platform.clientId, platform.deploymentId, target());
        assertThat(auth.get("redirect_uri")).isEqualTo(nginx.baseUrl() + "/lti/launch");
        HttpResponse<String> launch = browser.launch(b.directUrl(),
                platform.sign(LaunchClaims.moodleStudent(platform, auth.get("nonce"), target())), auth.get("state"));
        assertThat(launch.statusCode()).as(launch.body()).isEqualTo(303);
        HttpResponse<String> page = browser.get(b.directUrl() + launch.headers().firstValue("Location").orElseThrow());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Әлия Нұрланқызы", "Attendance and Proctoring 101");
        // the session opened on B is good on A too
        assertThat(browser.get(a.directUrl() + launch.headers().firstValue("Location").orElseThrow()).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void an_id_token_and_its_nonce_used_on_one_node_are_refused_on_the_other() throws Exception {
        Visitor browser = new Visitor(plain);
        Map<String, String> auth = browser.login(b.directUrl(), platform.issuer, platform.clientId, platform.deploymentId, target());
        String token = platform.sign(LaunchClaims.moodleStudent(platform, auth.get("nonce"), target()));
        assertThat(browser.launch(a.directUrl(), token, auth.get("state")).statusCode()).isEqualTo(303);
        HttpResponse<String> replay = browser.launch(b.directUrl(), token, auth.get("state"));
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.body()).containsAnyOf("UNKNOWN_STATE", "NONCE_REPLAYED");
        try (Connection c = pg.connect(); var st = c.prepareStatement("SELECT count(*) FROM lti_nonce WHERE nonce = ?")) {
            st.setString(1, auth.get("nonce"));
            assertThat(count(st.executeQuery())).as("the nonce is recorded once, for both nodes").isEqualTo(1);
        }
    }

    @Test
    @Order(4)
    void a_key_rotated_through_node_a_is_published_by_node_b_at_once_and_one_key_is_current() throws Exception {
        HttpResponse<String> rotated = tls.send(HttpRequest.newBuilder(URI.create(a.directUrl() + "/api/v1/admin/keys/rotate"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String kid = rotated.body().replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1");
        assertThat(JWKSet.parse(get(plain, b.directUrl() + "/.well-known/jwks.json").body()).getKeyByKeyId(kid)).isNotNull();
        assertThat(JWKSet.parse(get(tls, nginx.baseUrl() + "/.well-known/jwks.json").body()).getKeyByKeyId(kid)).isNotNull();
        try (Connection c = pg.connect(); var st = c.createStatement()) {
            assertThat(count(st.executeQuery("SELECT count(*) FROM tool_key WHERE retired_at IS NULL"))).isEqualTo(1);
        }
    }

    @Test
    @Order(5)
    void a_platform_registered_through_node_a_takes_logins_on_node_b_at_once_and_registers_once() throws Exception {
        try (TestPlatform other = new TestPlatform("http://127.0.0.1:9", "canvas-client-1", "9")) {
            Thread.sleep(1100); // node B's registry is older than a second, as it is between two registrations
            List<Future<HttpResponse<String>>> both;
            ExecutorService two = Executors.newFixedThreadPool(2);
            try {
                both = two.invokeAll(List.of(
                        () -> plain.send(adminPost(a.directUrl(), "/api/v1/admin/platforms", other.registrationJson()), HttpResponse.BodyHandlers.ofString()),
                        () -> plain.send(adminPost(b.directUrl(), "/api/v1/admin/platforms", other.registrationJson()), HttpResponse.BodyHandlers.ofString())));
            } finally {
                two.shutdown();
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<HttpResponse<String>> f : both) {
                statuses.add(f.get().statusCode());
            }
            assertThat(statuses).as("the same registration sent to both nodes at once").containsExactlyInAnyOrder(201, 409);
            Visitor browser = new Visitor(plain);
            Map<String, String> auth = browser.login(b.directUrl(), other.issuer, other.clientId, other.deploymentId, target());
            HttpResponse<String> launch = browser.launch(a.directUrl(),
                    other.sign(LaunchClaims.moodleStudent(other, auth.get("nonce"), target())), auth.get("state"));
            assertThat(launch.statusCode()).as(launch.body()).isEqualTo(303);
        }
    }

    @Test
    @Order(6)
    void through_the_proxy_cookies_are_secure_same_site_none_partitioned_with_hsts_and_the_proxys_request_id() throws Exception {
        Visitor browser = new Visitor(tls);
        Map<String, String> auth = browser.login(nginx.baseUrl(), platform.issuer, platform.clientId, platform.deploymentId, target());
        HttpResponse<String> launch = browser.launch(nginx.baseUrl(),
                platform.sign(LaunchClaims.moodleStudent(platform, auth.get("nonce"), target())), auth.get("state"));
        assertThat(launch.statusCode()).as(launch.body()).isEqualTo(303);
        assertThat(browser.setCookies).isNotEmpty().allSatisfy(c ->
                assertThat(c).contains("Secure", "SameSite=None", "Partitioned", "HttpOnly"));
        assertThat(launch.headers().firstValue("Strict-Transport-Security")).contains("max-age=31536000");
        HttpResponse<String> page = browser.get(nginx.baseUrl() + launch.headers().firstValue("Location").orElseThrow());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Strict-Transport-Security")).contains("max-age=31536000");

        // request ids: nginx's $request_id (32 hex) is taken from the trusted proxy; a client's own is not
        HttpResponse<String> proxied = tls.send(HttpRequest.newBuilder(URI.create(nginx.baseUrl() + "/health"))
                .header("X-Request-Id", "forged-by-the-client").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(proxied.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f]{32}");
        HttpResponse<String> direct = plain.send(HttpRequest.newBuilder(URI.create(a.directUrl() + "/health"))
                .header("X-Request-Id", "forged-by-the-client").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(direct.headers().firstValue("X-Request-Id")).isPresent().get().isNotEqualTo("forged-by-the-client");

        // plain http on the proxy is sent to https
        HttpResponse<String> http = plain.send(HttpRequest.newBuilder(URI.create("http://localhost:" + nginx.httpPort + "/lti/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(http.statusCode()).isEqualTo(301);
        assertThat(http.headers().firstValue("Location").orElseThrow()).startsWith("https://localhost");
    }

    @Test
    @Order(7)
    void admission_scores_and_warning_e_mails_go_out_once_with_both_nodes_running_their_timers() throws Exception {
        long t = System.nanoTime();
        // the earlier launches (AGS claim granting lineitem and score) made the link; one node's pass created both items
        // and posted "admitted" before this launch, whose claim also grants lineitem.readonly: the relaunch must keep them
        await(() -> !scores("7").isEmpty() && !scores("8").isEmpty(), "the passes after the earlier launches");
        int lookedUp = lms.findAll(getRequestedFor(urlPathEqualTo(LINE_ITEMS)).withQueryParam("tag", equalTo(NewLineItem.ADMISSION_TAG))).size();
        Visitor browser = new Visitor(tls);
        Map<String, String> auth = browser.login(nginx.baseUrl(), platform.issuer, platform.clientId, platform.deploymentId, target());
        assertThat(browser.launch(nginx.baseUrl(), platform.sign(withAgs(LaunchClaims.moodleStudent(platform, auth.get("nonce"), target()))),
                auth.get("state")).statusCode()).isEqualTo(303);
        for (int s = 1; s <= 4; s++) { // 40 %: WARNING, then LOCKED
            assertThat(api("PUT", "/api/v1/sessions/S-" + s + "/marks", "[{\"personId\":\"P-1001\",\"status\":\"ABSENT\"}]").statusCode())
                    .isEqualTo(200);
        }
        await(() -> !scores("7").isEmpty() && last(scores("7")).contains("\"scoreGiven\":0,") && !scores("8").isEmpty()
                && Arrays.stream(smtp.getReceivedMessages()).anyMatch(m -> subject(m).contains("Attendance 101")), "the LOCKED score and an e-mail");
        Thread.sleep(17_000); // a whole 15 s publishing period of both nodes more: nothing may be posted or sent again

        List<String> attendance = scores("7").stream().map(r -> r.getBodyAsString().replaceAll(".*\"scoreGiven\":([0-9.]+),.*", "$1")).toList();
        for (int i = 1; i < attendance.size(); i++) {
            assertThat(attendance.get(i)).as("attendance admission posts %s: no score posted twice in a row", attendance).isNotEqualTo(attendance.get(i - 1));
        }
        assertThat(attendance).last().isEqualTo("0");
        assertThat(scores("8")).as("final exam admission: NOT_ADMITTED, posted once").hasSize(1);
        assertThat(lms.findAll(postRequestedFor(urlPathEqualTo(LINE_ITEMS)))).as("line items created once each").hasSize(2);
        assertThat(lms.findAll(getRequestedFor(urlPathEqualTo(LINE_ITEMS)).withQueryParam("tag", equalTo(NewLineItem.ADMISSION_TAG))))
                .as("the relaunch kept the remembered attendance item: not looked up again").hasSize(lookedUp);
        List<String> mails = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            mails.add(m.getRecipients(Message.RecipientType.TO)[0] + " " + subject(m));
        }
        assertThat(mails).isNotEmpty().doesNotHaveDuplicates();
        try (Connection c = pg.connect(); var st = c.createStatement()) {
            assertThat(count(st.executeQuery("SELECT count(*) FROM notification WHERE status <> 'SENT' AND status <> 'OBSOLETE' AND status <> 'SKIPPED'")))
                    .as("nothing left half-sent").isZero();
        }
        System.out.printf("[cluster] AGS and e-mail once: %d attendance posts %s, %d e-mails %s (%.1f s)%n", attendance.size(), attendance,
                mails.size(), mails, seconds(t));
    }

    @Test
    @Order(8)
    void a_launch_from_the_demo_platform_through_the_proxy_works_in_chromium() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Path chromedriver = Path.of("/usr/bin/chromedriver");
        boolean installed = Files.isExecutable(chromium) && Files.isExecutable(chromedriver);
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("Chromium / chromedriver missing under CI (scripts/ensure-browser.sh)");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(installed, "Chromium not installed: the proxy launch in a browser is skipped");
        long t = System.nanoTime();
        DemoPlatform demo = DemoPlatform.start(DemoPlatform.Settings.forTool(nginx.baseUrl()));
        Path profile = Files.createTempDirectory("qatysu-chromium-");
        WebDriver browser = null;
        try {
            assertThat(api("POST", "/api/v1/admin/platforms", demo.registrationJson()).statusCode()).isEqualTo(201);
            ChromeOptions options = new ChromeOptions();
            options.setBinary(chromium.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + profile, "--window-size=1280,900", "--lang=kk",
                    // the test CA is accepted for nginx's certificate only, by its public key (no NSS database)
                    "--ignore-certificate-errors-spki-list=" + ca.serverSpkiSha256());
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver.toString()))
                    .usingAnyFreePort().build();
            browser = new ChromeDriver(service, options);
            browser.get(demo.demoPageUrl());
            browser.findElement(By.linkText("Launch as teacher")).click();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.id("contentframe")));
            WebElement greeting;
            try {
                greeting = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("greeting")));
            } catch (org.openqa.selenium.TimeoutException e) {
                throw new AssertionError("no tool page in the frame; the frame shows "
                        + ((JavascriptExecutor) browser).executeScript("return location.href;") + ":\n" + browser.getPageSource(), e);
            }
            assertThat(greeting.getText()).contains("Айгүл Серікқызы");
            assertThat((String) ((JavascriptExecutor) browser).executeScript("return location.href;"))
                    .as("the frame shows the tool through nginx").startsWith(nginx.baseUrl() + "/app/");
            assertThat((Boolean) ((JavascriptExecutor) browser).executeScript("return window.isSecureContext;")).isTrue();
            System.out.printf("[cluster] demo platform launch through nginx in Chromium: %.1f s%n", seconds(t));
        } finally {
            if (browser != null) {
                browser.quit();
            }
            demo.stop();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(9)
    void a_class_start_through_nginx_on_two_nodes_and_on_one_node_is_measured() throws Exception {
        int n = Integer.getInteger("qatysu.cluster.launches", 80);
        int c = Integer.getInteger("qatysu.cluster.concurrency", 8);
        launches(nginx.baseUrl(), Math.min(n, 40), c);     // warm-up of both nodes

        Figures two = launches(nginx.baseUrl(), n, c);
        Figures one = launches(nginx.oneNodeUrl(), n, c);
        System.out.printf("[cluster] class start through nginx, %d launches at concurrency %d (login + launch each):%n"
                        + "[cluster]   two nodes: %.0f launches/s, p50 %d ms, p95 %d ms%n[cluster]   one node:  %.0f launches/s, p50 %d ms, p95 %d ms%n",
                n, c, two.perSecond, two.p50, two.p95, one.perSecond, one.p50, one.p95);
        assertThat(two.failed).as("every launch through two nodes succeeded").isZero();
        assertThat(one.failed).as("every launch through one node succeeded").isZero();
    }

    record Figures(double perSecond, long p50, long p95, int failed) {
    }

    private Figures launches(String base, int n, int concurrency) throws Exception {
        List<Long> millis = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(pool.submit(() -> {
                    long t = System.nanoTime();
                    try {
                        Visitor v = new Visitor(tls);
                        Map<String, String> auth = v.login(base, platform.issuer, platform.clientId, platform.deploymentId, target());
                        int status = v.launch(base, platform.sign(LaunchClaims.moodleStudent(platform, auth.get("nonce"), target())),
                                auth.get("state")).statusCode();
                        if (status != 303 && failed.incrementAndGet() == 1) {
                            System.out.println("[cluster] a launch was answered " + status);
                        }
                    } catch (RuntimeException | AssertionError e) {
                        if (failed.incrementAndGet() == 1) {
                            System.out.println("[cluster] a launch failed: " + e);
                        }
                    }
                    millis.add((System.nanoTime() - t) / 1_000_000);
                }));
            }
            for (Future<?> f : all) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = millis.stream().sorted().toList();
        return new Figures(n / seconds, sorted.get(sorted.size() / 2), sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1), failed.get());
    }

    @Test
    @Order(11)
    void a_check_in_opened_on_node_a_takes_its_code_on_node_b_and_the_wrong_code_cap_counts_on_both_nodes() throws Exception {
        api("PUT", "/api/v1/sections/CHK", "{\"title\":\"Check-in\",\"termStart\":\"2026-01-01\",\"termEnd\":\"2030-12-25\"}");
        api("PUT", "/api/v1/sections/CHK/enrolments", "[{\"personId\":\"P-1001\",\"role\":\"student\"},"
                + "{\"personId\":\"P-1002\",\"role\":\"student\"},{\"personId\":\"T-7\",\"role\":\"teacher\"}]");
        java.time.OffsetDateTime start = java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(5))
                .truncatedTo(java.time.temporal.ChronoUnit.MINUTES).minusMinutes(2);
        assertThat(api("PUT", "/api/v1/sections/CHK/sessions", "[{\"sessionId\":\"CK-1\",\"start\":\"" + start + "\",\"end\":\""
                + start.plusMinutes(50) + "\",\"kind\":\"lecture\",\"hours\":1}]").statusCode()).isEqualTo(200);

        Visitor teacher = new Visitor(plain);
        String t = launchIn(teacher, a, "3", "T-7", true);
        HttpResponse<String> opened = teacher.postForm(a.directUrl() + t + "/checkin/CK-1/open",
                Map.of("_csrf", csrf(teacher.get(a.directUrl() + t + "/checkin/CK-1").body()), "stepSeconds", "600"));
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(303);
        String right = teacher.get(a.directUrl() + t + "/checkin/CK-1/code.json").body().replaceAll("(?s).*\"code\":\"([0-9]+)\".*", "$1");
        String wrong = right.substring(0, right.length() - 1) + (char) ('0' + (right.charAt(right.length() - 1) - '0' + 1) % 10);

        Visitor aliya = new Visitor(plain);
        String s1 = launchIn(aliya, b, "5", "P-1001", false);
        for (int i = 0; i < 5; i++) { // the cap is 5 wrong codes per student and session, whichever node counts them
            ToolNode node = i % 2 == 0 ? a : b;
            assertThat(checkIn(aliya, node, s1, wrong).statusCode()).isEqualTo(422);
        }
        HttpResponse<String> capped = checkIn(aliya, b, s1, right);
        assertThat(capped.statusCode()).isEqualTo(422);

        Visitor dana = new Visitor(plain);
        String s2 = launchIn(dana, a, "6", "P-1002", false);
        HttpResponse<String> ok = checkIn(dana, b, s2, right);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).contains("data-ok=\"true\"");
        assertThat(checkIn(dana, a, s2, right).statusCode()).as("again, on the other node").isBetween(200, 299);
        try (Connection c = pg.connect(); var st = c.createStatement()) {
            assertThat(count(st.executeQuery("SELECT count(*) FROM mark WHERE session_id = 'CK-1' AND person_id = 'P-1002'"))).isEqualTo(1);
            assertThat(count(st.executeQuery("SELECT count(*) FROM mark WHERE session_id = 'CK-1' AND person_id = 'P-1001'"))).isZero();
            assertThat(count(st.executeQuery("""
                    SELECT count(*) FROM checkin_attempt a JOIN checkin c ON c.id = a.checkin_id
                    WHERE c.session_id = 'CK-1' AND a.person_id = 'P-1001' AND a.reason = 'WRONG_CODE'"""))).isEqualTo(5);
        }
    }

    static String launchIn(Visitor v, ToolNode node, String sub, String personId, boolean teacher) {
        return launchIn(v, node, sub, personId, teacher, "CHK");
    }

    static String launchIn(Visitor v, ToolNode node, String sub, String personId, boolean teacher, String section) {
        Map<String, String> auth = v.login(node.directUrl(), platform.issuer, platform.clientId, platform.deploymentId, target());
        Map<String, Object> claims = teacher ? LaunchClaims.moodleTeacher(platform, auth.get("nonce"), target())
                : LaunchClaims.moodleStudent(platform, auth.get("nonce"), target());
        claims.put("sub", sub);
        claims.put(LaunchClaims.LTI + "lis", Map.of("person_sourcedid", personId, "course_section_sourcedid", section));
        HttpResponse<String> r = v.launch(node.directUrl(), platform.sign(claims), auth.get("state"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        String location = r.headers().firstValue("Location").orElseThrow();
        return location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
    }

    static HttpResponse<String> checkIn(Visitor v, ToolNode node, String base, String code) {
        return v.postForm(node.directUrl() + base + "/checkin", Map.of("_csrf", csrf(v.get(node.directUrl() + base + "/checkin").body()), "code", code));
    }

    static String csrf(String html) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no CSRF field in " + html);
        }
        return m.group(1);
    }

    @Test
    @Order(12)
    void a_node_behind_nginx_on_its_own_host_listens_on_loopback_only_by_default() throws Exception {
        // http.trustedProxies is nginx's 127.0.0.2 and http.host is unset: the node listens on 127.0.0.1 alone, so it
        // is not reachable at another address of this host (127.0.0.2 stands for one: loopback only in tests)
        assertThat(connects("127.0.0.1", a.port)).isTrue();
        assertThat(connects(Nginx.PROXY_ADDRESS, a.port)).as("node A at another address of this host").isFalse();
        assertThat(connects(Nginx.PROXY_ADDRESS, b.port)).as("node B at another address of this host").isFalse();
        assertThat(a.log()).contains("Listening on 127.0.0.1:" + a.port + " (http.host, http.port)");
    }

    static boolean connects(String host, int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(host, port), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    @Order(13)
    void an_api_token_revoked_through_node_a_is_refused_by_node_b_within_the_documented_5_seconds() throws Exception {
        long t = System.nanoTime();
        HttpResponse<String> issued = plain.send(adminPost(a.directUrl(), "/api/v1/admin/tokens",
                "{\"name\":\"cluster-sis\",\"scopes\":[\"admin\"]}"), HttpResponse.BodyHandlers.ofString());
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        String token = issued.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        String id = issued.body().replaceAll(".*\"id\":([0-9]+).*", "$1");
        assertThat(withToken(b, token).statusCode()).as("node B has read the token").isEqualTo(200);
        assertThat(withToken(a, token).statusCode()).isEqualTo(200);

        HttpResponse<String> revoked = plain.send(HttpRequest.newBuilder(URI.create(a.directUrl() + "/api/v1/admin/tokens/" + id))
                .header("Authorization", "Bearer " + TOKEN).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        long at = System.nanoTime();
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(204);
        assertThat(withToken(a, token).statusCode()).as("node A, at once").isEqualTo(401);
        int status;
        while ((status = withToken(b, token).statusCode()) == 200 && System.nanoTime() - at < Duration.ofSeconds(10).toNanos()) {
            Thread.sleep(100);
        }
        double after = seconds(at);
        assertThat(status).as("node B refuses the revoked token").isEqualTo(401);
        assertThat(after).as("seconds until node B refused it (the bound: 5 s, docs/OPERATIONS.md)").isLessThan(5.0 + 1.5);
        System.out.printf("[cluster] a token revoked through node A was refused by node B after %.1f s (%.1f s)%n", after, seconds(t));
    }

    static HttpResponse<String> withToken(ToolNode node, String token) throws Exception {
        return plain.send(HttpRequest.newBuilder(URI.create(node.directUrl() + "/api/v1/admin/platforms"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(14)
    void an_excuse_document_uploaded_through_node_a_is_downloaded_and_approved_through_node_b() throws Exception {
        long t = System.nanoTime();
        api("PUT", "/api/v1/sections/EXC", "{\"title\":\"Excuses\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\"}");
        api("PUT", "/api/v1/sections/EXC/enrolments", "[{\"personId\":\"P-3001\",\"role\":\"student\"},{\"personId\":\"T-7\",\"role\":\"teacher\"}]");
        assertThat(api("PUT", "/api/v1/sections/EXC/sessions", sessions("EX", 2)).statusCode()).isEqualTo(200);
        byte[] pdf = ("%PDF-1.4\n1 0 obj <<>> endobj\n% a medical certificate " + System.nanoTime() + "\ntrailer <<>>\n%%EOF\n")
                .getBytes(StandardCharsets.US_ASCII);

        Visitor student = new Visitor(plain);
        String s = launchIn(student, a, "31", "P-3001", false, "EXC");
        String form = student.get(a.directUrl() + s + "/excuses").body();
        HttpResponse<String> sent = student.postMultipart(a.directUrl() + s + "/excuses", Map.of("_csrf", csrf(form),
                "dateFrom", "2026-09-02", "dateTo", "2026-09-02", "reason", "Ауырдым — анықтама №7"), "document", "анықтама.pdf", pdf);
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(303);
        String id = sent.headers().firstValue("Location").orElseThrow().replaceAll(".*submitted=([0-9]+).*", "$1");

        Visitor teacher = new Visitor(plain);
        String tb = launchIn(teacher, b, "37", "T-7", true, "EXC");
        String page = teacher.get(b.directUrl() + tb + "/excuses").body();
        assertThat(page).contains("excuse-" + id, "Ауырдым — анықтама №7");
        HttpResponse<byte[]> document = teacher.bytes(b.directUrl() + tb + "/excuses/" + id + "/document");
        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.body()).as("the document node A stored, read by node B").isEqualTo(pdf);
        HttpResponse<String> approved = teacher.postForm(b.directUrl() + tb + "/excuses/" + id + "/approve",
                Map.of("_csrf", csrf(page), "comment", "OK"));
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(303);
        // the student's session, opened on node A, reads their own document through node B too
        assertThat(student.bytes(b.directUrl() + s + "/excuses/" + id + "/document").body()).isEqualTo(pdf);
        try (Connection c = pg.connect(); var st = c.createStatement()) {
            assertThat(count(st.executeQuery("SELECT count(*) FROM mark WHERE session_id = 'EX-1' AND person_id = 'P-3001' AND status = 'EXCUSED'")))
                    .isEqualTo(1);
        }
        try (Stream<Path> files = Files.walk(dir.resolve("shared-media").resolve("excuses"))) {
            assertThat(files.filter(Files::isRegularFile).count()).as("one object in the shared media store").isEqualTo(1);
        }
        System.out.printf("[cluster] an excuse uploaded through node A, downloaded and approved through node B (%.1f s)%n", seconds(t));
    }

    @Test
    @Order(20)
    void kill_9_of_node_a_during_a_burst_of_grid_saves_through_nginx_loses_nothing_acknowledged_and_node_b_carries_on() throws Exception {
        int students = 30;
        int sessionCount = 10;
        api("PUT", "/api/v1/sections/BURST", "{\"title\":\"Burst\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\"}");
        api("PUT", "/api/v1/sections/BURST/enrolments", IntStream.rangeClosed(1, students)
                .mapToObj(i -> "{\"personId\":\"B-" + i + "\",\"role\":\"student\"}").collect(Collectors.joining(",", "[", "]")));
        assertThat(api("PUT", "/api/v1/sections/BURST/sessions", sessions("BU", sessionCount)).statusCode()).isEqualTo(200);

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> afterKill = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        ExecutorService writers = Executors.newFixedThreadPool(6);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
            int writer = w;
            done.add(writers.submit(() -> {
                for (int i = writer; i < students * sessionCount; i += 6) {
                    String session = "BU-" + (i / students + 1);
                    String person = "B-" + (i % students + 1);
                    try {
                        int status = api("PUT", "/api/v1/sessions/" + session + "/marks",
                                "[{\"personId\":\"" + person + "\",\"status\":\"ABSENT\"}]").statusCode();
                        if (status / 100 == 2) {
                            acknowledged.add(session + "/" + person);
                            if (killed.get()) {
                                afterKill.add(session + "/" + person);
                            }
                        } else {
                            refused.incrementAndGet();
                        }
                    } catch (Exception e) {
                        refused.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        await(() -> acknowledged.size() >= 60, "60 acknowledged grid saves");
        a.kill(); // SIGKILL while the writers write
        killed.set(true);
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        writers.shutdown();

        Set<String> stored = new HashSet<>();
        try (Connection c = pg.connect(); var st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT session_id, person_id FROM mark WHERE session_id LIKE 'BU-%'")) {
            while (rs.next()) {
                stored.add(rs.getString(1) + "/" + rs.getString(2));
            }
        }
        System.out.printf("[cluster] kill -9 of node A mid-burst: %d acknowledged (%d after the kill), %d not acknowledged, %d stored%n",
                acknowledged.size(), afterKill.size(), refused.get(), stored.size());
        assertThat(afterKill).as("node B carried on behind nginx").hasSizeGreaterThan(100);
        assertThat(stored).as("every acknowledged grid save is stored").containsAll(acknowledged);
        assertThat(get(tls, nginx.baseUrl() + "/ready").statusCode()).isEqualTo(200);
    }

    // --- helpers

    static String target() {
        return nginx.baseUrl() + "/lti/launch";
    }

    static String sessions(String prefix, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> String.format(
                "{\"sessionId\":\"%s-%d\",\"start\":\"2026-09-%02dT08:00:00+05:00\",\"end\":\"2026-09-%02dT08:50:00+05:00\",\"kind\":\"lecture\",\"hours\":1}",
                prefix, i, i + 1, i + 1)).collect(Collectors.joining(",", "[", "]"));
    }

    static HttpResponse<String> api(String method, String path, String body) throws Exception {
        return tls.send(HttpRequest.newBuilder(URI.create(nginx.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest adminPost(String base, String path, String body) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r;
    }

    static long count(ResultSet rs) throws Exception {
        try (rs) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    static String subject(MimeMessage m) {
        try {
            return jakarta.mail.internet.MimeUtility.decodeText(m.getSubject());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Map<String, Object> withAgs(Map<String, Object> claims) {
        claims.put("https://purl.imsglobal.org/spec/lti-ags/claim/endpoint", Map.of(
                "scope", List.of("https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                        "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
                        "https://purl.imsglobal.org/spec/lti-ags/scope/score"),
                "lineitems", lms.baseUrl() + LINE_ITEMS + "?type_id=1"));
        claims.put(LaunchClaims.LTI + "custom", Map.of("qatysu_resource", "attendance"));
        return claims;
    }

    static List<LoggedRequest> scores(String item) {
        return lms.findAll(postRequestedFor(urlPathEqualTo(LINE_ITEMS + "/" + item + "/lineitem/scores")));
    }

    static String last(List<LoggedRequest> posted) {
        return posted.get(posted.size() - 1).getBodyAsString();
    }

    /**
     * A Moodle 4.5-shaped LMS: token endpoint, a line-item container that lists what the tool created filtered by
     * resource_link_id / resource_id / tag as Moodle does (items 7 attendance and 8 final exam), slow score posts.
     */
    static WireMockServer fakeLms() {
        MoodleLineItems items = new MoodleLineItems(Map.of(NewLineItem.ADMISSION_TAG, 7, NewLineItem.EXAM_ADMISSION_TAG, 8));
        WireMockServer lms = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort().extensions(items));
        lms.start();
        lms.stubFor(post(urlPathEqualTo("/mod/lti/token.php")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"0c4bbb8b9a3e1c1ea2b9e1f1c6d5a4e3\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                        + "\"scope\":\"https://purl.imsglobal.org/spec/lti-ags/scope/lineitem https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly https://purl.imsglobal.org/spec/lti-ags/scope/score\"}")));
        items.stub(lms, LINE_ITEMS);
        // a slow gradebook makes a publishing pass long, so the two nodes' timers overlap it
        for (String item : List.of("7", "8")) {
            lms.stubFor(post(urlPathEqualTo(LINE_ITEMS + "/" + item + "/lineitem/scores"))
                    .willReturn(aResponse().withStatus(200).withFixedDelay(1500)));
        }
        return lms;
    }
}
