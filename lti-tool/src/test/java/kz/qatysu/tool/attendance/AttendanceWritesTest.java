package kz.qatysu.tool.attendance;

import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The section locks of {@link AttendanceWrites} on a real PostgreSQL. */
class AttendanceWritesTest {
    static Database db;
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
        db = TestPostgres.freshDatabase("tool");
        writes = new AttendanceWrites(db.jdbi());
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void writes_naming_the_same_sections_in_opposite_orders_take_them_in_one_order_and_never_deadlock() throws Exception {
        for (int round = 0; round < 20; round++) {
            CountDownLatch both = new CountDownLatch(2);
            List<CompletableFuture<String>> runs = new ArrayList<>();
            for (List<String> order : List.of(List.of("DL-X", "DL-Y", "DL-Z"), List.of("DL-Z", "DL-Y", "DL-X"))) {
                runs.add(supplyAsync(() -> {
                    both.countDown();
                    return writes.inSections(order, h -> {
                        h.createQuery("SELECT pg_sleep(0.01)").mapTo(String.class).one();
                        return String.join(",", order);
                    });
                }));
            }
            for (CompletableFuture<String> run : runs) {
                assertThat(run.get(20, TimeUnit.SECONDS)).startsWith("DL-");
            }
        }
    }

    @Test
    void a_section_lock_is_held_to_commit_and_taken_again_at_once_by_its_own_transaction() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> holder = supplyAsync(() -> writes.inSection("RE-A", h -> {
            AttendanceWrites.lock(h, "RE-A"); // again, in the same transaction: no wait
            holding.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 1;
        }));
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Integer> other = supplyAsync(() -> writes.inSection("RE-A", h -> 2));
        Thread.sleep(300);
        assertThat(other).isNotDone();
        release.countDown();
        assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo(2);
    }

    @Test
    void a_sections_key_depends_on_its_id_only() {
        assertThat(AttendanceWrites.key("CS-101")).isEqualTo(AttendanceWrites.key("CS-101"))
                .isNotEqualTo(AttendanceWrites.key("CS-102"));
    }
}
