package kz.qatysu.tool.admission.rules;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the rating rule over random policies and scores, against an independent oracle on exact fractions
 * (numerator and denominator as integers); seeded, so a failure names a case that can be replayed.
 */
class RatingRulePropertyTest {
    private static final long SEED = 20_261_225L;
    private static final int RUNS = 3_000;

    /** An exact fraction a/b, b > 0. */
    private record Fraction(BigInteger a, BigInteger b) {
        static Fraction of(BigDecimal d) {
            return d.scale() >= 0 ? new Fraction(d.unscaledValue(), BigInteger.TEN.pow(d.scale()))
                    : new Fraction(d.toBigIntegerExact(), BigInteger.ONE);
        }

        Fraction plus(Fraction o) {
            return new Fraction(a.multiply(o.b).add(o.a.multiply(b)), b.multiply(o.b));
        }

        Fraction times(Fraction o) {
            return new Fraction(a.multiply(o.a), b.multiply(o.b));
        }

        Fraction over(Fraction o) {
            return new Fraction(a.multiply(o.b), b.multiply(o.a));
        }

        int compareTo(Fraction o) {
            return a.multiply(o.b).compareTo(o.a.multiply(b));
        }
    }

    private record Case(RatingPolicy policy, Map<String, ComponentScore> scores) {
        Fraction exactShare() {
            Fraction sum = new Fraction(BigInteger.ZERO, BigInteger.ONE);
            for (Component c : policy.components()) {
                ComponentScore s = scores.get(c.name());
                if (s != null) {
                    sum = sum.plus(Fraction.of(s.points()).times(Fraction.of(c.max())).over(Fraction.of(s.max())));
                }
            }
            return sum.over(Fraction.of(policy.maxTotal()));
        }
    }

    @Test
    void the_decision_is_the_exact_comparison_and_the_share_is_truncated() {
        Random random = new Random(SEED);
        for (int run = 0; run < RUNS; run++) {
            Case c = randomCase(random);
            Rating r = RatingRule.rate(c.policy(), c.scores());
            Fraction exact = c.exactShare();
            boolean oracle = exact.compareTo(Fraction.of(c.policy().threshold())) >= 0;
            assertThat(r.admitted()).as("run %d: %s", run, c).isEqualTo(oracle);
            assertThat(Fraction.of(r.share()).compareTo(exact)).as("run %d: shown ≤ exact", run).isLessThanOrEqualTo(0);
            assertThat(exact.compareTo(Fraction.of(r.share().add(new BigDecimal("0.0001")))))
                    .as("run %d: exact < shown + 0.0001", run).isLessThan(0);
            if (!r.admitted()) {
                assertThat(r.share()).as("run %d: a student not admitted never shows the threshold", run)
                        .isLessThan(c.policy().threshold());
                assertThat(r.pointsNeeded()).isPositive();
            }
        }
    }

    @Test
    void more_points_never_take_the_admission_away() {
        Random random = new Random(SEED + 1);
        for (int run = 0; run < RUNS; run++) {
            Case c = randomCase(random);
            Rating before = RatingRule.rate(c.policy(), c.scores());
            Map<String, ComponentScore> more = new HashMap<>(c.scores());
            Component raised = c.policy().components().get(random.nextInt(c.policy().components().size()));
            ComponentScore old = more.get(raised.name());
            BigDecimal max = old == null ? raised.max() : old.max();
            BigDecimal points = old == null ? BigDecimal.ZERO : old.points();
            more.put(raised.name(), new ComponentScore(raised.name(),
                    points.add(max.subtract(points).multiply(new BigDecimal(random.nextInt(101))).movePointLeft(2))
                            .setScale(4, java.math.RoundingMode.DOWN), max));
            Rating after = RatingRule.rate(c.policy(), more);
            assertThat(after.share()).as("run %d", run).isGreaterThanOrEqualTo(before.share());
            if (before.admitted()) {
                assertThat(after.admitted()).as("run %d: %s → %s", run, c, more).isTrue();
            }
        }
    }

    private static Case randomCase(Random random) {
        int n = 1 + random.nextInt(4);
        List<Component> components = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            components.add(new Component("C" + i, decimal(random, 1, 200, random.nextInt(3)), List.of()));
        }
        BigDecimal threshold = new BigDecimal(1 + random.nextInt(10_000)).movePointLeft(4);
        RatingPolicy policy = new RatingPolicy(components, threshold);
        Map<String, ComponentScore> scores = new HashMap<>();
        for (Component c : components) {
            if (random.nextInt(5) == 0) {
                continue;
            }
            BigDecimal max = random.nextBoolean() ? c.max() : decimal(random, 1, 150, random.nextInt(3));
            BigDecimal points = max.multiply(new BigDecimal(random.nextInt(10_001))).movePointLeft(4)
                    .setScale(random.nextInt(3), java.math.RoundingMode.DOWN);
            scores.put(c.name(), new ComponentScore(c.name(), points, max));
        }
        return new Case(policy, scores);
    }

    private static BigDecimal decimal(Random random, int min, int max, int scale) {
        BigDecimal d = new BigDecimal(min + random.nextInt(max - min + 1));
        if (scale > 0) {
            d = d.add(new BigDecimal(random.nextInt((int) Math.pow(10, scale))).movePointLeft(scale));
        }
        return d;
    }
}
