package kz.qatysu.tool.attendance.rules;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static kz.qatysu.tool.attendance.rules.Term.absent;
import static kz.qatysu.tool.attendance.rules.Term.id;
import static kz.qatysu.tool.attendance.rules.Term.marks;
import static kz.qatysu.tool.attendance.rules.Term.merge;
import static kz.qatysu.tool.attendance.rules.Term.sessions;
import static kz.qatysu.tool.attendance.rules.Term.standing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AbsenceCalculatorTest {

    @Nested
    class Thresholds {
        @ParameterizedTest(name = "{1} absent of {0} planned -> share {2}, {3}")
        @CsvSource({
                "100, 0,  0.0000, OK",
                "100, 19, 0.1900, OK",
                "100, 20, 0.2000, WARNING",
                "100, 30, 0.3000, WARNING",
                "100, 31, 0.3100, LOCKED",
                "45,  8,  0.1778, OK",
                "45,  9,  0.2000, WARNING",
                "45,  13, 0.2889, WARNING",
                "45,  14, 0.3111, LOCKED",
                "10,  2,  0.2000, WARNING",
                "10,  3,  0.3000, WARNING",
                "10,  4,  0.4000, LOCKED",
                "10,  10, 1.0000, LOCKED",
                "3,   1,  0.3333, LOCKED",
        })
        void share_and_state_follow_the_thresholds_warning_inclusive_lock_exclusive(
                int planned, int absentCount, BigDecimal share, StandingState state) {
            Standing standing = standing(sessions(planned), absent(1, absentCount));
            assertThat(standing.plannedHours()).isEqualTo(planned);
            assertThat(standing.absentHours()).isEqualTo(absentCount);
            assertThat(standing.absenceShare()).isEqualByComparingTo(share);
            assertThat(standing.absenceShare().scale()).isEqualTo(4);
            assertThat(standing.computedState()).isEqualTo(state);
            assertThat(standing.state()).isEqualTo(state);
        }

        @Test
        void exactly_thirty_percent_is_a_warning_not_a_lock() {
            assertThat(standing(sessions(30), absent(1, 9)).computedState()).isEqualTo(StandingState.WARNING);
        }

        @Test
        void the_lock_compares_exact_hours_not_the_rounded_share() {
            // the share shown is rounded to 4 decimals; the verdict compares exact hours
            Standing standing = standing(sessions(10_000), absent(1, 3_001));
            assertThat(standing.computedState()).isEqualTo(StandingState.LOCKED);
            AbsencePolicy lockAt = AbsencePolicy.defaults().withOverrides(b -> b.lockThreshold(new BigDecimal("0.29999")));
            Standing tight = standing(sessions(10_000), absent(1, 3_000), lockAt);
            assertThat(tight.absenceShare()).isEqualByComparingTo("0.3000");
            assertThat(tight.computedState()).isEqualTo(StandingState.LOCKED);
        }

        @Test
        void the_api_example_row_has_a_share_of_0_2222_and_a_warning() {
            Map<String, Mark> marks = merge(absent(1, 9), marks(10, 15, i -> Mark.late(id(i), 10)));
            Standing standing = standing(sessions(45), marks);
            assertThat(standing.plannedHours()).isEqualTo(45);
            assertThat(standing.absentHours()).isEqualTo(9);
            assertThat(standing.lateCount()).isEqualTo(6);
            assertThat(standing.lateAbsenceHours()).isEqualTo(1);
            assertThat(standing.absenceShare()).isEqualByComparingTo("0.2222");
            assertThat(standing.state()).isEqualTo(StandingState.WARNING);
        }

        @Test
        void a_course_may_lock_at_twenty_percent() {
            AbsencePolicy strict = AbsencePolicy.defaults().withOverrides(b -> b
                    .lockThreshold(new BigDecimal("0.20")).warningThreshold(new BigDecimal("0.10")));
            assertThat(standing(sessions(10), absent(1, 2), strict).computedState()).isEqualTo(StandingState.WARNING);
            assertThat(standing(sessions(10), absent(1, 3), strict).computedState()).isEqualTo(StandingState.LOCKED);
            assertThat(standing(sessions(10), absent(1, 1), strict).computedState()).isEqualTo(StandingState.WARNING);
        }
    }

    @Nested
    class Lateness {
        @ParameterizedTest(name = "late {0} min -> absent hours {1}, late count {2}")
        @CsvSource({"0, 0, 1", "1, 0, 1", "20, 0, 1", "21, 1, 0", "90, 1, 0"})
        void lateness_over_twenty_minutes_is_an_absence(int minutes, int absentHours, int lateCount) {
            Standing standing = standing(sessions(10), Map.of("S-1", Mark.late("S-1", minutes)));
            assertThat(standing.absentHours()).isEqualTo(absentHours);
            assertThat(standing.lateCount()).isEqualTo(lateCount);
        }

        @ParameterizedTest(name = "{0} lates -> {1} absent hours")
        @CsvSource({"1, 0", "4, 0", "5, 1", "6, 1", "9, 1", "10, 2", "14, 2", "15, 3"})
        void every_full_five_lates_add_one_hour(int lates, int hours) {
            Standing standing = standing(sessions(100), marks(1, lates, i -> Mark.late(id(i), 5)));
            assertThat(standing.lateCount()).isEqualTo(lates);
            assertThat(standing.absentHours()).isZero();
            assertThat(standing.lateAbsenceHours()).isEqualTo(hours);
            assertThat(standing.unexcusedHours()).isEqualTo(hours);
            assertThat(standing.absenceShare()).isEqualByComparingTo(BigDecimal.valueOf(hours).movePointLeft(2));
        }

        @Test
        void long_lateness_does_not_also_count_towards_the_five_lates() {
            Map<String, Mark> marks = merge(marks(1, 4, i -> Mark.late(id(i), 20)), Map.of("S-5", Mark.late("S-5", 21)));
            Standing standing = standing(sessions(20), marks);
            assertThat(standing.lateCount()).isEqualTo(4);
            assertThat(standing.absentHours()).isEqualTo(1);
            assertThat(standing.unexcusedHours()).isEqualTo(1);
        }

        @Test
        void the_lateness_minutes_and_lates_per_absence_are_configurable() {
            AbsencePolicy policy = AbsencePolicy.defaults().withOverrides(b -> b.lateMinutesCountingAsAbsence(10).latesPerAbsence(3));
            Map<String, Mark> marks = merge(marks(1, 3, i -> Mark.late(id(i), 10)), Map.of("S-4", Mark.late("S-4", 11)));
            Standing standing = standing(sessions(20), marks, policy);
            assertThat(standing.lateCount()).isEqualTo(3);
            assertThat(standing.lateAbsenceHours()).isEqualTo(1);
            assertThat(standing.absentHours()).isEqualTo(1);
        }
    }

    @Nested
    class WhatCountsZero {
        @Test
        void excused_absences_count_nothing_but_are_reported() {
            Standing standing = standing(sessions(10), marks(1, 8, i -> Mark.excused(id(i), "medical certificate")));
            assertThat(standing.unexcusedHours()).isZero();
            assertThat(standing.excusedHours()).isEqualTo(8);
            assertThat(standing.absenceShare()).isEqualByComparingTo("0");
            assertThat(standing.state()).isEqualTo(StandingState.OK);
            assertThat(text(standing)).contains("8 h excused");
            assertThat(standing.reason().args()).containsEntry("excusedHours", 8);
        }

        @Test
        void unmarked_and_present_sessions_count_nothing() {
            Standing standing = standing(sessions(10), marks(1, 5, i -> Mark.present(id(i))));
            assertThat(standing.unexcusedHours()).isZero();
            assertThat(standing.state()).isEqualTo(StandingState.OK);
        }

        @Test
        void an_excuse_replacing_an_absence_lowers_the_state() {
            Map<String, Mark> marks = absent(1, 4);
            assertThat(standing(sessions(10), marks).state()).isEqualTo(StandingState.LOCKED);
            Map<String, Mark> excused = merge(marks, Map.of("S-4", Mark.excused("S-4", "permit 17")));
            assertThat(standing(sessions(10), excused).state()).isEqualTo(StandingState.WARNING);
        }

        @Test
        void marks_for_sessions_not_in_the_timetable_are_ignored() {
            Standing standing = standing(sessions(10), Map.of("X-1", Mark.absent("X-1")));
            assertThat(standing.absentHours()).isZero();
        }
    }

    @Nested
    class Weights {
        @Test
        void a_missed_two_hour_session_counts_two_hours() {
            Standing standing = standing(sessions(15, 2), absent(1, 3));
            assertThat(standing.plannedHours()).isEqualTo(30);
            assertThat(standing.absentHours()).isEqualTo(6);
            assertThat(standing.absenceShare()).isEqualByComparingTo("0.2000");
            assertThat(standing.state()).isEqualTo(StandingState.WARNING);
        }

        @Test
        void a_long_lateness_on_a_two_hour_session_counts_both_hours() {
            Standing standing = standing(sessions(15, 2), Map.of("S-1", Mark.late("S-1", 25)));
            assertThat(standing.absentHours()).isEqualTo(2);
        }

        @Test
        void five_short_lates_add_one_hour_whatever_the_session_length() {
            Standing standing = standing(sessions(15, 2), marks(1, 5, i -> Mark.late(id(i), 5)));
            assertThat(standing.lateAbsenceHours()).isEqualTo(1);
            assertThat(standing.absenceShare()).isEqualByComparingTo("0.0333");
        }

        @Test
        void mixed_lecture_and_seminar_hours_add_up() {
            List<PlannedSession> sessions = new ArrayList<>(sessions(10, 1));
            sessions.add(PlannedSession.of("L-1", Term.start(11), 2));
            sessions.add(PlannedSession.of("L-2", Term.start(12), 3));
            Standing standing = standing(sessions, Map.of("L-2", Mark.absent("L-2"), "S-1", Mark.absent("S-1")));
            assertThat(standing.plannedHours()).isEqualTo(15);
            assertThat(standing.absentHours()).isEqualTo(4);
            assertThat(standing.absenceShare()).isEqualByComparingTo("0.2667");
        }
    }

    @Nested
    class Denominators {
        private final Instant afterFifth = Term.start(5).plusHours(1).toInstant();
        private final AbsencePolicy heldSoFar = AbsencePolicy.defaults()
                .withOverrides(b -> b.denominator(AbsencePolicy.Denominator.HELD_SO_FAR));

        @Test
        void by_default_future_sessions_are_in_the_denominator() {
            Standing standing = AbsenceCalculator.standing(sessions(10), absent(1, 2), null, afterFifth,
                    AbsencePolicy.defaults(), Optional.empty());
            assertThat(standing.plannedHours()).isEqualTo(10);
            assertThat(standing.absenceShare()).isEqualByComparingTo("0.2000");
            assertThat(standing.state()).isEqualTo(StandingState.WARNING);
        }

        @Test
        void held_so_far_counts_only_sessions_that_have_started() {
            Standing standing = AbsenceCalculator.standing(sessions(10), absent(1, 2), null, afterFifth,
                    heldSoFar, Optional.empty());
            assertThat(standing.plannedHours()).isEqualTo(5);
            assertThat(standing.absenceShare()).isEqualByComparingTo("0.4000");
            assertThat(standing.state()).isEqualTo(StandingState.LOCKED);
            assertThat(standing.absenceBudget()).isZero();
        }

        @Test
        void a_session_starting_exactly_now_is_held() {
            Standing standing = AbsenceCalculator.standing(sessions(10), Map.of(), null, Term.start(5).toInstant(),
                    heldSoFar, Optional.empty());
            assertThat(standing.plannedHours()).isEqualTo(5);
        }

        @Test
        void held_so_far_ignores_marks_on_future_sessions() {
            Standing standing = AbsenceCalculator.standing(sessions(10), absent(9, 10), null, afterFifth,
                    heldSoFar, Optional.empty());
            assertThat(standing.absentHours()).isZero();
            assertThat(standing.state()).isEqualTo(StandingState.OK);
        }

        @Test
        void held_so_far_budget_is_still_counted_against_all_planned_sessions() {
            Standing standing = AbsenceCalculator.standing(sessions(20), absent(1, 1), null, afterFifth,
                    heldSoFar, Optional.empty());
            assertThat(standing.absenceShare()).as("1 of 5 held").isEqualByComparingTo("0.2000");
            assertThat(standing.state()).isEqualTo(StandingState.WARNING);
            assertThat(standing.absenceBudget()).as("floor(0.30 × 20 − 1)").isEqualTo(5);
        }

        @Test
        void nothing_held_yet_means_share_zero_and_ok() {
            Standing standing = AbsenceCalculator.standing(sessions(10), Map.of(), null,
                    Term.FIRST.minusDays(1).toInstant(), heldSoFar, Optional.empty());
            assertThat(standing.plannedHours()).isZero();
            assertThat(standing.absenceShare()).isEqualByComparingTo("0");
            assertThat(standing.state()).isEqualTo(StandingState.OK);
            assertThat(standing.absenceBudget()).isEqualTo(3);
        }
    }

    @Nested
    class LateEnrolment {
        @Test
        void sessions_before_the_enrolment_day_leave_numerator_and_denominator() {
            Standing standing = AbsenceCalculator.standing(sessions(15), absent(1, 6), Term.day(6), Term.AFTER_TERM,
                    AbsencePolicy.defaults(), Optional.empty());
            assertThat(standing.plannedHours()).isEqualTo(10);
            assertThat(standing.absentHours()).as("only S-6, on the enrolment day itself, counts").isEqualTo(1);
            assertThat(standing.state()).isEqualTo(StandingState.OK);
        }

        @Test
        void without_an_enrolment_day_every_session_counts() {
            Standing standing = AbsenceCalculator.standing(sessions(15), absent(1, 6), null, Term.AFTER_TERM,
                    AbsencePolicy.defaults(), Optional.empty());
            assertThat(standing.plannedHours()).isEqualTo(15);
            assertThat(standing.state()).isEqualTo(StandingState.LOCKED);
        }

        @Test
        void enrolment_uses_the_timetable_day_not_the_utc_day() {
            // 01:00 at +05:00 on day 6 is still day 5 in UTC
            List<PlannedSession> sessions = List.of(
                    PlannedSession.of("EARLY", Term.day(6).atTime(1, 0).atOffset(Term.FIRST.getOffset())),
                    PlannedSession.of("LATER", Term.start(7)));
            Standing standing = AbsenceCalculator.standing(sessions, Map.of("EARLY", Mark.absent("EARLY")), Term.day(6),
                    Term.AFTER_TERM, AbsencePolicy.defaults(), Optional.empty());
            assertThat(standing.plannedHours()).isEqualTo(2);
            assertThat(standing.absentHours()).isEqualTo(1);
        }

        @Test
        void enrolment_after_the_last_session_leaves_nothing_planned() {
            Standing standing = AbsenceCalculator.standing(sessions(5), absent(1, 5), Term.day(30), Term.AFTER_TERM,
                    AbsencePolicy.defaults(), Optional.empty());
            assertThat(standing.plannedHours()).isZero();
            assertThat(standing.state()).isEqualTo(StandingState.OK);
        }
    }

    @Nested
    class Cancelled {
        @Test
        void cancelled_sessions_leave_the_denominator_and_their_marks_do_not_count() {
            List<PlannedSession> sessions = new ArrayList<>(sessions(12));
            sessions.set(0, sessions.get(0).asCancelled());
            sessions.set(1, sessions.get(1).asCancelled());
            Standing standing = standing(sessions, absent(1, 3));
            assertThat(standing.plannedHours()).isEqualTo(10);
            assertThat(standing.absentHours()).isEqualTo(1);
            assertThat(standing.absenceShare()).isEqualByComparingTo("0.1000");
        }

        @Test
        void cancelling_sessions_can_raise_the_share() {
            List<PlannedSession> sessions = new ArrayList<>(sessions(10));
            assertThat(standing(sessions, absent(1, 3)).state()).isEqualTo(StandingState.WARNING);
            sessions.set(9, sessions.get(9).asCancelled());
            assertThat(standing(sessions, absent(1, 3)).state()).isEqualTo(StandingState.LOCKED);
        }

        @Test
        void a_timetable_of_only_cancelled_sessions_plans_nothing() {
            List<PlannedSession> sessions = sessions(3).stream().map(PlannedSession::asCancelled).toList();
            Standing standing = standing(sessions, absent(1, 3));
            assertThat(standing.plannedHours()).isZero();
            assertThat(standing.absenceShare()).isEqualByComparingTo("0");
            assertThat(standing.state()).isEqualTo(StandingState.OK);
        }
    }

    @Nested
    class NothingPlanned {
        @Test
        void an_empty_timetable_gives_share_zero_ok_and_no_budget() {
            Standing standing = standing(List.of(), Map.of());
            assertThat(standing.plannedHours()).isZero();
            assertThat(standing.absenceShare()).isEqualByComparingTo("0.0000");
            assertThat(standing.absenceShare().scale()).isEqualTo(4);
            assertThat(standing.state()).isEqualTo(StandingState.OK);
            assertThat(standing.absenceBudget()).isZero();
            assertThat(standing.reason().code()).isEqualTo(StandingReason.Code.NOTHING_PLANNED);
            assertThat(text(standing)).contains("No planned hours");
        }
    }

    @Nested
    class Budget {
        @ParameterizedTest(name = "{1} absent of {0} planned -> {2} more")
        @CsvSource({
                "45, 0, 13",
                "45, 9, 4",
                "45, 10, 3",
                "45, 12, 1",
                "45, 13, 0",
                "45, 14, 0",
                "100, 0, 30",
                "100, 29, 1",
                "100, 30, 0",
                "100, 31, 0",
                "10, 0, 3",
                "3, 0, 0",
                "4, 0, 1",
        })
        void the_budget_is_the_largest_number_of_further_hours_that_keeps_the_share_at_most_thirty_percent(
                int planned, int absentCount, int budget) {
            Standing standing = standing(sessions(planned), absent(1, absentCount));
            assertThat(standing.absenceBudget()).isEqualTo(budget);
        }

        @Test
        void missing_the_budget_keeps_a_warning_and_one_hour_more_locks() {
            assertThat(standing(sessions(45), absent(1, 10)).absenceBudget()).isEqualTo(3);
            assertThat(standing(sessions(45), absent(1, 13)).state()).isEqualTo(StandingState.WARNING);
            assertThat(standing(sessions(45), absent(1, 14)).state()).isEqualTo(StandingState.LOCKED);
        }

        @Test
        void lates_eat_into_the_budget() {
            Map<String, Mark> marks = merge(absent(1, 9), marks(10, 15, i -> Mark.late(id(i), 10)));
            assertThat(standing(sessions(45), marks).absenceBudget()).isEqualTo(3);
        }

        @Test
        void the_budget_is_counted_in_hours_for_two_hour_sessions() {
            Standing standing = standing(sessions(15, 2), absent(1, 3));
            assertThat(standing.absenceBudget()).as("9 of 30 hours is exactly 30 %").isEqualTo(3);
        }

        @Test
        void the_reason_names_the_numbers_and_the_budget() {
            Standing standing = standing(sessions(45), absent(1, 10));
            assertThat(standing.reason().code()).isEqualTo(StandingReason.Code.SHARE_WARNING);
            assertThat(standing.reason().args()).containsEntry("unexcusedHours", 10).containsEntry("plannedHours", 45)
                    .containsEntry("sharePercent", new java.math.BigDecimal("22.22")).containsEntry("budget", 3)
                    .containsEntry("lockPercent", 30);
            assertThat(text(standing))
                    .contains("10 h of 45 planned missed without excuse")
                    .contains("22.22 %")
                    .contains("20 % warning threshold")
                    .contains("3 h more before the lock (over 30 %)");
        }

        @Test
        void a_locked_reason_says_the_assessments_are_closed() {
            assertThat(text(standing(sessions(45), absent(1, 14))))
                    .contains("31.11 %").contains("over the 30 % lock threshold").contains("assessments are closed");
        }
    }

    @Nested
    class HoursUnit {
        private final AbsencePolicy kaznu = AbsencePolicy.defaults().withOverrides(b -> b.unit(AbsencePolicy.Unit.HOURS));

        @ParameterizedTest(name = "{0} unexcused hours -> {1}, {2} more")
        @CsvSource({"0, OK, 35", "23, OK, 12", "24, WARNING, 11", "35, WARNING, 0", "36, LOCKED, 0", "50, LOCKED, 0"})
        void unexcused_hours_are_compared_with_the_36_hour_threshold(int absentCount, StandingState state, int budget) {
            Standing standing = standing(sessions(150), absent(1, absentCount), kaznu);
            assertThat(standing.computedState()).isEqualTo(state);
            assertThat(standing.absenceBudget()).isEqualTo(budget);
        }

        @Test
        void the_share_does_not_decide_in_hours_unit() {
            Standing standing = standing(sessions(40), absent(1, 20), kaznu);
            assertThat(standing.absenceShare()).isEqualByComparingTo("0.5000");
            assertThat(standing.computedState()).isEqualTo(StandingState.OK);
            assertThat(standing.reason().code()).isEqualTo(StandingReason.Code.HOURS_OK);
            assertThat(text(standing)).contains("50 %. 15 h more before the lock at 36 h.");
        }

        @Test
        void lates_count_towards_the_hours() {
            Map<String, Mark> marks = merge(absent(1, 35), marks(36, 40, i -> Mark.late(id(i), 3)));
            Standing standing = standing(sessions(150), marks, kaznu);
            assertThat(standing.unexcusedHours()).isEqualTo(36);
            assertThat(standing.computedState()).isEqualTo(StandingState.LOCKED);
            assertThat(standing.reason().code()).isEqualTo(StandingReason.Code.HOURS_LOCKED);
            assertThat(text(standing)).contains("36 h reach the 36 h lock");
        }
    }

    @Nested
    class Overrides {
        private final Instant at = Instant.parse("2026-10-01T09:00:00Z");

        @Test
        void an_admitted_override_shows_ok_over_a_computed_lock() {
            var admitted = StandingOverride.admitted("dean's order 12", "dean@kaznu.kz", at);
            Standing standing = AbsenceCalculator.standing(sessions(10), absent(1, 5), null, Term.AFTER_TERM,
                    AbsencePolicy.defaults(), Optional.of(admitted));
            assertThat(standing.computedState()).isEqualTo(StandingState.LOCKED);
            assertThat(standing.state()).isEqualTo(StandingState.OK);
            assertThat(standing.override()).contains(admitted);
            assertThat(standing.reason().code()).isEqualTo(StandingReason.Code.SHARE_LOCKED);
            assertThat(text(standing)).contains("admitted to assessments despite the absences").contains("«dean's order 12»")
                    .contains("dean@kaznu.kz").contains("01.10.2026 14:00")
                    .contains("Without this decision the state would be: Locked.");
        }

        @Test
        void an_admitted_override_also_silences_a_warning() {
            Standing standing = AbsenceCalculator.standing(sessions(10), absent(1, 2), null, Term.AFTER_TERM,
                    AbsencePolicy.defaults(), Optional.of(StandingOverride.admitted("order 3", "dean", at)));
            assertThat(standing.computedState()).isEqualTo(StandingState.WARNING);
            assertThat(standing.state()).isEqualTo(StandingState.OK);
        }

        @Test
        void a_locked_override_locks_a_student_in_good_standing() {
            Standing standing = AbsenceCalculator.standing(sessions(10), Map.of(), null, Term.AFTER_TERM,
                    AbsencePolicy.defaults(), Optional.of(StandingOverride.locked("academic misconduct", "dean", at)));
            assertThat(standing.computedState()).isEqualTo(StandingState.OK);
            assertThat(standing.state()).isEqualTo(StandingState.LOCKED);
        }

        @Test
        void withdrawing_the_override_brings_back_the_computed_state() {
            Standing withdrawn = AbsenceCalculator.standing(sessions(10), absent(1, 5), null, Term.AFTER_TERM,
                    AbsencePolicy.defaults(), Optional.empty());
            assertThat(withdrawn.state()).isEqualTo(StandingState.LOCKED);
            assertThat(withdrawn.override()).isEmpty();
        }

        @Test
        void an_override_needs_a_reason_and_an_author() {
            assertThatThrownBy(() -> StandingOverride.admitted(" ", "dean", at)).hasMessageContaining("reason");
            assertThatThrownBy(() -> StandingOverride.locked("order", "", at)).hasMessageContaining("by");
        }
    }

    @Nested
    class Inputs {
        @Test
        void a_mark_filed_under_another_session_is_rejected() {
            assertThatThrownBy(() -> standing(sessions(3), Map.of("S-1", Mark.absent("S-2"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("S-1").hasMessageContaining("S-2");
        }

        @Test
        void a_timetable_with_a_session_twice_is_rejected() {
            List<PlannedSession> sessions = List.of(PlannedSession.of("S-1", Term.start(1)), PlannedSession.of("S-1", Term.start(2)));
            assertThatThrownBy(() -> standing(sessions, Map.of())).hasMessageContaining("S-1 appears twice");
        }

        @Test
        void marks_must_carry_what_their_status_needs() {
            assertThatThrownBy(() -> new Mark("S-1", AttendanceStatus.LATE, null, null)).hasMessageContaining("lateMinutes is required");
            assertThatThrownBy(() -> Mark.late("S-1", -1)).hasMessageContaining("lateMinutes must be ≥ 0");
            assertThatThrownBy(() -> new Mark("S-1", AttendanceStatus.PRESENT, 5, null)).hasMessageContaining("lateMinutes is only allowed");
            assertThatThrownBy(() -> Mark.excused("S-1", " ")).hasMessageContaining("reason is required");
            assertThatThrownBy(() -> Mark.absent(" ")).hasMessageContaining("sessionId");
        }

        @Test
        void a_session_has_at_least_one_hour() {
            assertThatThrownBy(() -> PlannedSession.of("S-1", Term.start(1), 0)).hasMessageContaining("hours must be ≥ 1");
        }
    }

    /** The reason (and decision) as the English pages and an English institution's API tell it. */
    private static String text(Standing standing) {
        return kz.qatysu.tool.attendance.standing.StandingTexts.sentence(kz.qatysu.tool.web.Messages.EN, standing);
    }
}
