package kz.qatysu.tool.admission.rules;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The points a student has in one component, out of the maximum the source graded it out of (a portal may grade
 * RK1 out of 60; the rating still counts RK1 out of its configured maximum).
 */
public record ComponentScore(String component, BigDecimal points, BigDecimal max) {
    public ComponentScore {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(points, "points");
        Objects.requireNonNull(max, "max");
        if (max.signum() <= 0) {
            throw new IllegalArgumentException("max must be positive, was " + max);
        }
        if (points.signum() < 0 || points.compareTo(max) > 0) {
            throw new IllegalArgumentException("points must be in [0, " + max + "], was " + points);
        }
    }
}
