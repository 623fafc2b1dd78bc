package kz.qatysu.sync.sections;

import kz.qatysu.connectors.http.Json;
import kz.qatysu.connectors.portal.Enrolment;
import kz.qatysu.connectors.portal.Person;
import kz.qatysu.connectors.portal.PersonName;
import kz.qatysu.connectors.portal.Section;
import kz.qatysu.sync.engine.Desired;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Portal sections, enrolments and academic groups → what Moodle, Open edX and the tool should hold. Pure.
 * Section code = Moodle course idnumber = the tool's section id = LTI {@code course_section_sourcedid}.
 */
public final class SectionRules {
    private final ZoneId zone;
    private final Person.Script nameScript;

    public SectionRules(ZoneId zone) {
        this(zone, Person.Script.KK);
    }

    /** @param nameScript the script of the names sent to the tool (the one Moodle accounts use) */
    public SectionRules(ZoneId zone, Person.Script nameScript) {
        this.zone = zone;
        this.nameScript = nameScript;
    }

    /** The enrolments of a section: the portal's list plus the section's teachers (as teachers when not listed). */
    public static List<Enrolment> enrolments(List<Section> sections, List<Enrolment> listed) {
        Map<String, Enrolment> out = new LinkedHashMap<>();
        listed.forEach(e -> out.put(e.key(), e));
        for (Section s : sections) {
            for (String t : s.teachers()) {
                out.putIfAbsent(s.code() + "/" + t, new Enrolment(s.code(), t, Enrolment.Role.TEACHER, null));
            }
        }
        Set<String> codes = new java.util.HashSet<>(sections.stream().map(Section::code).toList());
        return out.values().stream().filter(e -> codes.contains(e.sectionCode())).toList();
    }

    public Desired moodleCourse(Section s, long categoryId) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("fullname", s.title() + " (" + s.term() + ")");
        f.put("shortname", s.code());
        f.put("idnumber", s.code());
        f.put("categoryid", Long.toString(categoryId));
        f.put("summary", s.discipline());
        f.put("startdate", Long.toString(epoch(s.termStart())));
        f.put("enddate", Long.toString(epoch(s.termEnd().plusDays(1))));
        f.put("visible", "1");
        return Desired.of(s.code(), f);
    }

    public Desired moodleEnrolment(Enrolment e) {
        return Desired.of(e.key(), Map.of("section", e.sectionCode(), "person", e.personId(), "role", e.role().name().toLowerCase()));
    }

    public Desired moodleGroup(String section, String group) {
        return Desired.of(section + "/" + group, Map.of("section", section, "name", group, "idnumber", group));
    }

    public Desired moodleGroupMember(String section, String group, String person) {
        return Desired.of(section + "/" + group + "/" + person, Map.of("section", section, "group", group, "person", person));
    }

    /**
     * The tool's section, with the Open edX course key when the section runs there. A section without one has no such
     * field (so the release that adds it changes no other section's record); the tool target then sends "" and the
     * tool drops a link the section had.
     */
    public Desired toolSection(Section s) {
        Map<String, String> f = new LinkedHashMap<>(Map.of("title", s.title(), "termStart", s.termStart().toString(),
                "termEnd", s.termEnd().toString()));
        if (s.openedxCourseId() != null && !s.openedxCourseId().isBlank()) {
            f.put("openedxCourseKey", s.openedxCourseId().strip());
        }
        return Desired.of(s.code(), f);
    }

    /**
     * The section's whole roster as one record: the tool takes the full list in one PUT. A student's academic group
     * ({@link Person#group()}) goes with them when the portal knows it, for the tool's report per group; everyone's
     * name (in the configured script) and login go too, so the tool shows names before anyone launched and files
     * an Open edX launch (username only) under the portal person. A student's adviser ({@link Person#adviser()})
     * goes as {@code adviserId}, so the tool warns the adviser and shows them their students; a student the portal
     * knows without an adviser goes with {@code "adviserId": ""}, which removes a link the portal has dropped.
     */
    public Desired toolEnrolments(String section, List<Enrolment> enrolments, Map<String, Person> people) {
        List<Map<String, String>> list = new ArrayList<>();
        enrolments.stream().sorted(Comparator.comparing(Enrolment::personId)).forEach(e -> {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("personId", e.personId());
            m.put("role", e.role() == Enrolment.Role.STUDENT ? "student" : "teacher");
            if (e.since() != null) {
                m.put("since", e.since().toString());
            }
            Person p = people.get(e.personId());
            String group = e.role() == Enrolment.Role.STUDENT && p != null ? toolGroup(p.group()) : null;
            if (group != null) {
                m.put("group", group);
            }
            if (e.role() == Enrolment.Role.STUDENT && p != null) {
                // the portal knows the student: its adviser, or "" when it names none (any more), so the tool drops
                // a link the portal dropped; a student missing from the persons export is left out (link unchanged)
                m.put("adviserId", p.adviser() == null || p.adviser().isBlank() ? "" : p.adviser().strip());
            }
            if (p != null) {
                PersonName name = p.name(nameScript);
                putPart(m, "familyName", name.last());
                putPart(m, "givenName", name.first());
                putPart(m, "middleName", name.middle());
                if (p.login() != null && !p.login().isBlank() && p.login().strip().chars().noneMatch(Character::isWhitespace)) {
                    m.put("login", p.login().strip().toLowerCase(java.util.Locale.ROOT));
                }
            }
            list.add(m);
        });
        return Desired.of(section, Map.of("enrolments", Json.write(list), "count", Integer.toString(list.size())));
    }

    /** A name part as the tool takes it (at most 200 characters, no control characters); left out otherwise. */
    private static void putPart(Map<String, String> m, String field, String part) {
        if (part == null || part.isBlank()) {
            return;
        }
        String p = part.strip();
        if (p.codePointCount(0, p.length()) <= 200 && p.chars().noneMatch(Character::isISOControl)) {
            m.put(field, p);
        }
    }

    /** The group code as the tool takes it (trimmed, at most 64 characters); null when the tool could not take it. */
    static String toolGroup(String group) {
        if (group == null || group.isBlank()) {
            return null;
        }
        String g = group.strip();
        return g.codePointCount(0, g.length()) > 64 || g.chars().anyMatch(Character::isISOControl) ? null : g;
    }

    public Desired openEdxCohort(String course, String group) {
        return Desired.of(course + "/" + group, Map.of("course", course, "name", group));
    }

    public Desired openEdxEnrolment(String course, Person p, String cohort) {
        return Desired.of(course + "/" + p.id(), Map.of("course", course, "identifier", p.login(), "email", p.email(),
                "cohort", cohort == null ? "" : cohort));
    }

    private long epoch(LocalDate d) {
        return d.atStartOfDay(zone).toEpochSecond();
    }
}
