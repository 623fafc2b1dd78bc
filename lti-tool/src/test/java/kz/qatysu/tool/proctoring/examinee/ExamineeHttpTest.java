package kz.qatysu.tool.proctoring.examinee;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.proctoring.analysis.Photos;
import kz.qatysu.tool.proctoring.attempts.Attempt;
import kz.qatysu.tool.proctoring.attempts.AttemptEvent;
import kz.qatysu.tool.proctoring.attempts.AttemptService;
import kz.qatysu.tool.proctoring.attempts.EventType;
import kz.qatysu.tool.proctoring.attempts.Verdict;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.testing.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static kz.qatysu.tool.proctoring.examinee.ExamineeClient.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examinee's path over real HTTP against the real tool (embedded PostgreSQL, the real face analysis on real
 * photographs): the launch of a deep-linked proctored exam, the exam gate in front of everything, consent and refusal,
 * the single-use window link, system check, identity, room scan, monitoring (snapshots analysed for faces, events,
 * recording chunks resumed after a cut-off upload, all deduplicated), the end and the verdict the student sees, and
 * who may call what. Section ATT101-2025: P-1001 missed 2 of 10 hours (admitted to the midterm; no scores, so not to the
 * final), P-1002 missed 4 (over 30 %: locked).
 */
class ExamineeHttpTest {
    static final String MID = "exm-mid";
    static final String FINAL = "exm-final";
    static final String NO_CAMPUS = "exm-nocampus";
    static final String CAMPUS = "exm-campus";
    static final String TEXTS = "exm-texts";
    static DeansFixture f;

    @BeforeAll
    static void start() {
        f = DeansFixture.start(Map.of());
        f.absent("P-1001", "S-1", "S-2");
        f.absent("P-1002", "S-1", "S-2", "S-3", "S-4");
        exam(MID, Exam.ExamKind.MIDTERM, Exam.Checks.ALL, true);
        exam(FINAL, Exam.ExamKind.FINAL, Exam.Checks.ALL, true);
        exam(NO_CAMPUS, Exam.ExamKind.MIDTERM, Exam.Checks.ALL, false);
        exam(CAMPUS, Exam.ExamKind.MIDTERM, Exam.Checks.ALL, true);
        exam(TEXTS, Exam.ExamKind.MIDTERM, Exam.Checks.ALL, true);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static void exam(String id, Exam.ExamKind kind, Exam.Checks checks, boolean campus) {
        Instant now = Instant.now();
        Exam e = new Exam(id, DeansFixture.SECTION, "Exam " + id, kind, now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(3)),
                true, checks, 10, campus, 2, 1, "T-7", now, "T-7", now);
        f.tool.database().jdbi().useHandle(h -> f.tool.app().proctoredExams().insert(h, e));
    }

    static AttemptService attempts() {
        return f.tool.app().proctoringAttempts();
    }

    static Attempt attemptOf(String examId, String personId) {
        return attempts().repository().of(examId, personId).orElseThrow(() -> new AssertionError("no attempt of " + personId));
    }

    static List<EventType> events(Attempt a) {
        return attempts().repository().events(a.id()).stream().map(AttemptEvent::type).toList();
    }

    // ---- launch and gate ---------------------------------------------------------------------------------------

    @Test
    void a_student_launch_lands_on_the_exam_page_and_a_teacher_launch_on_the_exams_attempts() {
        ExamineeClient student = ExamineeClient.launch(f, "P-1001", "31", MID, false);
        HttpResponse<String> home = student.get(student.base + "/");
        assertThat(home.statusCode()).isEqualTo(303);
        assertThat(home.headers().firstValue("Location")).hasValue(student.base + "/exams/" + MID);

        ExamineeClient teacher = ExamineeClient.launch(f, "T-7", "3", MID, true);
        HttpResponse<String> teacherHome = teacher.get(teacher.base + "/");
        assertThat(teacherHome.statusCode()).isEqualTo(303);
        assertThat(teacherHome.headers().firstValue("Location")).hasValue(teacher.base + "/exams/" + MID + "/attempts");
        // the teacher who opens the student's page is sent to the proctor's page too
        assertThat(teacher.get(teacher.exam()).headers().firstValue("Location")).hasValue(teacher.base + "/exams/" + MID + "/attempts");
    }

