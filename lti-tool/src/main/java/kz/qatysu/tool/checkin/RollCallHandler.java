package kz.qatysu.tool.checkin;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.sessions.ClassSession;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.home.CourseContext;
import kz.qatysu.tool.lti.ToolRole;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Roll call pages: the teacher starts one and reads the results; students see the prompt and confirm. */
public final class RollCallHandler {
    private final RollCallService rollCalls;
    private final CheckinHandler checkin;
    private final Sessions sessions;
    private final Pages pages;

    public RollCallHandler(RollCallService rollCalls, CheckinHandler checkin, Sessions sessions, Pages pages) {
        this.rollCalls = Objects.requireNonNull(rollCalls, "rollCalls");
        this.checkin = Objects.requireNonNull(checkin, "checkin");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.pages = Objects.requireNonNull(pages, "pages");
    }

    /** The JSON a course page polls for the student's roll-call prompt. */
    public static String activeUrl(String launchKey) {
        return "/app/" + launchKey + "/rollcall/active.json";
    }

    public void start(Context ctx) {
        ToolSession s = checkin.teacher(ctx);
        sessions.checkCsrf(ctx);
        ClassSession cs = checkin.ownSession(ctx, s);
        String raw = ctx.formParam("seconds");
        int seconds;
        try {
            seconds = raw == null || raw.isBlank() ? RollCallService.DEFAULT_SECONDS : Integer.parseInt(raw.trim());
            RollCall rc = rollCalls.start(CourseScope.sectionId(s), cs.sessionId(), seconds, CourseScope.personId(s));
            ctx.redirect(CheckinHandler.base(s) + "/rollcall/" + rc.id(), HttpStatus.SEE_OTHER);
        } catch (IllegalArgumentException e) {
            throw new io.javalin.http.BadRequestResponse(s.messages().t("rollcall.badSeconds"));
        }
    }

    public void results(Context ctx) {
        ToolSession s = checkin.teacher(ctx);
        RollCall rc = own(ctx, s);
        Instant now = rollCalls.now();
        List<RollCallService.Answer> answers = rollCalls.results(rc);
        pages.html(ctx, "checkin/rollcall.jte", new RollCallPage(s.messages(), CheckinHandler.base(s), rc,
                answers, rc.running(now), Math.max(0, (int) Duration.between(now, rc.deadline()).toSeconds()),
                checkin.names(answers.stream().map(RollCallService.Answer::personId).toList())));
    }

    public void active(Context ctx) {
        ToolSession s = CourseContext.require(ctx, sessions);
        Map<String, Object> body = new LinkedHashMap<>();
        Optional<RollCall> rc = s.role() == ToolRole.STUDENT ? rollCalls.running(CourseScope.sectionId(s), CourseScope.personId(s))
                : Optional.empty();
        body.put("active", rc.isPresent() && !rollCalls.confirmed(rc.get().id(), CourseScope.personId(s)));
        rc.ifPresent(r -> {
            body.put("id", r.id());
            body.put("secondsLeft", Math.max(0, Duration.between(rollCalls.now(), r.deadline()).toSeconds()));
            body.put("confirmUrl", CheckinHandler.base(s) + "/rollcall/" + r.id() + "/confirm");
            body.put("pageUrl", CheckinHandler.url(s.launchKey()));
        });
        ctx.header("Cache-Control", "no-store").json(body);
    }

    public void confirm(Context ctx) {
        ToolSession s = CourseContext.require(ctx, sessions);
        sessions.checkCsrf(ctx);
        if (s.role() != ToolRole.STUDENT) {
            throw new io.javalin.http.ForbiddenResponse(s.messages().t("rollcall.studentsOnly"));
        }
        RollCall rc = own(ctx, s);
        RollCallService.Confirmation c = rollCalls.confirm(rc, CourseScope.personId(s), checkin.clientAddress(ctx));
        Messages t = s.messages();
        boolean ok = c == RollCallService.Confirmation.CONFIRMED || c == RollCallService.Confirmation.ALREADY;
        pages.html(ctx, ok ? 200 : 422, "checkin/rollcall-confirmed.jte",
                new ConfirmedPage(t, CheckinHandler.url(s.launchKey()), t.t("rollcall.result." + c.name()), ok));
    }

    /**
     * {@code POST /app/{launch}/checkin/{sessionId}/rollcall-absences}: takes the ticked roll-call non-responders as
     * ABSENT. Fields per row i: {@code p.i} person id, {@code was.i} the mark the page showed, {@code take.i} when ticked.
     */
    public void takeAbsences(Context ctx) {
        ToolSession s = checkin.teacher(ctx);
        sessions.checkCsrf(ctx);
        ClassSession cs = checkin.ownSession(ctx, s);
        Map<String, String> ticked = new LinkedHashMap<>();
        for (int i = 0; ctx.formParam("p." + i) != null && i < 2000; i++) {
            if (ctx.formParam("take." + i) != null) {
                ticked.put(ctx.formParam("p." + i), Optional.ofNullable(ctx.formParam("was." + i)).orElse(""));
            }
        }
        String back = CheckinHandler.sessionUrl(s.launchKey(), cs.sessionId());
        if (ticked.isEmpty()) {
            ctx.redirect(back + "?taken=0", HttpStatus.SEE_OTHER);
            return;
        }
        RollCallService.Taken taken;
        try {
            taken = rollCalls.takeAbsences(CourseScope.sectionId(s), cs, ticked, new ChangeSource(
                    "lti:" + CourseScope.personId(s), rollCalls.now(), "roll call: absences taken for session " + cs.sessionId()));
        } catch (ApiException e) {
            if (e.status() != 400) {
                throw e;
            }
            throw new io.javalin.http.BadRequestResponse(e.details().isEmpty() ? e.getMessage() : e.details().getFirst().problem());
        }
        ctx.redirect(back + "?taken=" + taken.saved() + (taken.changed().isEmpty() ? "" : "&changed=" + taken.changed().size()),
                HttpStatus.SEE_OTHER);
    }

    private RollCall own(Context ctx, ToolSession s) {
        String raw = ctx.pathParam("rollCallId");
        Optional<RollCall> rc;
        try {
            rc = rollCalls.find(Long.parseLong(raw));
        } catch (NumberFormatException e) {
            rc = Optional.empty();
        }
        return rc.filter(r -> r.sectionId().equals(CourseScope.sectionId(s)))
                .orElseThrow(() -> new NotFoundResponse(s.messages().t("rollcall.notFound")));
    }

    public record RollCallPage(Messages t, String base, RollCall rollCall,
                               List<RollCallService.Answer> answers, boolean running, int secondsLeft, Map<String, String> names) {
        /** The student's name, or their id when the tool knows no name. */
        public String name(String personId) {
            return names.getOrDefault(personId, personId);
        }

        /** A time of day in the institution's zone ({@code ui.timeZone}), like every page: 08:03:17. */
        public String local(Instant at) {
            return CheckinHandler.hms(at);
        }

        public String sessionUrl() {
            return base + "/checkin/" + CheckinHandler.seg(rollCall.sessionId());
        }

        public long flaggedCount() {
            return answers.stream().filter(RollCallService.Answer::flagged).count();
        }

        public long confirmedCount() {
            return answers.stream().filter(a -> a.confirmedAt() != null).count();
        }
    }

    public record ConfirmedPage(Messages t, String back, String message, boolean ok) {
    }
}
