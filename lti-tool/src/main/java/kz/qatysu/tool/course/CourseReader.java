package kz.qatysu.tool.course;

import kz.qatysu.tool.attendance.marks.MarkRepository;
import kz.qatysu.tool.attendance.rules.Mark;
import kz.qatysu.tool.attendance.sections.SectionRepository;
import kz.qatysu.tool.attendance.sessions.ClassSession;
import kz.qatysu.tool.attendance.sessions.ClassSessionRepository;
import kz.qatysu.tool.attendance.standing.StandingRepository;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Reads what the course pages show, through the attendance repositories, one short handle per call. */
public final class CourseReader {
    private final Jdbi jdbi;
    private final SectionRepository sections;
    private final ClassSessionRepository sessions;
    private final MarkRepository marks;
    private final StandingRepository standing;

    public CourseReader(Jdbi jdbi, SectionRepository sections, ClassSessionRepository sessions, MarkRepository marks,
                        StandingRepository standing) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.sections = Objects.requireNonNull(sections, "sections");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.marks = Objects.requireNonNull(marks, "marks");
        this.standing = Objects.requireNonNull(standing, "standing");
    }

    /**
     * What a teacher's pages need about the section, read in one transaction; {@code lastMarked}: who saved a mark of
     * each session last, and when (sessions without marks are absent).
     */
    public record Timetable(Map<String, ClassSession> sessions, Set<String> teacherCreated, Map<String, Integer> markCounts,
                            Map<String, MarkRepository.LastMarked> lastMarked) {
    }

    public boolean sectionExists(String sectionId) {
        return jdbi.withHandle(h -> sections.exists(h, sectionId));
    }

    public Timetable timetable(String sectionId) {
        return jdbi.inTransaction(h -> {
            Map<String, ClassSession> all = sessions.ofSection(h, sectionId);
            return new Timetable(all, sessions.teacherCreated(h, sectionId), sessions.markCounts(h, all.keySet()),
                    marks.lastMarked(h, all.keySet()));
        });
    }

    /** The session, only when it belongs to {@code sectionId}: another section's id reads as absent. */
    public Optional<ClassSession> sessionOf(String sectionId, String sessionId) {
        return jdbi.withHandle(h -> sessions.find(h, sessionId))
                .filter(l -> l.sectionId().equals(sectionId))
                .map(ClassSessionRepository.Located::session);
    }

    /** Enrolled (not withdrawn) students of the section, in person id order. */
    public List<String> students(String sectionId) {
        return jdbi.withHandle(h -> standing.students(h, sectionId, null)).stream()
                .map(StandingRepository.Student::personId).toList();
    }

    /**
     * Enrolled (not withdrawn) students the session is for, in person id order: all of them, or for a group session
     * the students of its academic group.
     */
    public List<String> studentsOf(String sectionId, ClassSession session) {
        return jdbi.withHandle(h -> standing.students(h, sectionId, null)).stream()
                .filter(st -> session.appliesTo(st.group()))
                .map(StandingRepository.Student::personId).toList();
    }

    /** The academic groups of the section's enrolled students, sorted (a group session is for one of them). */
    public List<String> academicGroups(String sectionId) {
        return jdbi.withHandle(h -> standing.students(h, sectionId, null)).stream()
                .map(StandingRepository.Student::group).filter(Objects::nonNull).distinct().sorted().toList();
    }

    /** Stored standing of every enrolled student, by person id. */
    public Map<String, StandingRepository.StoredStanding> standing(String sectionId) {
        return jdbi.withHandle(h -> standing.roster(h, sectionId));
    }

    public Map<String, Mark> marksOfSession(String sessionId) {
        return jdbi.withHandle(h -> marks.ofSession(h, sessionId));
    }

    /** The stored marks of a session with their versions and last writers, by person id (the marking grid). */
    public Map<String, MarkRepository.Stored> storedMarksOfSession(String sessionId) {
        return jdbi.withHandle(h -> marks.storedOfSession(h, sessionId));
    }

    /** One student's marks in the section, by session id. */
    public Map<String, Mark> marksOf(String sectionId, String personId) {
        return jdbi.withHandle(h -> standing.marks(h, sectionId, List.of(personId))).getOrDefault(personId, Map.of());
    }
}
