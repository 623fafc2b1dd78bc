package kz.qatysu.tool.checkin;

import java.time.Instant;

/** One attempt to check in, as the teacher sees it. {@code reason} is {@code ACCEPTED} or a {@link Refusal} name. */
public record Attempt(long id, Long checkinId, String personId, boolean accepted, String reason, String status,
                      Integer lateMinutes, String ip, Instant at) {
}
