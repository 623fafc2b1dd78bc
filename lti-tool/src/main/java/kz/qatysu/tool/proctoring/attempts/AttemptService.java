package kz.qatysu.tool.proctoring.attempts;

import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.proctoring.analysis.Descriptor;
import kz.qatysu.tool.proctoring.analysis.Face;
import kz.qatysu.tool.proctoring.analysis.FaceAnalysis;
import kz.qatysu.tool.proctoring.analysis.Faces;
import kz.qatysu.tool.proctoring.analysis.Match;
import kz.qatysu.tool.proctoring.analysis.SnapshotFindings;
import kz.qatysu.tool.proctoring.analysis.UnreadableImage;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.proctoring.media.MediaKind;
import kz.qatysu.tool.proctoring.media.ProctoringMedia;
import kz.qatysu.tool.proctoring.media.RecordingUploads;
import kz.qatysu.tool.util.Tokens;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * An examinee's attempt from consent to the end, and what the server makes of it: the state changes (each one an
 * event in the attempt's log), the identity check, the room scan, monitoring snapshots analysed for faces on the
 * bounded pool (a full pool leaves the snapshot for {@link #drainAnalysis}, so nothing is lost), browser events
 * (deduplicated by the browser's event id), heartbeats and the gaps between them, and the proctor's verdict.
 * Callers (the examinee's and the proctor's HTTP handlers) have already checked who may do what; refusals are
 * {@link ApiException}s naming the field.
 */
public final class AttemptService {
    private static final Logger log = LoggerFactory.getLogger(AttemptService.class);
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    /** How long the identity check waits for the analysis pool before answering "busy, try again". */
    private static final Duration IDENTITY_WAIT = Duration.ofSeconds(30);
    /** How long a leased snapshot stays with one worker before another may analyse it. */
    private static final Duration LEASE = Duration.ofMinutes(2);

    private final Jdbi jdbi;
    private final AttemptRepository attempts;
    private final ProctoringMedia media;
    private final RecordingUploads recordings;
    private final FaceAnalysis analysis;
    private final Clock clock;
    private final Duration heartbeatGap;
    private final Duration heartbeatFlush;
    private final HeartbeatBuffer lastSeen;

    /**
     * @param heartbeatGap   how long the monitoring window may be silent before {@code HEARTBEAT_GAP} is logged (its
     *                       heartbeat comes every few seconds; a closed window or a lost connection stops it)
     * @param heartbeatFlush how often the caller runs {@link #flushHeartbeats()}: heartbeats are kept in memory and
     *                       written together, so the stored last-seen times are behind by up to this much and a gap
     *                       is judged with it as slack (logged after {@code heartbeatGap + heartbeatFlush})
     */
    public AttemptService(Jdbi jdbi, AttemptRepository attempts, ProctoringMedia media,
                          RecordingUploads recordings, FaceAnalysis analysis, Clock clock, Duration heartbeatGap,
                          Duration heartbeatFlush) {
        this.jdbi = jdbi;
        this.attempts = attempts;
        this.media = media;
        this.recordings = recordings;
        this.analysis = analysis;
        this.clock = clock;
        this.heartbeatGap = heartbeatGap;
        this.heartbeatFlush = heartbeatFlush;
        this.lastSeen = new HeartbeatBuffer(jdbi);
    }

    public AttemptRepository repository() {
        return attempts;
    }

    // ---- the examinee's path ----------------------------------------------------------------------------------

    /**
     * The attempt of {@code personId} at {@code exam}, created in CONSENT_PENDING the first time. The caller has
     * already run the exam gate (a student who is not admitted never gets here). 409 when the exam is not proctored or
     * its window is not open.
     */
    public Attempt open(Exam exam, String personId) {
        if (!exam.proctored()) {
            throw new ApiException(409, "exam " + exam.id() + " is not proctored");
        }
        Optional<Attempt> existing = attempts.of(exam.id(), personId);
        Instant now = clock.instant();
        if (existing.isEmpty() && !exam.openAt(now)) {
            throw new ApiException(409, "exam " + exam.id() + " is open from " + exam.opensAt() + " to " + exam.closesAt());
        }
        return existing.orElseGet(() -> jdbi.inTransaction(h -> attempts.createOrGet(h, "att-" + Tokens.random(12),
                exam.id(), personId, now)));
    }

    /**
     * Attempt number {@code number} of {@code personId} at {@code exam} (an LMS's own attempt count, e.g. Open edX's
     * {@code attempt_number}), created in CONSENT_PENDING the first time, like {@link #open}.
     */
    public Attempt open(Exam exam, String personId, int number) {
        if (!exam.proctored()) {
            throw new ApiException(409, "exam " + exam.id() + " is not proctored");
        }
        if (number < 1) {
            throw field(400, "attemptNumber", "a positive whole number expected, was " + number);
        }
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            Optional<Attempt> existing = h.createQuery("""
                            SELECT * FROM proctoring_attempt WHERE exam_id = :e AND person_id = :p AND attempt_number = :n""")
                    .bind("e", exam.id()).bind("p", personId).bind("n", number).map(AttemptRepository::map).findOne();
            if (existing.isEmpty() && !exam.openAt(now)) {
                throw new ApiException(409, "exam " + exam.id() + " is open from " + exam.opensAt() + " to " + exam.closesAt());
            }
            return existing.orElseGet(() -> attempts.createOrGet(h, "att-" + Tokens.random(12), exam.id(), personId, number, now));
        });
    }

    /** Consent given: the checks may begin. */
    public Attempt consent(String attemptId) {
        return transition(attemptId, AttemptState.CHECKING, "consent_at", EventType.CONSENT_GIVEN, "");
    }

    /** Consent refused: logged; the page then shows the way to sit the exam on campus or to the dean's office. */
    public Attempt refuse(String attemptId, String reason) {
        return transition(attemptId, AttemptState.REFUSED, "refused_at", EventType.CONSENT_REFUSED,
                reason == null ? "" : reason.strip());
    }

    /** The browser's system check passed (camera, microphone, whole-screen share, browser support): logged with what it saw. */
    public void systemChecked(String attemptId, String detail) {
        jdbi.useTransaction(h -> {
            Attempt a = require(attempts.lock(h, attemptId), attemptId);
            requireState(a, AttemptState.CHECKING);
            attempts.addEvent(h, attemptId, clock.instant(), clock.instant(), EventType.SYSTEM_CHECKED, detail, null, null);
        });
    }

    /** What the identity check decided. */
    public record IdentityOutcome(Attempt.Identity identity, Optional<Match> match, int triesLeft, String detail) {
    }

    /**
     * The identity check: a live photo (exactly one face) and, when the exam asks for it, a photograph of the ID
     * document (a face on it). With the face match required the live face is compared with the document's and with the
     * person's earlier verified face; a mismatch is logged as {@code ID_NOT_VERIFIED} for the proctor and the student
     * may retry until {@code identityTries} are used, after which they go on unverified (flagged, never blocked).
     * Photos without a usable face are refused (422, naming the photo) and do not count as a try.
     */
    public IdentityOutcome identity(Exam exam, String attemptId, byte[] livePhoto, byte[] idPhoto) {
        Attempt a = require(attempts.find(attemptId), attemptId);
        requireState(a, AttemptState.CHECKING);
        Exam.Checks checks = exam.requiredChecks();
        if (livePhoto == null || livePhoto.length == 0) {
            throw field(400, "livePhoto", "a photo from the camera is required");
        }
        if (checks.idPhoto() && (idPhoto == null || idPhoto.length == 0)) {
            throw field(400, "idPhoto", "a photo of the ID document is required for this exam");
        }
        Faces live = analyseNow(livePhoto, "livePhoto");
        if (live.count() == 0) {
            throw field(422, "livePhoto", "no face found: sit facing the camera in good light and take the photo again");
        }
        if (live.count() > 1) {
            throw field(422, "livePhoto", live.count() + " faces found: only the examinee may be in the photo");
        }
        Faces doc = null;
        if (checks.idPhoto()) {
            doc = analyseNow(idPhoto, "idPhoto");
            if (doc.count() == 0) {
                throw field(422, "idPhoto", "no face found on the document: hold its photo page flat, close to the camera");
            }
        }
        Descriptor liveFace = live.largest().orElseThrow().requireDescriptor();
        String liveKey = media.store(a.personId(), MediaKind.ID_PHOTO, new ByteArrayInputStream(livePhoto)).key();
        String docKey = doc == null ? null
                : media.store(a.personId(), MediaKind.ID_PHOTO, new ByteArrayInputStream(idPhoto)).key();
        Faces docFaces = doc;
        return jdbi.inTransaction(h -> {
            Attempt locked = require(attempts.lock(h, attemptId), attemptId);
            requireState(locked, AttemptState.CHECKING);
            Instant now = clock.instant();
            if (!checks.faceMatch()) {
                attempts.setIdentity(h, attemptId, Attempt.Identity.NOT_REQUIRED, locked.identityTries(), liveFace, docKey, liveKey);
                return new IdentityOutcome(Attempt.Identity.NOT_REQUIRED, Optional.empty(), 0, "");
            }
            if (locked.identity() == Attempt.Identity.VERIFIED
                    || locked.identityTries() >= exam.identityTries()) {
                throw field(409, "identity", "the identity check is over for this attempt (" + locked.identity() + ")");
            }
            Match vsDocument = analysis.compare(liveFace, docFaces.largest().orElseThrow().requireDescriptor());
            Optional<Descriptor> earlier = attempts.earlierVerifiedFace(h, locked.personId(), attemptId);
            Optional<Match> vsEarlier = earlier.map(e -> analysis.compare(liveFace, e));
            boolean same = vsDocument.same() && vsEarlier.map(Match::same).orElse(true);
            int tries = locked.identityTries() + 1;
            String detail = String.format(Locale.ROOT, "distance to the ID photo %.3f%s (threshold %.2f), try %d of %d",
                    vsDocument.distance(), vsEarlier.map(m -> String.format(Locale.ROOT,
                            ", to the earlier verified face %.3f", m.distance())).orElse(""),
                    vsDocument.threshold(), tries, exam.identityTries());
            Attempt.Identity identity = same ? Attempt.Identity.VERIFIED
                    : tries >= exam.identityTries() ? Attempt.Identity.NOT_VERIFIED : Attempt.Identity.PENDING;
            attempts.setIdentity(h, attemptId, identity, tries, liveFace, docKey, liveKey);
            attempts.addEvent(h, attemptId, now, now, same ? EventType.ID_VERIFIED : EventType.ID_NOT_VERIFIED,
                    detail, liveKey, null);
            Match worst = vsEarlier.filter(m -> m.distance() > vsDocument.distance()).orElse(vsDocument);
            return new IdentityOutcome(identity, Optional.of(worst), same ? 0 : exam.identityTries() - tries, detail);
        });
    }

    /** The room scan (a short video turning the camera around the room), stored and logged. */
    public Attempt roomScan(String attemptId, InputStream video) {
        Attempt a = require(attempts.find(attemptId), attemptId);
        requireState(a, AttemptState.CHECKING);
        String key = media.store(a.personId(), MediaKind.ROOM_SCAN, video).key();
        return jdbi.inTransaction(h -> {
            requireState(require(attempts.lock(h, attemptId), attemptId), AttemptState.CHECKING);
            attempts.setRoomScan(h, attemptId, key);
            Instant now = clock.instant();
            attempts.addEvent(h, attemptId, now, now, EventType.ROOM_SCAN_RECORDED, "", null, null);
            return attempts.find(h, attemptId).orElseThrow();
        });
    }

    /**
     * The monitoring starts (or resumes after an abandoned window): the checks the exam requires must be done, the
     * exam open; {@code recordingId} is the browser's id of the continuous recording (resumed when it is the same).
     */
    public Attempt start(Exam exam, String attemptId, String recordingId) {
        Attempt a = require(attempts.find(attemptId), attemptId);
        if (a.state() == AttemptState.IN_PROGRESS) {
            return a;
        }
        Exam.Checks checks = exam.requiredChecks();
        if (!exam.openAt(clock.instant())) {
            throw new ApiException(409, "exam " + exam.id() + " is closed since " + exam.closesAt());
        }
        if ((checks.idPhoto() || checks.faceMatch()) && a.identity() == Attempt.Identity.PENDING) {
            throw field(409, "identity", "the identity check is not done yet");
        }
        if (checks.roomScan() && a.roomScanKey().isEmpty()) {
            throw field(409, "roomScan", "the room scan is not recorded yet");
        }
        String recording = a.recordingId().orElse(recordingId);
        recordings.begin(recording, a.personId());
        AttemptState from = a.state();
        return jdbi.inTransaction(h -> {
            Attempt locked = require(attempts.lock(h, attemptId), attemptId);
            if (!locked.state().mayBecome(AttemptState.IN_PROGRESS)) {
                throw field(409, "state", "the attempt is " + locked.state() + "; it cannot start");
            }
            Instant now = clock.instant();
            attempts.setRecording(h, attemptId, recording);
            attempts.setState(h, attemptId, AttemptState.IN_PROGRESS, "started_at", now);
            attempts.heartbeat(h, attemptId, now);
            attempts.addEvent(h, attemptId, now, now, EventType.ATTEMPT_STARTED,
                    from == AttemptState.ABANDONED ? "monitoring window reopened" : "", null, null);
            return attempts.find(h, attemptId).orElseThrow();
        });
    }

    /** What the server did with a snapshot. */
    public record SnapshotReceipt(String key, boolean duplicate, boolean analysisQueued) {
    }

    /**
     * A monitoring snapshot (JPEG/PNG, type proven by its bytes), stored once per browser id {@code clientId} (a resend
     * after a lost answer is recognised). Camera snapshots are queued for face analysis when the pool has room; else
     * they wait for {@link #drainAnalysis}: the answer never waits for the analysis.
     */
    public SnapshotReceipt snapshot(String attemptId, String clientId, Instant takenAt, SnapshotSource source, byte[] image) {
        checkClientId(clientId, "snapshot.id");
        Attempt a = require(attempts.find(attemptId), attemptId);
        requireMonitored(a);
        Optional<String> earlier = attempts.snapshotKey(attemptId, clientId);
        if (earlier.isPresent()) {
            return new SnapshotReceipt(earlier.get(), true, false);
        }
        Instant now = clock.instant();
        Instant taken = plausible(takenAt, a, now);
        boolean queue = source == SnapshotSource.CAMERA && analysis.queued() < analysis.settings().queue();
        String[] stored = new String[1];
        // the media row and the timeline row in one commit (the file is durable before it)
        boolean inserted = media.store(a.personId(), MediaKind.SNAPSHOT, new ByteArrayInputStream(image), (h, m) -> {
            stored[0] = m.key();
            return attempts.addSnapshot(h, m.key(), attemptId, source, taken, now, clientId, queue ? now.plus(LEASE) : null);
        });
        String key = stored[0];
        if (!inserted) {
            // the same snapshot raced in twice: the first one stored is the attempt's; ours stays a person's media
            // object (exported, purged by retention) without a timeline row
            return new SnapshotReceipt(attempts.snapshotKey(attemptId, clientId).orElseThrow(), true, false);
        }
        boolean queued = queue && submit(new AttemptRepository.PendingSnapshot(key, attemptId, a.personId(), taken), image);
        return new SnapshotReceipt(key, false, queued);
    }

    /** A browser-reported event. {@code clientId} makes a resend harmless. */
    public record BrowserEvent(String clientId, String type, Instant at, String detail) {
    }

    /** Stores the browser's events (only the types a browser may report); returns how many were new. */
    public int browserEvents(String attemptId, List<BrowserEvent> events) {
        Attempt a = require(attempts.find(attemptId), attemptId);
        if (a.state() != AttemptState.IN_PROGRESS && a.state() != AttemptState.CHECKING) {
            throw field(409, "state", "the attempt is " + a.state() + "; events are not taken");
        }
        Instant now = clock.instant();
        List<ApiException.Detail> problems = new java.util.ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            BrowserEvent e = events.get(i);
            if (e.clientId() == null || !CLIENT_ID.matcher(e.clientId()).matches()) {
                problems.add(new ApiException.Detail("[" + i + "].id", "8 to 64 letters, digits, '-' or '_' expected"));
            }
            if (e.type() == null || EventType.fromBrowser(e.type()).isEmpty()) {
                problems.add(new ApiException.Detail("[" + i + "].type", "not an event a browser reports: " + e.type()));
            }
            if (e.at() == null) {
                problems.add(new ApiException.Detail("[" + i + "].at", "required (ISO-8601 instant)"));
            }
            if (e.detail() != null && e.detail().length() > 500) {
                problems.add(new ApiException.Detail("[" + i + "].detail", "at most 500 characters"));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("events refused; none stored", problems);
        }
        return jdbi.inTransaction(h -> {
            int added = 0;
            for (BrowserEvent e : events) {
                if (attempts.addEvent(h, attemptId, plausible(e.at(), a, now), now, EventType.fromBrowser(e.type()).orElseThrow(),
                        e.detail() == null ? "" : e.detail().strip(), null, e.clientId())) {
                    added++;
                }
            }
            return added;
        });
    }

    /**
     * The monitoring window's heartbeat. While the window keeps beating, its time is only remembered on this node and
     * written with the others by {@link #flushHeartbeats()} (no commit of its own). A heartbeat after a silence longer
     * than the allowed gap plus the flush interval (the stored time may be that much behind, another node's heartbeats
     * included) is written at once, and logs {@code HEARTBEAT_GAP} itself when the sweeper has not reported it yet.
     */
    public Attempt heartbeat(String attemptId) {
        return heartbeat(require(attempts.find(attemptId), attemptId));
    }

    /** {@link #heartbeat(String)} for an attempt the caller has just read. */
    public Attempt heartbeat(Attempt read) {
        requireMonitored(read);
        Instant now = clock.instant();
        if (!silentTooLong(lastHeard(read, now), now)) {
            lastSeen.seen(read.id(), now);
            return read;
        }
        return jdbi.inTransaction(h -> {
            Attempt a = require(attempts.lock(h, read.id()), read.id());
            requireMonitored(a);
            Instant last = lastHeard(a, now);
            if (silentTooLong(last, now) && !silentReported(h, a.id())) {
                attempts.addEvent(h, a.id(), last, now, EventType.HEARTBEAT_GAP,
                        "no heartbeat for " + Duration.between(last, now).toSeconds() + " s", null, null);
            }
            attempts.heartbeat(h, a.id(), now);
            lastSeen.written(a.id(), now);
            return attempts.find(h, a.id()).orElseThrow();
        });
    }

    /** The latest heartbeat known here: stored, or heard by this node and not flushed yet (else the start). */
    private Instant lastHeard(Attempt a, Instant now) {
        Instant stored = a.lastHeartbeatAt().or(a::startedAt).orElse(now);
        return lastSeen.pending(a.id()).filter(p -> p.isAfter(stored)).orElse(stored);
    }

    /** A silence longer than the gap, with the flush interval as slack (the pure rule of both the heartbeat and the sweeper). */
    static boolean silentTooLong(Instant last, Instant now, Duration gap, Duration flush) {
        return Duration.between(last, now).compareTo(gap.plus(flush)) > 0;
    }

    private boolean silentTooLong(Instant last, Instant now) {
        return silentTooLong(last, now, heartbeatGap, heartbeatFlush);
    }

    /**
     * Writes the heartbeats this node heard since the last flush, in one statement; run it every {@code heartbeatFlush}
     * and when the tool stops. Returns how many attempts it wrote.
     */
    public int flushHeartbeats() {
        return lastSeen.flush();
    }

    private boolean silentReported(org.jdbi.v3.core.Handle h, String attemptId) {
        return h.createQuery("SELECT silent_since IS NOT NULL FROM proctoring_attempt WHERE id = :id")
                .bind("id", attemptId).mapTo(Boolean.class).one();
    }

    /**
     * The end: the recording must be complete on the server (the browser finishes it through {@link RecordingUploads}
     * first, so the window cannot close with chunks missing) — 409 naming what is missing otherwise.
     */
    public Attempt end(String attemptId) {
        Attempt a = require(attempts.find(attemptId), attemptId);
        if (a.state() == AttemptState.ENDED) {
            return a;
        }
        requireMonitored(a);
        a.recordingId().ifPresent(r -> {
            if (!recordings.status(r).finished()) {
                throw field(409, "recording", "the recording " + r + " is not complete on the server yet: upload its "
                        + "remaining chunks and finish it first");
            }
        });
        return transition(attemptId, AttemptState.ENDED, "ended_at", EventType.ATTEMPT_ENDED, "");
    }

    /**
     * The end the LMS asked for (Open edX's LtiEndAssessment): like {@link #end} when the recording is complete on the
     * server; otherwise the attempt ends all the same and its log says the recording is incomplete (the proctor sees it).
     */
    public Attempt endByPlatform(String attemptId, String detail) {
        Attempt a = require(attempts.find(attemptId), attemptId);
        if (a.state() == AttemptState.ENDED) {
            return a;
        }
        requireMonitored(a);
        boolean complete = a.recordingId().map(r -> recordings.status(r).finished()).orElse(true);
        return transition(attemptId, AttemptState.ENDED, "ended_at", EventType.ATTEMPT_ENDED,
                complete ? detail : detail + "; the recording is incomplete on the server");
    }

    // ---- background: silent windows, abandoned attempts, the analysis drain ----------------------------------

    /**
     * Logs {@code HEARTBEAT_GAP} once for each monitoring window silent longer than the allowed gap (plus the flush
     * interval: the stored times may be that much behind), and abandons the attempts still silent after their exam
     * closed (plus the gap). Reads only the stored times, so every node judges alike; the caller flushes this node's
     * heartbeats first ({@link #flushHeartbeats()}). Returns how many attempts it changed.
     */
    public int sweepHeartbeats() {
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            int n = 0;
            // the stored last-seen times may be one flush interval behind (HeartbeatBuffer): judged with it as slack
            Instant silentBefore = now.minus(heartbeatGap).minus(heartbeatFlush);
            for (Attempt a : attempts.newlySilent(h, silentBefore)) {
                Instant last = a.lastHeartbeatAt().or(a::startedAt).orElse(now);
                attempts.markSilent(h, a.id(), last);
                attempts.addEvent(h, a.id(), last, now, EventType.HEARTBEAT_GAP,
                        "the monitoring window has not answered since " + last, null, null);
                n++;
            }
            for (Attempt a : attempts.silentAfterClose(h, now.minus(heartbeatGap), silentBefore)) {
                attempts.setState(h, a.id(), AttemptState.ABANDONED, null, now);
                attempts.addEvent(h, a.id(), now, now, EventType.ATTEMPT_ABANDONED,
                        "the exam closed while the attempt was " + a.state(), null, null);
                n++;
            }
            return n;
        });
    }

    /**
     * Queues snapshots that found the analysis pool full (or whose worker died) while it has room; run it every few
     * seconds. Returns how many were queued.
     */
    public int drainAnalysis() {
        int room = analysis.settings().queue() - analysis.queued();
        if (room <= 0) {
            return 0;
        }
        Instant now = clock.instant();
        int queued = 0;
        for (AttemptRepository.PendingSnapshot p : attempts.leasePending(Math.min(room, 200), now, now.plus(LEASE))) {
            byte[] image;
            try (ProctoringMedia.Opened o = media.open(p.key(), "analysis", ProctoringMedia.Access.VIEW)) {
                image = o.content().readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                // deleted on request or by retention before it was analysed
                jdbi.useTransaction(h -> attempts.markAnalysed(h, p.key(), null, "not analysed: " + e.getMessage(), now));
                continue;
            }
            if (submit(p, image)) {
                queued++;
            }
        }
        return queued;
    }

    /** Camera snapshots not analysed yet (the queue the drain works through). */
    public int pendingAnalysis() {
        return attempts.pendingSnapshots();
    }

    private boolean submit(AttemptRepository.PendingSnapshot p, byte[] image) {
        try {
            analysis.submit(image, true).whenComplete((faces, error) -> record(p, faces, error));
            return true;
        } catch (FaceAnalysis.Busy busy) {
            attempts.releaseLease(p.key());
            return false;
        }
    }

    /** Writes a snapshot's analysis and the face events it raises (on the analysis worker's thread). */
    private void record(AttemptRepository.PendingSnapshot p, Faces faces, Throwable error) {
        Instant now = clock.instant();
        try {
            Throwable cause = error instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : error;
            if (cause != null && !(cause instanceof UnreadableImage)) {
                log.warn("face analysis of snapshot {} failed, it will be retried: {}", p.key(), cause.toString());
                attempts.releaseLease(p.key());
                return;
            }
            jdbi.useTransaction(h -> {
                if (cause != null) {
                    attempts.markAnalysed(h, p.key(), null, "unreadable: " + cause.getMessage(), now);
                    return;
                }
                if (!attempts.markAnalysed(h, p.key(), faces.count(), null, now)) {
                    return;
                }
                Optional<Descriptor> identity = attempts.identityDescriptor(h, p.attemptId());
                for (SnapshotFindings.Finding f : SnapshotFindings.of(faces, identity, analysis.settings())) {
                    attempts.addEvent(h, p.attemptId(), p.takenAt(), now, EventType.of(f.event()), f.detail(), p.key(), null);
                }
            });
        } catch (RuntimeException e) {
            log.warn("recording the analysis of snapshot {} failed, it will be retried: {}", p.key(), e.toString());
        }
    }

    // ---- the proctor's side ----------------------------------------------------------------------------------

    /** The attempt's trust score from its events, explained. */
    public AttemptTrust trust(String attemptId) {
        return AttemptTrust.of(attempts.eventCountsOf(attemptId));
    }

    /** The proctor's verdict (CLEAN / SUSPICIOUS / VIOLATION with a comment); every decision is kept in the history. */
    public Verdict decide(String attemptId, Verdict.Outcome outcome, String comment, String decidedBy) {
        List<ApiException.Detail> problems = new java.util.ArrayList<>();
        if (outcome == null) {
            problems.add(new ApiException.Detail("verdict", "required: CLEAN, SUSPICIOUS or VIOLATION"));
        }
        String c = comment == null ? "" : comment.strip();
        if (c.length() > 2000) {
            problems.add(new ApiException.Detail("comment", "at most 2000 characters"));
        }
        if (outcome != null && outcome != Verdict.Outcome.CLEAN && c.isEmpty()) {
            problems.add(new ApiException.Detail("comment", "required for " + outcome + ": say what the evidence shows"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("verdict refused", problems);
        }
        return jdbi.inTransaction(h -> {
            Attempt a = require(attempts.lock(h, attemptId), attemptId);
            if (a.state() == AttemptState.CONSENT_PENDING || a.state() == AttemptState.REFUSED) {
                throw field(409, "state", "the attempt is " + a.state() + ": there is nothing to judge");
            }
            Verdict v = new Verdict(outcome, c, decidedBy, clock.instant());
            attempts.decide(h, attemptId, v);
            return v;
        });
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private Attempt transition(String attemptId, AttemptState to, String timeColumn, EventType event, String detail) {
        return jdbi.inTransaction(h -> {
            Attempt a = require(attempts.lock(h, attemptId), attemptId);
            if (a.state() == to) {
                return a;
            }
            if (!a.state().mayBecome(to)) {
                throw field(409, "state", "the attempt is " + a.state() + "; it cannot become " + to);
            }
            Instant now = clock.instant();
            attempts.setState(h, attemptId, to, timeColumn, now);
            attempts.addEvent(h, attemptId, now, now, event, detail, null, null);
            return attempts.find(h, attemptId).orElseThrow();
        });
    }

    private Faces analyseNow(byte[] image, String field) {
        try {
            return analysis.submitWaitedFor(image, true).get(IDENTITY_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (FaceAnalysis.Busy | TimeoutException e) {
            throw new kz.qatysu.tool.web.UploadRefused(503, kz.qatysu.tool.web.UploadRefused.Reason.ANALYSIS_BUSY, 2, true,
                    "the face analysis is busy; take the photo again in a moment");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnreadableImage u) {
                throw field(400, field, u.getMessage());
            }
            throw new IllegalStateException("face analysis failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted");
        }
    }

    /** The browser's clock, unless it is before the attempt or in the future (then the server's receipt time). */
    private static Instant plausible(Instant at, Attempt a, Instant now) {
        if (at == null || at.isAfter(now.plusSeconds(5)) || at.isBefore(a.createdAt())) {
            return now;
        }
        return at;
    }

    private static void checkClientId(String id, String field) {
        if (id == null || !CLIENT_ID.matcher(id).matches()) {
            throw field(400, field, "8 to 64 letters, digits, '-' or '_' expected");
        }
    }

    private static void requireState(Attempt a, AttemptState state) {
        if (a.state() != state) {
            throw field(409, "state", "the attempt is " + a.state() + ", not " + state);
        }
    }

    private static void requireMonitored(Attempt a) {
        if (a.state() != AttemptState.IN_PROGRESS) {
            throw field(409, "state", "the attempt is " + a.state() + ": the monitoring is not running");
        }
    }

    private static Attempt require(Optional<Attempt> a, String attemptId) {
        return a.orElseThrow(() -> ApiException.notFound("no attempt " + attemptId));
    }

    private static ApiException field(int status, String field, String problem) {
        return new ApiException(status, field + ": " + problem, List.of(new ApiException.Detail(field, problem)));
    }
}
