package kz.qatysu.sync.engine;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.Optional;

/**
 * A PostgreSQL advisory lock per job, held on its own connection for the length of a run, so no two runs of one job
 * overlap — whether started by the scheduler on any cluster node or by {@code sync run} from a shell. When a process
 * dies, PostgreSQL ends its session and the lock goes with it.
 */
public final class JobLock implements AutoCloseable {
    private final Handle handle;
    private final long key;

    private JobLock(Handle handle, long key) {
        this.handle = handle;
        this.key = key;
    }

    private static long key(String job) {
        return ("qatysu-sync:" + job).hashCode() | 0x5159_0000_0000_0000L;
    }

    /**
     * Whether some session (any node, any shell) holds the job's lock now — read from {@code pg_locks}, without
     * taking the lock, so asking never makes a starting run see LOCKED.
     */
    public static boolean held(Jdbi jdbi, String job) {
        long key = key(job);
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
                                       AND classid::bigint = :hi AND objid::bigint = :lo)""")
                .bind("hi", key >>> 32).bind("lo", key & 0xFFFF_FFFFL).mapTo(Boolean.class).one());
    }

    public static Optional<JobLock> tryAcquire(Jdbi jdbi, String job) {
        long key = key(job);
        Handle h = jdbi.open();
        try {
            boolean got = h.createQuery("SELECT pg_try_advisory_lock(:key)").bind("key", key).mapTo(Boolean.class).one();
            if (got) {
                return Optional.of(new JobLock(h, key));
            }
            h.close();
            return Optional.empty();
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            handle.createQuery("SELECT pg_advisory_unlock(:key)").bind("key", key).mapTo(Boolean.class).one();
        } finally {
            handle.close(); // the pool keeps the connection; the unlock above is what frees the job
        }
    }
}
