package kz.qatysu.tool.admission.rules;

import kz.qatysu.tool.attendance.rules.Standing;
import kz.qatysu.tool.attendance.rules.StandingOverride;
import kz.qatysu.tool.attendance.rules.StandingState;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

import static kz.qatysu.tool.admission.rules.RatingRuleTest.scores;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The exam gates as lists of conditions: in-term = attendance; final = attendance and rating; the override on top. */
class ExamGateTest {
    static final Instant AT = Instant.parse("2026-12-20T10:00:00Z");
    static final Rating BELOW = RatingRule.rate(RatingPolicy.defaults(), scores("RK1:49.5", "MT:100"));
    static final Rating REACHED = RatingRule.rate(RatingPolicy.defaults(), scores("RK1:50", "MT:100"));

    static Standing standing(StandingState computed, Optional<StandingOverride> override) {
        return new Standing(45, computed == StandingState.LOCKED ? 16 : 8, 0, 0, 0,
                new BigDecimal(computed == StandingState.LOCKED ? "0.3556" : "0.1778"), computed, override,
                new kz.qatysu.tool.attendance.rules.StandingReason(kz.qatysu.tool.attendance.rules.StandingReason.Code.SUMMARY, java.util.Map.of()), 0);
    }

    @Test
    void the_final_gate_lists_every_failed_condition() {
        Admission a = ExamGate.finalExam(standing(StandingState.LOCKED, Optional.empty()), BELOW, Optional.empty());
        assertThat(a.admitted()).isFalse();
        assertThat(a.reasons()).containsExactly("ATTENDANCE_LOCKED", "RATING_BELOW_THRESHOLD");
        assertThat(a.conditions()).extracting(Condition::kind).containsExactly(Condition.Kind.ATTENDANCE, Condition.Kind.RATING);
    }

    @Test
    void attendance_alone_or_rating_alone_is_not_enough_for_the_final_exam() {
        assertThat(ExamGate.finalExam(standing(StandingState.WARNING, Optional.empty()), BELOW, Optional.empty()).reasons())
                .containsExactly("RATING_BELOW_THRESHOLD");
        assertThat(ExamGate.finalExam(standing(StandingState.LOCKED, Optional.empty()), REACHED, Optional.empty()).reasons())
                .containsExactly("ATTENDANCE_LOCKED");
        Admission ok = ExamGate.finalExam(standing(StandingState.OK, Optional.empty()), REACHED, Optional.empty());
        assertThat(ok.admitted()).isTrue();
        assertThat(ok.reasons()).isEmpty();
    }

    @Test
    void the_in_term_gate_is_attendance_only() {
        assertThat(ExamGate.inTerm(standing(StandingState.WARNING, Optional.empty())).admitted()).isTrue();
        Admission locked = ExamGate.inTerm(standing(StandingState.LOCKED, Optional.empty()));
        assertThat(locked.admitted()).isFalse();
        assertThat(locked.reasons()).containsExactly("ATTENDANCE_LOCKED");
        assertThat(locked.condition(Condition.Kind.RATING)).isEmpty();
        assertThat(ExamGate.inTerm(null).admitted()).as("nothing computed yet: nothing missed").isTrue();
    }

    @Test
    void the_attendance_override_acts_on_both_gates() {
        Standing admittedByDean = standing(StandingState.LOCKED, Optional.of(StandingOverride.admitted("order 12", "dean", AT)));
        assertThat(ExamGate.inTerm(admittedByDean).admitted()).isTrue();
        assertThat(ExamGate.finalExam(admittedByDean, REACHED, Optional.empty()).admitted()).isTrue();
        Standing lockedByDean = standing(StandingState.OK, Optional.of(StandingOverride.locked("order 13", "dean", AT)));
        assertThat(ExamGate.inTerm(lockedByDean).admitted()).isFalse();
        assertThat(ExamGate.finalExam(lockedByDean, REACHED, Optional.empty()).reasons()).containsExactly("ATTENDANCE_LOCKED");
    }

    @Test
    void the_admission_override_wins_on_the_final_gate_and_the_computed_decision_stays_visible() {
        AdmissionOverride yes = new AdmissionOverride(AdmissionOverride.Decision.ADMITTED, "rector's order 7", "dean", AT);
        Admission a = ExamGate.finalExam(standing(StandingState.LOCKED, Optional.empty()), BELOW, Optional.of(yes));
        assertThat(a.admitted()).isTrue();
        assertThat(a.computedAdmitted()).isFalse();
        assertThat(a.reasons()).containsExactly("ATTENDANCE_LOCKED", "RATING_BELOW_THRESHOLD");

        AdmissionOverride no = new AdmissionOverride(AdmissionOverride.Decision.NOT_ADMITTED, "academic misconduct", "dean", AT);
        Admission b = ExamGate.finalExam(standing(StandingState.OK, Optional.empty()), REACHED, Optional.of(no));
        assertThat(b.admitted()).isFalse();
        assertThat(b.computedAdmitted()).isTrue();
        assertThat(b.reasons()).containsExactly(Admission.OVERRIDE_NOT_ADMITTED);
    }

    @Test
    void the_admission_override_cannot_act_on_the_in_term_gate() {
        AdmissionOverride yes = new AdmissionOverride(AdmissionOverride.Decision.ADMITTED, "x", "dean", AT);
        assertThatThrownBy(() -> new Admission(Admission.Gate.IN_TERM, java.util.List.of(), Optional.of(yes)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
