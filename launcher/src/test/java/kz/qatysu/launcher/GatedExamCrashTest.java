package kz.qatysu.launcher;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import kz.qatysu.tool.lti.keys.KeyEncryption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the tool during gated exams (issue 11): the real tool, as {@code ./qatysu tool} runs it, in a JVM of its
 * own, with Moodle 4.5 (web services, LTI token, AGS) and Open edX's Assessment Control Service answered by WireMock.
 * Two Moodle-gated attempts wait for their per-student quiz overrides, an Open edX-proctored attempt judged VIOLATION
 * has its ACS {@code terminate} and its AGS "Proctoring" score queued. The tool is killed with SIGKILL while the first
 * override's save is in flight (Moodle received it; the answer never came back) and the second, the ACS action and the
 * score are still queued (the LMS's token endpoint is held, so neither can reach the LMS before the kill). Restarted on the same data directory, each record lands
 * exactly once: the in-flight override is found in Moodle and updated, never created a second time; the queued one is
 * created once; the ACS action and the score are sent once; the attempts are as they were.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GatedExamCrashTest {
    static final String TOKEN = "crash-gated-admin-token-0123456789";
    static final String WS_TOKEN = "crash-moodle-ws-token-0123456789";
    static final String ISSUER = "https://moodle.crash.example";
    static final String WS = "/webservice/rest/server.php";
    static final String ITEMS = "/mod/lti/services.php/2/lineitems";
    static final String EXAM = "crash-exam";

    @TempDir
    Path dataDir;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final List<Process> tools = new ArrayList<>();
    WireMockServer lms;
    int port;

    @AfterEach
    void stopEverything() throws Exception {
        for (Process p : tools) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        EmbeddedServers.killPostmaster(dataDir, "tool");
        if (lms != null) {
            lms.stop();
        }
    }

    @Test
    void each_override_acs_action_and_score_lands_exactly_once_after_a_kill_9_mid_delivery() throws Exception {
        lms = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        lms.start();
        // before the kill: Moodle takes the first save and never answers in time; the LMS token endpoint hangs
        lms.stubFor(ws("mod_quiz_get_overrides").willReturn(moodle("{\"overrides\":[]}")));
        lms.stubFor(ws("mod_quiz_save_overrides").willReturn(moodle("{\"ids\":[41]}").withFixedDelay(60_000)));
        lms.stubFor(post(urlPathEqualTo("/mod/lti/token.php")).willReturn(aResponse().withStatus(200).withFixedDelay(60_000)
                .withHeader("Content-Type", "application/json").withBody("{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
        try (var s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process tool = startTool();
        long platform = setUp();
        String a1;
        String a2;
        String a3;
        try (Connection c = EmbeddedServers.connect(dataDir, "tool")) {
            a1 = gatedAttempt(c, "P-1", 1, platform);
            a2 = gatedAttempt(c, "P-2", 2, platform);
            a3 = openEdxAttempt(c, platform);
        }

        // the first override is in flight (Moodle has it); the second waits behind it, the ACS action and the score in
        // their outboxes (were their pass to come, it would wait for the held token)
        waitFor(Duration.ofSeconds(30), () -> saves().size() == 1, "the first override in flight");
        assertThat(form(saves().get(0))).containsEntry("data[overrides][0][userid]", "1")
                .doesNotContainKey("data[overrides][0][id]");
        tool.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
        tool.waitFor(30, TimeUnit.SECONDS);
        assertThat(acs()).as("no ACS action was sent before the kill").isEmpty();
        assertThat(scores()).as("no score was posted before the kill").isEmpty();

        // after the restart: Moodle has the override it saved (41 for user 1), answers at once; the LMS gives tokens
        lms.resetMappings();
        lms.stubFor(ws("mod_quiz_get_overrides").willReturn(moodle("{\"overrides\":[{\"id\":41,\"quiz\":4,\"userid\":1,"
                + "\"groupid\":null,\"timeopen\":1,\"timeclose\":2,\"timelimit\":null,\"attempts\":null,\"password\":\"x\"}]}")));
        lms.stubFor(ws("mod_quiz_save_overrides").withRequestBody(containing(enc("data[overrides][0][userid]") + "=1"))
                .willReturn(moodle("{\"ids\":[41]}")));
        lms.stubFor(ws("mod_quiz_save_overrides").withRequestBody(containing(enc("data[overrides][0][userid]") + "=2"))
                .willReturn(moodle("{\"ids\":[42]}")));
        lms.stubFor(post(urlPathEqualTo("/mod/lti/token.php")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
        lms.stubFor(get(urlPathEqualTo(ITEMS)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/vnd.ims.lis.v2.lineitemcontainer+json").withBody("[]")));
        lms.stubFor(post(urlPathEqualTo(ITEMS)).withRequestBody(containing("qatysu-proctoring-" + EXAM)).willReturn(lineItem(20)));
        lms.stubFor(post(urlPathEqualTo(ITEMS)).atPriority(9).willReturn(lineItem(7)));
        lms.stubFor(post(urlPathEqualTo(ITEMS + "/20/lineitem/scores")).willReturn(aResponse().withStatus(200)));
        lms.stubFor(post(urlPathEqualTo(ITEMS + "/7/lineitem/scores")).willReturn(aResponse().withStatus(200)));
        lms.stubFor(post(urlPathEqualTo("/acs")).willReturn(aResponse().withStatus(200).withBody("{}")));

        startTool();
        waitFor(Duration.ofSeconds(45), () -> delivered(a1, a2), "everything delivered after the restart");
        Thread.sleep(5_500); // one more pass of the quiz gate: nothing is sent again

        // Moodle: one override per student, the in-flight one updated (with its id), never created twice
        List<Map<String, String>> saves = saves().stream().map(GatedExamCrashTest::form).toList();
        assertThat(saves.stream().filter(f -> f.get("data[overrides][0][userid]").equals("1") && !f.containsKey("data[overrides][0][id]")))
                .as("creations of user 1's override").hasSize(1);
        assertThat(saves.stream().filter(f -> f.get("data[overrides][0][userid]").equals("1") && f.containsKey("data[overrides][0][id]")))
                .as("user 1's override found in Moodle and updated").singleElement()
                .satisfies(f -> assertThat(f).containsEntry("data[overrides][0][id]", "41"));
        assertThat(saves.stream().filter(f -> f.get("data[overrides][0][userid]").equals("2"))).as("user 2's override").hasSize(1);
        // Open edX: the terminate once; the gradebook: the Proctoring score of the examinee once
        assertThat(acs()).singleElement().satisfies(r -> assertThat(r.getBodyAsString()).contains("\"action\":\"terminate\"",
                "\"sub\":\"oex-3\""));
        assertThat(scores()).singleElement().satisfies(r -> assertThat(r.getBodyAsString()).contains("\"userId\":\"oex-3\"",
                "\"scoreGiven\":0"));

        try (Connection c = EmbeddedServers.connect(dataDir, "tool")) {
            assertThat(one(c, "SELECT state || '/' || override_id FROM proctoring_quiz_override WHERE attempt_id = ?", a1)).isEqualTo("OPEN/41");
            assertThat(one(c, "SELECT state || '/' || override_id FROM proctoring_quiz_override WHERE attempt_id = ?", a2)).isEqualTo("OPEN/42");
            assertThat(one(c, "SELECT state FROM proctoring_attempt WHERE id = ?", a1)).isEqualTo("IN_PROGRESS");
            assertThat(one(c, "SELECT state FROM proctoring_attempt WHERE id = ?", a2)).isEqualTo("IN_PROGRESS");
            assertThat(one(c, "SELECT a.state || '/' || v.verdict FROM proctoring_attempt a JOIN proctoring_verdict v ON v.attempt_id = a.id"
                    + " WHERE a.id = ?", a3)).isEqualTo("ENDED/VIOLATION");
        }
    }

    // ---- the outside world -----------------------------------------------------------------------------------------

    static MappingBuilder ws(String function) {
        return post(urlPathEqualTo(WS)).withRequestBody(containing("wsfunction=" + function))
                .withRequestBody(containing("wstoken=" + WS_TOKEN));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder moodle(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder lineItem(int id) {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/vnd.ims.lis.v2.lineitem+json")
                .withBody("{\"id\":\"" + lms.baseUrl() + ITEMS + "/" + id + "/lineitem?type_id=1\",\"label\":\"item " + id
                        + "\",\"scoreMaximum\":1,\"resourceLinkId\":\"1\"}");
    }

    List<LoggedRequest> saves() {
        return lms.findAll(postRequestedFor(urlPathEqualTo(WS)).withRequestBody(containing("wsfunction=mod_quiz_save_overrides")));
    }

    List<LoggedRequest> acs() {
        return lms.findAll(postRequestedFor(urlPathEqualTo("/acs")));
    }

    List<LoggedRequest> scores() {
        return lms.findAll(postRequestedFor(urlPathEqualTo(ITEMS + "/20/lineitem/scores")));
    }

    static Map<String, String> form(LoggedRequest r) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : r.getBodyAsString().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---- the data --------------------------------------------------------------------------------------------------

    /** The Moodle platform, the section, the exam gating quiz 4 by per-student overrides, the course link with AGS. */
    private long setUp() throws Exception {
        String registration = """
                {"issuer": "%s", "clientId": "crash-client", "name": "Crash Moodle", "authLoginUrl": "%s/mod/lti/auth.php",
                 "authTokenUrl": "%s/mod/lti/token.php", "keySetUrl": "%s/mod/lti/certs.php", "deploymentIds": ["1"]}"""
                .formatted(ISSUER, lms.baseUrl(), lms.baseUrl(), lms.baseUrl());
        assertThat(send("POST", "/api/v1/admin/platforms", registration)).isEqualTo(201);
        assertThat(send("PUT", "/api/v1/sections/CR", "{\"title\": \"Crash\", \"termStart\": \"2026-09-01\", \"termEnd\": \"2026-12-25\"}") / 100)
                .isEqualTo(2);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (Connection c = EmbeddedServers.connect(dataDir, "tool")) {
            long platform = Long.parseLong(one(c, "SELECT CAST(id AS TEXT) FROM platform WHERE issuer = ?", ISSUER));
            update(c, """
                    INSERT INTO proctored_exam (id, section_id, title, kind, opens_at, closes_at, proctored, require_id_photo,
                        require_face_match, require_room_scan, require_screen_share, snapshot_interval_seconds, campus_alternative,
                        identity_tries, version, created_by, created_at, updated_by, updated_at)
                    VALUES (?, 'CR', 'Final exam', 'FINAL', ?, ?, TRUE, FALSE, FALSE, FALSE, FALSE, 30, FALSE, 2, 1, 'T-1', now(), 'T-1', now())""",
                    EXAM, Timestamp.from(now.minus(Duration.ofHours(1))), Timestamp.from(now.plus(Duration.ofHours(3))));
            update(c, """
                    INSERT INTO proctoring_moodle_quiz (exam_id, platform_id, course_id, quiz_id, quiz_name, gate_mode, updated_by, updated_at)
                    VALUES (?, ?, 2, 4, 'Final exam', 'QUIZ_OVERRIDE', 'T-1', now())""", EXAM, platform);
            update(c, """
                    INSERT INTO course_link (platform_id, context_id, resource_link_id, deployment_id, section_id, ags_claim)
                    VALUES (?, '2', '1', '1', 'CR', CAST(? AS JSONB))""", platform,
                    "{\"scope\":[\"https://purl.imsglobal.org/spec/lti-ags/scope/lineitem\","
                            + "\"https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly\","
                            + "\"https://purl.imsglobal.org/spec/lti-ags/scope/score\"],\"lineitems\":\"" + lms.baseUrl() + ITEMS + "?type_id=1\"}");
            return platform;
        }
    }

    /** An examinee past the checks (IN_PROGRESS) whose quiz override is queued, as {@code QuizGate.started} queues it. */
    private String gatedAttempt(Connection c, String person, int moodleUser, long platform) throws Exception {
        String id = "att-crash-" + person;
        long now = Instant.now().getEpochSecond();
        update(c, """
                INSERT INTO proctoring_attempt (id, exam_id, person_id, attempt_number, state, created_at, consent_at, started_at)
                VALUES (?, ?, ?, 1, 'IN_PROGRESS', now(), now(), now())""", id, EXAM, person);
        update(c, "INSERT INTO lti_user (platform_id, subject, person_id) VALUES (?, ?, ?)", platform, Integer.toString(moodleUser), person);
        String sealed = KeyEncryption.from(Optional.empty(), dataDir).seal("proctoring_quiz_override/" + id, "Pw-" + person);
        update(c, """
                INSERT INTO proctoring_quiz_override (attempt_id, exam_id, person_id, platform_id, quiz_id, password, time_open,
                                                      time_close, state, created_at, updated_at)
                VALUES (?, ?, ?, ?, 4, ?, ?, ?, 'OPENING', now(), now())""", id, EXAM, person, platform, sealed, now - 60,
                now + 3 * 3600);
        return id;
    }

    /** An Open edX-proctored attempt that ended and was judged VIOLATION: ACS terminate queued, the score due. */
    private String openEdxAttempt(Connection c, long platform) throws Exception {
        String id = "att-crash-P-3";
        update(c, """
                INSERT INTO proctoring_attempt (id, exam_id, person_id, attempt_number, state, created_at, consent_at, started_at, ended_at)
                VALUES (?, ?, 'P-3', 1, 'ENDED', now(), now(), now(), now())""", id, EXAM);
        update(c, "INSERT INTO lti_user (platform_id, subject, person_id) VALUES (?, 'oex-3', 'P-3')", platform);
        update(c, """
                INSERT INTO openedx_attempt (id, platform_id, deployment_id, resource_link_id, subject, attempt_number, exam_id,
                                             attempt_id, launch_key, session_data, start_assessment_url, acs_url, acs_actions,
                                             created_at, launched_at)
                VALUES ('oex-crash', ?, '1', 'block-v1:crash', 'oex-3', 1, ?, ?, 'k', 'sd', 'https://lms.example/start', ?,
                        ARRAY['terminate', 'flag'], now(), now())""", platform, EXAM, id, lms.baseUrl() + "/acs");
        update(c, "INSERT INTO proctoring_verdict (attempt_id, verdict, comment, decided_by, decided_at) VALUES (?, 'VIOLATION', 'a phone', 'P-77', now())", id);
        update(c, "INSERT INTO proctoring_verdict_history (attempt_id, verdict, comment, decided_by, decided_at) VALUES (?, 'VIOLATION', 'a phone', 'P-77', now())", id);
        update(c, """
                INSERT INTO openedx_acs_action (openedx_attempt, action, cause, reason_code, incident_time, incident_severity,
                                                created_at, next_attempt_at)
                VALUES ('oex-crash', 'terminate', 'verdict:VIOLATION', '1', now(), 1.0, now(), now())""");
        return id;
    }

    private boolean delivered(String a1, String a2) {
        try (Connection c = EmbeddedServers.connect(dataDir, "tool")) {
            return "OPEN".equals(one(c, "SELECT state FROM proctoring_quiz_override WHERE attempt_id = ?", a1))
                    && "OPEN".equals(one(c, "SELECT state FROM proctoring_quiz_override WHERE attempt_id = ?", a2))
                    && one(c, "SELECT CAST(delivered_at AS TEXT) FROM openedx_acs_action WHERE openedx_attempt = 'oex-crash'") != null
                    && "VIOLATION".equals(one(c, "SELECT posted_state FROM proctoring_score_delivery WHERE exam_id = ? AND kind = 'VERDICT'", EXAM));
        } catch (Exception e) {
            return false;
        }
    }

    private static void update(Connection c, String sql, Object... args) throws Exception {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            st.executeUpdate();
        }
    }

    private static String one(Connection c, String sql, Object... args) throws Exception {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            try (var rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void waitFor(Duration max, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    // ---- the tool in a JVM of its own (as CrashRestartTest starts it) ----------------------------------------------

    /** {@code ./qatysu tool} in a JVM of its own; returns once it answers HTTP. */
    private Process startTool() throws Exception {
        return ToolJvm.start(dataDir, port, TOKEN, Map.of("QATYSU_MOODLE_0_ISSUER", ISSUER, "QATYSU_MOODLE_0_URL", lms.baseUrl(), "QATYSU_MOODLE_0_TOKEN", WS_TOKEN), tools, http, "/ready");
    }

    private int send(String method, String path, String json) throws IOException {
        return ToolJvm.send(http, port, TOKEN, method, path, json);
    }
}
