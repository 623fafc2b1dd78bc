package kz.qatysu.tool.checkin;

import kz.qatysu.tool.api.InputProblems;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.marks.MarkRepository;
import kz.qatysu.tool.attendance.marks.MarkService;
import kz.qatysu.tool.attendance.rules.AttendanceStatus;
import kz.qatysu.tool.attendance.rules.Mark;
import kz.qatysu.tool.attendance.sections.Enrolment;
import kz.qatysu.tool.attendance.sections.SectionRepository;
import kz.qatysu.tool.attendance.sessions.ClassSession;
import kz.qatysu.tool.attendance.sessions.ClassSessionRepository;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Opens and closes check-ins and judges students' attempts. An accepted attempt marks the student PRESENT, or LATE
 * with the minutes since the session start when they are more than the check-in's grace, by the server clock —
 * through {@link MarkService}, so the mark has its history row, its feed entry and the standing recomputed, with
 * {@code checkin} as the author. Every attempt, accepted or refused, is stored with its reason.
 */
public final class CheckinService {
    public static final String SOURCE = "checkin";
    private static final Logger log = LoggerFactory.getLogger(CheckinService.class);

    private final Jdbi jdbi;
    private final CheckinRepository checkins = new CheckinRepository();
    private final ClassSessionRepository sessions;
    private final SectionRepository sections;
    private final MarkRepository marks;
    private final MarkService markService;
    private final Clock clock;
    private final int maxWrongCodes;
    private final SecureRandom random = new SecureRandom();

