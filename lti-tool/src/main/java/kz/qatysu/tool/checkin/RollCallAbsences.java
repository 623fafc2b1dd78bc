package kz.qatysu.tool.checkin;

import kz.qatysu.tool.attendance.rules.AttendanceStatus;
import kz.qatysu.tool.attendance.rules.Mark;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Roll-call non-responders as proposed absences, like the online-evidence proposals: a student of the session who
 * answered none of its finished roll calls is proposed ABSENT. A proposal only — it becomes a mark when the teacher
 * ticks it and takes it, and a mark set differently meanwhile is never replaced unless the teacher ticks that row
 * again. A student who answered at least one roll call was there; whether they left is the teacher's call. Pure.
 */
public final class RollCallAbsences {
    private RollCallAbsences() {
    }

    /** How the proposal compares with the mark stored now. */
    public enum Agreement {
        /** no mark yet: ticked by default, taking it marks ABSENT */
        UNMARKED,
        /** already ABSENT: nothing to take */
        SAME,
        /** the teacher (or check-in, or an excuse) set something else: replaced only when the teacher ticks the row */
        DIFFERENT
    }

    /**
     * One non-responder.
     *
     * @param finished how many roll calls of the session had finished (all of them unanswered by this student)
     * @param current  the mark stored now, or null
     */
    public record Proposed(String personId, int finished, Mark current, Agreement agreement) {
        public Proposed {
            Objects.requireNonNull(personId, "personId");
            Objects.requireNonNull(agreement, "agreement");
        }

        /** The row is ticked when the page opens: only where no mark would be replaced. */
        public boolean tickedByDefault() {
            return agreement == Agreement.UNMARKED;
        }

        /** The stored mark as the page states it for {@link #shown(Mark)} comparisons. */
        public String shown() {
            return RollCallAbsences.shown(current);
        }
    }

    /**
     * @param students          the students the session applies to (enrolled, of its academic group if it has one), in
     *                          the order to show them
     * @param finishedResponses for each finished roll call of the session, who answered it
     * @param current           the session's stored marks by person id
     * @return the students who answered none of the finished roll calls, in {@code students} order; empty when no roll
     *         call of the session has finished
     */
    public static List<Proposed> propose(List<String> students, Collection<Set<String>> finishedResponses,
                                         Map<String, Mark> current) {
        Objects.requireNonNull(students, "students");
        Objects.requireNonNull(finishedResponses, "finishedResponses");
        Objects.requireNonNull(current, "current");
        List<Proposed> out = new ArrayList<>();
        if (finishedResponses.isEmpty()) {
            return out;
        }
        for (String person : students) {
            if (finishedResponses.stream().anyMatch(answered -> answered.contains(person))) {
                continue;
            }
            Mark mark = current.get(person);
            Agreement agreement = mark == null ? Agreement.UNMARKED
                    : mark.status() == AttendanceStatus.ABSENT ? Agreement.SAME : Agreement.DIFFERENT;
            out.add(new Proposed(person, finishedResponses.size(), mark, agreement));
        }
        return List.copyOf(out);
    }

    /** How a page states a stored mark, so a take can tell it changed: {@code STATUS} or {@code LATE:minutes}; "" for none. */
    public static String shown(Mark m) {
        return m == null ? "" : m.status().name() + (m.lateMinutes() == null ? "" : ":" + m.lateMinutes());
    }
}
