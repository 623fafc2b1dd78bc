package kz.qatysu.tool.attendance.rules;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * One class session of the section's timetable.
 *
 * <p>{@code start} is at the offset of the institution's zone ({@code ui.timeZone}; the repository converts what the
 * timetable was sent in), so {@link #date()} is the calendar day the students see, whatever zone the server runs in
 * and whatever offset the portal used.
 *
 * @param hours     academic hours (a 50-minute period = 1, the default); at least 1
 * @param cancelled a session missing from a later timetable upload; it leaves the denominator and
 *                  any marks on it are kept but not counted
 * @param group     the academic group the session is for (a seminar of {@code ИС-24-2}), or null for the whole
 *                  section: a group session counts only for that group's students ({@link #appliesTo})
 */
public record PlannedSession(String sessionId, OffsetDateTime start, int hours, boolean cancelled, String group) {

    public PlannedSession {
        if (sessionId == null || sessionId.isBlank()) {
            throw new IllegalArgumentException("sessionId is required");
        }
        Objects.requireNonNull(start, "start is required");
        if (hours < 1) {
            throw new IllegalArgumentException("hours must be ≥ 1, was " + hours + " (session " + sessionId + ")");
        }
        if (group != null && group.isBlank()) {
            throw new IllegalArgumentException("group must be null or a group code, was blank (session " + sessionId + ")");
        }
    }

    /** A session of the whole section. */
    public PlannedSession(String sessionId, OffsetDateTime start, int hours, boolean cancelled) {
        this(sessionId, start, hours, cancelled, null);
    }

    /** A one-hour session that takes place. */
    public static PlannedSession of(String sessionId, OffsetDateTime start) {
        return new PlannedSession(sessionId, start, 1, false);
    }

    public static PlannedSession of(String sessionId, OffsetDateTime start, int hours) {
        return new PlannedSession(sessionId, start, hours, false);
    }

    public PlannedSession asCancelled() {
        return new PlannedSession(sessionId, start, hours, true, group);
    }

    /** The same session for one academic group only. */
    public PlannedSession forGroup(String academicGroup) {
        return new PlannedSession(sessionId, start, hours, cancelled, academicGroup);
    }

    /**
     * Whether the session counts for a student of {@code academicGroup} (null = the student's group is unknown):
     * a session without a group counts for everyone, a group session only for that group's students.
     */
    public boolean appliesTo(String academicGroup) {
        return group == null || group.equals(academicGroup);
    }

    /** The calendar day at {@code start}'s offset: the institution's day (see the class comment). */
    public LocalDate date() {
        return start.toLocalDate();
    }
}
