package kz.qatysu.academic;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * The Kazakhstan letter-rating scale (Order No. 152, DESIGN.md): a percentage → letter and GPA points.
 *
 * <p>The order names whole-percent bands (A− 90–94, A 95–100); a percentage belongs to the band whose lower edge it
 * reaches, decided on the exact decimal without rounding: 94.99 is A−, 95 is A, 89.5 is B+. Letters are written with
 * an ASCII hyphen ({@code A-}), as portal journals store them.
 */
public final class LetterScale {
    /**
     * One band of the scale.
     *
     * @param letter      {@code A}, {@code A-}, … {@code FX}, {@code F}
     * @param points      GPA points (4.0 … 0)
     * @param fromPercent the lowest percentage of the band (inclusive)
     * @param toPercent   the highest whole percentage the order names for the band; every percentage below
     *                    {@code toPercent + 1} (or up to 100 for A) belongs to it
     */
    public record Grade(String letter, BigDecimal points, int fromPercent, int toPercent) {
        public Grade {
            Objects.requireNonNull(letter, "letter");
            Objects.requireNonNull(points, "points");
        }
    }

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /** The bands, best first. */
    private static final List<Grade> SCALE = List.of(
            grade("A", "4.0", 95, 100), grade("A-", "3.67", 90, 94), grade("B+", "3.33", 85, 89), grade("B", "3.0", 80, 84),
            grade("B-", "2.67", 75, 79), grade("C+", "2.33", 70, 74), grade("C", "2.0", 65, 69), grade("C-", "1.67", 60, 64),
            grade("D+", "1.33", 55, 59), grade("D", "1.0", 50, 54), grade("FX", "0.5", 25, 49), grade("F", "0", 0, 24));

    private LetterScale() {
    }

    private static Grade grade(String letter, String points, int from, int to) {
        return new Grade(letter, new BigDecimal(points), from, to);
    }

    /** Every band, best first (A … F). */
    public static List<Grade> grades() {
        return SCALE;
    }

    /**
     * The band of a percentage in [0, 100].
     *
     * @throws IllegalArgumentException for a percentage below 0 or above 100
     */
    public static Grade of(BigDecimal percent) {
        Objects.requireNonNull(percent, "percent");
        if (percent.signum() < 0 || percent.compareTo(HUNDRED) > 0) {
            throw new IllegalArgumentException("a percentage between 0 and 100 expected, was " + percent.toPlainString());
        }
        for (Grade g : SCALE) {
            if (percent.compareTo(BigDecimal.valueOf(g.fromPercent())) >= 0) {
                return g;
            }
        }
        throw new IllegalStateException("the scale ends at 0");
    }

    /**
     * The band of {@code points} out of {@code max}, compared exactly ({@code points × 100 ≥ from × max}), so no
     * rounding of the quotient can move a score across an edge (18.99 of 20 = 94.95 % is A−).
     *
     * @throws IllegalArgumentException for {@code max ≤ 0} or points outside [0, max]
     */
    public static Grade of(BigDecimal points, BigDecimal max) {
        Objects.requireNonNull(points, "points");
        Objects.requireNonNull(max, "max");
        if (max.signum() <= 0) {
            throw new IllegalArgumentException("a maximum above 0 expected, was " + max.toPlainString());
        }
        if (points.signum() < 0 || points.compareTo(max) > 0) {
            throw new IllegalArgumentException("points between 0 and " + max.toPlainString() + " expected, was " + points.toPlainString());
        }
        BigDecimal scaled = points.multiply(HUNDRED);
        for (Grade g : SCALE) {
            if (scaled.compareTo(max.multiply(BigDecimal.valueOf(g.fromPercent()))) >= 0) {
                return g;
            }
        }
        throw new IllegalStateException("the scale ends at 0");
    }
}
