package kz.qatysu.tool.attendance.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The absence arithmetic of regulation 000 §2.11, as written down in {@code DESIGN.md}
 * ("The academic rules" and "The absence arithmetic, exactly"). Pure: no clock, no database.
 *
 * <ul>
 *   <li>{@code plannedHours} = the hours of every non-cancelled session of the term
 *       ({@link AbsencePolicy.Denominator#ALL_PLANNED}, the default) or of those that have started by
 *       {@code now} ({@link AbsencePolicy.Denominator#HELD_SO_FAR}) — among the sessions that apply to the
 *       student: the section's sessions without a group plus those of the student's academic group
 *       ({@link PlannedSession#appliesTo}; a session of another group counts neither way). Sessions dated before the
 *       student's {@code enrolledSince} leave both numerator and denominator. Cancelled sessions
 *       leave the denominator; marks on them are kept elsewhere but never counted here.</li>
 *   <li>{@code absentHours} = hours marked ABSENT + hours marked LATE with more than
 *       {@code lateMinutesCountingAsAbsence} (20) minutes.</li>
 *   <li>{@code lateCount} = LATE marks within those minutes; every full {@code latesPerAbsence} (5)
 *       add one hour. EXCUSED and unmarked sessions count 0.</li>
 *   <li>{@code absenceShare = (absentHours + floor(lateCount / 5)) / plannedHours}, 0 when nothing is
 *       planned; LOCKED when the share is <em>over</em> 0.30, WARNING when <em>at least</em> 0.20,
 *       else OK. The comparison is exact ({@code unexcused > 0.30 × planned}); the 4-decimal share is
 *       for display only.</li>
 *   <li>{@link AbsencePolicy.Unit#HOURS}: unexcused hours are compared with absolute thresholds
 *       instead (KazNU acts at 36): LOCKED when they <em>reach</em> {@code lockHours}, WARNING when
 *       they reach {@code warningHours}.</li>
 * </ul>
 *
 * <p>The regulation's Kazakh text ("Оқушының сабаққа 5 кешігуі 20 минуттан астам уақыт ішінде 1
 * қатыспағаны үшін есептеледі") is read as DESIGN.md reads it: a lateness over 20 minutes is an
 * absence, and five shorter ones make one.
 */
public final class AbsenceCalculator {

    private static final int SHARE_SCALE = 4;

    private AbsenceCalculator() {
    }

    /**
     * One student's standing over the sessions that apply to them: the section's sessions without a group and
     * those of {@code academicGroup} (null = unknown: only the sessions without a group). Marks on sessions that do
     * not apply are kept elsewhere but never counted, like marks on cancelled sessions.
     */
    public static Standing standing(List<PlannedSession> sessions, String academicGroup, Map<String, Mark> marks,
                                    LocalDate enrolledSince, Instant now, AbsencePolicy policy,
                                    Optional<StandingOverride> override) {
        Objects.requireNonNull(sessions, "sessions");
        return standing(sessions.stream().filter(s -> s.appliesTo(academicGroup)).toList(), marks, enrolledSince, now,
                policy, override);
    }

    /**
     * Computes one student's standing.
     *
     * @param sessions      the section's whole timetable for the term, cancelled sessions included
     * @param marks         the student's marks by session id (sessions without a mark count 0)
     * @param enrolledSince the day the student joined the section, or null when from the start
     * @param now           decides which sessions are held so far (a session is held once it has started)
     * @param policy        the course's effective policy
     * @param override      the dean's-office decision, if any
     */
    public static Standing standing(List<PlannedSession> sessions, Map<String, Mark> marks, LocalDate enrolledSince,
                                    Instant now, AbsencePolicy policy, Optional<StandingOverride> override) {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(marks, "marks");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(override, "override");
        checkKeys(sessions, marks);

        int allPlannedHours = 0;
        int plannedHours = 0;
        int absentHours = 0;
        int lateCount = 0;
        int excusedHours = 0;
        for (PlannedSession session : sessions) {
            if (session.cancelled() || (enrolledSince != null && session.date().isBefore(enrolledSince))) {
                continue;
            }
            allPlannedHours += session.hours();
            boolean held = !session.start().toInstant().isAfter(now);
            if (policy.denominator() == AbsencePolicy.Denominator.HELD_SO_FAR && !held) {
                continue;
            }
            plannedHours += session.hours();
            Mark mark = marks.get(session.sessionId());
            if (mark == null) {
                continue;
            }
            switch (mark.status()) {
                case PRESENT -> { }
                case ABSENT -> absentHours += session.hours();
                case LATE -> {
                    if (mark.lateMinutes() > policy.lateMinutesCountingAsAbsence()) {
                        absentHours += session.hours();
                    } else {
                        lateCount++;
                    }
                }
                case EXCUSED -> excusedHours += session.hours();
            }
        }
        int lateAbsenceHours = lateCount / policy.latesPerAbsence();
        int unexcused = absentHours + lateAbsenceHours;
        BigDecimal share = plannedHours == 0
                ? BigDecimal.ZERO.setScale(SHARE_SCALE)
                : BigDecimal.valueOf(unexcused).divide(BigDecimal.valueOf(plannedHours), SHARE_SCALE, RoundingMode.HALF_UP);

        StandingState computed = computedState(policy, unexcused, plannedHours);
        int budget = computed == StandingState.LOCKED ? 0 : budget(policy, unexcused, allPlannedHours);
        StandingReason reason = reason(policy, plannedHours, absentHours, lateCount, lateAbsenceHours, excusedHours,
                share, computed, budget);
        return new Standing(plannedHours, absentHours, lateCount, lateAbsenceHours, excusedHours, share, computed,
                override, reason, budget);
    }

    private static void checkKeys(List<PlannedSession> sessions, Map<String, Mark> marks) {
        Set<String> ids = new HashSet<>();
        for (PlannedSession session : sessions) {
            if (!ids.add(session.sessionId())) {
                throw new IllegalArgumentException("sessionId " + session.sessionId() + " appears twice in the timetable");
            }
        }
        marks.forEach((key, mark) -> {
            if (mark == null || !key.equals(mark.sessionId())) {
                throw new IllegalArgumentException("mark under key " + key + " is for session "
                        + (mark == null ? "null" : mark.sessionId()));
            }
        });
    }

    private static StandingState computedState(AbsencePolicy policy, int unexcused, int plannedHours) {
        BigDecimal hours = BigDecimal.valueOf(unexcused);
        return switch (policy.unit()) {
            case SHARE -> {
                if (plannedHours == 0) {
                    yield StandingState.OK;
                }
                BigDecimal planned = BigDecimal.valueOf(plannedHours);
                if (hours.compareTo(policy.lockThreshold().multiply(planned)) > 0) {
                    yield StandingState.LOCKED;
                }
                yield hours.compareTo(policy.warningThreshold().multiply(planned)) >= 0
                        ? StandingState.WARNING : StandingState.OK;
            }
            case HOURS -> unexcused >= policy.lockHours() ? StandingState.LOCKED
                    : unexcused >= policy.warningHours() ? StandingState.WARNING : StandingState.OK;
        };
    }

    /** The largest whole number of further unexcused hours that keeps the computed state below LOCKED. */
    private static int budget(AbsencePolicy policy, int unexcused, int allPlannedHours) {
        int budget = switch (policy.unit()) {
            case SHARE -> policy.lockThreshold().multiply(BigDecimal.valueOf(allPlannedHours))
                    .subtract(BigDecimal.valueOf(unexcused)).setScale(0, RoundingMode.FLOOR).intValueExact();
            case HOURS -> policy.lockHours() - 1 - unexcused;
        };
        return Math.max(0, budget);
    }

    private static StandingReason reason(AbsencePolicy policy, int plannedHours, int absentHours, int lateCount,
                                         int lateAbsenceHours, int excusedHours, BigDecimal share, StandingState computed,
                                         int budget) {
        Map<String, Object> args = StandingReason.numbers(absentHours + lateAbsenceHours, plannedHours, absentHours,
                lateAbsenceHours, lateCount, excusedHours, share, budget);
        args.put("lockPercent", percent(policy.lockThreshold()));
        args.put("warningPercent", percent(policy.warningThreshold()));
        args.put("lockHours", policy.lockHours());
        args.put("warningHours", policy.warningHours());
        StandingReason.Code code;
        if (plannedHours == 0 && policy.unit() == AbsencePolicy.Unit.SHARE) {
            code = StandingReason.Code.NOTHING_PLANNED;
        } else if (policy.unit() == AbsencePolicy.Unit.SHARE) {
            code = switch (computed) {
                case OK -> StandingReason.Code.SHARE_OK;
                case WARNING -> StandingReason.Code.SHARE_WARNING;
                case LOCKED -> StandingReason.Code.SHARE_LOCKED;
            };
        } else {
            code = switch (computed) {
                case OK -> StandingReason.Code.HOURS_OK;
                case WARNING -> StandingReason.Code.HOURS_WARNING;
                case LOCKED -> StandingReason.Code.HOURS_LOCKED;
            };
        }
        return new StandingReason(code, args);
    }

    /** A threshold (0.30) as the percentage named (30), without trailing zeros. */
    private static BigDecimal percent(BigDecimal fraction) {
        BigDecimal p = fraction.movePointRight(2).stripTrailingZeros();
        return p.scale() < 0 ? p.setScale(0) : p;
    }
}
