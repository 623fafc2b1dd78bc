package kz.qatysu.sync.engine;

import java.util.List;

/**
 * One kind of record in one outside system ({@code moodle.users}, {@code qatysu.sessions}, …) and how to write it.
 * {@link #apply} gets one batch of changes that share an action and must be idempotent: after a crash the same
 * changes are planned again, so a create first looks for what an interrupted run may already have created.
 * A failure of one record is an {@link Outcome#failed} outcome; a failure of the whole system is an exception.
 */
public interface SyncTarget {

    /** {@code system.kind}, the ledger's and the reports' name for it. */
    String name();

    /** Changes per {@link #apply} call. */
    int batchSize();

    /** Whether a record gone from the source is suspended here (false: it is left as it is). */
    default boolean suspendsMissing() {
        return true;
    }

    /** Called once per run before the first batch: drop per-run caches (e.g. ids looked up in the ledger). */
    default void beginRun() {
    }

    /** Applies {@code batch} (all of {@code action}); returns one outcome per change, in any order. */
    List<Outcome> apply(Action action, List<Change> batch);
}
