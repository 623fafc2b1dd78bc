package kz.qatysu.tool.cluster;

import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterLockTest {
    static Database db;

    @BeforeAll
    static void start() {
        db = TestPostgres.freshDatabase("tool");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void while_one_node_runs_the_job_another_skips_it_and_runs_it_once_it_is_released() {
        ClusterLock onA = new ClusterLock(db.jdbi(), "test.job");
        ClusterLock onB = new ClusterLock(db.jdbi(), "test.job");
        Optional<String> inner = onA.runIfFree(() -> onB.runIfFree(() -> "B ran").orElse("B skipped"));
        assertThat(inner).contains("B skipped");
        assertThat(onB.runIfFree(() -> "B ran")).contains("B ran");
        assertThat(new ClusterLock(db.jdbi(), "other.job").runIfFree(() -> onA.runIfFree(() -> 1)))
                .as("another job's lock is another lock").contains(Optional.of(1));
    }

    @Test
    void a_job_that_throws_releases_the_lock() {
        ClusterLock lock = new ClusterLock(db.jdbi(), "test.throwing");
        try {
            lock.runIfFree(() -> {
                throw new IllegalStateException("LMS down");
            });
        } catch (IllegalStateException expected) {
            // the job's failure is the caller's
        }
        assertThat(lock.runIfFree(() -> "ran")).contains("ran");
    }
}
