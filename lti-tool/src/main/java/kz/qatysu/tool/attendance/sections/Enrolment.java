package kz.qatysu.tool.attendance.sections;

import java.time.LocalDate;

/**
 * One person in a section's roster.
 *
 * @param since     the day a late joiner joined; sessions before it count neither way. Null = from the start
 * @param withdrawn true once a later upload left the person out (their marks and history stay)
 */
public record Enrolment(String personId, Role role, LocalDate since, boolean withdrawn) {

    public enum Role {
        STUDENT, TEACHER;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Same role and since, ignoring the withdrawn flag. */
    public boolean sameAs(Enrolment other) {
        return role == other.role && java.util.Objects.equals(since, other.since);
    }
}
