package kz.qatysu.tool.notify;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import kz.qatysu.config.ConfigProblem;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.tool.LtiToolApp;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code notify.*}: every channel off unless configured, each problem named by its key, secrets never shown. */
class NotifySettingsTest {

    record Read(NotifySettings settings, List<String> problems) {
    }

    static Read read(String yaml, Map<String, String> env) {
        ConfigProblems problems = new ConfigProblems();
        NotifySettings s = NotifySettings.read(new ConfigReader(ConfigSource.of(yaml, env), problems));
        return new Read(s, problems.list().stream().map(ConfigProblem::path).toList());
    }

    @Test
    void nothing_configured_means_no_channel_and_no_problem() {
        Read r = read("", Map.of());
        assertThat(r.problems()).isEmpty();
        assertThat(r.settings().anyChannel()).isFalse();
        assertThat(r.settings().channels()).isEmpty();
        assertThat(r.settings().maxAge()).isEqualTo(Duration.ofDays(3));
        assertThat(r.settings().teachers()).isFalse();
        assertThat(r.settings().advisers()).as("advisers are told by default").isTrue();
        assertThat(r.settings().lockLifted()).isTrue();
    }

    @Test
    void notify_advisers_can_be_switched_off_and_a_bad_value_names_the_key() {
        assertThat(read("", Map.of("QATYSU_NOTIFY_ADVISERS", "false")).settings().advisers()).isFalse();
        assertThat(read("", Map.of("QATYSU_NOTIFY_ADVISERS", "perhaps")).problems()).containsExactly("notify.advisers");
    }

    @Test
    void an_smtp_host_without_a_sender_names_notify_smtp_from() {
        assertThat(read("", Map.of("QATYSU_NOTIFY_SMTP_HOST", "smtp.university.kz")).problems()).containsExactly("notify.smtp.from");
    }

    @Test
    void a_sender_without_a_host_names_notify_smtp_host() {
        assertThat(read("", Map.of("QATYSU_NOTIFY_SMTP_FROM", "qatysu@university.kz")).problems()).containsExactly("notify.smtp.host");
    }

    @Test
    void a_password_without_a_username_and_a_bad_security_value_are_named() {
        Read r = read("""
                notify:
                  smtp:
                    host: smtp.university.kz
                    from: qatysu@university.kz
                    password: s3cret-smtp
                    security: TLS13
                """, Map.of());
        assertThat(r.problems()).containsExactlyInAnyOrder("notify.smtp.username", "notify.smtp.security");
    }

    @Test
    void smtp_defaults_to_starttls_on_587_and_ssl_to_465() {
        Read starttls = read("", Map.of("QATYSU_NOTIFY_SMTP_HOST", "smtp.university.kz", "QATYSU_NOTIFY_SMTP_FROM", "q@university.kz"));
        assertThat(starttls.settings().smtp()).hasValueSatisfying(s -> {
            assertThat(s.security()).isEqualTo(NotifySettings.Security.STARTTLS);
            assertThat(s.port()).isEqualTo(587);
        });
        Read ssl = read("", Map.of("QATYSU_NOTIFY_SMTP_HOST", "smtp.university.kz", "QATYSU_NOTIFY_SMTP_FROM", "q@university.kz",
                "QATYSU_NOTIFY_SMTP_SECURITY", "SSL"));
        assertThat(ssl.settings().smtp().orElseThrow().port()).isEqualTo(465);
        assertThat(ssl.settings().channels()).containsExactly("email");
    }

    @Test
    void a_moodle_entry_needs_issuer_url_and_token_each_named_by_index() {
        Read r = read("""
                notify:
                  moodle:
                    - issuer: https://moodle.university.kz
                      url: https://moodle.university.kz
                      token: 0123456789abcdef0123456789abcdef
                    - issuer: https://moodle2.university.kz
                      url: http://moodle2.university.kz
                """, Map.of());
        assertThat(r.problems()).containsExactlyInAnyOrder("notify.moodle[1].url", "notify.moodle[1].token");
        assertThat(r.settings().moodle()).hasSize(1);
        assertThat(r.settings().channels()).containsExactly("moodle");
    }

    @Test
    void secrets_never_appear_in_to_string() {
        Read r = read("""
                notify:
                  smtp:
                    host: smtp.university.kz
                    from: qatysu@university.kz
                    username: qatysu
                    password: s3cret-smtp-password
                  moodle:
                    - issuer: https://moodle.university.kz
                      url: https://moodle.university.kz
                      token: 0123456789abcdef0123456789abcdef
                """, Map.of());
        assertThat(r.problems()).isEmpty();
        String shown = r.settings().toString();
        assertThat(shown).contains("smtp.university.kz", "qatysu", "<masked>", "https://moodle.university.kz")
                .doesNotContain("s3cret-smtp-password", "0123456789abcdef0123456789abcdef");
        assertThat(r.settings().moodle().get(0).toString()).doesNotContain("0123456789abcdef");
        assertThat(r.settings().smtp().orElseThrow().toString()).doesNotContain("s3cret");
    }

    @Test
    void the_tool_logs_its_notify_settings_at_start_without_the_secrets() {
        Logger logger = (Logger) LoggerFactory.getLogger(LtiToolApp.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (RunningTool tool = RunningTool.start(Map.of(
                "QATYSU_NOTIFY_SMTP_HOST", "127.0.0.1", "QATYSU_NOTIFY_SMTP_FROM", "qatysu@university.kz",
                "QATYSU_NOTIFY_SMTP_USERNAME", "qatysu", "QATYSU_NOTIFY_SMTP_PASSWORD", "s3cret-smtp-password",
                "QATYSU_NOTIFY_MOODLE_0_ISSUER", "https://moodle.university.kz",
                "QATYSU_NOTIFY_MOODLE_0_URL", "https://moodle.university.kz",
                "QATYSU_NOTIFY_MOODLE_0_TOKEN", "0123456789abcdef0123456789abcdef"), Clock.systemUTC())) {
            assertThat(tool.app().settings().warnings().anyChannel()).isTrue();
        } finally {
            logger.detachAppender(appender);
        }
        List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("warnings are sent:").contains("<masked>"));
        assertThat(String.join("\n", lines)).doesNotContain("s3cret-smtp-password", "0123456789abcdef0123456789abcdef");
    }
}
