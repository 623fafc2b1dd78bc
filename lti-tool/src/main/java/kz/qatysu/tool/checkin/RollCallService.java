package kz.qatysu.tool.checkin;

import kz.qatysu.tool.api.InputProblems;
import kz.qatysu.tool.attendance.AttendanceWrites;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.marks.MarkRepository;
import kz.qatysu.tool.attendance.marks.MarkService;
import kz.qatysu.tool.attendance.rules.Mark;
import kz.qatysu.tool.attendance.sections.Enrolment;
import kz.qatysu.tool.attendance.sections.SectionRepository;
import kz.qatysu.tool.attendance.sessions.ClassSession;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Roll calls (regulation 000 §4.8: real presence in an online class confirmed by periodic roll call). Students who
 * do not confirm before the deadline are flagged for the teacher — never marked absent automatically: a dropped
 * connection is not an absence until the teacher decides it is. Once a roll call has finished, its non-responders are
 * proposed ABSENT ({@link RollCallAbsences}) and the teacher takes the ticked ones ({@link #takeAbsences}) through
 * {@link MarkService}. A roll call of a group session (one academic group) is for that group's students only.
 */
public final class RollCallService {
    public static final int DEFAULT_SECONDS = 60;

    private static final RowMapper<RollCall> ROLL_CALL = (rs, ctx) -> new RollCall(rs.getLong("id"), rs.getString("session_id"),
            rs.getString("section_id"), rs.getString("started_by"), rs.getObject("started_at", OffsetDateTime.class).toInstant(),
            rs.getObject("deadline", OffsetDateTime.class).toInstant());

    private final Jdbi jdbi;
    private final AttendanceWrites writes;
    private final SectionRepository sections;
    private final MarkRepository marks;
    private final MarkService markService;
    private final Clock clock;

    public RollCallService(Jdbi jdbi, SectionRepository sections, MarkRepository marks, MarkService markService, Clock clock) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.writes = new AttendanceWrites(jdbi);
        this.sections = Objects.requireNonNull(sections, "sections");
        this.marks = Objects.requireNonNull(marks, "marks");
        this.markService = Objects.requireNonNull(markService, "markService");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Instant now() {
        return clock.instant();
    }

    public RollCall start(String sectionId, String sessionId, int seconds, String by) {
        if (seconds < 10 || seconds > 1800) {
            throw new IllegalArgumentException("seconds must be 10…1800, was " + seconds);
        }
        Instant at = clock.instant();
        return jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO roll_call (session_id, section_id, started_by, started_at, deadline)
                        VALUES (:session, :section, :by, :at, :deadline) RETURNING *""")
                .bind("session", sessionId).bind("section", sectionId).bind("by", by).bind("at", at)
                .bind("deadline", at.plus(Duration.ofSeconds(seconds))).map(ROLL_CALL).one());
    }

    public Optional<RollCall> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM roll_call WHERE id = :id").bind("id", id).map(ROLL_CALL).findOne());
    }

    public List<RollCall> ofSession(String sessionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM roll_call WHERE session_id = :s ORDER BY id DESC")
                .bind("s", sessionId).map(ROLL_CALL).list());
    }

    /**
     * The section's roll call still waiting for answers that is for {@code personId}, newest first: a roll call of a
     * group session asks only that group's students.
     */
    public Optional<RollCall> running(String sectionId, String personId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT r.* FROM roll_call r JOIN class_session s ON s.session_id = r.session_id
                        WHERE r.section_id = :s AND r.deadline >= :now
                          AND (s.academic_group IS NULL OR s.academic_group = (SELECT academic_group FROM enrolment
                                                                               WHERE section_id = :s AND person_id = :p))
                        ORDER BY r.started_at DESC, r.id DESC LIMIT 1""")
                .bind("s", sectionId).bind("p", personId).bind("now", clock.instant()).map(ROLL_CALL).findOne());
    }

    public boolean confirmed(long rollCallId, String personId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM roll_call_response WHERE roll_call_id = :r AND person_id = :p")
                .bind("r", rollCallId).bind("p", personId).mapTo(Integer.class).one() > 0);
    }

    public enum Confirmation { CONFIRMED, ALREADY, TOO_LATE, NOT_ENROLLED, NOT_IN_GROUP }

    public Confirmation confirm(RollCall rc, String personId, String ip) {
        Instant at = clock.instant();
        if (!rc.running(at)) {
            return Confirmation.TOO_LATE;
        }
        Enrolment e = jdbi.withHandle(h -> sections.enrolments(h, rc.sectionId())).get(personId);
        if (e == null || e.withdrawn() || e.role() != Enrolment.Role.STUDENT) {
            return Confirmation.NOT_ENROLLED;
        }
        String group = jdbi.withHandle(h -> sessionGroup(h, rc.sessionId()));
        if (group != null && !group.equals(e.group())) {
            return Confirmation.NOT_IN_GROUP;
        }
        int n = jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO roll_call_response (roll_call_id, person_id, confirmed_at, ip) VALUES (:r, :p, :at, :ip)
                        ON CONFLICT DO NOTHING""")
                .bind("r", rc.id()).bind("p", personId).bind("at", at).bind("ip", ip).execute());
        return n == 1 ? Confirmation.CONFIRMED : Confirmation.ALREADY;
    }

    /** One enrolled student's answer: confirmed at, or null (pending while running, flagged after the deadline). */
    public record Answer(String personId, Instant confirmedAt, boolean flagged) {
    }

    /** Every student the roll call is for (enrolled now; of the session's academic group, if any), in person-id order, with their answer. */
    public List<Answer> results(RollCall rc) {
        Instant now = clock.instant();
        return jdbi.withHandle(h -> {
            Map<String, Instant> confirmed = new LinkedHashMap<>();
            h.createQuery("SELECT person_id, confirmed_at FROM roll_call_response WHERE roll_call_id = :r")
                    .bind("r", rc.id())
                    .map((rs, ctx) -> Map.entry(rs.getString("person_id"), rs.getObject("confirmed_at", OffsetDateTime.class).toInstant()))
                    .forEach(en -> confirmed.put(en.getKey(), en.getValue()));
            return studentsOf(h, rc.sectionId(), sessionGroup(h, rc.sessionId())).stream()
                    .map(p -> new Answer(p, confirmed.get(p), confirmed.get(p) == null && !rc.running(now)))
                    .toList();
        });
    }

    /** The non-responders of the session's finished roll calls, proposed ABSENT (empty when none has finished). */
    public List<RollCallAbsences.Proposed> proposedAbsences(String sectionId, ClassSession session) {
        return jdbi.inTransaction(h -> proposedAbsences(h, sectionId, session));
    }

    private List<RollCallAbsences.Proposed> proposedAbsences(Handle h, String sectionId, ClassSession session) {
        Map<Long, Set<String>> finished = new LinkedHashMap<>();
        h.createQuery("""
                        SELECT r.id, x.person_id FROM roll_call r
                        LEFT JOIN roll_call_response x ON x.roll_call_id = r.id
                        WHERE r.session_id = :session AND r.section_id = :section AND r.deadline < :now
                        ORDER BY r.id""")
                .bind("session", session.sessionId()).bind("section", sectionId).bind("now", clock.instant())
                .map((rs, ctx) -> Map.entry(rs.getLong(1), Optional.ofNullable(rs.getString(2))))
                .forEach(e -> {
                    Set<String> answered = finished.computeIfAbsent(e.getKey(), k -> new HashSet<>());
                    e.getValue().ifPresent(answered::add);
                });
        return RollCallAbsences.propose(studentsOf(h, sectionId, session.group()), finished.values(),
                marks.ofSession(h, session.sessionId()));
    }

    /**
     * @param saved   marks written (ABSENT)
     * @param changed ticked students whose stored mark is no longer the one the page showed, or who are no longer
     *                proposed: left as they are, for the teacher to look at again
     */
    public record Taken(int saved, List<String> changed) {
    }

    /**
     * Marks the ticked non-responders ABSENT through {@link MarkService} (history, feed, standing), as the teacher.
     * {@code ticked} maps a person id to the mark the page showed for them ({@link RollCallAbsences#shown}); the
     * proposals are recomputed here, under the section's lock, and a row whose mark changed meanwhile is skipped,
     * never overwritten unseen. A refused import (the edit lock) throws {@link kz.qatysu.tool.api.ApiException}.
     */
    public Taken takeAbsences(String sectionId, ClassSession session, Map<String, String> ticked, ChangeSource source) {
        return writes.inSection(sectionId, h -> {
            Map<String, RollCallAbsences.Proposed> proposed = new LinkedHashMap<>();
            proposedAbsences(h, sectionId, session).forEach(p -> proposed.put(p.personId(), p));
            List<MarkService.Indexed> records = new ArrayList<>();
            List<String> changed = new ArrayList<>();
            for (Map.Entry<String, String> tick : ticked.entrySet()) {
                RollCallAbsences.Proposed p = proposed.get(tick.getKey());
                if (p == null || !p.shown().equals(tick.getValue())) {
                    changed.add(tick.getKey());
                } else if (p.agreement() != RollCallAbsences.Agreement.SAME) {
                    records.add(new MarkService.Indexed(records.size(), p.personId(), Mark.absent(session.sessionId())));
                }
            }
            if (!records.isEmpty()) {
                markService.importMarks(h, session.sessionId(), records, new InputProblems(), source,
                        MarkService.Editor.TEACHER);
            }
            return new Taken(records.size(), changed);
        });
    }

    /** The academic group of a session, null for the whole section. */
    private static String sessionGroup(Handle h, String sessionId) {
        return h.createQuery("SELECT academic_group FROM class_session WHERE session_id = :id")
                .bind("id", sessionId).mapTo(String.class).findOne().orElse(null);
    }

    /** Enrolled (not withdrawn) students of the section that a session of {@code group} (null = all) is for, by id. */
    private List<String> studentsOf(Handle h, String sectionId, String group) {
        return sections.enrolments(h, sectionId).values().stream()
                .filter(en -> !en.withdrawn() && en.role() == Enrolment.Role.STUDENT)
                .filter(en -> group == null || group.equals(en.group()))
                .map(Enrolment::personId).sorted()
                .toList();
    }
}
