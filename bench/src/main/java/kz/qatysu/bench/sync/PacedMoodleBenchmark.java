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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;

/**
 * The first night at a real Moodle's pace (issue 13 §7): the shape measured against a real Moodle 4.5 (PHP's built-in
 * server with 4 workers) — 3,000 students, 120 courses, 4,006 enrolments, 1,200 calendar events — synced by the real
 * daemon into the WireMock fake Moodle made to answer at that Moodle's measured pace: {@code enrol_manual_enrol_users}
 * 2.3 s per call (a batch of 200), {@code core_group_add_group_members} 1.3 s, every other function 0.19 s (what is
 * left of the real run's 183 s over its other 584 calls), at most 4 calls processed at once (the 4 workers). Runs the
 * night once per concurrency given (default 1 and 4), each on a fresh database and fake.
 *
 * <p>It models the latency and the worker count, not Moodle's CPU: a real site whose PHP workers saturate its cores
 * gains less. Not a measurement of a real Moodle.
 *
 * <pre>./qatysu bench sync-paced [concurrency…]   e.g. ./qatysu bench sync-paced 1 4</pre>
 */
public final class PacedMoodleBenchmark {
    static final int STUDENTS = 3_000;
    static final int SECTIONS = 120;
    static final int STUDENT_ENROLMENTS = 3_886; // + 120 teachers = 4,006
    static final int EVENTS_PER_SECTION = 10; // 1,200 events
    static final int WORKERS = 4;

    private PacedMoodleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> levels = new ArrayList<>();
        for (String a : args) {
            levels.add(Integer.parseInt(a));
        }
        if (levels.isEmpty()) {
            levels = List.of(1, 4);
        }
        List<String> rows = new ArrayList<>();
        for (int concurrency : levels) {
            rows.add(night(concurrency));
        }
        System.out.println();
        System.out.println("| concurrency | first night (accounts + sections + timetable) | Moodle calls | writes | max calls at Moodle at once |");
        System.out.println("|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "(%d cores, Java %s; fake Moodle: enrol 2.3 s, add members 1.3 s, others 0.19 s per call, %d workers)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), WORKERS);
        System.exit(0);
    }

    static String night(int concurrency) throws Exception {
        Path work = Files.createTempDirectory("qatysu-sync-paced");
        Path drop = Files.createDirectories(work.resolve("drop"));
        writeUniversity(drop);
        FakeMoodle fake = new FakeMoodle();
        fake.delayMillis = 190;
        fake.delayByFunction.put("enrol_manual_enrol_users", 2_300L);
        fake.delayByFunction.put("core_group_add_group_members", 1_300L);
        fake.workers = new Semaphore(WORKERS, true);
        WireMockServer moodle = FakeMoodle.start(fake);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QATYSU_DATA_DIR", work.resolve("data").toString());
        env.put("QATYSU_SYNC_PORTAL_CSV_FOLDER", drop.toString());
        env.put("QATYSU_SYNC_MOODLE_URL", moodle.baseUrl());
        env.put("QATYSU_SYNC_MOODLE_TOKEN", "bench-token");
        env.put("QATYSU_SYNC_MOODLE_CONCURRENCY", Integer.toString(concurrency));
        var problems = new ConfigProblems();
        SyncSettings settings = SyncSettings.read(new ConfigReader(ConfigSource.of("", env), problems));
        problems.throwIfAny();
        try (SyncDaemonApp app = SyncDaemonApp.create(settings)) {
            long start = System.nanoTime();
            for (String job : List.of("accounts", "sections", "timetable")) {
                long t = System.nanoTime();
                SyncRunReport r = app.runNow(job, false, false);
                if (r.exitCode() != 0) {
                    System.out.println(r.summary());
                    throw new IllegalStateException(job + " ended " + r.status());
                }
                System.out.printf(Locale.ROOT, "concurrency %d: %-9s %.1f s%n", concurrency, job, (System.nanoTime() - t) / 1e9);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long calls = fake.calls.values().stream().mapToLong(java.util.concurrent.atomic.AtomicLong::get).sum();
            Map<String, Long> byFunction = new TreeMap<>();
            fake.calls.forEach((k, v) -> byFunction.put(k, v.get()));
            System.out.println("  calls by function: " + byFunction);
            return String.format(Locale.ROOT, "| %d | %.0f s | %,d | %,d | %d |", concurrency, seconds, calls, fake.writeCalls(), fake.maxInFlight());
        } finally {
            moodle.stop();
        }
    }

    /** 3,000 students in groups of 25, 120 sections with a teacher each, 3,886 student enrolments, 10 sessions each. */
    static void writeUniversity(Path dir) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("persons.csv"), StandardCharsets.UTF_8)) {
            w.write("id;login;email;role;status;group;faculty;last_name_kk;first_name_kk\n");
            for (int i = 0; i < STUDENTS; i++) {
                w.write("S%06d;s%06d;s%06d@bench.univ.kz;student;active;GR-%04d;F%d;Сәтбаев;Әйгерім\n".formatted(i, i, i, i / 25, i % 7));
            }
            for (int t = 0; t < SECTIONS; t++) {
                w.write("T%05d;t%05d;t%05d@bench.univ.kz;teacher;active;;F%d;Құнанбайұлы;Абай\n".formatted(t, t, t, t % 7));
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("sections.csv"), StandardCharsets.UTF_8)) {
            w.write("code;discipline;title;term;term_start;term_end;faculty;teachers;hours;credits\n");
            for (int k = 0; k < SECTIONS; k++) {
                w.write("SEC%05d-2026-1;D%05d;Пән %d;2026-1;2026-09-01;2026-12-25;F%d;T%05d;45;5\n".formatted(k, k, k, k % 7, k));
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("enrolments.csv"), StandardCharsets.UTF_8)) {
            w.write("section;person;role\n");
            // a group's 25 students share their section; the 886 second enrolments go to another section
            for (int j = 0; j < STUDENT_ENROLMENTS; j++) {
                int student = j % STUDENTS;
                int section = (student / 25 + (j / STUDENTS) * 7) % SECTIONS;
                w.write("SEC%05d-2026-1;S%06d;student\n".formatted(section, student));
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("timetable.csv"), StandardCharsets.UTF_8)) {
            w.write("id;section;start;end;kind;room\n");
            LocalDate monday = LocalDate.of(2026, 9, 7);
            for (int k = 0; k < SECTIONS; k++) {
                for (int e = 0; e < EVENTS_PER_SECTION; e++) {
                    LocalDate day = monday.plusWeeks(e).plusDays(k % 5);
                    w.write("TT%05d-%02d;SEC%05d-2026-1;%sT%02d:00;%sT%02d:50;lecture;%d\n".formatted(k, e, k, day, 8 + k % 8, day, 8 + k % 8, 100 + k));
                }
            }
        }
    }
}
