package kz.qatysu.bench.sync;

import com.github.tomakehurst.wiremock.WireMockServer;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.connectors.moodle.FakeMoodle;
import kz.qatysu.sync.SyncDaemonApp;
import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.SyncSettings;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * The sync benchmark of docs/BENCHMARKS.md: a synthetic university (30,000 students, 2,000 sections, 240,000
 * enrolments, 60,000 timetable entries, as CSV files) synced by the real daemon (embedded PostgreSQL, real HTTP) into a
 * stateful fake Moodle and a stubbed tool API: the initial sync, then a resync without source change that must make
 * zero write calls. Prints a Markdown table of time, write calls per target and peak heap.
 *
 * <pre>java -Xmx512m -cp … kz.qatysu.bench.sync.SyncBenchmark [students] [sections] [enrolmentsPerStudent] [entriesPerSection]</pre>
 */
public final class SyncBenchmark {
    private SyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int students = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        int sections = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int perStudent = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int entries = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        Path work = Files.createTempDirectory("qatysu-sync-bench");
        Path drop = Files.createDirectories(work.resolve("drop"));
        long t0 = System.nanoTime();
        int enrolments = University.write(drop, students, sections, perStudent, entries);
        System.out.printf(Locale.ROOT, "synthetic university: %,d students, %,d sections, %,d enrolments, %,d timetable entries (%.1f s to write)%n",
                students, sections, enrolments, sections * entries, (System.nanoTime() - t0) / 1e9);

