package kz.qatysu.tool.attendance;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

import java.util.Objects;

/**
 * The one way attendance data is written: a single transaction that first takes a PostgreSQL advisory
 * transaction lock. Holding it until commit makes the change feed's sequence numbers commit in order, so a
 * reader paging with {@code since=n} never skips a change that commits late with a smaller number. Attendance
 * writes are short (one upload of one section or session), so serialising them costs little.
 */
public final class AttendanceWrites {
    /** An arbitrary constant naming the lock ("QATY"). */
    private static final long FEED_LOCK = 0x51415459L;

    private final Jdbi jdbi;

    public AttendanceWrites(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    public <R> R inTransaction(HandleCallback<R, RuntimeException> work) {
        return jdbi.inTransaction(h -> {
            lock(h);
            return work.withHandle(h);
        });
    }

    private static void lock(Handle h) {
        h.createQuery("SELECT 1 FROM pg_advisory_xact_lock(:key)").bind("key", FEED_LOCK).mapTo(Integer.class).one();
    }

    public Jdbi jdbi() {
        return jdbi;
    }
}
