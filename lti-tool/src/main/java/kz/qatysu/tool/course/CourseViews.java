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
                             boolean cancelled, boolean teacherCreated, int marked, String when, String group,
                             String markedBy, String markedAt) {

        /** A held session that is over and has no mark at all: the teacher's home counts and highlights it. */
        public boolean unmarkedPast() {
            return when.equals("past") && !cancelled && marked == 0;
        }
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

    /**
     * One student of the section (marking grid or the teacher's standing table); {@code status} "" = unmarked. On the
     * grid also: {@code version} the mark's version the row was read at (0 = no mark), {@code original} the mark as read
     * (a row the teacher left as read is not written), {@code conflict} when someone else saved the mark meanwhile, and
     * whether the row is {@code selected} for "set for the selected rows".
     */
    public record StudentRow(int index, String personId, String name, String status, String lateMinutes, String reason,
                             StandingView standing, long version, GridMark original, ConflictView conflict,
                             boolean selected) {

        public StudentRow(int index, String personId, String name, String status, String lateMinutes, String reason,
                          StandingView standing) {
            this(index, personId, name, status, lateMinutes, reason, standing, 0, GridMark.NONE, null, false);
        }
    }

    /** A mark as the grid's fields hold it, as text; {@code status} "" = no mark. */
    public record GridMark(String status, String lateMinutes, String reason) {
        public static final GridMark NONE = new GridMark("", "", "");

        /**
         * The mark in one form field: {@code STATUS;minutes;reason}, "" for no mark (never just the status, so a
         * script selecting a row's {@code input[value=ABSENT]} finds the radio button, not this field).
         */
        public String encoded() {
            return status.isEmpty() ? "" : status + ";" + lateMinutes + ";" + reason;
        }

        /** {@link #encoded} read back; the reason is everything after the second {@code ;}. */
        public static GridMark decode(String text) {
            String[] parts = text == null ? new String[0] : text.split(";", 3);
            return parts.length < 3 ? NONE : new GridMark(parts[0].strip(), parts[1].strip(), parts[2].strip());
        }

        /** The same mark: status, the minutes when LATE, the reason (blank = none). */
        public boolean sameAs(String status, String lateMinutes, String reason) {
            return this.status.equals(status)
                    && (!"LATE".equals(status) || this.lateMinutes.strip().equals(lateMinutes.strip()))
                    && this.reason.strip().equals(reason.strip());
        }
    }

    /**
     * A grid row whose mark someone else saved after the teacher's grid was read: what the teacher wants
     * ({@code yours}), what is stored ({@code theirs}, by whom, when), and the teacher's choice so far ({@code theirs},
     * {@code mine} or "" = not chosen yet).
     */
    public record ConflictView(String yours, String theirs, String by, String at, String choice) {
    }

    /**
     * What needs the teacher's attention first on the course home: students near or over the limit ({@code atRisk},
     * worst first) and held sessions that are over and nobody marked ({@code unmarked}, oldest first).
     */
    public record Attention(List<StudentRow> atRisk, List<SessionRow> unmarked) {
        public static final Attention NONE = new Attention(List.of(), List.of());

        public boolean any() {
            return !atRisk.isEmpty() || !unmarked.isEmpty();
        }
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
                           StandingView standing, List<OwnMark> marks, String notice, Attention attention) {

        /** The deep-linked resource names the page: the exam gate, else attendance. */
        public String headingKey() {
            return "course.heading." + (session.resource().filter("exam-gate"::equals).isPresent() ? "exam-gate" : "attendance");
        }
    }

    /**
     * The marking grid of one session; {@code evidence}: online evidence beside each student, when there is any;
     * {@code copyUrl}: the grid filled from the previous marked session (null when there is none); {@code bulkStatus}:
     * the status the "set for all / selected" tool offers first; {@code conflicts}: rows to decide (409 answers).
     */
    public record MarkingPage(Messages t, ToolSession session, String base, String csrf, SessionRow classSession,
                              List<StudentRow> rows, List<String> errors, String notice,
                              kz.qatysu.tool.attendance.evidence.EvidenceViews.Summary evidence, String copyUrl,
                              String bulkStatus, int conflicts) {

        public static final List<String> STATUSES = List.of("PRESENT", "LATE", "ABSENT", "EXCUSED");
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
