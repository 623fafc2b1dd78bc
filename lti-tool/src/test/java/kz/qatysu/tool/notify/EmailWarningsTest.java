package kz.qatysu.tool.notify;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Warnings by e-mail, through a real SMTP server in the test (GreenMail): one e-mail per transition and recipient,
 * in the recipient's language, never twice — not on re-saving, not with two workers at once.
 */
class EmailWarningsTest {
    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    WarningsFixture f;

    WarningsFixture start(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("QATYSU_NOTIFY_SMTP_HOST", "127.0.0.1");
        env.put("QATYSU_NOTIFY_SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()));
        env.put("QATYSU_NOTIFY_SMTP_SECURITY", "NONE");
        env.put("QATYSU_NOTIFY_SMTP_FROM", "Qatysu <qatysu@university.kz>");
        env.put("QATYSU_NOTIFY_INTERVAL", "1h");   // the tests run the passes themselves
        env.putAll(extra);
        f = new WarningsFixture(env);
        return f;
    }

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    static List<MimeMessage> to(String address) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().contains(address));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void crossing_20_percent_sends_one_warning_e_mail_and_crossing_30_percent_one_lock_e_mail() throws Exception {
        start(Map.of());
        f.studentLaunches();
        f.mark("P-1001", "ABSENT", 1);          // 10 %: nothing to say
        f.deliver();
        assertThat(smtp.getReceivedMessages()).isEmpty();

        f.mark("P-1001", "ABSENT", 2);          // 20 %: WARNING
        f.deliver();
        assertThat(to("aliya@example.kz")).singleElement().satisfies(m -> {
            assertThat(m.getSubject()).isEqualTo("Сабаққа қатысу туралы ескерту: Attendance 101");
            assertThat(m.getFrom()[0].toString()).contains("qatysu@university.kz");
            String body = GreenMailUtil.getBody(m);
            assertThat(m.getContentType()).contains("UTF-8");
            assertThat(jakarta.mail.internet.MimeUtility.decodeText(m.getSubject())).contains("Attendance 101");
            assertThat(decoded(m)).contains("Attendance 101 пәні бойынша", "20 %", "жоспарланған 10 сағаттың 2",
                    "Бұғатқа дейін тағы 1 сағат", "Себебі: жаңа жіберілген сабақтар").doesNotContain("P-1002");
            assertThat(body).isNotEmpty();
        });

        f.mark("P-1001", "ABSENT", 2);          // the same mark saved again: no transition, no e-mail
        f.mark("P-1001", "ABSENT", 3);          // 30 %: still WARNING
        f.deliver();
        f.deliver();
        assertThat(smtp.getReceivedMessages()).hasSize(1);

        f.mark("P-1001", "ABSENT", 4);          // 40 %: LOCKED
        f.deliver();
        assertThat(to("aliya@example.kz")).hasSize(2);
        MimeMessage lock = to("aliya@example.kz").get(1);
        assertThat(lock.getSubject()).isEqualTo("Сабаққа қатысу бойынша бұғаттау: Attendance 101");
        assertThat(decoded(lock)).contains("40 %", "бұғатталды");

        f.deliver();
        assertThat(smtp.getReceivedMessages()).hasSize(2);
        assertThat(f.outbox()).containsExactly("P-1001 email WARNING SENT 1", "P-1001 email LOCKED SENT 1");
    }

    @Test
    void teachers_are_told_in_their_own_language_when_configured() throws Exception {
        start(Map.of("QATYSU_NOTIFY_TEACHERS", "true"));
        f.studentLaunches();
        f.teacherLaunches();
        f.mark("P-1001", "ABSENT", 1, 2);
        f.deliver();
        // the student's launch taught the tool her name: the teacher reads it, not her id
        assertThat(to("aigul@example.kz")).singleElement().satisfies(m -> {
            assertThat(m.getSubject()).isEqualTo("Предупреждение о посещаемости: Attendance 101");
            assertThat(decoded(m)).contains("Студент Әлия Нұрланқызы", "20 %", "2 из 10 запланированных часов");
        });
        assertThat(to("aliya@example.kz")).hasSize(1);
    }

    @Test
    void the_students_adviser_is_told_in_the_advisers_language_and_not_once_switched_off() throws Exception {
        start(Map.of());
        // the portal names ADV-1 the adviser of P-1001 (the daemon sends it on the enrolment); the adviser launched once, in English
        assertThat(f.api("PUT", "/api/v1/sections/" + WarningsFixture.SECTION + "/enrolments",
                "[{\"personId\":\"P-1001\",\"role\":\"student\",\"adviserId\":\"ADV-1\"},"
                        + "{\"personId\":\"P-1002\",\"role\":\"student\"},{\"personId\":\"T-7\",\"role\":\"teacher\"}]").statusCode())
                .isEqualTo(200);
        f.studentLaunches();
        f.adviserLaunches("ADV-1", "adviser@example.kz", "en");
        f.mark("P-1001", "ABSENT", 1, 2);
        f.mark("P-1002", "ABSENT", 1, 2);
        f.deliver();
        assertThat(to("adviser@example.kz")).singleElement().satisfies(m -> {
            assertThat(m.getSubject()).isEqualTo("Attendance warning: Attendance 101");
            assertThat(decoded(m)).contains("Your advisee Әлия Нұрланқызы, Attendance 101", "20 %", "2 of 10 planned hours")
                    .doesNotContain("P-1002");
        });
        assertThat(f.outbox()).contains("ADV-1 email WARNING SENT 1");
        // switched off: the next transition reaches the student only
        f.close();
        start(Map.of("QATYSU_NOTIFY_ADVISERS", "false"));
        f.api("PUT", "/api/v1/sections/" + WarningsFixture.SECTION + "/enrolments",
                "[{\"personId\":\"P-1001\",\"role\":\"student\",\"adviserId\":\"ADV-1\"},{\"personId\":\"T-7\",\"role\":\"teacher\"}]");
        f.studentLaunches();
        f.adviserLaunches("ADV-1", "adviser@example.kz", "en");
        f.mark("P-1001", "ABSENT", 1, 2);
        f.deliver();
        assertThat(to("adviser@example.kz")).as("still the first run's one").hasSize(1);
        assertThat(to("aliya@example.kz")).as("one per run").hasSize(2);
        assertThat(f.outbox()).containsExactly("P-1001 email WARNING SENT 1");
    }

