package kz.qatysu.tool.proctoring.results;

import kz.qatysu.config.ConfigProblem;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.tool.proctoring.attempts.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code proctoring.results.score.*}: clean 1, suspicious 0.5, violation 0 unless configured; bad values named. */
class ResultsSettingsTest {

    static List<String> problems(Map<String, String> env) {
        ConfigProblems problems = new ConfigProblems();
        ResultsSettings.read(new ConfigReader(ConfigSource.of("", env), problems));
        return problems.list().stream().map(ConfigProblem::path).toList();
    }

    @Test
    void the_defaults_are_one_half_and_zero() {
        ConfigProblems problems = new ConfigProblems();
        ResultsSettings s = ResultsSettings.read(new ConfigReader(ConfigSource.of("", Map.of()), problems));
        assertThat(problems.list()).isEmpty();
        assertThat(s.score(Verdict.Outcome.CLEAN)).isEqualTo(1);
        assertThat(s.score(Verdict.Outcome.SUSPICIOUS)).isEqualTo(0.5);
        assertThat(s.score(Verdict.Outcome.VIOLATION)).isEqualTo(0);
    }

    @Test
    void a_score_outside_zero_to_one_or_out_of_order_is_named_by_its_key() {
        assertThat(problems(Map.of("QATYSU_PROCTORING_RESULTS_SCORE_CLEAN", "2"))).containsExactly("proctoring.results.score.clean");
        assertThat(problems(Map.of("QATYSU_PROCTORING_RESULTS_SCORE_SUSPICIOUS", "0.1", "QATYSU_PROCTORING_RESULTS_SCORE_VIOLATION", "0.2")))
                .containsExactly("proctoring.results.score.violation");
        assertThat(problems(Map.of("QATYSU_PROCTORING_RESULTS_SCORE_CLEAN", "0.4"))).containsExactly("proctoring.results.score.suspicious");
    }
}
