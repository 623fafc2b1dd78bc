package kz.qatysu.tool.attendance.marks;

import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.InputProblems;
import kz.qatysu.tool.attendance.AttendanceWrites;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.changes.ChangeFeed;
import kz.qatysu.tool.attendance.rules.Mark;
import kz.qatysu.tool.attendance.sections.Enrolment;
import kz.qatysu.tool.attendance.sections.SectionRepository;
import kz.qatysu.tool.attendance.sessions.ClassSessionRepository;
import kz.qatysu.tool.attendance.standing.StandingService;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Imports marks of one session: each person must be an enrolled student of the session's section; every mark
 * that differs from the stored one is saved with its history row and a feed entry, and the standing of exactly
 * those students is recomputed — all in one transaction.
 */
public final class MarkService {
    private final AttendanceWrites writes;
    private final ClassSessionRepository sessions;
    private final SectionRepository sections;
    private final MarkRepository marks;
    private final ChangeFeed feed;
    private final StandingService standing;

    public MarkService(AttendanceWrites writes, ClassSessionRepository sessions, SectionRepository sections,
                       MarkRepository marks, ChangeFeed feed, StandingService standing) {
        this.writes = Objects.requireNonNull(writes, "writes");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.sections = Objects.requireNonNull(sections, "sections");
        this.marks = Objects.requireNonNull(marks, "marks");
        this.feed = Objects.requireNonNull(feed, "feed");
        this.standing = Objects.requireNonNull(standing, "standing");
    }

    /**
     * @param records  the request's records; {@code mark} is null for one whose fields were invalid
     * @param problems what the handler found; enrolment checks are added and any problem stores nothing
     */
    public MarksResult importMarks(String sessionId, List<Indexed> records, InputProblems problems, ChangeSource source) {
        return writes.inTransaction(h -> importMarks(h, sessionId, records, problems, source));
    }

    /**
     * The same import on the caller's handle, for writes that must commit together with other rows (an approved
     * excuse and the EXCUSED marks it causes). The caller holds the {@link AttendanceWrites} transaction.
     */
    public MarksResult importMarks(org.jdbi.v3.core.Handle h, String sessionId, List<Indexed> records,
                                   InputProblems problems, ChangeSource source) {
        ClassSessionRepository.Located located = sessions.find(h, sessionId)
                .orElseThrow(() -> ApiException.notFound("no session '" + sessionId + "'"));
        String sectionId = located.sectionId();
        Map<String, Enrolment> roster = sections.enrolments(h, sectionId);
        for (Indexed r : records) {
            if (r.personId() == null) {
                continue;
            }
            Enrolment e = roster.get(r.personId());
            String path = "[" + r.index() + "].personId";
            if (e == null) {
                problems.add(path, "'" + r.personId() + "' is not enrolled in section '" + sectionId + "'");
            } else if (e.withdrawn()) {
                problems.add(path, "'" + r.personId() + "' was withdrawn from section '" + sectionId + "'");
            } else if (e.role() != Enrolment.Role.STUDENT) {
                problems.add(path, "'" + r.personId() + "' is enrolled as a teacher, not a student");
            }
        }
        problems.throwIfAny("invalid marks: nothing was stored");

        Map<String, Mark> before = marks.ofSession(h, sessionId);
        List<String> changed = new ArrayList<>();
        for (Indexed r : records) {
            Mark old = before.get(r.personId());
            if (r.mark().equals(old)) {
                continue;
            }
            marks.save(h, r.personId(), old, r.mark(), source);
            feed.appendMark(h, sectionId, r.personId(), r.mark(), source);
            changed.add(r.personId());
        }
        List<String> standingChanged = changed.isEmpty() ? List.of() : standing.recompute(h, sectionId, changed, source);
        return new MarksResult(sessionId, sectionId, located.session().cancelled(), records.size(), changed.size(),
                records.size() - changed.size(), standingChanged);
    }

    public record Indexed(int index, String personId, Mark mark) {
    }

    /** @param sessionCancelled marks on a cancelled session are kept but count nowhere */
    public record MarksResult(String sessionId, String sectionId, boolean sessionCancelled, int received, int changed,
                              int unchanged, List<String> standingChanged) {
    }
}
