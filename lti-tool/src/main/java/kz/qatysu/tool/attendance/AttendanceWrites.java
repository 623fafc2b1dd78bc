package kz.qatysu.tool.attendance;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one way attendance data is written: a transaction that first takes the PostgreSQL advisory transaction lock
 * of each section it writes, held until commit. Writes to one section (its roster, timetable, marks, standing,
 * excuses) queue behind each other; writes to different sections run side by side.
 * <p>
 * A lock's key is derived from the section id ({@link #key}); two ids with the same key only share a queue. A write
 * that touches several sections takes their locks up front, ordered by key, so two such writes never wait on each
 * other in a cycle. Locks are taken before anything is written, so the transaction's id (which the change feed
 * records) is assigned only once it holds them: of two writes to one section, the later one has the larger id.
 * The change feed ({@code ChangeFeed}) needs no lock of its own: a reader only returns entries of transactions
 * that have ended, in transaction order.
 */
public final class AttendanceWrites {
    private final Jdbi jdbi;

    public AttendanceWrites(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    /** A transaction holding the lock of {@code sectionId}. */
    public <R> R inSection(String sectionId, HandleCallback<R, RuntimeException> work) {
        return inSections(List.of(sectionId), work);
    }

    /** A transaction holding the locks of all {@code sectionIds}, taken in key order. */
    public <R> R inSections(Collection<String> sectionIds, HandleCallback<R, RuntimeException> work) {
        List<Long> keys = sectionIds.stream().map(AttendanceWrites::key).distinct().sorted().toList();
        return jdbi.inTransaction(h -> {
            for (long key : keys) {
                lockKey(h, key);
            }
            return work.withHandle(h);
        });
    }

    /**
     * A transaction holding the lock of the section that {@code locate} finds inside it (e.g. the section of a session
     * or of an excuse): found, locked, and found again, until it stands still — a course mapping may move sessions and
     * excuses to another section while this write waits. When {@code locate} finds nothing the work runs without a
     * lock (it refuses the request, as there is nothing to write to).
     */
    public <R> R inSectionOf(Function<Handle, Optional<String>> locate, HandleCallback<R, RuntimeException> work) {
        return jdbi.inTransaction(h -> {
            lockWhere(h, locate);
            return work.withHandle(h);
        });
    }

    /**
     * On a handle already in an attendance transaction: locks the section {@code locate} finds (see
     * {@link #inSectionOf}); a lock this transaction holds already is taken again at once.
     *
     * @return the section, once locked
     */
    public static Optional<String> lockWhere(Handle h, Function<Handle, Optional<String>> locate) {
        Optional<String> found = locate.apply(h);
        for (int moves = 0; found.isPresent() && moves < 100; moves++) {
            lockKey(h, key(found.get()));
            Optional<String> again = locate.apply(h);
            if (again.equals(found)) {
                return found;
            }
            found = again;
        }
        if (found.isPresent()) {
            throw new IllegalStateException("the section of this write kept moving: " + found.get());
        }
        return found;
    }

    /** On a handle already in an attendance transaction: locks {@code sectionId} (at once if this transaction has it). */
    public static void lock(Handle h, String sectionId) {
        lockKey(h, key(sectionId));
    }

    /** The advisory lock key of a section: the first 8 bytes of the SHA-256 of its id. */
    public static long key(String sectionId) {
        Objects.requireNonNull(sectionId, "sectionId");
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sectionId.getBytes(StandardCharsets.UTF_8));
            long k = 0;
            for (int i = 0; i < 8; i++) {
                k = (k << 8) | (d[i] & 0xff);
            }
            return k;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void lockKey(Handle h, long key) {
        h.createQuery("SELECT 1 FROM pg_advisory_xact_lock(:key)").bind("key", key).mapTo(Integer.class).one();
    }

    public Jdbi jdbi() {
        return jdbi;
    }
}
