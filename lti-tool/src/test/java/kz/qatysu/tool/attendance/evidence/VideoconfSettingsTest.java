package kz.qatysu.tool.attendance.evidence;

import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code videoconf.*} is validated at start-up, every problem under its key, secrets never echoed. */
class VideoconfSettingsTest {

    @Test
    void nothing_configured_means_csv_upload_only_with_the_default_policy() {
        VideoconfSettings v = read(Map.of(), new ConfigProblems());
        assertThat(v.bbbSecret()).isEmpty();
        assertThat(v.zoom()).isEmpty();
        assertThat(v.policy()).isEqualTo(EvidencePolicy.defaults());
    }

    @Test
    void every_bad_value_is_reported_under_its_key_and_the_zoom_secret_is_masked() {
        ConfigProblems problems = new ConfigProblems();
        read(Map.of("QATYSU_VIDEOCONF_BBB_SECRET", "tiny-s3cr",
                "QATYSU_VIDEOCONF_ZOOM_CLIENT_ID", "s2s-client",
                "QATYSU_VIDEOCONF_EVIDENCE_MINIMUM_SHARE", "1.5",
                "QATYSU_VIDEOCONF_EVIDENCE_GRACE", "5h"), problems);
        String all = problems.list().toString();
        assertThat(all).contains("videoconf.bbb.secret", "videoconf.zoom.accountId", "videoconf.evidence.minimumShare",
                "videoconf.evidence.grace").doesNotContain("tiny-s3cr");

        ConfigProblems ok = new ConfigProblems();
        VideoconfSettings v = read(Map.of("QATYSU_VIDEOCONF_ZOOM_ACCOUNT_ID", "acc", "QATYSU_VIDEOCONF_ZOOM_CLIENT_ID", "cid",
                "QATYSU_VIDEOCONF_ZOOM_CLIENT_SECRET", "zoom-secret-value", "QATYSU_VIDEOCONF_EVIDENCE_MINIMUM_SHARE", "0.7",
                "QATYSU_VIDEOCONF_EVIDENCE_GRACE", "10m"), ok);
        assertThat(ok.list()).isEmpty();
        assertThat(v.zoom().orElseThrow().toString()).doesNotContain("zoom-secret-value");
        assertThat(v.policy()).isEqualTo(new EvidencePolicy(new BigDecimal("0.7"), Duration.ofMinutes(10)));
    }

    private static VideoconfSettings read(Map<String, String> env, ConfigProblems problems) {
        return VideoconfSettings.read(new ConfigReader(ConfigSource.of("", env), problems));
    }
}
