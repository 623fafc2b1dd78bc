package kz.qatysu.tool.attendance.rules;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * How absences are weighed — configured per institution, with per-course overrides
 * ({@code institutionPolicy.withOverrides(b -> b.lockThreshold(new BigDecimal("0.20")))}).
 *
 * <p>Defaults are regulation 000 §2.11: lateness over 20 minutes is an absence, 5 lates make one
 * absence, and more than 30 % of the planned hours missed without excuse locks assessments.
 *
 * @param lockThreshold                SHARE unit: LOCKED when the share is strictly greater; in (0, 1]
 * @param warningThreshold             SHARE unit: WARNING when the share is at least this; in (0, lock]
 * @param lateMinutesCountingAsAbsence a LATE mark with more minutes than this is an absence; ≥ 0
 * @param latesPerAbsence              this many (shorter) lates add one absent hour; ≥ 1
 * @param denominator                  all planned sessions of the term, or only those held so far
 * @param unit                         compare the share, or absolute unexcused hours
 * @param lockHours                    HOURS unit: LOCKED when unexcused hours reach this; ≥ 1
 * @param warningHours                 HOURS unit: WARNING when unexcused hours reach this; in [1, lockHours]
 */
public record AbsencePolicy(
        BigDecimal lockThreshold,
        BigDecimal warningThreshold,
        int lateMinutesCountingAsAbsence,
        int latesPerAbsence,
        Denominator denominator,
        Unit unit,
        int lockHours,
        int warningHours) {

    public enum Denominator {
        /** Every non-cancelled session of the term, future ones included (the regulation's "planned hours"). */
        ALL_PLANNED,
        /** Only sessions that have started by {@code now}. */
        HELD_SO_FAR
    }

    public enum Unit {
        /** Unexcused hours as a share of the planned hours (000 §2.11). */
        SHARE,
        /** Absolute unexcused hours (e.g. KazNU acts at 36). */
        HOURS
    }

    private static final AbsencePolicy DEFAULTS = new AbsencePolicy(
            new BigDecimal("0.30"), new BigDecimal("0.20"), 20, 5, Denominator.ALL_PLANNED, Unit.SHARE, 36, 24);

    /** Validates every field and reports all problems at once, each naming its field. */
    public AbsencePolicy {
        List<Problem> problems = problems(lockThreshold, warningThreshold, lateMinutesCountingAsAbsence,
                latesPerAbsence, denominator, unit, lockHours, warningHours);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid absence policy: "
                    + String.join("; ", problems.stream().map(p -> p.field() + " " + p.problem()).toList()));
        }
    }

    /** One invalid field: {@code field} is the record component's name, {@code problem} what is wrong with it. */
    public record Problem(String field, String problem) {
    }

    /**
     * Every problem of these values, each naming its field — for callers that report them under their own paths
     * (configuration keys, request fields) instead of catching the constructor's exception.
     */
    public static List<Problem> problems(BigDecimal lockThreshold, BigDecimal warningThreshold,
                                         int lateMinutesCountingAsAbsence, int latesPerAbsence,
                                         Denominator denominator, Unit unit, int lockHours, int warningHours) {
        List<Problem> problems = new ArrayList<>();
        if (lockThreshold == null) {
            problems.add(new Problem("lockThreshold", "is required"));
        } else if (!inUnitInterval(lockThreshold)) {
            problems.add(new Problem("lockThreshold", "must be in (0, 1], was " + lockThreshold.toPlainString()));
        }
        if (warningThreshold == null) {
            problems.add(new Problem("warningThreshold", "is required"));
        } else if (!inUnitInterval(warningThreshold)) {
            problems.add(new Problem("warningThreshold", "must be in (0, 1], was " + warningThreshold.toPlainString()));
        } else if (lockThreshold != null && warningThreshold.compareTo(lockThreshold) > 0) {
            problems.add(new Problem("warningThreshold", "(" + warningThreshold.toPlainString()
                    + ") must not exceed lockThreshold (" + lockThreshold.toPlainString() + ")"));
        }
        if (lateMinutesCountingAsAbsence < 0) {
            problems.add(new Problem("lateMinutesCountingAsAbsence", "must be ≥ 0, was " + lateMinutesCountingAsAbsence));
        }
        if (latesPerAbsence < 1) {
            problems.add(new Problem("latesPerAbsence", "must be ≥ 1, was " + latesPerAbsence));
        }
        if (denominator == null) {
            problems.add(new Problem("denominator", "is required"));
        }
        if (unit == null) {
            problems.add(new Problem("unit", "is required"));
        }
        if (lockHours < 1) {
            problems.add(new Problem("lockHours", "must be ≥ 1, was " + lockHours));
        }
        if (warningHours < 1) {
            problems.add(new Problem("warningHours", "must be ≥ 1, was " + warningHours));
        } else if (lockHours >= 1 && warningHours > lockHours) {
            problems.add(new Problem("warningHours", "(" + warningHours + ") must not exceed lockHours (" + lockHours + ")"));
        }
        return problems;
    }

    /** Regulation 000 §2.11: > 30 % locks, ≥ 20 % warns, late > 20 min = absent, 5 lates = 1 absence. */
    public static AbsencePolicy defaults() {
        return DEFAULTS;
    }

    /** A copy with some fields changed, e.g. a course's overrides on top of its institution's policy. */
    public AbsencePolicy withOverrides(Consumer<Builder> overrides) {
        Builder builder = toBuilder();
        overrides.accept(builder);
        return builder.build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    private static boolean inUnitInterval(BigDecimal value) {
        return value.signum() > 0 && value.compareTo(BigDecimal.ONE) <= 0;
    }

    /** Starts from a policy's values; {@link #build()} validates. */
    public static final class Builder {
        private BigDecimal lockThreshold;
        private BigDecimal warningThreshold;
        private int lateMinutesCountingAsAbsence;
        private int latesPerAbsence;
        private Denominator denominator;
        private Unit unit;
        private int lockHours;
        private int warningHours;

        private Builder(AbsencePolicy from) {
            lockThreshold = from.lockThreshold;
            warningThreshold = from.warningThreshold;
            lateMinutesCountingAsAbsence = from.lateMinutesCountingAsAbsence;
            latesPerAbsence = from.latesPerAbsence;
            denominator = from.denominator;
            unit = from.unit;
            lockHours = from.lockHours;
            warningHours = from.warningHours;
        }

        public Builder lockThreshold(BigDecimal value) {
            lockThreshold = value;
            return this;
        }

        public Builder warningThreshold(BigDecimal value) {
            warningThreshold = value;
            return this;
        }

        public Builder lateMinutesCountingAsAbsence(int value) {
            lateMinutesCountingAsAbsence = value;
            return this;
        }

        public Builder latesPerAbsence(int value) {
            latesPerAbsence = value;
            return this;
        }

        public Builder denominator(Denominator value) {
            denominator = value;
            return this;
        }

        public Builder unit(Unit value) {
            unit = value;
            return this;
        }

        public Builder lockHours(int value) {
            lockHours = value;
            return this;
        }

        public Builder warningHours(int value) {
            warningHours = value;
            return this;
        }

        /** Every problem of the values set so far, each naming its field; empty when {@link #build()} would succeed. */
        public List<Problem> problems() {
            return AbsencePolicy.problems(lockThreshold, warningThreshold, lateMinutesCountingAsAbsence,
                    latesPerAbsence, denominator, unit, lockHours, warningHours);
        }

        public AbsencePolicy build() {
            return new AbsencePolicy(lockThreshold, warningThreshold, lateMinutesCountingAsAbsence,
                    latesPerAbsence, denominator, unit, lockHours, warningHours);
        }
    }
}
