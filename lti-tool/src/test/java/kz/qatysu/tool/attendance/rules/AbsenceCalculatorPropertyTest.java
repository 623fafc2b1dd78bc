package kz.qatysu.tool.attendance.rules;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Properties over random timetables and marks; seeded, so a failure names a case that can be replayed. */
class AbsenceCalculatorPropertyTest {
    private static final long SEED = 20_260_901L;
    private static final int RUNS = 1_000;
    private static final BigDecimal[] LOCKS = {new BigDecimal("0.20"), new BigDecimal("0.25"), new BigDecimal("0.30"),
            new BigDecimal("0.3333"), new BigDecimal("0.50"), BigDecimal.ONE};

    private record Case(List<PlannedSession> sessions, Map<String, Mark> marks, LocalDate since, Instant now,
                        AbsencePolicy policy) {
        Standing standing() {
            return AbsenceCalculator.standing(sessions, marks, since, now, policy, Optional.empty());
        }

        Case withMarks(Map<String, Mark> newMarks) {
            return new Case(sessions, newMarks, since, now, policy);
        }

        boolean counts(PlannedSession session) {
            return !session.cancelled() && (since == null || !session.date().isBefore(since));
        }
    }

    @Test
    void the_share_stays_between_zero_and_one_and_matches_the_hours() {
        Random random = new Random(SEED);
        for (int run = 0; run < RUNS; run++) {
            Case c = randomCase(random, 3, randomPolicy(random, true));
            Standing standing = c.standing();
            assertThat(standing.absenceShare()).as("run %d: %s", run, c).isBetween(BigDecimal.ZERO, BigDecimal.ONE);
            assertThat(standing.unexcusedHours()).as("run %d", run).isLessThanOrEqualTo(standing.plannedHours());
            if (standing.plannedHours() > 0) {
                assertThat(standing.absenceShare()).isEqualByComparingTo(BigDecimal.valueOf(standing.unexcusedHours())
                        .divide(BigDecimal.valueOf(standing.plannedHours()), 4, RoundingMode.HALF_UP));
            }
            assertThat(standing.absenceBudget()).isNotNegative();
        }
    }

    @Test
    void more_absences_never_improve_the_state_or_the_share() {
        Random random = new Random(SEED + 1);
        for (int run = 0; run < RUNS / 4; run++) {
            Case c = randomCase(random, 3, randomPolicy(random, true));
            Standing before = c.standing();
            List<PlannedSession> order = new ArrayList<>(c.sessions());
            Collections.shuffle(order, random);
            Map<String, Mark> marks = new LinkedHashMap<>(c.marks());
            for (PlannedSession session : order) {
                marks.put(session.sessionId(), Mark.absent(session.sessionId()));
                Standing after = c.withMarks(marks).standing();
                assertThat(after.computedState()).as("run %d, %s absent", run, session.sessionId())
                        .isGreaterThanOrEqualTo(before.computedState());
                assertThat(after.absenceShare()).isGreaterThanOrEqualTo(before.absenceShare());
                assertThat(after.absenceBudget()).isLessThanOrEqualTo(before.absenceBudget());
                before = after;
            }
        }
    }

    @Test
    void the_budget_is_exactly_the_point_where_the_state_flips_to_locked() {
        Random random = new Random(SEED + 2);
        int checked = 0;
        for (int run = 0; run < RUNS; run++) {
            AbsencePolicy policy = randomPolicy(random, false);
            Case c = randomCase(random, 1, policy);
            Standing standing = c.standing();
            if (standing.computedState() == StandingState.LOCKED) {
                assertThat(standing.absenceBudget()).isZero();
                continue;
            }
            List<String> free = new ArrayList<>();
            for (PlannedSession session : c.sessions()) {
                Mark mark = c.marks().get(session.sessionId());
                boolean notCounted = mark == null || mark.status() == AttendanceStatus.PRESENT
                        || mark.status() == AttendanceStatus.EXCUSED;
                if (c.counts(session) && notCounted) {
                    free.add(session.sessionId());
                }
            }
            int budget = standing.absenceBudget();
            if (free.size() < budget + 1) {
                continue;
            }
            Map<String, Mark> marks = new LinkedHashMap<>(c.marks());
            for (int i = 0; i < budget; i++) {
                marks.put(free.get(i), Mark.absent(free.get(i)));
            }
            Standing atBudget = c.withMarks(marks).standing();
            assertThat(atBudget.computedState()).as("run %d: missing the budget of %d must not lock: %s", run, budget, c)
                    .isNotEqualTo(StandingState.LOCKED);
            assertThat(atBudget.absenceBudget()).isZero();
            marks.put(free.get(budget), Mark.absent(free.get(budget)));
            assertThat(c.withMarks(marks).standing().computedState())
                    .as("run %d: one hour over the budget of %d must lock: %s", run, budget, c)
                    .isEqualTo(StandingState.LOCKED);
            checked++;
        }
        assertThat(checked).as("cases where the budget could be spent").isGreaterThan(RUNS / 3);
    }

    private static AbsencePolicy randomPolicy(Random random, boolean anyDenominator) {
        BigDecimal lock = LOCKS[random.nextInt(LOCKS.length)];
        BigDecimal warning = lock.multiply(new BigDecimal("0.5")).max(new BigDecimal("0.01"));
        int lockHours = 1 + random.nextInt(36);
        AbsencePolicy.Denominator denominator = anyDenominator && random.nextBoolean()
                ? AbsencePolicy.Denominator.HELD_SO_FAR : AbsencePolicy.Denominator.ALL_PLANNED;
        return AbsencePolicy.defaults().withOverrides(b -> b.lockThreshold(lock).warningThreshold(warning)
                .lateMinutesCountingAsAbsence(random.nextInt(31)).latesPerAbsence(1 + random.nextInt(6))
                .denominator(denominator)
                .unit(random.nextInt(4) == 0 ? AbsencePolicy.Unit.HOURS : AbsencePolicy.Unit.SHARE)
                .lockHours(lockHours).warningHours(1 + random.nextInt(lockHours)));
    }

    private static Case randomCase(Random random, int maxHours, AbsencePolicy policy) {
        int count = random.nextInt(81);
        List<PlannedSession> sessions = new ArrayList<>();
        Map<String, Mark> marks = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            PlannedSession session = PlannedSession.of(Term.id(i), Term.start(i), 1 + random.nextInt(maxHours));
            sessions.add(random.nextInt(10) == 0 ? session.asCancelled() : session);
            String id = session.sessionId();
            switch (random.nextInt(8)) {
                case 0 -> marks.put(id, Mark.absent(id));
                case 1 -> marks.put(id, Mark.late(id, random.nextInt(45)));
                case 2 -> marks.put(id, Mark.excused(id, "permit"));
                case 3, 4, 5 -> marks.put(id, Mark.present(id));
                default -> { }
            }
        }
        LocalDate since = random.nextInt(3) == 0 ? Term.day(1 + random.nextInt(20)) : null;
        Instant now = Term.start(1 + random.nextInt(90)).toInstant();
        return new Case(sessions, marks, since, now, policy);
    }
}
