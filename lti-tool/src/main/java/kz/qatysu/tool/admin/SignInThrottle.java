package kz.qatysu.tool.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing the admin token: every failed sign-in costs the client a short wait, and
 * {@value #MAX_FAILURES} failures from one address within {@code WINDOW} lock that address out for
 * {@code LOCKOUT} (the right token included). Kept in memory: per instance, reset by a restart.
 */
public final class SignInThrottle {
    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final Duration LOCKOUT = Duration.ofMinutes(15);
    static final Duration FAILURE_DELAY = Duration.ofMillis(300);

    private final Clock clock;
    private final ConcurrentHashMap<String, Failures> byAddress = new ConcurrentHashMap<>();

    public SignInThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long the address stays locked out, or null when it is not. */
    public Duration lockedFor(String address) {
        Failures f = byAddress.get(address);
        Instant now = clock.instant();
        return f != null && f.lockedUntil != null && f.lockedUntil.isAfter(now) ? Duration.between(now, f.lockedUntil) : null;
    }

    public void failed(String address) {
        Instant now = clock.instant();
        byAddress.compute(address, (a, f) -> {
            if (f == null || f.windowStart.plus(WINDOW).isBefore(now) || (f.lockedUntil != null && !f.lockedUntil.isAfter(now))) {
                f = new Failures(now, 0, null);
            }
            int count = f.count + 1;
            return new Failures(f.windowStart, count, count >= MAX_FAILURES ? now.plus(LOCKOUT) : null);
        });
        if (byAddress.size() > 10_000) {
            byAddress.entrySet().removeIf(e -> e.getValue().windowStart.plus(WINDOW.plus(LOCKOUT)).isBefore(now));
        }
        try {
            Thread.sleep(FAILURE_DELAY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void succeeded(String address) {
        byAddress.remove(address);
    }

    private record Failures(Instant windowStart, int count, Instant lockedUntil) {
    }
}
