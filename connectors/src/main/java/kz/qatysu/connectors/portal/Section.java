package kz.qatysu.connectors.portal;

import java.time.LocalDate;
import java.util.List;

/**
 * A course section: one discipline taught to a stream in one term.
 *
 * @param code           the portal section code — Moodle course {@code idnumber}, LTI {@code course_section_sourcedid}
 * @param teachers       person ids of the teachers
 * @param hours          planned contact hours
 * @param openedxCourseId the Open edX course key ({@code course-v1:Org+Course+Run}) when the section runs there, or null
 */
public record Section(String code, String discipline, String title, String term, LocalDate termStart, LocalDate termEnd,
                      String faculty, List<String> teachers, int hours, double credits, String openedxCourseId) {
    public Section {
        teachers = List.copyOf(teachers);
    }
}
