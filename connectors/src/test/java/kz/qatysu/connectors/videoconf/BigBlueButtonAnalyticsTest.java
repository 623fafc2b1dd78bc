package kz.qatysu.connectors.videoconf;

import com.fasterxml.jackson.databind.node.TextNode;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.videoconf.BigBlueButtonAnalytics.AnalyticsReport;
import kz.qatysu.connectors.videoconf.BigBlueButtonAnalytics.Attendee;
import kz.qatysu.connectors.videoconf.BigBlueButtonAnalytics.WebhookEvent;
import kz.qatysu.connectors.videoconf.CallbackRejected.Reason;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BigBlueButtonAnalyticsTest {
    static final String SECRET = "8cd8ef52e8e101574e400365b55e11a6";
    static final Instant NOW = Instant.parse("2023-08-07T17:40:00Z");
    static final BigBlueButtonAnalytics ANALYTICS = new BigBlueButtonAnalytics(new Secret(SECRET), Clock.fixed(NOW, ZoneOffset.UTC));

    /** The callback body as post_events_analytics_callback.rb sends it (shape of videoconf.md §4.1). */
    static final String BODY = """
            {"version":"1.0","meeting_id":"CS101-2023-08-07","internal_meeting_id":"183f0bf3a0982a127bdb8161e0c44eb696b3e75c-1691427974253",
             "data":{"metadata":{"meeting_name":"CS101 Алгоритмдер","analytics_callback_url":"https://qatysu.kaznu.kz/bbb/analytics","is_breakout":"false"},
               "duration":1665,"start":"2023-08-07 14:06:14 -0300","finish":"2023-08-07 14:33:59 -0300",
               "attendees":[
                 {"ext_user_id":"20B030123","name":"Айгерім Сейітқызы","moderator":false,
                  "joins":["2023-08-07 14:06:17 -0300","2023-08-07 14:20:00 -0300"],
                  "leaves":["2023-08-07 14:15:02 -0300","2023-08-07 14:32:59 -0300"],
                  "duration":1320,"recent_talking_time":"",
                  "engagement":{"chats":9,"talks":8,"raisehand":0,"emojis":0,"poll_votes":0,"talk_time":26}},
                 {"ext_user_id":45,"name":"Ержан Нұрланұлы","moderator":true,
                  "joins":["2023-08-07 14:06:14 -0300"],"leaves":["2023-08-07 14:33:59 -0300"],
                  "duration":1665,"recent_talking_time":"","engagement":{"chats":0,"talks":3,"raisehand":0,"emojis":0,"poll_votes":0,"talk_time":600}},
                 {"ext_user_id":"20B030999","name":"Dropped Connection","moderator":false,
                  "joins":["2023-08-07 14:30:00 -0300"],"leaves":[],"duration":239,"recent_talking_time":"",
                  "engagement":{"chats":0,"talks":0,"raisehand":0,"emojis":0,"poll_votes":0,"talk_time":0}}
               ],
               "files":["default.pdf"],"polls":[]}}
            """;

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Signs like the Ruby JWT gem: header {"alg":"HS512"}, payload {"exp": …}. */
    static String jwt(String alg, String secret, String payload) throws Exception {
        String signingInput = b64(("{\"alg\":\"" + alg + "\"}").getBytes(StandardCharsets.UTF_8)) + "."
                + b64(payload.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA512");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
        return signingInput + "." + b64(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    static String bearer(long exp) throws Exception {
        return "Bearer " + jwt("HS512", SECRET, "{\"exp\":" + exp + "}");
    }

    static void assertRejected(Runnable r, String message) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(CallbackRejected.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.UNAUTHENTICATED);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @Test
    void a_valid_token_lets_the_body_through() throws Exception {
        AnalyticsReport r = ANALYTICS.readAnalytics(bearer(NOW.plusSeconds(86_400).getEpochSecond()), BODY);
        assertThat(r.meetingId()).isEqualTo("CS101-2023-08-07");
        assertThat(r.internalMeetingId()).startsWith("183f0bf3");
        assertThat(r.attendees()).hasSize(3);
    }

    @Test
    void an_expired_token_is_refused() {
        assertRejected(() -> {
            try {
                ANALYTICS.readAnalytics(bearer(NOW.minusSeconds(3600).getEpochSecond()), BODY);
            } catch (CallbackRejected e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "expired");
    }

    @Test
    void a_token_signed_with_another_secret_is_refused() throws Exception {
        String t = "Bearer " + jwt("HS512", "not-the-shared-secret", "{\"exp\":" + NOW.plusSeconds(3600).getEpochSecond() + "}");
        assertRejected(() -> ANALYTICS.verifyBearer(t), "signature does not match");
    }

    @Test
    void a_token_that_claims_another_algorithm_or_none_is_refused() throws Exception {
        String exp = "{\"exp\":" + NOW.plusSeconds(3600).getEpochSecond() + "}";
        String hs256 = "Bearer " + jwt("HS256", SECRET, exp);
        assertRejected(() -> ANALYTICS.verifyBearer(hs256), "expected HS512");
        String none = "Bearer " + b64("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + b64(exp.getBytes(StandardCharsets.UTF_8)) + ".";
        assertRejected(() -> ANALYTICS.verifyBearer(none), "not a signed JWT");
    }

    @Test
    void a_missing_header_or_exp_or_a_tampered_payload_is_refused() throws Exception {
        assertRejected(() -> ANALYTICS.verifyBearer(null), "Bearer");
        assertRejected(() -> ANALYTICS.verifyBearer("Basic YTpi"), "Bearer");
        assertRejected(() -> ANALYTICS.verifyBearer("Bearer abc"), "not a signed JWT");
        String noExp = "Bearer " + jwt("HS512", SECRET, "{\"iat\":1}");
        assertRejected(() -> ANALYTICS.verifyBearer(noExp), "no numeric exp");
        String[] parts = bearer(NOW.minusSeconds(10).getEpochSecond()).substring(7).split("\\.");
        String tampered = "Bearer " + parts[0] + "." + b64(("{\"exp\":" + NOW.plusSeconds(86_400).getEpochSecond() + "}")
                .getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertRejected(() -> ANALYTICS.verifyBearer(tampered), "signature does not match");
    }

    @Test
    void ruby_time_to_s_is_parsed_with_its_offset_and_the_utc_form_too() {
        assertThat(BigBlueButtonAnalytics.time(new TextNode("2023-08-07 14:06:14 -0300"), "t")).isEqualTo(Instant.parse("2023-08-07T17:06:14Z"));
        assertThat(BigBlueButtonAnalytics.time(new TextNode("2025-10-01 08:00:05 +0500"), "t")).isEqualTo(Instant.parse("2025-10-01T03:00:05Z"));
        assertThat(BigBlueButtonAnalytics.time(new TextNode("2023-08-07 17:06:14 UTC"), "t")).isEqualTo(Instant.parse("2023-08-07T17:06:14Z"));
        assertThatThrownBy(() -> BigBlueButtonAnalytics.time(new TextNode("07/08/2023 14:06"), "data.start"))
                .isInstanceOfSatisfying(CallbackRejected.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
                    assertThat(e.getMessage()).contains("data.start").contains("07/08/2023 14:06");
                });
    }

    @Test
    void attendees_become_intervals_with_string_or_numeric_ids_and_kazakh_names_intact() {
        AnalyticsReport r = BigBlueButtonAnalytics.parseAnalytics(BODY);

        assertThat(r.start()).isEqualTo(Instant.parse("2023-08-07T17:06:14Z"));
        assertThat(r.finish()).isEqualTo(Instant.parse("2023-08-07T17:33:59Z"));
        Attendee aigerim = r.attendees().getFirst();
        assertThat(aigerim.extUserId()).isEqualTo("20B030123");
        assertThat(aigerim.name()).isEqualTo("Айгерім Сейітқызы");
        assertThat(aigerim.moderator()).isFalse();
        assertThat(aigerim.durationSeconds()).isEqualTo(1320);
        // a reconnect: two intervals, merged later (after clipping to the class window)
        assertThat(aigerim.intervals()).extracting(PresenceInterval::join, PresenceInterval::leave).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Instant.parse("2023-08-07T17:06:17Z"), Instant.parse("2023-08-07T17:15:02Z")),
                org.assertj.core.groups.Tuple.tuple(Instant.parse("2023-08-07T17:20:00Z"), Instant.parse("2023-08-07T17:32:59Z")));
        assertThat(aigerim.intervals()).allSatisfy(i -> {
            assertThat(i.personKey()).isEqualTo("20B030123");
            assertThat(i.displayName()).isEqualTo("Айгерім Сейітқызы");
            assertThat(i.source()).isEqualTo(PresenceInterval.Source.BBB_ANALYTICS);
        });
        Attendee moodleUser = r.attendees().get(1);
        assertThat(moodleUser.extUserId()).isEqualTo("45");
        assertThat(moodleUser.moderator()).isTrue();
        assertThat(moodleUser.intervals()).singleElement().satisfies(i -> assertThat(i.personKey()).isEqualTo("45"));
    }

    @Test
    void a_join_without_a_leave_lasts_until_the_meeting_finished() {
        Attendee dropped = BigBlueButtonAnalytics.parseAnalytics(BODY).attendees().get(2);
        assertThat(dropped.intervals()).singleElement().satisfies(i -> {
            assertThat(i.join()).isEqualTo(Instant.parse("2023-08-07T17:30:00Z"));
            assertThat(i.leave()).isEqualTo(Instant.parse("2023-08-07T17:33:59Z"));
        });
    }

    @Test
    void the_newer_sessions_grouping_pairs_joins_and_lefts_per_internal_user() {
        String body = """
                {"version":"1.0","meeting_id":"m1","internal_meeting_id":"i1","data":{"start":"2025-10-01 08:00:00 +0500",
                 "finish":"2025-10-01 08:50:00 +0500","attendees":[{"ext_user_id":45,"name":"Әлия","moderator":false,
                  "joins":["2025-10-01 08:01:00 +0500","2025-10-01 08:10:00 +0500"],"leaves":["2025-10-01 08:30:00 +0500"],
                  "duration":1740,
                  "sessions":{
                   "w_mdfahewpe3p1":{"joins":[{"timestamp":"2025-10-01 08:01:00 +0500","userid":"w_mdfahewpe3p1","ext_userid":45,"event":"join","remove":false}],
                                     "lefts":[{"timestamp":"2025-10-01 08:30:00 +0500","userid":"w_mdfahewpe3p1","ext_userid":45,"event":"left","remove":false}]},
                   "w_zq2kkk1abc9x":{"joins":[{"timestamp":"2025-10-01 08:10:00 +0500","userid":"w_zq2kkk1abc9x","ext_userid":45,"event":"join","remove":false}],
                                     "lefts":[]}}}]}}
                """;
        Attendee a = BigBlueButtonAnalytics.parseAnalytics(body).attendees().getFirst();
        // the second device never left before the end: it lasts until finish, the first one keeps its own leave
        assertThat(a.intervals()).extracting(PresenceInterval::join, PresenceInterval::leave).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Instant.parse("2025-10-01T03:01:00Z"), Instant.parse("2025-10-01T03:30:00Z")),
                org.assertj.core.groups.Tuple.tuple(Instant.parse("2025-10-01T03:10:00Z"), Instant.parse("2025-10-01T03:50:00Z")));
        assertThat(a.extUserId()).isEqualTo("45");
    }

    @Test
    void a_body_without_attendees_is_malformed() {
        assertThatThrownBy(() -> BigBlueButtonAnalytics.parseAnalytics("{\"version\":\"1.0\",\"data\":{}}"))
                .isInstanceOfSatisfying(CallbackRejected.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
        assertThatThrownBy(() -> BigBlueButtonAnalytics.parseAnalytics("not json"))
                .isInstanceOfSatisfying(CallbackRejected.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
    }

    // ---------------------------------------------------------------- webhooks

    static final String CALLBACK = "https://qatysu.kaznu.kz/bbb/hooks";

    static String event(String id, String internalUser, String externalUser, String name, long ts) {
        return """
                {"data":{"type":"event","id":"%s",
                 "attributes":{"meeting":{"internal-meeting-id":"44ea85c1-1532718208098","external-meeting-id":"CS101-2025-10-01"},
                  "user":{"internal-user-id":"%s","external-user-id":"%s","name":"%s","role":"VIEWER","presenter":false,"userdata":{},"stream":"","guest":false}},
                 "event":{"ts":%d}}}""".formatted(id, internalUser, externalUser, name, ts);
    }

    static String form(String eventJson) {
        return "event=" + URLEncoder.encode(eventJson, StandardCharsets.UTF_8) + "&timestamp=1532718316953&domain=bbb.kaznu.kz";
    }

    static String sha1(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void a_webhook_with_the_right_checksum_is_read() throws Exception {
        String body = form(event("user-joined", "w_abc", "20B030123", "Айгерім Сейітқызы", 1532718316938L));

        List<WebhookEvent> events = ANALYTICS.readWebhook(CALLBACK, body, sha1(CALLBACK + body + SECRET));

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo("user-joined");
            assertThat(e.externalUserId()).isEqualTo("20B030123");
            assertThat(e.internalUserId()).isEqualTo("w_abc");
            assertThat(e.name()).isEqualTo("Айгерім Сейітқызы");
            assertThat(e.externalMeetingId()).isEqualTo("CS101-2025-10-01");
            assertThat(e.timestamp()).isEqualTo(Instant.ofEpochMilli(1532718316938L));
        });
    }

    @Test
    void a_webhook_with_a_wrong_or_missing_checksum_is_refused() throws Exception {
        String body = form(event("user-joined", "w_abc", "20B030123", "A", 1L));
        String wrongSecret = sha1(CALLBACK + body + "other");
        assertRejected(() -> ANALYTICS.readWebhook(CALLBACK, body, wrongSecret), "checksum does not match");
        String otherUrl = sha1("https://evil.example/hooks" + body + SECRET);
        assertRejected(() -> ANALYTICS.readWebhook(CALLBACK, body, otherUrl), "checksum does not match");
        assertRejected(() -> ANALYTICS.readWebhook(CALLBACK, body, null), "without a checksum");
    }

    @Test
    void older_releases_send_an_array_of_events() {
        String array = "[" + event("user-joined", "w_a", "20B030123", "A", 1000) + "," + event("user-left", "w_a", "20B030123", "A", 61_000) + "]";
        assertThat(BigBlueButtonAnalytics.parseWebhook(form(array))).extracting(WebhookEvent::id).containsExactly("user-joined", "user-left");
    }

    @Test
    void webhook_events_pair_into_intervals_per_internal_user_and_meeting_end_closes_the_rest() {
        long t0 = Instant.parse("2025-10-01T03:00:00Z").toEpochMilli();
        List<WebhookEvent> events = new java.util.ArrayList<>();
        for (String e : List.of(
                event("user-left", "w_1", "20B030123", "Айгерім", t0 + 600_000),      // out of order on purpose
                event("user-joined", "w_1", "20B030123", "Айгерім", t0 + 60_000),
                event("user-joined", "w_2", "20B030123", "Айгерім", t0 + 720_000),    // reconnect: new internal id
                event("user-joined", "w_9", "", "Guest", t0 + 120_000),
                event("user-audio-voice-enabled", "w_2", "20B030123", "Айгерім", t0 + 730_000))) {
            events.addAll(BigBlueButtonAnalytics.parseWebhook(form(e)));
        }
        events.addAll(BigBlueButtonAnalytics.parseWebhook(form("""
                {"data":{"type":"event","id":"meeting-ended","attributes":{"meeting":{"internal-meeting-id":"44ea85c1-1532718208098",
                 "external-meeting-id":"CS101-2025-10-01"}},"event":{"ts":%d}}}""".formatted(t0 + 3_000_000))));

        List<PresenceInterval> intervals = BigBlueButtonAnalytics.webhookIntervals(events, null);

        assertThat(intervals).extracting(PresenceInterval::personKey, PresenceInterval::join, PresenceInterval::leave).containsExactly(
                org.assertj.core.groups.Tuple.tuple("20B030123", Instant.ofEpochMilli(t0 + 60_000), Instant.ofEpochMilli(t0 + 600_000)),
                org.assertj.core.groups.Tuple.tuple(null, Instant.ofEpochMilli(t0 + 120_000), Instant.ofEpochMilli(t0 + 3_000_000)),
                org.assertj.core.groups.Tuple.tuple("20B030123", Instant.ofEpochMilli(t0 + 720_000), Instant.ofEpochMilli(t0 + 3_000_000)));
        assertThat(intervals).allSatisfy(i -> assertThat(i.source()).isEqualTo(PresenceInterval.Source.BBB_WEBHOOK));
    }

    @Test
    void still_open_webhook_intervals_close_at_the_given_moment_or_are_left_out() {
        List<WebhookEvent> events = BigBlueButtonAnalytics.parseWebhook(form(event("user-joined", "w_1", "20B030123", "A", 1_000)));
        assertThat(BigBlueButtonAnalytics.webhookIntervals(events, null)).isEmpty();
        assertThat(BigBlueButtonAnalytics.webhookIntervals(events, Instant.ofEpochMilli(5_000)))
                .singleElement().satisfies(i -> assertThat(i.leave()).isEqualTo(Instant.ofEpochMilli(5_000)));
    }

    @Test
    void a_webhook_body_without_an_event_field_is_malformed() {
        assertThatThrownBy(() -> BigBlueButtonAnalytics.parseWebhook("timestamp=1&domain=x"))
                .isInstanceOfSatisfying(CallbackRejected.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
    }
}
