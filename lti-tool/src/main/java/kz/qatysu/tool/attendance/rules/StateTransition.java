package kz.qatysu.tool.attendance.rules;

import java.util.Objects;
import java.util.Optional;

/**
 * A change of a student's state between two standings, with what caused it — for the history and
 * for warnings. Pure: compares two {@link Standing}s, knows nothing about who changed what.
 *
 * @param detail the numbers before and after ({@code 9/32 h (0.2813, OK) → 10/32 h (0.3125, LOCKED)}); pages tell
 *               the same in the reader's language from the stored numbers and the standing's reason
 */
public record StateTransition(StandingState from, StandingState to, Cause cause, String detail) {

    public enum Cause {
        /** A dean's-office override appeared. */
        OVERRIDE_SET,
        /** An override was replaced by one with another decision. */
        OVERRIDE_CHANGED,
        /** The override was withdrawn; the computed state applies again. */
        OVERRIDE_WITHDRAWN,
        /** More unexcused hours: a new absence, a long lateness, a fifth late. */
        ABSENCES_ROSE,
        /** Fewer unexcused hours: an excuse, a corrected mark, a session cancelled. */
        ABSENCES_FELL,
        /** Same unexcused hours over a different number of planned hours (sessions added or removed, held). */
        PLANNED_HOURS_CHANGED,
        /** Same numbers, another verdict: the policy changed. */
        POLICY_CHANGED
    }

    public StateTransition {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * The change of the effective {@link Standing#state()}, if any.
     *
     * @param previous the last recorded standing, or null for a student seen for the first time
     *                 (who is taken to start OK, so a first standing that is already WARNING or LOCKED
     *                 is reported)
     */
    public static Optional<StateTransition> detect(Standing previous, Standing next) {
        Objects.requireNonNull(next, "next");
        StandingState from = previous == null ? StandingState.OK : previous.state();
        if (from == next.state()) {
            return Optional.empty();
        }
        return Optional.of(new StateTransition(from, next.state(), cause(previous, next), detail(previous, next)));
    }

    /**
     * The change of the {@link Standing#computedState()}, if any — recorded even while an override
     * hides it, so the history shows what the arithmetic said.
     */
    public static Optional<StateTransition> detectComputed(Standing previous, Standing next) {
        Objects.requireNonNull(next, "next");
        StandingState from = previous == null ? StandingState.OK : previous.computedState();
        if (from == next.computedState()) {
            return Optional.empty();
        }
        return Optional.of(new StateTransition(from, next.computedState(), numbersCause(previous, next),
                detail(previous, next)));
    }

    /** True when the transition made things worse (OK → WARNING, anything → LOCKED): worth a warning. */
    public boolean isWorsening() {
        return to.isWorseThan(from);
    }

    private static Cause cause(Standing previous, Standing next) {
        var before = previous == null ? Optional.<StandingOverride>empty() : previous.override();
        var after = next.override();
        if (before.isEmpty() && after.isPresent()) {
            return Cause.OVERRIDE_SET;
        }
        if (before.isPresent() && after.isEmpty()) {
            return Cause.OVERRIDE_WITHDRAWN;
        }
        if (before.isPresent() && before.get().decision() != after.get().decision()) {
            return Cause.OVERRIDE_CHANGED;
        }
        return numbersCause(previous, next);
    }

    private static Cause numbersCause(Standing previous, Standing next) {
        int unexcusedBefore = previous == null ? 0 : previous.unexcusedHours();
        int plannedBefore = previous == null ? next.plannedHours() : previous.plannedHours();
        if (next.unexcusedHours() > unexcusedBefore) {
            return Cause.ABSENCES_ROSE;
        }
        if (next.unexcusedHours() < unexcusedBefore) {
            return Cause.ABSENCES_FELL;
        }
        if (next.plannedHours() != plannedBefore) {
            return Cause.PLANNED_HOURS_CHANGED;
        }
        return Cause.POLICY_CHANGED;
    }

    private static String detail(Standing previous, Standing next) {
        String before = previous == null ? "nothing recorded" : numbers(previous);
        return before + " → " + numbers(next) + ". " + next.reason().code();
    }

    private static String numbers(Standing standing) {
        return standing.unexcusedHours() + "/" + standing.plannedHours() + " h (" + standing.absenceShare().toPlainString()
                + ", " + standing.state() + (standing.override().isPresent() ? " by override" : "") + ")";
    }
}