    @Test
    void two_delivery_passes_at_once_send_each_warning_once() throws Exception {
        start(Map.of("QATYSU_NOTIFY_TEACHERS", "true"));
        f.studentLaunches();
        f.teacherLaunches();
        f.mark("P-1001", "ABSENT", 1, 2, 3, 4);     // straight to LOCKED: one transition
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Notifier.Pass>> passes = List.of(
                    pool.submit(() -> { go.await(); return f.deliver(); }),
                    pool.submit(() -> { go.await(); return f.deliver(); }));
            go.countDown();
            int sent = 0;
            for (Future<Notifier.Pass> p : passes) {
                sent += p.get().sent();
            }
            assertThat(sent).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
        assertThat(smtp.getReceivedMessages()).hasSize(2);
        assertThat(to("aliya@example.kz")).hasSize(1);
        assertThat(to("aigul@example.kz")).hasSize(1);
    }

    @Test
    void a_student_without_a_known_address_is_skipped_not_retried_and_listed_for_the_dean_office() throws Exception {
        start(Map.of());
        f.mark("P-1002", "ABSENT", 1, 2);     // P-1002 never launched the tool: no address
        f.deliver();
        f.clock.advance(Duration.ofHours(2));
        f.deliver();
        assertThat(smtp.getReceivedMessages()).isEmpty();
        assertThat(f.outbox()).containsExactly("P-1002 email WARNING SKIPPED 1");
        String page = f.admin().get(f.tool.baseUrl() + "/admin/notifications").body();
        assertThat(page).contains("id=\"notification-problems\"", "P-1002", "data-status=\"SKIPPED\"", "<td class=\"status\">Not sent</td>",
                "<td>E-mail</td><td>Warning</td>", "no e-mail address known");
        // issue 12 §1: statuses, kinds, channels and the tool's own reasons in the reader's language, no raw codes
        String kk = f.admin().acceptLanguage("kk").get(f.tool.baseUrl() + "/admin/notifications").body();
        assertThat(kk).contains("lang=\"kk\"", "<td class=\"status\">Жіберілмеді</td>", "<td>Электрондық пошта</td><td>Ескерту</td>",
                "электрондық пошта мекенжайы белгісіз").doesNotContain(">SKIPPED<", ">WARNING<", ">email<", "no e-mail address known");
        assertThat(kk).containsPattern("<td>\\d\\d\\.\\d\\d\\.\\d{4} \\d\\d:\\d\\d</td>");
    }

    @Test
    void transitions_older_than_max_age_when_first_seen_are_not_sent() throws Exception {
        start(Map.of("QATYSU_NOTIFY_MAX_AGE", "1h"));
        f.studentLaunches();
        f.mark("P-1001", "ABSENT", 1, 2);
        f.clock.advance(Duration.ofHours(2));    // e.g. notifications switched on over an old database
        f.deliver();
        assertThat(smtp.getReceivedMessages()).isEmpty();
        assertThat(f.outbox()).isEmpty();

        f.mark("P-1001", "ABSENT", 3, 4);        // a fresh transition is sent
        f.deliver();
        assertThat(to("aliya@example.kz")).singleElement()
                .satisfies(m -> assertThat(m.getSubject()).contains("бұғаттау"));
    }

    @Test
    void an_unreachable_smtp_server_is_retried_with_backoff_and_given_up_after_max_attempts() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("QATYSU_NOTIFY_SMTP_PORT", String.valueOf(kz.qatysu.tool.testing.FreePort.find()));   // nobody listens
        env.put("QATYSU_NOTIFY_MAX_ATTEMPTS", "2");
        start(env);
        f.studentLaunches();
        f.mark("P-1001", "ABSENT", 1, 2);
        f.deliver();
        assertThat(f.outbox()).containsExactly("P-1001 email WARNING PENDING 1");
        f.deliver();                                   // within the backoff: not tried again
        assertThat(f.outbox()).containsExactly("P-1001 email WARNING PENDING 1");
        f.clock.advance(Duration.ofMinutes(2));
        f.deliver();
        assertThat(f.outbox()).containsExactly("P-1001 email WARNING FAILED 2");
        assertThat(f.lastError("P-1001")).startsWith("SMTP:");
        f.clock.advance(Duration.ofHours(5));
        f.deliver();
        assertThat(f.outbox()).containsExactly("P-1001 email WARNING FAILED 2");
    }

    static String decoded(MimeMessage m) {
        try {
            Object content = m.getContent();
            return content instanceof String s ? s : GreenMailUtil.getBody(m);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
