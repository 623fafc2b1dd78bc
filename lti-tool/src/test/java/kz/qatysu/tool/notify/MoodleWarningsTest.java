package kz.qatysu.tool.notify;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Warnings as Moodle private messages through {@code core_message_send_instant_messages}, against a stub that
 * answers the way Moodle's REST server does: HTTP 200 with an array of {msgid, clientmsgid, errormessage}, HTTP 200
 * with an {"exception":…} body, or an HTTP error from the web server in front of it.
 */
class MoodleWarningsTest {
    static final String TOKEN = "3f2b9c0e5d7a41c8b6e1a2d4f9087c65";
    static final String SEND = "wsfunction=core_message_send_instant_messages";
    static final String LOOKUP = "wsfunction=core_user_get_users_by_field";
    WireMockServer moodle;
    WarningsFixture f;

    @BeforeEach
    void start() {
        moodle = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        moodle.start();
    }

    WarningsFixture start(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("QATYSU_NOTIFY_MOODLE_0_ISSUER", "http://127.0.0.1:8100");
        env.put("QATYSU_NOTIFY_MOODLE_0_URL", moodle.baseUrl());
        env.put("QATYSU_NOTIFY_MOODLE_0_TOKEN", TOKEN);
        env.put("QATYSU_NOTIFY_INTERVAL", "1h");
        env.putAll(extra);
        f = new WarningsFixture(env);
        return f;
    }

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
        moodle.stop();
    }

    void answerSend(int status, String body) {
        moodle.stubFor(post(urlPathEqualTo("/webservice/rest/server.php")).withRequestBody(containing(SEND))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    List<LoggedRequest> sends() {
        return moodle.findAll(postRequestedFor(urlPathEqualTo("/webservice/rest/server.php")).withRequestBody(containing(SEND)));
    }

    static Map<String, String> form(LoggedRequest r) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : r.getBodyAsString().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    static String success(long msgId, String clientMsgId) {
        return "[{\"msgid\":" + msgId + ",\"clientmsgid\":\"" + clientMsgId + "\",\"text\":\"<p>…</p>\",\"timecreated\":1764000000,"
                + "\"conversationid\":17,\"useridfrom\":2,\"candeletemessagesforallusers\":false}]";
    }

    @Test
    void a_warning_reaches_the_launching_student_as_a_moodle_message_to_their_lti_sub() {
        start(Map.of());
        answerSend(200, success(311, "qatysu-1"));
        f.studentLaunches();                       // Moodle user 5 (the launch's sub)
        f.mark("P-1001", "ABSENT", 1, 2);
        f.deliver();
        assertThat(sends()).singleElement().satisfies(r -> {
            Map<String, String> form = form(r);
            assertThat(form).containsEntry("wstoken", TOKEN).containsEntry("moodlewsrestformat", "json")
                    .containsEntry("messages[0][touserid]", "5").containsEntry("messages[0][textformat]", "2");
            assertThat(form.get("messages[0][clientmsgid]")).matches("qatysu-\\d+");
            assertThat(form.get("messages[0][text]")).startsWith("Сабаққа қатысу туралы ескерту: Attendance 101")
                    .contains("20 %", "жоспарланған 10 сағаттың 2");
            assertThat(r.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        });
        assertThat(f.outbox()).containsExactly("P-1001 moodle WARNING SENT 1");
        f.mark("P-1001", "ABSENT", 2);
        f.deliver();
        assertThat(sends()).hasSize(1);
    }

    @Test
    void without_a_launch_the_moodle_user_is_found_by_idnumber() {
        start(Map.of());
        answerSend(200, success(312, "qatysu-1"));
        moodle.stubFor(post(urlPathEqualTo("/webservice/rest/server.php")).withRequestBody(containing(LOOKUP))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        [{"id":42,"username":"p1002","firstname":"Бауыржан","lastname":"Омаров","fullname":"Бауыржан Омаров",
                          "email":"b.omarov@example.kz","department":"","idnumber":"P-1002","firstaccess":1758000000,
                          "lastaccess":1763900000,"auth":"manual","suspended":false,"confirmed":true,"lang":"kk",
                          "theme":"","timezone":"99","mailformat":1,"description":"","descriptionformat":1,
                          "profileimageurlsmall":"https://moodle.example.kz/theme/image.php/boost/core/1/u/f2",
                          "profileimageurl":"https://moodle.example.kz/theme/image.php/boost/core/1/u/f1"}]""")));
        f.mark("P-1002", "ABSENT", 1, 2, 3, 4);
        f.deliver();
        assertThat(moodle.findAll(postRequestedFor(urlPathEqualTo("/webservice/rest/server.php")).withRequestBody(containing(LOOKUP))))
                .singleElement().satisfies(r -> assertThat(form(r)).containsEntry("field", "idnumber").containsEntry("values[0]", "P-1002"));
        assertThat(sends()).singleElement().satisfies(r -> assertThat(form(r)).containsEntry("messages[0][touserid]", "42"));
        // one mark per request: WARNING at 20 %, LOCKED at 40 %; by the pass the warning is no longer true
        assertThat(f.outbox()).containsExactly("P-1002 moodle WARNING OBSOLETE 1", "P-1002 moodle LOCKED SENT 1");
    }

    @Test
    void a_person_moodle_does_not_know_is_skipped() {
        start(Map.of());
        moodle.stubFor(post(urlPathEqualTo("/webservice/rest/server.php")).withRequestBody(containing(LOOKUP))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("[]")));
        f.mark("P-1002", "ABSENT", 1, 2);
        f.deliver();
        assertThat(sends()).isEmpty();
        assertThat(f.outbox()).containsExactly("P-1002 moodle WARNING SKIPPED 1");
        assertThat(f.lastError("P-1002")).contains("no Moodle user");
    }

    @Test
    void a_per_message_errormessage_is_retried_and_given_up_after_max_attempts_with_the_error_kept() {
        start(Map.of("QATYSU_NOTIFY_MAX_ATTEMPTS", "2"));
        answerSend(200, "[{\"msgid\":-1,\"clientmsgid\":\"qatysu-1\",\"errormessage\":\"You can not send a message to a user id (5) that doesn't exist\"}]");
        f.studentLaunches();
        f.mark("P-1001", "ABSENT", 1, 2);
        f.deliver();
        assertThat(f.outbox()).containsExactly("P-1001 moodle WARNING PENDING 1");
        f.clock.advance(Duration.ofMinutes(2));
        f.deliver();
        assertThat(f.outbox()).containsExactly("P-1001 moodle WARNING FAILED 2");
        assertThat(f.lastError("P-1001")).isEqualTo("Moodle: message not sent: You can not send a message to a user id (5) that doesn't exist");
        f.clock.advance(Duration.ofHours(3));
        f.deliver();
        assertThat(sends()).hasSize(2);
        String page = f.admin().get(f.tool.baseUrl() + "/admin/notifications").body();
        assertThat(page).contains("data-status=\"FAILED\"", "<td class=\"status\">Given up</td>", "<td>Moodle message</td>", "P-1001",
                "Moodle did not send the message: You can not send a message to a user id (5) that doesn't exist").doesNotContain(TOKEN);
    }

    @Test
    void an_exception_body_with_http_200_is_a_failure_and_the_token_is_never_in_the_error() {
        start(Map.of());
        answerSend(200, "{\"exception\":\"required_capability_exception\",\"errorcode\":\"nopermissions\","
                + "\"message\":\"Sorry, but you do not currently have permissions to do that (Send messages to any user).\"}");
        f.studentLaunches();
        f.mark("P-1001", "ABSENT", 1, 2);
        f.deliver();
        assertThat(f.outbox()).containsExactly("P-1001 moodle WARNING PENDING 1");
        assertThat(f.lastError("P-1001")).isEqualTo("Moodle: nopermissions: Sorry, but you do not currently have permissions "
                + "to do that (Send messages to any user).").doesNotContain(TOKEN);
    }

    @Test
    void messaging_disabled_on_the_site_is_reported_as_moodle_says_it() {
        start(Map.of());
        answerSend(200, "{\"exception\":\"moodle_exception\",\"errorcode\":\"disabled\",\"message\":\"Messaging is disabled on this site\"}");
        f.studentLaunches();
        f.mark("P-1001", "ABSENT", 1, 2);
        f.deliver();
        assertThat(f.lastError("P-1001")).isEqualTo("Moodle: disabled: Messaging is disabled on this site");
    }

    @Test
    void http_503_is_retried_after_the_backoff_and_then_sent_once() {
        start(Map.of());
        answerSend(503, "<html><body><h1>503 Service Unavailable</h1></body></html>");
        f.studentLaunches();
        f.mark("P-1001", "ABSENT", 1, 2);
        f.deliver();
        assertThat(sends()).hasSize(1);
        assertThat(f.lastError("P-1001")).contains("HTTP 503");
        f.deliver();                                 // still within the backoff
        assertThat(sends()).hasSize(1);

        answerSend(200, success(313, "qatysu-1"));
        f.clock.advance(Duration.ofMinutes(2));
        f.deliver();
        f.deliver();
        assertThat(sends()).hasSize(2);
        assertThat(f.outbox()).containsExactly("P-1001 moodle WARNING SENT 2");
    }

    @Test
    void a_lifted_lock_is_announced_and_a_superseded_warning_is_not() {
        start(Map.of());
        answerSend(200, success(314, "qatysu-1"));
        f.studentLaunches();
        f.mark("P-1001", "ABSENT", 1, 2);            // WARNING, not delivered yet …
        f.mark("P-1001", "ABSENT", 3, 4);            // … LOCKED before the pass: the warning is stale
        f.deliver();
        assertThat(f.outbox()).containsExactly("P-1001 moodle WARNING OBSOLETE 1", "P-1001 moodle LOCKED SENT 1");
        assertThat(f.api("POST", "/api/v1/sections/" + WarningsFixture.SECTION + "/overrides",
                "{\"personId\":\"P-1001\",\"state\":\"ADMITTED\",\"reason\":\"Деканат бұйрығы № 12\"}").statusCode()).isBetween(200, 201);
        f.deliver();
        assertThat(sends()).hasSize(2);
        assertThat(form(sends().get(1)).get("messages[0][text]")).startsWith("Бұғат алынды: Attendance 101")
                .contains("деканат шешімі: Деканат бұйрығы № 12");
    }
}
