package kz.qatysu.tool.attendance.evidence;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UploadedFile;
import kz.qatysu.connectors.http.HttpFailure;
import kz.qatysu.connectors.videoconf.CallbackRejected;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.sessions.ClassSession;
import kz.qatysu.tool.attendance.sessions.ClassSessionRepository.Located;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.course.PersonDirectory;
import kz.qatysu.tool.home.CourseContext;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.web.FormInput;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Online evidence pages under {@code /app/{launch}/sessions/{sessionId}/evidence} (the section's teachers only, the
 * launch's own section only: another section's session is 404, students and guests 403, every POST CSRF-checked) and
 * BigBlueButton's learning-analytics callback {@code POST /api/v1/videoconf/bbb/analytics} (authenticated by its HS512
 * bearer token, not by a session).
 */
public final class EvidenceHandler {
    private static final Logger log = LoggerFactory.getLogger(EvidenceHandler.class);
    /** What a multipart form adds around the file, at most. */
    private static final int FORM_OVERHEAD = 64 * 1024;
    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm");

    private final EvidenceService evidence;
    private final Sessions sessions;
    private final PersonDirectory people;
    private final Pages pages;
    private final URI callbackUrl;
    private final int csvMaxBytes;
    private final Clock clock;

    public EvidenceHandler(EvidenceService evidence, Sessions sessions, PersonDirectory people, Pages pages, URI publicUrl,
                           int csvMaxBytes, Clock clock) {
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.people = Objects.requireNonNull(people, "people");
        this.pages = Objects.requireNonNull(pages, "pages");
        this.callbackUrl = publicUrl.resolve("/api/v1/videoconf/bbb/analytics");
        this.csvMaxBytes = csvMaxBytes;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ---- teacher pages -----------------------------------------------------------------------------------

    /** {@code GET …/sessions/{sessionId}/evidence}. */
    public void page(Context ctx) {
        ToolSession s = CourseContext.requireTeacher(ctx, sessions);
        Located located = ownSession(ctx, s);
        render(ctx, 200, s, located, List.of(), noticeOf(ctx, s.messages()), null, null);
    }

    /**
     * {@code POST …/evidence/meeting}: {@code platform} bbb|zoom, {@code meetingId} (empty = unlink), {@code allSessions}
     * (present = also every session of the section that has no meeting yet).
     */
    public void linkMeeting(Context ctx) {
        ToolSession s = CourseContext.requireTeacher(ctx, sessions);
        sessions.checkCsrf(ctx);
        Located located = ownSession(ctx, s);
        EvidenceService.MeetingInput input = EvidenceService.normalise(field(ctx, "platform"), field(ctx, "meetingId"));
        if (input.problemKey() != null) {
            render(ctx, 422, s, located, List.of(s.messages().t(input.problemKey())), null, input.platform(), input.meetingId());
            return;
        }
        int attached = evidence.link(located, input, ctx.formParam("allSessions") != null, actor(s));
        redirect(ctx, s, located, input.meetingId().isEmpty() ? "unlinked" : "linked", attached);
    }

    /** {@code POST …/evidence/zoom}: fetches the linked meeting's participants report. */
    public void importZoom(Context ctx) {
        ToolSession s = CourseContext.requireTeacher(ctx, sessions);
        sessions.checkCsrf(ctx);
        Located located = ownSession(ctx, s);
        Messages t = s.messages();
        EvidenceService.Imported result;
        try {
            result = evidence.importZoom(located, actor(s));
        } catch (HttpFailure e) {
            log.warn("Zoom import for session {} failed: {}", located.session().sessionId(), e.getMessage());
            render(ctx, 502, s, located, List.of(t.t("evidence.error.zoomFailed", e.getMessage())), null, null, null);
            return;
        }
        if (result.problem() != null) {
            render(ctx, 422, s, located, List.of(t.t(result.problem(), result.detail() == null ? "" : result.detail())), null, null, null);
            return;
        }
        redirect(ctx, s, located, "imported", result.rows());
    }

    /** {@code POST …/evidence/csv} (multipart, field {@code file}). */
    public void uploadCsv(Context ctx) {
        ToolSession s = CourseContext.requireTeacher(ctx, sessions);
        Messages t = s.messages();
        Located located = ownSession(ctx, s);
        if (ctx.contentLength() > csvMaxBytes + FORM_OVERHEAD) {
            render(ctx, 413, s, located, List.of(t.t("evidence.error.csvTooLarge", csvMaxBytes / 1024)), null, null, null);
            return;
        }
        if (!FormInput.readMultipart(ctx)) {
            render(ctx, 413, s, located, List.of(t.t("evidence.error.csvTooLarge", csvMaxBytes / 1024)), null, null, null);
            return;
        }
        UploadedFile file = ctx.uploadedFile("file");
        sessions.checkCsrf(ctx);
        FormInput.requireStorable(ctx);
        if (file == null || file.size() == 0) {
            render(ctx, 422, s, located, List.of(t.t("evidence.error.csvMissing")), null, null, null);
            return;
        }
        byte[] bytes;
        try (InputStream in = file.content()) {
            bytes = in.readNBytes(csvMaxBytes + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length > csvMaxBytes) {
            render(ctx, 413, s, located, List.of(t.t("evidence.error.csvTooLarge", csvMaxBytes / 1024)), null, null, null);
            return;
        }
        EvidenceService.Imported result = evidence.importCsv(located, text(bytes), file.filename(), actor(s));
        if (result.problem() != null) {
            // the CSV's problem in the teacher's language, times in the institution's zone like every page
            String detail = result.csv() == null ? result.detail()
                    : ParticipantCsv.describe(t, result.csv(), Messages.zone());
            render(ctx, 422, s, located, List.of(t.t(result.problem(), detail)), null, null, null);
            return;
        }
        redirect(ctx, s, located, "imported", result.rows());
    }

    /**
     * {@code POST …/evidence/take}: fields {@code version} (the evidence the page showed), per row i {@code p.i} person
     * id, {@code was.i} the mark shown, {@code take.i} present when ticked.
     */
    public void take(Context ctx) {
        ToolSession s = CourseContext.requireTeacher(ctx, sessions);
        sessions.checkCsrf(ctx);
        Located located = ownSession(ctx, s);
        Messages t = s.messages();
        Map<String, String> ticked = new LinkedHashMap<>();
        for (int i = 0; ctx.formParam("p." + i) != null && i < 2000; i++) {
            if (ctx.formParam("take." + i) != null) {
                ticked.put(ctx.formParam("p." + i), Optional.ofNullable(ctx.formParam("was." + i)).orElse(""));
            }
        }
        if (ticked.isEmpty()) {
            render(ctx, 422, s, located, List.of(t.t("evidence.error.nothingTicked")), null, null, null);
            return;
        }
        ClassSession cs = located.session();
        EvidenceService.Taken taken;
        try {
            taken = evidence.take(located, ticked, Optional.ofNullable(ctx.formParam("version")).orElse(""),
                    new ChangeSource("lti:" + CourseScope.personId(s), clock.instant(),
                            "online evidence: proposals taken for session " + cs.sessionId()));
        } catch (kz.qatysu.tool.api.ApiException e) {
            if (e.status() != 400) {
                throw e;
            }
            List<String> errors = new ArrayList<>();
            e.details().forEach(d -> errors.add(d.problem()));
            render(ctx, 422, s, located, errors, null, null, null);
            return;
        }
        if (taken.stale()) {
            render(ctx, 409, s, located, List.of(t.t("evidence.error.stale")), null, null, null);
            return;
        }
        if (!taken.changed().isEmpty()) {
            Map<String, String> names = people.names(taken.changed());
            render(ctx, 409, s, located, List.of(t.t("evidence.error.changedMeanwhile", taken.saved(),
                    String.join(", ", taken.changed().stream().map(p -> names.getOrDefault(p, p)).toList()))), null, null, null);
            return;
        }
        redirect(ctx, s, located, "taken", taken.saved());
    }

    // ---- BigBlueButton's analytics callback -------------------------------------------------------------

    /**
     * {@code POST /api/v1/videoconf/bbb/analytics}: 404 when no BBB secret is configured, 401 on a bad/expired token,
     * 400 on a body that cannot be read (nothing stored in both cases), else 202 — also for a meeting no session is
     * linked to yet, which is kept (BBB sends the callback once and never retries).
     */
    public void bbbAnalytics(Context ctx) {
        if (!evidence.bbbConfigured()) {
            ctx.status(404).json(Map.of("error", "not_found", "message", "BigBlueButton evidence is not configured (videoconf.bbb.secret)"));
            return;
        }
        try {
            EvidenceService.Received r = evidence.receiveBbbAnalytics(ctx.header("Authorization"), ctx.body());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("meetingId", r.meetingId());
            out.put("matched", r.sessionId() != null);
            out.put("attendees", r.attendees());
            out.put("intervals", r.intervals());
            ctx.status(202).json(out);
        } catch (CallbackRejected e) {
            boolean auth = e.reason() == CallbackRejected.Reason.UNAUTHENTICATED;
            log.warn("BBB analytics callback rejected ({}): {}", e.reason(), e.getMessage());
            ctx.status(auth ? 401 : 400).json(Map.of("error", auth ? "unauthorized" : "malformed", "message", e.getMessage()));
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private void render(Context ctx, int status, ToolSession s, Located located, List<String> errors, String notice,
                        String typedPlatform, String typedMeeting) {
        Messages t = s.messages();
        ClassSession cs = located.session();
        EvidenceService.Report report = evidence.report(located);
        ZoneId zone = Messages.zone(); // the institution's (ui.timeZone), not the offset the timetable was sent in
        Map<String, String> names = people.names(report.students().stream().map(EvidenceService.StudentEvidence::personId).toList());
        List<EvidenceViews.Row> rows = new ArrayList<>();
        for (EvidenceService.StudentEvidence e : report.students()) {
            ProposedMark p = e.proposal();
            boolean checked = e.agreement() == EvidenceService.Agreement.UNMARKED && !e.uncertain();
            rows.add(new EvidenceViews.Row(rows.size(), e.personId(), names.getOrDefault(e.personId(), e.personId()),
                    p.status().name(), p.lateMinutes(), p.minutesPresent().stripTrailingZeros().toPlainString(),
                    p.firstJoin() == null ? "" : p.firstJoin().atZone(zone).format(HM), e.how() == null ? "" : e.how().name(),
                    e.current() == null ? "" : e.current().status().name(), e.current() == null ? null : e.current().lateMinutes(),
                    e.agreement().name(), EvidenceService.shown(e.current()), checked, p.explanation()));
        }
        rows.sort(java.util.Comparator.comparing(EvidenceViews.Row::name).thenComparing(EvidenceViews.Row::personId));
        List<EvidenceViews.Row> indexed = new ArrayList<>();
        for (EvidenceViews.Row r : rows) {
            indexed.add(new EvidenceViews.Row(indexed.size(), r.personId(), r.name(), r.proposed(), r.lateMinutes(), r.minutes(),
                    r.firstJoin(), r.how(), r.current(), r.currentLate(), r.agreement(), r.shown(), r.checked(), r.explanation()));
        }
        List<EvidenceViews.StrangerRow> strangers = report.strangers().stream().map(x -> new EvidenceViews.StrangerRow(
                x.key() == null ? "" : x.key(), x.name() == null ? "" : x.name(), x.minutes().stripTrailingZeros().toPlainString(),
                x.reason())).toList();
        List<EvidenceViews.ImportRow> imports = report.imports().stream().map(i -> new EvidenceViews.ImportRow(i.source(),
                t.dateTime(i.receivedAt()), i.receivedBy(), i.rows(), note(t, i.note()))).toList();
        String platform = typedPlatform != null ? typedPlatform : report.meeting().map(EvidenceRepository.Meeting::platform)
                .orElse(evidence.zoomConfigured() && !evidence.bbbConfigured() ? "zoom" : "bbb");
        String meetingId = typedMeeting != null ? typedMeeting : report.meeting().map(EvidenceRepository.Meeting::meetingId).orElse("");
        Locale locale = Locale.forLanguageTag(t.language());
        String heading = cs.start().atZoneSameInstant(zone).format(DateTimeFormatter.ofPattern("EEE, dd.MM.yyyy", locale)) + " · "
                + cs.start().atZoneSameInstant(zone).format(HM) + "–" + cs.end().atZoneSameInstant(zone).format(HM);
        EvidencePolicy policy = evidence.policy();
        pages.html(ctx, status, "attendance/evidence/session.jte", new EvidenceViews.EvidencePage(t, s, base(s),
                sessions.csrfToken(ctx), base(s) + "/sessions/" + seg(cs.sessionId()), heading, platform, meetingId,
                evidence.bbbConfigured(), evidence.zoomConfigured(), callbackUrl.toString(),
                policy.minimumShare().movePointRight(2).stripTrailingZeros().toPlainString(), policy.grace().toMinutes(),
                report.version(), indexed, strangers, imports, errors, notice));
    }

    private static final java.util.regex.Pattern WAITING_ROOM = java.util.regex.Pattern.compile("(\\d+) waiting-room rows left out$");

    /**
     * A delivery's stored note (the file's name, then "N waiting-room rows left out" when some were) in the reader's
     * language; "" for none.
     */
    static String note(Messages t, String stored) {
        if (stored == null) {
            return "";
        }
        java.util.regex.Matcher m = WAITING_ROOM.matcher(stored);
        return m.find() ? stored.substring(0, m.start()) + t.t("evidence.import.waitingRoom", Integer.parseInt(m.group(1))) : stored;
    }

    private void redirect(Context ctx, ToolSession s, Located located, String what, int n) {
        ctx.redirect(evidenceUrl(base(s), located) + "?done=" + what + "&n=" + n, HttpStatus.SEE_OTHER);
    }

    private static String noticeOf(Context ctx, Messages t) {
        String done = ctx.queryParam("done");
        String n = Optional.ofNullable(ctx.queryParam("n")).orElse("0");
        if (done == null || !done.matches("linked|unlinked|imported|taken") || !n.matches("\\d{1,6}")) {
            return null;
        }
        return t.t("evidence.notice." + done, Integer.parseInt(n));
    }

    /** The path's session when it belongs to the launch's section; 404 otherwise (another section's ids included). */
    private Located ownSession(Context ctx, ToolSession s) {
        return evidence.session(CourseScope.sectionId(s), ctx.pathParam("sessionId"))
                .orElseThrow(() -> new NotFoundResponse("No such session in this course."));
    }

    /** UTF-8 (with or without BOM) as Zoom exports; a file Excel re-saved in Windows-1251 is read as that. */
    static String text(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, Charset.forName("windows-1251"));
        }
    }

    private static String actor(ToolSession s) {
        return "lti:" + CourseScope.personId(s);
    }

    private static String field(Context ctx, String name) {
        return Optional.ofNullable(ctx.formParam(name)).orElse("").strip();
    }

    private static String base(ToolSession s) {
        return s.pagesBase();
    }

    private static String evidenceUrl(String base, Located located) {
        return base + "/sessions/" + seg(located.session().sessionId()) + "/evidence";
    }

    private static String seg(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
