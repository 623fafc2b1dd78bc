package kz.qatysu.tool.attendance.rules;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * One student's attendance standing in one section — the API's standing row
 * ({@code plannedHours, absentHours, lateCount, absenceShare, state, computedState, override, reason}).
 *
 * @param plannedHours     the denominator: hours of counted sessions (see {@link AbsencePolicy.Denominator})
 * @param absentHours      hours marked ABSENT, plus hours marked LATE beyond the policy's minutes
 * @param lateCount        LATE marks within the policy's minutes
 * @param lateAbsenceHours {@code floor(lateCount / latesPerAbsence)}
 * @param excusedHours     hours marked EXCUSED (shown, never counted)
 * @param absenceShare     {@code (absentHours + lateAbsenceHours) / plannedHours}, 4 decimals, HALF_UP; 0 when nothing is planned
 * @param computedState    what the arithmetic says
 * @param override         the dean's-office decision, if any; it wins in {@link #state()}
 * @param reason           why: a code and the numbers it names (rendered in the reader's language)
 * @param absenceBudget    whole hours the student can still miss without excuse before the computed
 *                         state becomes LOCKED, counted against all planned sessions; 0 once locked
 */
public record Standing(
        int plannedHours,
        int absentHours,
        int lateCount,
        int lateAbsenceHours,
        int excusedHours,
        BigDecimal absenceShare,
        StandingState computedState,
        Optional<StandingOverride> override,
        StandingReason reason,
        int absenceBudget) {

    public Standing {
        Objects.requireNonNull(absenceShare, "absenceShare");
        Objects.requireNonNull(computedState, "computedState");
        Objects.requireNonNull(override, "override");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * The state shown and acted on: an override wins — LOCKED stays LOCKED, ADMITTED shows OK
     * (the dean's office has admitted the student, so neither the lock nor a warning applies until
     * the override is withdrawn; {@link #computedState()} keeps the arithmetic visible).
     */
    public StandingState state() {
        return override.map(StandingOverride::effectiveState).orElse(computedState);
    }

    /** Absent hours plus the hours the lates add up to: the numerator of the share. */
    public int unexcusedHours() {
        return absentHours + lateAbsenceHours;
    }
}
