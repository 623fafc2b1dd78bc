package kz.qatysu.tool.admission.rules;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The 50 % rating rule at its boundaries: exact decimals, scaling to the configured maxima, missing components. */
class RatingRuleTest {
    static final RatingPolicy DEFAULTS = RatingPolicy.defaults();

    static Map<String, ComponentScore> scores(String... componentPointsMax) {
        Map<String, ComponentScore> out = new LinkedHashMap<>();
        for (String s : componentPointsMax) {
            String[] p = s.split("[:/]");
            out.put(p[0], new ComponentScore(p[0], new BigDecimal(p[1]), new BigDecimal(p.length > 2 ? p[2] : "100")));
        }
        return out;
    }

    @Test
    void exactly_150_of_300_is_admitted_and_shows_exactly_half() {
        Rating r = RatingRule.rate(DEFAULTS, scores("RK1:50", "MT:50", "RK2:50"));
        assertThat(r.admitted()).isTrue();
        assertThat(r.share()).isEqualByComparingTo("0.5");
        assertThat(r.points()).isEqualByComparingTo("150");
        assertThat(r.max()).isEqualByComparingTo("300");
        assertThat(r.missing()).isEmpty();
        assertThat(r.pointsNeeded()).isEqualByComparingTo("0");
    }

    @Test
    void one_hundredth_short_is_not_admitted_and_never_shows_half() {
        Rating r = RatingRule.rate(DEFAULTS, scores("RK1:49.99", "MT:50", "RK2:50"));
        assertThat(r.admitted()).isFalse();
        assertThat(r.points()).isEqualByComparingTo("149.99");
        assertThat(r.share()).as("149.99 / 300 = 0.49996…, truncated, not rounded to 0.5000").isEqualByComparingTo("0.4999");
        assertThat(r.pointsNeeded()).isEqualByComparingTo("0.01");
    }

    @Test
    void a_score_graded_out_of_60_is_scaled_to_its_configured_100() {
        Rating half = RatingRule.rate(DEFAULTS, scores("RK1:30/60", "MT:50", "RK2:50"));
        assertThat(half.admitted()).isTrue();
        assertThat(half.points()).isEqualByComparingTo("150");
        Rating r = RatingRule.rate(DEFAULTS, scores("RK1:50/60", "MT:66.67", "RK2:0"));
        assertThat(r.points()).as("83.333… + 66.67, truncated for display").isEqualByComparingTo("150");
        assertThat(r.admitted()).isTrue();
        Rating short_ = RatingRule.rate(DEFAULTS, scores("RK1:50/60", "MT:66.66", "RK2:0"));
        assertThat(short_.admitted()).isFalse();
        assertThat(short_.points()).isEqualByComparingTo("149.99");
        assertThat(short_.pointsNeeded()).isEqualByComparingTo("0.01");
    }

    @Test
    void no_rounding_happens_before_the_comparison() {
        // 20/30 of 100 = 66.666…; rounded to 66.67 it would reach 150.00 with MT's 83.33 — exactly it does not
        Rating r = RatingRule.rate(DEFAULTS, scores("RK1:20/30", "MT:83.33"));
        assertThat(r.admitted()).isFalse();
        assertThat(r.share()).isEqualByComparingTo("0.4999");
        assertThat(r.pointsNeeded()).isEqualByComparingTo("0.01");
        // and 1/3-scaled scores that add up to exactly half: 100/3 + 200/3 + 50 = 150
        Rating exact = RatingRule.rate(DEFAULTS, scores("RK1:10/30", "MT:20/30", "RK2:50"));
        assertThat(exact.admitted()).isTrue();
        assertThat(exact.share()).isEqualByComparingTo("0.5");
    }

    @Test
    void a_missing_component_counts_zero_and_is_named() {
        Rating r = RatingRule.rate(DEFAULTS, scores("RK1:100", "MT:50"));
        assertThat(r.missing()).containsExactly("RK2");
        assertThat(r.admitted()).isTrue();
        assertThat(r.components()).extracting(ComponentScore::component).containsExactly("RK1", "MT");
        Rating none = RatingRule.rate(DEFAULTS, Map.of());
        assertThat(none.missing()).containsExactly("RK1", "MT", "RK2");
        assertThat(none.admitted()).isFalse();
        assertThat(none.share()).isEqualByComparingTo("0");
        assertThat(none.pointsNeeded()).isEqualByComparingTo("150");
    }

    @Test
    void a_late_enrolment_does_not_excuse_a_component_it_missed() {
        // enrolled after RK1: RK1 still counts 0 of its 100, as for everyone (the rule has no enrolment date)
        Rating r = RatingRule.rate(DEFAULTS, scores("MT:80", "RK2:69.99"));
        assertThat(r.missing()).containsExactly("RK1");
        assertThat(r.admitted()).isFalse();
        assertThat(r.pointsNeeded()).isEqualByComparingTo("0.01");
    }

    @Test
    void other_maxima_and_thresholds_are_the_policys() {
        RatingPolicy policy = new RatingPolicy(List.of(
                new Component("RK1", new BigDecimal("60"), List.of()),
                new Component("MT", new BigDecimal("40"), List.of()),
                new Component("RK2", new BigDecimal("60"), List.of())), new BigDecimal("0.50"));
        assertThat(RatingRule.rate(policy, scores("RK1:30/60", "MT:20/40", "RK2:30/60")).admitted()).isTrue();
        Rating r = RatingRule.rate(policy, scores("RK1:50/100", "MT:20/40", "RK2:29.99/60"));
        assertThat(r.max()).isEqualByComparingTo("160");
        assertThat(r.points()).as("50/100 of 60 = 30").isEqualByComparingTo("79.99");
        assertThat(r.admitted()).isFalse();
        RatingPolicy section = DEFAULTS.withThreshold(new BigDecimal("0.60"));
        assertThat(RatingRule.rate(section, scores("RK1:60", "MT:60", "RK2:59.99")).admitted()).isFalse();
        assertThat(RatingRule.rate(section, scores("RK1:60", "MT:60", "RK2:60")).admitted()).isTrue();
    }

    @Test
    void aliases_resolve_to_their_component_without_regard_to_case() {
        assertThat(DEFAULTS.resolve("аб1").orElseThrow().name()).isEqualTo("RK1");
        assertThat(DEFAULTS.resolve("РК2").orElseThrow().name()).isEqualTo("RK2");
        assertThat(DEFAULTS.resolve("midterm").orElseThrow().name()).isEqualTo("MT");
        assertThat(DEFAULTS.resolve("RK3")).isEmpty();
    }

    @Test
    void an_inconsistent_policy_is_refused_naming_the_field() {
        assertThat(RatingPolicy.problems(List.of(new Component("RK1", BigDecimal.ZERO, List.of()),
                new Component("rk1", BigDecimal.TEN, List.of())), new BigDecimal("1.5")))
                .extracting(RatingPolicy.Problem::field)
                .containsExactly("threshold", "components[0].max", "components[1]");
        assertThatThrownBy(() -> new RatingPolicy(List.of(), RatingPolicy.DEFAULT_THRESHOLD))
                .hasMessageContaining("components");
    }
}
