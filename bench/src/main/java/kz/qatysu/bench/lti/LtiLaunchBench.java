package kz.qatysu.bench.lti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import kz.qatysu.demo.platform.DemoPlatform;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The LTI launch benchmark, everything in one run on this machine (loopback only, bounded in count and time):
 *
 * <ol>
 *   <li>one embedded PostgreSQL with a database for each tool; the demo platform (its key signs every token);</li>
 *   <li>Qatysu's tool in its own JVM, and ltijs (the peer, {@code shared/peers/ltijs/peer.js}) in Node.js, both on
 *       that PostgreSQL and both holding the platform key without fetching it per launch;</li>
 *   <li>(a) id_token POST throughput: {@code bench/peers/ltijs/bench-prepared.js} (the peer's bench.js plus prepared
 *       states) posts the same pre-minted Open edX-shaped tokens to each tool, at several concurrencies;</li>
 *   <li>(b) the whole login + launch + landing flow for many simulated users against the demo platform;</li>
 *   <li>CPU per process during each timed run, and a JFR profile of the tool.</li>
 * </ol>
 * Writes a Markdown report; stops everything it started.
 */
public final class LtiLaunchBench {
    private static final String CLIENT_ID = "edx-sim-client-id";
    private static final String DEPLOYMENT = "1";
    private static final String LTIJS_KEY = "bench-encryption-key";
    private static final String ADMIN_TOKEN = "bench-admin-token-0123456789";
    private static final String BROWSER_COOKIE = "benchbrowser0123456789abcdef";
    private static final Duration RUN_LIMIT = Duration.ofMinutes(10);

    record Options(int tokens, List<Integer> concurrencies, int warmup, int users, int launches, int flowWarmup,
                   int maxSeconds, Path repo, Path peerDir, Path nodeModules, Path work, boolean skipLtijs,
                   List<Double> tokenRates, List<Double> flowRates, int openLoopSeconds, int runs, boolean tokenOnly) {
        static Options parse(String[] args) {
            Map<String, String> a = new HashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
            }
            Path repo = Path.of(a.getOrDefault("repo", ".")).toAbsolutePath().normalize();
            int tokens = bounded(a, "n", 5000, 100, 20000);
            int users = bounded(a, "users", 400, 1, 2000);
            return new Options(tokens,
                    Arrays.stream(a.getOrDefault("c", "8,64,400").split(",")).map(Integer::parseInt).map(c -> Math.min(Math.max(c, 1), 400)).toList(),
                    bounded(a, "warmup", 1000, 0, 20000), users, bounded(a, "launches", 6000, 1, 50000),
                    bounded(a, "flow-warmup", 1500, 0, 20000), bounded(a, "max-seconds", 180, 10, 600), repo,
                    Path.of(a.getOrDefault("peer-dir", repo.resolve("../shared/peers/ltijs").toString())).toAbsolutePath().normalize(),
                    Path.of(a.getOrDefault("node-modules", repo.resolve("bench/target/ltijs-node/node_modules").toString())).toAbsolutePath(),
                    Path.of(a.getOrDefault("work", repo.resolve("bench/target/lti-bench").toString())).toAbsolutePath(),
                    Boolean.parseBoolean(a.getOrDefault("skip-ltijs", "false")),
                    OpenLoop.rates(a.getOrDefault("token-rates", "100,200,400,600,800,1000,1200,1500")),
                    OpenLoop.rates(a.getOrDefault("flow-rates", "40,80,120,160")),
                    bounded(a, "open-seconds", 10, 2, 60), bounded(a, "runs", 1, 1, 9),
                    Boolean.parseBoolean(a.getOrDefault("token-only", "false")));
        }

