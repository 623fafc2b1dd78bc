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
    void nice_zero_changes_nothing() {
        assertThat(WorkerPriority.lowerCurrentThread(0)).isEmpty();
    }
}
