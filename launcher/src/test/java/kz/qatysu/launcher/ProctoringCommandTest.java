package kz.qatysu.launcher;

import kz.qatysu.tool.proctoring.analysis.Photos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./qatysu proctoring calibrate DIR} on a folder of real photographs (lti-tool's test photographs). */
class ProctoringCommandTest {
    @TempDir
    Path dir;

    @Test
    void prints_the_same_and_different_distance_distributions_and_suggests_a_threshold() throws IOException {
        write("collins", "original.jpg", Photos.bytes(Photos.ASTRONAUT));
        write("collins", "mirrored.jpg", Photos.mirrored(Photos.ASTRONAUT));
        write("collins", "brighter.jpg", Photos.brightened(Photos.ASTRONAUT, 1.2, 20));
        write("hopper", "original.jpg", Photos.bytes(Photos.GRACE_HOPPER));
        write("hopper", "smaller.png", Photos.png(Photos.GRACE_HOPPER));
        write("hopper", "rotated.jpg", Photos.rotated(Photos.GRACE_HOPPER, 8));
        write("hopper", "cat.jpg", Photos.bytes(Photos.CAT));
        write("hopper", "notes.txt", "not a photograph".getBytes());
        write("hopper", "broken.jpg", "not a photograph either".getBytes());

        MainTest.Result r = MainTest.run(Map.of(), "proctoring", "calibrate", dir.toString());
        assertThat(r.code()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).contains("2 people, 6 photographs with one face (2 skipped)")
                .contains("skipped hopper/cat.jpg: no face found")
                .contains("skipped hopper/broken.jpg: not a JPEG or PNG")
                .doesNotContain("notes.txt")
                .contains("The distributions do not overlap")
                .contains("Configured proctoring.matchThreshold: 0.60  (0 refused, 0 accepted)");
        // 3 + 3 same-person pairs, 3 × 3 different-person pairs
        assertThat(r.out()).containsPattern("same person\\s+6 ").containsPattern("different people\\s+9 ");
        Matcher m = Pattern.compile("Suggested proctoring.matchThreshold: (\\d\\.\\d\\d)").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isBetween(0.3, 0.7);
    }

    @Test
    void a_missing_folder_or_too_few_people_is_said_plainly() throws IOException {
        MainTest.Result missing = MainTest.run(Map.of(), "proctoring", "calibrate", dir.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("is not a folder").contains("one folder per person");
        assertThat(MainTest.run(Map.of(), "proctoring").code()).isEqualTo(2);

        write("collins", "original.jpg", Photos.bytes(Photos.ASTRONAUT));
        write("collins", "mirrored.jpg", Photos.mirrored(Photos.ASTRONAUT));
        MainTest.Result one = MainTest.run(Map.of(), "proctoring", "calibrate", dir.toString());
        assertThat(one.code()).isEqualTo(1);
        assertThat(one.out()).contains("No threshold can be suggested");
    }

    @Test
    void a_bad_model_configuration_is_refused_naming_the_key() {
        MainTest.Result r = MainTest.run(Map.of("QATYSU_PROCTORING_MODELS_DIR", dir.toString()), "proctoring", "calibrate", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("proctoring.modelsDir").contains("no model file");
    }

    void write(String person, String name, byte[] bytes) throws IOException {
        Files.createDirectories(dir.resolve(person));
        Files.write(dir.resolve(person).resolve(name), bytes);
    }
}
