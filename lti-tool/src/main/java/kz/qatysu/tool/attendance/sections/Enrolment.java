package kz.qatysu.tool.attendance.sections;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One person in a section's roster.
 *
 * @param since     the day a late joiner joined; sessions before it count neither way. Null = from the start
 * @param group     the student's academic group code (e.g. {@code ИС-21-1}) as the roster upload sent it; null = unknown
 * @param withdrawn true once a later upload left the person out (their marks and history stay)
 */
public record Enrolment(String personId, Role role, LocalDate since, String group, boolean withdrawn) {
    /** The longest academic group code the API accepts (and the column allows). */
    public static final int MAX_GROUP = 64;

    /** An enrolment whose academic group is unknown (launch-time enrolments of local sections). */
    public Enrolment(String personId, Role role, LocalDate since, boolean withdrawn) {
        this(personId, role, since, null, withdrawn);
    }

    public enum Role {
        STUDENT, TEACHER;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Same role, since and group, ignoring the withdrawn flag. */
    public boolean sameAs(Enrolment other) {
        return role == other.role && Objects.equals(since, other.since) && Objects.equals(group, other.group);
    }
}
