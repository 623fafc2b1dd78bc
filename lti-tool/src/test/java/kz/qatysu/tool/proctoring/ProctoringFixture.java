package kz.qatysu.tool.proctoring;

import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import kz.qatysu.tool.proctoring.analysis.AnalysisSettings;
import kz.qatysu.tool.proctoring.analysis.FaceAnalysis;
import kz.qatysu.tool.proctoring.attempts.AttemptRepository;
import kz.qatysu.tool.proctoring.attempts.AttemptService;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.proctoring.exams.ExamRepository;
import kz.qatysu.tool.proctoring.media.FolderMediaStore;
import kz.qatysu.tool.proctoring.media.MediaCipher;
import kz.qatysu.tool.proctoring.media.MediaSettings;
import kz.qatysu.tool.proctoring.media.ProctoringMedia;
import kz.qatysu.tool.proctoring.media.RecordingUploads;
import kz.qatysu.tool.testing.SteppedClock;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The proctoring services on a fresh migrated database, a temporary media folder, the real face analysis (its own
 * small pool) and a clock that moves only when told — for the service tests of exams and attempts.
 */
public final class ProctoringFixture implements AutoCloseable {
    public static final Instant EXAM_OPENS = Instant.parse("2026-06-01T04:00:00Z");
    /** The production heartbeat gap and flush interval (LtiToolApp). */
    public static final Duration HEARTBEAT_GAP = Duration.ofSeconds(30);
    public static final Duration HEARTBEAT_FLUSH = Duration.ofSeconds(2);

    public final Database db = TestPostgres.freshDatabase("tool");
    public final SteppedClock clock = new SteppedClock(EXAM_OPENS.plusSeconds(60));
    public final ProctoringMedia media;
    public final RecordingUploads recordings;
    public final FaceAnalysis analysis;
    public final ExamRepository exams;
    public final AttemptRepository attemptRepository;
    public final AttemptService attempts;

    public ProctoringFixture(Path dir) {
        this(dir, 2, 16);
    }

    public ProctoringFixture(Path dir, int workers, int queue) {
        MediaSettings settings = new MediaSettings(dir.resolve("media"), Optional.empty(), 2 * 1024 * 1024, 4 * 1024 * 1024,
                Duration.ofDays(365), dir);
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        media = new ProctoringMedia(db.jdbi(), new FolderMediaStore(settings.dir()), new MediaCipher(List.of(key), "a test key"),
                settings, clock);
        recordings = new RecordingUploads(media);
        AnalysisSettings d = AnalysisSettings.defaults();
        analysis = new FaceAnalysis(new AnalysisSettings(d.detector(), d.embedder(), d.scoreThreshold(), d.nmsThreshold(),
                d.topK(), d.maxSide(), d.matchThreshold(), workers, queue, d.lookingAwayYaw()));
        exams = new ExamRepository(db.jdbi());
        attemptRepository = new AttemptRepository(db.jdbi());
        attempts = new AttemptService(db.jdbi(), attemptRepository, media, recordings, analysis, clock,
                HEARTBEAT_GAP, HEARTBEAT_FLUSH);
    }

    /** A proctored final of section {@code sectionId}, open for three hours from {@link #EXAM_OPENS}, with the given checks. */
    public Exam exam(String id, String sectionId, Exam.Checks checks) {
        Exam e = new Exam(id, sectionId, "Final exam", Exam.ExamKind.FINAL, EXAM_OPENS, EXAM_OPENS.plusSeconds(3 * 3600), true,
                checks, 10, true, 2, 1, "teacher", EXAM_OPENS, "teacher", EXAM_OPENS);
        db.jdbi().useHandle(h -> exams.insert(h, e));
        return e;
    }

    @Override
    public void close() {
        analysis.close();
        db.close();
    }
}
