package kz.qatysu.tool.attendance.evidence;

import java.time.Instant;

/**
 * One stretch of a person's presence in an online session, as a videoconference reported it (one BigBlueButton
 * join/leave pair, one Zoom participant row). Several intervals of one person — reconnects, two devices — are
 * normal; {@link PresenceEvidence} merges them. Checked by {@link PresenceEvidence}, so that an error can name the
 * person and the values.
 */
public record Interval(String personId, Instant join, Instant leave) {
}
