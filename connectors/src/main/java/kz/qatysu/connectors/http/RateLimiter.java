package kz.qatysu.connectors.http;

import java.time.Duration;

/**
 * A per-target pacing limiter: requests are spaced {@code 1/rate} seconds apart (no bursts), and a target that
 * answered 429 with {@code Retry-After} is left alone by <em>every</em> thread until that moment.
 * Thread-safe; callers sleep outside the lock.
 */
public final class RateLimiter {
    private final long intervalNanos;
    private long nextFreeNanos;

    public RateLimiter(double requestsPerSecond) {
        this.intervalNanos = requestsPerSecond <= 0 ? 0 : (long) (1_000_000_000L / requestsPerSecond);
        this.nextFreeNanos = System.nanoTime();
    }

    /** Blocks until this caller may send. */
    public void acquire() throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(now, nextFreeNanos);
            nextFreeNanos = slot + intervalNanos;
            wait = slot - now;
        }
        if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait));
        }
    }

    /** Nobody sends before {@code delay} has passed (the target told us so). */
    public synchronized void pauseFor(Duration delay) {
        long until = System.nanoTime() + delay.toNanos();
        if (until > nextFreeNanos) {
            nextFreeNanos = until;
        }
    }
}
