package kz.qatysu.connectors.videoconf;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpSettings;
import kz.qatysu.connectors.videoconf.BigBlueButtonClient.ChecksumAlgorithm;
import kz.qatysu.connectors.videoconf.BigBlueButtonClient.MeetingInfo;
import kz.qatysu.connectors.videoconf.BigBlueButtonClient.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BigBlueButtonClientTest {
    static final String SECRET = "8cd8ef52e8e101574e400365b55e11a6";
    static final Instant NOW = Instant.parse("2025-10-01T03:20:00Z");
    static WireMockServer bbb;

    @BeforeAll
    static void start() {
        bbb = new WireMockServer(options().dynamicPort());
        bbb.start();
    }

    @AfterAll
    static void stop() {
        bbb.stop();
    }

    @BeforeEach
    void reset() {
        bbb.resetAll();
    }

    static BigBlueButtonClient client(ChecksumAlgorithm alg) {
        return new BigBlueButtonClient(new HttpConnector(HttpSettings.defaults("bbb", URI.create(bbb.baseUrl() + "/bigbluebutton"))
                .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(20)).withRateLimit(0)),
                new Secret(SECRET), alg, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static String hex(String jca, String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(jca).digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * What a BigBlueButton server does: take the raw query as received, cut off {@code &checksum=…}, and compare
     * hash(call + rest + secret) — computed here, independently of the client.
     */
    static MatchResult validChecksum(Request request, String jca) {
        String url = request.getUrl();
        String call = url.substring(url.indexOf("/api/") + 5, url.indexOf('?'));
        String query = url.substring(url.indexOf('?') + 1);
        int at = query.lastIndexOf("checksum=");
        String rest = at == 0 ? "" : query.substring(0, at - 1);
        String given = query.substring(at + "checksum=".length());
        try {
            return MatchResult.of(hex(jca, call + rest + SECRET).equals(given));
        } catch (Exception e) {
            return MatchResult.noMatch();
        }
    }

    static void stubCall(String call, String jca, String xml) {
        bbb.stubFor(get(urlPathEqualTo("/bigbluebutton/api/" + call)).andMatching(r -> validChecksum(r, jca))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(xml)));
        bbb.stubFor(get(urlPathEqualTo("/bigbluebutton/api/" + call)).atPriority(10)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(
                        "<response><returncode>FAILED</returncode><messageKey>checksumError</messageKey>"
                                + "<message>Checksums do not match</message></response>")));
    }

    static final String MEETING_INFO = """
            <response>
              <returncode>SUCCESS</returncode>
              <meetingName>CS101 Алгоритмдер</meetingName>
              <meetingID>CS101-2025-10-01</meetingID>
              <internalMeetingID>44ea85c1b3d3f8d4d1c1a1b2c3d4e5f6a7b8c9d0-1759287600000</internalMeetingID>
              <createTime>1759287600000</createTime>
              <createDate>Wed Oct 01 08:00:00 ALMT 2025</createDate>
              <voiceBridge>70066</voiceBridge>
              <running>true</running>
              <duration>0</duration>
              <hasUserJoined>true</hasUserJoined>
              <recording>false</recording>
              <hasBeenForciblyEnded>false</hasBeenForciblyEnded>
              <startTime>1759287600123</startTime>
              <endTime>0</endTime>
              <participantCount>2</participantCount>
              <listenerCount>1</listenerCount>
              <voiceParticipantCount>1</voiceParticipantCount>
              <videoCount>0</videoCount>
              <maxUsers>0</maxUsers>
              <moderatorCount>1</moderatorCount>
              <attendees>
                <attendee>
                  <userID>20B030123</userID>
                  <fullName>Айгерім Сейітқызы</fullName>
                  <role>VIEWER</role>
                  <isPresenter>false</isPresenter>
                  <isListeningOnly>true</isListeningOnly>
                  <hasJoinedVoice>false</hasJoinedVoice>
                  <hasVideo>false</hasVideo>
                  <clientType>HTML5</clientType>
                  <customdata></customdata>
                </attendee>
                <attendee>
                  <userID>T-0042</userID>
                  <fullName>Ержан Нұрланұлы</fullName>
                  <role>MODERATOR</role>
                  <isPresenter>true</isPresenter>
                  <isListeningOnly>false</isListeningOnly>
                  <hasJoinedVoice>true</hasJoinedVoice>
                  <hasVideo>true</hasVideo>
                  <clientType>HTML5</clientType>
                </attendee>
              </attendees>
              <metadata><bbb-origin>Qatysu</bbb-origin></metadata>
              <isBreakout>false</isBreakout>
            </response>
            """;

    @Test
    void the_checksum_matches_the_example_in_bigbluebuttons_api_docs() throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("name", "Test Meeting");
        p.put("meetingID", "abc123");
        p.put("attendeePW", "111222");
        p.put("moderatorPW", "333444");
        String query = BigBlueButtonClient.query(p);

        assertThat(query).isEqualTo("name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444");
        assertThat(client(ChecksumAlgorithm.SHA1).checksum("create", query)).isEqualTo(hex("SHA-1", "create" + query + SECRET));
        assertThat(client(ChecksumAlgorithm.SHA256).checksum("create", query)).isEqualTo(hex("SHA-256", "create" + query + SECRET));
    }

    @Test
    void get_meeting_info_is_signed_over_the_exact_query_and_gives_presence_samples() {
        stubCall("getMeetingInfo", "SHA-1", MEETING_INFO);

        MeetingInfo info = client(ChecksumAlgorithm.SHA1).getMeetingInfo("CS101-2025-10-01");

        assertThat(info.running()).isTrue();
        assertThat(info.meetingName()).isEqualTo("CS101 Алгоритмдер");
        assertThat(info.startTime()).isEqualTo(Instant.ofEpochMilli(1759287600123L));
        assertThat(info.participantCount()).isEqualTo(2);
        assertThat(info.attendees()).extracting(BigBlueButtonClient.PresenceSample::personKey,
                        BigBlueButtonClient.PresenceSample::displayName, BigBlueButtonClient.PresenceSample::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("20B030123", "Айгерім Сейітқызы", "VIEWER"),
                        org.assertj.core.groups.Tuple.tuple("T-0042", "Ержан Нұрланұлы", "MODERATOR"));
        assertThat(info.attendees().getFirst().listeningOnly()).isTrue();
        assertThat(info.attendees().get(1).video()).isTrue();
        assertThat(info.attendees()).allSatisfy(a -> assertThat(a.sampledAt()).isEqualTo(NOW));
    }

    @Test
    void sha256_checksums_are_accepted_by_a_server_configured_for_them() {
        stubCall("getMeetingInfo", "SHA-256", MEETING_INFO);
        assertThat(client(ChecksumAlgorithm.SHA256).getMeetingInfo("CS101-2025-10-01").attendees()).hasSize(2);
        // the same server refuses a SHA-1 checksum: typed error with BBB's own key
        assertThatThrownBy(() -> client(ChecksumAlgorithm.SHA1).getMeetingInfo("CS101-2025-10-01"))
                .isInstanceOfSatisfying(BigBlueButtonException.class, e -> assertThat(e.messageKey()).isEqualTo("checksumError"));
    }

    @Test
    void a_meeting_that_ended_is_not_found_with_http_200() {
        stubCall("getMeetingInfo", "SHA-1", """
                <response>
                <returncode>FAILED</returncode>
                <messageKey>notFound</messageKey>
                <message>A meeting with that ID does not exist</message>
                </response>""");

        assertThatThrownBy(() -> client(ChecksumAlgorithm.SHA1).getMeetingInfo("CS101-2025-10-01"))
                .isInstanceOfSatisfying(BigBlueButtonException.class, e -> {
                    assertThat(e.notFound()).isTrue();
                    assertThat(e.call()).isEqualTo("getMeetingInfo");
                    assertThat(e.getMessage()).contains("notFound").contains("does not exist");
                });
    }

    @Test
    void a_body_that_is_not_xml_is_a_malformed_answer() {
        bbb.stubFor(get(urlPathEqualTo("/bigbluebutton/api/getMeetingInfo")).willReturn(aResponse().withStatus(200).withBody("<html>oops")));
        assertThatThrownBy(() -> client(ChecksumAlgorithm.SHA1).getMeetingInfo("x1"))
                .isInstanceOf(kz.qatysu.connectors.http.HttpFailure.class).hasMessageContaining("not XML");
    }

    @Test
    void an_xml_answer_with_a_doctype_is_refused() {
        bbb.stubFor(get(urlPathEqualTo("/bigbluebutton/api/getMeetingInfo")).willReturn(aResponse().withStatus(200).withBody(
                "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><response><returncode>&x;</returncode></response>")));
        assertThatThrownBy(() -> client(ChecksumAlgorithm.SHA1).getMeetingInfo("x1"))
                .isInstanceOf(kz.qatysu.connectors.http.HttpFailure.class);
    }

    @Test
    void the_join_url_carries_the_person_id_as_user_id_and_a_checksum_over_what_is_sent() throws Exception {
        URI url = client(ChecksumAlgorithm.SHA1).joinUrl("CS101-2025-10-01", "Әлия Сейтқали", "20B030123", Role.VIEWER);

        assertThat(url.toString()).startsWith(bbb.baseUrl() + "/bigbluebutton/api/join?");
        String query = url.getRawQuery();
        assertThat(query).contains("fullName=%D3%98%D0%BB%D0%B8%D1%8F+%D0%A1%D0%B5%D0%B9%D1%82%D2%9B%D0%B0%D0%BB%D0%B8")
                .contains("userID=20B030123").contains("role=VIEWER").contains("meetingID=CS101-2025-10-01");
        String rest = query.substring(0, query.lastIndexOf("&checksum="));
        assertThat(query.substring(query.lastIndexOf("checksum=") + 9)).isEqualTo(hex("SHA-1", "join" + rest + SECRET));
        assertThat(URLDecoder.decode(rest, StandardCharsets.UTF_8)).contains("fullName=Әлия Сейтқали");
    }

    @Test
    void blank_join_arguments_are_refused() {
        assertThatThrownBy(() -> client(ChecksumAlgorithm.SHA1).joinUrl("m", "Name", " ", Role.VIEWER))
                .hasMessageContaining("personId is required");
    }

    @Test
    void analytics_create_parameters_keep_events_and_set_the_callback() {
        assertThat(BigBlueButtonClient.query(BigBlueButtonClient.analyticsCreateParameters("https://qatysu.kaznu.kz/bbb/analytics")))
                .isEqualTo("meetingKeepEvents=true&meta_analytics-callback-url=https%3A%2F%2Fqatysu.kaznu.kz%2Fbbb%2Fanalytics");
    }

    @Test
    void hooks_are_created_for_the_attendance_events_and_destroyed() {
        stubCall("hooks/create", "SHA-1", """
                <response><returncode>SUCCESS</returncode><hookID>7</hookID><permanentHook>false</permanentHook><rawData>false</rawData></response>""");
        stubCall("hooks/destroy", "SHA-1", """
                <response><returncode>SUCCESS</returncode><removed>true</removed></response>""");
        var c = client(ChecksumAlgorithm.SHA1);

        assertThat(c.createHook("https://qatysu.kaznu.kz/bbb/hooks", "CS101-2025-10-01",
                List.of("user-joined", "user-left", "meeting-ended"))).isEqualTo("7");
        assertThat(c.destroyHook("7")).isTrue();

        bbb.verify(getRequestedFor(urlPathEqualTo("/bigbluebutton/api/hooks/create"))
                .withQueryParam("callbackURL", com.github.tomakehurst.wiremock.client.WireMock.equalTo("https://qatysu.kaznu.kz/bbb/hooks"))
                .withQueryParam("eventID", com.github.tomakehurst.wiremock.client.WireMock.equalTo("user-joined,user-left,meeting-ended"))
                .withQueryParam("getRaw", com.github.tomakehurst.wiremock.client.WireMock.equalTo("false")));
    }
}
