package kz.qatysu.tool.admission.rules;

import java.util.Objects;

/**
 * One condition of an exam gate with its outcome: the gate's decision is the list of these, each shown with its
 * numbers, not a pair of booleans.
 *
 * @param reason a code naming the outcome: {@code ATTENDANCE_OK} / {@code ATTENDANCE_LOCKED},
 *               {@code RATING_REACHED} / {@code RATING_BELOW_THRESHOLD}; the failed ones are the API's {@code reasons}
 */
public record Condition(Kind kind, boolean met, String reason) {
    public enum Kind {
        /** Unexcused absences not over the policy's limit (after the attendance override). */
        ATTENDANCE,
        /** At least the threshold share of the semester's points. */
        RATING
    }

    public Condition {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }
}
