package kz.qatysu.tool.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that stands still unless a test moves it, so deadlines, code steps and lateness do not depend on how long
 * a test takes. {@link #reset()} sets it to the real time, close enough for launch tokens (iat/exp within the skew).
 * (For "the real time plus an offset" see {@link MovableClock}.)
 */
public final class SteppedClock extends Clock {
    private volatile Instant now;

    /** Standing at the real time now. */
    public SteppedClock() {
        this(Instant.now());
    }

    public SteppedClock(Instant start) {
        this.now = start;
    }

    public void reset() {
        now = Instant.now();
    }

    /**
     * Back to the real time now, truncated: for a test whose set-up took long on a loaded machine before its first
     * launch (the platform signs {@code iat} with the real time, which the tool checks against this clock).
     */
    public void reset(java.time.temporal.ChronoUnit unit) {
        now = Instant.now().truncatedTo(unit);
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
