package kz.qatysu.tool.proctoring.review;

import kz.qatysu.tool.LtiToolApp;
import kz.qatysu.tool.proctoring.analysis.Photos;
import kz.qatysu.tool.proctoring.attempts.Attempt;
import kz.qatysu.tool.proctoring.attempts.AttemptService;
import kz.qatysu.tool.proctoring.attempts.SnapshotSource;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.proctoring.media.ProctoringMedia;
import kz.qatysu.tool.proctoring.media.RecordingUploads;
import org.jdbi.v3.core.Jdbi;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Examinees' attempts made through the running tool's own services (as the examinee's pages would): consent, identity
 * on real photographs, a room scan, monitoring with a two-face snapshot analysed by the real face analysis, and a
 * recording of two WebM chunks in the tool's encrypted media store.
 */
public final class ProctoredAttempts {
    private final LtiToolApp app;
    private final Jdbi jdbi;
    private final RecordingUploads recordings;

    public ProctoredAttempts(LtiToolApp app, Jdbi jdbi) {
        this.app = app;
        this.jdbi = jdbi;
        // the same store, key and database as the tool's own (its media object is not exposed)
        this.recordings = new RecordingUploads(ProctoringMedia.of(jdbi, app.settings().proctoringMedia(),
                Clock.systemUTC()));
    }

    public AttemptService attempts() {
        return app.proctoringAttempts();
    }

    /** A proctored final of {@code sectionId} open now, with every check, stored directly. */
    public Exam exam(String id, String sectionId) {
        Instant now = Instant.now();
        Exam e = new Exam(id, sectionId, "Final " + id, Exam.ExamKind.FINAL, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(3)), true, Exam.Checks.ALL, 10, true, 2, 1, "T-7", now, "T-7", now);
        jdbi.useHandle(h -> app.proctoredExams().insert(h, e));
        return e;
    }

    /** An attempt of {@code personId} in monitoring with a two-face snapshot analysed and a recording of two chunks. */
    public Attempt monitored(Exam exam, String personId) {
        AttemptService s = attempts();
        Attempt a = s.consent(s.open(exam, personId).id());
        s.identity(exam, a.id(), Photos.bytes(Photos.ASTRONAUT), Photos.scaled(Photos.ASTRONAUT, 0.6));
        s.roomScan(a.id(), new ByteArrayInputStream(Photos.bytes(Photos.COFFEE)));
        String recording = "rec-" + personId.toLowerCase() + "-" + exam.id().toLowerCase();
        a = s.start(exam, a.id(), recording);
        s.snapshot(a.id(), "snap-" + personId + "-0001", Instant.now(), SnapshotSource.CAMERA,
                Photos.sideBySide(Photos.ASTRONAUT, Photos.GRACE_HOPPER));
        waitUntil(() -> { s.drainAnalysis(); return s.pendingAnalysis() == 0; });
        byte[] first = webm(70_000, 1);
        byte[] second = new byte[50_000];
        new Random(2).nextBytes(second);
        recordings.accept(recording, 0, sha256(first), new ByteArrayInputStream(first));
        recordings.accept(recording, 1, sha256(second), new ByteArrayInputStream(second));
        return s.repository().find(a.id()).orElseThrow();
    }

    /** An attempt that only got as far as consent. */
    public Attempt consented(Exam exam, String personId) {
        AttemptService s = attempts();
        return s.consent(s.open(exam, personId).id());
    }

    /** The recording's bytes as stored: chunk 0 then chunk 1. */
    public static byte[] recordingBytes() {
        byte[] first = webm(70_000, 1);
        byte[] second = new byte[50_000];
        new Random(2).nextBytes(second);
        byte[] all = new byte[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    static byte[] webm(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        b[0] = 0x1A;
        b[1] = 0x45;
        b[2] = (byte) 0xDF;
        b[3] = (byte) 0xA3;
        return b;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void waitUntil(BooleanSupplier done) {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not done within 60 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
