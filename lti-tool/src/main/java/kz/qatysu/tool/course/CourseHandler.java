package kz.qatysu.tool.course;

import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.InputProblems;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.evidence.EvidenceService;
import kz.qatysu.tool.attendance.evidence.EvidenceViews;
import kz.qatysu.tool.attendance.sessions.ClassSessionRepository;
import kz.qatysu.tool.attendance.marks.MarkService;
import kz.qatysu.tool.attendance.rules.AttendanceStatus;
import kz.qatysu.tool.attendance.rules.Mark;
import kz.qatysu.tool.attendance.sections.Enrolment;
import kz.qatysu.tool.attendance.sections.Section;
import kz.qatysu.tool.attendance.sections.SectionService;
import kz.qatysu.tool.attendance.sessions.ClassSession;
import kz.qatysu.tool.attendance.sessions.TimetableService;
import kz.qatysu.tool.attendance.standing.StandingRepository;
import kz.qatysu.tool.course.CourseViews.ConflictView;
import kz.qatysu.tool.course.CourseViews.HomePage;
import kz.qatysu.tool.course.CourseViews.MarkingPage;
import kz.qatysu.tool.course.CourseViews.NewSessionsPage;
import kz.qatysu.tool.course.CourseViews.OwnMark;
import kz.qatysu.tool.course.CourseViews.SessionForm;
import kz.qatysu.tool.course.CourseViews.SessionRow;
import kz.qatysu.tool.course.CourseViews.StandingView;
import kz.qatysu.tool.course.CourseViews.StudentRow;
import kz.qatysu.tool.home.CourseContext;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.util.Tokens;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The course pages under {@code /app/{launch}/}: the role-aware course home, a session's marking grid and the
 * new-session form. Everything is keyed to the launch's own section ({@link CourseScope}); a session id of another
 * section reads as not found, students and guests get 403 on teacher pages, and every POST is CSRF-checked.
 * Writes go through the attendance services, so they are audited and recompute standing at once.
 */
public final class CourseHandler {
    static final List<String> KINDS = List.of("lecture", "practice", "seminar", "lab", "other");
    private static final int MAX_REPEAT = 30;

    private final Sessions sessions;
    private final Pages pages;
    private final CourseReader reader;
    private final PersonDirectory people;
    private final SectionService sections;
    private final TimetableService timetable;
    private final MarkService marks;
    private final Clock clock;
    private final EvidenceService evidence;
    private final java.util.function.Function<ToolSession, Optional<String>> elsewhere;

    public CourseHandler(Sessions sessions, Pages pages, CourseReader reader, PersonDirectory people,
                         SectionService sections, TimetableService timetable, MarkService marks, Clock clock,
                         EvidenceService evidence) {
        this(sessions, pages, reader, people, sections, timetable, marks, clock, evidence, s -> Optional.empty());
    }

    /**
     * @param elsewhere where a launch that belongs to another page lands instead of the course home (edx-exams'
     *                  Instructor Tool: the exam's Open edX page), or empty
     */
    public CourseHandler(Sessions sessions, Pages pages, CourseReader reader, PersonDirectory people,
                         SectionService sections, TimetableService timetable, MarkService marks, Clock clock,
                         EvidenceService evidence, java.util.function.Function<ToolSession, Optional<String>> elsewhere) {
        this.elsewhere = Objects.requireNonNull(elsewhere, "elsewhere");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.pages = Objects.requireNonNull(pages, "pages");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.people = Objects.requireNonNull(people, "people");
        this.sections = Objects.requireNonNull(sections, "sections");
        this.timetable = Objects.requireNonNull(timetable, "timetable");
        this.marks = Objects.requireNonNull(marks, "marks");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.evidence = Objects.requireNonNull(evidence, "evidence");
    }

    // ---- course home -------------------------------------------------------------------------------------

