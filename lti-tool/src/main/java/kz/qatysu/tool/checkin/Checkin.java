package kz.qatysu.tool.checkin;

import java.time.Instant;

/** A check-in as stored: its session and section, the code's secret and step, and the rules it was opened with. */
public record Checkin(long id, String sessionId, String sectionId, byte[] secret, int stepSeconds,
                      Instant windowStart, Instant windowEnd, IpRanges ipRanges, boolean oneDevice, int graceMinutes,
                      String openedBy, Instant openedAt, String closedBy, Instant closedAt) {

    public boolean open() {
        return closedAt == null;
    }

    public RotatingCode code() {
        return new RotatingCode(secret, stepSeconds);
    }

    public boolean withinWindow(Instant at) {
        return !at.isBefore(windowStart) && !at.isAfter(windowEnd);
    }
}