    /** @param maxWrongCodes wrong codes a student may enter per class session; later attempts are refused */
    public CheckinService(Jdbi jdbi, ClassSessionRepository sessions, SectionRepository sections, MarkRepository marks,
                          MarkService markService, Clock clock, int maxWrongCodes) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.sections = Objects.requireNonNull(sections, "sections");
        this.marks = Objects.requireNonNull(marks, "marks");
        this.markService = Objects.requireNonNull(markService, "markService");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxWrongCodes = maxWrongCodes;
    }

    public Instant now() {
        return clock.instant();
    }

    /** The session when it belongs to {@code sectionId}. */
    public Optional<ClassSession> sessionOf(String sectionId, String sessionId) {
        return jdbi.withHandle(h -> sessions.find(h, sessionId))
                .filter(l -> l.sectionId().equals(sectionId)).map(ClassSessionRepository.Located::session);
    }

    public List<ClassSession> timetable(String sectionId) {
        return jdbi.withHandle(h -> List.copyOf(sessions.ofSection(h, sectionId).values()));
    }

    /** Opens a check-in for the session; an already open one is returned unchanged. */
    public Checkin open(String sectionId, ClassSession session, CheckinOptions o, String by) {
        if (session.cancelled()) {
            throw new IllegalArgumentException("the session is cancelled");
        }
        Instant at = clock.instant();
        Instant ws = o.windowStart() != null ? o.windowStart()
                : session.start().toInstant().minus(Duration.ofMinutes(CheckinOptions.DEFAULT_OPENS_BEFORE_MINUTES));
        Instant we = o.windowEnd() != null ? o.windowEnd() : session.end().toInstant();
        if (!we.isAfter(ws)) {
            throw new IllegalArgumentException("the window must end after it starts");
        }
        try {
            return openOnce(sectionId, session, o, by, at, ws, we);
        } catch (UnableToExecuteStatementException raced) {
            // another request opened one in between (unique open check-in per session): that one stands
            return openOf(session.sessionId()).orElseThrow(() -> raced);
        }
    }

    private Checkin openOnce(String sectionId, ClassSession session, CheckinOptions o, String by, Instant at, Instant ws,
                             Instant we) {
        return jdbi.inTransaction(h -> {
            Optional<Checkin> existing = checkins.openOfSession(h, session.sessionId());
            if (existing.isPresent()) {
                return existing.get();
            }
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            long id = checkins.insert(h, session.sessionId(), sectionId, secret, o, ws, we, by, at);
            log.info("check-in {} opened for session {} by {}", id, session.sessionId(), by);
            return checkins.find(h, id).orElseThrow();
        });
    }

    public Optional<Checkin> openOf(String sessionId) {
        return jdbi.withHandle(h -> checkins.openOfSession(h, sessionId));
    }

    public Optional<Checkin> find(long id) {
        return jdbi.withHandle(h -> checkins.find(h, id));
    }

    public List<Checkin> ofSession(String sessionId) {
        return jdbi.withHandle(h -> checkins.ofSession(h, sessionId));
    }

    public List<Attempt> attempts(long checkinId) {
        return jdbi.withHandle(h -> checkins.attempts(h, checkinId));
    }

    public boolean close(String sessionId, String by) {
        Instant at = clock.instant();
        return jdbi.inTransaction(h -> checkins.openOfSession(h, sessionId)
                .map(c -> checkins.close(h, c.id(), by, at)).orElse(false));
    }

    /** What happened to an attempt: accepted with the mark the student has now, or refused with a reason. */
    public record Outcome(Refusal refusal, Mark mark, boolean alreadyCheckedIn, String sessionId) {
        public boolean accepted() {
            return refusal == null;
        }
    }

    /**
     * Judges one attempt. The student's identity comes only from their own session ({@code personId}); the code and
     * (from a scanned QR code) the check-in id come from the form.
     *
     * @param checkinId  the check-in named by a scanned QR code, or null: any open check-in of the section
     * @param deviceHash SHA-256 of the browser's device cookie
     */
    public Outcome attempt(String sectionId, String personId, boolean student, Long checkinId, String code, String ip,
                           String deviceHash, String userAgent) {
        Instant now = clock.instant();
        if (!student) {
            return refuse(null, sectionId, personId, Refusal.NOT_A_STUDENT, ip, deviceHash, userAgent, now);
        }
        List<Checkin> candidates = jdbi.withHandle(h -> {
            if (checkinId != null) {
                return checkins.find(h, checkinId).filter(c -> c.sectionId().equals(sectionId)).stream().toList();
            }
            return checkins.openOfSection(h, sectionId);
        });
        if (candidates.isEmpty()) {
            return refuse(null, sectionId, personId, Refusal.NOT_OPEN, ip, deviceHash, userAgent, now);
        }
        // Several sessions of a section may be open at once (a double period): the code says which one is meant.
        Checkin c = candidates.stream().filter(x -> x.code().accepts(code, now)).findFirst().orElse(candidates.getFirst());
        if (!c.open()) {
            return refuse(c, sectionId, personId, Refusal.CLOSED, ip, deviceHash, userAgent, now);
        }
        Optional<Attempt> already = jdbi.withHandle(h -> checkins.accepted(h, c.id(), personId));
        if (already.isPresent()) {
            return new Outcome(null, currentMark(c.sessionId(), personId), true, c.sessionId());
        }
        if (!c.withinWindow(now)) {
            return refuse(c, sectionId, personId, Refusal.OUTSIDE_WINDOW, ip, deviceHash, userAgent, now);
        }
        Refusal codeRefusal = judgeCode(c, sectionId, personId, code, ip, deviceHash, userAgent, now);
        if (codeRefusal != null) {
            return new Outcome(codeRefusal, null, false, c.sessionId());
        }
        if (!c.ipRanges().allows(ip)) {
            return refuse(c, sectionId, personId, Refusal.IP_NOT_ALLOWED, ip, deviceHash, userAgent, now);
        }
        Enrolment e = jdbi.withHandle(h -> sections.enrolments(h, sectionId)).get(personId);
        if (e == null || e.withdrawn() || e.role() != Enrolment.Role.STUDENT) {
            return refuse(c, sectionId, personId, Refusal.NOT_ENROLLED, ip, deviceHash, userAgent, now);
        }
        if (c.oneDevice() && deviceHash != null) {
            Optional<String> other = jdbi.withHandle(h -> checkins.otherPersonOnDevice(h, c.id(), deviceHash, personId));
            if (other.isPresent()) {
                log.warn("check-in {}: {} refused, the device already checked in {}", c.id(), personId, other.get());
                return refuse(c, sectionId, personId, Refusal.DEVICE_USED, ip, deviceHash, userAgent, now);
            }
        }
        ClassSession session = jdbi.withHandle(h -> sessions.find(h, c.sessionId())).orElseThrow().session();
        if (session.cancelled()) {
            return refuse(c, sectionId, personId, Refusal.SESSION_CANCELLED, ip, deviceHash, userAgent, now);
        }
        if (!session.appliesTo(e.group())) {
            // a group session (a seminar of one academic group): the other groups' students are not expected there
            return refuse(c, sectionId, personId, Refusal.NOT_IN_GROUP, ip, deviceHash, userAgent, now);
        }

        Mark mark = markFor(session, c.graceMinutes(), now);
        Mark existing = jdbi.withHandle(h -> marks.ofSession(h, c.sessionId())).get(personId);
        // A teacher's PRESENT, LATE or EXCUSED stands; an ABSENT given before the student arrived is replaced.
        Mark result = existing != null && existing.status() != AttendanceStatus.ABSENT ? existing : mark;
        try {
            jdbi.useHandle(h -> checkins.insertAttempt(h, c.id(), sectionId, personId, true, "ACCEPTED",
                    mark.status().name(), mark.lateMinutes(), ip, deviceHash, userAgent, now));
        } catch (UnableToExecuteStatementException duplicate) {
            // the same student's second request raced the first one (unique accepted attempt per check-in)
            return new Outcome(null, currentMark(c.sessionId(), personId), true, c.sessionId());
        }
        if (result == mark) {
            markService.importMarks(c.sessionId(), List.of(new MarkService.Indexed(0, personId, mark)), new InputProblems(),
                    new ChangeSource(SOURCE, now, "self check-in of " + personId + " (check-in " + c.id() + ")"),
                    MarkService.Editor.TEACHER);
        }
        return new Outcome(null, result, false, c.sessionId());
    }

    /**
     * Checks the code, at most {@code maxWrongCodes} wrong ones per student and class session: once they are used up,
     * every further attempt for the session is refused — the right code too, or the cap would only slow guessing
     * down — and the teacher marks the student. Counted from the stored attempts (so a restart or a second node does
     * not reset it), under a lock per student and session so parallel requests cannot exceed it.
     *
     * @return the refusal, already stored, or null when the code is right
     */
    private Refusal judgeCode(Checkin c, String sectionId, String personId, String code, String ip, String deviceHash,
                              String userAgent, Instant now) {
        return jdbi.inTransaction(h -> {
            checkins.lockCodeChecks(h, c.sessionId(), personId);
            int wrong = checkins.wrongCodes(h, c.sessionId(), personId);
            Refusal r = wrong >= maxWrongCodes ? Refusal.TOO_MANY_WRONG_CODES
                    : c.code().accepts(code, now) ? null : Refusal.WRONG_CODE;
            if (r == Refusal.WRONG_CODE) {
                if (wrong + 1 >= maxWrongCodes) {
                    log.warn("check-in {} (session {}): {} entered a wrong code {} times, further attempts are refused",
                            c.id(), c.sessionId(), personId, wrong + 1);
                } else {
                    log.info("check-in {} (session {}): wrong code from {} ({} of {}) at {}", c.id(), c.sessionId(),
                            personId, wrong + 1, maxWrongCodes, ip);
                }
            } else if (r == Refusal.TOO_MANY_WRONG_CODES) {
                log.warn("check-in {} (session {}): {} refused after {} wrong codes, from {}", c.id(), c.sessionId(),
                        personId, wrong, ip);
            }
            if (r != null) {
                checkins.insertAttempt(h, c.id(), sectionId, personId, false, r.name(), null, null, ip, deviceHash,
                        userAgent, now);
            }
            return r;
        });
    }

    static Mark markFor(ClassSession session, int graceMinutes, Instant now) {
        // a check-in window may outlast the session: the lateness is at most the session's length (marks refuse more)
        long late = Math.min(Duration.between(session.start().toInstant(), now).toMinutes(), session.durationMinutes());
        return late > graceMinutes ? Mark.late(session.sessionId(), (int) late) : Mark.present(session.sessionId());
    }

    private Mark currentMark(String sessionId, String personId) {
        return jdbi.withHandle(h -> marks.ofSession(h, sessionId)).get(personId);
    }

    private Outcome refuse(Checkin c, String sectionId, String personId, Refusal r, String ip, String deviceHash,
                           String userAgent, Instant now) {
        jdbi.useHandle(h -> checkins.insertAttempt(h, c == null ? null : c.id(), sectionId, personId, false, r.name(),
                null, null, ip, deviceHash, userAgent, now));
        return new Outcome(r, null, false, c == null ? null : c.sessionId());
    }
}
