package kz.qatysu.tool.excuses;

import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.InputProblems;
import kz.qatysu.tool.attendance.AttendanceWrites;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.marks.MarkRepository;
import kz.qatysu.tool.attendance.marks.MarkService;
import kz.qatysu.tool.attendance.rules.AttendanceStatus;
import kz.qatysu.tool.attendance.rules.Mark;
import kz.qatysu.tool.attendance.sections.Enrolment;
import kz.qatysu.tool.attendance.sections.SectionRepository;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Submitting and deciding excuses. Approval and its EXCUSED marks commit in one attendance transaction through
 * {@link MarkService}, so the standing recomputes with them and the mark history names {@code excuse #id};
 * rejection changes no mark. Every step is recorded in {@code excuse_event}.
 */
public final class ExcuseService {
    public static final int MAX_REASON = 2000;
    public static final int MAX_COMMENT = 2000;
    private static final int MAX_RANGE_DAYS = 366;

    private final AttendanceWrites writes;
    private final ExcuseRepository repository;
    private final SectionRepository sections;
    private final MarkService marks;
    private final MarkRepository markRepository;
    private final ExcuseDocuments documents;
    private final Clock clock;
    private final Duration decisionTime;

    public ExcuseService(AttendanceWrites writes, ExcuseRepository repository, SectionRepository sections, MarkService marks,
                         MarkRepository markRepository, ExcuseDocuments documents, Clock clock, int decisionDays) {
        this.writes = Objects.requireNonNull(writes, "writes");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.sections = Objects.requireNonNull(sections, "sections");
        this.marks = Objects.requireNonNull(marks, "marks");
        this.markRepository = Objects.requireNonNull(markRepository, "markRepository");
        this.documents = Objects.requireNonNull(documents, "documents");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.decisionTime = Duration.ofDays(decisionDays);
    }

    /** What a student asks for: either a date range or chosen sessions, and a reason. */
    public record Request(LocalDate dateFrom, LocalDate dateTo, List<String> sessionIds, String reason) {
    }

    /** A request refused before anything was stored: message keys of the problems, for the form. */
    public static final class Invalid extends RuntimeException {
        private final List<String> keys;

        Invalid(List<String> keys) {
            super(String.join(", ", keys), null, false, false);
            this.keys = List.copyOf(keys);
        }

        public List<String> keys() {
            return keys;
        }
    }

    /** Checks the request without storing anything (so a bad form does not keep an uploaded document). */
    public void validate(String sectionId, String personId, Request r) {
        List<String> problems = new ArrayList<>();
        if (r.reason() == null || r.reason().isBlank()) {
            problems.add("excuse.error.reasonRequired");
        } else if (r.reason().length() > MAX_REASON) {
            problems.add("excuse.error.reasonTooLong");
        }
        boolean range = r.dateFrom() != null || r.dateTo() != null;
        boolean chosen = !r.sessionIds().isEmpty();
        if (range == chosen) {
            problems.add("excuse.error.rangeOrSessions");
        } else if (range && (r.dateFrom() == null || r.dateTo() == null || r.dateTo().isBefore(r.dateFrom())
                || r.dateFrom().plusDays(MAX_RANGE_DAYS).isBefore(r.dateTo()))) {
            problems.add("excuse.error.badRange");
        }
        writes.jdbi().useHandle(h -> {
            Enrolment e = sections.enrolments(h, sectionId).get(personId);
            if (e == null || e.withdrawn() || e.role() != Enrolment.Role.STUDENT) {
                problems.add("excuse.error.notEnrolled");
                return;
            }
            if (chosen) {
                // only what the form offers: the student's own absences and lates, and sessions still to come
                Set<String> offered = new HashSet<>();
                repository.excusable(h, sectionId, personId, clock.instant()).forEach(s -> offered.add(s.sessionId()));
                if (!offered.containsAll(r.sessionIds())) {
                    problems.add("excuse.error.sessionNotOffered");
                }
            }
        });
        if (!problems.isEmpty()) {
            throw new Invalid(problems);
        }
    }

    /** Stores a validated request with its (already stored) document; the deadline starts now. */
    public long submit(String sectionId, String personId, String actor, Request r, Optional<ExcuseDocuments.Stored> document) {
        validate(sectionId, personId, r);
        Instant now = clock.instant();
        Excuse e = new Excuse(0, sectionId, personId, r.dateFrom(), r.dateTo(), r.sessionIds().stream().distinct().toList(),
                r.reason().strip(), document.map(ExcuseDocuments.Stored::file).orElse(null),
                document.map(ExcuseDocuments.Stored::type).orElse(null), document.map(ExcuseDocuments.Stored::size).orElse(null),
                Excuse.Status.PENDING, actor, now, now.plus(decisionTime), null, null, null);
        try {
            return writes.jdbi().inTransaction(h -> {
                long id = repository.insert(h, e);
                repository.event(h, id, "SUBMITTED", actor, now, document.map(d -> d.type() + ", " + d.size() + " bytes").orElse("no document"));
                return id;
            });
        } catch (RuntimeException ex) {
            document.ifPresent(documents::discard);
            throw ex;
        }
    }

    public Optional<Excuse> find(long id) {
        return writes.jdbi().withHandle(h -> repository.find(h, id, false));
    }

    public List<Excuse> ofSection(String sectionId) {
        return writes.jdbi().withHandle(h -> repository.ofSection(h, sectionId));
    }

    public List<Excuse> ofStudent(String sectionId, String personId) {
        return writes.jdbi().withHandle(h -> repository.ofStudent(h, sectionId, personId));
    }

    public List<Excuse> all() {
        return writes.jdbi().withHandle(repository::all);
    }

    /** The sessions the student may choose on the excuse form (see {@link ExcuseRepository#excusable}). */
    public List<ExcuseRepository.SessionRow> excusable(String sectionId, String personId) {
        return writes.jdbi().withHandle(h -> repository.excusable(h, sectionId, personId, clock.instant()));
    }

    public void documentOpened(Excuse e, String actor) {
        writes.jdbi().useHandle(h -> repository.event(h, e.id(), "DOCUMENT_OPENED", actor, clock.instant(), ""));
    }

    /**
     * Approves a pending excuse: every covered session not marked PRESENT gets an EXCUSED mark with the excuse's
     * reason — past sessions at once, future ones pre-marked. A later ABSENT mark on a covered session is stored as
     * EXCUSED ({@link kz.qatysu.tool.attendance.marks.ApprovedExcuses}); a later PRESENT or LATE mark replaces it.
     *
     * @return the number of marks written
     */
    public int approve(long id, String actor, String comment) {
        Instant now = clock.instant();
        // the excuse's section is locked before the row (FOR UPDATE would give the transaction its id too early)
        return writes.inSectionOf(h -> repository.find(h, id, false).map(Excuse::sectionId), h -> {
            Excuse e = pendingForUpdate(h, id);
            repository.decide(h, id, Excuse.Status.APPROVED, actor, now, blankToNull(comment));
            ChangeSource source = new ChangeSource("excuse #" + id, now, "excuse #" + id + " approved by " + actor);
            Map<String, Map<String, Mark>> existing = new java.util.HashMap<>();
            int written = 0;
            for (String sessionId : repository.covered(h, e)) {
                Mark old = existing.computeIfAbsent(sessionId, s -> markRepository.ofSession(h, s)).get(e.personId());
                if (old != null && (old.status() == AttendanceStatus.PRESENT || old.status() == AttendanceStatus.EXCUSED)) {
                    continue;
                }
                InputProblems problems = new InputProblems();
                marks.importMarks(h, sessionId, List.of(new MarkService.Indexed(0, e.personId(),
                        Mark.excused(sessionId, e.reason()))), problems, source);
                written++;
            }
            repository.event(h, id, "APPROVED", actor, now, (comment == null ? "" : comment.strip()) + " [" + written + " marks]");
            return written;
        });
    }

    /** Rejects a pending excuse; the marks stay as they are. A comment (why) is required. */
    public void reject(long id, String actor, String comment) {
        if (comment == null || comment.isBlank()) {
            throw new Invalid(List.of("excuse.error.commentRequired"));
        }
        Instant now = clock.instant();
        writes.inSectionOf(h -> repository.find(h, id, false).map(Excuse::sectionId), h -> {
            pendingForUpdate(h, id);
            repository.decide(h, id, Excuse.Status.REJECTED, actor, now, comment.strip());
            repository.event(h, id, "REJECTED", actor, now, comment.strip());
            return null;
        });
    }

    private Excuse pendingForUpdate(org.jdbi.v3.core.Handle h, long id) {
        Excuse e = repository.find(h, id, true).orElseThrow(() -> ApiException.notFound("no excuse #" + id));
        if (!e.pending()) {
            throw new ApiException(409, "excuse #" + id + " was already " + e.status().name().toLowerCase()
                    + " by " + e.decidedBy());
        }
        return e;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    public Instant now() {
        return clock.instant();
    }
}
