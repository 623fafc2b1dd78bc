package kz.qatysu.tool.attendance.sessions;

import kz.qatysu.tool.attendance.ChangeSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Class sessions of the timetable. Every method runs on the caller's handle. */
public final class ClassSessionRepository {
    private static final String COLUMNS = """
            session_id, section_id, starts_at, start_offset, ends_at, end_offset, kind, hours, room, online_url,
            cancelled_at IS NOT NULL AS cancelled, academic_group""";

    private static final RowMapper<ClassSession> MAPPER = (rs, ctx) -> new ClassSession(rs.getString("session_id"),
            rs.getObject("starts_at", OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.ofTotalSeconds(rs.getInt("start_offset"))),
            rs.getObject("ends_at", OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.ofTotalSeconds(rs.getInt("end_offset"))),
            rs.getString("kind"), rs.getInt("hours"), rs.getString("room"), rs.getString("online_url"),
            rs.getBoolean("cancelled"), rs.getString("academic_group"));

    /** A session and the section it belongs to. */
    public record Located(String sectionId, ClassSession session) {
    }

    public Optional<Located> find(Handle h, String sessionId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM class_session WHERE session_id = :id")
                .bind("id", sessionId)
                .map((rs, ctx) -> new Located(rs.getString("section_id"), MAPPER.map(rs, ctx)))
                .findOne();
    }

    /** The section's whole timetable, cancelled sessions included, by session id in time order. */
    public Map<String, ClassSession> ofSection(Handle h, String sectionId) {
        Map<String, ClassSession> out = new LinkedHashMap<>();
        h.createQuery("SELECT " + COLUMNS + " FROM class_session WHERE section_id = :section ORDER BY starts_at, session_id")
                .bind("section", sectionId).map(MAPPER).forEach(s -> out.put(s.sessionId(), s));
        return out;
    }

    /** Which of {@code sessionIds} belong to another section than {@code sectionId}: session id → its section. */
    public Map<String, String> ownedElsewhere(Handle h, String sectionId, Collection<String> sessionIds) {
        Map<String, String> out = new HashMap<>();
        h.createQuery("""
                        SELECT session_id, section_id FROM class_session
                        WHERE session_id = ANY(:ids) AND section_id <> :section""")
                .bind("ids", sessionIds.toArray(String[]::new)).bind("section", sectionId)
                .map((rs, ctx) -> Map.entry(rs.getString("session_id"), rs.getString("section_id")))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Inserts a session, or updates it and lifts a cancellation. */
    public void upsert(Handle h, String sectionId, ClassSession s, ChangeSource source) {
        h.createUpdate("""
                        INSERT INTO class_session (session_id, section_id, starts_at, ends_at, start_offset, end_offset,
                                                   kind, hours, room, online_url, academic_group, created_at, updated_at)
                        VALUES (:id, :section, :start, :end, :startOffset, :endOffset, :kind, :hours, :room, :url, :group,
                                :at, :at)
                        ON CONFLICT (session_id) DO UPDATE SET
                            starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at,
                            start_offset = EXCLUDED.start_offset, end_offset = EXCLUDED.end_offset,
                            kind = EXCLUDED.kind, hours = EXCLUDED.hours, room = EXCLUDED.room,
                            online_url = EXCLUDED.online_url, academic_group = EXCLUDED.academic_group,
                            cancelled_at = NULL, updated_at = EXCLUDED.updated_at,
                            origin = 'portal'
                        WHERE class_session.section_id = EXCLUDED.section_id""")
                .bind("id", s.sessionId()).bind("section", sectionId)
                .bind("start", s.start().toInstant()).bind("end", s.end().toInstant())
                .bind("startOffset", s.start().getOffset().getTotalSeconds())
                .bind("endOffset", s.end().getOffset().getTotalSeconds())
                .bind("kind", s.kind()).bind("hours", s.hours()).bind("room", s.room()).bind("url", s.onlineUrl())
                .bindByType("group", s.group(), String.class)
                .bind("at", source.at())
                .execute();
    }

    /** Inserts a session the course's teacher created (origin 'teacher': full-list uploads never cancel it). */
    public void insertByTeacher(Handle h, String sectionId, ClassSession s, ChangeSource source) {
        h.createUpdate("""
                        INSERT INTO class_session (session_id, section_id, starts_at, ends_at, start_offset, end_offset,
                                                   kind, hours, room, online_url, academic_group, origin, created_by,
                                                   created_at, updated_at)
                        VALUES (:id, :section, :start, :end, :startOffset, :endOffset, :kind, :hours, :room, :url, :group,
                                'teacher', :by, :at, :at)""")
                .bind("id", s.sessionId()).bind("section", sectionId)
                .bind("start", s.start().toInstant()).bind("end", s.end().toInstant())
                .bind("startOffset", s.start().getOffset().getTotalSeconds())
                .bind("endOffset", s.end().getOffset().getTotalSeconds())
                .bind("kind", s.kind()).bind("hours", s.hours()).bind("room", s.room()).bind("url", s.onlineUrl())
                .bindByType("group", s.group(), String.class)
                .bind("by", source.by()).bind("at", source.at())
                .execute();
    }

    /** Ids of the section's sessions its teacher created on the course page (origin 'teacher'). */
    public java.util.Set<String> teacherCreated(Handle h, String sectionId) {
        return new java.util.HashSet<>(h.createQuery(
                        "SELECT session_id FROM class_session WHERE section_id = :section AND origin = 'teacher'")
                .bind("section", sectionId).mapTo(String.class).list());
    }

    public void cancel(Handle h, String sessionId, ChangeSource source) {
        h.createUpdate("UPDATE class_session SET cancelled_at = :at, updated_at = :at WHERE session_id = :id AND cancelled_at IS NULL")
                .bind("id", sessionId).bind("at", source.at()).execute();
    }

    /** How many marks each of the given sessions holds (sessions without marks are absent from the map). */
    public Map<String, Integer> markCounts(Handle h, Collection<String> sessionIds) {
        Map<String, Integer> out = new HashMap<>();
        h.createQuery("SELECT session_id, count(*) AS n FROM mark WHERE session_id = ANY(:ids) GROUP BY session_id")
                .bind("ids", sessionIds.toArray(String[]::new))
                .map((rs, ctx) -> Map.entry(rs.getString("session_id"), rs.getInt("n")))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
