package kz.qatysu.tool.admission.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The 50 % rating rule as a pure function. Each score pᵢ out of mᵢ counts as pᵢ·Mᵢ/mᵢ of its component's configured
 * maximum Mᵢ; a missing component counts 0. The student is admitted on the rating when
 * {@code Σ pᵢ·Mᵢ/mᵢ ≥ t · Σ Mᵢ}. Scaling (50/60 × 100) does not terminate in decimals, so the comparison is made on
 * exact values, multiplied through by {@code L = Π mᵢ}: {@code Σ pᵢ·Mᵢ·(L/mᵢ) ≥ t·ΣMᵢ·L}, where {@code L/mᵢ} is the
 * product of the other maxima — every term a finite decimal product, nothing rounded before the comparison.
 */
public final class RatingRule {
    private static final int SHARE_SCALE = 4;
    private static final int POINTS_SCALE = 2;

    private RatingRule() {
    }

    /**
     * @param scores the student's scores by canonical component name; components the policy does not know are
     *               ignored (an API refuses them before they are stored)
     */
    public static Rating rate(RatingPolicy policy, Map<String, ComponentScore> scores) {
        List<ComponentScore> counted = new ArrayList<>();
        List<BigDecimal> configured = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Component c : policy.components()) {
            ComponentScore s = scores.get(c.name());
            if (s == null) {
                missing.add(c.name());
            } else {
                counted.add(s);
                configured.add(c.max());
            }
        }
        // L = Π mᵢ; numerator N = Σ pᵢ·Mᵢ·Π_{j≠i} mⱼ, so that N / L = Σ pᵢ·Mᵢ/mᵢ exactly.
        BigDecimal l = BigDecimal.ONE;
        for (ComponentScore s : counted) {
            l = l.multiply(s.max());
        }
        BigDecimal n = BigDecimal.ZERO;
        for (int i = 0; i < counted.size(); i++) {
            BigDecimal term = counted.get(i).points().multiply(configured.get(i));
            for (int j = 0; j < counted.size(); j++) {
                if (j != i) {
                    term = term.multiply(counted.get(j).max());
                }
            }
            n = n.add(term);
        }
        BigDecimal max = policy.maxTotal();
        BigDecimal required = policy.threshold().multiply(max).multiply(l);
        boolean admitted = n.compareTo(required) >= 0;
        BigDecimal share = n.divide(max.multiply(l), SHARE_SCALE, RoundingMode.DOWN);
        BigDecimal points = n.divide(l, POINTS_SCALE, RoundingMode.DOWN);
        BigDecimal needed = admitted ? BigDecimal.ZERO
                : required.subtract(n).divide(l, POINTS_SCALE, RoundingMode.UP);
        return new Rating(strip(points), strip(max), share, policy.threshold(), missing, counted, admitted, strip(needed));
    }

    private static BigDecimal strip(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }
}
