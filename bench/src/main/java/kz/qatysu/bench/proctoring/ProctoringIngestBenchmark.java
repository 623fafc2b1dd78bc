package kz.qatysu.bench.proctoring;

import kz.qatysu.bench.faces.FaceBenchmark;
import kz.qatysu.bench.lti.ProcCpu;
import kz.qatysu.bench.proctoring.BrowserConnections.Response;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.database.Database;
import kz.qatysu.tool.LtiToolApp;
import kz.qatysu.tool.ToolSettings;
import kz.qatysu.tool.lti.ToolRole;
import kz.qatysu.tool.lti.platforms.Platform;
import kz.qatysu.tool.lti.platforms.PlatformInput;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.proctoring.analysis.Photos;
import kz.qatysu.tool.proctoring.attempts.AttemptService;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.util.Tokens;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 10's ingest benchmark (not a test): N examinees of one proctored exam send, over real HTTP to the in-process
 * tool (127.0.0.1, embedded durable PostgreSQL, production analysis pool {@code proctoring.analysisWorkers = 1}),
 * one 640×480 camera JPEG every {@code intervalSeconds}, a heartbeat every 5 s, 1–3 browser events every ~30 s and a
 * WebM recording chunk of 60–120 KB every 5 s, each examinee's schedule staggered.
 * <p>Setup: the platform, the examinees' course sessions (as an LTI launch would store them) and the exam row go in
 * through the app's services; the section, its roster and attendance through the admin API; consent and the start of
 * the monitoring through the examinee's real HTTP path (exam page → CSRF token → {@code POST …/consent} →
 * {@code POST …/attempt/start}).
 * <p>Load: open loop — every request has a due time fixed in advance and is sent then on its own virtual thread,
 * whatever happened to the others; its latency counts from the due time (no coordinated omission). The tool sits
 * behind a "reverse proxy" (it trusts 127.0.0.1 in {@code http.trustedProxies}) and each examinee has its own
 * {@code X-Forwarded-For} address, as 400 students at home would, and behaves as monitor.js does: snapshots, chunks
 * and events leave one at a time from one queue in order (a refused one retried after the backoff or the server's
 * {@code Retry-After}, ±25 %, before the next), heartbeats beside it, at most 6 requests in flight (a browser's
 * HTTP/1.1 connections per host); every other limit is the production default.
 * <p>Measured: latency per request type, errors, the analysis backlog (snapshots stored but not analysed) over time,
 * its maximum and the time to drain it after the load stops, stored vs acknowledged counts, and the analysis rate.
 * Args: {@code [examinees=400] [seconds=120] [intervalSeconds=10] [maxDrainSeconds=1800]}.
 */
public final class ProctoringIngestBenchmark {
    private static final String ADMIN_TOKEN = "bench-admin-token-0123456789";
    private static final String SECTION = "PROC-BENCH";
    private static final String EXAM = "exm-bench";
    /** How long the bench waits for the analysis backlog to drain after the load (4th argument, seconds). */
    private static final int MAX_DRAIN_SECONDS = 30 * 60;
    /** A refused upload is sent again at most this often (monitor.js keeps trying; the bench gives up to finish). */
    private static final int MAX_TRIES = 6;
    private static final int CONNECTIONS_PER_EXAMINEE = 6;
    private static final Pattern CSRF = Pattern.compile("(?:name=\"_csrf\" value|data-csrf)=\"([^\"]+)\"");

    enum Kind { SNAPSHOT, HEARTBEAT, EVENTS, CHUNK }

    /** One examinee: the course session's cookie, CSRF token, address and the counters of what was acknowledged. */
    static final class Examinee {
        final int n;
        final String person;
        final String launchKey;
        final String cookie;
        final String address;
        String csrf;
        /** The browser's connections to the tool: HTTP/1.1 browsers open at most 6 per host, kept alive. */
        final BrowserConnections browser;
        /**
         * monitor.js's one queue: snapshots, chunks and events are sent one at a time in order, the head retried (with
         * its backoff) before the next goes; heartbeats go beside it. A fair semaphore keeps the order of arrival.
         */
        final Semaphore uploadQueue = new Semaphore(1, true);

        Examinee(int n, String person, String launchKey, String secret, InetSocketAddress tool) {
            this.n = n;
            this.browser = new BrowserConnections(tool, CONNECTIONS_PER_EXAMINEE);
            this.person = person;
            this.launchKey = launchKey;
            this.cookie = Sessions.COOKIE_PREFIX + launchKey + "=" + secret;
            this.address = "10." + (n / 62500) + "." + (n / 250 % 250) + "." + (1 + n % 250);
        }

