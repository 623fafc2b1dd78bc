package kz.qatysu.tool.attendance.evidence;

import kz.qatysu.connectors.videoconf.BigBlueButtonAnalytics;
import kz.qatysu.connectors.videoconf.CallbackRejected;
import kz.qatysu.connectors.videoconf.PresenceInterval;
import kz.qatysu.connectors.videoconf.ZoomClient;
import kz.qatysu.tool.api.InputProblems;
import kz.qatysu.tool.attendance.AttendanceWrites;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.marks.MarkRepository;
import kz.qatysu.tool.attendance.marks.MarkService;
import kz.qatysu.tool.attendance.rules.Mark;
import kz.qatysu.tool.attendance.sessions.ClassSession;
import kz.qatysu.tool.attendance.sessions.ClassSessionRepository;
import kz.qatysu.tool.attendance.sessions.ClassSessionRepository.Located;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Online attendance evidence of class sessions: links a session to its BigBlueButton or Zoom meeting, stores what the
 * platforms report (BBB's analytics callback, Zoom's participants report, an uploaded CSV) as raw intervals, and turns
 * them into proposals with {@link PresenceEvidence} against the session's window and roster. Proposals become marks
 * only when the teacher takes them, through {@link MarkService} (history, feed, standing recomputed), and a mark the
 * teacher set differently is never overwritten unless the teacher ticks that row.
 */
public final class EvidenceService {
    private static final Logger log = LoggerFactory.getLogger(EvidenceService.class);
    /** How far from the class a Zoom meeting instance may have started and still be "this class's" instance. */
    static final Duration INSTANCE_SLACK = Duration.ofHours(3);
    /**
     * The lock name (not a section) that links and kept callbacks share: a callback for a meeting and a link to it
     * are never stored at the same time, so the link attaches a kept callback or the callback finds the link.
     */
    static final String MEETINGS_LOCK = "evidence: meeting links";

    private final AttendanceWrites writes;
    private final EvidenceRepository repo;
    private final ClassSessionRepository sessions;
    private final MarkRepository marks;
    private final MarkService markService;
    private final EvidencePolicy policy;
    private final Optional<BigBlueButtonAnalytics> bbb;
    private final Optional<ZoomClient> zoom;
    private final Clock clock;

