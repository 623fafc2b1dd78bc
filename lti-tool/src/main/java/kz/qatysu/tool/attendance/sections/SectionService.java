package kz.qatysu.tool.attendance.sections;

import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.attendance.AttendanceWrites;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.standing.StandingService;
import kz.qatysu.tool.course.PersonDirectory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Upserts sections and replaces their rosters; a roster change recomputes the standing of the people it touched. */
public final class SectionService {
    private final AttendanceWrites writes;
    private final SectionRepository sections;
    private final StandingService standing;
    private final PersonDirectory people;

    public SectionService(AttendanceWrites writes, SectionRepository sections, StandingService standing,
                          PersonDirectory people) {
        this.writes = Objects.requireNonNull(writes, "writes");
        this.sections = Objects.requireNonNull(sections, "sections");
        this.standing = Objects.requireNonNull(standing, "standing");
        this.people = Objects.requireNonNull(people, "people");
    }

    /**
     * Links the section to the Open edX course it runs in (or unlinks it, {@code courseKey} null): launches from that
     * course open this section. A course key another section held moves here; open launches of the course follow.
     *
     * @return true when the link changed
     */
    public boolean linkOpenEdxCourse(String sectionId, String courseKey, ChangeSource source) {
        return writes.inSection(sectionId, h -> sections.linkOpenEdxCourse(h, sectionId, courseKey, source));
    }

    /** @return true when the section was created, false when it existed (and was updated if anything differed) */
    public boolean upsert(Section given, ChangeSource source) {
        return writes.inSection(given.sectionId(), h -> {
            var existing = sections.find(h, given.sectionId());
            if (existing.isEmpty()) {
                sections.insert(h, given, source);
                return true;
            }
            // an upload without a faculty keeps the stored one (the field is optional and additive)
            Section section = given.faculty() != null ? given : new Section(given.sectionId(), given.title(),
                    given.termStart(), given.termEnd(), existing.get().faculty());
            if (!existing.get().equals(section)) {
                sections.update(h, section, source);
            }
            return false;
        });
    }

    /**
     * Replaces the section's roster with {@code roster}: new people are enrolled, changed ones updated, withdrawn
     * ones who are back re-enrolled, and people missing from the list withdrawn (kept, with their marks).
     */
    public RosterResult replaceRoster(String sectionId, List<Enrolment> roster, ChangeSource source) {
        return replaceRoster(sectionId, roster, List.of(), source);
    }

    /** As {@link #replaceRoster(String, List, ChangeSource)}, storing the portal's names and logins in the same transaction. */
    public RosterResult replaceRoster(String sectionId, List<Enrolment> roster, List<PersonDirectory.PortalPerson> names,
                                      ChangeSource source) {
        return writes.inSection(sectionId, h -> {
            if (!sections.exists(h, sectionId)) {
                throw ApiException.notFound("no section '" + sectionId + "'");
            }
            people.rememberPortal(h, names, source.at());
            Map<String, Enrolment> before = sections.enrolments(h, sectionId);
            List<String> added = new ArrayList<>();
            List<String> changed = new ArrayList<>();
            List<String> reEnrolled = new ArrayList<>();
            List<String> withdrawn = new ArrayList<>();
            Set<String> touched = new LinkedHashSet<>();
            Set<String> listed = new LinkedHashSet<>();
            for (Enrolment e : roster) {
                listed.add(e.personId());
                Enrolment old = before.get(e.personId());
                String event;
                if (old == null) {
                    event = "ENROLLED";
                    added.add(e.personId());
                } else if (old.withdrawn()) {
                    event = "RE_ENROLLED";
                    reEnrolled.add(e.personId());
                } else if (!old.sameAs(e)) {
                    event = "CHANGED";
                    changed.add(e.personId());
                } else {
                    continue;
                }
                sections.upsertEnrolment(h, sectionId, e, source);
                sections.appendHistory(h, sectionId, e, event, source);
                touched.add(e.personId());
            }
            for (Enrolment old : before.values()) {
                if (!old.withdrawn() && !listed.contains(old.personId())) {
                    sections.withdraw(h, sectionId, old.personId(), source);
                    sections.appendHistory(h, sectionId, old, "WITHDRAWN", source);
                    withdrawn.add(old.personId());
                }
            }
            List<String> standingChanged = touched.isEmpty() ? List.of()
                    : standing.recompute(h, sectionId, touched, source);
            int active = roster.size();
            return new RosterResult(sectionId, active, added, changed, reEnrolled, withdrawn, standingChanged);
        });
    }

    /**
     * Enrols one person seen in a launch, unless the section already lists them (in any state: a withdrawn
     * person stays withdrawn). Used for local sections only, whose roster no portal sends.
     *
     * @return true when the person was enrolled now
     */
    public boolean enrolIfAbsent(String sectionId, Enrolment e, ChangeSource source) {
        return writes.inSection(sectionId, h -> {
            if (!sections.exists(h, sectionId) || sections.enrolments(h, sectionId).containsKey(e.personId())) {
                return false;
            }
            sections.upsertEnrolment(h, sectionId, e, source);
            sections.appendHistory(h, sectionId, e, "ENROLLED", source);
            standing.recompute(h, sectionId, List.of(e.personId()), source);
            return true;
        });
    }

    public record RosterResult(String sectionId, int enrolled, List<String> added, List<String> changed,
                               List<String> reEnrolled, List<String> withdrawn, List<String> standingChanged) {
    }
}
