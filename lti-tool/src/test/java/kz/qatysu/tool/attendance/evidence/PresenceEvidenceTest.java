package kz.qatysu.tool.attendance.evidence;

import kz.qatysu.tool.attendance.rules.AttendanceStatus;
import kz.qatysu.tool.attendance.rules.Mark;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A 50-minute class 08:00–08:50 (UTC+5 timetable, stored as instants); default policy 50 %, 5 min grace. */
class PresenceEvidenceTest {
    static final Instant START = Instant.parse("2025-09-24T03:00:00Z");
    static final Instant END = START.plus(Duration.ofMinutes(50));
    static final EvidencePolicy POLICY = EvidencePolicy.defaults();

    static Instant at(int minute, int second) {
        return START.plus(Duration.ofMinutes(minute).plusSeconds(second));
    }

    static Instant at(int minute) {
        return at(minute, 0);
    }

    static Interval iv(String person, Instant join, Instant leave) {
        return new Interval(person, join, leave);
    }

    static ProposedMark one(Interval... intervals) {
        List<ProposedMark> marks = PresenceEvidence.propose(START, END, List.of(intervals), POLICY);
        assertThat(marks).hasSize(1);
        return marks.getFirst();
    }

    @Test
    void whole_class_is_present_with_all_minutes() {
        ProposedMark m = one(iv("p1", at(0), at(50)));
        assertThat(m.status()).isEqualTo(AttendanceStatus.PRESENT);
        assertThat(m.lateMinutes()).isNull();
        assertThat(m.minutesPresent()).isEqualByComparingTo("50");
        assertThat(m.firstJoin()).isEqualTo(START);
        assertThat(m.explanation()).contains("present 50.00 of 50 scheduled minutes");
    }

    @Test
    void joining_before_the_start_and_staying_after_the_end_is_clipped_to_the_window() {
        ProposedMark m = one(iv("p1", START.minus(Duration.ofMinutes(15)), END.plus(Duration.ofMinutes(30))));
        assertThat(m.status()).isEqualTo(AttendanceStatus.PRESENT);
        assertThat(m.minutesPresent()).isEqualByComparingTo("50");
        assertThat(m.firstJoin()).isEqualTo(START);
    }

    @Test
    void exactly_the_minimum_share_is_enough() {
        ProposedMark m = one(iv("p1", at(0), at(25)));
        assertThat(m.status()).isEqualTo(AttendanceStatus.PRESENT);
        assertThat(m.minutesPresent()).isEqualByComparingTo("25");
    }

    @Test
    void one_second_below_the_minimum_share_is_absent() {
        ProposedMark m = one(iv("p1", at(0), at(24, 59)));
        assertThat(m.status()).isEqualTo(AttendanceStatus.ABSENT);
        assertThat(m.minutesPresent()).isEqualByComparingTo("24.98");
        assertThat(m.firstJoin()).isEqualTo(START);
        assertThat(m.explanation()).contains("less than the required 50 %");
    }

    @Test
    void joining_exactly_at_the_end_of_the_grace_is_on_time() {
        ProposedMark m = one(iv("p1", at(5), at(50)));
        assertThat(m.status()).isEqualTo(AttendanceStatus.PRESENT);
        assertThat(m.firstJoin()).isEqualTo(at(5));
    }

    @Test
    void one_second_after_the_grace_is_late_and_the_started_minute_counts() {
        ProposedMark m = one(iv("p1", at(5, 1), at(50)));
        assertThat(m.status()).isEqualTo(AttendanceStatus.LATE);
        assertThat(m.lateMinutes()).isEqualTo(6);
        assertThat(m.explanation()).contains("first joined 6 min after the start");
    }

    @Test
    void late_by_exactly_twenty_minutes_stays_a_late_of_twenty() {
        ProposedMark m = one(iv("p1", at(20), at(50)));
        assertThat(m.status()).isEqualTo(AttendanceStatus.LATE);
        assertThat(m.lateMinutes()).isEqualTo(20);
    }

    @Test
    void late_by_twenty_minutes_and_one_second_is_21_so_the_absence_rule_applies() {
        ProposedMark m = one(iv("p1", at(20, 1), at(50)));
        assertThat(m.status()).isEqualTo(AttendanceStatus.LATE);
        assertThat(m.lateMinutes()).isEqualTo(21);
        assertThat(m.toMark("s1")).isEqualTo(Mark.late("s1", 21));
    }

