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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The daemon's admin pages over real HTTP (port 0 → a free port), on PostgreSQL, syncing a CSV portal into the fake Moodle. */
class AdminPagesTest {
    static final String TOKEN = "admin-token-0123456789-abcdefghijklmnop";
    static final String EVIL = "<script>alert(1)</script>";
    @TempDir
    Path dir;
    final FakeMoodle fake = new FakeMoodle();
    final WireMockServer moodle = FakeMoodle.start(fake);
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    final Database db = TestPostgres.freshDatabase("sync");
    SyncDaemonApp app;
    String base;

    @AfterEach
    void tearDown() {
        if (app != null) {
            app.stop();
        }
        moodle.stop();
    }

    private void start(boolean withToken) throws Exception {
        Path drop = Files.createDirectories(dir.resolve("drop"));
        StringBuilder p = new StringBuilder("id;login;email;role;status;group;last_name_kk;first_name_kk\n");
        for (int i = 0; i < 30; i++) {
            p.append("P-%04d;s%04d;s%04d@univ.kz;student;active;ИС-21-1;Сұлтанбек;Әсел\n".formatted(i, i, i));
        }
        p.append(EVIL).append(";evil;not-an-email;student;active;ИС-21-1;Зұлым;Адам\n");
        Files.writeString(drop.resolve("persons.csv"), p.toString());
        Map<String, String> env = new HashMap<>();
        env.put("QATYSU_DATA_DIR", dir.resolve("data").toString());
        env.put("QATYSU_SYNC_PORTAL_CSV_FOLDER", drop.toString());
        env.put("QATYSU_SYNC_MOODLE_URL", moodle.baseUrl());
        env.put("QATYSU_SYNC_MOODLE_TOKEN", "t0ken");
        env.put("QATYSU_SYNC_MOODLE_RATE_LIMIT", "0");
        env.put("QATYSU_SYNC_METRICS_PORT", Integer.toString(freePort()));
        for (String job : SyncSettings.JOBS) {
            env.put("QATYSU_SYNC_JOBS_" + job.toUpperCase() + "_CRON", "0 0 3 1 1 ? 2099"); // never fires by itself here
        }
        env.put("QATYSU_SYNC_JOBS_RECONCILE_CRON", "0 0 3 1 1 ? 2099");
        if (withToken) {
            env.put("QATYSU_SYNC_ADMIN_TOKEN", TOKEN);
        }
        var problems = new ConfigProblems();
        SyncSettings s = SyncSettings.read(new ConfigReader(ConfigSource.of("", env), problems));
        assertThat(problems.list()).isEmpty();
        app = SyncDaemonApp.create(s, db, Clock.systemUTC());
        app.start();
        base = "http://127.0.0.1:" + app.metricsAddress().orElseThrow().getPort();
    }

    /** A GET as an English-speaking browser (the pages follow Accept-Language; kk when it names none of kk, ru, en). */
    private HttpResponse<String> get(String path, String cookie) throws Exception {
        return get(path, cookie, "en-GB,en;q=0.9");
    }