        String exam() {
            return "/app/" + launchKey + "/exams/" + EXAM;
        }
    }

    /** A request due at {@code dueNanos} (from the run's start). */
    record Due(long dueNanos, Kind kind, int examinee, int seq) {
    }

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final InetSocketAddress tool;

    ProctoringIngestBenchmark(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.tool = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    public static void main(String[] args) throws Exception {
        int examinees = arg(args, 0, 400);
        int seconds = arg(args, 1, 120);
        int interval = arg(args, 2, 10);
        Duration maxDrain = Duration.ofSeconds(arg(args, 3, MAX_DRAIN_SECONDS));
        System.out.printf(Locale.ROOT, "machine: %d cpus, max heap %d MiB, java %s, load average before: %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"), loadAverage());

        StartedTool started = startTool("qatysu-ingestbench");
        LtiToolApp app = started.app();
        Database db = started.db();
        int port = started.port();
        try {
            ProctoringIngestBenchmark bench = new ProctoringIngestBenchmark(port);
            List<Examinee> all = bench.setUp(app, db, examinees, interval);
            bench.run(app, db, all, seconds, interval, maxDrain);
        } finally {
            app.javalin().stop();
            db.close();
        }
    }

    /** The tool in this process as deployed (production defaults, durable embedded PostgreSQL), on a free loopback port. */
    record StartedTool(LtiToolApp app, Database db, int port, ToolSettings settings) {
    }

