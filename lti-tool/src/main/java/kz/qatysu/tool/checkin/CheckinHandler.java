package kz.qatysu.tool.checkin;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.NotFoundResponse;
import kz.qatysu.tool.attendance.rules.Mark;
import kz.qatysu.tool.attendance.sessions.ClassSession;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.home.CourseContext;
import kz.qatysu.tool.lti.ToolRole;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.util.Cookies;
import kz.qatysu.tool.util.Tokens;
import kz.qatysu.tool.web.ClientAddress;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Check-in pages. Teachers: the section's sessions, a session's check-in (open with options, close, attempts,
 * roll calls) and the projector page with the rotating code and its QR code. Students: the code form. A scanned
 * QR code lands on {@code /checkin/scan}, which finds this browser's own student session.
 */
public final class CheckinHandler {
    static final String DEVICE_COOKIE = "qatysu_device";
    private static final Duration DEVICE_LIFETIME = Duration.ofDays(400);

    private final CheckinService checkins;
    private final RollCallService rollCalls;
    private final Sessions sessions;
    private final Pages pages;
    private final URI publicUrl;
    private final boolean secureCookies;
    private final ClientAddress clientAddress;
    private final kz.qatysu.tool.course.PersonDirectory people;

    public CheckinHandler(CheckinService checkins, RollCallService rollCalls, Sessions sessions, Pages pages, URI publicUrl,
                          boolean secureCookies, ClientAddress clientAddress, kz.qatysu.tool.course.PersonDirectory people) {
        this.people = Objects.requireNonNull(people, "people");
        this.checkins = Objects.requireNonNull(checkins, "checkins");
        this.rollCalls = Objects.requireNonNull(rollCalls, "rollCalls");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.pages = Objects.requireNonNull(pages, "pages");
        this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl");
        this.secureCookies = secureCookies;
        this.clientAddress = Objects.requireNonNull(clientAddress, "clientAddress");
    }

    /** The names of {@code personIds} the tool knows (for the roll-call results). */
    Map<String, String> names(List<String> personIds) {
        return people.names(personIds);
    }

    /** The student's address as the IP-range rule sees it (through trusted proxies: {@code http.trustedProxies}). */
    String clientAddress(Context ctx) {
        return clientAddress.of(ctx);
    }

    /** The URL of the check-in page of a launch (teachers: sessions; students: the code form). */
    public static String url(String launchKey) {
        return "/app/" + launchKey + "/checkin";
    }

    /** The URL of a teacher's check-in page for one session. */
    public static String sessionUrl(String launchKey, String sessionId) {
        return url(launchKey) + "/" + seg(sessionId);
    }

    // ---- both roles

    public void index(Context ctx) {
        ToolSession s = CourseContext.require(ctx, sessions);
        if (isTeacher(s)) {
            String section = CourseScope.sectionId(s);
            pages.html(ctx, "checkin/sessions.jte", new SessionsPage(s.messages(), base(s), checkins.timetable(section), checkins.now()));
            return;
        }
        deviceId(ctx);
        String code = Optional.ofNullable(ctx.queryParam("code")).orElse("");
        pages.html(ctx, "checkin/student.jte", studentPage(ctx, s, code, ctx.queryParam("checkin"), null, null));
    }

    // ---- teacher

    public void session(Context ctx) {
        ToolSession s = teacher(ctx);
        ClassSession cs = ownSession(ctx, s);
        Optional<Checkin> open = checkins.openOf(cs.sessionId());
        List<Attempt> attempts = checkins.ofSession(cs.sessionId()).stream().findFirst()
                .map(c -> checkins.attempts(c.id())).orElse(List.of());
        List<RollCallAbsences.Proposed> proposed = rollCalls.proposedAbsences(CourseScope.sectionId(s), cs);
        List<String> shown = java.util.stream.Stream.concat(attempts.stream().map(Attempt::personId),
                proposed.stream().map(RollCallAbsences.Proposed::personId)).distinct().toList();
        pages.html(ctx, "checkin/session.jte", new SessionPage(s.messages(), base(s), sessions.csrfToken(ctx), cs,
                open.orElse(null), attempts, rollCalls.ofSession(cs.sessionId()), checkins.now(), people.names(shown),
                proposed, takenNotice(ctx, s.messages())));
    }

