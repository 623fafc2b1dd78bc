package kz.qatysu.tool.attendance.rules;

import java.util.Objects;

/**
 * One student's mark for one session.
 *
 * @param lateMinutes required (≥ 0) when {@code status} is LATE, null otherwise
 * @param reason      required (not blank) when {@code status} is EXCUSED, optional note otherwise
 */
public record Mark(String sessionId, AttendanceStatus status, Integer lateMinutes, String reason) {

    public Mark {
        if (sessionId == null || sessionId.isBlank()) {
            throw new IllegalArgumentException("sessionId is required");
        }
        Objects.requireNonNull(status, "status is required");
        if (status == AttendanceStatus.LATE) {
            if (lateMinutes == null) {
                throw new IllegalArgumentException("lateMinutes is required when status is LATE");
            }
            if (lateMinutes < 0) {
                throw new IllegalArgumentException("lateMinutes must be ≥ 0, was " + lateMinutes);
            }
        } else if (lateMinutes != null) {
            throw new IllegalArgumentException("lateMinutes is only allowed when status is LATE, status is " + status);
        }
        if (status == AttendanceStatus.EXCUSED && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("reason is required when status is EXCUSED");
        }
    }

    public static Mark present(String sessionId) {
        return new Mark(sessionId, AttendanceStatus.PRESENT, null, null);
    }

    public static Mark late(String sessionId, int minutes) {
        return new Mark(sessionId, AttendanceStatus.LATE, minutes, null);
    }

    public static Mark absent(String sessionId) {
        return new Mark(sessionId, AttendanceStatus.ABSENT, null, null);
    }

    public static Mark excused(String sessionId, String reason) {
        return new Mark(sessionId, AttendanceStatus.EXCUSED, null, reason);
    }
}
