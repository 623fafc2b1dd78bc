package kz.qatysu.tool.proctoring.review;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import kz.qatysu.tool.admin.AdminSessions;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.deans.AdminAudit;
import kz.qatysu.tool.deans.AdminGate;
import kz.qatysu.tool.proctoring.attempts.Attempt;
import kz.qatysu.tool.proctoring.attempts.AttemptEvent;
import kz.qatysu.tool.proctoring.attempts.AttemptService;
import kz.qatysu.tool.proctoring.attempts.AttemptTrust;
import kz.qatysu.tool.proctoring.attempts.EventType;
import kz.qatysu.tool.proctoring.attempts.Verdict;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.proctoring.media.MediaKind;
import kz.qatysu.tool.proctoring.media.MediaRefused;
import kz.qatysu.tool.proctoring.media.MediaType;
import kz.qatysu.tool.proctoring.media.ProctoringMedia;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The reviewer's pages of an exam (issue 10, "Proctors and teachers"): the attempts with state, trust score and flag
 * counts (filter by flag), an attempt's timeline with its evidence (snapshots, the ID and live photos, the room scan,
 * the recording — every view goes through {@link ProctoringMedia} with the viewer as actor, so it is audited), the trust
 * score explained and the verdict form with the verdict history. The same pages serve a course's teachers
 * ({@code /app/{launch}/exams/{examId}/attempts…}) and the dean's office ({@code /admin/proctoring/exams/{examId}…});
 * {@link ProctorAccess} decides who may. And the dean's office's page of one person's data: export and deletion.
 */
public final class ReviewPages {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss"); // as every page shows times (issue 12 §1)

    private final ProctorAccess access;
    private final AttemptService attempts;
    private final AttemptList list;
    private final ProctoringMedia media;
    private final PersonData persons;
    private final AdminGate gate;
    private final AdminAudit audit;
    private final Pages pages;
    private final ZoneId zone;

    public ReviewPages(ProctorAccess access, AttemptService attempts, AttemptList list, ProctoringMedia media,
                       PersonData persons, AdminGate gate, AdminAudit audit, Pages pages, ZoneId zone) {
        this.access = access;
        this.attempts = attempts;
        this.list = list;
        this.media = media;
        this.persons = persons;
        this.gate = gate;
        this.audit = audit;
        this.pages = pages;
        this.zone = zone;
    }

    // ---- routes: the course's teachers -------------------------------------------------------------------------

    public void courseAttempts(Context ctx) {
        attemptsPage(ctx, access.course(ctx, ctx.pathParam("examId")));
    }

    public void courseAttempt(Context ctx) {
        attemptPage(ctx, access.course(ctx, ctx.pathParam("examId")), 200, null);
    }

    public void courseVerdict(Context ctx) {
        verdict(ctx, access.coursePost(ctx, ctx.pathParam("examId")));
    }

    public void courseMedia(Context ctx) {
        mediaOf(ctx, access.course(ctx, ctx.pathParam("examId")));
    }

    public void courseRecording(Context ctx) throws IOException {
        recording(ctx, access.course(ctx, ctx.pathParam("examId")));
    }

    // ---- routes: the dean's office (and assigned staff proctors, once staff sessions are wired) -------------------

    public void adminAttempts(Context ctx) {
        attemptsPage(ctx, access.admin(ctx, ctx.pathParam("examId")));
    }

    public void adminAttempt(Context ctx) {
        attemptPage(ctx, access.admin(ctx, ctx.pathParam("examId")), 200, null);
    }

    public void adminVerdict(Context ctx) {
        verdict(ctx, access.adminPost(ctx, ctx.pathParam("examId")));
    }

    public void adminMedia(Context ctx) {
        mediaOf(ctx, access.admin(ctx, ctx.pathParam("examId")));
    }

    public void adminRecording(Context ctx) throws IOException {
        recording(ctx, access.admin(ctx, ctx.pathParam("examId")));
    }

    // ---- the attempt list ----------------------------------------------------------------------------------------