    @Test
    void late_and_too_short_is_absent_not_late() {
        ProposedMark m = one(iv("p1", at(26), at(50)));
        assertThat(m.status()).isEqualTo(AttendanceStatus.ABSENT);
        assertThat(m.lateMinutes()).isNull();
        assertThat(m.minutesPresent()).isEqualByComparingTo("24");
    }

    @Test
    void late_is_measured_from_the_first_moment_inside_the_window() {
        ProposedMark m = one(iv("p1", at(10), at(50)), iv("p1", START.minus(Duration.ofMinutes(10)), START));
        assertThat(m.status()).isEqualTo(AttendanceStatus.LATE);
        assertThat(m.lateMinutes()).isEqualTo(10);
        assertThat(m.firstJoin()).isEqualTo(at(10));
    }

    @Test
    void reconnects_that_overlap_are_counted_once() {
        ProposedMark m = one(iv("p1", at(0), at(20)), iv("p1", at(15), at(40)), iv("p1", at(18), at(19)));
        assertThat(m.minutesPresent()).isEqualByComparingTo("40");
        assertThat(m.status()).isEqualTo(AttendanceStatus.PRESENT);
    }

    @Test
    void a_contained_interval_adds_nothing() {
        ProposedMark m = one(iv("p1", at(0), at(30)), iv("p1", at(5), at(10)));
        assertThat(m.minutesPresent()).isEqualByComparingTo("30");
    }

    @Test
    void touching_intervals_merge_and_gaps_are_not_counted() {
        ProposedMark m = one(iv("p1", at(20), at(30)), iv("p1", at(0), at(10)), iv("p1", at(10), at(15)));
        assertThat(m.minutesPresent()).isEqualByComparingTo("25");
        assertThat(m.status()).isEqualTo(AttendanceStatus.PRESENT);
    }

    @Test
    void intervals_in_any_order_give_the_same_answer() {
        ProposedMark a = one(iv("p1", at(30), at(45)), iv("p1", at(6), at(20)));
        ProposedMark b = one(iv("p1", at(6), at(20)), iv("p1", at(30), at(45)));
        assertThat(a).isEqualTo(b);
        assertThat(a.minutesPresent()).isEqualByComparingTo("29");
        assertThat(a.lateMinutes()).isEqualTo(6);
    }

    @Test
    void intervals_entirely_outside_the_window_count_nothing() {
        ProposedMark m = one(iv("p1", START.minus(Duration.ofHours(2)), START.minus(Duration.ofHours(1))),
                iv("p1", END, END.plus(Duration.ofMinutes(10))));
        assertThat(m.status()).isEqualTo(AttendanceStatus.ABSENT);
        assertThat(m.minutesPresent()).isEqualByComparingTo("0");
        assertThat(m.firstJoin()).isNull();
        assertThat(m.explanation()).contains("not present");
    }

    @Test
    void a_zero_length_interval_is_accepted_and_carries_no_presence() {
        ProposedMark m = one(iv("p1", at(0), at(0)), iv("p1", at(10), at(40)));
        assertThat(m.minutesPresent()).isEqualByComparingTo("30");
        assertThat(m.firstJoin()).isEqualTo(at(10));
        assertThat(m.status()).isEqualTo(AttendanceStatus.LATE);
    }

    @Test
    void minutes_present_keep_seconds_as_a_fraction_rounded_down() {
        ProposedMark m = one(iv("p1", at(0), at(40, 50)));
        assertThat(m.minutesPresent()).isEqualByComparingTo("40.83");
    }

    @Test
    void roster_people_without_intervals_are_absent_and_guests_are_reported() {
        Proposal p = PresenceEvidence.propose(START, END, List.of("20B030123", "20B030124", "20B030125"),
                List.of(iv("20B030124", at(0), at(50)), iv("guest-7", at(0), at(50)), iv("guest-3", at(1), at(2))), POLICY);
        assertThat(p.marks()).extracting(ProposedMark::personId).containsExactly("20B030123", "20B030124", "20B030125");
        assertThat(p.of("20B030123").orElseThrow().status()).isEqualTo(AttendanceStatus.ABSENT);
        assertThat(p.of("20B030123").orElseThrow().minutesPresent()).isEqualByComparingTo("0");
        assertThat(p.of("20B030124").orElseThrow().status()).isEqualTo(AttendanceStatus.PRESENT);
        assertThat(p.of("20B030125").orElseThrow().status()).isEqualTo(AttendanceStatus.ABSENT);
        assertThat(p.notOnRoster()).containsExactly("guest-3", "guest-7");
    }

