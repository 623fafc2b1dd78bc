package kz.qatysu.bench.attendance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.database.Database;
import kz.qatysu.tool.LtiToolApp;
import kz.qatysu.tool.ToolSettings;

import java.io.IOException;
import java.net.InetAddress;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 8 §6 benchmark (not a test): W teachers at once, each saving 30-student grids of their own section through
 * {@code PUT /api/v1/sessions/{id}/marks} (real HTTP over loopback, the tool in this JVM with its production defaults),
 * on an embedded PostgreSQL started here with DURABLE settings ({@code fsync=on}, {@code synchronous_commit=on}).
 * Every save is the first save of a fresh session (30 new marks, standing of 30 students recomputed). A reader pages
 * {@code GET /api/v1/changes?since=} all the time the writers run. Afterwards: every mark sent is in the {@code mark}
 * table exactly once with the status sent, and in the reader's union of pages exactly once.
 * <p>
 * Args: {@code [writers=200] [seconds=30] [warmupSeconds=5] [students=30] [sessionsPerSection=150]}. Bounded: each
 * writer stops at the deadline or when its section has no unsaved session left; the tool listens on 127.0.0.1 only.
 */
public final class ConcurrentGridSaves {
    private static final String ADMIN_TOKEN = "bench-admin-token-0123456789";
    private static final LocalDate FIRST_DAY = LocalDate.of(2026, 9, 2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] STATUSES = {"PRESENT", "ABSENT", "LATE", "EXCUSED"};

    private ConcurrentGridSaves() {
    }

    /** One timed save. */
    private record Save(long startNs, long endNs) {
    }

