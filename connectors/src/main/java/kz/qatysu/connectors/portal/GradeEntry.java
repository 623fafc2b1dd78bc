package kz.qatysu.connectors.portal;

import java.math.BigDecimal;

/**
 * One assessment result: RK1 / midterm / RK2 / exam / final, as points on a scale of {@code max} (usually 100).
 */
public record GradeEntry(String sectionCode, String personId, Item item, BigDecimal score, BigDecimal max) {
    public enum Item { RK1, MIDTERM, RK2, EXAM, FINAL }

    public String key() {
        return sectionCode + "/" + personId + "/" + item;
    }

    /** The score on a 0–100 scale. */
    public BigDecimal percent() {
        if (max.compareTo(BigDecimal.valueOf(100)) == 0) {
            return score;
        }
        return score.multiply(BigDecimal.valueOf(100)).divide(max, 2, java.math.RoundingMode.HALF_UP);
    }
}
