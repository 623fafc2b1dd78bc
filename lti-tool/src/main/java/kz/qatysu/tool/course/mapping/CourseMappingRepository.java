package kz.qatysu.tool.course.mapping;

import kz.qatysu.tool.util.Utc;
import kz.qatysu.tool.attendance.marks.MarkRepository;
import kz.qatysu.tool.attendance.rules.Mark;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Course mappings and the moves a mapping makes. Methods taking a handle run on the caller's transaction. */
public final class CourseMappingRepository {
    private final Jdbi jdbi;

    public CourseMappingRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A local section waiting for its portal section. */
    public record Unmapped(String localSectionId, String title, int sessions, int marks, int students) {
    }

    /** A mapping made, with what it moved. */
    public record Mapping(String localSectionId, long platformId, String contextId, String sectionId, String mappedBy,
                          Instant mappedAt, int sessionsMoved, int marksMoved, int personsRekeyed, int excusesMoved) {
    }

    public List<Unmapped> unmapped() {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT s.section_id, s.title,
                               (SELECT count(*) FROM class_session c WHERE c.section_id = s.section_id) AS sessions,
                               (SELECT count(*) FROM mark m JOIN class_session c ON c.session_id = m.session_id
                                 WHERE c.section_id = s.section_id) AS marks,
                               (SELECT count(*) FROM enrolment e WHERE e.section_id = s.section_id AND e.role = 'student'
                                  AND e.withdrawn_at IS NULL) AS students
                        FROM section s
                        WHERE s.section_id LIKE 'lti-%'
                          AND NOT EXISTS (SELECT 1 FROM course_mapping m WHERE m.local_section_id = s.section_id)
                        ORDER BY s.section_id""")
                .map((rs, ctx) -> new Unmapped(rs.getString("section_id"), rs.getString("title"), rs.getInt("sessions"),
                        rs.getInt("marks"), rs.getInt("students")))
                .list());
    }

    public List<Mapping> mappings() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM course_mapping ORDER BY mapped_at DESC, local_section_id")
                .map((rs, ctx) -> new Mapping(rs.getString("local_section_id"), rs.getLong("platform_id"),
                        rs.getString("context_id"), rs.getString("section_id"), rs.getString("mapped_by"),
                        rs.getObject("mapped_at", OffsetDateTime.class).toInstant(), rs.getInt("sessions_moved"),
                        rs.getInt("marks_moved"), rs.getInt("persons_rekeyed"), rs.getInt("excuses_moved")))
                .list());
    }

    /** Callers hold the attendance write lock, so two mappings of one course cannot interleave (and the key forbids it). */
    boolean isMapped(Handle h, String localSectionId) {
        return h.createQuery("SELECT EXISTS (SELECT 1 FROM course_mapping WHERE local_section_id = :local)")
                .bind("local", localSectionId).mapTo(Boolean.class).one();
    }

    /**
     * Marks of the local section kept under a local person id ({@code lti-<platform>-<sub>}) whose portal person id
     * a launch of the same platform user has since shown (Moodle's {@code lis.person_sourcedid}) take that id —
     * unless the person already has a mark on that session under it. Returns the number of marks re-keyed.
     */
    int rekeyLocalPersons(Handle h, String localSectionId, long platformId) {
        return rekeyLogins(h, localSectionId) + h.createUpdate("""
                        UPDATE mark m SET person_id = k.person
                        FROM (SELECT DISTINCT ON (ts.subject) ts.subject, ts.person_sourcedid AS person
                              FROM tool_session ts
                              WHERE ts.platform_id = :platform AND ts.person_sourcedid IS NOT NULL
                                AND ts.person_sourcedid <> ''
                              ORDER BY ts.subject, ts.created_at DESC) k,
                             class_session c
                        WHERE c.session_id = m.session_id AND c.section_id = :local
                          AND m.person_id = :prefix || k.subject
                          AND NOT EXISTS (SELECT 1 FROM mark o WHERE o.session_id = m.session_id AND o.person_id = k.person)""")
                .bind("platform", platformId).bind("local", localSectionId)
                .bind("prefix", "lti-" + platformId + "-")
                .execute();
    }

    /**
     * Marks of the local section kept under a username (an Open edX launch before the roster upload told the login)
     * that the roster uploads now know as a portal person's login take that person's id — unless the person already
     * has a mark on that session.
     */
    private static int rekeyLogins(Handle h, String localSectionId) {
        return h.createUpdate("""
                        UPDATE mark m SET person_id = l.person_id
                        FROM person_login l, class_session c
                        WHERE c.session_id = m.session_id AND c.section_id = :local
                          AND lower(m.person_id) = l.login AND m.person_id <> l.person_id
                          AND NOT EXISTS (SELECT 1 FROM mark o WHERE o.session_id = m.session_id AND o.person_id = l.person_id)""")
                .bind("local", localSectionId)
                .execute();
    }

    /** The marks on the local section's sessions, person → mark (for the change feed of the target section). */
    List<Map.Entry<String, Mark>> marksOf(Handle h, String localSectionId) {
        return h.createQuery("""
                        SELECT m.person_id, m.session_id, m.status, m.late_minutes, m.reason
                        FROM mark m JOIN class_session c ON c.session_id = m.session_id
                        WHERE c.section_id = :local ORDER BY c.starts_at, m.session_id, m.person_id""")
                .bind("local", localSectionId)
                .map(MarkRepository.PERSON_MARK)
                .list();
    }

    int moveSessions(Handle h, String localSectionId, String sectionId, Instant at) {
        return h.createUpdate("""
                        UPDATE class_session SET section_id = :target, updated_at = :at WHERE section_id = :local""")
                .bind("target", sectionId).bind("local", localSectionId).bind("at", Utc.of(at)).execute();
    }

    int moveExcuses(Handle h, String localSectionId, String sectionId) {
        return h.createUpdate("UPDATE excuse SET section_id = :target WHERE section_id = :local")
                .bind("target", sectionId).bind("local", localSectionId).execute();
    }

    /** Launches of the context that are still open (Moodle's and Open edX's alike) follow the mapping at once. */
    int repointOpenLaunches(Handle h, long platformId, String contextId, String sectionId) {
        return h.createUpdate("""
                        UPDATE tool_session SET course_section_sourcedid = :target
                        WHERE platform_id = :platform AND context_id = :context
                          AND (course_section_sourcedid IS NULL OR course_section_sourcedid = '')""")
                .bind("target", sectionId).bind("platform", platformId).bind("context", contextId).execute();
    }

    void insert(Handle h, Mapping m) {
        h.createUpdate("""
                        INSERT INTO course_mapping (local_section_id, platform_id, context_id, section_id, mapped_by,
                                                    mapped_at, sessions_moved, marks_moved, persons_rekeyed, excuses_moved)
                        VALUES (:local, :platform, :context, :section, :by, :at, :sessions, :marks, :rekeyed, :excuses)""")
                .bind("local", m.localSectionId()).bind("platform", m.platformId()).bind("context", m.contextId())
                .bind("section", m.sectionId()).bind("by", m.mappedBy()).bind("at", Utc.of(m.mappedAt()))
                .bind("sessions", m.sessionsMoved()).bind("marks", m.marksMoved()).bind("rekeyed", m.personsRekeyed())
                .bind("excuses", m.excusesMoved())
                .execute();
    }
}
