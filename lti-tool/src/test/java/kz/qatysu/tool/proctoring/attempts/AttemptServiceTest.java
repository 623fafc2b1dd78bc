package kz.qatysu.tool.proctoring.attempts;

import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.proctoring.ProctoringFixture;
import kz.qatysu.tool.proctoring.analysis.Photos;
import kz.qatysu.tool.proctoring.exams.Exam;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static kz.qatysu.tool.proctoring.analysis.Photos.ASTRONAUT;
import static kz.qatysu.tool.proctoring.analysis.Photos.GRACE_HOPPER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The examinee's attempt through the real services: PostgreSQL, the encrypted media store, the face analysis on real photographs. */
class AttemptServiceTest {
    @TempDir
    Path dir;
    ProctoringFixture f;
    Exam exam;

    @BeforeEach
    void setUp() {
        f = new ProctoringFixture(dir);
        exam = f.exam("ex-final", "S-1", Exam.Checks.ALL);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private Attempt consented(String person) {
        Attempt a = f.attempts.open(exam, person);
        return f.attempts.consent(a.id());
    }

    private List<EventType> types(String attemptId) {
        return f.attemptRepository.events(attemptId).stream().map(AttemptEvent::type).toList();
    }

    /** Through identity (verified) and room scan to a running monitoring with recording {@code rec-<person>}. */
    private Attempt monitored(String person) {
        Attempt a = consented(person);
        f.attempts.identity(exam, a.id(), Photos.bytes(ASTRONAUT), Photos.scaled(ASTRONAUT, 0.6));
        f.attempts.roomScan(a.id(), new ByteArrayInputStream(Photos.bytes(Photos.COFFEE)));
        return f.attempts.start(exam, a.id(), "rec-" + person.toLowerCase() + "-0001");
    }

    @Test
    void one_attempt_per_exam_and_person_goes_consent_to_checks_and_logs_it() {
        Attempt a = f.attempts.open(exam, "P-1");
        assertThat(f.attempts.open(exam, "P-1").id()).isEqualTo(a.id());
        assertThat(a.state()).isEqualTo(AttemptState.CONSENT_PENDING);
        Attempt checking = f.attempts.consent(a.id());
        assertThat(checking.state()).isEqualTo(AttemptState.CHECKING);
        assertThat(checking.consentAt()).contains(f.clock.instant());
        assertThat(types(a.id())).containsExactly(EventType.CONSENT_GIVEN);
    }

    @Test
    void a_refusal_is_logged_and_the_student_may_still_change_their_mind() {
        Attempt a = f.attempts.open(exam, "P-1");
        assertThat(f.attempts.refuse(a.id(), "no camera at home").state()).isEqualTo(AttemptState.REFUSED);
        assertThat(f.attemptRepository.events(a.id())).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("no camera at home"))
                .satisfies(e -> assertThat(e.type()).isEqualTo(EventType.CONSENT_REFUSED));
        assertThat(f.attempts.consent(a.id()).state()).isEqualTo(AttemptState.CHECKING);
    }