    public static void main(String[] args) throws Exception {
        int writers = arg(args, 0, 200);
        int seconds = arg(args, 1, 30);
        int warmup = arg(args, 2, 5);
        int students = arg(args, 3, 30);
        int sessions = arg(args, 4, 150);
        System.out.printf("machine: %d cpus, load average %s, java %s%n", Runtime.getRuntime().availableProcessors(),
                loadAverage(), System.getProperty("java.version"));

        Path dir = Files.createTempDirectory("qatysu-gridsaves");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(true)
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on").setServerConfig("max_connections", "300")
                .start()) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Map<String, String> env = new HashMap<>();
            env.put("QATYSU_HTTP_PORT", String.valueOf(port));
            env.put("QATYSU_PUBLIC_URL", "http://localhost:" + port);
            env.put("QATYSU_ADMIN_TOKEN", ADMIN_TOKEN);
            env.put("QATYSU_DATA_DIR", dir.resolve("data").toString());
            env.put("QATYSU_DB_URL", pg.getJdbcUrl("postgres", "postgres"));
            env.put("QATYSU_DB_USER", "postgres");
            // the pool is the production default unless the operator running the benchmark sets it
            String pool = System.getenv("QATYSU_DB_MAX_POOL_SIZE");
            if (pool != null) {
                env.put("QATYSU_DB_MAX_POOL_SIZE", pool);
            }
            ConfigProblems problems = new ConfigProblems();
            ToolSettings settings = ToolSettings.read(new ConfigReader(ConfigSource.of("", env), problems));
            problems.throwIfAny();
            try (Database db = Database.open("tool", settings.process().db(), settings.process().dataDir())) {
                String durable = db.jdbi().withHandle(h -> h.createQuery("""
                                SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings
                                WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method')""")
                        .mapTo(String.class).one());
                System.out.printf("PostgreSQL %s: %s; tool pool %d connections%n",
                        db.jdbi().withHandle(h -> h.createQuery("SHOW server_version").mapTo(String.class).one()),
                        durable, settings.process().db().maxPoolSize());
                if (!durable.contains("fsync=on") || !durable.contains("synchronous_commit=on")) {
                    throw new IllegalStateException("not durable: " + durable);
                }
                LtiToolApp app = LtiToolApp.create(settings, db, Clock.systemUTC());
                app.javalin().start("127.0.0.1", port);
                try {
                    run(db, "http://127.0.0.1:" + port, writers, seconds, warmup, students, sessions, "W");
                } finally {
                    app.javalin().stop();
                }
            }
        }
    }

    /** What one run measured (for benchmarks that run it beside other load). */
    public record Result(int writers, double savesPerSecond, double p50Millis, double p95Millis, double p99Millis, boolean exactlyOnce) {
    }

    /**
     * Seeds {@code writers} sections named {@code prefix0 … prefixN-1} through the API of the tool at {@code base}, runs the
     * closed-loop grid saves and checks exactly-once against {@code db}; marks of other sections (other prefixes) are
     * neither sent nor checked here.
     */
    public static Result run(Database db, String base, int writers, int seconds, int warmup, int students, int sessions,
                             String prefix) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        long seedStart = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            seed(http, base, prefix + w, students, sessions);
        }
        System.out.printf("seeded %d sections x %d students x %d sessions through the API in %d ms%n",
                writers, students, sessions, (System.nanoTime() - seedStart) / 1_000_000);

        // expected: session/person -> status of every mark sent and acknowledged (each session saved once)
        Map<String, String> sent = new ConcurrentHashMap<>();
        List<List<Save>> perWriter = new ArrayList<>();
        AtomicLong failures = new AtomicLong();
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch go = new CountDownLatch(1);
        long t0 = System.nanoTime();
        long warmEnd = t0 + warmup * 1_000_000_000L;
        long deadline = warmEnd + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            List<Save> saves = new ArrayList<>();
            perWriter.add(saves);
            String section = prefix + w;
            int seed = w;
            threads.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                await(go);
                for (int i = 1; i <= sessions && System.nanoTime() < deadline; i++) {
                    String session = section + "-" + i;
                    Map<String, String> grid = new HashMap<>();
                    StringBuilder body = new StringBuilder("[");
                    for (int p = 0; p < students; p++) {
                        String person = section + "-P" + p;
                        double r = rnd.nextDouble();
                        String status = STATUSES[r < 0.8 ? 0 : r < 0.9 ? 1 : r < 0.97 ? 2 : 3];
                        grid.put(session + "/" + person, status);
                        body.append(p > 0 ? "," : "").append("{\"personId\":\"").append(person).append("\",\"status\":\"")
                                .append(status).append('"')
                                .append(status.equals("LATE") ? ",\"lateMinutes\":" + (1 + rnd.nextInt(40)) : "")
                                .append(status.equals("EXCUSED") ? ",\"reason\":\"medical certificate\"" : "")
                                .append('}');
                    }
                    body.append(']');
                    long s = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(request("PUT", base + "/api/v1/sessions/" + session + "/marks",
                                body.toString()), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException(session + " -> " + r.statusCode() + ": " + r.body());
                        }
                        saves.add(new Save(s, System.nanoTime()));
                        sent.putAll(grid);
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        System.out.println("save failed: " + e);
                    }
                }
            }));
        }
        // the reader pages the change feed all the time the writers run, then until it is empty
        Map<String, Integer> fedMarks = new ConcurrentHashMap<>();
        AtomicLong pages = new AtomicLong();
        String[] cursor = {"0"};
        Thread reader = Thread.ofPlatform().name("feed-reader").start(() -> {
            await(go);
            try {
                while (true) {
                    boolean last = !writing.get();
                    JsonNode page = JSON.readTree(http.send(request("GET", base + "/api/v1/changes?limit=5000&since="
                            + cursor[0], null), HttpResponse.BodyHandlers.ofString()).body());
                    pages.incrementAndGet();
                    for (JsonNode c : page.path("changes")) {
                        if (c.path("type").asText().equals("mark") && c.path("sessionId").asText().startsWith(prefix)) {
                            fedMarks.merge(c.path("sessionId").asText() + "/" + c.path("personId").asText(), 1, Integer::sum);
                        }
                    }
                    cursor[0] = page.path("cursor").asText();
                    if (last && !page.path("hasMore").asBoolean()) {
                        return;
                    }
                    if (!page.path("hasMore").asBoolean()) {
                        Thread.sleep(200);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException("feed reader failed", e);
            }
        });
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long writersDone = System.nanoTime();
        writing.set(false);
        reader.join();

        long[] window = perWriter.stream().flatMap(List::stream)
                .filter(s -> s.endNs() >= warmEnd && s.endNs() <= deadline) // completed in the window
                .mapToLong(s -> s.endNs() - s.startNs()).sorted().toArray();
        long all = perWriter.stream().mapToLong(List::size).sum();
        System.out.printf("%n%d writers x PUT /api/v1/sessions/{id}/marks (%d students, first save of a fresh session), "
                        + "%d s warm-up + %d s measured (writers done %.1f s after start)%n", writers, students, warmup,
                seconds, (writersDone - t0) / 1e9);
        System.out.printf("  saves: %d in all, %d completed in the measured window -> %.1f saves/s (%.0f marks/s); failed: %d%n",
                all, window.length, window.length / (double) seconds, window.length * students / (double) seconds,
                failures.get());
        if (window.length > 0) {
            System.out.printf("  latency: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms%n", pct(window, 50),
                    pct(window, 95), pct(window, 99), window[window.length - 1] / 1e6);
        }

        // exactly once: the mark table holds every acknowledged mark once, with the status sent, and nothing else
        Map<String, String> stored = new HashMap<>();
        long[] duplicates = {0};
        db.jdbi().useHandle(h -> h.createQuery("SELECT session_id, person_id, status FROM mark WHERE starts_with(session_id, :prefix)")
                .bind("prefix", prefix)
                .map((rs, ctx) -> Map.entry(rs.getString(1) + "/" + rs.getString(2), rs.getString(3)))
                .forEach(e -> {
                    if (stored.put(e.getKey(), e.getValue()) != null) {
                        duplicates[0]++;
                    }
                }));
        long missing = sent.keySet().stream().filter(k -> !stored.containsKey(k)).count();
        long wrong = sent.entrySet().stream().filter(e -> stored.containsKey(e.getKey())
                && !stored.get(e.getKey()).equals(e.getValue())).count();
        long extra = stored.keySet().stream().filter(k -> !sent.containsKey(k)).count();
        long feedMissing = sent.keySet().stream().filter(k -> !fedMarks.containsKey(k)).count();
        long feedTwice = fedMarks.values().stream().filter(n -> n > 1).count();
        long feedExtra = fedMarks.keySet().stream().filter(k -> !sent.containsKey(k)).count();
        boolean ok = missing + wrong + extra + duplicates[0] + feedMissing + feedTwice + feedExtra + failures.get() == 0;
        System.out.printf("  exactly once: %d marks sent; table: %d rows, missing %d, wrong status %d, extra %d, duplicate %d; "
                        + "change feed (%d pages read during and after the run): missing %d, twice %d, extra %d -> %s%n",
                sent.size(), stored.size(), missing, wrong, extra, duplicates[0], pages.get(), feedMissing, feedTwice,
                feedExtra, ok ? "OK" : "FAILED");
        System.out.printf("  load average after: %s%n", loadAverage());
        if (!ok) {
            System.exit(1);
        }
        return new Result(writers, window.length / (double) seconds, window.length == 0 ? Double.NaN : pct(window, 50),
                window.length == 0 ? Double.NaN : pct(window, 95), window.length == 0 ? Double.NaN : pct(window, 99), ok);
    }

    private static void seed(HttpClient http, String base, String id, int students, int sessions) {
        send(http, "PUT", base + "/api/v1/sections/" + id,
                "{\"title\": \"Section " + id + "\", \"termStart\": \"2026-09-01\", \"termEnd\": \"2026-12-25\"}");
        StringBuilder roster = new StringBuilder("[");
        for (int p = 0; p < students; p++) {
            roster.append("{\"personId\":\"").append(id).append("-P").append(p).append("\",\"role\":\"student\"},");
        }
        roster.append("{\"personId\":\"T-").append(id).append("\",\"role\":\"teacher\"}]");
        send(http, "PUT", base + "/api/v1/sections/" + id + "/enrolments", roster.toString());
        StringBuilder tt = new StringBuilder("[");
        for (int i = 1; i <= sessions; i++) {
            LocalDate day = FIRST_DAY.plusDays((i - 1) / 4);
            String hh = String.format("%02d", 8 + 2 * ((i - 1) % 4));
            tt.append(i > 1 ? "," : "").append("{\"sessionId\":\"").append(id).append('-').append(i)
                    .append("\",\"start\":\"").append(day).append('T').append(hh).append(":00:00+05:00\",\"end\":\"")
                    .append(day).append('T').append(hh).append(":50:00+05:00\",\"kind\":\"lecture\",\"hours\":1}");
        }
        tt.append(']');
        send(http, "PUT", base + "/api/v1/sections/" + id + "/sessions", tt.toString());
    }

    private static HttpRequest request(String method, String url, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Accept", "application/json").header("Authorization", "Bearer " + ADMIN_TOKEN);
        if (json == null) {
            return b.GET().build();
        }
        return b.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
    }

    private static void send(HttpClient http, String method, String url, String json) {
        try {
            HttpResponse<String> r = http.send(request(method, url, json), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + url + " -> " + r.statusCode() + ": " + r.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + url + " interrupted", e);
        }
    }

    private static void await(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }
}
