package kz.qatysu.tool.attendance;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.attendance.changes.ChangeFeed;
import kz.qatysu.tool.attendance.rules.Mark;
import kz.qatysu.tool.testing.Api;
import kz.qatysu.tool.testing.RunningTool;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attendance writes lock per section (issue 8 §6): writes to different sections run side by side through the REST
 * API, and the change feed stays complete for a reader paging it while they commit in any order.
 */
class ConcurrentWritesTest {
    static RunningTool tool;
    static Api api;
    static AttendanceWrites writes;
    /** A thread per task: the common pool has a single thread on a two-core machine, too few for these waits. */
    static final java.util.concurrent.ExecutorService THREADS = java.util.concurrent.Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory());

    static CompletableFuture<Void> runAsync(Runnable task) {
        return CompletableFuture.runAsync(task, THREADS);
    }

    static <T> CompletableFuture<T> supplyAsync(java.util.function.Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, THREADS);
    }

    @BeforeAll
    static void start() {
        tool = RunningTool.start();
        api = Api.admin(tool);
        writes = new AttendanceWrites(tool.database().jdbi());
    }

    @AfterAll
    static void stop() {
        tool.close();
    }

    private static void section(String id, int sessions, String... students) {
        api.ok(api.put("/api/v1/sections/" + id, Fixture.section(id)));
        api.ok(api.put("/api/v1/sections/" + id + "/enrolments", Fixture.students(students)));
        api.ok(api.put("/api/v1/sections/" + id + "/sessions", Fixture.sessions(id, sessions)));
    }

    @Test
    void a_write_to_one_section_does_not_wait_for_a_transaction_holding_another_sections_lock() throws Exception {
        section("PAR-A", 2, "PA-1");
        section("PAR-B", 2, "PB-1");
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = runAsync(() -> writes.inSection("PAR-A", h -> {
            holding.countDown();
            await(release);
            return null;
        }));
        try {
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Api.Response> toB = supplyAsync(
                    () -> api.put("/api/v1/sessions/PAR-B-1/marks", Fixture.absent("PB-1")));
            assertThat(toB.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);

            // the lock is real: a write to section A waits for it, and goes through once it is released
            CompletableFuture<Api.Response> toA = supplyAsync(
                    () -> api.put("/api/v1/sessions/PAR-A-1/marks", Fixture.absent("PA-1")));
            Thread.sleep(500);
            assertThat(toA).isNotDone();
            release.countDown();
            assertThat(toA.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        } finally {
            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_feed_entry_that_commits_late_with_a_smaller_number_is_not_skipped_by_a_reader() throws Exception {
        section("LATE-A", 1, "LA-1");
        section("LATE-B", 1, "LB-1");
        String cursor = drain("0", 5000, new ArrayList<>());
        ChangeFeed feed = new ChangeFeed(tool.database().jdbi(), kz.qatysu.tool.web.Messages.EN);
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        // a write to section A appends its entry (the smaller number) and does not commit yet
        CompletableFuture<Void> slow = runAsync(() -> writes.inSection("LATE-A", h -> {
            feed.appendMarks(h, "LATE-A", List.of(Map.entry("LA-1", Mark.present("LATE-A-1"))),
                    new ChangeSource("test", Instant.now(), "slow writer"));
            appended.countDown();
            await(commit);
            return null;
        }));
        try {
            assertThat(appended.await(10, TimeUnit.SECONDS)).isTrue();
            // a write to section B commits meanwhile, with a larger number
            assertThat(supplyAsync(() -> api.put("/api/v1/sessions/LATE-B-1/marks", Fixture.absent("LB-1")))
                    .get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            List<JsonNode> seen = new ArrayList<>();
            cursor = drain(cursor, 5000, seen);
            assertThat(seen).as("nothing past the open transaction's entry is handed out").isEmpty();
            commit.countDown();
            slow.get(10, TimeUnit.SECONDS);
            drain(cursor, 5000, seen);
            assertThat(seen).filteredOn(c -> c.path("type").asText().equals("mark"))
                    .extracting(c -> c.path("personId").asText()).containsExactly("LA-1", "LB-1");
        } finally {
            commit.countDown();
        }
    }

    @Test
    void a_burst_of_concurrent_grid_saves_leaves_every_mark_stored_and_fed_exactly_once_while_a_reader_pages() throws Exception {
        int sections = 6;
        int writersPerSection = 2;
        int sessions = 8;
        int students = 5;
        for (int s = 0; s < sections; s++) {
            String[] people = new String[students];
            for (int p = 0; p < students; p++) {
                people[p] = "BP" + s + "-" + p;
            }
            section("BURST" + s, sessions, people);
        }

        Map<String, String> sent = new ConcurrentHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<JsonNode> read = new ArrayList<>();
        CompletableFuture<Void> reader = runAsync(() -> {
            String cursor = "0";
            while (true) {
                boolean last = !writing.get();
                JsonNode page = api.ok(api.get("/api/v1/changes?limit=7&since=" + cursor));
                page.path("changes").forEach(read::add);
                cursor = page.path("cursor").asText();
                if (last && !page.path("hasMore").asBoolean()) {
                    return;
                }
            }
        });
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int s = 0; s < sections; s++) {
            for (int w = 0; w < writersPerSection; w++) {
                int section = s;
                int writer = w;
                writers.add(runAsync(() -> {
                    // two teachers of one section take turns over its sessions; every session is saved once
                    for (int i = 1 + writer; i <= sessions; i += writersPerSection) {
                        String session = "BURST" + section + "-" + i;
                        StringBuilder body = new StringBuilder("[");
                        for (int p = 0; p < students; p++) {
                            String status = (i + p) % 3 == 0 ? "ABSENT" : "PRESENT";
                            sent.put(session + "/BP" + section + "-" + p, status);
                            body.append(p > 0 ? "," : "").append("{\"personId\":\"BP").append(section).append('-').append(p)
                                    .append("\",\"status\":\"").append(status).append("\"}");
                        }
                        api.ok(api.put("/api/v1/sessions/" + session + "/marks", body.append(']').toString()));
                    }
                }));
            }
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        writing.set(false);
        reader.get(60, TimeUnit.SECONDS);

        Jdbi jdbi = tool.database().jdbi();
        Map<String, String> stored = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT session_id, person_id, status FROM mark WHERE session_id LIKE 'BURST%'")
                .map((rs, ctx) -> Map.entry(rs.getString(1) + "/" + rs.getString(2), rs.getString(3)))
                .forEach(e -> assertThat(stored.put(e.getKey(), e.getValue())).as("one row for " + e.getKey()).isNull()));
        assertThat(stored).isEqualTo(sent).hasSize(sections * sessions * students);

        // the reader's pages hold every entry, each once
        assertThat(read.stream().map(c -> c.path("seq").asLong()).toList()).doesNotHaveDuplicates();
        read.removeIf(c -> !c.path("sectionId").asText().startsWith("BURST"));
        Set<Long> table = new HashSet<>(jdbi.withHandle(h -> h.createQuery(
                "SELECT seq FROM attendance_change WHERE section_id LIKE 'BURST%' AND session_id IS NOT NULL")
                .mapTo(Long.class).list()));
        assertThat(read.stream().filter(c -> c.path("type").asText().equals("mark")).map(c -> c.path("seq").asLong())
                .toList()).containsExactlyInAnyOrderElementsOf(table);
        Map<String, String> fed = new HashMap<>();
        read.stream().filter(c -> c.path("type").asText().equals("mark")).forEach(c ->
                assertThat(fed.put(c.path("sessionId").asText() + "/" + c.path("personId").asText(), c.path("status").asText()))
                        .as("fed once").isNull());
        assertThat(fed).isEqualTo(sent);

        // in feed order, each student's last standing entry is the standing stored now
        Map<String, Long> lastStanding = new HashMap<>();
        read.stream().filter(c -> c.path("type").asText().equals("standing"))
                .forEach(c -> lastStanding.put(c.path("sectionId").asText() + "/" + c.path("personId").asText(), c.path("seq").asLong()));
        Map<String, Long> storedStanding = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT section_id, person_id, change_seq FROM standing WHERE section_id LIKE 'BURST%'")
                .map((rs, ctx) -> Map.entry(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3)))
                .forEach(e -> storedStanding.put(e.getKey(), e.getValue())));
        assertThat(lastStanding).isEqualTo(storedStanding);
    }

    /** Pages from {@code cursor} until the feed has nothing more, adding what it returns; the last cursor. */
    private static String drain(String cursor, int limit, List<JsonNode> into) {
        while (true) {
            JsonNode page = api.ok(api.get("/api/v1/changes?limit=" + limit + "&since=" + cursor));
            page.path("changes").forEach(into::add);
            cursor = page.path("cursor").asText();
            if (!page.path("hasMore").asBoolean()) {
                return cursor;
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
