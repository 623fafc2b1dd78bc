package kz.qatysu.tool.moodle;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import kz.qatysu.config.ConfigProblem;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.tool.LtiToolApp;
import kz.qatysu.tool.notify.NotifySettings;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code moodle[i]}: one Moodle configuration for the warnings and the quiz gate; {@code notify.moodle[i]} its alias. */
class MoodleSettingsTest {

    record Read(MoodleSettings settings, NotifySettings warningsSettings, List<String> problems) {
    }

    static Read read(String yaml, Map<String, String> env) {
        ConfigProblems problems = new ConfigProblems();
        ConfigReader r = new ConfigReader(ConfigSource.of(yaml, env), problems);
        MoodleSettings s = MoodleSettings.read(r);
        NotifySettings n = NotifySettings.read(r, s.sites());
        return new Read(s, n, problems.list().stream().map(ConfigProblem::path).toList());
    }

    @Test
    void the_shared_moodle_entries_serve_the_warnings_too() {
        Read r = read("", Map.of("QATYSU_MOODLE_0_ISSUER", "https://moodle.university.kz",
                "QATYSU_MOODLE_0_URL", "https://moodle.university.kz", "QATYSU_MOODLE_0_TOKEN", "0123456789abcdef0123456789abcdef"));
        assertThat(r.problems()).isEmpty();
        assertThat(r.settings().warnings()).isEmpty();
        assertThat(r.settings().forIssuer("https://moodle.university.kz")).isPresent();
        assertThat(r.warningsSettings().moodle()).isEqualTo(r.settings().sites());
        assertThat(r.warningsSettings().channels()).containsExactly("moodle");
    }

    @Test
    void the_old_notify_moodle_keys_still_work_with_a_deprecation_warning() {
        Read r = read("""
                notify:
                  moodle:
                    - issuer: https://moodle.university.kz
                      url: https://moodle.university.kz
                      token: 0123456789abcdef0123456789abcdef
                """, Map.of());
        assertThat(r.problems()).isEmpty();
        assertThat(r.settings().sites()).extracting(MoodleSite::issuer).containsExactly("https://moodle.university.kz");
        assertThat(r.settings().warnings()).singleElement().asString().contains("notify.moodle", "deprecated", "moodle[i]");
        assertThat(r.warningsSettings().moodle()).hasSize(1);
    }

    @Test
    void both_the_new_keys_and_the_alias_are_refused_naming_the_alias() {
        Read r = read("", Map.of("QATYSU_MOODLE_0_ISSUER", "https://a.kz", "QATYSU_MOODLE_0_URL", "https://a.kz",
                "QATYSU_MOODLE_0_TOKEN", "t", "QATYSU_NOTIFY_MOODLE_0_ISSUER", "https://a.kz",
                "QATYSU_NOTIFY_MOODLE_0_URL", "https://a.kz", "QATYSU_NOTIFY_MOODLE_0_TOKEN", "t"));
        assertThat(r.problems()).containsExactly("notify.moodle");
    }

    @Test
    void an_entry_needs_issuer_url_and_token_each_named_by_index_and_issuers_are_unique() {
        Read r = read("""
                moodle:
                  - issuer: https://moodle.university.kz
                    url: https://moodle.university.kz
                    token: 0123456789abcdef0123456789abcdef
                  - issuer: https://moodle2.university.kz
                    url: http://moodle2.university.kz
                  - issuer: https://moodle.university.kz
                    url: https://moodle.university.kz
                    token: x
                """, Map.of());
        assertThat(r.problems()).containsExactlyInAnyOrder("moodle[1].url", "moodle[1].token", "moodle[2].issuer");
        assertThat(r.settings().sites()).hasSize(1);
        assertThat(r.settings().sites().get(0).toString()).doesNotContain("0123456789abcdef");
    }

    @Test
    void the_tool_starts_with_the_deprecated_alias_and_logs_a_warning_without_the_token() {
        Logger logger = (Logger) LoggerFactory.getLogger(LtiToolApp.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (RunningTool tool = RunningTool.start(Map.of(
                "QATYSU_NOTIFY_MOODLE_0_ISSUER", "https://moodle.university.kz",
                "QATYSU_NOTIFY_MOODLE_0_URL", "https://moodle.university.kz",
                "QATYSU_NOTIFY_MOODLE_0_TOKEN", "0123456789abcdef0123456789abcdef"), Clock.systemUTC())) {
            assertThat(tool.app().settings().moodle().sites()).hasSize(1);
            assertThat(tool.app().settings().warnings().moodle()).hasSize(1);
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("notify.moodle", "deprecated");
        });
        assertThat(appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList().toString())
                .doesNotContain("0123456789abcdef0123456789abcdef");
    }
}