        private static int bounded(Map<String, String> a, String key, int def, int min, int max) {
            int v = Integer.parseInt(a.getOrDefault(key, String.valueOf(def)));
            if (v < min || v > max) {
                throw new IllegalArgumentException("--" + key + " must be " + min + ".." + max + ", was " + v);
            }
            return v;
        }
    }

    /** One timed id_token run of bench-prepared.js, with the CPU each process used meanwhile. */
    record TokenRun(String tool, int concurrency, JsonNode result, long toolCpuMs, long postgresCpuMs) {
        double rps() {
            return result.get("rps").asDouble();
        }
    }

    private final Options o;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = BenchBrowser.sharedClient();
    private final List<AutoCloseable> started = new ArrayList<>();
    private long postmasterPid;
    private int ltijsPort;

    private LtiLaunchBench(Options o) {
        this.o = o;
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        new LtiLaunchBench(o).run();
    }

    private void run() throws Exception {
        Files.createDirectories(o.work());
        StringBuilder report = new StringBuilder();
        try {
            report.append(machineFacts());
            EmbeddedPostgres pg = startPostgres();
            int toolPort = freePort();
            String toolBase = "http://localhost:" + toolPort;
            DemoPlatform platform = DemoPlatform.start(new DemoPlatform.Settings(0, toolBase, CLIENT_ID, DEPLOYMENT, null, o.users()));
            started.add(platform);
            Path privatePem = writePem(o.work().resolve("platform_private.pem"), "PRIVATE KEY", platform.signingKey().toPrivateKey().getEncoded());
            Path publicPem = writePem(o.work().resolve("platform_public.pem"), "PUBLIC KEY", platform.signingKey().toPublicKey().getEncoded());

            ChildProcess tool = startTool(pg, toolPort);
            ToolLogins.registerPlatform(http, toolBase, ADMIN_TOKEN, platform);
            ChildProcess ltijs = o.skipLtijs() ? null : startLtijs(pg, platform, publicPem);

            // Warm both up (JIT, connection pools) before anything is measured.
            runNodeBench("qatysu-warmup", toolBase + "/lti/launch", Math.max(o.warmup(), 5000), 64, platform, privatePem, toolBase);
            if (ltijs != null) {
                runNodeBench("ltijs-warmup", "http://127.0.0.1:" + ltijsPort + "/lti/launch", Math.max(o.warmup(), 1000), 64, platform, privatePem, null);
            }
            // --runs R: the whole closed-loop comparison R times, each run printed, then the median CPU ratio
            List<List<TokenRun>> allRuns = new ArrayList<>();
            for (int run = 1; run <= o.runs(); run++) {
                List<TokenRun> runs = new ArrayList<>();
                for (int c : o.concurrencies()) {
                    if (ltijs != null) {
                        runs.add(tokenRun("ltijs", c, "http://127.0.0.1:" + ltijsPort + "/lti/launch", platform, privatePem, null, ltijs.pid()));
                    }
                    runs.add(tokenRun("qatysu", c, toolBase + "/lti/launch", platform, privatePem, toolBase, tool.pid()));
                }
                allRuns.add(runs);
                String table = tokenReport(runs, o.runs() > 1 ? " — run " + run + " of " + o.runs() : "");
                System.out.println(table);
                report.append(table);
            }
            if (o.runs() > 1) {
                String median = CpuRatio.medianReport(allRuns);
                System.out.println(median);
                report.append(median);
            }
            String sql = new SqlCounts(pg.getDatabase("postgres", "qatysu_tool")).perLaunch(http, platform, toolBase, CLIENT_ID, DEPLOYMENT,
                    BROWSER_COOKIE, 200);
            System.out.println(sql);
            report.append(sql);
            if (o.tokenOnly()) {
                profileTokens(tool, toolBase, platform, privatePem, report);
                return;
            }
            report.append(openLoopTokens(platform, toolBase, ltijs == null ? null : "http://127.0.0.1:" + ltijsPort + "/lti/launch"));
            profileTokens(tool, toolBase, platform, privatePem, report);

            FullFlowLoad flow = new FullFlowLoad(http, platform.issuer(), toolBase);
            List<kz.qatysu.demo.platform.SampleCourse.Member> students = platform.members().subList(
                    platform.members().size() - o.users(), platform.members().size());
            if (o.flowWarmup() > 0) {
                flow.run(students, o.users(), o.flowWarmup(), Duration.ofSeconds(o.maxSeconds()));
            }
            long toolCpu = ProcCpu.millis(tool.pid());
            long pgCpu = ProcCpu.treeMillis(postmasterPid);
            long selfCpu = ProcCpu.millis(ProcessHandle.current().pid());
            FullFlowLoad.Result r = flow.run(students, o.users(), o.launches(), Duration.ofSeconds(o.maxSeconds()));
            toolCpu = ProcCpu.millis(tool.pid()) - toolCpu;
            pgCpu = ProcCpu.treeMillis(postmasterPid) - pgCpu;
            selfCpu = ProcCpu.millis(ProcessHandle.current().pid()) - selfCpu;
            report.append(flowReport(r, toolCpu, pgCpu, selfCpu));

            StringBuilder paced = new StringBuilder("\n### Whole flow at a fixed arrival rate, ").append(o.users())
                    .append(" users (open loop; latency counted from when each launch was due)\n\n").append(OpenLoop.markdownHeader());
            for (double rate : o.flowRates()) {
                int count = (int) Math.max(o.users(), rate * o.openLoopSeconds());
                OpenLoop.Result pr = flow.runPaced(students, o.users(), rate, count, Duration.ofSeconds(o.maxSeconds()));
                paced.append(OpenLoop.markdownRow("whole flow", pr));
                System.out.printf("flow paced %.0f/s: %s%n", rate, pr.latency().summary());
            }
            report.append(paced);

            Path flowJfr = o.work().resolve("tool-full-flow.jfr");
            jcmd(tool.pid(), "JFR.start", "name=flow", "settings=profile", "jdk.ExecutionSample#period=1ms", "filename=" + flowJfr);
            flow.run(students, o.users(), Math.min(o.launches(), 3000), Duration.ofSeconds(o.maxSeconds()));
            jcmd(tool.pid(), "JFR.stop", "name=flow");
            report.append("\n### Where the tool's CPU goes (JFR, a separate whole-flow run)\n\n").append(JfrBreakdown.of(flowJfr).markdown());
        } finally {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception e) {
                    System.err.println("could not stop " + started.get(i) + ": " + e);
                }
            }
            Path out = o.work().resolve("results.md");
            Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
            System.out.println(report);
            System.out.println("report written to " + out);
        }
    }

    private EmbeddedPostgres startPostgres() throws IOException {
        Path dir = o.work().resolve("postgres");
        // pg_stat_statements is loaded but tracks nothing until SqlCounts switches it on for its own counting run
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true)
                .setServerConfig("max_connections", "300").setServerConfig("shared_preload_libraries", "pg_stat_statements")
                // zonky's defaults are test settings (synchronous_commit off); both tools get the production ones
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on").setServerConfig("full_page_writes", "on")
                .start();
        started.add(pg);
        postmasterPid = Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).getFirst().trim());
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                try (var rs = st.executeQuery("SHOW " + setting)) {
                    rs.next();
                    if (!"on".equals(rs.getString(1))) {
                        throw new IllegalStateException("the benchmark's PostgreSQL runs with " + setting + " = " + rs.getString(1));
                    }
                }
            }
            st.execute("CREATE DATABASE qatysu_tool");
            st.execute("CREATE DATABASE ltijs");
            // not on the command line: a setting given there cannot be changed by ALTER SYSTEM + reload later
            st.execute("ALTER SYSTEM SET pg_stat_statements.track = 'none'");
            st.execute("SELECT pg_reload_conf()");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create the benchmark databases", e);
        }
        return pg;
    }

    private ChildProcess startTool(EmbeddedPostgres pg, int port) {
        String java = ProcessHandle.current().info().command().orElse("java");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QATYSU_HTTP_PORT", String.valueOf(port));
        env.put("QATYSU_PUBLIC_URL", "http://localhost:" + port);
        env.put("QATYSU_DATA_DIR", o.work().resolve("tool-data").toString());
        env.put("QATYSU_DB_URL", "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/qatysu_tool");
        env.put("QATYSU_DB_USER", "postgres");
        env.put("QATYSU_ADMIN_TOKEN", ADMIN_TOKEN);
        List<String> cmd = List.of(java, "-Xms512m", "-Xmx1g", "-Dfile.encoding=UTF-8", "-cp", System.getProperty("java.class.path"),
                BenchTool.class.getName());
        ChildProcess p = ChildProcess.start("qatysu-tool", cmd, env, o.repo(), o.work().resolve("tool.log"),
                line -> line.startsWith(BenchTool.READY), Duration.ofSeconds(90));
        started.add(p);
        return p;
    }


    private ChildProcess startLtijs(EmbeddedPostgres pg, DemoPlatform platform, Path publicPem) throws IOException {
        ltijsPort = freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("NODE_PATH", o.nodeModules().toString());
        env.put("PORT", String.valueOf(ltijsPort));
        env.put("DB", "postgres");
        env.put("PGHOST", "127.0.0.1");
        env.put("PGPORT", String.valueOf(pg.getPort()));
        env.put("PGDATABASE", "ltijs");
        env.put("PGUSER", "postgres");
        env.put("PGPASSWORD", "postgres");
        env.put("PLATFORM_ISS", platform.issuer());
        env.put("PLATFORM_CLIENT_ID", CLIENT_ID);
        env.put("PLATFORM_PUBLIC_PEM", publicPem.toString());
        env.put("LTI_KEY", LTIJS_KEY);
        env.put("TOKEN_MAX_AGE", "false");
        ChildProcess p = ChildProcess.start("ltijs", List.of("node", o.peerDir().resolve("peer.js").toString()), env, o.work(),
                o.work().resolve("ltijs.log"), line -> line.contains("ltijs peer listening"), Duration.ofSeconds(90));
        started.add(p);
        return p;
    }

    /** A short warm-up run and a timed run of bench-prepared.js; for Qatysu each token uses a state from a real login. */
    private TokenRun tokenRun(String name, int c, String url, DemoPlatform platform, Path privatePem, String toolBase, long pid)
            throws Exception {
        if (o.warmup() > 0) {
            runNodeBench(name + "-warmup-c" + c, url, o.warmup(), c, platform, privatePem, toolBase);
        }
        Path prepared = toolBase == null ? null : prepare(name + "-c" + c, platform, toolBase, url, o.tokens());
        long toolCpu = ProcCpu.millis(pid);
        long pgCpu = ProcCpu.treeMillis(postmasterPid);
        JsonNode result = runNodeBenchPrepared(name + "-c" + c, url, o.tokens(), c, platform, privatePem, prepared);
        toolCpu = ProcCpu.millis(pid) - toolCpu;
        pgCpu = ProcCpu.treeMillis(postmasterPid) - pgCpu;
        System.out.printf("%s c=%d: %s%n", name, c, result);
        return new TokenRun(name, c, result, toolCpu, pgCpu);
    }

    /** id_token POSTs at fixed arrival rates with up to {@code users} in flight, for each tool. */
    private String openLoopTokens(DemoPlatform platform, String toolBase, String ltijsUrl) throws Exception {
        StringBuilder b = new StringBuilder("\n### id_token POST at a fixed arrival rate, up to ").append(o.users())
                .append(" in flight (open loop, Java generator with bench.js's claims; latency counted from when each POST was due)\n\n")
                .append(OpenLoop.markdownHeader());
        String toolUrl = toolBase + "/lti/launch";
        for (double rate : o.tokenRates()) {
            int count = (int) (rate * o.openLoopSeconds());
            if (ltijsUrl != null && rate <= 400) {
                List<TokenPoster.Prepared> reqs = TokenPoster.forLtijs(platform, ltijsUrl, CLIENT_ID, LTIJS_KEY, count);
                OpenLoop.Result r = OpenLoop.run(count, rate, o.users(), Duration.ofSeconds(o.maxSeconds()),
                        k -> TokenPoster.post(http, ltijsUrl, reqs.get(k), 302));
                b.append(OpenLoop.markdownRow("ltijs", r));
                System.out.printf("ltijs open loop %.0f/s: %s%n", rate, r.latency().summary());
            }
            List<ToolLogins.Prepared> states = ToolLogins.prepare(http, toolBase, platform.issuer(), CLIENT_ID, DEPLOYMENT, toolUrl,
                    BROWSER_COOKIE, count);
            List<TokenPoster.Prepared> reqs = TokenPoster.forQatysu(platform, toolUrl, CLIENT_ID, states, BROWSER_COOKIE);
            OpenLoop.Result r = OpenLoop.run(count, rate, o.users(), Duration.ofSeconds(o.maxSeconds()),
                    k -> TokenPoster.post(http, toolUrl, reqs.get(k), 303));
            b.append(OpenLoop.markdownRow("qatysu", r));
            System.out.printf("qatysu open loop %.0f/s: %s%n", rate, r.latency().summary());
        }
        return b.toString();
    }

    /** A separate id_token POST run at 64 concurrent under JFR, so the timed runs carry no profiler overhead. */
    private void profileTokens(ChildProcess tool, String toolBase, DemoPlatform platform, Path privatePem, StringBuilder report)
            throws Exception {
        Path tokenJfr = o.work().resolve("tool-token-profile.jfr");
        jcmd(tool.pid(), "JFR.start", "name=tokens", "settings=profile", "jdk.ExecutionSample#period=1ms", "filename=" + tokenJfr);
        runNodeBench("qatysu-profiled", toolBase + "/lti/launch", o.tokens(), 64, platform, privatePem, toolBase);
        jcmd(tool.pid(), "JFR.stop", "name=tokens");
        report.append("\n### Where the tool's CPU goes (JFR, a separate id_token POST run at 64 concurrent)\n\n")
                .append(JfrBreakdown.of(tokenJfr).markdown());
    }

    private JsonNode runNodeBench(String label, String url, int n, int c, DemoPlatform platform, Path privatePem, String toolBase)
            throws Exception {
        Path prepared = toolBase == null ? null : prepare(label, platform, toolBase, url, n);
        return runNodeBenchPrepared(label, url, n, c, platform, privatePem, prepared);
    }

    private JsonNode runNodeBenchPrepared(String label, String url, int n, int c, DemoPlatform platform, Path privatePem, Path prepared)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of("node", o.repo().resolve("bench/peers/ltijs/bench-prepared.js").toString(),
                "--url", url, "--n", String.valueOf(n), "--c", String.valueOf(c), "--key", privatePem.toString(),
                "--kid", platform.keyId(), "--iss", platform.issuer(), "--aud", CLIENT_ID, "--maxs", String.valueOf(o.maxSeconds())));
        if (prepared == null) {
            cmd.addAll(List.of("--ltijs-secret", LTIJS_KEY, "--expect", "302"));
        } else {
            cmd.addAll(List.of("--prepared", prepared.toString(), "--cookie", "qatysu_bid=" + BROWSER_COOKIE, "--expect", "303"));
        }
        String out = ChildProcess.run("bench-" + label, cmd, Map.of("NODE_PATH", o.nodeModules().toString()), o.work(),
                o.work().resolve("bench-" + label + ".log"), RUN_LIMIT);
        String last = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("no result from bench " + label + ":\n" + out));
        return json.readTree(last);
    }

    private Path prepare(String label, DemoPlatform platform, String toolBase, String url, int n) throws Exception {
        List<ToolLogins.Prepared> states = ToolLogins.prepare(http, toolBase, platform.issuer(), CLIENT_ID, DEPLOYMENT, url, BROWSER_COOKIE, n);
        Path file = o.work().resolve("prepared-" + label + ".json");
        json.writeValue(file.toFile(), states);
        return file;
    }

    private void jcmd(long pid, String... args) throws Exception {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd");
        List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), String.valueOf(pid)));
        cmd.addAll(List.of(args));
        ChildProcess.run("jcmd", cmd, Map.of(), o.work(), o.work().resolve("jcmd.log"), Duration.ofSeconds(60));
    }

    private String tokenReport(List<TokenRun> runs, String title) {
        StringBuilder b = new StringBuilder("\n## (a) id_token POST (pre-minted Open edX-shaped tokens, bench-prepared.js)" + title + "\n\n")
                .append("N = ").append(o.tokens()).append(" tokens per timed run, after a warm-up run of ").append(o.warmup()).append(".\n\n")
                .append("| tool | concurrency | launches/s | p50 ms | p95 ms | p99 ms | ok | failed | tool CPU ms/launch | PostgreSQL CPU ms/launch |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (TokenRun r : runs) {
            int n = r.result().get("n").asInt();
            b.append(String.format("| %s | %d | %.0f | %s | %s | %s | %d | %d | %.2f | %.2f |%n", r.tool(), r.concurrency(), r.rps(),
                    r.result().get("p50_ms").asText(), r.result().get("p95_ms").asText(), r.result().get("p99_ms").asText(),
                    r.result().get("ok").asInt(), r.result().get("bad").asInt(), (double) r.toolCpuMs() / n, (double) r.postgresCpuMs() / n));
        }
        for (int c : o.concurrencies()) {
            var q = runs.stream().filter(r -> r.tool().equals("qatysu") && r.concurrency() == c).findFirst();
            var l = runs.stream().filter(r -> r.tool().equals("ltijs") && r.concurrency() == c).findFirst();
            if (q.isPresent() && l.isPresent()) {
                b.append(String.format("%nAt %d concurrent: Qatysu / ltijs = **%.1f×** in launches/s; CPU per launch (tool + its PostgreSQL) "
                        + "ltijs %.2f ms, Qatysu %.2f ms: **%.1f× less**.", c, q.get().rps() / l.get().rps(),
                        CpuRatio.cpuPerLaunch(l.get()), CpuRatio.cpuPerLaunch(q.get()), CpuRatio.ratio(l.get(), q.get())));
            } else if (q.isPresent()) {
                b.append(String.format("%nAt %d concurrent: Qatysu CPU per launch (tool + its PostgreSQL) %.2f ms.", c, CpuRatio.cpuPerLaunch(q.get())));
            }
        }
        b.append("\n");
        return b.toString();
    }

    private String flowReport(FullFlowLoad.Result r, long toolCpu, long pgCpu, long selfCpu) {
        StringBuilder b = new StringBuilder("\n## (b) Whole login + launch + landing, ").append(r.users()).append(" simulated users\n\n")
                .append(String.format("%d launches completed, %d failed, in %.1f s: **%.0f launches/s**; per launch %s.%n%n",
                        r.completed(), r.failed(), r.seconds(), r.launchesPerSecond(), r.total().summary()));
        if (!r.failures().isEmpty()) {
            b.append("Failures: ").append(r.failures()).append("\n\n");
        }
        b.append("| step | p50 ms | p95 ms | p99 ms | mean ms |\n|---|---:|---:|---:|---:|\n");
        r.steps().forEach((step, l) -> b.append(String.format("| %s | %.1f | %.1f | %.1f | %.1f |%n", step, l.percentileMillis(0.5),
                l.percentileMillis(0.95), l.percentileMillis(0.99), l.meanMillis())));
        int n = Math.max(1, r.completed());
        b.append(String.format("%nCPU per launch: tool JVM %.2f ms, PostgreSQL %.2f ms, benchmark JVM (demo platform incl. RS256 signing "
                + "+ %d-user load generator) %.2f ms; %.2f ms in all on %d cores.%n", (double) toolCpu / n, (double) pgCpu / n, r.users(),
                (double) selfCpu / n, (double) (toolCpu + pgCpu + selfCpu) / n, Runtime.getRuntime().availableProcessors()));
        return b.toString();
    }

    private String machineFacts() {
        StringBuilder b = new StringBuilder("# LTI launch benchmark — ").append(Instant.now()).append("\n\n");
        String cpu = "unknown";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException ignored) {
            // not Linux: leave unknown
        }
        String node = "unknown";
        try {
            node = ChildProcess.run("node-version", List.of("node", "--version"), Map.of(), o.work(), o.work().resolve("node-version.log"),
                    Duration.ofSeconds(20)).trim();
        } catch (RuntimeException e) {
            node = "not available (" + e.getMessage() + ")";
        }
        b.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores (").append(cpu).append("), ")
                .append(Runtime.getRuntime().maxMemory() / (1 << 20)).append(" MiB max heap for the benchmark JVM\n")
                .append("- Java: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
                .append("; Node.js ").append(node).append("; PostgreSQL: embedded (zonky), one server for both tools, fsync on\n")
                .append("- everything on this one machine over loopback: PostgreSQL, the tool JVM, ltijs, the demo platform and the load generators\n");
        return b.toString();
    }

    private static Path writePem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n", StandardCharsets.US_ASCII);
        return file;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
