package kz.qatysu.tool.admission.rules;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * A student's standing on the rating rule — the API's {@code rating} object.
 *
 * @param points       Σ of the scores, each scaled to its component's configured maximum, truncated to 2 decimals
 *                     (shown only: the decision is taken on exact values)
 * @param max          Σ of the configured maxima (300 by default)
 * @param share        points ÷ max truncated (not rounded) to 4 decimals, so a student short of the threshold never
 *                     shows it
 * @param threshold    the share that admits
 * @param missing      configured components without a score (each counted as 0)
 * @param components   the scores that counted, in the policy's order, as the source graded them
 * @param admitted     {@code Σ pᵢ·Mᵢ/mᵢ ≥ threshold · Σ Mᵢ}, decided on exact rationals
 * @param pointsNeeded how many more (scaled) points would admit, rounded up to 2 decimals; 0 when admitted
 */
public record Rating(BigDecimal points, BigDecimal max, BigDecimal share, BigDecimal threshold, List<String> missing,
                     List<ComponentScore> components, boolean admitted, BigDecimal pointsNeeded) {
    public Rating {
        Objects.requireNonNull(points, "points");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(share, "share");
        Objects.requireNonNull(threshold, "threshold");
        missing = List.copyOf(missing);
        components = List.copyOf(components);
        Objects.requireNonNull(pointsNeeded, "pointsNeeded");
    }
}