    /** What the last take of roll-call absences did ({@code ?taken=n&changed=m}), or null. */
    private static String takenNotice(Context ctx, Messages t) {
        String taken = ctx.queryParam("taken");
        if (taken == null || !taken.matches("\\d{1,5}")) {
            return null;
        }
        String changed = ctx.queryParam("changed");
        String notice = t.t("rollcall.absences.taken", Integer.parseInt(taken));
        return changed != null && changed.matches("\\d{1,5}")
                ? notice + " " + t.t("rollcall.absences.changedMeanwhile", Integer.parseInt(changed)) : notice;
    }

    public void open(Context ctx) {
        ToolSession s = teacher(ctx);
        sessions.checkCsrf(ctx);
        ClassSession cs = ownSession(ctx, s);
        if (cs.cancelled()) {
            throw new BadRequestResponse(s.messages().t("checkin.refused.SESSION_CANCELLED"));
        }
        CheckinOptions o;
        try {
            ZoneId zone = Messages.zone();
            o = new CheckinOptions(intParam(ctx, "stepSeconds", CheckinOptions.DEFAULT_STEP_SECONDS),
                    time(ctx.formParam("windowStart"), cs, zone), time(ctx.formParam("windowEnd"), cs, zone),
                    IpRanges.parse(ctx.formParam("ipRanges")), checkbox(ctx.formParam("oneDevice")),
                    intParam(ctx, "graceMinutes", CheckinOptions.DEFAULT_GRACE_MINUTES));
            checkins.open(CourseScope.sectionId(s), cs, o, CourseScope.personId(s));
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse(s.messages().t("checkin.badOptions", e.getMessage()));
        }
        ctx.redirect(sessionUrl(s.launchKey(), cs.sessionId()) + "/projector", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    public void close(Context ctx) {
        ToolSession s = teacher(ctx);
        sessions.checkCsrf(ctx);
        ClassSession cs = ownSession(ctx, s);
        checkins.close(cs.sessionId(), CourseScope.personId(s));
        ctx.redirect(sessionUrl(s.launchKey(), cs.sessionId()), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    public void projector(Context ctx) {
        ToolSession s = teacher(ctx);
        ClassSession cs = ownSession(ctx, s);
        Optional<Checkin> open = checkins.openOf(cs.sessionId());
        if (open.isEmpty()) {
            ctx.redirect(sessionUrl(s.launchKey(), cs.sessionId()), io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        Checkin c = open.get();
        Instant now = checkins.now();
        String code = c.code().codeAt(now);
        String scan = scanUrl(c, code);
        ctx.header("Cache-Control", "no-store");
        pages.html(ctx, "checkin/projector.jte", new ProjectorPage(s.messages(), base(s), sessions.csrfToken(ctx), cs, c,
                code, c.code().secondsLeft(now), QrSvg.of(scan), scan, accepted(c)));
    }

    public void codeJson(Context ctx) {
        ToolSession s = teacher(ctx);
        ClassSession cs = ownSession(ctx, s);
        Map<String, Object> body = new LinkedHashMap<>();
        Optional<Checkin> open = checkins.openOf(cs.sessionId());
        body.put("open", open.isPresent());
        open.ifPresent(c -> {
            Instant now = checkins.now();
            String code = c.code().codeAt(now);
            body.put("code", code);
            body.put("secondsLeft", c.code().secondsLeft(now));
            body.put("stepSeconds", c.stepSeconds());
            body.put("scanUrl", scanUrl(c, code));
            body.put("qrSvg", QrSvg.of(scanUrl(c, code)));
            body.put("checkedIn", accepted(c));
        });
        ctx.header("Cache-Control", "no-store").json(body);
    }

    // ---- student

    public void submit(Context ctx) {
        ToolSession s = CourseContext.require(ctx, sessions);
        sessions.checkCsrf(ctx);
        String device = deviceId(ctx);
        Long checkinId = parseId(ctx.formParam("checkin"));
        String code = Optional.ofNullable(ctx.formParam("code")).orElse("");
        CheckinService.Outcome outcome = checkins.attempt(CourseScope.sectionId(s), CourseScope.personId(s),
                s.role() == ToolRole.STUDENT, checkinId, code, clientAddress.of(ctx), Tokens.sha256Hex(device), ctx.userAgent());
        Messages t = s.messages();
        String message = outcome.accepted() ? accepted(t, outcome) : t.t(outcome.refusal().messageKey());
        pages.html(ctx, outcome.accepted() ? 200 : 422, "checkin/student.jte",
                studentPage(ctx, s, outcome.accepted() ? "" : code, checkinId == null ? null : checkinId.toString(), message, outcome.accepted()));
    }

    /** The QR code's target: no launch in the URL, so the browser's own student session is looked up by its cookies. */
    public void scan(Context ctx) {
        Long checkinId = parseId(ctx.queryParam("c"));
        String code = Optional.ofNullable(ctx.queryParam("code")).orElse("").replaceAll("[^0-9]", "");
        Optional<Checkin> c = checkinId == null ? Optional.empty() : checkins.find(checkinId);
        if (c.isPresent()) {
            Optional<ToolSession> own = sessions.findAll(ctx).stream()
                    .filter(x -> CourseScope.sectionId(x).equals(c.get().sectionId()))
                    .filter(x -> x.role() == ToolRole.STUDENT).findFirst();
            if (own.isPresent()) {
                ctx.redirect(url(own.get().launchKey()) + "?checkin=" + checkinId + "&code=" + code, io.javalin.http.HttpStatus.SEE_OTHER);
                return;
            }
        }
        Messages t = Messages.forLocale(ctx.header("Accept-Language"), Messages.EN);
        ctx.header("Cache-Control", "no-store");
        pages.html(ctx, "checkin/scan.jte", new ScanPage(t, code));
    }

    // ---- helpers

    private StudentPage studentPage(Context ctx, ToolSession s, String code, String checkinId, String message, Boolean ok) {
        Optional<RollCall> rc = rollCalls.running(CourseScope.sectionId(s), CourseScope.personId(s));
        boolean confirmed = rc.map(r -> rollCalls.confirmed(r.id(), CourseScope.personId(s))).orElse(false);
        return new StudentPage(s.messages(), base(s), sessions.csrfToken(ctx), s.role() == ToolRole.STUDENT,
                code.replaceAll("[^0-9]", ""), checkinId == null ? "" : checkinId.replaceAll("[^0-9]", ""), message, ok,
                rc.orElse(null), confirmed, rc.map(r -> (int) Duration.between(rollCalls.now(), r.deadline()).toSeconds()).orElse(0));
    }

    private static String accepted(Messages t, CheckinService.Outcome o) {
        Mark m = o.mark();
        String base = o.alreadyCheckedIn() ? t.t("checkin.already") : t.t("checkin.accepted");
        if (m == null) {
            return base;
        }
        return base + " " + switch (m.status()) {
            case LATE -> t.t("checkin.markedLate", m.lateMinutes());
            case PRESENT -> t.t("checkin.markedPresent");
            case EXCUSED -> t.t("checkin.markedExcused");
            case ABSENT -> "";
        };
    }

    private int accepted(Checkin c) {
        return (int) checkins.attempts(c.id()).stream().filter(Attempt::accepted).count();
    }

    private String scanUrl(Checkin c, String code) {
        return publicUrl.resolve("/checkin/scan").toString() + "?c=" + c.id() + "&code=" + code;
    }

    /** The browser's device id for the one-device guard: a long-lived random cookie, set on first sight. */
    private String deviceId(Context ctx) {
        String d = ctx.cookie(DEVICE_COOKIE);
        if (d == null || !d.matches("[A-Za-z0-9_-]{20,100}")) {
            d = Tokens.random(24);
            ctx.res().addHeader("Set-Cookie", Cookies.crossSite(DEVICE_COOKIE, d, "/", DEVICE_LIFETIME, secureCookies));
        }
        return d;
    }

    static boolean isTeacher(ToolSession s) {
        return s.role() == ToolRole.TEACHER || s.role() == ToolRole.ADMIN;
    }

    ToolSession teacher(Context ctx) {
        ToolSession s = CourseContext.require(ctx, sessions);
        if (!isTeacher(s)) {
            throw new ForbiddenResponse(s.messages().t("checkin.teachersOnly"));
        }
        return s;
    }

    ClassSession ownSession(Context ctx, ToolSession s) {
        String id = ctx.pathParam("sessionId");
        return checkins.sessionOf(CourseScope.sectionId(s), id)
                .orElseThrow(() -> new NotFoundResponse(s.messages().t("checkin.noSession", id)));
    }

    private static final java.time.format.DateTimeFormatter HM = java.time.format.DateTimeFormatter.ofPattern("HH:mm");
    private static final java.time.format.DateTimeFormatter HMS = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss");

    /** A time of day in the institution's zone ({@code ui.timeZone}): 08:00. */
    static String hm(Instant at) {
        return HM.format(at.atZone(Messages.zone()));
    }

    /** A time of day in the institution's zone, to the second (check-ins and roll calls): 08:03:17. */
    static String hms(Instant at) {
        return HMS.format(at.atZone(Messages.zone()));
    }

    static String base(ToolSession s) {
        return s.pagesBase();
    }

    static String seg(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Long parseId(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int intParam(Context ctx, String name, int dflt) {
        String raw = ctx.formParam(name);
        if (raw == null || raw.isBlank()) {
            return dflt;
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + raw + "'");
        }
    }

    private static boolean checkbox(String raw) {
        return raw != null && (raw.equals("on") || raw.equals("true") || raw.equals("1"));
    }

    /**
     * A window bound: ISO with offset, a datetime-local value or just HH:mm on the session's day, in the institution's
     * zone ({@code ui.timeZone}, the zone the pages show times in).
     */
    static Instant time(String raw, ClassSession cs, ZoneId zone) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String v = raw.trim();
        try {
            if (v.length() <= 5) {
                return LocalTime.parse(v).atDate(cs.start().atZoneSameInstant(zone).toLocalDate()).atZone(zone).toInstant();
            }
            if (v.endsWith("Z") || v.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return OffsetDateTime.parse(v).toInstant();
            }
            return LocalDateTime.parse(v).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + v + "' is not a time (HH:mm or yyyy-MM-ddTHH:mm)");
        }
    }

    public record SessionsPage(Messages t, String base, List<ClassSession> sessions, Instant now) {
        /** The session's day and times in the institution's zone, as every page shows them: 02.09.2026 08:00–09:20. */
        public String when(ClassSession cs) {
            return t.date(cs.start().atZoneSameInstant(Messages.zone()).toLocalDate()) + " " + hm(cs.start().toInstant()) + "–"
                    + hm(cs.end().toInstant());
        }

        public String sessionUrl(ClassSession cs) {
            return base + "/checkin/" + seg(cs.sessionId());
        }
    }

    /**
     * @param proposedAbsences non-responders of the session's finished roll calls, proposed ABSENT
     * @param notice           what the last take of proposed absences did, or null
     */
    public record SessionPage(Messages t, String base, String csrf, ClassSession session, Checkin open,
                              List<Attempt> attempts, List<RollCall> rollCalls, Instant now, Map<String, String> names,
                              List<RollCallAbsences.Proposed> proposedAbsences, String notice) {
        /** The student's name, or their id when the tool knows no name. */
        public String name(String personId) {
            return names.getOrDefault(personId, personId);
        }

        public String takeAbsencesUrl() {
            return url() + "/rollcall-absences";
        }

        /** Rows the teacher can still take (not already ABSENT). */
        public long toTake() {
            return proposedAbsences.stream().filter(p -> p.agreement() != RollCallAbsences.Agreement.SAME).count();
        }

        /** A time of day in the institution's zone ({@code ui.timeZone}), to the second: 08:03:17. */
        public String local(Instant at) {
            return hms(at);
        }

        /** The session's day in the institution's zone. */
        public String day() {
            return t.date(session.start().atZoneSameInstant(Messages.zone()).toLocalDate());
        }

        /** The session's start in the institution's zone: 08:00. */
        public String startTime() {
            return hm(session.start().toInstant());
        }

        public String url() {
            return base + "/checkin/" + seg(session.sessionId());
        }

        public String rollCallStartUrl() {
            return base + "/rollcall/" + seg(session.sessionId()) + "/start";
        }
    }

    public record ProjectorPage(Messages t, String base, String csrf, ClassSession session, Checkin checkin, String code,
                                int secondsLeft, String qrSvg, String scanUrl, int checkedIn) {
        public String url() {
            return base + "/checkin/" + seg(session.sessionId());
        }
    }

    public record StudentPage(Messages t, String base, String csrf, boolean student, String code, String checkinId,
                              String message, Boolean ok, RollCall rollCall, boolean rollCallConfirmed, int rollCallSecondsLeft) {
    }

    public record ScanPage(Messages t, String code) {
    }
}
