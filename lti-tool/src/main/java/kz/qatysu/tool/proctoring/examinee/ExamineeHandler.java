package kz.qatysu.tool.proctoring.examinee;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.http.UploadedFile;
import kz.qatysu.tool.admission.AdmissionService;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.home.CourseContext;
import kz.qatysu.tool.lti.ToolRole;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.locks.ExamGateHandler;
import kz.qatysu.tool.proctoring.attempts.Attempt;
import kz.qatysu.tool.proctoring.attempts.AttemptService;
import kz.qatysu.tool.proctoring.attempts.AttemptState;
import kz.qatysu.tool.proctoring.attempts.SnapshotSource;
import kz.qatysu.tool.proctoring.attempts.Verdict;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.proctoring.exams.ExamRepository;
import kz.qatysu.tool.proctoring.media.MediaRefused;
import kz.qatysu.tool.proctoring.media.MediaSettings;
import kz.qatysu.tool.proctoring.media.RecordingUploads;
import kz.qatysu.tool.util.Tokens;
import kz.qatysu.tool.web.FormInput;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The examinee's side of a proctored exam (issue 10, "The examinee's path"), under {@code /app/{launch}/exams/{examId}}:
 * the exam page (the exam gate first, then consent or refusal, the attempt's state and the proctor's verdict), the
 * checks page (system check, identity, room scan), the top-level monitoring window, and the JSON endpoints the pages'
 * scripts call. Every request acts on the caller's own attempt only: the attempt is found by the launch's person, never
 * by an id from the request; only students sit exams; state changes need the session's CSRF token.
 */
public final class ExamineeHandler {
    /** The scripts the pages load (served from the classpath, CSP {@code script-src 'self'}). */
    private static final Map<String, String> ASSETS = Map.of("checks.js", "checks.js", "monitor.js", "monitor.js",
            "examinee.js", "examinee.js",
            "quizgate.js", "quizgate.js");

    private final Sessions sessions;
    private final ExamRepository exams;
    private final AttemptService attempts;
    private final RecordingUploads recordings;
    private final AdmissionService admission;
    private final WindowTokens windows;
    private final MediaSettings media;
    private final Pages pages;
    private final ObjectMapper json;
    private final Clock clock;
    private final java.util.function.Predicate<String> endRequested;
    private final java.util.function.BiConsumer<Exam, Attempt> started;

    /**
     * @param endRequested whether the LMS asked to end an attempt (Open edX's LtiEndAssessment): the monitoring window
     *                     hears it with its heartbeat and ends itself, uploading the rest of the recording first
     * @param started      told when an examinee's monitoring started (the LMS gates: the Moodle quiz override)
     */
    public ExamineeHandler(Sessions sessions, ExamRepository exams, AttemptService attempts, RecordingUploads recordings,
                           AdmissionService admission, WindowTokens windows, MediaSettings media, Pages pages,
                           ObjectMapper json, Clock clock, java.util.function.Predicate<String> endRequested,
                           java.util.function.BiConsumer<Exam, Attempt> started) {
        this.endRequested = endRequested;
        this.started = started;
        this.sessions = sessions;
        this.exams = exams;
        this.attempts = attempts;
        this.recordings = recordings;
        this.admission = admission;
        this.windows = windows;
        this.media = media;
        this.pages = pages;
        this.json = json;
        this.clock = clock;
    }