    public record AttemptsPage(Messages t, Exam exam, String window, ProctorAccess.Viewer viewer, List<AttemptList.Row> rows,
                               List<EventType> flagTypes, String flag, Map<String, String> started) {
    }

    private void attemptsPage(Context ctx, ProctorAccess.Access a) {
        String flag = Optional.ofNullable(ctx.queryParam("flag")).orElse("").strip();
        List<EventType> flagTypes = Arrays.stream(EventType.values()).filter(t -> t.severity() != EventType.Severity.INFO).toList();
        if (!flag.isEmpty() && flagTypes.stream().noneMatch(t -> t.name().equals(flag))) {
            throw new BadRequestResponse("flag: one of " + flagTypes + " expected");
        }
        List<AttemptList.Row> rows = list.search(Optional.empty(), Optional.of(a.exam().id()), Optional.empty(), Optional.empty())
                .stream().filter(r -> flag.isEmpty() || r.flags().getOrDefault(flag, 0) > 0).toList();
        Map<String, String> started = new java.util.HashMap<>();
        rows.forEach(r -> started.put(r.attempt().id(), r.attempt().startedAt().map(this::time).orElse("—")));
        ctx.header("Cache-Control", "no-store");
        pages.html(ctx, "proctoring/review/attempts.jte", new AttemptsPage(a.viewer().t(), a.exam(), window(a.exam()),
                a.viewer(), rows, flagTypes, flag, started));
    }

    // ---- one attempt -----------------------------------------------------------------------------------------------

    /** A line of the timeline; {@code snapshotUrl} is the evidence's address when there is one (and it still exists). */
    public record Line(String at, EventType type, EventType.Severity severity, String detail, String snapshotUrl,
                       boolean evidenceDeleted) {
    }

    public record AttemptPage(Messages t, Exam exam, ProctorAccess.Viewer viewer, Attempt attempt, String url,
                              AttemptTrust trust, Optional<Verdict> verdict, List<Verdict> history, List<Line> timeline,
                              String idPhotoUrl, String livePhotoUrl, String roomScanUrl, boolean roomScanVideo,
                              String recordingUrl, boolean mediaDeleted, int snapshots, String error,
                              Map<String, String> times) {
    }

    private void attemptPage(Context ctx, ProctorAccess.Access a, int status, String error) {
        Attempt attempt = attemptOf(ctx, a);
        String url = a.viewer().attemptsBase() + "/" + attempt.id();
        Map<String, ProctoringMedia.StoredMedia> stored = new java.util.HashMap<>();
        Set<String> recordings = new HashSet<>();
        for (ProctoringMedia.StoredMedia m : media.ofPerson(attempt.personId())) {
            stored.put(m.key(), m);
            if (m.recordingId() != null) {
                recordings.add(m.recordingId());
            }
        }
        List<Line> timeline = attempts.repository().events(attempt.id()).stream().map(e -> line(e, url, stored)).toList();
        boolean deleted = attempt.idPhotoKey().or(attempt::livePhotoKey).or(attempt::roomScanKey)
                .filter(k -> !stored.containsKey(k)).isPresent()
                || attempt.recordingId().filter(r -> !recordings.contains(r)).isPresent();
        String roomScan = attempt.roomScanKey().filter(stored::containsKey).map(k -> mediaUrl(url, k)).orElse(null);
        boolean roomScanVideo = attempt.roomScanKey().map(stored::get).map(m -> m.type() == MediaType.WEBM).orElse(false);
        Map<String, String> times = new java.util.HashMap<>();
        attempt.startedAt().ifPresent(t -> times.put("started", time(t)));
        attempt.endedAt().ifPresent(t -> times.put("ended", time(t)));
        times.put("created", time(attempt.createdAt()));
        List<Verdict> history = attempts.repository().verdictHistory(attempt.id());
        for (int i = 0; i < history.size(); i++) {
            times.put("history." + i, time(history.get(i).decidedAt()));
        }
        ctx.header("Cache-Control", "no-store");
        pages.html(ctx, status, "proctoring/review/attempt.jte", new AttemptPage(a.viewer().t(), a.exam(), a.viewer(), attempt, url,
                attempts.trust(attempt.id()), attempts.repository().verdict(attempt.id()), history, timeline,
                attempt.idPhotoKey().filter(stored::containsKey).map(k -> mediaUrl(url, k)).orElse(null),
                attempt.livePhotoKey().filter(stored::containsKey).map(k -> mediaUrl(url, k)).orElse(null),
                roomScan, roomScanVideo,
                attempt.recordingId().filter(recordings::contains).map(r -> url + "/recording").orElse(null),
                deleted, attempts.repository().snapshots(attempt.id()).size(), error, times));
    }

