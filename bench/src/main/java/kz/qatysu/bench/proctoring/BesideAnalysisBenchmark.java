package kz.qatysu.bench.proctoring;

import kz.qatysu.bench.attendance.ConcurrentGridSaves;
import kz.qatysu.bench.faces.FaceBenchmark;
import kz.qatysu.bench.lti.ProcCpu;
import kz.qatysu.bench.lti.TokenPoster;
import kz.qatysu.bench.lti.ToolLogins;
import kz.qatysu.database.Database;
import kz.qatysu.demo.platform.DemoPlatform;
import kz.qatysu.tool.LtiToolApp;
import kz.qatysu.tool.proctoring.analysis.Photos;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 10's "the launch and attendance benchmarks not regressing under that cap" (not a test): the tool in this process
 * as deployed (production defaults: one analysis worker at nice 19, durable embedded PostgreSQL) runs the same launch
 * and grid-save loads twice — once with the analysis pool idle, once while its worker is busy the whole time with a
 * backlog of real face snapshots of a proctored exam — and prints the two side by side.
 * <ul>
 *   <li>Launches: the id_token POST ({@code POST /lti/launch}) of {@code bench lti}, closed loop at 8 and 64 concurrent,
 *       states from real login initiations beforehand, tokens signed by the in-process demo platform; launches/s,
 *       p50/p95/p99 and CPU per launch (the tool's threads in this process, without the generator's, plus PostgreSQL's
 *       backends from {@code /proc}).</li>
 *   <li>Grid saves: {@link ConcurrentGridSaves} (writers saving fresh 30-student grids, change feed read all the time,
 *       exactly-once checked).</li>
 *   <li>The analysis load: examinees of a proctored exam (set up as {@link ProctoringIngestBenchmark} does) upload
 *       camera snapshots through their HTTP path before the second phase, many more than the worker analyses while the
 *       phase runs; the backlog is printed at the start and the end of the phase (it must never run dry).</li>
 * </ul>
 * Args: {@code [launches=3000] [gridWriters=50] [gridSeconds=15] [examinees=100] [snapshotsPerExaminee=40]}.
 */
