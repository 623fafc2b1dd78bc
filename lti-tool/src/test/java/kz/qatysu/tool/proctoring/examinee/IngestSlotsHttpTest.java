package kz.qatysu.tool.proctoring.examinee;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.proctoring.analysis.Photos;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static kz.qatysu.tool.proctoring.examinee.ExamineeClient.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examinee's uploads against the upload caps over real HTTP (tool-wide 2 uploads at once, one per course session,
 * a 1 s wait for a tool-wide slot): a resend of a snapshot still being received joins it and is stored once; a
 * refusal names its cap (header, JSON body, /metrics) with a 1 s Retry-After; a waiting upload takes a slot that frees
 * within the wait; heartbeats and events pass while every upload slot is taken. Uploads are held in flight by sending
 * half their body on a raw socket.
 */
class IngestSlotsHttpTest {
    static final String EXAM = "exm-ingest";
    /** The held uploads' readers and the requests sent beside them: blocking, so not on the common pool. */
    static final java.util.concurrent.ExecutorService THREADS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    static DeansFixture f;
    static int port;

    @BeforeAll
    static void start() {
        f = DeansFixture.start(Map.of(
                "QATYSU_HTTP_MAX_CONCURRENT_UPLOADS", "2",
                "QATYSU_HTTP_MAX_CONCURRENT_UPLOADS_PER_SESSION", "1",
                "QATYSU_HTTP_UPLOAD_SLOT_WAIT", "1s",
                "QATYSU_HTTP_MIN_REQUEST_DATA_RATE", "0")); // the held uploads send half a body and pause
        port = URI.create(f.tool.baseUrl()).getPort();
        f.absent("P-1001", "S-1");
        Instant now = Instant.now();
        Exam e = new Exam(EXAM, DeansFixture.SECTION, "Ingest", Exam.ExamKind.MIDTERM, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(3)), true, Exam.Checks.NONE, 10, true, 2, 1, "T-7", now, "T-7", now);
        f.tool.database().jdbi().useHandle(h -> f.tool.app().proctoredExams().insert(h, e));
    }

    @AfterAll
    static void stop() {
        f.close();
        THREADS.shutdownNow();
    }

    static final java.util.concurrent.atomic.AtomicInteger SUB = new java.util.concurrent.atomic.AtomicInteger(100);

    /**
     * A new course session of P-1001 in the exam (a launch of its own: another platform user id, the same person), with
     * its CSRF token; the monitoring running.
     */
    static ExamineeClient session() {
        ExamineeClient c = ExamineeClient.launch(f, "P-1001", String.valueOf(SUB.incrementAndGet()), EXAM, false);
        c.examPage();
        if (f.tool.app().proctoringAttempts().repository().of(EXAM, "P-1001").isEmpty()) {
            assertThat(c.form("/consent", Map.of("_csrf", c.csrf)).statusCode()).isEqualTo(303);
            ok(c.json("POST", "/attempt/start", "{\"recordingId\":\"" + UUID.randomUUID() + "\"}"));
        }
        return c;
    }

    /** A snapshot upload with half its body sent: it holds its slots until {@link Held#finish()}. */
    record Held(Socket socket, byte[] rest, CompletableFuture<String> answer) {
        String finish() throws Exception {
            OutputStream out = socket.getOutputStream();
            out.write(rest);
            out.flush();
            return answer.get(20, TimeUnit.SECONDS);
        }
    }

    static Held hold(ExamineeClient c, String snapshotId) throws Exception {
        byte[] image = Photos.bytes(Photos.ASTRONAUT);
        Socket s = new Socket("127.0.0.1", port);
        OutputStream out = s.getOutputStream();
        out.write(("POST " + c.exam() + "/attempt/snapshots?source=CAMERA&id=" + snapshotId + " HTTP/1.1\r\nHost: localhost:" + port
                + "\r\nCookie: " + c.cookieHeader() + "\r\nX-CSRF-Token: " + c.csrf + "\r\nContent-Type: image/jpeg\r\nContent-Length: "
                + image.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(image, 0, image.length / 2);
        out.flush();
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = s.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "closed: " + e;
            }
        }, THREADS);
        byte[] rest = java.util.Arrays.copyOfRange(image, image.length / 2, image.length);
        Held h = new Held(s, rest, answer);
        // the server holds the upload's slots once it waits for the rest of the body
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int before = f.tool.app().uploadSlots().inUse();
        while (f.tool.app().uploadSlots().inUse() <= before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return h;
    }

    static HttpResponse<String> snapshot(ExamineeClient c, String id) {
        return c.bytes("POST", "/attempt/snapshots?source=CAMERA&id=" + id + "&takenAt=" + Instant.now(),
                Photos.bytes(Photos.ASTRONAUT), "image/jpeg", Map.of());
    }

    static long stored(String clientId) {
        return f.tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM proctoring_snapshot WHERE client_id = :id").bind("id", clientId).mapTo(Long.class).one());
    }

    @Test
    void a_resend_of_a_snapshot_still_being_received_waits_for_it_is_not_refused_and_is_stored_once() throws Exception {
        ExamineeClient c = session();
        String id = UUID.randomUUID().toString();
        Held first = hold(c, id);
        // the browser lost the first send's answer and sends the same snapshot again (same id, same session)
        CompletableFuture<HttpResponse<String>> resend = CompletableFuture.supplyAsync(() -> snapshot(c, id), THREADS);
        Thread.sleep(400);
        assertThat(resend).as("the resend waits for the first send to end").isNotDone();

        String firstAnswer = first.finish();
        assertThat(firstAnswer).startsWith("HTTP/1.1 200").contains("\"duplicate\":false");
        HttpResponse<String> again = resend.get(20, TimeUnit.SECONDS);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(ok(again).path("duplicate").asBoolean()).isTrue();
        assertThat(stored(id)).isEqualTo(1);
    }

    @Test
    void a_refused_upload_names_its_cap_in_a_header_the_json_body_and_the_metrics_with_a_short_retry_after() throws Exception {
        ExamineeClient a = session();
        ExamineeClient b = session();
        ExamineeClient other = session();
        assertThat(java.util.Set.of(a.base, b.base, other.base)).as("three course sessions").hasSize(3);
        Held heldA = hold(a, UUID.randomUUID().toString());
        Held heldB = hold(b, UUID.randomUUID().toString());
        try {
            // the session's one slot is taken: refused at once
            String perSession = UUID.randomUUID().toString();
            HttpResponse<String> sameSession = snapshot(a, perSession);
            assertThat(sameSession.statusCode()).isEqualTo(429);
            assertThat(sameSession.headers().firstValue("Qatysu-Refused")).hasValue("per-session");
            assertThat(sameSession.headers().firstValue("Retry-After")).hasValue("1");
            JsonNode body = ExamineeClient.JSON.readTree(sameSession.body());
            assertThat(body.path("refused").asText()).isEqualTo("per-session");
            assertThat(body.path("retryAfterSeconds").asInt()).isEqualTo(1);

            // the tool's two slots are taken: refused after waiting about the configured second
            String toolWide = UUID.randomUUID().toString();
            long t0 = System.nanoTime();
            HttpResponse<String> full = snapshot(other, toolWide);
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(full.statusCode()).isEqualTo(429);
            assertThat(full.headers().firstValue("Qatysu-Refused")).hasValue("upload-slots");
            assertThat(ExamineeClient.JSON.readTree(full.body()).path("refused").asText()).isEqualTo("upload-slots");
            assertThat(waitedMs).as("waited for a slot before refusing").isGreaterThanOrEqualTo(900);
            assertThat(stored(perSession) + stored(toolWide)).as("nothing of a refused upload is stored").isZero();

            String metrics = f.api("GET", "/metrics", null, RunningTool.ADMIN_TOKEN).body();
            assertThat(metrics).containsPattern("qatysu_upload_refusals_total\\{reason=\"per-session\"} [1-9]")
                    .containsPattern("qatysu_upload_refusals_total\\{reason=\"upload-slots\"} [1-9]")
                    .contains("qatysu_upload_refusals_total{reason=\"same-upload\"} 0");

            // an upload waiting for a slot takes one that frees within the wait
            String waits = UUID.randomUUID().toString();
            CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> snapshot(other, waits), THREADS);
            Thread.sleep(300);
            assertThat(heldB.finish()).startsWith("HTTP/1.1 200");
            assertThat(waiting.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(stored(waits)).isEqualTo(1);
        } finally {
            heldA.finish();
            heldB.socket().close();
        }
    }

    @Test
    void heartbeats_and_events_pass_at_once_while_every_upload_slot_is_taken() throws Exception {
        ExamineeClient a = session();
        ExamineeClient b = session();
        ExamineeClient c = session();
        ok(c.json("POST", "/attempt/heartbeat", "{}"));
        Held heldA = hold(a, UUID.randomUUID().toString());
        Held heldB = hold(b, UUID.randomUUID().toString());
        try {
            assertThat(f.tool.app().uploadSlots().inUse()).isEqualTo(2);
            for (int i = 0; i < 5; i++) {
                // the held uploads never end while this runs: anything waiting for an upload slot would hang or be refused
                long t0 = System.nanoTime();
                assertThat(ok(c.json("POST", "/attempt/heartbeat", "{}")).path("state").asText()).isEqualTo("IN_PROGRESS");
                String event = "[{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"FOCUS_LOST\",\"at\":\"" + Instant.now() + "\",\"detail\":\"\"}]";
                assertThat(ok(c.json("POST", "/attempt/events", event)).path("added").asInt()).isEqualTo(1);
                assertThat((System.nanoTime() - t0) / 1_000_000).as("ms for a heartbeat and an event batch").isLessThan(5000);
            }
            assertThat(f.tool.app().uploadSlots().inUse()).as("the uploads still hold both slots").isEqualTo(2);
        } finally {
            heldA.finish();
            heldB.finish();
        }
    }
}