    @Test
    void a_student_who_is_not_admitted_sees_why_and_never_reaches_the_checks() {
        ExamineeClient locked = ExamineeClient.launch(f, "P-1002", "32", MID, false);
        String page = locked.examPage();
        assertThat(page).contains("id=\"exam-not-admitted\"", "You are not admitted to this exam", "id=\"gate-locked\"",
                "Unexcused absences: 40.0 %").doesNotContain("id=\"consent\"");
        locked.csrf = csrfOfAnotherPage(locked);
        assertThat(locked.form("/consent", Map.of("_csrf", locked.csrf)).statusCode()).isEqualTo(403);
        assertThat(locked.form("/refuse", Map.of("_csrf", locked.csrf)).statusCode()).isEqualTo(403);
        assertThat(locked.get(locked.exam() + "/checks").statusCode()).isEqualTo(403);
        assertThat(locked.json("POST", "/attempt/start", "{\"recordingId\":\"" + UUID.randomUUID() + "\"}").statusCode()).isEqualTo(403);
        assertThat(attempts().repository().of(MID, "P-1002")).isEmpty();

        // the final needs the final admission: P-1001 has no scores, so the rating condition is unmet
        ExamineeClient noRating = ExamineeClient.launch(f, "P-1001", "33", FINAL, false);
        assertThat(noRating.examPage()).contains("id=\"exam-not-admitted\"", "id=\"conditions\"", "Rating:", "id=\"todo-rating\"")
                .doesNotContain("id=\"consent\"");
        noRating.csrf = csrfOfAnotherPage(noRating);
        assertThat(noRating.form("/consent", Map.of("_csrf", noRating.csrf)).statusCode()).isEqualTo(403);
        assertThat(attempts().repository().of(FINAL, "P-1001")).isEmpty();
    }

    /** The session's CSRF token from a page that has a form (the not-admitted page has none). */
    private static String csrfOfAnotherPage(ExamineeClient c) {
        return DeansFixture.csrf(c.get(c.base + "/excuses").body());
    }

    // ---- consent and refusal ----------------------------------------------------------------------------------

    @Test
    void the_consent_says_what_is_recorded_who_sees_it_how_long_and_why_in_every_language() {
        ExamineeClient en = ExamineeClient.launch(f, "P-1001", "34", TEXTS, false);
        assertThat(en.examPage()).contains("id=\"consent\"", "camera and microphone continuously", "every 10 s",
                "Your whole screen is shared", "Only the proctors of this exam and the dean's office", "for 365 days",
                "On personal data and their protection", "id=\"consent-accept\"", "id=\"consent-refuse\"");
        for (String[] lang : new String[][]{{"ru", "365 дней", "О персональных данных и их защите"},
                {"kk", "365 күн", "Дербес деректер және оларды қорғау туралы"}}) {
            Browser b = new Browser();
            var r = new kz.qatysu.tool.testing.LtiFlow(f.tool, f.platform, b).launch((nonce, target) -> {
                Map<String, Object> c = kz.qatysu.tool.testing.LaunchClaims.moodleStudent(f.platform, nonce, target);
                c.put("sub", "34");
                c.put(kz.qatysu.tool.testing.LaunchClaims.LTI + "lis", Map.of("person_sourcedid", "P-1001", "course_section_sourcedid", DeansFixture.SECTION));
                c.put(kz.qatysu.tool.testing.LaunchClaims.LTI + "launch_presentation", Map.of("locale", lang[0]));
                return c;
            });
            String base = r.headers().firstValue("Location").orElseThrow();
            String page = b.get(f.tool.baseUrl() + base + "exams/" + TEXTS).body();
            assertThat(page).as(lang[0]).contains(lang[1], lang[2]).doesNotContain("examinee.", "Only the proctors");
        }
    }

