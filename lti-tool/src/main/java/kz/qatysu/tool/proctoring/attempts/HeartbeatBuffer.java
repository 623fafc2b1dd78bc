package kz.qatysu.tool.proctoring.attempts;

import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The monitoring windows' last-seen times on this node, written to {@code proctoring_attempt.last_heartbeat_at} in one
 * statement every flush interval instead of one committed UPDATE per heartbeat (80 a second at 400 examinees, each a
 * synchronous commit). The database stays the one truth every node reads (the sweeper and the gap checks), behind by at
 * most one flush interval, which they take as slack; a crash loses at most one interval of last-seen times (a window
 * that keeps beating writes its time again at the next flush, so the worst case is a late HEARTBEAT_GAP, never a lost
 * event or a false one).
 */
final class HeartbeatBuffer {
    private final Jdbi jdbi;
    private final ConcurrentHashMap<String, Instant> lastSeen = new ConcurrentHashMap<>();

    HeartbeatBuffer(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Remembers a heartbeat (a later time wins: heartbeats of one window may be answered out of order). */
    void seen(String attemptId, Instant at) {
        lastSeen.merge(attemptId, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** The last heartbeat this node heard and has not flushed yet. */
    Optional<Instant> pending(String attemptId) {
        return Optional.ofNullable(lastSeen.get(attemptId));
    }

    /** Forgets what a synchronous write has just stored (or superseded). */
    void written(String attemptId, Instant at) {
        lastSeen.computeIfPresent(attemptId, (id, t) -> t.isAfter(at) ? t : null);
    }

    int size() {
        return lastSeen.size();
    }

    /**
     * Writes the pending last-seen times in one transaction: the rows locked in id order (two nodes flushing the same
     * windows cannot deadlock), then one UPDATE that never moves a time backwards and clears {@code silent_since} as a
     * heartbeat does (when the heartbeat came after the silence began). What was written is forgotten unless a newer heartbeat came meanwhile; on failure everything
     * stays for the next flush. Returns how many attempts were written.
     */
    int flush() {
        if (lastSeen.isEmpty()) {
            return 0;
        }
        Map<String, Instant> batch = new TreeMap<>(lastSeen);
        List<String> ids = new ArrayList<>(batch.keySet());
        List<String> ats = batch.values().stream().map(Instant::toString).toList();
        jdbi.useTransaction(h -> {
            h.createQuery("SELECT id FROM proctoring_attempt WHERE id = ANY(:ids) ORDER BY id FOR UPDATE")
                    .bindArray("ids", String.class, ids).mapTo(String.class).list();
            h.createUpdate("""
                            UPDATE proctoring_attempt a
                            SET last_heartbeat_at = GREATEST(a.last_heartbeat_at, v.at),
                                silent_since = CASE WHEN a.silent_since < v.at THEN NULL ELSE a.silent_since END
                            FROM unnest(CAST(:ids AS text[]), CAST(:ats AS timestamptz[])) AS v(id, at)
                            WHERE a.id = v.id""")
                    .bindArray("ids", String.class, ids).bindArray("ats", String.class, ats).execute();
        });
        batch.forEach(lastSeen::remove);
        return batch.size();
    }
}
