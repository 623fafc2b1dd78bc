package kz.qatysu.connectors.portal;

import java.time.LocalDate;

/** A person in a section with a role; {@code since} (nullable) is when a late-enrolled student joined. */
public record Enrolment(String sectionCode, String personId, Role role, LocalDate since) {
    public enum Role { STUDENT, TEACHER, ASSISTANT }

    public String key() {
        return sectionCode + "/" + personId;
    }
}