public final class BesideAnalysisBenchmark {
    private static final String CLIENT_ID = "beside-analysis-client";
    private static final String DEPLOYMENT = "1";
    private static final String BROWSER_COOKIE = "besideanalysis0123456789abcdef";
    private static final String ADMIN_TOKEN = "bench-admin-token-0123456789";

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).executor(Executors.newThreadPerTaskExecutor(
                    Thread.ofPlatform().daemon().name("bench-http-", 0).factory())).build();

    /** One closed-loop launch run: what {@code bench lti} reports for Qatysu. */
    record LaunchRun(int c, int n, double seconds, double perSecond, double p50, double p95, double p99,
                     double toolCpuMs, double pgCpuMs) {
        String row(String phase) {
            return String.format(Locale.ROOT, "| %s | launches c = %d | %.0f/s | %.1f / %.1f / %.1f ms | %.2f + %.2f = %.2f ms |",
                    phase, c, perSecond, p50, p95, p99, toolCpuMs, pgCpuMs, toolCpuMs + pgCpuMs);
        }
    }

    public static void main(String[] args) throws Exception {
        int launches = arg(args, 0, 3000);
        int gridWriters = arg(args, 1, 50);
        int gridSeconds = arg(args, 2, 15);
        int examinees = arg(args, 3, 100);
        int snapshotsEach = arg(args, 4, 40);
        System.out.printf(Locale.ROOT, "machine: %d cpus, max heap %d MiB, java %s, load average before: %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"), ProctoringIngestBenchmark.loadAverage());
        ProctoringIngestBenchmark.StartedTool started = ProctoringIngestBenchmark.startTool("qatysu-besideanalysis");
        LtiToolApp app = started.app();
        Database db = started.db();
        String toolBase = "http://localhost:" + started.port();
        DemoPlatform platform = DemoPlatform.start(new DemoPlatform.Settings(0, toolBase, CLIENT_ID, DEPLOYMENT, null, 0));
        try {
            new BesideAnalysisBenchmark().run(app, db, started.port(), toolBase, platform, launches, gridWriters, gridSeconds,
                    examinees, snapshotsEach);
        } finally {
            platform.close();
            app.javalin().stop();
            db.close();
        }
    }

    private void run(LtiToolApp app, Database db, int port, String toolBase, DemoPlatform platform, int launches,
                     int gridWriters, int gridSeconds, int examinees, int snapshotsEach) throws Exception {
        ToolLogins.registerPlatform(http, toolBase, ADMIN_TOKEN, platform);
        long pg = ProctoringIngestBenchmark.postmasterPid(app);
        // the exam and its examinees first, so that both phases run on the same database size
        ProctoringIngestBenchmark ingest = new ProctoringIngestBenchmark(port);
        List<ProctoringIngestBenchmark.Examinee> all = ingest.setUp(app, db, examinees, 10);

        System.out.printf(Locale.ROOT, "warm-up: %d launches at c = 64 and c = 8, %d s of grid saves%n", 2 * launches, 5);
        launchRun(toolBase, platform, pg, 64, launches);
        launchRun(toolBase, platform, pg, 8, launches);
        ConcurrentGridSaves.run(db, "http://127.0.0.1:" + port, 10, 5, 1, 30, 60, "GW");

        List<String> rows = new ArrayList<>();
        // phase 1: the analysis pool idle
        int idleBacklog = app.proctoringAttempts().pendingAnalysis();
        ThreadCpu idleCpu = new ThreadCpu();
        long idleAnalysisStart = analysed(db);
        LaunchRun idle8 = launchRun(toolBase, platform, pg, 8, launches);
        LaunchRun idle64 = launchRun(toolBase, platform, pg, 64, launches);
        ConcurrentGridSaves.Result idleGrid = ConcurrentGridSaves.run(db, "http://127.0.0.1:" + port, gridWriters, gridSeconds, 3, 30, 60, "GA");
        idleCpu.finish();
        System.out.printf(Locale.ROOT, "phase 1 (analysis idle): backlog %d at the start, %d snapshots analysed during the phase; "
                + "CPU by thread group: %s%n", idleBacklog, analysed(db) - idleAnalysisStart, idleCpu.table(0.5));

        // the backlog: every examinee uploads its snapshots through its HTTP path (16 examinees at a time)
        long u0 = System.nanoTime();
        int uploaded = upload(all, snapshotsEach);
        System.out.printf(Locale.ROOT, "analysis load: %d camera snapshots uploaded by %d examinees in %.1f s; backlog now %d%n",
                uploaded, all.size(), (System.nanoTime() - u0) / 1e9, app.proctoringAttempts().pendingAnalysis());
        // let the worker reach its steady pace on the backlog
        Thread.sleep(3000);

        // phase 2: the same loads with the worker busy
        int busyBacklogStart = app.proctoringAttempts().pendingAnalysis();
        ThreadCpu busyCpu = new ThreadCpu();
        long busyAnalysisStart = analysed(db);
        long b0 = System.nanoTime();
        LaunchRun busy8 = launchRun(toolBase, platform, pg, 8, launches);
        LaunchRun busy64 = launchRun(toolBase, platform, pg, 64, launches);
        ConcurrentGridSaves.Result busyGrid = ConcurrentGridSaves.run(db, "http://127.0.0.1:" + port, gridWriters, gridSeconds, 3, 30, 60, "GB");
        double busySeconds = (System.nanoTime() - b0) / 1e9;
        busyCpu.finish();
        int busyBacklogEnd = app.proctoringAttempts().pendingAnalysis();
        long busyAnalysed = analysed(db) - busyAnalysisStart;
        Double analysisCpu = busyCpu.byGroup().get("qatysu-face-analysis");
        System.out.printf(Locale.ROOT, "phase 2 (analysis busy): backlog %d at the start, %d at the end (%s); %d snapshots analysed "
                        + "in %.1f s = %.1f/s; CPU by thread group: %s%n", busyBacklogStart, busyBacklogEnd,
                busyBacklogEnd > 0 ? "never ran dry" : "RAN DRY: the phase is not fully 'busy', raise snapshotsPerExaminee",
                busyAnalysed, busySeconds, busyAnalysed / busySeconds, busyCpu.table(0.5));

        System.out.println();
        System.out.println("== launches and grid saves with the analysis pool idle, then busy (one worker, nice 19) ==");
        System.out.println("| analysis | load | throughput | p50 / p95 / p99 | CPU per launch: tool + PostgreSQL |");
        System.out.println("|---|---|---:|---|---|");
        rows.add(idle8.row("idle"));
        rows.add(busy8.row("busy"));
        rows.add(idle64.row("idle"));
        rows.add(busy64.row("busy"));
        rows.add(gridRow("idle", idleGrid));
        rows.add(gridRow("busy", busyGrid));
        rows.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "busy ÷ idle: launches/s %.2f (c = 8), %.2f (c = 64); launch p99 %.2f (c = 8), %.2f (c = 64); "
                        + "CPU per launch %.2f (c = 8), %.2f (c = 64); grid saves/s %.2f, p99 %.2f; the analysis worker used %.1f s of CPU "
                        + "in phase 2 (%.0f %% of one core)%n",
                busy8.perSecond() / idle8.perSecond(), busy64.perSecond() / idle64.perSecond(), busy8.p99() / idle8.p99(),
                busy64.p99() / idle64.p99(), (busy8.toolCpuMs() + busy8.pgCpuMs()) / (idle8.toolCpuMs() + idle8.pgCpuMs()),
                (busy64.toolCpuMs() + busy64.pgCpuMs()) / (idle64.toolCpuMs() + idle64.pgCpuMs()),
                busyGrid.savesPerSecond() / idleGrid.savesPerSecond(), busyGrid.p99Millis() / idleGrid.p99Millis(),
                analysisCpu == null ? 0 : analysisCpu, analysisCpu == null ? 0 : 100 * analysisCpu / busySeconds);
        System.out.printf(Locale.ROOT, "grid saves exactly once: idle %s, busy %s; load average after: %s%n",
                idleGrid.exactlyOnce() ? "OK" : "FAILED", busyGrid.exactlyOnce() ? "OK" : "FAILED", ProctoringIngestBenchmark.loadAverage());
    }

    private static String gridRow(String phase, ConcurrentGridSaves.Result r) {
        return String.format(Locale.ROOT, "| %s | grid saves, %d writers × 30 students | %.1f saves/s | %.0f / %.0f / %.0f ms | |",
                phase, r.writers(), r.savesPerSecond(), r.p50Millis(), r.p95Millis(), r.p99Millis());
    }

    /** {@code n} id_token POSTs, {@code c} at a time, after as many real login initiations; CPU per launch measured apart. */
    private LaunchRun launchRun(String toolBase, DemoPlatform platform, long pgPid, int c, int n) throws Exception {
        String url = toolBase + "/lti/launch";
        List<ToolLogins.Prepared> states = ToolLogins.prepare(http, toolBase, platform.issuer(), CLIENT_ID, DEPLOYMENT, url, BROWSER_COOKIE, n);
        List<TokenPoster.Prepared> posts = TokenPoster.forQatysu(platform, url, CLIENT_ID, states, BROWSER_COOKIE);
        long[] latency = new long[n];
        AtomicInteger next = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        ThreadCpu cpu = new ThreadCpu();
        long pg0 = ProcCpu.treeMillis(pgPid);
        long t0 = System.nanoTime();
        List<Thread> loops = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            loops.add(Thread.ofPlatform().name("bench-launch-", i).start(() -> {
                for (int k; (k = next.getAndIncrement()) < n; ) {
                    long s = System.nanoTime();
                    try {
                        TokenPoster.post(http, url, posts.get(k), 303).run();
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                    latency[k] = System.nanoTime() - s;
                }
            }));
        }
        for (Thread t : loops) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        cpu.finish();
        long pgMs = ProcCpu.treeMillis(pgPid) - pg0;
        double toolSeconds = cpu.toolSecondsWithout("qatysu-face-analysis");
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " of " + n + " launches failed at c = " + c);
        }
        long[] sorted = ProctoringIngestBenchmark.sorted(latency);
        return new LaunchRun(c, n, seconds, n / seconds, ProctoringIngestBenchmark.pct(sorted, 50),
                ProctoringIngestBenchmark.pct(sorted, 95), ProctoringIngestBenchmark.pct(sorted, 99),
                toolSeconds * 1000 / n, pgMs / (double) n);
    }

    /** Every examinee uploads {@code each} camera snapshots one after the other, 16 examinees at a time. */
    private static int upload(List<ProctoringIngestBenchmark.Examinee> all, int each) throws InterruptedException {
        nu.pattern.OpenCV.loadLocally();
        byte[] jpeg = FaceBenchmark.frame(Photos.ASTRONAUT);
        AtomicInteger ok = new AtomicInteger();
        Semaphore slots = new Semaphore(16);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ProctoringIngestBenchmark.Examinee e : all) {
                slots.acquire();
                pool.submit(() -> {
                    try {
                        for (int i = 0; i < each; i++) {
                            var r = ProctoringIngestBenchmark.send(e, "POST", e.exam() + "/attempt/snapshots?id=backlog-" + e.n + "-" + i
                                            + "&source=CAMERA&takenAt=" + Instant.now().truncatedTo(ChronoUnit.MILLIS), jpeg, "snapshot",
                                    "X-CSRF-Token", e.csrf, "Content-Type", "image/jpeg");
                            if (r.statusCode() / 100 == 2) {
                                ok.incrementAndGet();
                            } else {
                                i--; // refused (an upload slot, Retry-After 1 s): send it again after a pause, as monitor.js does
                                Thread.sleep(1000);
                            }
                        }
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    } finally {
                        slots.release();
                    }
                    return null;
                });
            }
        }
        return ok.get();
    }

    private static long analysed(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM proctoring_snapshot WHERE analysed_at IS NOT NULL")
                .mapTo(Long.class).one());
    }


    private static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }
}
