package kz.qatysu.sync.admin;

import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.config.Secret;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AdminTokenTest {
    private static Optional<Secret> read(Map<String, String> env, ConfigProblems problems) {
        return AdminToken.read(new ConfigReader(ConfigSource.of("", env), problems));
    }

    @Test
    void unset_means_no_admin_pages_and_no_problem() {
        var problems = new ConfigProblems();
        assertThat(read(Map.of(), problems)).isEmpty();
        assertThat(problems.list()).isEmpty();
    }

    @Test
    void a_short_token_is_refused_naming_the_key_without_showing_it() {
        var problems = new ConfigProblems();
        assertThat(read(Map.of("QATYSU_SYNC_ADMIN_TOKEN", "short-secret", "QATYSU_SYNC_METRICS_PORT", "9464"), problems)).isEmpty();
        assertThat(problems.list()).hasSize(1);
        assertThat(problems.list().getFirst().toString()).contains("sync.admin.token").contains("32").doesNotContain("short-secret");
    }

    @Test
    void the_token_needs_the_http_endpoint_and_is_masked() {
        var problems = new ConfigProblems();
        var token = read(Map.of("QATYSU_SYNC_ADMIN_TOKEN", "x".repeat(40)), problems);
        assertThat(problems.list()).singleElement().asString().contains("sync.admin.token").contains("sync.metrics.port");
        assertThat(token.orElseThrow().toString()).isEqualTo("<masked>");
        var fine = new ConfigProblems();
        assertThat(read(Map.of("QATYSU_SYNC_ADMIN_TOKEN", "x".repeat(40), "QATYSU_SYNC_METRICS_PORT", "9464"), fine)).isPresent();
        assertThat(fine.list()).isEmpty();
    }
}
