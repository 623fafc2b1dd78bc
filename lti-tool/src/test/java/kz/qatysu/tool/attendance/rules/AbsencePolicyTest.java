package kz.qatysu.tool.attendance.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class AbsencePolicyTest {

    @Test
    void the_defaults_are_regulation_000_section_2_11() {
        AbsencePolicy policy = AbsencePolicy.defaults();
        assertThat(policy.lockThreshold()).isEqualByComparingTo("0.30");
        assertThat(policy.warningThreshold()).isEqualByComparingTo("0.20");
        assertThat(policy.lateMinutesCountingAsAbsence()).isEqualTo(20);
        assertThat(policy.latesPerAbsence()).isEqualTo(5);
        assertThat(policy.denominator()).isEqualTo(AbsencePolicy.Denominator.ALL_PLANNED);
        assertThat(policy.unit()).isEqualTo(AbsencePolicy.Unit.SHARE);
        assertThat(policy.lockHours()).isEqualTo(36);
        assertThat(policy.warningHours()).isEqualTo(24);
    }

    @Test
    void a_course_override_changes_only_what_it_names() {
        AbsencePolicy course = AbsencePolicy.defaults().withOverrides(b -> b.latesPerAbsence(3));
        assertThat(course.latesPerAbsence()).isEqualTo(3);
        assertThat(course).isEqualTo(AbsencePolicy.defaults().toBuilder().latesPerAbsence(3).build());
        assertThat(course.withOverrides(b -> b.latesPerAbsence(5))).isEqualTo(AbsencePolicy.defaults());
        assertThat(AbsencePolicy.builder().build()).isEqualTo(AbsencePolicy.defaults());
    }

    @Test
    void the_edges_of_the_allowed_ranges_are_accepted() {
        AbsencePolicy edges = AbsencePolicy.defaults().withOverrides(b -> b.lockThreshold(BigDecimal.ONE)
                .warningThreshold(BigDecimal.ONE).lateMinutesCountingAsAbsence(0).latesPerAbsence(1)
                .lockHours(1).warningHours(1));
        assertThat(edges.lockThreshold()).isEqualByComparingTo("1");
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                arguments(change(b -> b.lockThreshold(BigDecimal.ZERO)), "lockThreshold must be in (0, 1], was 0"),
                arguments(change(b -> b.lockThreshold(new BigDecimal("1.01"))), "lockThreshold must be in (0, 1]"),
                arguments(change(b -> b.lockThreshold(new BigDecimal("-0.3"))), "lockThreshold must be in (0, 1]"),
                arguments(change(b -> b.lockThreshold(null)), "lockThreshold is required"),
                arguments(change(b -> b.warningThreshold(BigDecimal.ZERO)), "warningThreshold must be in (0, 1]"),
                arguments(change(b -> b.warningThreshold(new BigDecimal("2"))), "warningThreshold must be in (0, 1]"),
                arguments(change(b -> b.warningThreshold(null)), "warningThreshold is required"),
                arguments(change(b -> b.warningThreshold(new BigDecimal("0.35"))),
                        "warningThreshold (0.35) must not exceed lockThreshold (0.30)"),
                arguments(change(b -> b.lateMinutesCountingAsAbsence(-1)), "lateMinutesCountingAsAbsence must be ≥ 0, was -1"),
                arguments(change(b -> b.latesPerAbsence(0)), "latesPerAbsence must be ≥ 1, was 0"),
                arguments(change(b -> b.denominator(null)), "denominator is required"),
                arguments(change(b -> b.unit(null)), "unit is required"),
                arguments(change(b -> b.lockHours(0)), "lockHours must be ≥ 1, was 0"),
                arguments(change(b -> b.warningHours(0)), "warningHours must be ≥ 1, was 0"),
                arguments(change(b -> b.warningHours(40)), "warningHours (40) must not exceed lockHours (36)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalid")
    void an_invalid_policy_is_rejected_with_a_message_naming_the_field(Consumer<AbsencePolicy.Builder> change, String message) {
        assertThatThrownBy(() -> AbsencePolicy.defaults().withOverrides(change))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void every_problem_is_reported_at_once() {
        assertThatThrownBy(() -> AbsencePolicy.defaults().withOverrides(b -> b.lockThreshold(BigDecimal.TEN)
                .latesPerAbsence(0).lateMinutesCountingAsAbsence(-5)))
                .hasMessageContaining("lockThreshold").hasMessageContaining("latesPerAbsence")
                .hasMessageContaining("lateMinutesCountingAsAbsence");
    }

    private static Consumer<AbsencePolicy.Builder> change(Consumer<AbsencePolicy.Builder> change) {
        return change;
    }
}