    /** A course launch of a proctored exam (custom parameter {@code qatysu_exam}): where it lands. */
    public static Optional<String> launchTarget(ToolSession s) {
        Optional<String> exam = s.service("custom").map(c -> c.get("qatysu_exam")).filter(String.class::isInstance)
                .map(String.class::cast).filter(id -> !id.isBlank());
        return exam.map(id -> s.pagesBase() + "/exams/" + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8)
                + (s.role().teaches() ? "/attempts" : ""));
    }

    // ---- pages ---------------------------------------------------------------------------------------------------

    /** {@code GET /app/{launch}/exams/{examId}}: the exam gate, then consent, the attempt's state and verdict. */
    public void exam(Context ctx) {
        ToolSession s = CourseContext.require(ctx, sessions);
        Exam exam = examOf(ctx, s);
        if (s.role().teaches()) {
            ctx.redirect(s.pagesBase() + "/exams/" + seg(exam.id()) + "/attempts", HttpStatus.SEE_OTHER);
            return;
        }
        requireStudent(s);
        String person = CourseScope.personId(s);
        Optional<AdmissionService.Row> row = admission.row(exam.sectionId(), person);
        Messages t = s.messages();
        if (!ExamineeGate.admitted(exam.kind(), row)) {
            pages.html(ctx, "proctoring/examinee/not-admitted.jte", new NotAdmittedPage(t, s, exam,
                    new ExamGateHandler.StudentPage(t, s, row.map(AdmissionService.Row::standing).orElse(null), row.orElse(null))));
            return;
        }
        Optional<Attempt> attempt = attempts.repository().of(exam.id(), person);
        pages.html(ctx, "proctoring/examinee/exam.jte", new ExamPage(t, s, exam, attempt,
                attempt.flatMap(a -> attempts.repository().verdict(a.id())), attempt.map(this::summary).orElse(null),
                sessions.csrfToken(ctx), media.retention().toDays(), exam.openAt(clock.instant()),
                ctx.queryParam("refused") != null));
    }

    /** {@code POST …/consent}: consent given (the attempt is opened if it is the first visit); on to the checks. */
    public void consent(Context ctx) {
        Examinee e = admitted(ctx);
        sessions.checkCsrf(ctx);
        Attempt a = attempts.open(e.exam(), e.person());
        attempts.consent(a.id());
        ctx.redirect(e.base(), HttpStatus.SEE_OTHER);
    }

    /** {@code POST …/refuse}: consent refused, logged; the exam page then shows the campus alternative or the dean's office. */
    public void refuse(Context ctx) {
        Examinee e = admitted(ctx);
        sessions.checkCsrf(ctx);
        String reason = Optional.ofNullable(ctx.formParam("reason")).orElse("").strip();
        if (reason.length() > 500) {
            throw field(400, "reason", "at most 500 characters");
        }
        Attempt a = attempts.open(e.exam(), e.person());
        attempts.refuse(a.id(), reason);
        ctx.redirect(e.base() + "?refused", HttpStatus.SEE_OTHER);
    }

    /**
     * {@code GET …/checks}: system check, identity, room scan (while the attempt is CHECKING), in the top-level exam
     * window like the monitoring (opened with {@code ?token=}, see {@link #monitor}).
     */
    public void checks(Context ctx) {
        if (exchanged(ctx)) {
            return;
        }
        Examinee e = admitted(ctx);
        Optional<Attempt> a = attempts.repository().of(e.exam().id(), e.person());
        if (a.isEmpty() || a.get().state() != AttemptState.CHECKING) {
            ctx.redirect(e.base() + (a.isPresent() && a.get().state() != AttemptState.CONSENT_PENDING
                    && !a.get().state().finished() ? "/monitor" : ""), HttpStatus.SEE_OTHER);
            return;
        }
        pages.html(ctx, "proctoring/examinee/checks.jte", new ChecksPage(e.session().messages(), e.session(), e.exam(),
                a.get(), sessions.csrfToken(ctx), e.base()));
    }

    /**
     * {@code GET …/monitor}: the monitoring window. Opened top-level from the exam page with {@code ?token=}: without
     * the launch's cookie (partitioned under the LMS's site) the token is exchanged for this window's own session
     * cookie, then the window reloads itself without the token.
     */
    public void monitor(Context ctx) {
        if (exchanged(ctx)) {
            return;
        }
        Examinee e = admitted(ctx);
        Attempt a = own(e);
        if (a.state() == AttemptState.CHECKING && !readyToStart(e.exam(), a)) {
            ctx.redirect(e.base() + "/checks", HttpStatus.SEE_OTHER);
            return;
        }
        pages.html(ctx, "proctoring/examinee/monitor.jte", new MonitorPage(e.session().messages(), e.session(), e.exam(), a,
                sessions.csrfToken(ctx), e.base(), summary(a)));
    }

    /**
     * A window opened with {@code ?token=}: without a session cookie here (the launch's is partitioned under the LMS's
     * site) the single-use token becomes this window's own session cookie; either way the page reloads without the
     * token. True when the request was answered.
     */
    private boolean exchanged(Context ctx) {
        String token = ctx.queryParam("token");
        if (token == null) {
            return false;
        }
        String launch = ctx.pathParam("launch");
        boolean hasSession = sessions.find(ctx).isPresent();
        Optional<ToolSession> redeemed = windows.redeem(token, launch);
        if (!hasSession) {
            ToolSession s = redeemed.orElseThrow(() -> new UnauthorizedResponse(
                    "This window's link is used or expired: open the exam window again from the exam page."));
            sessions.setCookie(ctx, launch, windows.openSession(sessions, s));
        }
        ctx.redirect(ctx.path(), HttpStatus.SEE_OTHER);
        return true;
    }

    /** {@code GET /assets/proctoring/{name}}: the pages' scripts. */
    public void asset(Context ctx) {
        String name = ASSETS.get(ctx.pathParam("name"));
        if (name == null) {
            throw new io.javalin.http.NotFoundResponse("no such script");
        }
        try (InputStream in = ExamineeHandler.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new io.javalin.http.NotFoundResponse("no such script");
            }
            ctx.header("Cache-Control", "no-cache");
            ctx.contentType("text/javascript; charset=utf-8").result(in.readAllBytes());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    // ---- JSON: the checks ----------------------------------------------------------------------------------------

    /** {@code GET …/attempt}: the caller's own attempt (state, identity, verdict, what was recorded). */
    public void attempt(Context ctx) {
        Examinee e = student(ctx);
        Attempt a = own(e);
        ctx.header("Cache-Control", "no-store");
        ctx.json(view(e.exam(), a));
    }

    /**
     * {@code POST …/attempt/system-check} {@code {"camera":true,"microphone":true,"screen":"monitor","browser":"…"}}: what
     * the browser's check found; the exam's required items must pass (422 naming the item otherwise).
     */
    public void systemCheck(Context ctx) {
        Examinee e = student(ctx);
        sessions.checkCsrf(ctx);
        Attempt a = own(e);
        JsonNode body = body(ctx);
        List<ApiException.Detail> problems = new ArrayList<>();
        if (!body.path("camera").asBoolean(false)) {
            problems.add(new ApiException.Detail("camera", "the camera must work"));
        }
        if (!body.path("microphone").asBoolean(false)) {
            problems.add(new ApiException.Detail("microphone", "the microphone must work"));
        }
        String screen = body.path("screen").asText("");
        if (e.exam().requiredChecks().screenShare() && !"monitor".equals(screen)) {
            problems.add(new ApiException.Detail("screen", "the whole screen must be shared (displaySurface 'monitor'), was '"
                    + screen + "'"));
        }
        String browser = body.path("browser").asText("");
        if (browser.length() > 300) {
            problems.add(new ApiException.Detail("browser", "at most 300 characters"));
        }
        if (!problems.isEmpty()) {
            throw new ApiException(422, "the system check did not pass; nothing was recorded", problems);
        }
        attempts.systemChecked(a.id(), "camera ok, microphone ok, screen " + (screen.isEmpty() ? "not shared" : screen)
                + (browser.isEmpty() ? "" : ", " + browser));
        ctx.json(view(e.exam(), own(e)));
    }

    /**
     * {@code POST …/attempt/identity} (multipart {@code livePhoto}, {@code idPhoto}): the server's identity check. A
     * mismatch is flagged for the proctor; after the exam's tries the student goes on unverified.
     */
    public void identity(Context ctx) {
        Examinee e = student(ctx);
        if (!FormInput.readMultipart(ctx)) {
            throw tooLarge("livePhoto", media.maxSnapshotBytes());
        }
        sessions.checkCsrf(ctx);
        Attempt a = own(e);
        byte[] live = file(ctx, "livePhoto", media.maxSnapshotBytes());
        byte[] id = file(ctx, "idPhoto", media.maxSnapshotBytes());
        AttemptService.IdentityOutcome o = guard(() -> attempts.identity(e.exam(), a.id(), live, id));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("identity", o.identity().name());
        out.put("triesLeft", o.triesLeft());
        out.put("match", o.match().map(m -> Map.of("distance", Math.round(m.distance() * 1000) / 1000.0, "same", m.same(),
                "threshold", m.threshold())).orElse(null));
        out.put("attempt", view(e.exam(), own(e)));
        ctx.json(out);
    }

    /** {@code POST …/attempt/room-scan} (body: the WebM video, or a JPEG/PNG): the room scan. */
    public void roomScan(Context ctx) {
        Examinee e = student(ctx);
        sessions.checkCsrf(ctx);
        Attempt a = own(e);
        byte[] video = body(ctx, "roomScan", media.maxChunkBytes());
        guard(() -> attempts.roomScan(a.id(), new java.io.ByteArrayInputStream(video)));
        ctx.json(view(e.exam(), own(e)));
    }

    /**
     * {@code POST …/attempt/window}: a single-use link for the top-level monitoring window ({@code {"url": …}}), once the
     * consent is given.
     */
    public void window(Context ctx) {
        Examinee e = admitted(ctx);
        sessions.checkCsrf(ctx);
        Attempt a = own(e);
        if (a.state() == AttemptState.CONSENT_PENDING || a.state().finished()) {
            throw field(409, "state", "the attempt is " + a.state() + ": there is no monitoring to open");
        }
        String secret = ctx.cookie(Sessions.COOKIE_PREFIX + e.session().launchKey());
        String token = windows.issue(a.id(), e.session().launchKey(), Tokens.sha256Hex(secret == null ? "" : secret));
        String page = a.state() == AttemptState.CHECKING ? "/checks" : "/monitor";
        ctx.json(Map.of("url", e.base() + page + "?token=" + token));
    }

    // ---- JSON: monitoring ----------------------------------------------------------------------------------------

    /**
     * {@code POST …/attempt/start} {@code {"recordingId": "<uuid>"}}: the monitoring starts or resumes; the answer names
     * the recording to continue, the chunks the server has and the snapshot interval.
     */
    public void start(Context ctx) {
        Examinee e = admitted(ctx);
        sessions.checkCsrf(ctx);
        Attempt a = own(e);
        String recordingId = body(ctx).path("recordingId").asText("").toLowerCase(java.util.Locale.ROOT);
        Attempt started = guard(() -> attempts.start(e.exam(), a.id(), recordingId));
        this.started.accept(e.exam(), started);
        Map<String, Object> out = new LinkedHashMap<>(view(e.exam(), started));
        RecordingUploads.Status st = guard(() -> recordings.status(started.recordingId().orElseThrow()));
        out.put("recording", recordingView(st));
        ctx.json(out);
    }

    /** {@code PUT …/attempt/recording/{index}} (header {@code X-Chunk-Sha256}, body the chunk): one timeslice chunk. */
    public void chunk(Context ctx) {
        Examinee e = student(ctx);
        sessions.checkCsrf(ctx);
        Attempt a = own(e);
        requireMonitored(a);
        int index;
        try {
            index = Integer.parseInt(ctx.pathParam("index"));
        } catch (NumberFormatException ex) {
            throw field(400, "chunk.index", "a whole number expected, was '" + ctx.pathParam("index") + "'");
        }
        String sha = Optional.ofNullable(ctx.header("X-Chunk-Sha256")).orElse("").strip().toLowerCase(java.util.Locale.ROOT);
        byte[] bytes = body(ctx, "chunk", media.maxChunkBytes());
        String recording = a.recordingId().orElseThrow(() -> field(409, "recording", "the monitoring has not started"));
        RecordingUploads.Accepted accepted = guard(() -> recordings.accept(recording, index, sha,
                new java.io.ByteArrayInputStream(bytes)));
        ctx.json(Map.of("index", index, "accepted", accepted.name()));
    }

    /** {@code GET …/attempt/recording}: which chunks the server has (to resume after a lost connection). */
    public void recordingStatus(Context ctx) {
        Examinee e = student(ctx);
        Attempt a = own(e);
        String recording = a.recordingId().orElseThrow(() -> field(404, "recording", "the monitoring has not started"));
        ctx.header("Cache-Control", "no-store");
        ctx.json(recordingView(guard(() -> recordings.status(recording))));
    }

    /** {@code POST …/attempt/recording/finish} {@code {"lastIndex": n}}: the recording is complete (409 naming missing chunks). */
    public void finish(Context ctx) {
        Examinee e = student(ctx);
        sessions.checkCsrf(ctx);
        Attempt a = own(e);
        String recording = a.recordingId().orElseThrow(() -> field(409, "recording", "the monitoring has not started"));
        JsonNode last = body(ctx).path("lastIndex");
        if (!last.canConvertToInt()) {
            throw field(400, "recording.lastIndex", "a whole number expected");
        }
        ctx.json(recordingView(guard(() -> recordings.finish(recording, last.asInt()))));
    }

    /**
     * {@code POST …/attempt/snapshots?id=&takenAt=&source=CAMERA|SCREEN} (body: JPEG/PNG): a monitoring snapshot; a
     * resent id is recognised and not stored twice.
     */
    public void snapshot(Context ctx) {
        Examinee e = student(ctx);
        sessions.checkCsrf(ctx);
        Attempt a = own(e);
        SnapshotSource source;
        try {
            source = SnapshotSource.valueOf(Optional.ofNullable(ctx.queryParam("source")).orElse("CAMERA"));
        } catch (IllegalArgumentException ex) {
            throw field(400, "snapshot.source", "CAMERA or SCREEN expected");
        }
        Instant takenAt = instant(ctx.queryParam("takenAt"), "snapshot.takenAt");
        byte[] image = body(ctx, "snapshot", media.maxSnapshotBytes());
        AttemptService.SnapshotReceipt r = guard(() -> attempts.snapshot(a.id(), ctx.queryParam("id"), takenAt, source, image));
        ctx.json(Map.of("duplicate", r.duplicate(), "analysisQueued", r.analysisQueued()));
    }

    /** {@code POST …/attempt/events} {@code [{"id","type","at","detail"}]}: browser events; resent ids are not stored twice. */
    public void events(Context ctx) {
        Examinee e = student(ctx);
        sessions.checkCsrf(ctx);
        Attempt a = own(e);
        List<Map<String, Object>> raw;
        try {
            raw = json.readValue(ctx.bodyAsBytes(), new TypeReference<>() {
            });
        } catch (IOException | RuntimeException ex) {
            throw field(400, "events", "a JSON array of {id, type, at, detail} expected");
        }
        if (raw == null || raw.size() > 200) {
            throw field(400, "events", "1 to 200 events per request");
        }
        List<AttemptService.BrowserEvent> events = new ArrayList<>();
        List<ApiException.Detail> problems = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            Map<String, Object> m = raw.get(i);
            Instant at = null;
            Object atText = m == null ? null : m.get("at");
            if (atText instanceof String str) {
                try {
                    at = Instant.parse(str);
                } catch (DateTimeParseException ex) {
                    problems.add(new ApiException.Detail("[" + i + "].at", "an ISO-8601 instant expected, was '" + str + "'"));
                }
            }
            events.add(new AttemptService.BrowserEvent(text(m, "id"), text(m, "type"), at, text(m, "detail")));
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("events refused; none stored", problems);
        }
        int added = attempts.browserEvents(a.id(), events);
        ctx.json(Map.of("received", events.size(), "added", added));
    }

    /** {@code POST …/attempt/heartbeat}: the window is alive (the server logs HEARTBEAT_GAP itself after a silence). */
    public void heartbeat(Context ctx) {
        Examinee e = student(ctx);
        sessions.checkCsrf(ctx);
        Attempt a = attempts.heartbeat(own(e));
        ctx.json(Map.of("state", a.state().name(), "endRequested", endRequested.test(a.id())));
    }

    /** {@code POST …/attempt/end}: the end (409 while the recording is not complete on the server), with the summary. */
    public void end(Context ctx) {
        Examinee e = student(ctx);
        sessions.checkCsrf(ctx);
        Attempt a = guard(() -> attempts.end(own(e).id()));
        ctx.json(view(e.exam(), a));
    }

    // ---- what the pages and scripts are shown ------------------------------------------------------------------

    /** What an attempt recorded: the end's summary. */
    public record Summary(int snapshots, int screenSnapshots, int chunks, int events, boolean recordingComplete) {
    }

    Summary summary(Attempt a) {
        var shots = attempts.repository().snapshots(a.id());
        int screens = (int) shots.stream().filter(s -> s.source() == SnapshotSource.SCREEN).count();
        int chunks = 0;
        boolean complete = false;
        if (a.recordingId().isPresent()) {
            RecordingUploads.Status st = recordings.status(a.recordingId().get());
            chunks = st.present().size();
            complete = st.finished();
        }
        return new Summary(shots.size() - screens, screens, chunks, attempts.repository().events(a.id()).size(), complete);
    }

    private Map<String, Object> view(Exam exam, Attempt a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", a.state().name());
        m.put("identity", a.identity().name());
        m.put("identityTries", a.identityTries());
        m.put("identityTriesAllowed", exam.identityTries());
        m.put("roomScan", a.roomScanKey().isPresent());
        m.put("recordingId", a.recordingId().orElse(null));
        m.put("snapshotIntervalSeconds", exam.snapshotIntervalSeconds());
        m.put("checks", exam.requiredChecks());
        m.put("startedAt", a.startedAt().orElse(null));
        m.put("endedAt", a.endedAt().orElse(null));
        m.put("summary", summary(a));
        m.put("verdict", attempts.repository().verdict(a.id()).map(v -> Map.of("verdict", v.verdict().name(),
                "comment", v.comment(), "decidedAt", v.decidedAt())).orElse(null));
        return m;
    }

    private static Map<String, Object> recordingView(RecordingUploads.Status st) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recordingId", st.recordingId());
        m.put("present", st.present());
        m.put("finished", st.finished());
        m.put("lastIndex", st.lastIndex().orElse(null));
        return m;
    }

    // ---- who may do what -----------------------------------------------------------------------------------------

    /** The caller (a student of the exam's course) and the exam. */
    record Examinee(ToolSession session, Exam exam, String person) {
        String base() {
            return session.pagesBase() + "/exams/" + seg(exam.id());
        }
    }

    private Exam examOf(Context ctx, ToolSession s) {
        String id = ctx.pathParam("examId");
        return exams.find(id).filter(x -> x.sectionId().equals(CourseScope.sectionId(s)))
                .orElseThrow(() -> new ApiException(404, "no exam " + id + " in this course"));
    }

    private static void requireStudent(ToolSession s) {
        if (s.role() != ToolRole.STUDENT) {
            throw new ApiException(403, "only the course's students sit an exam; teachers review attempts on the exam's "
                    + "attempts page");
        }
    }

    /** A student of the exam's course (the JSON endpoints: the attempt must exist already). */
    private Examinee student(Context ctx) {
        ToolSession s = CourseContext.require(ctx, sessions);
        Exam exam = examOf(ctx, s);
        requireStudent(s);
        return new Examinee(s, exam, CourseScope.personId(s));
    }

    /** A student who passes the exam gate (403 naming the gate otherwise: the exam page explains it). */
    private Examinee admitted(Context ctx) {
        Examinee e = student(ctx);
        if (!ExamineeGate.admitted(e.exam().kind(), admission.row(e.exam().sectionId(), e.person()))) {
            throw field(403, "admission", "not admitted to this exam: see the exam gate");
        }
        return e;
    }

    private Attempt own(Examinee e) {
        return attempts.repository().of(e.exam().id(), e.person())
                .orElseThrow(() -> field(404, "attempt", "no attempt at this exam yet: give your consent on the exam page first"));
    }

    /** Whether the checks the exam requires are done (the monitoring may start). */
    static boolean readyToStart(Exam exam, Attempt a) {
        Exam.Checks c = exam.requiredChecks();
        return !((c.idPhoto() || c.faceMatch()) && a.identity() == Attempt.Identity.PENDING)
                && !(c.roomScan() && a.roomScanKey().isEmpty());
    }

    private static void requireMonitored(Attempt a) {
        if (a.state() != AttemptState.IN_PROGRESS) {
            throw field(409, "state", "the attempt is " + a.state() + ": the monitoring is not running");
        }
    }

    // ---- input ---------------------------------------------------------------------------------------------------

    private JsonNode body(Context ctx) {
        try {
            byte[] b = ctx.bodyAsBytes();
            return b.length == 0 ? json.createObjectNode() : json.readTree(b);
        } catch (IOException e) {
            throw field(400, "body", "JSON expected");
        }
    }

    /** The raw request body, at most {@code max} bytes (413 naming the record otherwise); a cut-off body is a 400. */
    private static byte[] body(Context ctx, String record, int max) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > max) {
            throw tooLarge(record, max);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw tooLarge(record, max);
            }
            if (declared >= 0 && bytes.length != declared) {
                throw field(400, record, "the body ended after " + bytes.length + " of " + declared + " bytes: send it again");
            }
            if (bytes.length == 0) {
                throw field(400, record, "the body is empty");
            }
            return bytes;
        } catch (IOException e) {
            throw field(400, record, "the body stopped arriving: send it again (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static byte[] file(Context ctx, String field, int max) {
        UploadedFile f = ctx.uploadedFile(field);
        if (f == null) {
            return null;
        }
        if (f.size() > max) {
            throw tooLarge(field, max);
        }
        try (InputStream in = f.content()) {
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) {
                throw tooLarge(field, max);
            }
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant instant(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw field(400, field, "an ISO-8601 instant expected, was '" + text + "'");
        }
    }

    private static String text(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v == null ? null : String.valueOf(v);
    }

    /** Runs a media call, answering its refusal as JSON naming the record and field (400/404/409/413/415). */
    private static <T> T guard(Supplier<T> call) {
        try {
            return call.get();
        } catch (MediaRefused r) {
            throw new ApiException(r.status(), r.getMessage(), List.of(new ApiException.Detail(r.field(),
                    r.getMessage().substring(Math.min(r.getMessage().length(), r.field().length() + 2)))));
        }
    }

    private static ApiException tooLarge(String record, int max) {
        return field(413, record, "at most " + max + " bytes");
    }

    private static ApiException field(int status, String field, String problem) {
        return new ApiException(status, field + ": " + problem, List.of(new ApiException.Detail(field, problem)));
    }

    static String seg(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ---- page records --------------------------------------------------------------------------------------------

    public record NotAdmittedPage(Messages t, ToolSession session, Exam exam, ExamGateHandler.StudentPage gate) {
    }

    public record ExamPage(Messages t, ToolSession session, Exam exam, Optional<Attempt> attempt, Optional<Verdict> verdict,
                           Summary summary, String csrf, long retentionDays, boolean open, boolean justRefused) {
        public String base() {
            return session.pagesBase() + "/exams/" + seg(exam.id());
        }

        public String state() {
            return attempt.map(a -> a.state().name()).orElse("NONE");
        }

        public boolean consentNeeded() {
            return attempt.isEmpty() || attempt.get().state() == AttemptState.CONSENT_PENDING;
        }

        public String stateText() {
            return t.t("examinee.state." + state());
        }

        public String identityText() {
            return attempt.map(a -> t.t("examinee.identity." + a.identity().name())).orElse("");
        }

        public String verdictText() {
            return verdict.map(v -> t.t("examinee.verdict." + v.verdict().name())).orElse(t.t("examinee.verdict.none"));
        }

        public String window() {
            return t.t("examinee.window", t.dateTime(exam.opensAt()), t.dateTime(exam.closesAt()));
        }
    }

    public record ChecksPage(Messages t, ToolSession session, Exam exam, Attempt attempt, String csrf, String base) {
        public Exam.Checks checks() {
            return exam.requiredChecks();
        }

        public int triesLeft() {
            return Math.max(0, exam.identityTries() - attempt.identityTries());
        }

        public boolean identityNeeded() {
            return checks().idPhoto() || checks().faceMatch();
        }

        public boolean identityDone() {
            return attempt.identity() != Attempt.Identity.PENDING;
        }

        /** Texts the script shows (kk/ru/en), as {@code data-key} spans. */
        public Map<String, String> texts() {
            return ExamineeTexts.checks(t);
        }
    }

    public record MonitorPage(Messages t, ToolSession session, Exam exam, Attempt attempt, String csrf, String base,
                              Summary summary) {
        public boolean ended() {
            return attempt.state() == AttemptState.ENDED;
        }

        public Map<String, String> texts() {
            return ExamineeTexts.monitor(t);
        }
    }
}
