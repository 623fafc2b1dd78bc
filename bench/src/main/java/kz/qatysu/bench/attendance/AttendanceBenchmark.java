package kz.qatysu.bench.attendance;

import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.database.Database;
import kz.qatysu.tool.LtiToolApp;
import kz.qatysu.tool.ToolSettings;
import kz.qatysu.tool.attendance.AttendanceWrites;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.changes.ChangeFeed;
import kz.qatysu.tool.attendance.marks.MarkRepository;
import kz.qatysu.tool.attendance.rules.AbsenceCalculator;
import kz.qatysu.tool.attendance.rules.AbsencePolicy;
import kz.qatysu.tool.attendance.rules.AttendanceStatus;
import kz.qatysu.tool.attendance.rules.Mark;
import kz.qatysu.tool.attendance.rules.PlannedSession;
import kz.qatysu.tool.attendance.rules.Standing;
import kz.qatysu.tool.attendance.rules.StandingState;
import kz.qatysu.tool.attendance.sections.SectionRepository;
import kz.qatysu.tool.attendance.standing.PolicySource;
import kz.qatysu.tool.attendance.standing.StandingRepository;
import kz.qatysu.tool.attendance.standing.StandingService;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Issue 3 benchmarks (not tests): the attendance write and recompute paths on a real embedded PostgreSQL.
 * <ol>
 *   <li>grid: {@code PUT /api/v1/sessions/{id}/marks} with 100 marks, round trip over loopback to the in-process tool;</li>
 *   <li>full recompute: the pure {@link AbsenceCalculator} over students × disciplines × sessions (synthetic,
 *       in memory), and {@link StandingService#recomputeSection} over a measured DB slice;</li>
 *   <li>incremental: {@link StandingService#recompute} for one student after one mark change, inside a transaction.</li>
 * </ol>
 * Args: {@code [students=30000] [disciplines=8] [sessions=45] [dbSections=500] [dbStudentsPerSection=30]}.
 * All loops are bounded; the tool listens on 127.0.0.1 only.
 */
public final class AttendanceBenchmark {
    private static final String ADMIN_TOKEN = "bench-admin-token-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final LocalDate FIRST_DAY = LocalDate.of(2026, 9, 2);

    private AttendanceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int students = arg(args, 0, 30_000);
        int disciplines = arg(args, 1, 8);
        int sessions = arg(args, 2, 45);
        int dbSections = arg(args, 3, 500);
        int dbStudents = arg(args, 4, 30);
        System.out.printf("machine: %d cpus, max heap %d MiB, java %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));

        pureRecompute(students, disciplines, sessions);

        Path dataDir = Files.createTempDirectory("qatysu-attbench");
        int port;
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Map<String, String> env = new HashMap<>();
        env.put("QATYSU_HTTP_PORT", String.valueOf(port));
        env.put("QATYSU_PUBLIC_URL", "http://localhost:" + port);
        env.put("QATYSU_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("QATYSU_DATA_DIR", dataDir.toString());
        ConfigProblems problems = new ConfigProblems();
        ToolSettings settings = ToolSettings.read(new ConfigReader(ConfigSource.of("", env), problems));
        problems.throwIfAny();
        long t0 = System.nanoTime();
        Database db = Database.open("tool", settings.process().db(), settings.process().dataDir());
        System.out.printf("embedded PostgreSQL started and migrated in %d ms (data in %s)%n", (System.nanoTime() - t0) / 1_000_000, dataDir);
        LtiToolApp app = LtiToolApp.create(settings, db, Clock.systemUTC());
        app.javalin().start("127.0.0.1", port);
        String base = "http://127.0.0.1:" + port;
        try {
            StandingService standing = new StandingService(new AttendanceWrites(db.jdbi()), new StandingRepository(),
                    new SectionRepository(), new ChangeFeed(db.jdbi(), kz.qatysu.tool.web.Messages.EN), PolicySource.defaults(), Clock.systemUTC());
            gridSaves(base, sessions);
            incremental(db, standing, sessions);
            dbRecompute(base, db, standing, dbSections, dbStudents, sessions, students * disciplines);
        } finally {
            app.javalin().stop();
            db.close();
        }
    }

    // ---------------------------------------------------------------- 1. saving a 100-student grid

    private static void gridSaves(String base, int sessions) {
        seedSection(base, "GRID", "G", 100, sessions);
        gridSaves(base, "GRID", "G", sessions, "re-saves of the section's " + sessions + " sessions, cycled (only differing marks are written)");
        // 250 saves need 250 unsaved sessions: five 100-student sections of 50 sessions each (a realistic timetable size)
        for (int k = 0; k < 5; k++) {
            seedSection(base, "FRESH" + k, "F" + k, 100, 50);
        }
        gridSaves(base, null, null, 50, "first save of a fresh session each time (all 100 marks new; 5 sections x 50 sessions)");
    }

    private static void gridSaves(String base, String section, String personPrefix, int sessions, String what) {
        int students = 100;
        SplittableRandom rnd = new SplittableRandom(3);
        int warmup = 50;
        int measured = 200;
        long[] ns = new long[measured];
        long[] serverNs = new long[measured];
        long changedTotal = 0;
        for (int i = 0; i < warmup + measured; i++) {
            String session = section != null ? section + "-" + (1 + i % sessions) : "FRESH" + (i / sessions) + "-" + (1 + i % sessions);
            String prefix = section != null ? personPrefix : "F" + (i / sessions);
            StringBuilder body = new StringBuilder("[");
            for (int p = 0; p < students; p++) {
                if (p > 0) {
                    body.append(',');
                }
                body.append("{\"personId\":\"").append(prefix).append('-').append(p).append("\",");
                double r = rnd.nextDouble();
                if (r < 0.80) {
                    body.append("\"status\":\"PRESENT\"}");
                } else if (r < 0.90) {
                    body.append("\"status\":\"ABSENT\"}");
                } else if (r < 0.97) {
                    body.append("\"status\":\"LATE\",\"lateMinutes\":").append(1 + rnd.nextInt(40)).append('}');
                } else {
                    body.append("\"status\":\"EXCUSED\",\"reason\":\"medical certificate\"}");
                }
            }
            body.append(']');
            long s = System.nanoTime();
            HttpResponse<String> answer = exchange("PUT", base + "/api/v1/sessions/" + session + "/marks", body.toString());
            long e = System.nanoTime() - s;
            if (i >= warmup) {
                ns[i - warmup] = e;
                serverNs[i - warmup] = serverTime(answer);
                changedTotal += intField(answer.body(), "changed");
            }
        }
        System.out.printf("%n[1] grid save: PUT /api/v1/sessions/{id}/marks, 100 marks, %s, %d warm-up + %d measured%n",
                what, warmup, measured);
        System.out.printf("    marks changed per save: mean %.1f of 100 (each changed mark: upsert + history + feed row, then recompute of those students)%n",
                changedTotal / (double) measured);
        printPercentiles("    round trip over loopback", ns);
        printPercentiles("    server time (Server-Timing: app)", serverNs);
    }

    /** The tool's own time for the request, from its {@code Server-Timing: app;dur=<ms>} header. */
    private static long serverTime(HttpResponse<String> r) {
        String header = r.headers().firstValue("Server-Timing")
                .orElseThrow(() -> new IllegalStateException("no Server-Timing header on " + r.uri()));
        return Math.round(Double.parseDouble(header.substring(header.indexOf("dur=") + 4)) * 1_000_000);
    }

    // ---------------------------------------------------------------- 3. incremental recompute

    private static void incremental(Database db, StandingService standing, int sessions) {
        AttendanceWrites writes = new AttendanceWrites(db.jdbi());
        MarkRepository marks = new MarkRepository();
        SplittableRandom rnd = new SplittableRandom(5);
        int warmup = 200;
        int measured = 1000;
        long[] ns = new long[measured];
        long[] txNs = new long[measured];
        for (int i = 0; i < warmup + measured; i++) {
            String person = "G-" + rnd.nextInt(100);
            String session = "GRID-" + (1 + rnd.nextInt(sessions));
            AttendanceStatus status = AttendanceStatus.values()[rnd.nextInt(4)];
            Mark mark = switch (status) {
                case PRESENT -> Mark.present(session);
                case ABSENT -> Mark.absent(session);
                case LATE -> Mark.late(session, 1 + rnd.nextInt(40));
                case EXCUSED -> Mark.excused(session, "bench");
            };
            ChangeSource source = new ChangeSource("bench", Instant.now(), "incremental bench");
            long tx = System.nanoTime();
            long took = writes.inSection("GRID", h -> {
                Mark old = marks.ofSession(h, session).get(person);
                marks.save(h, person, old, mark, source);
                long s = System.nanoTime();
                standing.recompute(h, "GRID", List.of(person), source);
                return System.nanoTime() - s;
            });
            long txTook = System.nanoTime() - tx;
            if (i >= warmup) {
                ns[i - warmup] = took;
                txNs[i - warmup] = txTook;
            }
        }
        System.out.printf("%n[3] incremental: StandingService.recompute(h, GRID, [person]) after one mark change, 100-student section, %d sessions, %d warm-up + %d measured%n",
                sessions, warmup, measured);
        printPercentiles("    recompute(one student)", ns);
        printPercentiles("    whole transaction (read session marks + upsert mark + history + recompute + commit)", txNs);
    }

    // ---------------------------------------------------------------- 2a. pure calculator, full scale

    private static void pureRecompute(int students, int disciplines, int sessions) throws Exception {
        // Students in groups of 30; every group takes every discipline as one section with its own timetable.
        int groupSize = 30;
        int groups = (students + groupSize - 1) / groupSize;
        int sections = groups * disciplines;
        List<List<PlannedSession>> timetables = new ArrayList<>(sections);
        for (int sec = 0; sec < sections; sec++) {
            List<PlannedSession> tt = new ArrayList<>(sessions);
            for (int i = 0; i < sessions; i++) {
                OffsetDateTime start = FIRST_DAY.plusDays(i * 2L).atTime(8 + sec % 4 * 2, 0).atOffset(ZoneOffset.ofHours(5));
                PlannedSession ps = new PlannedSession("S" + sec + "-" + i, start, i % 15 == 0 ? 2 : 1, false);
                tt.add(i == sessions - 1 && sec % 10 == 0 ? ps.asCancelled() : ps);
            }
            timetables.add(tt);
        }
        // marks as one byte per (student, discipline, session): 0 unmarked, 1 present, 2 absent, 3 excused, 4.. late (minutes+3)
        long marksTotal = (long) students * disciplines * sessions;
        byte[] codes = new byte[Math.toIntExact(marksTotal)];
        SplittableRandom rnd = new SplittableRandom(42);
        for (int st = 0; st < students; st++) {
            double kind = rnd.nextDouble();
            // 75 % diligent, 20 % average, 5 % chronic absentees
            double pAbsent = kind < 0.75 ? 0.03 : kind < 0.95 ? 0.14 : 0.38;
            double pLate = kind < 0.75 ? 0.05 : 0.10;
            for (int d = 0; d < disciplines; d++) {
                int off = (st * disciplines + d) * sessions;
                for (int i = 0; i < sessions; i++) {
                    double r = rnd.nextDouble();
                    byte c;
                    if (r < 0.02) {
                        c = 0;
                    } else if (r < 0.02 + pAbsent) {
                        c = 2;
                    } else if (r < 0.02 + pAbsent + pLate) {
                        c = (byte) (4 + rnd.nextInt(45));
                    } else if (r < 0.04 + pAbsent + pLate) {
                        c = 3;
                    } else {
                        c = 1;
                    }
                    codes[off + i] = c;
                }
            }
        }
        AbsencePolicy policy = AbsencePolicy.defaults();
        Instant now = Instant.parse("2026-11-24T00:00:00Z");
        System.out.printf("[2a] full recompute, pure calculator: %d students x %d disciplines x %d sessions = %d standings, %d marks (%d sections of %d)%n",
                students, disciplines, sessions, (long) students * disciplines, marksTotal, sections, groupSize);
        int rounds = 3;
        for (int threads : new int[] {1, Runtime.getRuntime().availableProcessors()}) {
            for (int round = 0; round < rounds + 1; round++) {
                long s = System.nanoTime();
                long[] states = runAll(threads, students, disciplines, sessions, groupSize, timetables, codes, policy, now);
                long ms = (System.nanoTime() - s) / 1_000_000;
                System.out.printf("    %d thread(s), %s: %,d ms  (OK %d, WARNING %d, LOCKED %d)%n", threads,
                        round == 0 ? "warm-up" : "run " + round, ms, states[0], states[1], states[2]);
            }
            if (threads == Runtime.getRuntime().availableProcessors()) {
                break;
            }
        }
    }

    private static Mark toMark(String sessionId, int code) {
        return switch (code) {
            case 1 -> Mark.present(sessionId);
            case 2 -> Mark.absent(sessionId);
            case 3 -> Mark.excused(sessionId, "medical certificate");
            default -> Mark.late(sessionId, code - 3);
        };
    }

    private static long[] runAll(int threads, int students, int disciplines, int sessions, int groupSize,
                                 List<List<PlannedSession>> timetables, byte[] codes,
                                 AbsencePolicy policy, Instant now) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<long[]>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int from = students * t / threads;
                int to = students * (t + 1) / threads;
                parts.add(pool.submit(() -> {
                    long[] states = new long[3];
                    Map<StandingState, Integer> index = new EnumMap<>(Map.of(StandingState.OK, 0, StandingState.WARNING, 1, StandingState.LOCKED, 2));
                    for (int st = from; st < to; st++) {
                        int group = st / groupSize;
                        for (int d = 0; d < disciplines; d++) {
                            int sec = group * disciplines + d;
                            List<PlannedSession> tt = timetables.get(sec);
                            int off = (st * disciplines + d) * sessions;
                            // fresh Mark objects in a fresh per-student map, as StandingRepository.marks builds them from rows
                            Map<String, Mark> marks = HashMap.newHashMap(sessions);
                            for (int i = 0; i < sessions; i++) {
                                int c = codes[off + i];
                                if (c != 0) {
                                    PlannedSession ps = tt.get(i);
                                    marks.put(ps.sessionId(), toMark(ps.sessionId(), c));
                                }
                            }
                            Standing s = AbsenceCalculator.standing(tt, marks, null, now, policy, Optional.empty());
                            states[index.get(s.computedState())]++;
                        }
                    }
                    return states;
                }));
            }
            long[] total = new long[3];
            for (Future<long[]> f : parts) {
                long[] s = f.get();
                for (int i = 0; i < 3; i++) {
                    total[i] += s[i];
                }
            }
            return total;
        } finally {
            pool.shutdown();
        }
    }

    // ---------------------------------------------------------------- 2b. DB-backed recomputeSection, measured slice

    private static void dbRecompute(String base, Database db, StandingService standing, int sections, int perSection,
                                    int sessions, long fullStandings) {
        long s0 = System.nanoTime();
        for (int sec = 0; sec < sections; sec++) {
            seedSection(base, "DB" + sec, "D" + sec, perSection, sessions);
        }
        long seeded = System.nanoTime();
        // marks straight in SQL (same realistic mix as 2a); seeding them through the API would take longer than the measurement
        int rows = db.jdbi().withHandle(h -> h.createUpdate("""
                INSERT INTO mark (session_id, person_id, status, late_minutes, reason, updated_by, updated_at)
                SELECT session_id, person_id,
                       CASE WHEN r < p_abs THEN 'ABSENT' WHEN r < p_abs + 0.07 THEN 'LATE'
                            WHEN r < p_abs + 0.09 THEN 'EXCUSED' ELSE 'PRESENT' END,
                       CASE WHEN r >= p_abs AND r < p_abs + 0.07 THEN 1 + floor(random() * 45)::int END,
                       CASE WHEN r >= p_abs + 0.07 AND r < p_abs + 0.09 THEN 'medical certificate' END,
                       'bench', now()
                FROM (SELECT s.session_id, e.person_id, random() AS r,
                             CASE WHEN hashtext(e.person_id) % 20 = 0 THEN 0.38
                                  WHEN hashtext(e.person_id) % 5 = 0 THEN 0.14 ELSE 0.03 END AS p_abs
                      FROM class_session s JOIN enrolment e ON e.section_id = s.section_id
                      WHERE e.role = 'student' AND s.section_id LIKE 'DB%') x""").execute());
        db.jdbi().useHandle(h -> h.execute("ANALYZE"));
        System.out.printf("%n[2b] recomputeSection on the DB: %d sections x %d students x %d sessions = %d standings, %d marks (seeded via API in %d ms + SQL in %d ms)%n",
                sections, perSection, sessions, sections * perSection, rows, (seeded - s0) / 1_000_000, (System.nanoTime() - seeded) / 1_000_000);
        for (String pass : new String[] {"pass 1 (no stored standing yet: every row written + feed + history)",
                "pass 2 (nothing changed: read + compute only)", "pass 3 (nothing changed)"}) {
            long[] ns = new long[sections];
            long changed = 0;
            long s = System.nanoTime();
            for (int sec = 0; sec < sections; sec++) {
                long a = System.nanoTime();
                changed += standing.recomputeSection("DB" + sec, new ChangeSource("bench", Instant.now(), "policy bench")).size();
                ns[sec] = System.nanoTime() - a;
            }
            long totalNs = System.nanoTime() - s;
            double perStanding = totalNs / (double) (sections * perSection);
            System.out.printf("    %s: %,d ms total, %d standings changed, %.1f us/standing -> extrapolated %,.0f s for %,d standings on 1 connection%n",
                    pass, totalNs / 1_000_000, changed, perStanding / 1000, perStanding * fullStandings / 1e9, fullStandings);
            printPercentiles("      per section", ns);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void seedSection(String base, String id, String personPrefix, int students, int sessions) {
        seedSection(base, id, personPrefix, students, sessions, 0);
    }

    private static void seedSection(String base, String id, String personPrefix, int students, int sessions, int perDay) {
        send("PUT", base + "/api/v1/sections/" + id,
                "{\"title\": \"Section " + id + "\", \"termStart\": \"2026-09-01\", \"termEnd\": \"2026-12-25\"}");
        StringBuilder roster = new StringBuilder("[");
        for (int p = 0; p < students; p++) {
            roster.append("{\"personId\":\"").append(personPrefix).append('-').append(p).append("\",\"role\":\"student\"},");
        }
        roster.append("{\"personId\":\"T-").append(id).append("\",\"role\":\"teacher\"}]");
        send("PUT", base + "/api/v1/sections/" + id + "/enrolments", roster.toString());
        StringBuilder tt = new StringBuilder("[");
        for (int i = 1; i <= sessions; i++) {
            LocalDate day = perDay > 0 ? FIRST_DAY.plusDays((i - 1) / perDay) : FIRST_DAY.plusDays((i - 1) * 2L);
            String hh = String.format("%02d", perDay > 0 ? 8 + 2 * ((i - 1) % perDay) : 8);
            if (i > 1) {
                tt.append(',');
            }
            tt.append("{\"sessionId\":\"").append(id).append('-').append(i).append("\",\"start\":\"").append(day)
                    .append('T').append(hh).append(":00:00+05:00\",\"end\":\"").append(day).append('T').append(hh)
                    .append(":50:00+05:00\",\"kind\":\"lecture\",\"hours\":")
                    .append(i % 15 == 0 ? 2 : 1).append(",\"room\":\"A-204\",\"onlineUrl\":null}");
        }
        tt.append(']');
        send("PUT", base + "/api/v1/sections/" + id + "/sessions", tt.toString());
    }

    private static String send(String method, String url, String json) {
        return exchange(method, url, json).body();
    }

    private static HttpResponse<String> exchange(String method, String url, String json) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build();
        try {
            HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + url + " -> " + r.statusCode() + ": " + r.body());
            }
            return r;
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + url + " interrupted", e);
        }
    }

    private static long intField(String json, String field) {
        int i = json.indexOf("\"" + field + "\":");
        if (i < 0) {
            return 0;
        }
        int j = i + field.length() + 3;
        int k = j;
        while (k < json.length() && Character.isDigit(json.charAt(k))) {
            k++;
        }
        return k > j ? Long.parseLong(json.substring(j, k)) : 0;
    }

    private static void printPercentiles(String label, long[] ns) {
        long[] sorted = ns.clone();
        Arrays.sort(sorted);
        System.out.printf("%s: n=%d p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms%n", label, sorted.length,
                pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), sorted[sorted.length - 1] / 1e6);
    }

    private static double pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }
}
