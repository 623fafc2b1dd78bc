package kz.qatysu.tool.course;

import kz.qatysu.tool.attendance.rules.Standing;
import kz.qatysu.tool.attendance.rules.StandingState;
import kz.qatysu.tool.attendance.standing.StandingTexts;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.web.Messages;

import java.util.List;

/** The typed page records of the course templates ({@code src/main/jte/course/}), and the rows they show. */
public final class CourseViews {
    private CourseViews() {
    }

    /**
     * One class session as listed. {@code when}: {@code current} (under way now), {@code next} (the first one to
     * come), {@code past} or {@code future}. {@code group}: the academic group a group session is for, else null.
     */
    public record SessionRow(String id, String url, String date, String time, String kind, String room, int hours,
                             boolean cancelled, boolean teacherCreated, int marked, String when, String group) {
    }

    /**
     * A student's standing as shown: share in percent, state, the hours left to miss, and the standing itself for the
     * shared story ({@code standing/story.jte}: computed state, reason, the dean's-office decision, who and why).
     */
    public record StandingView(String share, StandingState state, StandingState computedState, int budget,
                               int plannedHours, int unexcusedHours, Standing standing) {

        static StandingView of(Standing s) {
            return new StandingView(StandingTexts.percent(s.absenceShare()), s.state(), s.computedState(),
                    s.absenceBudget(), s.plannedHours(), s.unexcusedHours(), s);
        }

        public boolean overridden() {
            return standing.override().isPresent();
        }

        /** What the state badge says: the dean's-office decision when there is one, else the state's one name. */
        public String badge(Messages t) {
            return StandingTexts.badge(t, standing);
        }
    }

    /** One student of the section (marking grid or the teacher's standing table); {@code status} "" = unmarked. */
    public record StudentRow(int index, String personId, String name, String status, String lateMinutes, String reason,
                             StandingView standing) {
    }

    /** A student's own mark of one session; {@code status} null = not marked. */
    public record OwnMark(String date, String time, String kind, boolean cancelled, String status, Integer lateMinutes,
                          String reason) {
    }

    /**
     * The course home. {@code view}: {@code teacher}, {@code student} or {@code guest}. For a teacher {@code focus}
     * is the current or next session (null when none), {@code sessions} the whole timetable and {@code students}
     * the roster with standing, worst first. For a student {@code standing} (null when not on the roster) and
     * {@code marks}.
     */
    public record HomePage(Messages t, ToolSession session, String base, String sectionId, String view,
                           boolean sectionExists, SessionRow focus, List<SessionRow> sessions, List<StudentRow> students,
                           StandingView standing, List<OwnMark> marks, String notice) {

        /** The deep-linked resource names the page: the exam gate, else attendance. */
        public String headingKey() {
            return "course.heading." + (session.resource().filter("exam-gate"::equals).isPresent() ? "exam-gate" : "attendance");
        }
    }

    /** The marking grid of one session; {@code evidence}: online evidence beside each student, when there is any. */
    public record MarkingPage(Messages t, ToolSession session, String base, String csrf, SessionRow classSession,
                              List<StudentRow> rows, List<String> errors, String notice,
                              kz.qatysu.tool.attendance.evidence.EvidenceViews.Summary evidence) {
    }

    /**
     * What the teacher typed into the new-session form, as text (kept when the form comes back with errors).
     * {@code group}: "" for the whole section, else one of the section's academic groups.
     */
    public record SessionForm(String date, String start, String duration, String hours, String kind, String room,
                              String repeat, String group) {
    }

    /** @param groups the academic groups of the section's students, for a group session ("" = the whole section) */
    public record NewSessionsPage(Messages t, ToolSession session, String base, String csrf, SessionForm form,
                                  List<String> kinds, List<String> groups, List<String> errors) {
    }
}
