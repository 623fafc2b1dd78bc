package kz.qatysu.tool.attendance.sessions;

import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.InputProblems;
import kz.qatysu.tool.attendance.AttendanceWrites;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.sections.SectionRepository;
import kz.qatysu.tool.attendance.standing.StandingService;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Replaces a section's timetable. Sessions missing from the upload are cancelled, never deleted: one that holds
 * marks keeps them and the answer says so. Any change that moves a session's day or weight recomputes the
 * standing of the section's students (the denominator is theirs in common).
 */
public final class TimetableService {
    private final AttendanceWrites writes;
    private final SectionRepository sections;
    private final ClassSessionRepository sessions;
    private final StandingService standing;

    public TimetableService(AttendanceWrites writes, SectionRepository sections, ClassSessionRepository sessions,
                            StandingService standing) {
        this.writes = Objects.requireNonNull(writes, "writes");
        this.sections = Objects.requireNonNull(sections, "sections");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.standing = Objects.requireNonNull(standing, "standing");
    }

    /**
     * @param timetable the upload's valid records, each with its index in the request
     * @param problems  what the handler already found wrong; checks against the stored data are added, and if
     *                  there is any problem at all nothing is written
     */
    public TimetableResult replace(String sectionId, List<Indexed> timetable, InputProblems problems, ChangeSource source) {
        return writes.inSection(sectionId, h -> {
            if (!sections.exists(h, sectionId)) {
                throw ApiException.notFound("no section '" + sectionId + "'");
            }
            Map<String, String> elsewhere = sessions.ownedElsewhere(h, sectionId,
                    timetable.stream().map(i -> i.session().sessionId()).toList());
            for (Indexed i : timetable) {
                String owner = elsewhere.get(i.session().sessionId());
                if (owner != null) {
                    problems.add("[" + i.index() + "].sessionId", "'" + i.session().sessionId()
                            + "' already belongs to section '" + owner + "'");
                }
            }
            problems.throwIfAny("invalid timetable: nothing was stored");

            Map<String, ClassSession> before = sessions.ofSection(h, sectionId);
            List<String> added = new ArrayList<>();
            List<String> updated = new ArrayList<>();
            List<String> restored = new ArrayList<>();
            boolean countsChanged = false;
            for (Indexed i : timetable) {
                ClassSession s = i.session();
                ClassSession old = before.get(s.sessionId());
                if (old == null) {
                    added.add(s.sessionId());
                    countsChanged = true;
                } else if (old.cancelled()) {
                    restored.add(s.sessionId());
                    countsChanged = true;
                } else if (!old.sameAs(s)) {
                    updated.add(s.sessionId());
                    countsChanged |= s.countsDifferentlyFrom(old);
                } else {
                    continue;
                }
                sessions.upsert(h, sectionId, s, source);
            }
            Set<String> listed = timetable.stream().map(i -> i.session().sessionId()).collect(Collectors.toSet());
            // sessions the teacher created on the course page are not the portal's to cancel (V50__course_pages.sql)
            Set<String> teacherCreated = sessions.teacherCreated(h, sectionId);
            List<String> cancelledIds = before.values().stream()
                    .filter(s -> !s.cancelled() && !listed.contains(s.sessionId()) && !teacherCreated.contains(s.sessionId()))
                    .map(ClassSession::sessionId).toList();
            Map<String, Integer> markCounts = sessions.markCounts(h, cancelledIds);
            List<Cancelled> cancelled = new ArrayList<>();
            for (String id : cancelledIds) {
                sessions.cancel(h, id, source);
                int marks = markCounts.getOrDefault(id, 0);
                cancelled.add(new Cancelled(id, marks > 0, marks));
                countsChanged = true;
            }
            List<String> standingChanged = countsChanged ? standing.recompute(h, sectionId, null, source) : List.of();
            return new TimetableResult(sectionId, timetable.size(), added, updated, restored, cancelled, standingChanged);
        });
    }

    /**
     * Adds sessions a teacher created on the course page (origin 'teacher', so a later full-list upload from the
     * portal leaves them alone) and recomputes the standing of the section's students.
     *
     * @return the person ids whose standing changed
     */
    public List<String> addByTeacher(String sectionId, List<ClassSession> added, ChangeSource source) {
        return writes.inSection(sectionId, h -> {
            if (!sections.exists(h, sectionId)) {
                throw ApiException.notFound("no section '" + sectionId + "'");
            }
            for (ClassSession s : added) {
                sessions.insertByTeacher(h, sectionId, s, source);
            }
            return added.isEmpty() ? List.<String>of() : standing.recompute(h, sectionId, null, source);
        });
    }

    /** A valid record of the upload and its index in the request (for error paths). */
    public record Indexed(int index, ClassSession session) {
    }

    /** A session cancelled by this upload; {@code hasMarks}: its marks are kept (and no longer count). */
    public record Cancelled(String sessionId, boolean hasMarks, int marks) {
    }

    public record TimetableResult(String sectionId, int sessions, List<String> added, List<String> updated,
                                  List<String> restored, List<Cancelled> cancelled, List<String> standingChanged) {
    }
}
