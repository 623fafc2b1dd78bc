package kz.qatysu.tool.proctoring.analysis;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerPriorityTest {

    @Test
    void lowers_only_the_calling_threads_priority() throws Exception {
        int before = WorkerPriority.currentNice();
        AtomicReference<Optional<String>> problem = new AtomicReference<>();
        AtomicReference<Integer> niceThere = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            problem.set(WorkerPriority.lowerCurrentThread(9));
            try {
                niceThere.set(WorkerPriority.currentNice());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        t.join();
        assertThat(problem.get()).isEmpty();
        assertThat(niceThere.get()).isEqualTo(9);
        assertThat(WorkerPriority.currentNice()).isEqualTo(before);
    }

    @Test
    void at_nice_19_the_thread_also_runs_only_when_no_other_thread_wants_the_core() throws Exception {
        int policyBefore = WorkerPriority.currentPolicy();
        AtomicReference<Optional<String>> problem = new AtomicReference<>();
        AtomicReference<int[]> there = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            problem.set(WorkerPriority.lowerCurrentThread(19));
            try {
                there.set(new int[]{WorkerPriority.currentNice(), WorkerPriority.currentPolicy()});
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        t.join();
        assertThat(problem.get()).isEmpty();
        assertThat(there.get()).containsExactly(19, WorkerPriority.SCHED_IDLE);
        assertThat(WorkerPriority.currentPolicy()).isEqualTo(policyBefore).isZero();
    }

    @Test
    void below_nice_19_the_policy_stays_the_normal_one() throws Exception {
        AtomicReference<Integer> policy = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            WorkerPriority.lowerCurrentThread(18);
            try {
                policy.set(WorkerPriority.currentPolicy());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        t.join();
        assertThat(policy.get()).isZero();
    }

    @Test
    void nice_zero_changes_nothing() {
        assertThat(WorkerPriority.lowerCurrentThread(0)).isEmpty();
    }
}
