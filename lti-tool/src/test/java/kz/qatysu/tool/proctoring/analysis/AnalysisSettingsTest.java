package kz.qatysu.tool.proctoring.analysis;

import kz.qatysu.config.ConfigProblem;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnalysisSettingsTest {

    @Test
    void defaults_are_the_bundled_models_and_the_feasibility_run_settings() {
        ConfigProblems problems = new ConfigProblems();
        AnalysisSettings s = AnalysisSettings.read(new ConfigReader(ConfigSource.of("", Map.of()), problems));
        assertThat(problems.list()).isEmpty();
        assertThat(s).isEqualTo(AnalysisSettings.defaults());
        assertThat(s.scoreThreshold()).isEqualTo(0.8);
        assertThat(s.nmsThreshold()).isEqualTo(0.3);
        assertThat(s.maxSide()).isEqualTo(1280);
        assertThat(s.matchThreshold()).isEqualTo(0.6);
        assertThat(s.workers()).isEqualTo(1);
        assertThat(s.lookingAwayYaw()).isEqualTo(30);
        assertThat(s.detector().read()).hasSize(232_589);
    }

    @Test
    void a_models_folder_with_the_right_files_is_accepted(@TempDir Path dir) throws IOException {
        copyBundled(dir, AnalysisSettings.DETECTOR_FILE);
        copyBundled(dir, AnalysisSettings.EMBEDDER_FILE);
        ConfigProblems problems = new ConfigProblems();
        AnalysisSettings s = read(problems, Map.of("QATYSU_PROCTORING_MODELS_DIR", dir.toString()));
        assertThat(problems.list()).isEmpty();
        assertThat(s.detector().location()).isEqualTo(dir.resolve(AnalysisSettings.DETECTOR_FILE).toString());
    }

    @Test
    void a_model_with_another_sha256_is_refused_naming_the_key_and_the_file(@TempDir Path dir) throws IOException {
        copyBundled(dir, AnalysisSettings.EMBEDDER_FILE);
        // a "better" detector installed without configuring its sha256
        Files.write(dir.resolve(AnalysisSettings.DETECTOR_FILE), "not the YuNet model".getBytes());
        ConfigProblems problems = new ConfigProblems();
        read(problems, Map.of("QATYSU_PROCTORING_MODELS_DIR", dir.toString()));
        assertThat(problems.list()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("proctoring.detector.sha256");
            assertThat(p.problem()).contains(dir.resolve(AnalysisSettings.DETECTOR_FILE).toString())
                    .contains(ModelFile.sha256Hex("not the YuNet model".getBytes()));
        });
        // once its sha256 is configured, it is accepted (and would fail at analysis, not silently)
        ConfigProblems again = new ConfigProblems();
        read(again, Map.of("QATYSU_PROCTORING_MODELS_DIR", dir.toString(),
                "QATYSU_PROCTORING_DETECTOR_SHA256", ModelFile.sha256Hex("not the YuNet model".getBytes())));
        assertThat(again.list()).isEmpty();
    }

    @Test
    void a_missing_model_file_names_the_folder_and_bad_values_name_their_keys(@TempDir Path dir) throws IOException {
        copyBundled(dir, AnalysisSettings.DETECTOR_FILE);
        ConfigProblems problems = new ConfigProblems();
        read(problems, Map.of("QATYSU_PROCTORING_MODELS_DIR", dir.toString(),
                "QATYSU_PROCTORING_MATCH_THRESHOLD", "7", "QATYSU_PROCTORING_ANALYSIS_WORKERS", "0",
                "QATYSU_PROCTORING_DETECTOR_SCORE_THRESHOLD", "high", "QATYSU_PROCTORING_EMBEDDER_SHA256", "abc"));
        assertThat(problems.list()).extracting(ConfigProblem::path).containsExactlyInAnyOrder("proctoring.embedder.sha256",
                "proctoring.matchThreshold", "proctoring.analysisWorkers", "proctoring.detector.scoreThreshold");

        ConfigProblems missing = new ConfigProblems();
        read(missing, Map.of("QATYSU_PROCTORING_MODELS_DIR", dir.toString()));
        assertThat(missing.list()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("proctoring.modelsDir");
            assertThat(p.problem()).contains("no model file " + dir.resolve(AnalysisSettings.EMBEDDER_FILE));
        });
    }

    @Test
    void a_model_file_changed_after_start_up_is_refused_when_it_is_loaded(@TempDir Path dir) throws IOException {
        copyBundled(dir, AnalysisSettings.DETECTOR_FILE);
        ModelFile m = new ModelFile("proctoring.detector", java.util.Optional.of(dir), AnalysisSettings.DETECTOR_FILE,
                AnalysisSettings.DETECTOR_SHA256);
        assertThat(m.problem()).isEmpty();
        Files.write(dir.resolve(AnalysisSettings.DETECTOR_FILE), List.of("replaced"));
        assertThatThrownBy(m::read).hasMessageStartingWith("proctoring.detector.sha256: ")
                .hasMessageContaining("not the configured " + AnalysisSettings.DETECTOR_SHA256);
    }

    static AnalysisSettings read(ConfigProblems problems, Map<String, String> env) {
        return AnalysisSettings.read(new ConfigReader(ConfigSource.of("", env), problems));
    }

    static void copyBundled(Path dir, String name) throws IOException {
        try (InputStream in = ModelFile.class.getResourceAsStream(ModelFile.BUNDLED + name)) {
            Files.copy(in, dir.resolve(name));
        }
    }
}
