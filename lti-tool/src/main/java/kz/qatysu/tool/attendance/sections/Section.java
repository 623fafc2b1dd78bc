package kz.qatysu.tool.attendance.sections;

import java.time.LocalDate;

/**
 * A course section (the portal's section code = Moodle course idnumber = {@code lis.course_section_sourcedid}).
 *
 * @param faculty the faculty (school, department) code the section belongs to, as the sync daemon sends it; the
 *                dean's office of that faculty sees the section. Null = not sent (an upload without it keeps the
 *                stored one)
 */
public record Section(String sectionId, String title, LocalDate termStart, LocalDate termEnd, String faculty) {
    public Section(String sectionId, String title, LocalDate termStart, LocalDate termEnd) {
        this(sectionId, title, termStart, termEnd, null);
    }
}
