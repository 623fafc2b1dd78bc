package kz.qatysu.tool.admission;

import kz.qatysu.tool.admission.rules.ComponentScore;
import kz.qatysu.tool.admission.rules.RatingPolicy;
import kz.qatysu.tool.admission.rules.RatingRule;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The letter shown beside a rating percentage is the shared scale's, and truncating the share never moves it. */
class AdmissionTextsTest {
    static String letterOf(String rk1, String mt, String rk2) {
        var rating = RatingRule.rate(RatingPolicy.defaults(), Map.of(
                "RK1", new ComponentScore("RK1", new BigDecimal(rk1), new BigDecimal("100")),
                "MT", new ComponentScore("MT", new BigDecimal(mt), new BigDecimal("100")),
                "RK2", new ComponentScore("RK2", new BigDecimal(rk2), new BigDecimal("100"))));
        return AdmissionTexts.letter(rating.share());
    }

    @Test
    void a_share_at_a_bands_edge_takes_that_band_and_just_below_it_the_band_below() {
        assertThat(AdmissionTexts.letter(new BigDecimal("0.95"))).isEqualTo("A");
        assertThat(AdmissionTexts.letter(new BigDecimal("0.9499"))).isEqualTo("A-");
        assertThat(AdmissionTexts.letter(new BigDecimal("0.5"))).isEqualTo("D");
        assertThat(AdmissionTexts.letter(new BigDecimal("0.4999"))).isEqualTo("FX");
        assertThat(AdmissionTexts.letter(BigDecimal.ONE)).isEqualTo("A");
        assertThat(AdmissionTexts.letter(BigDecimal.ZERO)).isEqualTo("F");
    }

    @Test
    void the_letter_of_a_rating_follows_the_exact_points_not_a_rounded_percentage() {
        assertThat(letterOf("95", "95", "95")).isEqualTo("A");
        assertThat(letterOf("95", "95", "94.99")).as("284.99 of 300 = 94.996… %").isEqualTo("A-");
        assertThat(letterOf("50", "50", "50")).isEqualTo("D");
        assertThat(letterOf("50", "50", "49.99")).as("149.99 of 300").isEqualTo("FX");
        assertThat(letterOf("80", "62", "0")).as("142 of 300 = 47 %").isEqualTo("FX");
    }
}
