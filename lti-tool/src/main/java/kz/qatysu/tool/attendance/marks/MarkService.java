package kz.qatysu.tool.attendance.marks;

import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.InputProblems;
import kz.qatysu.tool.attendance.AttendanceWrites;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.changes.ChangeFeed;
import kz.qatysu.tool.attendance.rules.AttendanceStatus;
import kz.qatysu.tool.attendance.rules.Mark;
import kz.qatysu.tool.attendance.sections.Enrolment;
import kz.qatysu.tool.attendance.sections.SectionRepository;
import kz.qatysu.tool.attendance.sessions.ClassSessionRepository;
import kz.qatysu.tool.attendance.standing.StandingService;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Imports marks of one session: each person must be an enrolled student of the session's section (of the session's
 * academic group, for a group session); every mark
 * that differs from the stored one is saved with its history row and a feed entry, and the standing of exactly
 * those students is recomputed — all in one transaction. A record that says which version of the mark it was read
 * at ({@link Indexed#readAtVersion}) is refused — kept out of the write and returned as a {@link Conflict} — when
 * the stored mark differs from it and has moved on from that version (optimistic concurrency: the marking grid, the
 * API's per-mark {@code version}); the other records are written as usual.
 */
public final class MarkService {
    private final AttendanceWrites writes;
    private final ClassSessionRepository sessions;
    private final SectionRepository sections;
    private final MarkRepository marks;
    private final ChangeFeed feed;
    private final StandingService standing;
    private final Clock clock;
    private final int editLockDays;
    private final ApprovedExcuses excuses;

    /** Who is changing marks: a teacher (course pages, check-in) is held to the edit lock; the admin path is not. */
    public enum Editor {
        /** The section's teacher through the course pages, or a student's self check-in. */
        TEACHER,
        /** The dean's office (admin sign-in: excuse decisions) or the REST API (sync daemon, admin scope). */
        ADMIN
    }

    /** Without an edit lock. */
    public MarkService(AttendanceWrites writes, ClassSessionRepository sessions, SectionRepository sections,
                       MarkRepository marks, ChangeFeed feed, StandingService standing) {
        this(writes, sessions, sections, marks, feed, standing, Clock.systemUTC(), 0, ApprovedExcuses.NONE);
    }

    /**
     * @param editLockDays marks of sessions that started more than this many days before {@code clock}'s now can
     *                     only be changed by {@link Editor#ADMIN}; 0 = no lock ({@code attendance.markEditLockDays})
     * @param excuses      approved excuses, which turn ABSENT marks on the sessions they cover into EXCUSED
     */
    public MarkService(AttendanceWrites writes, ClassSessionRepository sessions, SectionRepository sections,
                       MarkRepository marks, ChangeFeed feed, StandingService standing, Clock clock, int editLockDays,
                       ApprovedExcuses excuses) {
        if (editLockDays < 0) {
            throw new IllegalArgumentException("editLockDays must be ≥ 0, was " + editLockDays);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.editLockDays = editLockDays;
        this.excuses = Objects.requireNonNull(excuses, "excuses");
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
        return importMarks(sessionId, records, problems, source, Editor.ADMIN);
    }

    /**
     * The same, by {@code editor}: a {@link Editor#TEACHER} change to a session that started more than
     * {@code attendance.markEditLockDays} days ago is refused (400 naming the session and its date), nothing stored.
     */
    public MarksResult importMarks(String sessionId, List<Indexed> records, InputProblems problems, ChangeSource source,
                                   Editor editor) {
        // the session as read by the last look-up, the one made once its section's lock was held: nothing reads it again
        AtomicReference<ClassSessionRepository.Located> located = new AtomicReference<>();
        return writes.inSectionOf(h -> {
            Optional<ClassSessionRepository.Located> found = sessions.find(h, sessionId);
            located.set(found.orElse(null));
            return found.map(ClassSessionRepository.Located::sectionId);
        }, h -> importLocked(h, sessionId, Optional.ofNullable(located.get()), records, problems, source, editor));
    }

    /**
     * The same import on the caller's handle, for writes that must commit together with other rows (an approved
     * excuse and the EXCUSED marks it causes). The caller's {@link AttendanceWrites} transaction holds the lock of
     * the session's section (or no lock yet: then it is taken here, before anything is written).
     */
    public MarksResult importMarks(org.jdbi.v3.core.Handle h, String sessionId, List<Indexed> records,
                                   InputProblems problems, ChangeSource source) {
        return importMarks(h, sessionId, records, problems, source, Editor.ADMIN);
    }

    /** The import on the caller's handle, by {@code editor} (see the edit lock above). */
    public MarksResult importMarks(org.jdbi.v3.core.Handle h, String sessionId, List<Indexed> records,
                                   InputProblems problems, ChangeSource source, Editor editor) {
        Optional<ClassSessionRepository.Located> found = sessions.find(h, sessionId);
        found.ifPresent(l -> AttendanceWrites.lock(h, l.sectionId())); // held already (taken again at once) when the caller locked it
        return importLocked(h, sessionId, found, records, problems, source, editor);
    }

    /** The import once the section of {@code found} (the session as read under its lock) is locked. */
    private MarksResult importLocked(org.jdbi.v3.core.Handle h, String sessionId,
                                     Optional<ClassSessionRepository.Located> found, List<Indexed> records,
                                     InputProblems problems, ChangeSource source, Editor editor) {
        Objects.requireNonNull(editor, "editor");
        ClassSessionRepository.Located located = found
                .orElseThrow(() -> ApiException.notFound("no session '" + sessionId + "'"));
        if (editor == Editor.TEACHER && editLocked(located.session().start())) {
            throw ApiException.badRequest("marks of session '" + sessionId + "' are locked", List.of(new ApiException.Detail(
                    "sessionId", "Marks of session " + sessionId + " (" + sessionDay(located.session().start())
                            + ") can no longer be changed here: sessions that started more than " + editLockDays
                            + " days ago are corrected by the dean's office")));
        }
        long sessionMinutes = located.session().durationMinutes();
        for (Indexed r : records) {
            if (r.mark() != null && r.mark().lateMinutes() != null && r.mark().lateMinutes() > sessionMinutes) {
                problems.add("[" + r.index() + "].lateMinutes", "at most the session's length, " + sessionMinutes
                        + " minutes, was " + r.mark().lateMinutes());
            }
        }
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
            } else if (!located.session().appliesTo(e.group())) {
                problems.add(path, "'" + r.personId() + "' is " + (e.group() == null ? "in no academic group"
                        : "in academic group '" + e.group() + "'") + ", and session '" + sessionId
                        + "' is for academic group '" + located.session().group() + "' only");
            }
        }
        problems.throwIfAny("invalid marks: nothing was stored");

        records = excusedWhereApproved(h, sessionId, records);
        Map<String, MarkRepository.Stored> before = marks.storedOfSession(h, sessionId);
        List<String> changed = new ArrayList<>();
        List<MarkRepository.Change> toSave = new ArrayList<>();
        List<Map.Entry<String, Mark>> toFeed = new ArrayList<>();
        List<Conflict> conflicts = new ArrayList<>();
        for (Indexed r : records) {
            MarkRepository.Stored stored = before.get(r.personId());
            Mark old = stored == null ? null : stored.mark();
            if (r.mark().equals(old)) {
                continue; // the same mark, whatever version it was read at: nothing to change, nothing to ask
            }
            long current = stored == null ? 0 : stored.version();
            if (r.readAtVersion() != null && r.readAtVersion() != current) {
                // changed by someone else since the caller read it: kept as it is, and handed back with both marks
                conflicts.add(new Conflict(r.index(), r.personId(), r.mark(), r.readAtVersion(), stored));
                continue;
            }
            toSave.add(new MarkRepository.Change(r.personId(), old, r.mark()));
            toFeed.add(Map.entry(r.personId(), r.mark()));
            changed.add(r.personId());
        }
        marks.saveAll(h, toSave, source);
        feed.appendMarks(h, sectionId, toFeed, source);
        List<String> standingChanged = changed.isEmpty() ? List.of() : standing.recompute(h, sectionId, changed, source);
        Map<String, Long> versions = new java.util.LinkedHashMap<>();
        Map<String, Long> after = new java.util.HashMap<>();
        before.forEach((person, m) -> after.put(person, m.version()));
        for (MarkRepository.Change c : toSave) {
            after.merge(c.personId(), 1L, (was, one) -> was + one);
        }
        for (Indexed r : records) {
            versions.put(r.personId(), after.getOrDefault(r.personId(), 0L));
        }
        return new MarksResult(sessionId, sectionId, located.session().cancelled(), records.size(), changed.size(),
                records.size() - changed.size() - conflicts.size(), standingChanged, versions, List.copyOf(conflicts));
    }

    /** ABSENT records of students with an approved excuse for the session become EXCUSED (see {@link ApprovedExcuses}). */
    private List<Indexed> excusedWhereApproved(org.jdbi.v3.core.Handle h, String sessionId, List<Indexed> records) {
        List<String> absent = records.stream()
                .filter(r -> r.mark().status() == AttendanceStatus.ABSENT)
                .map(Indexed::personId).toList();
        if (absent.isEmpty()) {
            return records;
        }
        Map<String, String> reasons = excuses.covering(h, sessionId, absent);
        if (reasons.isEmpty()) {
            return records;
        }
        return records.stream().map(r -> r.mark().status() == AttendanceStatus.ABSENT
                        && reasons.containsKey(r.personId())
                        ? new Indexed(r.index(), r.personId(), Mark.excused(sessionId, reasons.get(r.personId())))
                        : r)
                .toList();
    }

    /** The days after which a teacher can no longer change a session's marks; 0 = no lock. */
    public int editLockDays() {
        return editLockDays;
    }

    /**
     * The day a session starting at {@code start} is on, in the institution's zone ({@code ui.timeZone}) — the day
     * the pages show — not in the offset the timetable was sent in (03:00Z is 08:00 the same day in Almaty, 19:30Z
     * the next day).
     */
    static java.time.LocalDate sessionDay(OffsetDateTime start) {
        return start.atZoneSameInstant(kz.qatysu.tool.web.Messages.zone()).toLocalDate();
    }

    /** True when the edit lock is on and a session starting at {@code start} is older than it. */
    public boolean editLocked(OffsetDateTime start) {
        return editLockDays > 0 && start.toInstant().isBefore(clock.instant().minus(Duration.ofDays(editLockDays)));
    }

    /**
     * One record of an import. {@code readAtVersion}: the version of the person's mark the caller read before
     * changing it (0 = there was no mark), or null to write whatever is stored (the portal's journal, check-in,
     * excuses). A record whose mark was changed since that version is not stored but returned as a {@link Conflict}.
     */
    public record Indexed(int index, String personId, Mark mark, Long readAtVersion) {
        public Indexed(int index, String personId, Mark mark) {
            this(index, personId, mark, null);
        }
    }

    /**
     * A record refused because the mark changed after the caller read it: both intents, nothing overwritten.
     *
     * @param yours         the mark the caller wanted
     * @param readAtVersion the version the caller read
     * @param current       the mark as stored now (who, when, version); null when it was removed meanwhile
     */
    public record Conflict(int index, String personId, Mark yours, long readAtVersion, MarkRepository.Stored current) {
    }

    /**
     * @param sessionCancelled marks on a cancelled session are kept but count nowhere
     * @param unchanged        records equal to the stored mark
     * @param versions         every received person's mark version after this import (0 = no mark)
     * @param conflicts        records not stored because their mark changed after the version they were read at
     */
    public record MarksResult(String sessionId, String sectionId, boolean sessionCancelled, int received, int changed,
                              int unchanged, List<String> standingChanged, Map<String, Long> versions,
                              List<Conflict> conflicts) {
    }
}
