package kz.qatysu.sync.grades;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * The Kazakhstan letter-rating scale (Order No. 152, DESIGN.md): percent → letter and GPA points. A score is
 * rounded half-up to a whole percent first (89.5 counts as 90, A-), as journals record whole percents.
 */
public final class LetterScale {
    public record Grade(String letter, double points, int fromPercent) {
    }

    private static final List<Grade> SCALE = List.of(
            new Grade("A", 4.0, 95), new Grade("A-", 3.67, 90), new Grade("B+", 3.33, 85), new Grade("B", 3.0, 80),
            new Grade("B-", 2.67, 75), new Grade("C+", 2.33, 70), new Grade("C", 2.0, 65), new Grade("C-", 1.67, 60),
            new Grade("D+", 1.33, 55), new Grade("D", 1.0, 50), new Grade("FX", 0.5, 25), new Grade("F", 0.0, 0));

    private LetterScale() {
    }

    public static Grade of(BigDecimal percent) {
        if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException("a percentage between 0 and 100 expected, was " + percent.toPlainString());
        }
        int whole = percent.setScale(0, RoundingMode.HALF_UP).intValue();
        return SCALE.stream().filter(g -> whole >= g.fromPercent()).findFirst().orElseThrow();
    }
}