    public EvidenceService(AttendanceWrites writes, EvidenceRepository repo, ClassSessionRepository sessions, MarkRepository marks,
                           MarkService markService, EvidencePolicy policy, Optional<BigBlueButtonAnalytics> bbb,
                           Optional<ZoomClient> zoom, Clock clock) {
        this.writes = Objects.requireNonNull(writes, "writes");
        this.repo = Objects.requireNonNull(repo, "repo");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.marks = Objects.requireNonNull(marks, "marks");
        this.markService = Objects.requireNonNull(markService, "markService");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.bbb = Objects.requireNonNull(bbb, "bbb");
        this.zoom = Objects.requireNonNull(zoom, "zoom");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public boolean bbbConfigured() {
        return bbb.isPresent();
    }

    public boolean zoomConfigured() {
        return zoom.isPresent();
    }

    public EvidencePolicy policy() {
        return policy;
    }

    /** The session when it belongs to {@code sectionId}; another section's session reads as absent. */
    public Optional<Located> session(String sectionId, String sessionId) {
        return writes.jdbi().withHandle(h -> sessions.find(h, sessionId)).filter(l -> l.sectionId().equals(sectionId));
    }

    /** Remembers the e-mail of a launch (how Zoom participants are recognised later). */
    public void rememberEmail(String personId, String email) {
        writes.jdbi().useHandle(h -> repo.rememberEmail(h, personId, email, clock.instant()));
    }

    // ---- the report --------------------------------------------------------------------------------------

    /** How a student's proposal compares with the mark already stored. */
    public enum Agreement {
        /** no mark yet: taking the proposal fills it in */
        UNMARKED,
        /** the stored mark already says the same */
        SAME,
        /** the teacher set something else: only replaced when the teacher ticks the row */
        DIFFERENT
    }

    /**
     * One student's evidence. {@code how} is the weakest way one of their intervals was matched (null when the student
     * has no interval: proposed ABSENT); {@code current} the stored mark or null.
     */
    public record StudentEvidence(String personId, ProposedMark proposal, ParticipantMatcher.How how, Mark current,
                                  Agreement agreement) {
        public boolean uncertain() {
            return how != null && how.uncertain();
        }
    }

    /**
     * A participant who is not a student of the section. {@code reason}: {@code unknown} (no person found),
     * {@code ambiguous} (several), {@code teacher} (a teacher of the section), {@code otherGroup} (a student of another
     * academic group than the group session's).
     */
    public record Stranger(String key, String name, BigDecimal minutes, String reason) {
    }

    /** What the evidence says about one session; {@code version} changes whenever its deliveries change. */
    public record Report(Optional<EvidenceRepository.Meeting> meeting, List<EvidenceRepository.StoredImport> imports,
                         List<StudentEvidence> students, List<Stranger> strangers, String version) {
        public boolean hasEvidence() {
            return !imports.isEmpty();
        }

        public Optional<StudentEvidence> of(String personId) {
            return students.stream().filter(s -> s.personId().equals(personId)).findFirst();
        }
    }

    public Report report(Located located) {
        return writes.jdbi().inTransaction(h -> report(h, located));
    }

    private Report report(Handle h, Located located) {
        ClassSession cs = located.session();
        List<EvidenceRepository.StoredImport> imports = repo.imports(h, cs.sessionId());
        String version = imports.stream().map(i -> String.valueOf(i.id())).sorted().collect(Collectors.joining("."));
        Optional<EvidenceRepository.Meeting> meeting = repo.meetingOf(h, cs.sessionId());
        if (imports.isEmpty()) {
            return new Report(meeting, imports, List.of(), List.of(), version);
        }
        Map<String, String> enrolled = repo.enrolled(h, located.sectionId());
        // a group session (one academic group's seminar) is the business of that group's students only
        Map<String, String> groups = repo.academicGroups(h, located.sectionId());
        List<String> students = enrolled.entrySet().stream().filter(e -> e.getValue().equals("student"))
                .map(Map.Entry::getKey).filter(p -> cs.appliesTo(groups.get(p))).sorted().toList();
        ParticipantMatcher.Directory directory = repo.directory(h, located.sectionId());
        Map<String, Mark> current = marks.ofSession(h, cs.sessionId());

        List<Interval> intervals = new ArrayList<>();
        Map<String, ParticipantMatcher.How> how = new HashMap<>();
        Map<String, List<Interval>> strangerIntervals = new LinkedHashMap<>();
        Map<String, String[]> strangerInfo = new LinkedHashMap<>();
        for (EvidenceRepository.Row row : repo.rows(h, cs.sessionId())) {
            ParticipantMatcher.Result r = ParticipantMatcher.match(row.personKey(), row.displayName(), directory);
            String reason = null;
            if (r instanceof ParticipantMatcher.Matched m && "student".equals(enrolled.get(m.personId()))
                    && cs.appliesTo(groups.get(m.personId()))) {
                intervals.add(new Interval(m.personId(), row.join(), row.leave()));
                how.merge(m.personId(), m.how(), (a, b) -> a.ordinal() >= b.ordinal() ? a : b);
                continue;
            } else if (r instanceof ParticipantMatcher.Matched m && "student".equals(enrolled.get(m.personId()))) {
                reason = "otherGroup";
            } else if (r instanceof ParticipantMatcher.Matched) {
                reason = "teacher";
            } else if (r instanceof ParticipantMatcher.Unmatched u) {
                reason = u.reason() == ParticipantMatcher.Reason.AMBIGUOUS ? "ambiguous" : "unknown";
            }
            String label = (row.personKey() == null ? "" : row.personKey()) + "\u0000" + (row.displayName() == null ? "" : row.displayName());
            strangerIntervals.computeIfAbsent(label, k -> new ArrayList<>()).add(new Interval(label, row.join(), row.leave()));
            strangerInfo.putIfAbsent(label, new String[]{row.personKey(), row.displayName(), reason});
        }
        Instant start = cs.start().toInstant();
        Instant end = cs.end().toInstant();
        Proposal proposal = PresenceEvidence.propose(start, end, students, intervals, policy);
        List<StudentEvidence> out = new ArrayList<>();
        for (ProposedMark p : proposal.marks()) {
            Mark now = current.get(p.personId());
            Agreement a = now == null ? Agreement.UNMARKED : same(now, p) ? Agreement.SAME : Agreement.DIFFERENT;
            out.add(new StudentEvidence(p.personId(), p, how.get(p.personId()), now, a));
        }
        List<Stranger> strangers = new ArrayList<>();
        if (!strangerIntervals.isEmpty()) {
            Proposal theirs = PresenceEvidence.propose(start, end, strangerIntervals.keySet(),
                    strangerIntervals.values().stream().flatMap(List::stream).toList(), policy);
            for (ProposedMark p : theirs.marks()) {
                String[] info = strangerInfo.get(p.personId());
                strangers.add(new Stranger(info[0], info[1], p.minutesPresent(), info[2]));
            }
            strangers.sort(Comparator.comparing(Stranger::reason).thenComparing(s -> s.name() == null ? "" : s.name()));
        }
        return new Report(meeting, imports, out, strangers, version);
    }

    private static boolean same(Mark m, ProposedMark p) {
        return m.status() == p.status() && Objects.equals(m.lateMinutes(), p.lateMinutes());
    }

    // ---- meeting link ------------------------------------------------------------------------------------

    /** The meeting id as typed, normalised; a problem key when it is unacceptable. */
    public record MeetingInput(String platform, String meetingId, String problemKey) {
    }

    /**
     * {@code bbb}: BBB's external meeting id (what {@code create} got as {@code meetingID}; 2–256 characters, no comma).
     * {@code zoom}: a meeting number (spaces and dashes dropped; a join link {@code …/j/81234567890?pwd=…} is read
     * for its number) or an instance UUID.
     */
    public static MeetingInput normalise(String platform, String raw) {
        String v = raw == null ? "" : raw.strip();
        if (!"bbb".equals(platform) && !"zoom".equals(platform)) {
            return new MeetingInput(platform, v, "evidence.error.platform");
        }
        if (v.isEmpty()) {
            return new MeetingInput(platform, "", null);
        }
        if ("zoom".equals(platform)) {
            java.util.regex.Matcher link = java.util.regex.Pattern.compile("/(?:j|w|s)/(\\d{9,12})").matcher(v);
            if (link.find()) {
                v = link.group(1);
            } else if (v.replaceAll("[\\s-]", "").matches("\\d{9,12}")) {
                v = v.replaceAll("[\\s-]", "");
            } else if (!v.matches("[A-Za-z0-9+/=]{20,30}")) {
                return new MeetingInput(platform, v, "evidence.error.zoomId");
            }
        } else if (v.length() < 2 || v.length() > 256 || v.contains(",")) {
            return new MeetingInput(platform, v, "evidence.error.bbbId");
        }
        return new MeetingInput(platform, v, null);
    }

    /**
     * Links (or, with an empty id, unlinks) the session; kept BBB callbacks of that meeting and time are attached.
     * With {@code everyUnlinkedSession}, the section's other sessions without a meeting get the same one (a recurring
     * room: Moodle's BBB activity, a recurring Zoom meeting); reports then go to the session they overlap.
     *
     * @return how many kept reports were attached
     */
    public int link(Located located, MeetingInput input, boolean everyUnlinkedSession, String by) {
        ClassSession cs = located.session();
        return writes.inSections(List.of(located.sectionId(), MEETINGS_LOCK), h -> {
            if (input.meetingId().isEmpty()) {
                repo.unlinkMeeting(h, cs.sessionId());
                return 0;
            }
            Instant now = clock.instant();
            repo.linkMeeting(h, cs.sessionId(), input.platform(), input.meetingId(), by, now);
            int attached = repo.attachUnmatched(h, cs.sessionId(), input.platform(), input.meetingId(), cs.start().toInstant(),
                    cs.end().toInstant());
            if (everyUnlinkedSession) {
                for (EvidenceRepository.Linked other : repo.linkUnlinked(h, located.sectionId(), input.platform(), input.meetingId(), by, now)) {
                    attached += repo.attachUnmatched(h, other.sessionId(), input.platform(), input.meetingId(), other.start(), other.end());
                }
            }
            return attached;
        });
    }

    // ---- BigBlueButton analytics callback ----------------------------------------------------------------

    /** Where a callback went: the session it was attached to, or null when it is kept unmatched. */
    public record Received(String meetingId, String sessionId, int attendees, int intervals) {
    }

    /**
     * Verifies and stores a learning-analytics callback. BBB posts it once, after the meeting, and never retries
     * ({@code post_events_analytics_callback.rb} logs a failure and exits), so a verified callback is always kept:
     * with the linked session whose window it overlaps most, or unmatched until a teacher links the meeting.
     *
     * @throws CallbackRejected bad token (401) or unreadable body (400): nothing stored
     * @throws IllegalStateException when no BBB secret is configured
     */
    public Received receiveBbbAnalytics(String authorization, String body) {
        BigBlueButtonAnalytics verifier = bbb.orElseThrow(() -> new IllegalStateException("videoconf.bbb.secret is not set"));
        BigBlueButtonAnalytics.AnalyticsReport report = verifier.readAnalytics(authorization, body);
        if (report.meetingId() == null || report.meetingId().isBlank()) {
            throw new CallbackRejected(CallbackRejected.Reason.MALFORMED, "analytics callback body has no meeting_id");
        }
        List<EvidenceRepository.Row> rows = new ArrayList<>();
        for (BigBlueButtonAnalytics.Attendee a : report.attendees()) {
            for (PresenceInterval i : a.intervals()) {
                rows.add(new EvidenceRepository.Row(i.personKey(), i.displayName(), a.moderator(), i.join(), i.leave()));
            }
        }
        Instant from = report.start() != null ? report.start()
                : rows.stream().map(EvidenceRepository.Row::join).min(Comparator.naturalOrder()).orElse(null);
        Instant to = report.finish() != null ? report.finish()
                : rows.stream().map(EvidenceRepository.Row::leave).max(Comparator.naturalOrder()).orElse(from);
        String instance = report.internalMeetingId() != null && !report.internalMeetingId().isBlank()
                ? report.internalMeetingId() : report.meetingId() + "@" + from;
        return writes.inSection(MEETINGS_LOCK, h -> {
            String sessionId = from == null ? null : bestOverlap(repo.linkedTo(h, "bbb", report.meetingId()), from, to);
            repo.store(h, new EvidenceRepository.NewImport(sessionId, "bbb", "BBB_ANALYTICS", report.meetingId(), instance,
                    from, to, clock.instant(), "bbb:analytics-callback", null), rows);
            if (sessionId == null) {
                log.info("BBB analytics callback for meeting {} ({} attendees) kept unmatched: no linked session overlaps {}–{}",
                        report.meetingId(), report.attendees().size(), from, to);
            }
            return new Received(report.meetingId(), sessionId, report.attendees().size(), rows.size());
        });
    }

    /** The linked session whose window overlaps [from, to] the most; null when none overlaps at all. */
    static String bestOverlap(List<EvidenceRepository.Linked> linked, Instant from, Instant to) {
        String best = null;
        long bestSeconds = 0;
        for (EvidenceRepository.Linked l : linked) {
            Instant a = from.isAfter(l.start()) ? from : l.start();
            Instant b = to.isBefore(l.end()) ? to : l.end();
            long s = Duration.between(a, b).toSeconds();
            if (s > bestSeconds) {
                bestSeconds = s;
                best = l.sessionId();
            }
        }
        return best;
    }

    // ---- Zoom report import, CSV upload ------------------------------------------------------------------

    /** The result of an import: rows stored, or why nothing was. {@code problem} is an i18n key; {@code detail} free text. */
    /**
     * What an import came to: rows stored, or the message key of the {@code problem} with its {@code detail}; for a
     * refused CSV file, {@code csv} says what is wrong in a form any language renders.
     */
    public record Imported(int rows, int excluded, String problem, String detail, ParticipantCsv.Invalid csv) {
        static Imported ok(int rows, int excluded) {
            return new Imported(rows, excluded, null, null, null);
        }

        static Imported refused(String key, String detail) {
            return new Imported(0, 0, key, detail, null);
        }

        static Imported refused(ParticipantCsv.Invalid csv) {
            return new Imported(0, 0, "evidence.error.csv", csv.getMessage(), csv);
        }
    }

    /**
     * Fetches the participants report of the session's linked Zoom meeting (the instance held nearest the class when
     * the link is a meeting number of a recurring meeting) and stores it, replacing an earlier import of that instance.
     */
    public Imported importZoom(Located located, String by) {
        ZoomClient client = zoom.orElse(null);
        if (client == null) {
            return Imported.refused("evidence.error.zoomOff", null);
        }
        ClassSession cs = located.session();
        Optional<EvidenceRepository.Meeting> meeting = writes.jdbi().withHandle(h -> repo.meetingOf(h, cs.sessionId()))
                .filter(m -> m.platform().equals("zoom"));
        if (meeting.isEmpty()) {
            return Imported.refused("evidence.error.noZoomMeeting", null);
        }
        String id = meeting.get().meetingId();
        String target = id;
        if (id.matches("\\d+")) {
            Instant start = cs.start().toInstant();
            target = client.pastInstances(id).stream()
                    .filter(i -> i.startTime() != null && i.startTime().isAfter(start.minus(INSTANCE_SLACK))
                            && i.startTime().isBefore(cs.end().toInstant().plus(INSTANCE_SLACK)))
                    .min(Comparator.comparing(i -> Duration.between(start, i.startTime()).abs()))
                    .map(ZoomClient.Instance::uuid).orElse(id);
        }
        ZoomClient.Report report = client.participants(target);
        if (report instanceof ZoomClient.NotReadyYet n) {
            return Imported.refused("evidence.error.zoomNotReady", n.message());
        }
        ZoomClient.Ready ready = (ZoomClient.Ready) report;
        List<EvidenceRepository.Row> rows = ready.intervals().stream()
                .map(i -> new EvidenceRepository.Row(i.personKey(), i.displayName(), false, i.join(), i.leave())).toList();
        Instant from = rows.stream().map(EvidenceRepository.Row::join).min(Comparator.naturalOrder()).orElse(null);
        Instant to = rows.stream().map(EvidenceRepository.Row::leave).max(Comparator.naturalOrder()).orElse(null);
        String instance = target;
        writes.inSection(located.sectionId(), h -> repo.store(h, new EvidenceRepository.NewImport(cs.sessionId(), "zoom", "ZOOM_REPORT", id, instance,
                from, to, clock.instant(), by, ready.waitingRoomRowsExcluded() > 0
                ? ready.waitingRoomRowsExcluded() + " waiting-room rows left out" : null), rows));
        return Imported.ok(rows.size(), ready.waitingRoomRowsExcluded());
    }

    /**
     * Stores an uploaded participants CSV (replacing the session's previous CSV). Times without an offset (Zoom's and
     * BigBlueButton's exports are in the exporting account's zone) are read in the institution's zone
     * ({@code ui.timeZone}, the zone the pages show and the teacher reads), not the offset the timetable was sent in.
     */
    public Imported importCsv(Located located, String text, String filename, String by) {
        ClassSession cs = located.session();
        ParticipantCsv.Parsed parsed;
        try {
            parsed = ParticipantCsv.parse(text, kz.qatysu.tool.web.Messages.zone());
        } catch (ParticipantCsv.Invalid e) {
            return Imported.refused(e);
        }
        List<EvidenceRepository.Row> rows = parsed.rows().stream()
                .map(r -> new EvidenceRepository.Row(r.personKey(), r.displayName(), false, r.join(), r.leave())).toList();
        Instant from = rows.stream().map(EvidenceRepository.Row::join).min(Comparator.naturalOrder()).orElse(null);
        Instant to = rows.stream().map(EvidenceRepository.Row::leave).max(Comparator.naturalOrder()).orElse(null);
        String source = parsed.format() == ParticipantCsv.Format.ZOOM ? "CSV_ZOOM" : "CSV_GENERIC";
        String note = (filename == null || filename.isBlank() ? "" : filename.strip() + (parsed.waitingRoomRowsExcluded() > 0 ? "; " : ""))
                + (parsed.waitingRoomRowsExcluded() > 0 ? parsed.waitingRoomRowsExcluded() + " waiting-room rows left out" : "");
        writes.inSection(located.sectionId(), h -> repo.store(h, new EvidenceRepository.NewImport(cs.sessionId(), "csv", source, null, "csv",
                from, to, clock.instant(), by, note.isEmpty() ? null : note.substring(0, Math.min(note.length(), 300))), rows));
        return Imported.ok(rows.size(), parsed.waitingRoomRowsExcluded());
    }

    // ---- taking proposals ---------------------------------------------------------------------------------

    /**
     * @param saved    marks written
     * @param changed  ticked rows whose stored mark changed since the page was shown (left alone, shown again)
     * @param stale    the evidence changed since the page was shown: nothing was written
     */
    public record Taken(int saved, List<String> changed, boolean stale) {
    }

    /**
     * Writes the proposals of the ticked students. {@code ticked} maps a person id to the status the page showed as
     * their stored mark ("" = none): a row whose mark changed meanwhile is skipped, never overwritten unseen.
     * Proposals are recomputed here from the stored evidence — the browser only says which rows.
     */
    public Taken take(Located located, Map<String, String> ticked, String version, ChangeSource source) {
        ClassSession cs = located.session();
        return writes.inSectionOf(h -> sessions.find(h, cs.sessionId()).map(Located::sectionId), h -> {
            Report report = report(h, located);
            if (!report.version().equals(version)) {
                return new Taken(0, List.of(), true);
            }
            Map<String, Mark> current = marks.ofSession(h, cs.sessionId());
            List<MarkService.Indexed> records = new ArrayList<>();
            List<String> changed = new ArrayList<>();
            int index = 0;
            for (StudentEvidence s : report.students()) {
                String shown = ticked.get(s.personId());
                if (shown == null || s.agreement() == Agreement.SAME) {
                    continue;
                }
                Mark now = current.get(s.personId());
                if (!shown(now).equals(shown)) {
                    changed.add(s.personId());
                    continue;
                }
                records.add(new MarkService.Indexed(index++, s.personId(), s.proposal().toMark(cs.sessionId())));
            }
            if (!records.isEmpty()) {
                markService.importMarks(h, cs.sessionId(), records, new InputProblems(), source, MarkService.Editor.TEACHER);
            }
            return new Taken(records.size(), changed, false);
        });
    }

    /** How the page states a stored mark for {@link #take}: {@code STATUS} or {@code LATE:minutes}; "" for none. */
    public static String shown(Mark m) {
        return m == null ? "" : m.status().name() + (m.lateMinutes() == null ? "" : ":" + m.lateMinutes());
    }
}
