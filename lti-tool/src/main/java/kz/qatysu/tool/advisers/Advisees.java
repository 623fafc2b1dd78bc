package kz.qatysu.tool.advisers;

import kz.qatysu.tool.attendance.rules.Standing;
import kz.qatysu.tool.attendance.standing.StandingRepository;
import kz.qatysu.tool.course.PersonDirectory;
import org.jdbi.v3.core.Jdbi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The students an adviser (эдвайзер / куратор) looks after, as the portal's links say (table {@code student_adviser},
 * V175), with their standing in every section they study in. Reads only; an adviser asks for their own students
 * and nobody else's — the handler passes the signed-in person's id, never one from the request.
 */
public final class Advisees {
    private final Jdbi jdbi;
    private final StandingRepository standing;
    private final PersonDirectory people;

    public Advisees(Jdbi jdbi, StandingRepository standing, PersonDirectory people) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.standing = Objects.requireNonNull(standing, "standing");
        this.people = Objects.requireNonNull(people, "people");
    }

    /** One section of a student: its title and the stored standing (empty until the section's standing is computed). */
    public record SectionStanding(String sectionId, String title, Optional<Standing> standing) {
    }

    /**
     * One student of the adviser: the name (the person id when no name is known), the academic group (null when no
     * roster upload named one) and the active enrolments as a student, by section id.
     */
    public record Student(String personId, String name, String group, List<SectionStanding> sections) {
    }

    /** The adviser's students in list order for {@code locale} (family name first), each with their sections. */
    public List<Student> of(String adviserId, Locale locale) {
        record Enrolled(String studentId, String sectionId, String title, String group) {
        }
        return jdbi.withHandle(h -> {
            List<Enrolled> rows = h.createQuery("""
                            SELECT a.student_id, e.section_id, COALESCE(NULLIF(s.title, ''), e.section_id) AS title, e.academic_group
                            FROM student_adviser a
                            LEFT JOIN enrolment e ON e.person_id = a.student_id AND e.role = 'student' AND e.withdrawn_at IS NULL
                            LEFT JOIN section s ON s.section_id = e.section_id
                            WHERE a.adviser_id = :adviser
                            ORDER BY a.student_id, e.section_id""")
                    .bind("adviser", adviserId)
                    .map((rs, c) -> new Enrolled(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                    .list();
            Map<String, List<Enrolled>> byStudent = new LinkedHashMap<>();
            Map<String, List<String>> bySection = new TreeMap<>();
            for (Enrolled r : rows) {
                List<Enrolled> own = byStudent.computeIfAbsent(r.studentId(), k -> new ArrayList<>());
                if (r.sectionId() != null) {
                    own.add(r);
                    bySection.computeIfAbsent(r.sectionId(), k -> new ArrayList<>()).add(r.studentId());
                }
            }
            Map<String, Map<String, Standing>> stored = new LinkedHashMap<>();
            bySection.forEach((section, students) -> stored.put(section, standing.stored(h, section, students)));
            Map<String, String> names = people.names(byStudent.keySet());
            List<Student> out = new ArrayList<>();
            for (String id : people.sorted(byStudent.keySet(), locale)) {
                List<SectionStanding> sections = new ArrayList<>();
                String group = null;
                for (Enrolled e : byStudent.get(id)) {
                    sections.add(new SectionStanding(e.sectionId(), e.title(),
                            Optional.ofNullable(stored.getOrDefault(e.sectionId(), Map.of()).get(id))));
                    group = group == null ? e.group() : group;
                }
                out.add(new Student(id, names.getOrDefault(id, id), group, List.copyOf(sections)));
            }
            return out;
        });
    }
}
