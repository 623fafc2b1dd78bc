package kz.qatysu.tool.web;

import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HttpLimitsSettingsTest {
    private static HttpLimits read(Map<String, String> env, ConfigProblems problems) {
        return HttpLimits.read(new ConfigReader(ConfigSource.of("", env), problems));
    }

    @Test
    void the_defaults_are_production_limits() {
        ConfigProblems problems = new ConfigProblems();
        HttpLimits l = read(Map.of(), problems);
        assertThat(problems.list()).isEmpty();
        assertThat(l).isEqualTo(new HttpLimits(Duration.ofSeconds(30), Duration.ofSeconds(10), 2048, 32, 2, 16, Duration.ofSeconds(1)));
    }

    @Test
    void a_bad_value_is_reported_under_its_key() {
        ConfigProblems problems = new ConfigProblems();
        read(Map.of("QATYSU_HTTP_IDLE_TIMEOUT", "0s", "QATYSU_HTTP_MAX_CONCURRENT_UPLOADS", "500",
                "QATYSU_HTTP_REQUEST_HEADER_TIMEOUT", "1h", "QATYSU_HTTP_UPLOAD_SLOT_WAIT", "30s"), problems);
        assertThat(problems.list().toString()).contains("http.idleTimeout", "http.maxConcurrentUploads", "http.requestHeaderTimeout",
                "http.uploadSlotWait");
    }
}
