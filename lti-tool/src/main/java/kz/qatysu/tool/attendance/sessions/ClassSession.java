package kz.qatysu.tool.attendance.sessions;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * One session of a section's timetable, as uploaded. {@code start} and {@code end} keep the timetable's offset.
 *
 * @param cancelled missing from a later timetable upload: kept with its marks, counted nowhere
 */
public record ClassSession(String sessionId, OffsetDateTime start, OffsetDateTime end, String kind, int hours,
                           String room, String onlineUrl, boolean cancelled) {

    /** The longest session the timetable accepts: a longer one is a wrong date, not a class. */
    public static final Duration MAX_LENGTH = Duration.ofHours(24);

    /** Whole minutes from start to end. */
    public long durationMinutes() {
        return Duration.between(start, end).toMinutes();
    }

    /** Same timetable entry, ignoring the cancelled flag. */
    public boolean sameAs(ClassSession other) {
        return sessionId.equals(other.sessionId) && start.equals(other.start) && end.equals(other.end)
                && java.util.Objects.equals(kind, other.kind) && hours == other.hours
                && java.util.Objects.equals(room, other.room) && java.util.Objects.equals(onlineUrl, other.onlineUrl);
    }

    /** Whether the change from {@code other} can change anyone's standing (its day or its weight). */
    public boolean countsDifferentlyFrom(ClassSession other) {
        return !start.equals(other.start) || hours != other.hours || cancelled != other.cancelled;
    }
}
