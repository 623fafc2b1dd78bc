package kz.qatysu.tool.proctoring.results;

import kz.qatysu.tool.proctoring.ProctoringFixture;
import kz.qatysu.tool.proctoring.attempts.Attempt;
import kz.qatysu.tool.proctoring.attempts.Verdict;
import kz.qatysu.tool.proctoring.exams.Exam;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The verdicts feed: every decision once, in commit order, read with a cursor that never skips a late commit. */
class VerdictFeedTest {
    @TempDir
    Path dir;
    ProctoringFixture f;
    VerdictFeed feed;
    Exam exam;

    @BeforeEach
    void start() {
        f = new ProctoringFixture(dir);
        feed = new VerdictFeed(f.db.jdbi());
        exam = f.exam("ex-verdicts", "S-1", Exam.Checks.NONE);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    Attempt consented(String person) {
        return f.attempts.consent(f.attempts.open(exam, person).id());
    }

    @Test
    void each_decision_is_an_entry_and_a_changed_verdict_appears_again_after_the_cursor() {
        Attempt a = consented("P-1");
        Attempt b = consented("P-2");
        f.attempts.decide(a.id(), Verdict.Outcome.SUSPICIOUS, "second voice", "proctor:P-77");
        f.attempts.decide(b.id(), Verdict.Outcome.CLEAN, "", "proctor:P-77");
        List<VerdictFeed.Entry> first = feed.after(0, 10);
        assertThat(first).extracting(VerdictFeed.Entry::personId, VerdictFeed.Entry::verdict)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("P-1", "SUSPICIOUS"), org.assertj.core.groups.Tuple.tuple("P-2", "CLEAN"));
        assertThat(first.get(0).examTitle()).isNotBlank();
        assertThat(first.get(0).sectionId()).isEqualTo("S-1");
        long cursor = first.getLast().seq();
        assertThat(feed.after(cursor, 10)).isEmpty();
        f.attempts.decide(a.id(), Verdict.Outcome.VIOLATION, "a phone", "proctor:P-78");
        assertThat(feed.after(cursor, 10)).singleElement().satisfies(e -> {
            assertThat(e.attemptId()).isEqualTo(a.id());
            assertThat(e.verdict()).isEqualTo("VIOLATION");
            assertThat(e.comment()).isEqualTo("a phone");
        });
        assertThat(feed.after(0, 1)).hasSize(1);
    }

    @Test
    void a_cursor_that_names_no_decision_is_refused() {
        assertThatThrownBy(() -> feed.after(987654, 10)).isInstanceOf(VerdictFeed.UnknownCursor.class);
    }

    @Test
    void a_decision_committing_late_is_not_returned_before_it_commits_and_never_skipped() throws Exception {
        Attempt a = consented("P-1");
        Attempt b = consented("P-2");
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread slow = new Thread(() -> f.db.jdbi().useTransaction(h -> {
            h.createUpdate("""
                    INSERT INTO proctoring_verdict_history (attempt_id, verdict, comment, decided_by, decided_at)
                    VALUES (:a, 'CLEAN', '', 'proctor:slow', now())""").bind("a", a.id()).execute();
            written.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        slow.start();
        assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
        f.attempts.decide(b.id(), Verdict.Outcome.SUSPICIOUS, "looked away", "proctor:fast");
        // the slow transaction holds the horizon back: the later commit is not returned yet, so the cursor cannot pass it
        assertThat(feed.after(0, 10)).isEmpty();
        release.countDown();
        slow.join();
        assertThat(feed.after(0, 10)).extracting(VerdictFeed.Entry::decidedBy).containsExactly("proctor:slow", "proctor:fast");
    }
}