    @Test
    void an_exam_that_is_not_open_or_not_proctored_gets_no_new_attempt() {
        f.clock.advance(Duration.ofHours(4));
        assertThatThrownBy(() -> f.attempts.open(exam, "P-9")).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(409));
    }

    @Test
    void the_same_person_on_the_live_photo_and_the_id_document_is_verified() {
        Attempt a = consented("P-1");
        AttemptService.IdentityOutcome out = f.attempts.identity(exam, a.id(), Photos.bytes(ASTRONAUT),
                Photos.scaled(ASTRONAUT, 0.5));
        assertThat(out.identity()).isEqualTo(Attempt.Identity.VERIFIED);
        assertThat(out.match()).get().satisfies(m -> assertThat(m.same()).isTrue());
        Attempt stored = f.attemptRepository.find(a.id()).orElseThrow();
        assertThat(stored.livePhotoKey()).isPresent();
        assertThat(stored.idPhotoKey()).isPresent();
        assertThat(types(a.id())).containsExactly(EventType.CONSENT_GIVEN, EventType.ID_VERIFIED);
    }

    @Test
    void a_mismatch_is_a_flag_with_retries_then_the_student_goes_on_unverified() {
        Attempt a = consented("P-1");
        AttemptService.IdentityOutcome first = f.attempts.identity(exam, a.id(), Photos.bytes(ASTRONAUT), Photos.bytes(GRACE_HOPPER));
        assertThat(first.identity()).isEqualTo(Attempt.Identity.PENDING);
        assertThat(first.triesLeft()).isEqualTo(1);
        assertThat(first.detail()).contains("try 1 of 2");
        AttemptService.IdentityOutcome second = f.attempts.identity(exam, a.id(), Photos.bytes(ASTRONAUT), Photos.bytes(GRACE_HOPPER));
        assertThat(second.identity()).isEqualTo(Attempt.Identity.NOT_VERIFIED);
        assertThat(types(a.id())).containsExactly(EventType.CONSENT_GIVEN, EventType.ID_NOT_VERIFIED, EventType.ID_NOT_VERIFIED);
        assertThatThrownBy(() -> f.attempts.identity(exam, a.id(), Photos.bytes(ASTRONAUT), Photos.bytes(ASTRONAUT)))
                .isInstanceOf(ApiException.class).hasMessageContaining("identity check is over");
        // unverified is not blocked: the room scan and the monitoring go on, flagged for the proctor
        f.attempts.roomScan(a.id(), new ByteArrayInputStream(Photos.bytes(Photos.COFFEE)));
        assertThat(f.attempts.start(exam, a.id(), "rec-p1-00000001").state()).isEqualTo(AttemptState.IN_PROGRESS);
        assertThat(f.attempts.trust(a.id()).flags()).containsEntry("ID_NOT_VERIFIED", 2);
    }

    @Test
    void photos_without_a_usable_face_are_refused_by_name_and_do_not_count_as_a_try() {
        Attempt a = consented("P-1");
        assertThatThrownBy(() -> f.attempts.identity(exam, a.id(), Photos.bytes(Photos.COFFEE), Photos.bytes(ASTRONAUT)))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).details()).extracting(ApiException.Detail::path).containsExactly("livePhoto"));
        assertThatThrownBy(() -> f.attempts.identity(exam, a.id(), Photos.sideBySide(ASTRONAUT, GRACE_HOPPER), Photos.bytes(ASTRONAUT)))
                .isInstanceOf(ApiException.class).hasMessageContaining("2 faces found");
        assertThatThrownBy(() -> f.attempts.identity(exam, a.id(), Photos.bytes(ASTRONAUT), Photos.bytes(Photos.CAT)))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).details()).extracting(ApiException.Detail::path).containsExactly("idPhoto"));
        assertThatThrownBy(() -> f.attempts.identity(exam, a.id(), "not an image".getBytes(), Photos.bytes(ASTRONAUT)))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
        assertThat(f.attemptRepository.find(a.id()).orElseThrow().identityTries()).isZero();
        assertThat(types(a.id())).containsExactly(EventType.CONSENT_GIVEN);
    }

    @Test
    void a_later_exam_compares_the_live_face_with_the_earlier_verified_one_too() {
        monitored("P-1");
        Exam midterm = f.exam("ex-mid", "S-1", Exam.Checks.ALL);
        Attempt b = f.attempts.consent(f.attempts.open(midterm, "P-1").id());
        // a stranger with an ID photo of the same stranger: matches the document but not the face verified before
        AttemptService.IdentityOutcome out = f.attempts.identity(midterm, b.id(), Photos.bytes(GRACE_HOPPER),
                Photos.scaled(GRACE_HOPPER, 0.7));
        assertThat(out.identity()).isEqualTo(Attempt.Identity.PENDING);
        assertThat(out.detail()).contains("earlier verified face");
    }

    @Test
    void the_monitoring_cannot_start_before_the_required_checks() {
        Attempt a = consented("P-1");
        assertThatThrownBy(() -> f.attempts.start(exam, a.id(), "rec-p1-00000001")).hasMessageContaining("identity");
        f.attempts.identity(exam, a.id(), Photos.bytes(ASTRONAUT), Photos.scaled(ASTRONAUT, 0.6));
        assertThatThrownBy(() -> f.attempts.start(exam, a.id(), "rec-p1-00000001")).hasMessageContaining("roomScan");
        f.attempts.roomScan(a.id(), new ByteArrayInputStream(Photos.bytes(Photos.COFFEE)));
        Attempt started = f.attempts.start(exam, a.id(), "rec-p1-00000001");
        assertThat(started.state()).isEqualTo(AttemptState.IN_PROGRESS);
        assertThat(started.recordingId()).contains("rec-p1-00000001");
        assertThat(f.recordings.status("rec-p1-00000001").personId()).isEqualTo("P-1");
    }

    @Test
    void a_snapshot_with_two_faces_raises_multiple_faces_with_the_snapshot_as_evidence() {
        Attempt a = monitored("P-1");
        AttemptService.SnapshotReceipt r = f.attempts.snapshot(a.id(), "snap-00000001", f.clock.instant(), SnapshotSource.CAMERA,
                Photos.sideBySide(ASTRONAUT, GRACE_HOPPER));
        assertThat(r.duplicate()).isFalse();
        waitUntil(() -> f.attempts.pendingAnalysis() == 0);
        List<AttemptEvent> faceEvents = f.attemptRepository.events(a.id()).stream()
                .filter(e -> e.type().source() == EventType.Source.FACE_ANALYSIS).toList();
        assertThat(faceEvents).extracting(AttemptEvent::type).contains(EventType.MULTIPLE_FACES);
        assertThat(faceEvents).allSatisfy(e -> assertThat(e.snapshotKey()).contains(r.key()));
        assertThat(f.attemptRepository.snapshots(a.id())).singleElement().satisfies(s -> assertThat(s.faces()).isEqualTo(2));
    }

    @Test
    void the_verified_face_alone_raises_nothing_and_a_stranger_raises_face_mismatch() {
        Attempt a = monitored("P-1");
        f.attempts.snapshot(a.id(), "snap-00000001", f.clock.instant(), SnapshotSource.CAMERA, Photos.scaled(ASTRONAUT, 0.8));
        f.attempts.snapshot(a.id(), "snap-00000002", f.clock.instant(), SnapshotSource.CAMERA, Photos.bytes(GRACE_HOPPER));
        waitUntil(() -> f.attempts.pendingAnalysis() == 0);
        assertThat(f.attemptRepository.events(a.id()).stream().filter(e -> e.type().source() == EventType.Source.FACE_ANALYSIS))
                .extracting(AttemptEvent::type).containsExactly(EventType.FACE_MISMATCH);
    }

    @Test
    void a_resent_snapshot_is_stored_once() {
        Attempt a = monitored("P-1");
        var first = f.attempts.snapshot(a.id(), "snap-00000001", f.clock.instant(), SnapshotSource.SCREEN, Photos.bytes(Photos.COFFEE));
        var again = f.attempts.snapshot(a.id(), "snap-00000001", f.clock.instant(), SnapshotSource.SCREEN, Photos.bytes(Photos.COFFEE));
        assertThat(again.duplicate()).isTrue();
        assertThat(again.key()).isEqualTo(first.key());
        assertThat(f.attemptRepository.snapshots(a.id())).hasSize(1);
    }

    @Test
    void snapshots_that_find_the_analysis_pool_full_wait_for_the_drain_and_none_is_lost() {
        f.close();
        f = new ProctoringFixture(dir.resolve("small"), 1, 1);
        exam = f.exam("ex-final", "S-1", Exam.Checks.NONE);
        Attempt a = f.attempts.start(exam, f.attempts.consent(f.attempts.open(exam, "P-1").id()).id(), "rec-p1-00000001");
        for (int i = 0; i < 8; i++) {
            f.attempts.snapshot(a.id(), "snap-0000000" + i, f.clock.instant(), SnapshotSource.CAMERA, Photos.bytes(ASTRONAUT));
        }
        waitUntil(() -> {
            f.attempts.drainAnalysis();
            return f.attempts.pendingAnalysis() == 0;
        });
        assertThat(f.attemptRepository.snapshots(a.id())).hasSize(8).allSatisfy(s -> assertThat(s.faces()).isEqualTo(1));
    }

    @Test
    void browser_events_are_deduplicated_and_server_findings_cannot_be_forged() {
        Attempt a = monitored("P-1");
        Instant at = f.clock.instant();
        List<AttemptService.BrowserEvent> batch = List.of(
                new AttemptService.BrowserEvent("ev-00000001", "TAB_HIDDEN", at, "tab hidden for 4 s"),
                new AttemptService.BrowserEvent("ev-00000002", "COPY_PASTE", at, "paste"));
        assertThat(f.attempts.browserEvents(a.id(), batch)).isEqualTo(2);
        assertThat(f.attempts.browserEvents(a.id(), batch)).isZero();
        assertThatThrownBy(() -> f.attempts.browserEvents(a.id(), List.of(
                new AttemptService.BrowserEvent("ev-00000003", "ID_VERIFIED", at, ""),
                new AttemptService.BrowserEvent("x", "NOISE", null, ""))))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).details()).extracting(ApiException.Detail::path)
                        .containsExactly("[0].type", "[1].id", "[1].at"));
        assertThat(types(a.id())).filteredOn(t -> t.source() == EventType.Source.BROWSER)
                .containsExactly(EventType.TAB_HIDDEN, EventType.COPY_PASTE);
    }

    @Test
    void a_silent_window_is_logged_once_and_abandoned_after_the_exam_closes() {
        Attempt a = monitored("P-1");
        f.clock.advance(Duration.ofSeconds(20));
        assertThat(f.attempts.sweepHeartbeats()).isZero();
        f.clock.advance(Duration.ofSeconds(20));
        assertThat(f.attempts.sweepHeartbeats()).isEqualTo(1);
        f.clock.advance(Duration.ofSeconds(60));
        assertThat(f.attempts.sweepHeartbeats()).isZero();
        f.attempts.heartbeat(a.id());
        assertThat(types(a.id())).filteredOn(t -> t == EventType.HEARTBEAT_GAP).hasSize(1);
        // a gap the heartbeat itself notices (between two sweeps) is logged too
        f.clock.advance(Duration.ofSeconds(45));
        f.attempts.heartbeat(a.id());
        assertThat(types(a.id())).filteredOn(t -> t == EventType.HEARTBEAT_GAP).hasSize(2);
        f.clock.advance(Duration.ofHours(4));
        f.attempts.sweepHeartbeats();
        assertThat(f.attemptRepository.find(a.id()).orElseThrow().state()).isEqualTo(AttemptState.ABANDONED);
    }

    @Test
    void heartbeats_are_kept_in_memory_and_written_together_by_the_flush() {
        Attempt a = monitored("P-1");
        Attempt b = monitored("P-2");
        Instant started = f.attemptRepository.find(a.id()).orElseThrow().lastHeartbeatAt().orElseThrow();
        f.clock.advance(Duration.ofSeconds(5));
        assertThat(f.attempts.heartbeat(a.id()).state()).isEqualTo(AttemptState.IN_PROGRESS);
        f.clock.advance(Duration.ofSeconds(1));
        f.attempts.heartbeat(b.id());
        f.attempts.heartbeat(a.id());
        // nothing written yet: no commit per heartbeat
        assertThat(f.attemptRepository.find(a.id()).orElseThrow().lastHeartbeatAt()).contains(started);
        assertThat(f.attempts.flushHeartbeats()).isEqualTo(2);
        assertThat(f.attemptRepository.find(a.id()).orElseThrow().lastHeartbeatAt()).contains(f.clock.instant());
        assertThat(f.attemptRepository.find(b.id()).orElseThrow().lastHeartbeatAt()).contains(f.clock.instant());
        assertThat(f.attempts.flushHeartbeats()).isZero();
        assertThat(types(a.id())).doesNotContain(EventType.HEARTBEAT_GAP);
    }

    @Test
    void a_gap_is_judged_with_the_flush_interval_as_slack() {
        Duration gap = ProctoringFixture.HEARTBEAT_GAP;
        Duration flush = ProctoringFixture.HEARTBEAT_FLUSH;
        Instant t = Instant.parse("2026-06-01T04:00:00Z");
        assertThat(AttemptService.silentTooLong(t, t.plus(gap), gap, flush)).isFalse();
        assertThat(AttemptService.silentTooLong(t, t.plus(gap).plus(flush), gap, flush)).isFalse();
        assertThat(AttemptService.silentTooLong(t, t.plus(gap).plus(flush).plusMillis(1), gap, flush)).isTrue();

        Attempt a = monitored("P-1");
        // silent for the gap and a bit, less than the slack: neither the sweeper nor the heartbeat logs a gap
        f.clock.advance(gap.plusSeconds(1));
        assertThat(f.attempts.sweepHeartbeats()).isZero();
        f.attempts.heartbeat(a.id());
        assertThat(types(a.id())).doesNotContain(EventType.HEARTBEAT_GAP);
        // beyond gap + flush: the heartbeat logs it itself and writes its time at once
        f.clock.advance(gap.plus(flush).plusSeconds(1));
        f.attempts.heartbeat(a.id());
        assertThat(types(a.id())).filteredOn(e -> e == EventType.HEARTBEAT_GAP).hasSize(1);
        assertThat(f.attemptRepository.find(a.id()).orElseThrow().lastHeartbeatAt()).contains(f.clock.instant());
    }

    @Test
    void another_node_judges_a_window_by_the_flushed_times_and_does_not_call_it_silent() {
        // a second node on the same database: its own buffer, the same stored times
        AttemptService otherNode = new AttemptService(f.db.jdbi(), f.attemptRepository, f.media, f.recordings, f.analysis,
                f.clock, ProctoringFixture.HEARTBEAT_GAP, ProctoringFixture.HEARTBEAT_FLUSH);
        Attempt a = monitored("P-1");
        for (int i = 0; i < 12; i++) {
            // the window beats every 5 s on this node, which flushes every 2 s as the tool does
            f.clock.advance(Duration.ofSeconds(5));
            f.attempts.heartbeat(a.id());
            f.attempts.flushHeartbeats();
            assertThat(otherNode.sweepHeartbeats()).isZero();
        }
        // one heartbeat on the other node after 60 s of beating elsewhere: no gap either
        f.clock.advance(Duration.ofSeconds(5));
        otherNode.heartbeat(a.id());
        assertThat(types(a.id())).doesNotContain(EventType.HEARTBEAT_GAP);
        // the window goes quiet: the other node's sweep reports it once the stored time is older than gap + flush
        f.clock.advance(Duration.ofSeconds(31));
        otherNode.flushHeartbeats();
        assertThat(f.attempts.sweepHeartbeats()).isZero();
        f.clock.advance(Duration.ofSeconds(2));
        assertThat(f.attempts.sweepHeartbeats()).isEqualTo(1);
        assertThat(types(a.id())).filteredOn(e -> e == EventType.HEARTBEAT_GAP).hasSize(1);
    }

    @Test
    void the_attempt_ends_only_when_the_recording_is_complete_on_the_server() throws Exception {
        Attempt a = monitored("P-1");
        String rec = a.recordingId().orElseThrow();
        byte[] chunk = webm();
        f.recordings.accept(rec, 0, sha256(chunk), new ByteArrayInputStream(chunk));
        assertThatThrownBy(() -> f.attempts.end(a.id())).hasMessageContaining("not complete");
        f.recordings.finish(rec, 0);
        Attempt ended = f.attempts.end(a.id());
        assertThat(ended.state()).isEqualTo(AttemptState.ENDED);
        assertThat(f.attempts.end(a.id()).state()).isEqualTo(AttemptState.ENDED);
        assertThatThrownBy(() -> f.attempts.heartbeat(a.id())).hasMessageContaining("ENDED");
    }

    @Test
    void a_verdict_needs_a_reason_unless_clean_and_every_decision_is_kept() {
        Attempt a = monitored("P-1");
        assertThatThrownBy(() -> f.attempts.decide(a.id(), Verdict.Outcome.VIOLATION, " ", "proctor:P-77"))
                .isInstanceOf(ApiException.class).hasMessageContaining("verdict refused");
        f.attempts.decide(a.id(), Verdict.Outcome.SUSPICIOUS, "second person at 10:42", "proctor:P-77");
        f.clock.advance(Duration.ofMinutes(5));
        Verdict last = f.attempts.decide(a.id(), Verdict.Outcome.CLEAN, "", "proctor:P-78");
        assertThat(f.attemptRepository.verdict(a.id())).contains(last);
        assertThat(f.attemptRepository.verdictHistory(a.id())).extracting(Verdict::decidedBy)
                .containsExactly("proctor:P-77", "proctor:P-78");
    }

    private static void waitUntil(java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 60 s").isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static byte[] webm() {
        byte[] b = new byte[512];
        new java.util.Random(1).nextBytes(b);
        b[0] = 0x1A;
        b[1] = 0x45;
        b[2] = (byte) 0xDF;
        b[3] = (byte) 0xA3;
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }
}
