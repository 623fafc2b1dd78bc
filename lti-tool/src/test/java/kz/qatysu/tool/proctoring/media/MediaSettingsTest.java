package kz.qatysu.tool.proctoring.media;

import kz.qatysu.config.ConfigProblem;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.tool.ToolSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MediaSettingsTest {
    @TempDir
    Path dir;

    @Test
    void by_default_media_is_kept_a_year_under_the_data_dir_with_2_mb_snapshots_and_8_mb_chunks() {
        var problems = new ConfigProblems();
        ToolSettings s = ToolSettings.read(new ConfigReader(ConfigSource.of("", Map.of("QATYSU_DATA_DIR", dir.toString())), problems));
        assertThat(problems.list()).isEmpty();
        MediaSettings m = s.proctoringMedia();
        assertThat(m.dir()).isEqualTo(dir.resolve("proctoring/media"));
        assertThat(m.retention()).isEqualTo(Duration.ofDays(365));
        assertThat(m.maxSnapshotBytes()).isEqualTo(2 * 1024 * 1024);
        assertThat(m.maxChunkBytes()).isEqualTo(8 * 1024 * 1024);
        assertThat(m.encryptionKey()).isEmpty();
    }

    @Test
    void ffmpeg_is_looked_up_on_the_path_unless_the_environment_names_another_program() {
        var problems = new ConfigProblems();
        Map<String, String> none = Map.of();
        assertThat(MediaSettings.read(new ConfigReader(ConfigSource.of("", none), problems), dir).ffmpeg()).isEqualTo("ffmpeg");
        assertThat(MediaSettings.read(new ConfigReader(ConfigSource.of("", Map.of(
                "QATYSU_PROCTORING_FFMPEG", "/opt/ffmpeg/bin/ffmpeg")), problems), dir).ffmpeg()).isEqualTo("/opt/ffmpeg/bin/ffmpeg");
        assertThat(problems.list()).isEmpty();
        MediaSettings.read(new ConfigReader(ConfigSource.of("", Map.of("QATYSU_PROCTORING_FFMPEG", "/opt/ff\u0007mpeg")), problems), dir);
        assertThat(problems.list()).extracting(ConfigProblem::path).containsExactly("proctoring.ffmpeg");
    }

    @Test
    void the_key_can_come_from_a_file_named_by_the_environment_and_is_used() throws IOException {
        byte[] key = MediaCipherTest.filled(32, 5);
        Path file = Files.writeString(dir.resolve("media.key"), Base64.getEncoder().encodeToString(key) + "\n");
        var problems = new ConfigProblems();
        MediaSettings m = MediaSettings.read(new ConfigReader(ConfigSource.of("", Map.of(
                "QATYSU_PROCTORING_MEDIA_ENCRYPTION_KEY_FILE", file.toString(),
                "QATYSU_PROCTORING_MEDIA_RETENTION", "1095d")), problems), dir);
        assertThat(problems.list()).isEmpty();
        assertThat(m.retention()).isEqualTo(Duration.ofDays(1095));
        assertThat(m.cipher().currentKeyId()).isEqualTo(MediaCipher.keyId(key));
        assertThat(dir.resolve(MediaSettings.KEY_FILE)).doesNotExist();
        assertThat(m.toString()).doesNotContain(Base64.getEncoder().encodeToString(key));
    }

    @Test
    void bad_values_are_reported_naming_their_keys() {
        var problems = new ConfigProblems();
        MediaSettings.read(new ConfigReader(ConfigSource.of("""
                proctoring:
                  media:
                    encryptionKey: c2hvcnQ=
                    retention: 12h
                    maxSnapshotBytes: 10
                    maxChunkBytes: lots
                """, Map.of()), problems), dir);
        assertThat(problems.list()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "proctoring.media.encryptionKey", "proctoring.media.retention",
                "proctoring.media.maxSnapshotBytes", "proctoring.media.maxChunkBytes");
        assertThat(problems.list()).filteredOn(p -> p.path().equals("proctoring.media.encryptionKey")).singleElement()
                .satisfies(p -> assertThat(p.problem()).contains("32 random bytes").doesNotContain("c2hvcnQ="));
    }
}
