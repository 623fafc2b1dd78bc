package kz.qatysu.tool.attendance.sessions;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * One session of a section's timetable, as uploaded. {@code start} and {@code end} keep the timetable's offset.
 *
 * @param cancelled missing from a later timetable upload: kept with its marks, counted nowhere
 * @param group     the academic group the session is for (a seminar of {@code ИС-24-2}), or null for the whole
 *                  section: a group session counts, is marked and is checked in to only by that group's students
 */
public record ClassSession(String sessionId, OffsetDateTime start, OffsetDateTime end, String kind, int hours,
                           String room, String onlineUrl, boolean cancelled, String group) {

    /** The longest session the timetable accepts: a longer one is a wrong date, not a class. */
    public static final Duration MAX_LENGTH = Duration.ofHours(24);

    /** A session of the whole section. */
    public ClassSession(String sessionId, OffsetDateTime start, OffsetDateTime end, String kind, int hours,
                        String room, String onlineUrl, boolean cancelled) {
        this(sessionId, start, end, kind, hours, room, onlineUrl, cancelled, null);
    }

    /** Whether the session is for a student of {@code academicGroup} (null = unknown): see {@code PlannedSession#appliesTo}. */
    public boolean appliesTo(String academicGroup) {
        return group == null || group.equals(academicGroup);
    }

    /** Whole minutes from start to end. */
    public long durationMinutes() {
        return Duration.between(start, end).toMinutes();
    }

    /** Same timetable entry, ignoring the cancelled flag. */
    public boolean sameAs(ClassSession other) {
        return sessionId.equals(other.sessionId) && start.equals(other.start) && end.equals(other.end)
                && java.util.Objects.equals(kind, other.kind) && hours == other.hours
                && java.util.Objects.equals(room, other.room) && java.util.Objects.equals(onlineUrl, other.onlineUrl)
                && java.util.Objects.equals(group, other.group);
    }

    /** Whether the change from {@code other} can change anyone's standing (its day, its weight or whom it is for). */
    public boolean countsDifferentlyFrom(ClassSession other) {
        return !start.equals(other.start) || hours != other.hours || cancelled != other.cancelled
                || !java.util.Objects.equals(group, other.group);
    }
}