    private Line line(AttemptEvent e, String url, Map<String, ProctoringMedia.StoredMedia> stored) {
        String snapshot = e.snapshotKey().filter(stored::containsKey).map(k -> mediaUrl(url, k)).orElse(null);
        return new Line(time(e.at()), e.type(), e.severity(), e.detail(), snapshot,
                e.snapshotKey().isPresent() && snapshot == null);
    }

    private void verdict(Context ctx, ProctorAccess.Access a) {
        Attempt attempt = attemptOf(ctx, a);
        Messages t = a.viewer().t();
        Verdict.Outcome outcome;
        try {
            outcome = PersonData.outcome(ctx.formParam("verdict"));
        } catch (ApiException e) {
            attemptPage(ctx, a, 400, t.t("proctoring.review.verdict.error.verdict"));
            return;
        }
        String comment = Optional.ofNullable(ctx.formParam("comment")).orElse("");
        Verdict v;
        try {
            v = attempts.decide(attempt.id(), outcome, comment, a.viewer().actor());
        } catch (ApiException e) {
            String field = e.details().isEmpty() ? "state" : e.details().getFirst().path();
            String key = switch (field) {
                case "verdict" -> "proctoring.review.verdict.error.verdict";
                case "comment" -> comment.strip().length() > 2000 ? "proctoring.review.verdict.error.commentLong"
                        : "proctoring.review.verdict.error.comment";
                default -> "proctoring.review.verdict.error.state";
            };
            if (e.status() == 404) {
                throw new NotFoundResponse(e.getMessage());
            }
            attemptPage(ctx, a, e.status(), t.t(key));
            return;
        }
        audit.record(a.viewer().actor(), "proctoring.review.verdict", "proctoring_attempt/" + attempt.id(),
                Map.of("verdict", v.verdict().name(), "comment", v.comment()));
        ctx.redirect(a.viewer().attemptsBase() + "/" + attempt.id() + "#verdict", HttpStatus.SEE_OTHER);
    }

    // ---- evidence ------------------------------------------------------------------------------------------------

    private void mediaOf(Context ctx, ProctorAccess.Access a) {
        Attempt attempt = attemptOf(ctx, a);
        // media keys are "<kind>/<uuid>": two path segments
        String key = ctx.pathParam("kind") + "/" + ctx.pathParam("id");
        if (!evidenceKeys(attempt).contains(key)) {
            throw new NotFoundResponse("no such evidence of this attempt");
        }
        ProctoringMedia.Opened o;
        try {
            o = media.open(key, a.viewer().actor(), ProctoringMedia.Access.VIEW);
        } catch (MediaRefused e) {
            throw new HttpResponseException(e.status(), e.getMessage(), Map.of());
        }
        kz.qatysu.tool.proctoring.media.MediaHttp.serve(ctx, o);
    }

    /** The recording, remuxed to be seekable (docs/PROCTORING.md, "Playback of recordings"), with byte ranges; audited. */
    private void recording(Context ctx, ProctorAccess.Access a) throws IOException {
        Attempt attempt = attemptOf(ctx, a);
        String recording = attempt.recordingId().orElseThrow(() -> new NotFoundResponse("this attempt has no recording"));
        kz.qatysu.tool.proctoring.media.RecordingPlayback.Playback p;
        try {
            p = media.playback().open(recording, a.viewer().actor(), ProctoringMedia.Access.VIEW);
        } catch (MediaRefused e) {
            throw new HttpResponseException(e.status(), e.getMessage(), Map.of());
        }
        kz.qatysu.tool.proctoring.media.MediaHttp.serve(ctx, p);
    }

