package kz.qatysu.tool.attendance.sections;

import java.time.LocalDate;

/** A course section (the portal's section code = Moodle course idnumber = {@code lis.course_section_sourcedid}). */
public record Section(String sectionId, String title, LocalDate termStart, LocalDate termEnd) {
}
