package kz.qatysu.tool.course.mapping;

import kz.qatysu.tool.attendance.AttendanceWrites;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.changes.ChangeFeed;
import kz.qatysu.tool.attendance.rules.Mark;
import kz.qatysu.tool.attendance.sections.SectionRepository;
import kz.qatysu.tool.attendance.standing.StandingService;
import kz.qatysu.tool.course.CourseScope;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps a local section ({@code lti-<platform>-<context>}: a course that launched without a portal section code) to
 * its portal section, in one attendance transaction: the local section's sessions (all teacher-created) move with
 * their marks, marks under a local person id take the portal person id a launch has since shown, the excuses move,
 * the moved marks enter the change feed under the portal section (so the daemon writes them back), the portal
 * section's standing recomputes, and open launches of the course follow at once. The local section stays (empty)
 * with its enrolment history; a mapping is final — a wrong one is corrected by the dean's office in the portal
 * section, not by moving data back and forth.
 */
public final class CourseMappingService {
    private final AttendanceWrites writes;
    private final CourseMappingRepository repository;
    private final SectionRepository sections;
    private final ChangeFeed feed;
    private final StandingService standing;
    private final Clock clock;

    public CourseMappingService(AttendanceWrites writes, CourseMappingRepository repository, SectionRepository sections,
                                ChangeFeed feed, StandingService standing, Clock clock) {
        this.writes = Objects.requireNonNull(writes, "writes");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.sections = Objects.requireNonNull(sections, "sections");
        this.feed = Objects.requireNonNull(feed, "feed");
        this.standing = Objects.requireNonNull(standing, "standing");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Where a local section id came from: the platform's id and the LTI context id. */
    record LocalCourse(long platformId, String contextId) {
        static Optional<LocalCourse> parse(String localSectionId) {
            if (localSectionId == null || !CourseScope.isLocal(localSectionId)) {
                return Optional.empty();
            }
            String rest = localSectionId.substring(CourseScope.LOCAL_PREFIX.length());
            int dash = rest.indexOf('-');
            if (dash <= 0 || dash == rest.length() - 1) {
                return Optional.empty();
            }
            try {
                return Optional.of(new LocalCourse(Long.parseLong(rest.substring(0, dash)), rest.substring(dash + 1)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * @throws MappingRefused when the local section does not exist, the course is mapped already, or the target is
     *                        missing, unknown or local itself
     */
    public CourseMappingRepository.Mapping map(String localSectionId, String sectionId, String actor) {
        Instant now = clock.instant();
        LocalCourse course = LocalCourse.parse(localSectionId).orElseThrow(() -> new MappingRefused(
                MappingRefused.Reason.NOT_LOCAL, "'" + localSectionId + "' is not a local course section (lti-<platform>-<context>)"));
        String target = sectionId == null ? "" : sectionId.strip();
        ChangeSource source = new ChangeSource(actor, now, "course " + localSectionId + " mapped to section " + target);
        // both sections' locks, in key order: the local section's data moves into the portal section
        return writes.inSections(target.isEmpty() ? List.of(localSectionId) : List.of(localSectionId, target), h -> {
            if (!sections.exists(h, localSectionId)) {
                throw new MappingRefused(MappingRefused.Reason.NOT_LOCAL, "no section '" + localSectionId + "'");
            }
            if (repository.isMapped(h, localSectionId)) {
                throw new MappingRefused(MappingRefused.Reason.ALREADY_MAPPED, "course '" + localSectionId + "' is already mapped");
            }
            requireTarget(h, target);
            int rekeyed = repository.rekeyLocalPersons(h, localSectionId, course.platformId());
            List<Map.Entry<String, Mark>> marks = repository.marksOf(h, localSectionId);
            int sessionsMoved = repository.moveSessions(h, localSectionId, target, now);
            int excusesMoved = repository.moveExcuses(h, localSectionId, target);
            feed.appendMarks(h, target, marks, source);
            repository.repointOpenLaunches(h, course.platformId(), course.contextId(), target);
            CourseMappingRepository.Mapping m = new CourseMappingRepository.Mapping(localSectionId, course.platformId(),
                    course.contextId(), target, actor, now, sessionsMoved, marks.size(), rekeyed, excusesMoved);
            repository.insert(h, m);
            standing.recompute(h, target, null, source);
            standing.recompute(h, localSectionId, null, source);
            return m;
        });
    }

    private void requireTarget(Handle h, String target) {
        if (target.isEmpty()) {
            throw new MappingRefused(MappingRefused.Reason.TARGET_REQUIRED,
                    "required: the portal section code (Moodle course idnumber) to map the course to");
        }
        if (CourseScope.isLocal(target)) {
            throw new MappingRefused(MappingRefused.Reason.TARGET_LOCAL,
                    "'" + target + "' is a local course section, not a portal section");
        }
        if (!sections.exists(h, target)) {
            throw new MappingRefused(MappingRefused.Reason.TARGET_UNKNOWN,
                    "no section '" + target + "': the sync daemon creates portal sections (PUT /api/v1/sections/{id})");
        }
    }
}
