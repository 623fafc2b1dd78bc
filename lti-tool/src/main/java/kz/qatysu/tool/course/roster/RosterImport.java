package kz.qatysu.tool.course.roster;

import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.sections.Enrolment;
import kz.qatysu.tool.attendance.sections.SectionService;
import kz.qatysu.tool.course.CourseReader;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.course.PersonDirectory;
import kz.qatysu.tool.locks.CourseLinks;
import kz.qatysu.tool.lti.advantage.Member;
import kz.qatysu.tool.lti.advantage.NamesRoles;
import kz.qatysu.tool.lti.advantage.NrpsEndpoint;
import kz.qatysu.tool.lti.advantage.Roster;
import kz.qatysu.tool.lti.platforms.Platform;
import kz.qatysu.tool.lti.platforms.PlatformService;
import kz.qatysu.tool.lti.session.ToolSession;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The roster of a course the portal has not sent one for — a local course, or a portal section whose enrolments
 * the daemon has not uploaded yet — taken from the platform's Names and Roles service (NRPS 2.0) so a teacher sees
 * every student before they have launched. Only active learners (not instructors) are enrolled, under the id their
 * own launches will carry: the portal person id ({@code lis_person_sourcedid}, Moodle's user ID number), else the
 * username ({@code ext_user_username}, which Moodle 4.5 adds to its NRPS members as to its launches). Members with
 * neither are counted and join at their first launch, as before — enrolling them under another id would list them
 * twice.
 * Nothing is withdrawn: a later portal upload of the section is the authority and replaces the roster.
 */
public final class RosterImport {
    private final PlatformService platforms;
    private final NamesRoles nrps;
    private final SectionService sections;
    private final CourseReader reader;
    private final PersonDirectory people;
    private final CourseLinks links;
    private final Clock clock;

    public RosterImport(PlatformService platforms, NamesRoles nrps, SectionService sections, CourseReader reader,
                        PersonDirectory people, CourseLinks links, Clock clock) {
        this.platforms = Objects.requireNonNull(platforms, "platforms");
        this.nrps = Objects.requireNonNull(nrps, "nrps");
        this.sections = Objects.requireNonNull(sections, "sections");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.people = Objects.requireNonNull(people, "people");
        this.links = Objects.requireNonNull(links, "links");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** What an import did. */
    public record Result(int members, int added, int alreadyEnrolled, int withoutId, int notLearners) {
    }

    /** May this launch's course take its roster from NRPS: the launch offers the service and the portal sent no roster. */
    public boolean offered(ToolSession s, String sectionId) {
        return NrpsEndpoint.of(s).isPresent() && reader.sectionExists(sectionId)
                && (CourseScope.isLocal(sectionId) || reader.students(sectionId).isEmpty());
    }

    /** The import is not {@link #offered} for this course. */
    public static final class NotOffered extends RuntimeException {
        NotOffered(String sectionId) {
            super("no roster import for section " + sectionId, null, false, false);
        }
    }

    /**
     * @throws kz.qatysu.tool.lti.advantage.AdvantageException when the platform refuses or cannot be reached
     * @throws NotOffered                                      when {@link #offered} is false
     */
    public Result run(ToolSession s, String sectionId) {
        if (!offered(s, sectionId)) {
            throw new NotOffered(sectionId);
        }
        Platform platform = platforms.byId(s.platformId())
                .orElseThrow(() -> new IllegalStateException("platform " + s.platformId() + " is gone"));
        Roster roster = nrps.roster(platform, NrpsEndpoint.of(s).orElseThrow());
        ChangeSource source = new ChangeSource("lti:" + CourseScope.personId(s), clock.instant(),
                "roster from the course's Names and Roles service");
        int added = 0;
        int already = 0;
        int withoutId = 0;
        int notLearners = 0;
        for (Member m : roster.members()) {
            if (!m.active() || !m.learner() || m.instructor()) {
                notLearners++;
                continue;
            }
            Optional<String> personId = personIdOf(m).map(id -> id.equals(usernameOf(m)) ? people.personIdOfLogin(id).orElse(id) : id);
            if (personId.isEmpty()) {
                withoutId++;
                continue;
            }
            String id = personId.get();
            if (sections.enrolIfAbsent(sectionId, new Enrolment(id, Enrolment.Role.STUDENT, null, false), source)) {
                added++;
            } else {
                already++;
            }
            if (m.userId() != null && !m.userId().isBlank()) {
                links.learnSubject(platform.id(), m.userId(), id);
            }
            people.remember(id, new kz.qatysu.tool.course.PersonName(m.name(), m.familyName(), m.givenName(), null), "nrps");
        }
        return new Result(roster.members().size(), added, already, withoutId, notLearners);
    }

    private static String usernameOf(Member m) {
        return m.extUserUsername() == null ? null : m.extUserUsername().strip();
    }

    /** The id the member's own launches carry (see {@code ToolSession.personId}); empty when it cannot be known yet. */
    static Optional<String> personIdOf(Member m) {
        if (m.lisPersonSourcedId() != null && !m.lisPersonSourcedId().isBlank()) {
            return Optional.of(m.lisPersonSourcedId().strip());
        }
        return Optional.ofNullable(m.extUserUsername()).map(String::strip).filter(u -> !u.isEmpty());
    }
}