    /** The media keys that are this attempt's evidence: its photos, room scan, snapshots and the events' snapshots. */
    private Set<String> evidenceKeys(Attempt attempt) {
        Set<String> keys = new HashSet<>();
        attempt.idPhotoKey().ifPresent(keys::add);
        attempt.livePhotoKey().ifPresent(keys::add);
        attempt.roomScanKey().ifPresent(keys::add);
        attempts.repository().snapshots(attempt.id()).forEach(s -> keys.add(s.key()));
        attempts.repository().events(attempt.id()).forEach(e -> e.snapshotKey().ifPresent(keys::add));
        return keys;
    }

    private Attempt attemptOf(Context ctx, ProctorAccess.Access a) {
        String id = ctx.pathParam("attemptId");
        return attempts.repository().find(id).filter(x -> x.examId().equals(a.exam().id()))
                .orElseThrow(() -> new NotFoundResponse("no attempt " + id + " of this exam"));
    }

    // ---- a person's data (the dean's office) -----------------------------------------------------------------------

    public record PersonPage(Messages t, String csrf, PersonData.Summary summary, List<MediaKind> kinds,
                             Map<String, String> times, String error, String notice) {
    }

    public void person(Context ctx) {
        // a person's proctoring data spans exams of every faculty: a token sign-in or an every-faculty dean's office
        AdminSessions.AdminSession s = gate.everyFaculty(ctx);
        String deleted = ctx.queryParam("deleted");
        Messages t = gate.messages(ctx);
        personPage(ctx, s, 200, null, deleted != null && deleted.matches("\\d{1,9}") ? t.t("proctoring.review.person.deleted", deleted) : null);
    }

    public void exportPerson(Context ctx) throws IOException {
        AdminSessions.AdminSession s = gate.everyFaculty(ctx);
        String personId = person(ctx.pathParam("personId"));
        ctx.header("Cache-Control", "no-store");
        ctx.header("Content-Disposition", "attachment; filename=\"proctoring-" + ReviewApi.fileSafe(personId) + ".zip\"");
        ctx.contentType("application/zip");
        OutputStream out = ctx.outputStream();
        persons.export(personId, AdminGate.actor(s), out);
        out.flush();
    }

    public void deletePerson(Context ctx) {
        AdminSessions.AdminSession s = gate.everyFacultyPost(ctx);
        String personId = person(ctx.pathParam("personId"));
        String confirm = Optional.ofNullable(ctx.formParam("confirm")).orElse("").strip();
        if (!confirm.equals(personId)) {
            personPage(ctx, s, 400, gate.messages(ctx).t("proctoring.review.person.confirmMismatch"), null);
            return;
        }
        int n = persons.deleteMedia(personId, AdminGate.actor(s));
        ctx.redirect("/admin/proctoring/persons/" + encode(personId) + "?deleted=" + n, HttpStatus.SEE_OTHER);
    }

    private void personPage(Context ctx, AdminSessions.AdminSession s, int status, String error, String notice) {
        String personId = person(ctx.pathParam("personId"));
        PersonData.Summary summary = persons.summary(personId);
        Map<String, String> times = new java.util.HashMap<>();
        summary.attempts().forEach(a -> times.put(a.id(), time(a.startedAt().orElse(a.createdAt()))));
        ctx.header("Cache-Control", "no-store");
        pages.html(ctx, status, "proctoring/review/person.jte", new PersonPage(gate.messages(ctx), gate.csrf(s), summary,
                List.of(MediaKind.values()), times, error, notice));
    }

    private static String person(String personId) {
        try {
            return PersonData.checkPerson(personId);
        } catch (ApiException e) {
            throw new BadRequestResponse("personId: " + e.details().getFirst().problem());
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private String mediaUrl(String attemptUrl, String key) {
        return attemptUrl + "/media/" + key;
    }

    String time(Instant at) {
        return TIME.format(at.atZone(zone));
    }

    String window(Exam e) {
        return time(e.opensAt()) + " – " + time(e.closesAt()) + " (" + zone.getId() + ")";
    }

    static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