    /** {@code GET /app/{launch}/}: teacher view, student view, or for guests an explanation only. */
    public void home(Context ctx) {
        ToolSession s = CourseContext.require(ctx, sessions);
        String sectionId = CourseScope.sectionId(s);
        String personId = CourseScope.personId(s);
        evidence.rememberEmail(personId, s.email()); // how Zoom participants (user_email) are recognised later
        String base = base(s);
        if (s.role() == kz.qatysu.tool.lti.ToolRole.STUDENT
                && s.resource().filter(kz.qatysu.tool.lti.deeplinking.ToolResource.EXAM_GATE.key()::equals).isPresent()) {
            // a student's launch of the deep-linked Exam gate opens the gate itself
            ctx.redirect(base + "/exam-gate", io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        Optional<String> other = elsewhere.apply(s);
        if (other.isPresent()) {
            // e.g. edx-exams' Instructor Tool launch: the exam's Open edX page, which reads edx-exams' roster
            ctx.redirect(other.get(), io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        if (s.resource().filter(kz.qatysu.tool.lti.deeplinking.ToolResource.PROCTORED_EXAM.key()::equals).isPresent()) {
            // a launch of a deep-linked proctored exam: the student's exam page, the teacher's attempts of it
            Optional<String> exam = kz.qatysu.tool.proctoring.examinee.ExamineeHandler.launchTarget(s);
            if (exam.isPresent() && (s.role() == kz.qatysu.tool.lti.ToolRole.STUDENT || s.role().teaches())) {
                ctx.redirect(exam.get(), io.javalin.http.HttpStatus.SEE_OTHER);
                return;
            }
        }
        String notice = noticeOf(ctx, s.messages());
        if (s.role().teaches()) {
            ensureSection(s, sectionId, personId);
            pages.html(ctx, "course/home.jte", teacherHome(s, sectionId, base, notice));
        } else if (s.role() == kz.qatysu.tool.lti.ToolRole.STUDENT) {
            boolean exists = reader.sectionExists(sectionId);
            if (exists && CourseScope.isLocal(sectionId)) {
                sections.enrolIfAbsent(sectionId, new Enrolment(personId, Enrolment.Role.STUDENT, null, false), source(s, "launch"));
            }
            pages.html(ctx, "course/home.jte", studentHome(s, sectionId, personId, exists, base));
        } else {
            pages.html(ctx, "course/home.jte", new HomePage(s.messages(), s, base, sectionId, "guest", false, null,
                    List.of(), List.of(), null, List.of(), null, CourseViews.Attention.NONE));
        }
    }

    /**
     * A teacher's first visit to a course whose section does not exist yet creates it (title = course title), so
     * attendance can be taken before (or without) the portal. Local sections get their roster from launches.
     */
    private void ensureSection(ToolSession s, String sectionId, String personId) {
        if (!reader.sectionExists(sectionId)) {
            LocalDate today = LocalDate.ofInstant(clock.instant(), Messages.zone());
            String title = s.courseTitle().isBlank() ? sectionId : s.courseTitle();
            sections.upsert(new Section(sectionId, title, today.minusMonths(1), today.plusMonths(6)),
                    source(s, "first teacher visit to section " + sectionId));
        }
        if (CourseScope.isLocal(sectionId)) {
            sections.enrolIfAbsent(sectionId, new Enrolment(personId, Enrolment.Role.TEACHER, null, false), source(s, "launch"));
        }
    }

    private HomePage teacherHome(ToolSession s, String sectionId, String base, String notice) {
        List<SessionRow> rows = sessionRows(s, sectionId, base);
        SessionRow focus = rows.stream().filter(r -> r.when().equals("current")).findFirst()
                .or(() -> rows.stream().filter(r -> r.when().equals("next")).findFirst())
                .or(() -> rows.stream().filter(r -> r.when().equals("past") && !r.cancelled()).reduce((a, b) -> b))
                .orElse(null);
        // worst standing first; within a state, the list order of studentRows (family name, given name)
        List<StudentRow> students = studentRows(s, sectionId, reader.students(sectionId), Map.of(), false).stream()
                .sorted(Comparator.comparing((StudentRow r) -> r.standing() == null ? 0 : -r.standing().state().ordinal()))
                .toList();
        // what needs attention first: students near or over the limit, held sessions that are over and nobody marked
        List<StudentRow> atRisk = students.stream()
                .filter(r -> r.standing() != null && r.standing().state() != kz.qatysu.tool.attendance.rules.StandingState.OK)
                .toList();
        List<SessionRow> unmarked = rows.stream().filter(SessionRow::unmarkedPast).toList();
        return new HomePage(s.messages(), s, base, sectionId, "teacher", true, focus, rows, students, null, List.of(), notice,
                new CourseViews.Attention(atRisk, unmarked));
    }

    private HomePage studentHome(ToolSession s, String sectionId, String personId, boolean exists, String base) {
        if (!exists) {
            return new HomePage(s.messages(), s, base, sectionId, "student", false, null, List.of(), List.of(), null, List.of(), null,
                    CourseViews.Attention.NONE);
        }
        StandingRepository.StoredStanding stored = reader.standing(sectionId).get(personId);
        Map<String, Mark> own = reader.marksOf(sectionId, personId);
        Locale locale = Locale.forLanguageTag(s.messages().language());
        List<OwnMark> rows = new ArrayList<>();
        for (ClassSession cs : reader.timetable(sectionId).sessions().values()) {
            Mark m = own.get(cs.sessionId());
            if (m == null && (cs.cancelled() || cs.start().toInstant().isAfter(clock.instant()))) {
                continue;
            }
            rows.add(new OwnMark(date(cs.start(), locale), time(cs), cs.kind(), cs.cancelled(),
                    m == null ? null : m.status().name(), m == null ? null : m.lateMinutes(), m == null ? null : m.reason()));
        }
        return new HomePage(s.messages(), s, base, sectionId, "student", true, null, List.of(), List.of(),
                stored == null ? null : StandingView.of(stored.standing()), rows, null, CourseViews.Attention.NONE);
    }

    // ---- marking ----------------------------------------------------------------------------------------

    /**
     * {@code GET /app/{launch}/sessions/{sessionId}}: the grid. {@code ?all=present} preselects PRESENT for unmarked
     * rows; {@code ?copy=previous} fills every row from the previous session that has marks (nothing is saved until
     * the teacher saves).
     */
    public void marking(Context ctx) {
        ToolSession s = CourseContext.requireTeacher(ctx, sessions);
        String sectionId = CourseScope.sectionId(s);
        ClassSession cs = ownSession(ctx, sectionId);
        Messages t = s.messages();
        boolean allPresent = "present".equals(ctx.queryParam("all"));
        // a group session lists only its academic group's students: nobody else can be marked on it
        List<StudentRow> rows = gridRows(s, sectionId, cs, allPresent);
        String notice = noticeOf(ctx, t);
        Optional<ClassSession> previous = previousMarked(sectionId, cs);
        if ("previous".equals(ctx.queryParam("copy"))) {
            if (previous.isPresent()) {
                Map<String, Mark> earlier = reader.marksOfSession(previous.get().sessionId());
                rows = rows.stream().map(r -> Optional.ofNullable(earlier.get(r.personId()))
                        .map(m -> withMark(r, m.status().name(), m.lateMinutes() == null ? "" : String.valueOf(m.lateMinutes()),
                                m.reason() == null ? "" : m.reason()))
                        .orElse(r)).toList();
                notice = t.t("course.grid.copied", date(previous.get().start(), Locale.forLanguageTag(t.language())));
            } else {
                notice = t.t("course.grid.nothingToCopy");
            }
        }
        pages.html(ctx, "course/marking.jte", markingPage(ctx, s, sectionId, cs, rows, List.of(), notice, previous, 0));
    }

    /**
     * {@code POST /app/{launch}/sessions/{sessionId}/marks}: the whole grid in one submit. Fields per row i:
     * {@code p.i} person id, {@code s.i} status (none = leave as is), {@code m.i} late minutes, {@code r.i} reason,
     * {@code v.i} the version the mark was read at and {@code o.i} the mark as read ({@code STATUS;minutes;reason},
     * "" = none: a row left as read is not written), {@code sel.i} selected, and on a row in conflict {@code c.i} with the teacher's
     * choice {@code k.i} ({@code theirs} / {@code mine}). {@code bulk} ({@code all} / {@code selected}) with
     * {@code bulkStatus} sets that status in the grid without saving (the grid's tools without JavaScript).
     * <p>Answers: 303 to the grid when saved; 409 with the rows someone else saved meanwhile (the others saved);
     * 422 with the errors (nothing saved); 403 with the grid as typed when the form's CSRF token is no longer the
     * session's (another launch of the course renewed it): nothing saved until the teacher saves again.
     */
    public void saveMarks(Context ctx) {
        ToolSession s = CourseContext.requireTeacher(ctx, sessions);
        String sectionId = CourseScope.sectionId(s);
        ClassSession cs = ownSession(ctx, sectionId);
        Messages t = s.messages();
        GridForm form = GridForm.read(ctx);
        try {
            sessions.checkCsrf(ctx);
        } catch (io.javalin.http.ForbiddenResponse e) {
            reshow(ctx, 403, s, sectionId, cs, form.rows(), List.of(t.t("course.grid.csrfExpired")), null);
            return;
        }
        if (form.bulk() != null) {
            String status = MarkingPage.STATUSES.contains(form.bulkStatus()) ? form.bulkStatus() : "PRESENT";
            List<GridForm.Row> rows = form.rows().stream()
                    .map(r -> form.bulk().equals("all") || r.selected() ? r.withStatus(status) : r).toList();
            reshow(ctx, 200, s, sectionId, cs, rows, List.of(), t.t("course.grid.notSavedYet"));
            return;
        }
        if (marks.editLocked(cs.start())) {
            // said here in the teacher's language (the service's refusal is the API's English)
            reshow(ctx, 422, s, sectionId, cs, form.rows(), List.of(t.t("course.error.editLocked",
                    t.date(cs.start().atZoneSameInstant(Messages.zone()).toLocalDate()), marks.editLockDays())), null);
            return;
        }
        List<String> students = reader.students(sectionId);
        Map<String, String> names = people.names(students);
        java.util.Set<String> enrolled = java.util.Set.copyOf(students);
        List<String> errors = new ArrayList<>();
        List<MarkService.Indexed> records = new ArrayList<>();
        for (GridForm.Row r : form.rows()) {
            String name = names.getOrDefault(r.personId(), r.personId());
            if (!enrolled.contains(r.personId()) && !r.status().isEmpty() && !"theirs".equals(r.choice())
                    && (r.inConflict() || !r.untouched())) {
                // a grid read before the student left the section: said here in the teacher's language (the
                // service's refusal is the API's English)
                errors.add(t.t("course.error.notInSection", people.names(List.of(r.personId())).getOrDefault(r.personId(), r.personId())));
                continue;
            }
            if (r.inConflict() && r.choice().isEmpty()) {
                errors.add(t.t("course.conflict.choose", name));
                continue;
            }
            if (r.status().isEmpty() || "theirs".equals(r.choice()) || (!r.inConflict() && r.untouched())) {
                continue; // no mark given, the other teacher's mark kept, or the row left as it was read
            }
            if (r.version() != null && r.version() < 0) {
                errors.add(t.t("course.error.status", name));
                continue;
            }
            AttendanceStatus st;
            try {
                st = AttendanceStatus.valueOf(r.status());
            } catch (IllegalArgumentException e) {
                errors.add(t.t("course.error.status", name));
                continue;
            }
            Integer late = null;
            if (st == AttendanceStatus.LATE) {
                late = parseInt(r.minutes(), 0, 600);
                if (late == null) {
                    errors.add(t.t("course.error.lateMinutes", name));
                    continue;
                }
                if (late > cs.durationMinutes()) { // the service refuses it too, in the API's English
                    errors.add(t.t("course.error.lateTooLong", name, late, cs.durationMinutes()));
                    continue;
                }
            }
            String reason = r.reason();
            if (st == AttendanceStatus.EXCUSED && reason.isEmpty()) {
                errors.add(t.t("course.error.reason", name));
                continue;
            }
            if (reason.length() > 500) {
                errors.add(t.t("course.error.reasonLength", name));
                continue;
            }
            records.add(new MarkService.Indexed(r.index(), r.personId(),
                    new Mark(cs.sessionId(), st, late, reason.isEmpty() ? null : reason), r.version()));
        }
        if (errors.isEmpty()) {
            try {
                MarkService.MarksResult result = marks.importMarks(cs.sessionId(), records, new InputProblems(),
                        source(s, "course page: marks of session " + cs.sessionId()), MarkService.Editor.TEACHER);
                if (result.conflicts().isEmpty()) {
                    ctx.redirect(base(s) + "/sessions/" + seg(cs.sessionId()) + "?saved=" + result.changed(), io.javalin.http.HttpStatus.SEE_OTHER);
                    return;
                }
                conflicts(ctx, s, sectionId, cs, form, result);
                return;
            } catch (ApiException e) {
                if (e.status() != 400) {
                    throw e;
                }
                e.details().forEach(d -> errors.add(d.problem()));
            }
        }
        reshow(ctx, 422, s, sectionId, cs, form.rows(), errors, null);
    }

    /**
     * 409: the grid as stored now (the rows saved by this submit included), and the rows someone else saved since the
     * teacher read them showing both marks — the teacher's in the fields, the stored one beside it — with the choice to
     * keep theirs or apply mine. Saving again with "apply mine" writes over the version shown here only.
     */
    private void conflicts(Context ctx, ToolSession s, String sectionId, ClassSession cs, GridForm form,
                           MarkService.MarksResult result) {
        Messages t = s.messages();
        Map<Integer, GridForm.Row> typed = new java.util.HashMap<>();
        form.rows().forEach(r -> typed.put(r.index(), r));
        Map<String, MarkService.Conflict> byPerson = new java.util.HashMap<>();
        result.conflicts().forEach(c -> byPerson.put(c.personId(), c));
        Map<String, String> markers = Markers.describe(result.conflicts().stream().filter(c -> c.current() != null)
                .map(c -> c.current().updatedBy()).toList(), people, t);
        List<StudentRow> rows = gridRows(s, sectionId, cs, false).stream().map(r -> {
            MarkService.Conflict c = byPerson.get(r.personId());
            GridForm.Row mine = c == null ? null : typed.get(c.index());
            if (c == null || mine == null) {
                return r;
            }
            return new StudentRow(r.index(), r.personId(), r.name(), mine.status(), mine.minutes(), mine.reason(),
                    r.standing(), r.version(), r.original(), conflictView(t, mine.status(), mine.minutes(), c.current(),
                    markers, ""), mine.selected());
        }).toList();
        String notice = t.t("course.conflict.notice", result.changed(), result.conflicts().size());
        pages.html(ctx, 409, "course/marking.jte", markingPage(ctx, s, sectionId, cs, rows, List.of(), notice,
                previousMarked(sectionId, cs), result.conflicts().size()));
    }

    /**
     * The grid as the teacher typed it (errors, an expired CSRF token, the "set for all" tool without JavaScript):
     * only rows of the session's students, with their names and standing; rows in conflict show the stored mark again.
     */
    private void reshow(Context ctx, int status, ToolSession s, String sectionId, ClassSession cs, List<GridForm.Row> typed,
                        List<String> errors, String notice) {
        Messages t = s.messages();
        java.util.Set<String> students = new java.util.HashSet<>(reader.studentsOf(sectionId, cs));
        List<GridForm.Row> own = typed.stream().filter(r -> students.contains(r.personId())).toList();
        Map<String, String> names = people.names(own.stream().map(GridForm.Row::personId).toList());
        Map<String, StandingRepository.StoredStanding> standing = reader.standing(sectionId);
        boolean anyConflict = own.stream().anyMatch(GridForm.Row::inConflict);
        Map<String, kz.qatysu.tool.attendance.marks.MarkRepository.Stored> stored = anyConflict
                ? reader.storedMarksOfSession(cs.sessionId()) : Map.of();
        Map<String, String> markers = Markers.describe(stored.values().stream()
                .map(kz.qatysu.tool.attendance.marks.MarkRepository.Stored::updatedBy).toList(), people, t);
        List<StudentRow> rows = own.stream().map(r -> new StudentRow(r.index(), r.personId(),
                names.getOrDefault(r.personId(), r.personId()), r.status(), r.minutes(), r.reason(),
                Optional.ofNullable(standing.get(r.personId())).map(x -> StandingView.of(x.standing())).orElse(null),
                r.version() == null ? 0 : r.version(), r.original() == null ? CourseViews.GridMark.NONE : r.original(),
                r.inConflict() ? conflictView(t, r.status(), r.minutes(), stored.get(r.personId()), markers, r.choice()) : null,
                r.selected())).toList();
        int conflicts = (int) rows.stream().filter(r -> r.conflict() != null).count();
        pages.html(ctx, status, "course/marking.jte", markingPage(ctx, s, sectionId, cs, rows, errors, notice,
                previousMarked(sectionId, cs), conflicts));
    }

    private MarkingPage markingPage(Context ctx, ToolSession s, String sectionId, ClassSession cs, List<StudentRow> rows,
                                    List<String> errors, String notice, Optional<ClassSession> previous, int conflicts) {
        CourseReader.Timetable tt = reader.timetable(sectionId);
        String copyUrl = previous.map(p -> base(s) + "/sessions/" + seg(cs.sessionId()) + "?copy=previous").orElse(null);
        return new MarkingPage(s.messages(), s, base(s), sessions.csrfToken(ctx), row(s, cs, base(s), tt.markCounts(),
                java.util.Set.of(), null, markers(s, tt)), rows, errors, notice, evidenceSummary(s, sectionId, cs), copyUrl,
                "PRESENT", conflicts);
    }

    private static ConflictView conflictView(Messages t, String yourStatus, String yourMinutes,
                                             kz.qatysu.tool.attendance.marks.MarkRepository.Stored current,
                                             Map<String, String> markers, String choice) {
        String yours = statusText(t, yourStatus, yourMinutes);
        if (current == null) {
            return new ConflictView(yours, t.t("course.unmarked"), "—", "—", choice);
        }
        Mark m = current.mark();
        return new ConflictView(yours, statusText(t, m.status().name(), m.lateMinutes() == null ? "" : String.valueOf(m.lateMinutes())),
                markers.getOrDefault(current.updatedBy(), current.updatedBy()), t.dateTime(current.updatedAt()), choice);
    }

    /** "Late (12 min late)", "Absent", "" for no status. */
    private static String statusText(Messages t, String status, String minutes) {
        if (status == null || status.isEmpty()) {
            return t.t("course.unmarked");
        }
        String text = t.t("course.status." + status);
        return "LATE".equals(status) && minutes != null && minutes.strip().matches("\\d{1,4}")
                ? text + " (" + t.t("course.lateMinutes", Integer.parseInt(minutes.strip())) + ")" : text;
    }

    /** The grid's rows as stored: each student of the session with their mark, its version and the mark as read. */
    private List<StudentRow> gridRows(ToolSession s, String sectionId, ClassSession cs, boolean allPresent) {
        Map<String, kz.qatysu.tool.attendance.marks.MarkRepository.Stored> stored = reader.storedMarksOfSession(cs.sessionId());
        Map<String, Mark> current = new java.util.HashMap<>();
        stored.forEach((id, m) -> current.put(id, m.mark()));
        return studentRows(s, sectionId, reader.studentsOf(sectionId, cs), current, allPresent).stream().map(r -> {
            var st = stored.get(r.personId());
            CourseViews.GridMark original = st == null ? CourseViews.GridMark.NONE : new CourseViews.GridMark(
                    st.mark().status().name(), st.mark().lateMinutes() == null ? "" : String.valueOf(st.mark().lateMinutes()),
                    st.mark().reason() == null ? "" : st.mark().reason());
            return new StudentRow(r.index(), r.personId(), r.name(), r.status(), r.lateMinutes(), r.reason(), r.standing(),
                    st == null ? 0 : st.version(), original, null, false);
        }).toList();
    }

    private static StudentRow withMark(StudentRow r, String status, String minutes, String reason) {
        return new StudentRow(r.index(), r.personId(), r.name(), status, minutes, reason, r.standing(), r.version(),
                r.original(), r.conflict(), r.selected());
    }

    /** The latest session before {@code cs} (not cancelled) that has marks: what "copy from the previous session" copies. */
    private Optional<ClassSession> previousMarked(String sectionId, ClassSession cs) {
        CourseReader.Timetable tt = reader.timetable(sectionId);
        return tt.sessions().values().stream()
                .filter(p -> !p.cancelled() && p.start().isBefore(cs.start()) && tt.markCounts().getOrDefault(p.sessionId(), 0) > 0)
                .reduce((a, b) -> b);
    }

    // ---- new sessions -----------------------------------------------------------------------------------

    /** {@code GET /app/{launch}/timetable/new}. */
    public void newSessions(Context ctx) {
        ToolSession s = CourseContext.requireTeacher(ctx, sessions);
        LocalDate today = LocalDate.ofInstant(clock.instant(), Messages.zone());
        SessionForm form = new SessionForm(today.toString(), "08:00", "50", "1", "lecture", "", "1", "");
        pages.html(ctx, "course/new-sessions.jte", new NewSessionsPage(s.messages(), s, base(s), sessions.csrfToken(ctx),
                form, KINDS, groupsOf(CourseScope.sectionId(s)), List.of()));
    }

    /** {@code POST /app/{launch}/timetable}: one session, or the same slot weekly {@code repeat} times. */
    public void createSessions(Context ctx) {
        ToolSession s = CourseContext.requireTeacher(ctx, sessions);
        sessions.checkCsrf(ctx);
        String sectionId = CourseScope.sectionId(s);
        ensureSection(s, sectionId, CourseScope.personId(s));
        Messages t = s.messages();
        SessionForm form = new SessionForm(field(ctx, "date"), field(ctx, "start"), field(ctx, "duration"),
                field(ctx, "hours"), field(ctx, "kind"), field(ctx, "room"), field(ctx, "repeat"), field(ctx, "group"));
        List<String> errors = new ArrayList<>();
        LocalDate date = null;
        java.time.LocalTime start = null;
        try {
            date = LocalDate.parse(form.date());
        } catch (RuntimeException e) {
            errors.add(t.t("course.error.date"));
        }
        try {
            start = java.time.LocalTime.parse(form.start());
        } catch (RuntimeException e) {
            errors.add(t.t("course.error.start"));
        }
        Integer duration = parseInt(form.duration(), 10, 600);
        if (duration == null) {
            errors.add(t.t("course.error.duration"));
        }
        Integer hours = parseInt(form.hours(), 1, 12);
        if (hours == null) {
            errors.add(t.t("course.error.hours"));
        }
        Integer repeat = parseInt(form.repeat(), 1, MAX_REPEAT);
        if (repeat == null) {
            errors.add(t.t("course.error.repeat", MAX_REPEAT));
        }
        if (!KINDS.contains(form.kind())) {
            errors.add(t.t("course.error.kind"));
        }
        if (form.room().length() > 100) {
            errors.add(t.t("course.error.room"));
        }
        List<String> groups = groupsOf(sectionId);
        if (!form.group().isEmpty() && !groups.contains(form.group())) {
            errors.add(t.t("course.error.group"));
        }
        if (!errors.isEmpty()) {
            pages.html(ctx, 422, "course/new-sessions.jte", new NewSessionsPage(t, s, base(s), sessions.csrfToken(ctx),
                    form, KINDS, groups, errors));
            return;
        }
        ZoneId zone = Messages.zone(); // typed as the pages show times: in the institution's zone (ui.timeZone)
        List<ClassSession> added = new ArrayList<>();
        for (int week = 0; week < repeat; week++) {
            OffsetDateTime begins = date.plusWeeks(week).atTime(start).atZone(zone).toOffsetDateTime();
            added.add(new ClassSession("t-" + Tokens.random(9), begins, begins.plusMinutes(duration), form.kind(), hours,
                    form.room().isBlank() ? null : form.room().strip(), null, false,
                    form.group().isEmpty() ? null : form.group()));
        }
        timetable.addByTeacher(sectionId, added, source(s, "course page: " + added.size() + " new sessions"));
        ctx.redirect(base(s) + "/?created=" + added.size(), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /** Online evidence beside each student (minutes present, first join, proposal), from the evidence pages. */
    private EvidenceViews.Summary evidenceSummary(ToolSession s, String sectionId, ClassSession cs) {
        String url = base(s) + "/sessions/" + seg(cs.sessionId()) + "/evidence";
        return EvidenceViews.summary(url, evidence.report(new ClassSessionRepository.Located(sectionId, cs)), Messages.zone());
    }

    /** The path's session when it belongs to the launch's section; 404 otherwise (another section's ids included). */
    private ClassSession ownSession(Context ctx, String sectionId) {
        return reader.sessionOf(sectionId, ctx.pathParam("sessionId"))
                .orElseThrow(() -> new NotFoundResponse("No such session in this course."));
    }

    private List<SessionRow> sessionRows(ToolSession s, String sectionId, String base) {
        CourseReader.Timetable tt = reader.timetable(sectionId);
        Instant now = clock.instant();
        String nextId = tt.sessions().values().stream()
                .filter(cs -> !cs.cancelled() && cs.start().toInstant().isAfter(now))
                .map(ClassSession::sessionId).findFirst().orElse(null);
        Map<String, String[]> markers = markers(s, tt);
        List<SessionRow> rows = new ArrayList<>();
        for (ClassSession cs : tt.sessions().values()) {
            rows.add(row(s, cs, base, tt.markCounts(), tt.teacherCreated(), nextId, markers));
        }
        return rows;
    }

    /** Who marked each session last and when, as shown: session id → {name, date and time in the institution's zone}. */
    private Map<String, String[]> markers(ToolSession s, CourseReader.Timetable tt) {
        Messages t = s.messages();
        Map<String, String> names = Markers.describe(tt.lastMarked().values().stream()
                .map(kz.qatysu.tool.attendance.marks.MarkRepository.LastMarked::by).toList(), people, t);
        Map<String, String[]> out = new java.util.HashMap<>();
        tt.lastMarked().forEach((id, last) -> out.put(id, new String[]{names.getOrDefault(last.by(), last.by()), t.dateTime(last.at())}));
        return out;
    }

    private SessionRow row(ToolSession s, ClassSession cs, String base, Map<String, Integer> markCounts,
                           java.util.Set<String> teacherCreated, String nextId, Map<String, String[]> markers) {
        Instant now = clock.instant();
        String when;
        if (!cs.cancelled() && !cs.start().toInstant().isAfter(now) && cs.end().toInstant().isAfter(now)) {
            when = "current";
        } else if (cs.sessionId().equals(nextId)) {
            when = "next";
        } else {
            when = cs.end().toInstant().isAfter(now) ? "future" : "past";
        }
        Locale locale = Locale.forLanguageTag(s.messages().language());
        return new SessionRow(cs.sessionId(), base + "/sessions/" + seg(cs.sessionId()), date(cs.start(), locale), time(cs),
                cs.kind(), cs.room(), cs.hours(), cs.cancelled(), teacherCreated.contains(cs.sessionId()),
                markCounts.getOrDefault(cs.sessionId(), 0), when, cs.group(),
                markers.containsKey(cs.sessionId()) ? markers.get(cs.sessionId())[0] : null,
                markers.containsKey(cs.sessionId()) ? markers.get(cs.sessionId())[1] : null);
    }

    /**
     * The students {@code ids} with name, their mark in {@code marks} (if any) and standing; in list order (family
     * name, then given name, as the page's language sorts), people without a known name last.
     */
    private List<StudentRow> studentRows(ToolSession s, String sectionId, List<String> ids, Map<String, Mark> marks,
                                         boolean allPresent) {
        Map<String, String> names = people.names(ids);
        Map<String, StandingRepository.StoredStanding> standing = reader.standing(sectionId);
        List<String> ordered = people.sorted(ids, Locale.forLanguageTag(s.messages().language()));
        List<StudentRow> rows = new ArrayList<>();
        for (String id : ordered) {
            Mark m = marks.get(id);
            String status = m != null ? m.status().name() : allPresent ? AttendanceStatus.PRESENT.name() : "";
            StandingRepository.StoredStanding st = standing.get(id);
            rows.add(new StudentRow(rows.size(), id, names.getOrDefault(id, id), status,
                    m == null || m.lateMinutes() == null ? "" : String.valueOf(m.lateMinutes()),
                    m == null || m.reason() == null ? "" : m.reason(),
                    st == null ? null : StandingView.of(st.standing())));
        }
        return rows;
    }

    /** The academic groups a teacher can create a group session for: those of the section's students. */
    private List<String> groupsOf(String sectionId) {
        return reader.sectionExists(sectionId) ? reader.academicGroups(sectionId) : List.of();
    }

    private static String noticeOf(Context ctx, Messages t) {
        String saved = ctx.queryParam("saved");
        if (saved != null && saved.matches("\\d{1,5}")) {
            return t.t("course.notice.saved", Integer.parseInt(saved));
        }
        String created = ctx.queryParam("created");
        if (created != null && created.matches("\\d{1,5}")) {
            return t.t("course.notice.created", Integer.parseInt(created));
        }
        return null;
    }

    private ChangeSource source(ToolSession s, String trigger) {
        return new ChangeSource("lti:" + CourseScope.personId(s), clock.instant(), trigger);
    }

    private static String base(ToolSession s) {
        return s.pagesBase();
    }

    private static String field(Context ctx, String name) {
        return Optional.ofNullable(ctx.formParam(name)).orElse("").strip();
    }

    private static Integer parseInt(String text, int min, int max) {
        if (text == null || !text.strip().matches("\\d{1,6}")) {
            return null;
        }
        int v = Integer.parseInt(text.strip());
        return v < min || v > max ? null : v;
    }

    /**
     * A session's day as the pages show it, in the institution's zone ({@code ui.timeZone}) whatever offset the
     * timetable was sent in: {@code Ср, 02.09.2026}.
     */
    private static String date(OffsetDateTime start, Locale locale) {
        return start.atZoneSameInstant(Messages.zone()).format(DateTimeFormatter.ofPattern("EEE, dd.MM.yyyy", locale));
    }

    /** A session's times in the institution's zone: {@code 08:00–08:50} (a UTC timetable's 03:00Z is 08:00 in Almaty). */
    private static String time(ClassSession cs) {
        DateTimeFormatter hm = DateTimeFormatter.ofPattern("HH:mm");
        ZoneId zone = Messages.zone();
        return cs.start().atZoneSameInstant(zone).format(hm) + "–" + cs.end().atZoneSameInstant(zone).format(hm);
    }

    static String seg(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