    static StartedTool startTool(String dataDirPrefix) throws Exception {
        Path dataDir = Files.createTempDirectory(dataDirPrefix);
        int port;
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Map<String, String> env = new HashMap<>();
        env.put("QATYSU_HTTP_PORT", String.valueOf(port));
        env.put("QATYSU_PUBLIC_URL", "http://localhost:" + port);
        env.put("QATYSU_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("QATYSU_DATA_DIR", dataDir.toString());
        // the bench is the examinees' reverse proxy: each examinee's address comes in X-Forwarded-For
        env.put("QATYSU_HTTP_TRUSTED_PROXIES", "127.0.0.1");
        // any other tool setting from this process's environment (e.g. QATYSU_HTTP_MAX_CONCURRENT_UPLOADS), named in the output
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("QATYSU_") && !env.containsKey(k)) {
                env.put(k, v);
                System.out.println("setting from the environment: " + k + "=" + v);
            }
        });
        ConfigProblems problems = new ConfigProblems();
        ToolSettings settings = ToolSettings.read(new ConfigReader(ConfigSource.of("", env), problems));
        problems.throwIfAny();
        long t0 = System.nanoTime();
        Database db = Database.open("tool", settings.process().db(), settings.process().dataDir());
        System.out.printf(Locale.ROOT, "embedded PostgreSQL started and migrated in %d ms (data in %s)%n",
                (System.nanoTime() - t0) / 1_000_000, dataDir);
        LtiToolApp app = LtiToolApp.create(settings, db, Clock.systemUTC());
        app.javalin().start("127.0.0.1", port);
        System.out.printf(Locale.ROOT, "tool on 127.0.0.1:%d, analysis workers %d, analysis queue %d, uploads at once %d "
                        + "(per address %d, per session %d)%n", port, app.faceAnalysis().settings().workers(),
                app.faceAnalysis().settings().queue(), settings.httpLimits().maxConcurrentUploads(),
                settings.httpLimits().maxConcurrentUploadsPerAddress(), settings.httpLimits().maxConcurrentUploadsPerSession());
        return new StartedTool(app, db, port, settings);
    }

    // ---------------------------------------------------------------- setup

    List<Examinee> setUp(LtiToolApp app, Database db, int n, int interval) throws Exception {
        long s0 = System.nanoTime();
        Platform platform = app.platforms().register(new PlatformInput("https://moodle.bench.invalid", "bench-client",
                "Bench Moodle", "https://moodle.bench.invalid/mod/lti/auth.php", "https://moodle.bench.invalid/mod/lti/token.php",
                "https://moodle.bench.invalid/mod/lti/certs.php", List.of("1"), true), "bench", "bench");
        // the section, its roster and one attended class: every examinee has an OK standing (admitted to a midterm)
        admin("PUT", "/api/v1/sections/" + SECTION, "{\"title\": \"Proctoring bench\", \"termStart\": \"2026-09-01\", \"termEnd\": \"2026-12-25\"}");
        StringBuilder roster = new StringBuilder("[");
        StringBuilder marks = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            roster.append("{\"personId\":\"").append(person(i)).append("\",\"role\":\"student\"},");
            marks.append(i > 0 ? "," : "").append("{\"personId\":\"").append(person(i)).append("\",\"status\":\"PRESENT\"}");
        }
        roster.append("{\"personId\":\"T-BENCH\",\"role\":\"teacher\"}]");
        marks.append(']');
        admin("PUT", "/api/v1/sections/" + SECTION + "/enrolments", roster.toString());
        admin("PUT", "/api/v1/sections/" + SECTION + "/sessions", "[{\"sessionId\":\"" + SECTION + "-1\",\"start\":\"2026-09-02T08:00:00+05:00\","
                + "\"end\":\"2026-09-02T08:50:00+05:00\",\"kind\":\"lecture\",\"hours\":1,\"room\":\"A-204\",\"onlineUrl\":null}]");
        admin("PUT", "/api/v1/sessions/" + SECTION + "-1/marks", marks.toString());

        Instant now = Instant.now();
        Exam exam = new Exam(EXAM, SECTION, "Proctoring bench exam", Exam.ExamKind.MIDTERM, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(6)), true, Exam.Checks.NONE, interval, false, 2, 1, "T-BENCH", now, "T-BENCH", now);
        db.jdbi().useHandle(h -> app.proctoredExams().insert(h, exam));
        // as a tool that runs when an exam comes due: its minutely check loads the face models before the examinees come
        long m0 = System.nanoTime();
        app.loadFaceModelsForDueExams();
        while (!app.faceAnalysis().loaded() && System.nanoTime() - m0 < 120_000_000_000L) {
            Thread.sleep(50);
        }
        System.out.printf(Locale.ROOT, "face models %s %d ms after the exam came due (before the load)%n",
                app.faceAnalysis().loaded() ? "loaded" : "NOT loaded", (System.nanoTime() - m0) / 1_000_000);

        // the course sessions an LTI launch of the deep-linked exam stores, one per examinee
        List<Examinee> all = new ArrayList<>(n);
        Instant expires = now.plus(Duration.ofHours(8));
        for (int i = 0; i < n; i++) {
            String launchKey = Tokens.shortKey(platform.id() + "|1|bench-course|exam-link|" + i);
            ToolSession session = new ToolSession(launchKey, platform.id(), "1", "LtiResourceLinkRequest", "sub-" + i,
                    "Examinee " + i, null, ToolRole.STUDENT, List.of("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"),
                    "bench-course", "BENCH", "Proctoring bench", "exam-link", "Exam", "en", person(i), SECTION, null, null,
                    Map.of("custom", Map.of("qatysu_resource", "proctored-exam", "qatysu_exam", EXAM)), now, expires);
            String secret = db.jdbi().inTransaction(h -> app.sessions().open(h, session));
            all.add(new Examinee(i, person(i), launchKey, secret, tool));
        }
        long s1 = System.nanoTime();
        // consent and the start of the monitoring over the examinee's real HTTP path, 16 at a time
        Semaphore slots = new Semaphore(16);
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Examinee e : all) {
                slots.acquire();
                pool.submit(() -> {
                    try {
                        startMonitoring(e);
                    } catch (RuntimeException ex) {
                        failures.merge(ex.getMessage(), 1, Integer::sum);
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("setup failed: " + failures);
        }
        System.out.printf(Locale.ROOT, "setup: %d examinees (section, roster, standings, exam, sessions) in %d ms; consent + "
                + "start over HTTP in %d ms%n", n, (s1 - s0) / 1_000_000, (System.nanoTime() - s1) / 1_000_000);
        return all;
    }

    private void startMonitoring(Examinee e) {
        Response page = send(e, "GET", e.exam(), null, "exam page");
        Matcher m = CSRF.matcher(page.body());
        if (page.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("exam page of " + e.person + ": " + page.statusCode());
        }
        e.csrf = m.group(1);
        Response consent = send(e, "POST", e.exam() + "/consent",
                ("_csrf=" + java.net.URLEncoder.encode(e.csrf, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8), "consent",
                "Content-Type", "application/x-www-form-urlencoded");
        if (consent.statusCode() != 303) {
            throw new IllegalStateException("consent of " + e.person + ": " + consent.statusCode() + " " + consent.body());
        }
        Response start = json(e, "/attempt/start", "{\"recordingId\":\"" + UUID.randomUUID() + "\"}", "start");
        if (start.statusCode() != 200 || !start.body().contains("\"state\":\"IN_PROGRESS\"")) {
            throw new IllegalStateException("start of " + e.person + ": " + start.statusCode() + " " + start.body());
        }
    }

    // ---------------------------------------------------------------- the measured load

    private void run(LtiToolApp app, Database db, List<Examinee> all, int seconds, int interval, Duration maxDrain) throws Exception {
        nu.pattern.OpenCV.loadLocally();
        byte[] jpeg = FaceBenchmark.frame(Photos.ASTRONAUT);
        SplittableRandom rnd = new SplittableRandom(10);
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            byte[] b = new byte[60 * 1024 + rnd.nextInt(60 * 1024 + 1)];
            for (int j = 0; j < b.length; j++) {
                b[j] = (byte) rnd.nextInt(256);
            }
            if (i == 0) {
                // chunk 0 of every recording: the EBML header MediaRecorder's WebM starts with (RecordingUploads type-checks it)
                b[0] = 0x1A;
                b[1] = 0x45;
                b[2] = (byte) 0xDF;
                b[3] = (byte) 0xA3;
            }
            chunks.add(b);
        }
        String[] chunkSha = chunks.stream().map(ProctoringIngestBenchmark::sha256).toArray(String[]::new);

        // the schedule, fixed before the run: staggered per examinee
        List<Due> schedule = new ArrayList<>();
        long total = seconds * 1_000_000_000L;
        for (Examinee e : all) {
            int[] seq = new int[Kind.values().length];
            add(schedule, e, Kind.SNAPSHOT, rnd.nextLong(interval * 1_000_000_000L), interval * 1_000_000_000L, total, seq);
            add(schedule, e, Kind.HEARTBEAT, rnd.nextLong(5_000_000_000L), 5_000_000_000L, total, seq);
            add(schedule, e, Kind.CHUNK, rnd.nextLong(5_000_000_000L), 5_000_000_000L, total, seq);
            long at = rnd.nextLong(30_000_000_000L);
            while (at < total) {
                schedule.add(new Due(at, Kind.EVENTS, e.n, seq[Kind.EVENTS.ordinal()]++));
                at += 25_000_000_000L + rnd.nextLong(10_000_000_000L);
            }
        }
        schedule.sort((a, b) -> Long.compare(a.dueNanos(), b.dueNanos()));
        Map<Kind, AtomicLongArray> latencies = new EnumMap<>(Kind.class);
        Map<Kind, AtomicInteger> done = new EnumMap<>(Kind.class);
        Map<Kind, AtomicInteger> ok = new EnumMap<>(Kind.class);
        Map<Kind, Integer> scheduled = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            scheduled.put(k, (int) schedule.stream().filter(d -> d.kind() == k).count());
            latencies.put(k, new AtomicLongArray(scheduled.get(k)));
            done.put(k, new AtomicInteger());
            ok.put(k, new AtomicInteger());
        }
        AtomicInteger eventsSent = new AtomicInteger();
        AtomicInteger snapshotsQueuedAtOnce = new AtomicInteger();
        Map<String, Integer> errors = new ConcurrentHashMap<>();
        Map<String, Integer> retries = new ConcurrentHashMap<>();
        Map<String, Integer> refusals = new ConcurrentHashMap<>();
        System.out.printf(Locale.ROOT, "%nload: %d examinees for %d s: %s requests scheduled (open loop); snapshot %d bytes JPEG 640x480, "
                        + "chunks %d-%d bytes%n", all.size(), seconds, scheduled, jpeg.length,
                chunks.stream().mapToInt(b -> b.length).min().orElse(0), chunks.stream().mapToInt(b -> b.length).max().orElse(0));

        AttemptService attempts = app.proctoringAttempts();
        Sampler sampler = new Sampler(attempts, app, db);
        Thread samplerThread = Thread.ofPlatform().daemon().name("bench-sampler").start(sampler);
        long start = System.nanoTime() + 200_000_000L;
        sampler.start = start;
        double cpuBefore = processCpuSeconds();
        ThreadCpu threadCpu = new ThreadCpu();
        Thread threadCpuSampler = Thread.ofPlatform().daemon().name("bench-threadcpu").start(threadCpu);
        long postmaster = postmasterPid(app);
        long pgCpuBefore = ProcCpu.treeMillis(postmaster);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Due d : schedule) {
                long due = start + d.dueNanos();
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                Examinee e = all.get(d.examinee());
                pool.submit(() -> {
                    boolean queued = d.kind() != Kind.HEARTBEAT;
                    if (queued) {
                        e.uploadQueue.acquireUninterruptibly();
                    }
                    String failure = null;
                    try {
                    long backoff = 1000;
                    for (int attempt = 1; ; attempt++) {
                    failure = null;
                    boolean retry = false;
                    long retryAfterMillis = 0;
                    try {
                        Response r = switch (d.kind()) {
                            case SNAPSHOT -> send(e, "POST", e.exam() + "/attempt/snapshots?id=snap-" + e.n + "-" + d.seq()
                                            + "&source=CAMERA&takenAt=" + Instant.now().truncatedTo(ChronoUnit.MILLIS), jpeg, "snapshot",
                                    "X-CSRF-Token", e.csrf, "Content-Type", "image/jpeg");
                            case HEARTBEAT -> json(e, "/attempt/heartbeat", "{}", "heartbeat");
                            case EVENTS -> {
                                int count = 1 + (e.n + d.seq()) % 3;
                                eventsSent.addAndGet(count);
                                yield json(e, "/attempt/events", events(e, d.seq(), count), "events");
                            }
                            case CHUNK -> {
                                int index = d.seq();
                                int body = index == 0 ? 0 : 1 + (e.n + index) % (chunks.size() - 1);
                                yield send(e, "PUT", e.exam() + "/attempt/recording/" + index, chunks.get(body), "chunk",
                                        "X-CSRF-Token", e.csrf, "Content-Type", "video/webm", "X-Chunk-Sha256", chunkSha[body]);
                            }
                        };
                        if (r.statusCode() != 200) {
                            // a refusal names the cap that refused in its Qatysu-Refused header
                            String reason = r.header("Qatysu-Refused").orElse(null);
                            refusals.merge(r.statusCode() + " " + (reason == null ? "(no reason)" : reason), 1, Integer::sum);
                            failure = d.kind() + " " + r.statusCode() + (reason != null ? " " + reason
                                    : r.body().startsWith("<") ? "" : ": " + abbreviate(r.body()));
                            // what monitor.js does: busy (429), the server's trouble (5xx) or no answer is sent again
                            retry = r.statusCode() == 429 || r.statusCode() == 408 || r.statusCode() >= 500;
                            retryAfterMillis = Math.min(r.header("Retry-After").map(Long::parseLong).orElse(0L), 300) * 1000;
                        } else {
                            ok.get(d.kind()).incrementAndGet();
                            if (d.kind() == Kind.SNAPSHOT && r.body().contains("\"analysisQueued\":true")) {
                                snapshotsQueuedAtOnce.incrementAndGet();
                            }
                        }
                    } catch (RuntimeException ex) {
                        failure = d.kind() + " " + ex.getClass().getSimpleName() + ": " + abbreviate(String.valueOf(ex.getMessage()));
                        retry = true;
                    }
                    if (failure == null || !retry || attempt == MAX_TRIES) {
                        break;
                    }
                    retries.merge(failure, 1, Integer::sum);
                    try {
                        Thread.sleep(retryPause(backoff, retryAfterMillis, ThreadLocalRandom.current().nextDouble()));
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                    backoff = Math.min(backoff * 2, 30_000);
                    }
                    } finally {
                        if (queued) {
                            e.uploadQueue.release();
                        }
                    }
                    if (failure != null) {
                        errors.merge(failure, 1, Integer::sum);
                    } else {
                        latencies.get(d.kind()).set(done.get(d.kind()).getAndIncrement(), System.nanoTime() - due);
                    }
                });
            }
        }
        long loadEnd = System.nanoTime();
        double loadCpu = processCpuSeconds() - cpuBefore;
        threadCpu.finish();
        threadCpuSampler.join(5_000);
        double pgCpu = (ProcCpu.treeMillis(postmaster) - pgCpuBefore) / 1e3;
        all.forEach(e -> e.browser.close());
        String loadAfter = loadAverage();
        int backlogAtEnd = attempts.pendingAnalysis();

        // ---- the summary
        System.out.printf(Locale.ROOT, "%n== proctoring ingest: %d examinees, %d s, one camera snapshot per %d s, heartbeat 5 s, "
                + "chunk 5 s, events ~30 s ==%n", all.size(), seconds, interval);
        System.out.printf(Locale.ROOT, "load ran %.1f s (schedule %d s); tool process CPU during the load %.1f s (%.0f %% of %d cores); "
                        + "load average after: %s%n", (loadEnd - start) / 1e9, seconds, loadCpu,
                100 * loadCpu / ((loadEnd - start) / 1e9) / Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().availableProcessors(), loadAfter);
        double loadSeconds = (loadEnd - start) / 1e9;
        double generatorCpu = threadCpu.generatorSeconds();
        System.out.printf(Locale.ROOT, "CPU during the load, apart: generator (its virtual threads' carriers and bench-* threads) %.1f s "
                        + "(%.0f %% of the cores); tool (the rest of the process) %.1f s (%.0f %%); PostgreSQL (postmaster pid %d and "
                        + "its backends) %.1f s (%.0f %%)%n", generatorCpu, 100 * generatorCpu / loadSeconds / cores(),
                loadCpu - generatorCpu, 100 * (loadCpu - generatorCpu) / loadSeconds / cores(), postmaster, pgCpu,
                100 * pgCpu / loadSeconds / cores());
        System.out.println("CPU by thread group (s, ≥ 0.5 s): " + threadCpu.table(0.5));
        System.out.println("| request | sent | ok | errors | p50 ms | p95 ms | p99 ms | max ms |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        List<Long> allLatencies = new ArrayList<>();
        for (Kind k : Kind.values()) {
            long[] ns = new long[done.get(k).get()];
            for (int i = 0; i < ns.length; i++) {
                ns[i] = latencies.get(k).get(i);
                allLatencies.add(ns[i]);
            }
            row(k.name().toLowerCase(Locale.ROOT), scheduled.get(k), ok.get(k).get(), scheduled.get(k) - ok.get(k).get(), ns);
        }
        long[] every = allLatencies.stream().mapToLong(Long::longValue).toArray();
        int sent = schedule.size();
        int acked = ok.values().stream().mapToInt(AtomicInteger::get).sum();
        row("all", sent, acked, sent - acked, every);
        System.out.printf(Locale.ROOT, "refused and sent again (as monitor.js: after the server's Retry-After × 1–2, at least the backoff 1 s, 2 s, 4 s … 30 s × 0.75–1.25): %d %s%n",
                retries.values().stream().mapToInt(Integer::intValue).sum(), new TreeMap<>(retries));
        System.out.printf(Locale.ROOT, "refusals by status and reason (Qatysu-Refused): %d %s; tool's /metrics: %s%n",
                refusals.values().stream().mapToInt(Integer::intValue).sum(), new TreeMap<>(refusals), metricsRefusals());
        if (!errors.isEmpty()) {
            System.out.println("errors (after " + MAX_TRIES + " tries): " + new TreeMap<>(errors));
        }
        double p95 = pct(sorted(every), 95);
        System.out.printf(Locale.ROOT, "target ingest p95 < 200 ms (all request types): %s (p95 %.1f ms, %d errors)%n",
                p95 < 200 && errors.isEmpty() ? "MET" : "NOT MET", p95, sent - acked);

        // ---- nothing lost, nothing duplicated
        Map<String, Long> stored = db.jdbi().withHandle(h -> {
            Map<String, Long> m = new TreeMap<>();
            m.put("snapshots", h.createQuery("SELECT count(*) FROM proctoring_snapshot").mapTo(Long.class).one());
            m.put("snapshotIds", h.createQuery("SELECT count(DISTINCT (attempt_id, client_id)) FROM proctoring_snapshot").mapTo(Long.class).one());
            m.put("events", h.createQuery("SELECT count(*) FROM proctoring_event WHERE client_id IS NOT NULL").mapTo(Long.class).one());
            m.put("chunks", h.createQuery("SELECT count(*) FROM proctoring_media WHERE kind = 'recording_chunk'").mapTo(Long.class).one());
            m.put("chunkIndexes", h.createQuery("SELECT count(DISTINCT (recording_id, chunk_index)) FROM proctoring_media WHERE kind = 'recording_chunk'").mapTo(Long.class).one());
            m.put("analysed", h.createQuery("SELECT count(*) FROM proctoring_snapshot WHERE analysed_at IS NOT NULL").mapTo(Long.class).one());
            m.put("faceEvents", h.createQuery("SELECT count(*) FROM proctoring_event WHERE type IN ('NO_FACE','MULTIPLE_FACES','FACE_MISMATCH','LOOKING_AWAY')").mapTo(Long.class).one());
            return m;
        });
        int snapshotsOk = ok.get(Kind.SNAPSHOT).get();
        int chunksOk = ok.get(Kind.CHUNK).get();
        System.out.printf(Locale.ROOT, "stored vs acknowledged: snapshots %d / %d (distinct ids %d), browser events %d / %d sent in "
                        + "%d acknowledged batches, chunks %d / %d (distinct indexes %d) -> %s%n",
                stored.get("snapshots"), snapshotsOk, stored.get("snapshotIds"), stored.get("events"), eventsSent.get(),
                ok.get(Kind.EVENTS).get(), stored.get("chunks"), chunksOk, stored.get("chunkIndexes"),
                stored.get("snapshots") == snapshotsOk && stored.get("snapshotIds").equals(stored.get("snapshots"))
                        && stored.get("chunks") == chunksOk && stored.get("chunkIndexes").equals(stored.get("chunks"))
                        && (errors.isEmpty() ? stored.get("events") == eventsSent.get() : stored.get("events") <= eventsSent.get())
                        ? "nothing lost, nothing duplicated" : "MISMATCH");

        // ---- the analysis: the backlog drains after the load (the summary above is printed first: a long drain on a
        // loaded machine does not hide it)
        System.out.flush();
        long drainedAt = -1;
        while (System.nanoTime() - loadEnd < maxDrain.toNanos()) {
            if (attempts.pendingAnalysis() == 0 && app.faceAnalysis().queued() == 0) {
                drainedAt = System.nanoTime();
                break;
            }
            Thread.sleep(250);
        }
        sampler.stop = true;
        samplerThread.join(5_000);
        db.jdbi().useHandle(h -> {
            stored.put("analysed", h.createQuery("SELECT count(*) FROM proctoring_snapshot WHERE analysed_at IS NOT NULL").mapTo(Long.class).one());
            stored.put("faceEvents", h.createQuery("SELECT count(*) FROM proctoring_event WHERE type IN ('NO_FACE','MULTIPLE_FACES','FACE_MISMATCH','LOOKING_AWAY')").mapTo(Long.class).one());
        });
        System.out.printf(Locale.ROOT, "analysis: %d of %d snapshots queued straight from the upload, the rest by the 5 s drain; "
                        + "backlog (stored, not analysed) max %d, at load end %d; %s; %d analysed, %d face events%n",
                snapshotsQueuedAtOnce.get(), snapshotsOk, sampler.maxBacklog, backlogAtEnd,
                drainedAt < 0 ? "NOT drained within " + maxDrain.toSeconds() + " s"
                        : String.format(Locale.ROOT, "drained %.1f s after the load stopped", (drainedAt - loadEnd) / 1e9),
                stored.get("analysed"), stored.get("faceEvents"));
        System.out.println("backlog over time (s: backlog, in pool queue, analysed so far): " + sampler.timeline());
        double rate = sampler.saturatedRate();
        int workers = app.faceAnalysis().settings().workers();
        System.out.printf(Locale.ROOT, "analysis rate while the backlog was non-empty: %.2f snapshots/s with %d worker(s) -> "
                        + "%.0f examinees per analysis worker at one snapshot per %d s%n",
                rate, workers, rate / workers * interval, interval);
    }

    /**
     * What monitor.js waits before sending a refused upload again: the server's {@code Retry-After} stretched by
     * 1–2 × (so the examinees refused together come back spread over a second or more), at least the backoff
     * (1 s, 2 s, 4 s … 30 s) ± 25 %.
     */
    static long retryPause(long backoffMillis, long retryAfterMillis, double random) {
        return Math.max((long) (backoffMillis * (0.75 + random / 2)), (long) (retryAfterMillis * (1 + random)));
    }

    /** The tool's {@code qatysu_upload_refusals_total} series from {@code /metrics}, by reason. */
    private String metricsRefusals() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/metrics")).header("Authorization", "Bearer " + ADMIN_TOKEN)
                            .timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body().lines().filter(l -> l.startsWith("qatysu_upload_refusals_total{"))
                    .map(l -> l.replace("qatysu_upload_refusals_total", "")).toList().toString();
        } catch (IOException | InterruptedException | RuntimeException e) {
            return "(not read: " + e + ")";
        }
    }

    private static void add(List<Due> schedule, Examinee e, Kind kind, long first, long every, long total, int[] seq) {
        for (long at = first; at < total; at += every) {
            schedule.add(new Due(at, kind, e.n, seq[kind.ordinal()]++));
        }
    }

    private static String events(Examinee e, int batch, int count) {
        String[] types = {"FOCUS_LOST", "TAB_HIDDEN", "NOISE"};
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            b.append(i > 0 ? "," : "").append("{\"id\":\"ev-").append(e.n).append('-').append(batch).append('-').append(i)
                    .append("\",\"type\":\"").append(types[(batch + i) % types.length]).append("\",\"at\":\"")
                    .append(Instant.now().truncatedTo(ChronoUnit.MILLIS)).append("\",\"detail\":\"bench\"}");
        }
        return b.append(']').toString();
    }

    /** Samples the analysis backlog every second (the bench's only view of the server besides HTTP answers). */
    static final class Sampler implements Runnable {
        private final AttemptService attempts;
        private final LtiToolApp app;
        private final Database db;
        volatile long start;
        volatile boolean stop;
        volatile int maxBacklog;
        private final List<long[]> samples = new ArrayList<>();

        Sampler(AttemptService attempts, LtiToolApp app, Database db) {
            this.attempts = attempts;
            this.app = app;
            this.db = db;
        }

        @Override
        public void run() {
            while (!stop) {
                try {
                    int backlog = attempts.pendingAnalysis();
                    long analysed = db.jdbi().withHandle(h -> h.createQuery(
                            "SELECT count(*) FROM proctoring_snapshot WHERE analysed_at IS NOT NULL").mapTo(Long.class).one());
                    maxBacklog = Math.max(maxBacklog, backlog);
                    synchronized (samples) {
                        samples.add(new long[]{System.nanoTime() - start, backlog, app.faceAnalysis().queued(), analysed});
                    }
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    System.out.println("sampler: " + e.getMessage());
                }
            }
        }

        String timeline() {
            StringBuilder b = new StringBuilder();
            synchronized (samples) {
                long next = 0;
                for (long[] s : samples) {
                    if (s[0] >= next) {
                        b.append(String.format(Locale.ROOT, "%ds: %d/%d/%d  ", Math.round(s[0] / 1e9), s[1], s[2], s[3]));
                        next = s[0] + 10_000_000_000L;
                    }
                }
            }
            return b.toString().strip();
        }

        /** Snapshots analysed per second over the samples with a non-empty backlog (the worker never idle). */
        double saturatedRate() {
            long ns = 0;
            long analysed = 0;
            synchronized (samples) {
                for (int i = 1; i < samples.size(); i++) {
                    long[] a = samples.get(i - 1);
                    long[] b = samples.get(i);
                    if (a[1] > 0 && b[1] > 0) {
                        ns += b[0] - a[0];
                        analysed += b[3] - a[3];
                    }
                }
            }
            return ns == 0 ? Double.NaN : analysed / (ns / 1e9);
        }
    }

    // ---------------------------------------------------------------- HTTP

    static Response json(Examinee e, String path, String body, String what) {
        return send(e, "POST", e.exam() + path, body.getBytes(StandardCharsets.UTF_8), what,
                "X-CSRF-Token", e.csrf, "Content-Type", "application/json");
    }

    /**
     * One request from the examinee's browser (its cookie and, through the "proxy", its address); it waits for one of
     * the browser's connections, and the wait counts in its latency (from its due time).
     */
    static Response send(Examinee e, String method, String path, byte[] body, String what, String... headers) {
        String[] all = Arrays.copyOf(headers, headers.length + 4);
        all[headers.length] = "Cookie";
        all[headers.length + 1] = e.cookie;
        all[headers.length + 2] = "X-Forwarded-For";
        all[headers.length + 3] = e.address;
        try {
            return e.browser.send(method, path, body, all);
        } catch (IOException ex) {
            throw new IllegalStateException(what + " failed: " + ex, ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", ex);
        }
    }

    private void admin(String method, String path, String json) {
        HttpRequest req = HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + ": " + r.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + path + " interrupted", e);
        }
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    // ---------------------------------------------------------------- helpers

    private static String person(int i) {
        return String.format(Locale.ROOT, "E-%05d", i);
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s) {
        String t = s.replaceAll("\\s+", " ");
        return t.length() > 160 ? t.substring(0, 160) + "…" : t;
    }

    private static void row(String what, int sent, int ok, int errors, long[] ns) {
        long[] s = sorted(ns);
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %.1f | %.1f | %.1f | %.1f |%n", what, sent, ok, errors,
                pct(s, 50), pct(s, 95), pct(s, 99), s.length == 0 ? Double.NaN : s[s.length - 1] / 1e6);
    }

    static long[] sorted(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return s;
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    static double processCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() / 1e9 : Double.NaN;
    }

    private static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The embedded PostgreSQL's postmaster (its CPU and its backends' are read from /proc), 0 when not embedded. */
    static long postmasterPid(LtiToolApp app) {
        try {
            return Long.parseLong(Files.readAllLines(app.settings().process().dataDir().resolve("postgres/tool/postmaster.pid"))
                    .getFirst().trim());
        } catch (IOException | RuntimeException e) {
            System.out.println("postmaster pid not read: " + e);
            return 0;
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }
}
