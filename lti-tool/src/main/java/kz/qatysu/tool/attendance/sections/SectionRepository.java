package kz.qatysu.tool.attendance.sections;

import kz.qatysu.tool.attendance.ChangeSource;
import org.jdbi.v3.core.Handle;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Sections, their enrolments and the enrolment history. Every method runs on the caller's handle. */
public final class SectionRepository {

    public boolean exists(Handle h, String sectionId) {
        return h.createQuery("SELECT EXISTS (SELECT 1 FROM section WHERE section_id = :id)")
                .bind("id", sectionId).mapTo(Boolean.class).one();
    }

    public Optional<Section> find(Handle h, String sectionId) {
        return h.createQuery("SELECT section_id, title, term_start, term_end, faculty FROM section WHERE section_id = :id")
                .bind("id", sectionId)
                .map((rs, ctx) -> new Section(rs.getString("section_id"), rs.getString("title"),
                        rs.getObject("term_start", LocalDate.class), rs.getObject("term_end", LocalDate.class), rs.getString("faculty")))
                .findOne();
    }

    public void insert(Handle h, Section s, ChangeSource source) {
        h.createUpdate("""
                        INSERT INTO section (section_id, title, term_start, term_end, faculty, created_at, updated_at)
                        VALUES (:id, :title, :start, :end, :faculty, :at, :at)""")
                .bind("id", s.sectionId()).bind("title", s.title()).bind("start", s.termStart()).bind("end", s.termEnd())
                .bind("faculty", s.faculty())
                .bind("at", source.at())
                .execute();
    }

    public void update(Handle h, Section s, ChangeSource source) {
        h.createUpdate("""
                        UPDATE section SET title = :title, term_start = :start, term_end = :end, faculty = :faculty, updated_at = :at
                        WHERE section_id = :id""")
                .bind("id", s.sectionId()).bind("title", s.title()).bind("start", s.termStart()).bind("end", s.termEnd())
                .bind("faculty", s.faculty())
                .bind("at", source.at())
                .execute();
    }

    /** Every enrolment the section ever had, withdrawn ones included, by person id. */
    public Map<String, Enrolment> enrolments(Handle h, String sectionId) {
        Map<String, Enrolment> out = new LinkedHashMap<>();
        h.createQuery("""
                        SELECT person_id, role, since, academic_group, withdrawn_at IS NOT NULL AS withdrawn
                        FROM enrolment WHERE section_id = :section ORDER BY person_id""")
                .bind("section", sectionId)
                .map((rs, ctx) -> new Enrolment(rs.getString("person_id"),
                        Enrolment.Role.valueOf(rs.getString("role").toUpperCase(java.util.Locale.ROOT)),
                        rs.getObject("since", LocalDate.class), rs.getString("academic_group"), rs.getBoolean("withdrawn")))
                .forEach(e -> out.put(e.personId(), e));
        return out;
    }

    /** Inserts or re-activates an enrolment with the given role, since and academic group. */
    public void upsertEnrolment(Handle h, String sectionId, Enrolment e, ChangeSource source) {
        h.createUpdate("""
                        INSERT INTO enrolment (section_id, person_id, role, since, academic_group, created_at, updated_at)
                        VALUES (:section, :person, :role, :since, :group, :at, :at)
                        ON CONFLICT (section_id, person_id) DO UPDATE SET
                            role = EXCLUDED.role, since = EXCLUDED.since, academic_group = EXCLUDED.academic_group,
                            withdrawn_at = NULL, updated_at = EXCLUDED.updated_at""")
                .bind("section", sectionId).bind("person", e.personId()).bind("role", e.role().wire())
                .bindByType("since", e.since(), LocalDate.class).bindByType("group", e.group(), String.class).bind("at", source.at())
                .execute();
    }

    public void withdraw(Handle h, String sectionId, String personId, ChangeSource source) {
        h.createUpdate("""
                        UPDATE enrolment SET withdrawn_at = :at, updated_at = :at
                        WHERE section_id = :section AND person_id = :person AND withdrawn_at IS NULL""")
                .bind("section", sectionId).bind("person", personId).bind("at", source.at())
                .execute();
    }

    public void appendHistory(Handle h, String sectionId, Enrolment e, String event, ChangeSource source) {
        h.createUpdate("""
                        INSERT INTO enrolment_history (section_id, person_id, event, role, since, academic_group, changed_by, changed_at)
                        VALUES (:section, :person, :event, :role, :since, :group, :by, :at)""")
                .bind("section", sectionId).bind("person", e.personId()).bind("event", event)
                .bind("role", e.role().wire()).bindByType("since", e.since(), LocalDate.class)
                .bindByType("group", e.group(), String.class).bind("by", source.by()).bind("at", source.at())
                .execute();
    }

    /** The Open edX course key the section is linked to, if any. */
    public Optional<String> openEdxCourse(Handle h, String sectionId) {
        return h.createQuery("SELECT course_key FROM section_openedx_course WHERE section_id = :id")
                .bind("id", sectionId).mapTo(String.class).findOne();
    }

    /**
     * Makes {@code courseKey} the section's Open edX course (null: none). The key leaves a section that held it, and
     * launches of the course still open (not yet on a portal section) follow. Returns true when anything changed.
     */
    public boolean linkOpenEdxCourse(Handle h, String sectionId, String courseKey, ChangeSource source) {
        Optional<String> current = openEdxCourse(h, sectionId);
        if (current.equals(Optional.ofNullable(courseKey))) {
            return false;
        }
        h.createUpdate("DELETE FROM section_openedx_course WHERE section_id = :id OR course_key = :key")
                .bind("id", sectionId).bindByType("key", courseKey, String.class).execute();
        if (courseKey == null) {
            return true;
        }
        h.createUpdate("""
                        INSERT INTO section_openedx_course (course_key, section_id, linked_by, linked_at)
                        VALUES (:key, :id, :by, :at)""")
                .bind("key", courseKey).bind("id", sectionId).bind("by", source.by()).bind("at", source.at())
                .execute();
        h.createUpdate("""
                        UPDATE tool_session SET course_section_sourcedid = :id
                        WHERE openedx_course_key = :key AND (course_section_sourcedid IS NULL OR course_section_sourcedid = '')""")
                .bind("id", sectionId).bind("key", courseKey).execute();
        return true;
    }
}
