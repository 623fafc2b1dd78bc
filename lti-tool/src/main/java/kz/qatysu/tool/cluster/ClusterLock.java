package kz.qatysu.tool.cluster;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A job that must run on one node at a time, whichever node's timer fires (several tool nodes on one PostgreSQL):
 * a PostgreSQL session advisory lock held on a connection of its own while the job runs. A node that finds it taken
 * skips its turn (the holder is doing the work). The lock is the connection's: when a node dies, even by
 * {@code kill -9}, its connection closes and PostgreSQL releases the lock, so no lease has to time out and a slow pass
 * can never overlap another node's. Needs a session-level connection to PostgreSQL (direct, or PgBouncer in
 * session mode; not transaction pooling).
 *
 * <p>Keys are the two-int form {@code (0x51415459 "QATY", hash of the name)}: a space apart from the single-bigint
 * keys of the attendance writes' transaction locks.
 */
public final class ClusterLock {
    static final int NAMESPACE = 0x51415459;

    private final Jdbi jdbi;
    private final String name;
    private final int key;

    public ClusterLock(Jdbi jdbi, String name) {
        this.jdbi = jdbi;
        this.name = name;
        this.key = keyOf(name);
    }

    /** Runs {@code work} holding the lock; empty when another node (or thread) holds it now. */
    public <T> Optional<T> runIfFree(Supplier<T> work) {
        try (Handle h = jdbi.open()) {
            boolean taken = h.createQuery("SELECT pg_try_advisory_lock(:ns, :key)").bind("ns", NAMESPACE).bind("key", key)
                    .mapTo(Boolean.class).one();
            if (!taken) {
                return Optional.empty();
            }
            try {
                return Optional.ofNullable(work.get());
            } finally {
                h.createQuery("SELECT pg_advisory_unlock(:ns, :key)").bind("ns", NAMESPACE).bind("key", key)
                        .mapTo(Boolean.class).one();
            }
        }
    }

    public String name() {
        return name;
    }

    static int keyOf(String name) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return ((d[0] & 0xff) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
