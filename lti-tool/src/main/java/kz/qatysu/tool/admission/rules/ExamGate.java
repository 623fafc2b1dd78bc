package kz.qatysu.tool.admission.rules;

import kz.qatysu.tool.attendance.rules.Standing;
import kz.qatysu.tool.attendance.rules.StandingState;

import java.util.List;
import java.util.Optional;

/**
 * The one place where admission is decided, as pure functions. The in-term gate (RK1, MT, RK2 and every other
 * control during the term) is the attendance standing alone; the final exam gate is attendance and rating, with the
 * dean's-office admission override on top. The attendance override acts on both through {@link Standing#state()}.
 */
public final class ExamGate {
    private ExamGate() {
    }

    /** @param standing the stored attendance standing, or null when none was computed yet (nothing missed) */
    public static Admission inTerm(Standing standing) {
        return new Admission(Admission.Gate.IN_TERM, List.of(attendance(standing)), Optional.empty());
    }

    public static Admission finalExam(Standing standing, Rating rating, Optional<AdmissionOverride> override) {
        Condition ratingCondition = new Condition(Condition.Kind.RATING, rating.admitted(),
                rating.admitted() ? "RATING_REACHED" : "RATING_BELOW_THRESHOLD");
        return new Admission(Admission.Gate.FINAL_EXAM, List.of(attendance(standing), ratingCondition), override);
    }

    private static Condition attendance(Standing standing) {
        boolean locked = standing != null && standing.state() == StandingState.LOCKED;
        return new Condition(Condition.Kind.ATTENDANCE, !locked, locked ? "ATTENDANCE_LOCKED" : "ATTENDANCE_OK");
    }
}
