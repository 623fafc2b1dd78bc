package kz.qatysu.tool.proctoring.analysis;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The calibration's arithmetic, on descriptors placed at known distances (the photographs are in ProctoringCommandTest). */
class CalibrationTest {

    static Descriptor at(double x) {
        float[] v = new float[128];
        v[0] = (float) x;
        return new Descriptor(v);
    }

    @Test
    void separated_distributions_suggest_the_middle_of_the_gap() {
        Map<String, List<Descriptor>> people = new LinkedHashMap<>();
        people.put("a", List.of(at(0.0), at(0.3)));
        people.put("b", List.of(at(1.1), at(1.5)));
        Calibration c = Calibration.of(people, 0.6);
        assertThat(c.same().sorted()).containsExactly(new double[]{0.3, 0.4}, within(1e-6));
        assertThat(c.different().sorted()).containsExactly(new double[]{0.8, 1.1, 1.2, 1.5}, within(1e-6));
        assertThat(c.overlap()).isFalse();
        assertThat(c.suggested()).isCloseTo(0.6, within(1e-6));
        assertThat(c.errors()).isEqualTo(new Calibration.Errors(0, 0));
        assertThat(c.same().percentile(50)).isCloseTo(0.3, within(1e-6));
    }

    @Test
    void overlapping_distributions_suggest_the_cut_with_the_fewest_wrong_decisions() {
        Map<String, List<Descriptor>> people = new LinkedHashMap<>();
        people.put("a", List.of(at(0.0), at(0.7)));
        people.put("b", List.of(at(1.2), at(1.3)));
        Calibration c = Calibration.of(people, 0.55);
        // same: 0.1, 0.7; different: 0.5, 0.6, 1.2, 1.3
        assertThat(c.overlap()).isTrue();
        assertThat(c.errors().sameRefused() + c.errors().differentAccepted()).isEqualTo(1);
        assertThat(c.currentErrors()).isEqualTo(new Calibration.Errors(1, 1));
    }

    @Test
    void without_pairs_of_both_kinds_nothing_is_suggested() {
        Calibration c = Calibration.of(Map.of("a", List.of(at(0), at(0.2))), 0.6);
        assertThat(c.different().count()).isZero();
        assertThat(c.suggested()).isNaN();
    }
}
