package kz.qatysu.tool.attendance.rules;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static kz.qatysu.tool.attendance.rules.Term.absent;
import static kz.qatysu.tool.attendance.rules.Term.merge;
import static kz.qatysu.tool.attendance.rules.Term.sessions;
import static kz.qatysu.tool.attendance.rules.Term.standing;
import static org.assertj.core.api.Assertions.assertThat;

class StateTransitionTest {
    private static final Instant AT = Instant.parse("2026-10-01T09:00:00Z");
    private static final List<PlannedSession> TEN = sessions(10);

    private static Standing withOverride(Map<String, Mark> marks, StandingOverride override) {
        return AbsenceCalculator.standing(TEN, marks, null, Term.AFTER_TERM, AbsencePolicy.defaults(), Optional.of(override));
    }

    @Test
    void no_change_of_state_is_no_transition() {
        assertThat(StateTransition.detect(standing(TEN, absent(1, 2)), standing(TEN, absent(1, 3)))).isEmpty();
    }

    @Test
    void a_new_absence_that_crosses_twenty_percent_is_a_worsening_transition() {
        var transition = StateTransition.detect(standing(TEN, absent(1, 1)), standing(TEN, absent(1, 2))).orElseThrow();
        assertThat(transition.from()).isEqualTo(StandingState.OK);
        assertThat(transition.to()).isEqualTo(StandingState.WARNING);
        assertThat(transition.cause()).isEqualTo(StateTransition.Cause.ABSENCES_ROSE);
        assertThat(transition.isWorsening()).isTrue();
        assertThat(transition.detail()).contains("1/10 h (0.1000, OK)").contains("2/10 h (0.2000, WARNING)");
    }

    @Test
    void an_excuse_that_lifts_the_lock_is_an_improving_transition() {
        Map<String, Mark> locked = absent(1, 4);
        Map<String, Mark> excused = merge(locked, Map.of("S-4", Mark.excused("S-4", "medical certificate")));
        var transition = StateTransition.detect(standing(TEN, locked), standing(TEN, excused)).orElseThrow();
        assertThat(transition.from()).isEqualTo(StandingState.LOCKED);
        assertThat(transition.to()).isEqualTo(StandingState.WARNING);
        assertThat(transition.cause()).isEqualTo(StateTransition.Cause.ABSENCES_FELL);
        assertThat(transition.isWorsening()).isFalse();
    }

    @Test
    void a_fifth_late_is_an_absence_rise() {
        Map<String, Mark> base = merge(absent(1, 1), Term.marks(2, 5, i -> Mark.late(Term.id(i), 3)));
        Map<String, Mark> fifth = merge(base, Map.of("S-6", Mark.late("S-6", 3)));
        var transition = StateTransition.detect(standing(TEN, base), standing(TEN, fifth)).orElseThrow();
        assertThat(transition.cause()).isEqualTo(StateTransition.Cause.ABSENCES_ROSE);
        assertThat(transition.to()).isEqualTo(StandingState.WARNING);
    }

    @Test
    void cancelled_sessions_change_the_planned_hours() {
        List<PlannedSession> fewer = new ArrayList<>(TEN);
        fewer.set(9, fewer.get(9).asCancelled());
        var transition = StateTransition.detect(standing(TEN, absent(1, 3)), standing(fewer, absent(1, 3))).orElseThrow();
        assertThat(transition.cause()).isEqualTo(StateTransition.Cause.PLANNED_HOURS_CHANGED);
        assertThat(transition.to()).isEqualTo(StandingState.LOCKED);
    }

    @Test
    void a_stricter_policy_with_the_same_numbers_is_a_policy_change() {
        AbsencePolicy strict = AbsencePolicy.defaults().withOverrides(b -> b
                .lockThreshold(new java.math.BigDecimal("0.20")).warningThreshold(new java.math.BigDecimal("0.10")));
        var transition = StateTransition.detect(standing(TEN, absent(1, 3)), standing(TEN, absent(1, 3), strict)).orElseThrow();
        assertThat(transition.cause()).isEqualTo(StateTransition.Cause.POLICY_CHANGED);
    }

    @Test
    void an_override_set_withdrawn_or_changed_is_named_as_such() {
        Standing locked = standing(TEN, absent(1, 4));
        Standing admitted = withOverride(absent(1, 4), StandingOverride.admitted("dean's order 12", "dean", AT));
        Standing lockedByDean = withOverride(Map.of(), StandingOverride.locked("misconduct", "dean", AT));
        Standing admittedClean = withOverride(Map.of(), StandingOverride.admitted("order", "dean", AT));

        assertThat(StateTransition.detect(locked, admitted).orElseThrow())
                .extracting(StateTransition::from, StateTransition::to, StateTransition::cause)
                .containsExactly(StandingState.LOCKED, StandingState.OK, StateTransition.Cause.OVERRIDE_SET);
        assertThat(StateTransition.detect(admitted, locked).orElseThrow().cause())
                .isEqualTo(StateTransition.Cause.OVERRIDE_WITHDRAWN);
        assertThat(StateTransition.detect(admittedClean, lockedByDean).orElseThrow().cause())
                .isEqualTo(StateTransition.Cause.OVERRIDE_CHANGED);
    }

    @Test
    void while_admitted_a_computed_lock_is_no_effective_transition_but_is_a_computed_one() {
        Standing before = withOverride(absent(1, 2), StandingOverride.admitted("order", "dean", AT));
        Standing after = withOverride(absent(1, 5), StandingOverride.admitted("order", "dean", AT));
        assertThat(StateTransition.detect(before, after)).isEmpty();
        var computed = StateTransition.detectComputed(before, after).orElseThrow();
        assertThat(computed.from()).isEqualTo(StandingState.WARNING);
        assertThat(computed.to()).isEqualTo(StandingState.LOCKED);
        assertThat(computed.cause()).isEqualTo(StateTransition.Cause.ABSENCES_ROSE);
    }

    @Test
    void a_first_standing_is_compared_with_ok() {
        assertThat(StateTransition.detect(null, standing(TEN, Map.of()))).isEmpty();
        var first = StateTransition.detect(null, standing(TEN, absent(1, 5))).orElseThrow();
        assertThat(first.from()).isEqualTo(StandingState.OK);
        assertThat(first.to()).isEqualTo(StandingState.LOCKED);
        assertThat(first.cause()).isEqualTo(StateTransition.Cause.ABSENCES_ROSE);
        assertThat(first.detail()).startsWith("nothing recorded →");
    }
}