    private HttpResponse<String> get(String path, String cookie, String acceptLanguage) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (acceptLanguage != null) {
            b.header("Accept-Language", acceptLanguage);
        }
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String cookie, String form) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).header("Accept-Language", "en")
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cookieValue(HttpResponse<?> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=") && !c.startsWith(name + "=;"))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElse(null);
    }

    private static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a CSRF field in %s", html).isTrue();
        return m.group(1);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Signs in through the form; returns the session cookie ("name=value"). */
    private String signIn() throws Exception {
        var form = get("/admin/sign-in", null);
        String pre = cookieValue(form, AdminHandler.SIGN_IN_COOKIE);
        var r = post("/admin/sign-in", pre, "csrf=" + enc(csrf(form.body())) + "&token=" + enc(TOKEN));
        assertThat(r.statusCode()).isEqualTo(303);
        String session = cookieValue(r, AdminHandler.SESSION_COOKIE);
        assertThat(r.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith(AdminHandler.SESSION_COOKIE + "=")
                .contains("HttpOnly").contains("SameSite=Strict").contains("Path=/admin"));
        return session;
    }

    private int runs() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM sync_run").mapTo(Integer.class).one());
    }

    @Test
    void without_a_token_the_admin_pages_do_not_exist() throws Exception {
        start(false);
        assertThat(get("/admin/runs", null).statusCode()).isEqualTo(404);
        assertThat(get("/admin/sign-in", null).statusCode()).isEqualTo(404);
        assertThat(get("/health", null).statusCode()).as("the endpoint itself is up").isEqualTo(200);
    }

    @Test
    void a_wrong_token_gets_401_and_nothing_else() throws Exception {
        start(true);
        app.runNow("accounts", false, false);
        var bearer = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/runs")).header("Accept", "application/json")
                .header("Authorization", "Bearer " + TOKEN.replace('a', 'b')).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bearer.statusCode()).isEqualTo(401);
        assertThat(bearer.body()).doesNotContain("accounts").doesNotContain(TOKEN);
        var form = get("/admin/sign-in", null);
        String pre = cookieValue(form, AdminHandler.SIGN_IN_COOKIE);
        var wrong = post("/admin/sign-in", pre, "csrf=" + enc(csrf(form.body())) + "&token=" + enc("x".repeat(40)));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(cookieValue(wrong, AdminHandler.SESSION_COOKIE)).isNull();
        assertThat(wrong.body()).contains("Wrong token").doesNotContain("accounts");
        assertThat(get("/admin/runs", null).statusCode()).as("no session, no history").isEqualTo(401);
        assertThat(get("/admin/runs", AdminHandler.SESSION_COOKIE + "=made-up").statusCode()).isEqualTo(401);
        var right = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/runs")).header("Accept", "application/json")
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(right.body()).contains("\"job\":\"accounts\"");
        var bearerPost = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/jobs/accounts/dry-run")).header("Accept", "application/json")
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bearerPost.statusCode()).as("a bearer needs no CSRF token: nothing ambient to forge").isEqualTo(200);
        assertThat(bearerPost.body()).contains("\"status\":\"DRY_RUN\"");
        var wrongPost = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/jobs/accounts/run")).header("Accept", "application/json")
                .header("Authorization", "Bearer nope").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongPost.statusCode()).isEqualTo(401);
    }

    @Test
    void the_history_shows_a_run_with_its_rejected_record_escaped() throws Exception {
        start(true);
        long id = app.runNow("accounts", false, false).runId();
        String session = signIn();
        var history = get("/admin/runs", session);
        assertThat(history.statusCode()).isEqualTo(200);
        assertThat(history.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'")
                .contains("frame-ancestors 'none'");
        assertThat(history.body()).contains("/admin/runs/" + id).contains("Accounts").contains(">Succeeded<").contains("Asia/Almaty");
        var run = get("/admin/runs/" + id, session);
        assertThat(run.statusCode()).isEqualTo(200);
        assertThat(run.body()).contains("Rejected source records (2)").contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("email").contains("not an e-mail address").doesNotContain(EVIL)
                .contains("moodle.users");
        assertThat(get("/admin/runs?outcome=NONSENSE", session)).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("outcome");
        });
        assertThat(get("/admin/runs?job=grades", session).body()).doesNotContain("/admin/runs/" + id + "\"");
        assertThat(get("/admin/runs/999999", session).statusCode()).isEqualTo(404);
        Matcher nonce = Pattern.compile("<style nonce=\"([^\"]+)\">").matcher(history.body());
        assertThat(nonce.find()).isTrue();
        assertThat(history.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("style-src 'nonce-" + nonce.group(1) + "'");
        assertThat(history.body()).doesNotContain("style=\"").doesNotContain("<script");
    }

    /**
     * The pages speak the browser's language (Accept-Language), Kazakh when it names none of ours; the switch
     * ({@code ?lang=}) wins and is remembered in a cookie. Statuses, modes and job names are words, times
     * {@code dd.MM.yyyy HH:mm} in {@code sync.timezone}, counts grouped as the language does.
     */
    @Test
    void the_pages_speak_kazakh_russian_or_english_as_chosen() throws Exception {
        start(true);
        long id = app.runNow("accounts", false, false).runId();
        db.jdbi().useHandle(h -> h.execute("UPDATE sync_run SET started_at = '2026-09-02T03:04:05Z', finished_at = "
                + "'2026-09-02T03:04:07.500Z' WHERE id = ?", id));
        String session = signIn();
        var kk = get("/admin/runs", session, null);
        assertThat(kk.body()).contains("<html lang=\"kk\">").contains("Синхрондаудың іске қосулары").contains("Тіркелгілер")
                .contains(">Сәтті<").contains("02.09.2026 08:04<").contains("2,5 с").contains("синхрондау")
                .doesNotContain(">SUCCEEDED<").doesNotContain("Sync runs");
        var ru = get("/admin/runs/" + id, session, "ru-RU,ru;q=0.9,en;q=0.5");
        assertThat(ru.body()).contains("<html lang=\"ru\">").contains("Запуск №" + id + ": Учётные записи")
                .contains("Отклонённые записи источника (2)").contains(">Успешно<").contains("Завершён 02.09.2026 08:04");
        var switched = get("/admin/jobs?lang=ru", session, "en");
        assertThat(switched.body()).contains("<html lang=\"ru\">").contains("Запустить сейчас").contains("Пробный запуск");
        String lang = cookieValue(switched, AdminHandler.LANGUAGE_COOKIE);
        assertThat(lang).isEqualTo(AdminHandler.LANGUAGE_COOKIE + "=ru");
        assertThat(get("/admin/jobs", session + "; " + lang, "en").body()).as("the choice is remembered").contains("<html lang=\"ru\">");
        assertThat(get("/admin/jobs?lang=xx", session, "en").body()).as("an unknown choice is ignored").contains("<html lang=\"en\">");
        assertThat(get("/admin/runs?job=accounts&lang=kk", session, "en").body()).as("the switch keeps the filter")
                .contains("href=\"/admin/runs?job=accounts&amp;lang=en\"");
        var bad = get("/admin/runs?page=abc", session, "kk");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("page: 1-ден бастап сан күтілді, келгені «abc»");
        var json = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/runs?page=abc")).header("Accept", "application/json")
                .header("Accept-Language", "kk").header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(json.body()).as("programs get English").contains("page: a number from 1 expected, was 'abc'");
    }

    @Test
    void the_history_is_paged_fifty_a_page_newest_first() throws Exception {
        start(true);
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO sync_run (job, started_at, finished_at, status, dry_run, forced, mode)
                SELECT 'grades', now() - make_interval(mins => g), now() - make_interval(mins => g) + interval '2 seconds',
                       'PARTIAL', false, false, 'sync' FROM generate_series(1, 60) g"""));
        String session = signIn();
        String first = get("/admin/runs?outcome=PARTIAL&job=grades", session).body();
        assertThat(first).contains("/admin/runs/60\"").contains("/admin/runs/11\"").doesNotContain("/admin/runs/10\"")
                .contains("page=2&amp;job=grades&amp;outcome=PARTIAL").contains("2.0 s");
        String second = get("/admin/runs?page=2&job=grades&outcome=PARTIAL", session).body();
        assertThat(second).contains("/admin/runs/10\"").contains("/admin/runs/1\"").doesNotContain("/admin/runs/11\"");
        assertThat(get("/admin/runs?page=0", session).statusCode()).isEqualTo(400);
        assertThat(get("/admin/runs?page=abc", session).body()).contains("page");
    }

    @Test
    void run_now_needs_the_csrf_token_and_then_the_scheduler_runs_the_job() throws Exception {
        start(true);
        String session = signIn();
        var jobs = get("/admin/jobs", session);
        assertThat(jobs.statusCode()).isEqualTo(200);
        assertThat(jobs.body()).contains("accounts").contains("Dry run").contains("Run now").contains("01.01.2099 03:00<");
        var noCsrf = post("/admin/jobs/accounts/run", session, "");
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        var wrongCsrf = post("/admin/jobs/accounts/run", session, "csrf=guessed");
        assertThat(wrongCsrf.statusCode()).isEqualTo(403);
        Thread.sleep(500);
        assertThat(runs()).as("nothing ran").isZero();
        var ok = post("/admin/jobs/accounts/run", session, "csrf=" + enc(csrf(jobs.body())));
        assertThat(ok.statusCode()).isEqualTo(303);
        Instant deadline = Instant.now().plusSeconds(30);
        String status = null;
        while (status == null && Instant.now().isBefore(deadline)) {
            status = db.jdbi().withHandle(h -> h.createQuery("SELECT status FROM sync_run WHERE job = 'accounts' AND status <> 'RUNNING'")
                    .mapTo(String.class).findOne().orElse(null));
            Thread.sleep(100);
        }
        assertThat(status).isEqualTo("SUCCEEDED");
        assertThat(fake.users).hasSize(30);
        assertThat(get("/admin/jobs", session).body()).contains("was handed to the scheduler");
    }

    @Test
    void a_dry_run_shows_the_plan_and_writes_nothing_to_moodle() throws Exception {
        start(true);
        String session = signIn();
        String csrf = csrf(get("/admin/jobs", session).body());
        long writesBefore = fake.writeCalls();
        var plan = post("/admin/jobs/accounts/dry-run", session, "csrf=" + enc(csrf));
        assertThat(plan.statusCode()).isEqualTo(200);
        assertThat(plan.body()).contains(">Dry run</span>").doesNotContain("DRY_RUN").contains("moodle.users: 30 create").contains("P-0000").contains("P-0029")
                .contains("The safety valve would let this plan through").doesNotContain(EVIL);
        assertThat(fake.writeCalls()).isEqualTo(writesBefore);
        assertThat(fake.users).isEmpty();
        List<String> statuses = db.jdbi().withHandle(h -> h.createQuery("SELECT status FROM sync_run").mapTo(String.class).list());
        assertThat(statuses).containsExactly("DRY_RUN");
        assertThat(post("/admin/jobs/accounts/dry-run", session, "").statusCode()).as("CSRF here too").isEqualTo(403);
        assertThat(post("/admin/jobs/nope/dry-run", session, "csrf=" + enc(csrf)).statusCode()).isEqualTo(404);
    }

    @Test
    void run_now_says_so_and_starts_nothing_while_the_job_holds_its_lock() throws Exception {
        start(true);
        String session = signIn();
        String csrf = csrf(get("/admin/jobs", session).body());
        try (var lock = kz.qatysu.sync.engine.JobLock.tryAcquire(db.jdbi(), "accounts").orElseThrow()) {
            assertThat(get("/admin/jobs", session).body()).contains("data-label=\"State\">running<");
            assertThat(post("/admin/jobs/accounts/run", session, "csrf=" + enc(csrf)).statusCode()).isEqualTo(303);
            assertThat(get("/admin/jobs", session).body()).contains("Accounts is running now; it was not started again");
            Thread.sleep(1000);
            assertThat(runs()).isZero();
        }
    }

    @Test
    void sign_out_ends_the_session() throws Exception {
        start(true);
        var tunnel = get("/admin/sign-in", null);
        assertThat(tunnel.headers().firstValue("Set-Cookie").orElseThrow()).as("plain http to localhost: an SSH tunnel")
                .doesNotContain("Secure");
        var proxied = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/sign-in")).header("X-Forwarded-Proto", "https").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(proxied.headers().firstValue("Set-Cookie").orElseThrow()).as("behind the TLS proxy").contains("; Secure");
        String session = signIn();
        String csrf = csrf(get("/admin/runs", session).body());
        assertThat(post("/admin/sign-out", session, "csrf=" + enc(csrf)).statusCode()).isEqualTo(303);
        assertThat(get("/admin/runs", session).statusCode()).isEqualTo(401);
    }

    private static int freePort() throws java.io.IOException {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
