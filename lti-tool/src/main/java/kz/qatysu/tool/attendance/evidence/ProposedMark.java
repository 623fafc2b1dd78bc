package kz.qatysu.tool.attendance.evidence;

import kz.qatysu.tool.attendance.rules.AttendanceStatus;
import kz.qatysu.tool.attendance.rules.Mark;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * What the videoconference evidence suggests for one person in one session. A proposal only: the teacher confirms
 * or edits it, and only then does it become a {@link Mark} ({@link #toMark}).
 *
 * @param status         PRESENT, LATE or ABSENT (evidence never proposes EXCUSED)
 * @param lateMinutes    only for LATE: minutes from the scheduled start to the first join, a started minute counted
 *                       whole (20 min 1 s → 21), so the "later than 20 minutes is an absence" rule sees the truth
 * @param minutesPresent merged presence inside the class window, seconds / 60, rounded down to 2 decimals
 * @param firstJoin      first moment present inside the window, null when never present in it
 * @param explanation    one English sentence a teacher can read to see why
 */
public record ProposedMark(String personId, AttendanceStatus status, Integer lateMinutes, BigDecimal minutesPresent,
                           Instant firstJoin, String explanation) {

    public ProposedMark {
        Objects.requireNonNull(personId, "personId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(minutesPresent, "minutesPresent");
        if (status == AttendanceStatus.EXCUSED) {
            throw new IllegalArgumentException("evidence never proposes EXCUSED");
        }
        if ((status == AttendanceStatus.LATE) != (lateMinutes != null)) {
            throw new IllegalArgumentException("lateMinutes is set exactly when status is LATE, status " + status
                    + ", lateMinutes " + lateMinutes);
        }
    }

    /** The mark the teacher gets when confirming this proposal unchanged. */
    public Mark toMark(String sessionId) {
        return new Mark(sessionId, status, lateMinutes, null);
    }
}