    @Test
    void refusing_is_logged_and_shows_the_campus_sitting_or_the_deans_office_and_may_be_changed() {
        ExamineeClient noCampus = ExamineeClient.launch(f, "P-1001", "35", NO_CAMPUS, false);
        noCampus.examPage();
        HttpResponse<String> refused = noCampus.form("/refuse", Map.of("_csrf", noCampus.csrf, "reason", "no camera at home"));
        assertThat(refused.statusCode()).isEqualTo(303);
        assertThat(noCampus.examPage()).contains("id=\"refused\"", "This exam has no campus sitting: contact the dean's office",
                "consent refused", "id=\"consent-accept\"");
        Attempt a = attemptOf(NO_CAMPUS, "P-1001");
        assertThat(events(a)).containsExactly(EventType.CONSENT_REFUSED);
        assertThat(attempts().repository().events(a.id()).get(0).detail()).isEqualTo("no camera at home");
        // the student changes their mind while the exam is open
        assertThat(noCampus.form("/consent", Map.of("_csrf", noCampus.csrf)).statusCode()).isEqualTo(303);
        assertThat(attemptOf(NO_CAMPUS, "P-1001").state().name()).isEqualTo("CHECKING");

        ExamineeClient campus = ExamineeClient.launch(f, "P-1001", "35", CAMPUS, false);
        campus.examPage();
        campus.form("/refuse", Map.of("_csrf", campus.csrf));
        assertThat(campus.examPage()).contains("You may sit this exam on campus instead");
        // without the CSRF token nothing changes
        assertThat(campus.form("/consent", Map.of()).statusCode()).isEqualTo(403);
        assertThat(attemptOf(CAMPUS, "P-1001").state().name()).isEqualTo("REFUSED");
    }

    // ---- the whole path ----------------------------------------------------------------------------------------

