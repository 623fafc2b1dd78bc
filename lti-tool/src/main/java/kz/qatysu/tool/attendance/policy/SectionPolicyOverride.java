package kz.qatysu.tool.attendance.policy;

import kz.qatysu.tool.attendance.rules.AbsencePolicy;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A section's overrides of the institution's absence policy: a null field inherits the institution's value.
 *
 * @param by who stored it (the API caller's name)
 * @param at when
 */
public record SectionPolicyOverride(BigDecimal lockThreshold, BigDecimal warningThreshold,
                                    Integer lateMinutesCountingAsAbsence, Integer latesPerAbsence,
                                    AbsencePolicy.Denominator denominator, AbsencePolicy.Unit unit,
                                    Integer lockHours, Integer warningHours, String by, Instant at) {

    /** The builder of {@code institution} with the non-null fields of this override applied. */
    public AbsencePolicy.Builder applyTo(AbsencePolicy institution) {
        AbsencePolicy.Builder b = institution.toBuilder();
        if (lockThreshold != null) {
            b.lockThreshold(lockThreshold);
        }
        if (warningThreshold != null) {
            b.warningThreshold(warningThreshold);
        }
        if (lateMinutesCountingAsAbsence != null) {
            b.lateMinutesCountingAsAbsence(lateMinutesCountingAsAbsence);
        }
        if (latesPerAbsence != null) {
            b.latesPerAbsence(latesPerAbsence);
        }
        if (denominator != null) {
            b.denominator(denominator);
        }
        if (unit != null) {
            b.unit(unit);
        }
        if (lockHours != null) {
            b.lockHours(lockHours);
        }
        if (warningHours != null) {
            b.warningHours(warningHours);
        }
        return b;
    }
}
