package kz.qatysu.tool.attendance.sessions;

import java.time.OffsetDateTime;

/**
 * One session of a section's timetable, as uploaded. {@code start} and {@code end} keep the timetable's offset.
 *
 * @param cancelled missing from a later timetable upload: kept with its marks, counted nowhere
 */
public record ClassSession(String sessionId, OffsetDateTime start, OffsetDateTime end, String kind, int hours,
                           String room, String onlineUrl, boolean cancelled) {

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