    @Test
    void the_whole_path_from_consent_to_the_end_with_real_photos_resumed_chunks_and_deduplication() throws Exception {
        ExamineeClient a = ExamineeClient.launch(f, "P-1001", "36", MID, false);
        a.examPage();
        assertThat(a.form("/consent", Map.of("_csrf", a.csrf)).statusCode()).isEqualTo(303);
        assertThat(a.examPage()).contains("checks before the exam", "id=\"open-window\"");

        // the exam window: a single-use link whose token becomes the window's own session cookie
        String url = ok(a.json("POST", "/attempt/window", null)).path("url").asText();
        assertThat(url).startsWith(a.exam() + "/checks?token=");
        Browser window = new Browser();
        HttpResponse<String> exchanged = window.get(f.tool.baseUrl() + url);
        assertThat(exchanged.statusCode()).isEqualTo(303);
        assertThat(exchanged.headers().firstValue("Location")).hasValue(a.exam() + "/checks");
        assertThat(exchanged.headers().allValues("Set-Cookie")).anyMatch(c -> c.contains("HttpOnly"));
        String checks = window.get(f.tool.baseUrl() + a.exam() + "/checks").body();
        assertThat(checks).contains("id=\"system-run\"", "id=\"take-live\"", "id=\"take-id\"", "id=\"room-record\"",
                "/assets/proctoring/checks.js");
        assertThat(new Browser().get(f.tool.baseUrl() + url).statusCode()).as("the link works once").isEqualTo(401);
        ExamineeClient w = new ExamineeClient(f, window, a.base, MID);
        w.csrf = DeansFixture.csrf(window.get(f.tool.baseUrl() + a.base + "/excuses").body());

        // system check: the whole screen is required
        HttpResponse<String> tab = w.json("POST", "/attempt/system-check", "{\"camera\":true,\"microphone\":true,\"screen\":\"browser\"}");
        assertThat(tab.statusCode()).isEqualTo(422);
        assertThat(tab.body()).contains("\"path\":\"screen\"");
        ok(w.json("POST", "/attempt/system-check", "{\"camera\":true,\"microphone\":true,\"screen\":\"monitor\",\"browser\":\"test\"}"));

        // identity: no face is refused without using a try; another person is a flagged try; the same person verifies
        HttpResponse<String> noFace = w.identity(Photos.bytes(Photos.COFFEE), Photos.bytes(Photos.ASTRONAUT));
        assertThat(noFace.statusCode()).isEqualTo(422);
        assertThat(noFace.body()).contains("\"path\":\"livePhoto\"");
        JsonNode mismatch = ok(w.identity(Photos.bytes(Photos.GRACE_HOPPER), Photos.bytes(Photos.ASTRONAUT)));
        assertThat(mismatch.path("identity").asText()).isEqualTo("PENDING");
        assertThat(mismatch.path("triesLeft").asInt()).isEqualTo(1);
        assertThat(mismatch.path("match").path("same").asBoolean()).isFalse();
        JsonNode verified = ok(w.identity(Photos.bytes(Photos.ASTRONAUT), Photos.mirrored(Photos.ASTRONAUT)));
        assertThat(verified.path("identity").asText()).isEqualTo("VERIFIED");

        // the monitoring may not start before the room scan
        assertThat(w.json("POST", "/attempt/start", "{\"recordingId\":\"" + UUID.randomUUID() + "\"}").body()).contains("roomScan");
        ok(w.bytes("POST", "/attempt/room-scan", webm(4000, 1), "video/webm", Map.of()));
        assertThat(w.bytes("POST", "/attempt/room-scan", "not a video".getBytes(StandardCharsets.UTF_8), "video/webm", Map.of())
                .statusCode()).isEqualTo(415);

        String recordingId = UUID.randomUUID().toString();
        JsonNode started = ok(w.json("POST", "/attempt/start", "{\"recordingId\":\"" + recordingId + "\"}"));
        assertThat(started.path("state").asText()).isEqualTo("IN_PROGRESS");
        assertThat(started.path("recordingId").asText()).isEqualTo(recordingId);
        assertThat(started.path("recording").path("present")).isEmpty();
        assertThat(window.get(f.tool.baseUrl() + a.exam() + "/monitor").body()).contains("id=\"monitor-start\"", "/assets/proctoring/monitor.js");

        // snapshots: one face, two faces (MULTIPLE_FACES), a screen picture; a resend is recognised
        String one = UUID.randomUUID().toString();
        String two = UUID.randomUUID().toString();
        JsonNode first = ok(w.bytes("POST", "/attempt/snapshots?source=CAMERA&id=" + one + "&takenAt=" + Instant.now(),
                Photos.bytes(Photos.ASTRONAUT), "image/jpeg", Map.of()));
        assertThat(first.path("duplicate").asBoolean()).isFalse();
        ok(w.bytes("POST", "/attempt/snapshots?source=CAMERA&id=" + two, Photos.sideBySide(Photos.ASTRONAUT, Photos.GRACE_HOPPER),
                "image/jpeg", Map.of()));
        ok(w.bytes("POST", "/attempt/snapshots?source=SCREEN&id=" + UUID.randomUUID(), Photos.bytes(Photos.COFFEE), "image/jpeg", Map.of()));
        assertThat(ok(w.bytes("POST", "/attempt/snapshots?source=CAMERA&id=" + two,
                Photos.sideBySide(Photos.ASTRONAUT, Photos.GRACE_HOPPER), "image/jpeg", Map.of())).path("duplicate").asBoolean()).isTrue();
        HttpResponse<String> notAnImage = w.bytes("POST", "/attempt/snapshots?source=CAMERA&id=" + UUID.randomUUID(),
                "GIF89a....".getBytes(StandardCharsets.US_ASCII), "image/gif", Map.of());
        assertThat(notAnImage.statusCode()).isEqualTo(415);
        HttpResponse<String> tooLarge = w.bytes("POST", "/attempt/snapshots?source=CAMERA&id=" + UUID.randomUUID(),
                new byte[2 * 1024 * 1024 + 1], "image/jpeg", Map.of());
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("\"path\":\"snapshot\"");

        // browser events, sent twice (a lost answer): stored once; a type a browser may not report is refused whole
        String events = "[{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"TAB_HIDDEN\",\"at\":\"" + Instant.now() + "\"},"
                + "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"COPY_PASTE\",\"at\":\"" + Instant.now() + "\",\"detail\":\"paste\"}]";
        assertThat(ok(w.json("POST", "/attempt/events", events)).path("added").asInt()).isEqualTo(2);
        assertThat(ok(w.json("POST", "/attempt/events", events)).path("added").asInt()).isZero();
        HttpResponse<String> forged = w.json("POST", "/attempt/events", "[{\"id\":\"" + UUID.randomUUID()
                + "\",\"type\":\"ID_VERIFIED\",\"at\":\"" + Instant.now() + "\"}]");
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("[0].type");
        ok(w.json("POST", "/attempt/heartbeat", null));

        // recording: chunk 0, chunk 1 cut off half-way (nothing stored), resumed from the server's status
        byte[] c0 = webm(6000, 2);
        byte[] c1 = continuation(6000, 3);
        assertThat(ok(w.bytes("PUT", "/attempt/recording/0", c0, "video/webm", Map.of("X-Chunk-Sha256", sha256(c0))))
                .path("accepted").asText()).isEqualTo("STORED");
        cutOff(w, "/attempt/recording/1", c1);
        JsonNode status = ok(w.json("GET", "/attempt/recording", null));
        assertThat(status.path("present").toString()).isEqualTo("[0]");
        HttpResponse<String> early = w.json("POST", "/attempt/end", null);
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(early.body()).contains("\"path\":\"recording\"");
        HttpResponse<String> wrongHash = w.bytes("PUT", "/attempt/recording/1", c1, "video/webm", Map.of("X-Chunk-Sha256", sha256(c0)));
        assertThat(wrongHash.statusCode()).isEqualTo(400);
        assertThat(wrongHash.body()).contains("chunk.sha256");
        assertThat(ok(w.bytes("PUT", "/attempt/recording/1", c1, "video/webm", Map.of("X-Chunk-Sha256", sha256(c1))))
                .path("accepted").asText()).isEqualTo("STORED");
        assertThat(ok(w.bytes("PUT", "/attempt/recording/1", c1, "video/webm", Map.of("X-Chunk-Sha256", sha256(c1))))
                .path("accepted").asText()).isEqualTo("ALREADY_STORED");
        HttpResponse<String> gap = w.json("POST", "/attempt/recording/finish", "{\"lastIndex\":2}");
        assertThat(gap.statusCode()).isEqualTo(409);
        assertThat(gap.body()).contains("recording.lastIndex", "[2]");
        assertThat(ok(w.json("POST", "/attempt/recording/finish", "{\"lastIndex\":1}")).path("finished").asBoolean()).isTrue();

        // the face analysis runs in the background: the two-face snapshot becomes MULTIPLE_FACES with its evidence
        Attempt attempt = attemptOf(MID, "P-1001");
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!events(attempt).contains(EventType.MULTIPLE_FACES) && System.nanoTime() < until) {
            f.tool.app().superviseProctoring();
            Thread.sleep(200);
        }
        assertThat(events(attempt)).contains(EventType.MULTIPLE_FACES, EventType.ID_NOT_VERIFIED, EventType.ID_VERIFIED,
                EventType.ROOM_SCAN_RECORDED, EventType.SYSTEM_CHECKED, EventType.TAB_HIDDEN, EventType.COPY_PASTE);
        assertThat(attempts().repository().events(attempt.id()).stream().filter(e -> e.type() == EventType.MULTIPLE_FACES)
                .findFirst().orElseThrow().snapshotKey()).isPresent();
        assertThat(events(attempt).stream().filter(t -> t == EventType.TAB_HIDDEN).count()).isEqualTo(1);

