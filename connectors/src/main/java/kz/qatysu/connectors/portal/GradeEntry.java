package kz.qatysu.connectors.portal;

import java.math.BigDecimal;

/**
 * One assessment result: RK1 / midterm / RK2 / exam / final, as points on a scale of {@code max} (usually 100).
 */
public record GradeEntry(String sectionCode, String personId, Item item, BigDecimal score, BigDecimal max) {
    public enum Item {
        RK1, MIDTERM, RK2, EXAM, FINAL;

        /**
         * The item a portal column or an LMS grade item's ID number names, with the names universities use
         * ({@code rk1}, {@code РК1}, {@code MT}, {@code midterm}, {@code рубежный}, {@code экзамен}, …); null when none.
         */
        public static Item parse(String name) {
            if (name == null) {
                return null;
            }
            String k = name.strip().toLowerCase(java.util.Locale.ROOT).replace("-", "").replace("_", "").replace(" ", "");
            return switch (k) {
                case "rk1", "рк1" -> RK1;
                case "rk2", "рк2" -> RK2;
                case "midterm", "mt", "рубежный", "межелік" -> MIDTERM;
                case "exam", "экзамен", "емтихан" -> EXAM;
                case "final", "итог", "қорытынды" -> FINAL;
                default -> null;
            };
        }
    }

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