    @Test
    void people_are_kept_apart() {
        List<ProposedMark> marks = PresenceEvidence.propose(START, END,
                List.of(iv("b", at(0), at(50)), iv("a", at(30), at(50))), POLICY);
        assertThat(marks).extracting(ProposedMark::personId, ProposedMark::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", AttendanceStatus.ABSENT),
                        org.assertj.core.groups.Tuple.tuple("b", AttendanceStatus.PRESENT));
    }

    @Test
    void the_minimum_share_and_grace_are_configurable() {
        EvidencePolicy strict = POLICY.withMinimumShare(new BigDecimal("0.70")).withGrace(Duration.ZERO);
        List<ProposedMark> marks = PresenceEvidence.propose(START, END, List.of(
                iv("exactly70", at(0), at(35)), iv("below70", at(0), at(34, 59)), iv("oneSecondLate", at(0, 1), at(50))), strict);
        assertThat(marks).extracting(ProposedMark::personId, ProposedMark::status, ProposedMark::lateMinutes).containsExactly(
                org.assertj.core.groups.Tuple.tuple("below70", AttendanceStatus.ABSENT, null),
                org.assertj.core.groups.Tuple.tuple("exactly70", AttendanceStatus.PRESENT, null),
                org.assertj.core.groups.Tuple.tuple("oneSecondLate", AttendanceStatus.LATE, 1));
    }

    @Test
    void a_full_share_requires_every_second() {
        EvidencePolicy all = POLICY.withMinimumShare(BigDecimal.ONE);
        assertThat(PresenceEvidence.propose(START, END, List.of(iv("p", at(0), at(50))), all).getFirst().status())
                .isEqualTo(AttendanceStatus.PRESENT);
        assertThat(PresenceEvidence.propose(START, END, List.of(iv("p", at(0, 1), at(50))), all).getFirst().status())
                .isEqualTo(AttendanceStatus.ABSENT);
    }

    @Test
    void leave_before_join_is_rejected_naming_the_person() {
        assertThatThrownBy(() -> one(iv("20B030123", at(30), at(10))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'20B030123'")
                .hasMessageContaining("leaves before it joins")
                .hasMessageContaining(at(30).toString());
    }

    @Test
    void a_missing_time_or_person_is_rejected_clearly() {
        assertThatThrownBy(() -> one(iv("Айгерим", at(0), null))).hasMessageContaining("'Айгерим' has no leave time");
        assertThatThrownBy(() -> one(iv("p1", null, at(3)))).hasMessageContaining("'p1' has no join time");
        assertThatThrownBy(() -> one(iv(" ", at(0), at(3)))).hasMessageContaining("no person id");
    }

    @Test
    void an_empty_or_reversed_window_is_rejected() {
        assertThatThrownBy(() -> PresenceEvidence.propose(START, START, List.of(), POLICY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must end after it starts");
        assertThatThrownBy(() -> PresenceEvidence.propose(END, START, List.of(), POLICY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void duplicate_roster_ids_are_rejected() {
        assertThatThrownBy(() -> PresenceEvidence.propose(START, END, List.of("a", "a"), List.of(), POLICY))
                .hasMessageContaining("unique");
    }

    @Test
    void an_impossible_policy_names_every_problem() {
        assertThatThrownBy(() -> new EvidencePolicy(new BigDecimal("1.5"), Duration.ofMinutes(-1)))
                .hasMessageContaining("minimumShare must be in (0, 1], was 1.5")
                .hasMessageContaining("grace must be ≥ 0");
        assertThatThrownBy(() -> new EvidencePolicy(BigDecimal.ZERO, Duration.ZERO)).hasMessageContaining("minimumShare");
    }

    @Test
    void proposals_become_marks_only_when_confirmed() {
        ProposedMark present = one(iv("p1", at(0), at(50)));
        ProposedMark absent = one(iv("p1", at(0), at(1)));
        assertThat(present.toMark("s1")).isEqualTo(Mark.present("s1"));
        assertThat(absent.toMark("s1")).isEqualTo(Mark.absent("s1"));
    }
}