        JsonNode ended = ok(w.json("POST", "/attempt/end", null));
        assertThat(ended.path("state").asText()).isEqualTo("ENDED");
        assertThat(ended.path("summary").path("snapshots").asInt()).isEqualTo(2);
        assertThat(ended.path("summary").path("screenSnapshots").asInt()).isEqualTo(1);
        assertThat(ended.path("summary").path("chunks").asInt()).isEqualTo(2);
        assertThat(ended.path("summary").path("recordingComplete").asBoolean()).isTrue();

        // the student sees the state and, once given, the proctor's verdict on the exam page (in the LMS frame)
        assertThat(a.examPage()).contains("id=\"attempt-state\">ended", "2 camera pictures, 1 screen pictures, 2 recording parts",
                "The recording is complete on the server.", "id=\"attempt-verdict\">not given yet");
        attempts().decide(attempt.id(), Verdict.Outcome.SUSPICIOUS, "a second person at 10:05", "T-7");
        assertThat(a.examPage()).contains("suspicious — a second person at 10:05");
        assertThat(ok(a.json("GET", "/attempt", null)).path("verdict").path("verdict").asText()).isEqualTo("SUSPICIOUS");
    }

    // ---- who may do what -----------------------------------------------------------------------------------------

    @Test
    void only_the_attempts_own_student_reads_or_writes_it_and_a_teacher_cannot_act_as_a_student() {
        ExamineeClient a = ExamineeClient.launch(f, "P-1001", "37", NO_CAMPUS, false);
        a.examPage();
        a.form("/consent", Map.of("_csrf", a.csrf));
        Attempt mine = attemptOf(NO_CAMPUS, "P-1001");
        int before = attempts().repository().events(mine.id()).size();
        String event = "[{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"TAB_HIDDEN\",\"at\":\"" + Instant.now() + "\"}]";

        // B has no attempt of their own: B's requests never reach A's (there is no attempt id to swap)
        ExamineeClient b = ExamineeClient.launch(f, "P-1002", "38", NO_CAMPUS, false);
        b.csrf = csrfOfAnotherPage(b);
        HttpResponse<String> bReads = b.json("GET", "/attempt", null);
        assertThat(bReads.statusCode()).isEqualTo(404);
        assertThat(bReads.body()).doesNotContain(mine.id(), "P-1001");
        assertThat(b.json("POST", "/attempt/events", event).statusCode()).isEqualTo(404);
        // B in A's launch (A's path, B's cookies): no session there
        ExamineeClient bInA = new ExamineeClient(f, b.browser, a.base, NO_CAMPUS);
        bInA.csrf = b.csrf;
        assertThat(bInA.json("GET", "/attempt", null).statusCode()).isEqualTo(401);
        assertThat(bInA.json("POST", "/attempt/events", event).statusCode()).isEqualTo(401);
        // A's window link is bound to A's launch: under B's launch it opens nothing
        String url = ok(a.json("POST", "/attempt/window", null)).path("url").asText();
        assertThat(new Browser().get(f.tool.baseUrl() + url.replace(a.base, b.base)).statusCode()).isEqualTo(401);

        // a teacher of the course cannot post as a student
        ExamineeClient t = ExamineeClient.launch(f, "T-7", "3", NO_CAMPUS, true);
        t.csrf = DeansFixture.csrf(t.get(t.base + "/timetable/new").body());
        assertThat(t.json("POST", "/attempt/events", event).statusCode()).isEqualTo(403);
        assertThat(t.json("GET", "/attempt", null).statusCode()).isEqualTo(403);
        assertThat(t.form("/consent", Map.of("_csrf", t.csrf)).statusCode()).isEqualTo(403);
        // no CSRF header: refused
        ExamineeClient noCsrf = new ExamineeClient(f, a.browser, a.base, NO_CAMPUS);
        assertThat(noCsrf.json("POST", "/attempt/system-check", "{\"camera\":true,\"microphone\":true,\"screen\":\"monitor\"}")
                .statusCode()).isEqualTo(403);
        // an exam of another section is not found
        ExamineeClient other = new ExamineeClient(f, a.browser, a.base, "no-such-exam");
        other.csrf = a.csrf;
        assertThat(other.json("GET", "/attempt", null).statusCode()).isEqualTo(404);
        assertThat(attempts().repository().events(mine.id())).hasSize(before);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /** A WebM chunk 0: the EBML magic, then filler bytes. */
    static byte[] webm(int size, int seed) {
        byte[] b = continuation(size, seed);
        b[0] = 0x1A;
        b[1] = 0x45;
        b[2] = (byte) 0xDF;
        b[3] = (byte) 0xA3;
        return b;
    }

    static byte[] continuation(int size, int seed) {
        byte[] b = new byte[size];
        new java.util.Random(seed).nextBytes(b);
        b[0] = 0x43; // not the EBML magic: a timeslice continuation
        return b;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Sends the chunk's headers and half its body, then closes the socket: a connection lost mid-upload. */
    static void cutOff(ExamineeClient w, String path, byte[] chunk) throws Exception {
        java.net.URI uri = java.net.URI.create(f.tool.baseUrl());
        try (Socket s = new Socket("127.0.0.1", uri.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("PUT " + w.exam() + path + " HTTP/1.1\r\nHost: localhost:" + uri.getPort() + "\r\nCookie: " + w.cookieHeader()
                    + "\r\nX-CSRF-Token: " + w.csrf + "\r\nX-Chunk-Sha256: " + sha256(chunk)
                    + "\r\nContent-Type: video/webm\r\nContent-Length: " + chunk.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(chunk, 0, chunk.length / 2);
            out.flush();
            Thread.sleep(300);
        }
        // the server notices the closed connection and stores nothing
        Thread.sleep(500);
    }

    static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
