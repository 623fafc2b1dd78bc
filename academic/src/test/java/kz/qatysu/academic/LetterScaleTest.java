package kz.qatysu.academic;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LetterScaleTest {
    /** The scale exactly as DESIGN.md quotes Order No. 152: the oracle of these tests. */
    static final String ORDER_152 = "A 95–100 (4.0), A− 90–94 (3.67), B+ 85–89 (3.33), B 80–84 (3.0), B− 75–79 (2.67), C+ 70–74 (2.33), "
            + "C 65–69 (2.0), C− 60–64 (1.67), D+ 55–59 (1.33), D 50–54 (1.0), FX 25–49 (0.5), F 0–24 (0).";

    record Band(String letter, int from, int to, BigDecimal points) {
    }

    static List<Band> order152() {
        Matcher m = Pattern.compile("([A-F][X+−]?) (\\d+)–(\\d+) \\(([\\d.]+)\\)").matcher(ORDER_152);
        List<Band> bands = new ArrayList<>();
        while (m.find()) {
            bands.add(new Band(m.group(1).replace('−', '-'), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), new BigDecimal(m.group(4))));
        }
        return bands;
    }

    /** The band whose whole-percent range holds the whole part of {@code percent}. */
    static Band expected(BigDecimal percent) {
        int whole = percent.setScale(0, RoundingMode.FLOOR).intValueExact();
        return order152().stream().filter(b -> whole >= b.from() && whole <= b.to()).findFirst().orElseThrow();
    }

    static LetterScale.Grade of(String percent) {
        return LetterScale.of(new BigDecimal(percent));
    }

    @Test
    void the_scale_has_the_letters_points_and_bands_of_order_152() {
        List<Band> bands = order152();
        assertThat(bands).hasSize(12);
        assertThat(LetterScale.grades()).hasSize(12);
        for (int i = 0; i < bands.size(); i++) {
            LetterScale.Grade g = LetterScale.grades().get(i);
            Band b = bands.get(i);
            assertThat(g.letter()).isEqualTo(b.letter());
            assertThat(g.fromPercent()).as(b.letter()).isEqualTo(b.from());
            assertThat(g.toPercent()).as(b.letter()).isEqualTo(b.to());
            assertThat(g.points()).as(b.letter()).isEqualByComparingTo(b.points());
        }
    }

    @Test
    void every_percentage_from_0_to_100_in_hundredths_falls_in_the_band_of_its_whole_percent() {
        for (int hundredths = 0; hundredths <= 10_000; hundredths++) {
            BigDecimal p = BigDecimal.valueOf(hundredths, 2);
            Band b = expected(p);
            LetterScale.Grade g = LetterScale.of(p);
            assertThat(g.letter()).as(p.toPlainString()).isEqualTo(b.letter());
            assertThat(g.points()).as(p.toPlainString()).isEqualByComparingTo(b.points());
        }
    }

    @Test
    void ninety_four_point_nine_nine_is_a_minus_and_ninety_five_is_a() {
        assertThat(of("94.99").letter()).isEqualTo("A-");
        assertThat(of("94.999999").letter()).isEqualTo("A-");
        assertThat(of("95").letter()).isEqualTo("A");
        assertThat(of("95.00").letter()).isEqualTo("A");
        assertThat(of("89.5").letter()).isEqualTo("B+");
    }

    @Test
    void each_band_holds_its_lower_edge_and_its_upper_edge_and_nothing_beyond() {
        for (Band b : order152()) {
            assertThat(of(b.from() + "").letter()).as("lower edge of " + b.letter()).isEqualTo(b.letter());
            assertThat(of(b.to() + "").letter()).as("upper whole edge of " + b.letter()).isEqualTo(b.letter());
            if (b.to() < 100) {
                assertThat(of(b.to() + ".99").letter()).as("upper edge of " + b.letter()).isEqualTo(b.letter());
                assertThat(of((b.to() + 1) + "").letter()).as("above " + b.letter()).isNotEqualTo(b.letter());
            }
            if (b.from() > 0) {
                assertThat(of(new BigDecimal(b.from()).subtract(new BigDecimal("0.01")).toPlainString()).letter())
                        .as("below " + b.letter()).isNotEqualTo(b.letter());
            }
        }
        assertThat(of("0").letter()).isEqualTo("F");
        assertThat(of("0").points()).isEqualByComparingTo("0");
        assertThat(of("100").letter()).isEqualTo("A");
        assertThat(of("100").points()).isEqualByComparingTo("4.0");
    }

    @Test
    void a_percentage_outside_0_to_100_is_refused() {
        for (String bad : List.of("-0.01", "-1", "100.01", "101", "1000")) {
            assertThatThrownBy(() -> of(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("between 0 and 100").hasMessageContaining(bad);
        }
        assertThatThrownBy(() -> LetterScale.of(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void points_out_of_a_maximum_are_compared_exactly_without_rounding_the_quotient() {
        assertThat(LetterScale.of(new BigDecimal("18.99"), new BigDecimal("20")).letter()).isEqualTo("A-");
        assertThat(LetterScale.of(new BigDecimal("19"), new BigDecimal("20")).letter()).isEqualTo("A");
        // 2/3 = 66.666…% is C; 44.99 of 90 = 49.988…% is FX although it rounds to 50.00
        assertThat(LetterScale.of(new BigDecimal("2"), new BigDecimal("3")).letter()).isEqualTo("C");
        assertThat(LetterScale.of(new BigDecimal("44.99"), new BigDecimal("90")).letter()).isEqualTo("FX");
        for (String max : List.of("7", "20", "300")) {
            BigDecimal m = new BigDecimal(max);
            for (BigDecimal pts = BigDecimal.ZERO.setScale(2); pts.compareTo(m) <= 0; pts = pts.add(new BigDecimal("0.01"))) {
                BigDecimal exactFloor = pts.multiply(BigDecimal.valueOf(100)).divide(m, 0, RoundingMode.FLOOR);
                assertThat(LetterScale.of(pts, m).letter()).as(pts + " of " + max).isEqualTo(expected(exactFloor).letter());
            }
        }
    }

    @Test
    void points_outside_0_to_the_maximum_or_a_maximum_of_0_are_refused() {
        assertThatThrownBy(() -> LetterScale.of(new BigDecimal("20.01"), new BigDecimal("20")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 0 and 20");
        assertThatThrownBy(() -> LetterScale.of(new BigDecimal("-1"), new BigDecimal("20")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> LetterScale.of(BigDecimal.ZERO, BigDecimal.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("above 0");
    }
}