        FakeMoodle fake = new FakeMoodle();
        WireMockServer moodle = FakeMoodle.start(fake);
        ToolStub toolStub = new ToolStub();
        WireMockServer tool = new WireMockServer(options().dynamicPort().containerThreads(20).disableRequestJournal().extensions(toolStub));
        tool.start();
        tool.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204).withTransformers(toolStub.getName())));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QATYSU_DATA_DIR", work.resolve("data").toString());
        env.put("QATYSU_SYNC_PORTAL_CSV_FOLDER", drop.toString());
        env.put("QATYSU_SYNC_MOODLE_URL", moodle.baseUrl());
        env.put("QATYSU_SYNC_MOODLE_TOKEN", "bench-token");
        env.put("QATYSU_SYNC_MOODLE_RATE_LIMIT", "0");
        env.put("QATYSU_SYNC_TOOL_URL", tool.baseUrl());
        env.put("QATYSU_SYNC_TOOL_TOKEN", "bench-tool-token-0123456789");
        env.put("QATYSU_SYNC_TOOL_RATE_LIMIT", "0");
        var problems = new ConfigProblems();
        SyncSettings settings = SyncSettings.read(new ConfigReader(ConfigSource.of("", env), problems));
        problems.throwIfAny();

        List<String[]> rows = new ArrayList<>();
        try (SyncDaemonApp app = SyncDaemonApp.create(settings)) {
            for (String phase : List.of("initial sync", "resync, no source change")) {
                long moodleWrites = fake.writeCalls();
                long toolCalls = toolStub.calls.get();
                HeapSampler sampler = HeapSampler.start();
                long start = System.nanoTime();
                List<SyncRunReport> reports = new ArrayList<>();
                for (String job : List.of("accounts", "sections", "timetable")) {
                    SyncRunReport r = app.runNow(job, false, true);
                    reports.add(r);
                    if (r.exitCode() != 0) {
                        System.out.println(r.summary());
                        throw new IllegalStateException(job + " ended " + r.status());
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                long mWrites = fake.writeCalls() - moodleWrites;
                long tCalls = toolStub.calls.get() - toolCalls;
                long peakMb = sampler.stop();
                long liveMb = liveHeapMb();
                long changes = reports.stream().flatMap(r -> r.targets().stream()).mapToLong(t -> t.create() + t.update() + t.suspend()).sum();
                long noops = reports.stream().flatMap(r -> r.targets().stream()).mapToLong(SyncRunReport.TargetReport::noop).sum();
                rows.add(new String[] {phase, String.format(Locale.ROOT, "%.1f s", seconds), String.format(Locale.ROOT, "%,d", changes),
                        String.format(Locale.ROOT, "%,d", noops), String.format(Locale.ROOT, "%,d", mWrites),
                        String.format(Locale.ROOT, "%,d", tCalls), String.format(Locale.ROOT, "%,d MB", peakMb),
                        String.format(Locale.ROOT, "%,d MB", liveMb)});
                System.out.printf(Locale.ROOT, "%s: %.1f s%n", phase, seconds);
                for (SyncRunReport r : reports) {
                    for (var t : r.targets()) {
                        System.out.printf(Locale.ROOT, "  %-22s create %,7d  update %,5d  suspend %,5d  no-op %,7d%n",
                                t.target(), t.create(), t.update(), t.suspend(), t.noop());
                    }
                }
            }
            System.out.println("  Moodle calls by function, reads included (whole benchmark): " + writesByFunction(fake));
        } finally {
            moodle.stop();
            tool.stop();
        }
        System.out.println();
        System.out.println("| phase | time | changes | no-ops | Moodle write calls | tool write calls | peak used heap (sampled every 50 ms) | heap after GC |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String[] r : rows) {
            System.out.println("| " + String.join(" | ", r) + " |");
        }
        System.out.printf(Locale.ROOT, "(max heap %d MB, %d cores, Java %s)%n", Runtime.getRuntime().maxMemory() / (1024 * 1024),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.exit(0);
    }

    private static String writesByFunction(FakeMoodle fake) {
        Map<String, Long> out = new java.util.TreeMap<>();
        fake.calls.forEach((k, v) -> out.put(k, v.get()));
        return out.toString();
    }

    /** Counts the tool API calls (all writes: the daemon only PUTs to the tool in these jobs). */
    static final class ToolStub implements com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2 {
        final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public com.github.tomakehurst.wiremock.http.ResponseDefinition transform(com.github.tomakehurst.wiremock.stubbing.ServeEvent event) {
            calls.incrementAndGet();
            return event.getResponseDefinition();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return "count-tool";
        }
    }

    private static long liveHeapMb() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
    }

    /** The highest used heap seen while a phase runs (the daemon, the fake Moodle's state and WireMock together). */
    static final class HeapSampler {
        private final java.util.concurrent.atomic.AtomicLong max = new java.util.concurrent.atomic.AtomicLong();
        private final Thread thread;

        private HeapSampler() {
            System.gc();
            thread = Thread.ofPlatform().daemon().name("heap-sampler").start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    max.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        static HeapSampler start() {
            return new HeapSampler();
        }

        long stop() throws InterruptedException {
            thread.interrupt();
            thread.join();
            return max.get() / (1024 * 1024);
        }
    }

    /** Writes the synthetic university's CSV export. */
    static final class University {
        static int write(Path dir, int students, int sections, int perStudent, int entriesPerSection) throws IOException {
            String[] first = {"Әйгерім", "Нұрсұлтан", "Ұлжан", "Қайрат", "Гүлнұр", "Ерңұр", "Өмірзақ", "Һидаят", "Іңкәр", "Бауыржан"};
            String[] last = {"Нұрғалиқызы", "Сәтбаев", "Құнанбайұлы", "Әбішев", "Жұмабекова", "Оспанұлы", "Төлеубаев", "Ілиясов"};
            int groupSize = 25;
            int teachers = Math.max(1, sections / 4);
            try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("persons.csv"), StandardCharsets.UTF_8)) {
                w.write("id;login;email;role;status;group;faculty;last_name_kk;first_name_kk\n");
                for (int i = 0; i < students; i++) {
                    w.write("S%06d;s%06d;s%06d@bench.univ.kz;student;active;GR-%04d;F%d;%s;%s\n".formatted(i, i, i, i / groupSize, i % 7,
                            last[i % last.length], first[i % first.length]));
                }
                for (int t = 0; t < teachers; t++) {
                    w.write("T%05d;t%05d;t%05d@bench.univ.kz;teacher;active;;F%d;%s;%s\n".formatted(t, t, t, t % 7, last[t % last.length], first[t % first.length]));
                }
            }
            try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("sections.csv"), StandardCharsets.UTF_8)) {
                w.write("code;discipline;title;term;term_start;term_end;faculty;teachers;hours;credits\n");
                for (int k = 0; k < sections; k++) {
                    w.write("SEC%05d-2026-1;D%05d;Пән %d;2026-1;2026-09-01;2026-12-25;F%d;T%05d;45;5\n".formatted(k, k, k, k % 7, k % teachers));
                }
            }
            int enrolments = 0;
            // each student takes perStudent sections; a section's students come from a handful of consecutive groups
            int perSection = (int) Math.ceil((double) students * perStudent / sections);
            try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("enrolments.csv"), StandardCharsets.UTF_8)) {
                w.write("section;person;role\n");
                for (int k = 0; k < sections; k++) {
                    int from = (int) ((long) k * perSection % students);
                    for (int j = 0; j < perSection && enrolments < students * perStudent; j++) {
                        w.write("SEC%05d-2026-1;S%06d;student\n".formatted(k, (from + j) % students));
                        enrolments++;
                    }
                }
            }
            try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("timetable.csv"), StandardCharsets.UTF_8)) {
                w.write("id;section;start;end;kind;room;online_url;cameras\n");
                LocalDate monday = LocalDate.of(2026, 9, 7);
                for (int k = 0; k < sections; k++) {
                    for (int e = 0; e < entriesPerSection; e++) {
                        LocalDateTime start = monday.plusDays((e / 2) * 7L + (k % 5)).atTime(8 + (k % 8), (e % 2) * 55 % 60);
                        boolean online = e % 2 == 0;
                        w.write("E%05d-%02d;SEC%05d-2026-1;%s;%s;%s;%s;%s;no\n".formatted(k, e, k, start, start.plusMinutes(50),
                                online ? "lecture" : "seminar", online ? "" : "A-" + (100 + k % 300), online ? "https://bbb.bench.univ.kz/b/" + k : ""));
                    }
                }
            }
            return enrolments;
        }
    }
}
