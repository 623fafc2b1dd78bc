package kz.qatysu.tool.checkin;

import java.time.Instant;

/**
 * What a teacher chooses when opening a check-in.
 *
 * @param windowStart null: the session start − 10 minutes
 * @param windowEnd   null: the session end
 */
public record CheckinOptions(int stepSeconds, Instant windowStart, Instant windowEnd, IpRanges ipRanges,
                             boolean oneDevice, int graceMinutes) {
    public static final int DEFAULT_STEP_SECONDS = 30;
    public static final int DEFAULT_GRACE_MINUTES = 5;
    public static final int DEFAULT_OPENS_BEFORE_MINUTES = 10;

    public CheckinOptions {
        if (stepSeconds < 10 || stepSeconds > 600) {
            throw new IllegalArgumentException("stepSeconds must be 10…600, was " + stepSeconds);
        }
        if (graceMinutes < 0 || graceMinutes > 60) {
            throw new IllegalArgumentException("graceMinutes must be 0…60, was " + graceMinutes);
        }
        if (windowStart != null && windowEnd != null && !windowEnd.isAfter(windowStart)) {
            throw new IllegalArgumentException("windowEnd must be after windowStart");
        }
    }

    public static CheckinOptions defaults() {
        return new CheckinOptions(DEFAULT_STEP_SECONDS, null, null, IpRanges.none(), false, DEFAULT_GRACE_MINUTES);
    }
}
