package kz.qatysu.tool.attendance.evidence;

import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The evidence tables of V51: meeting links, deliveries with their raw intervals, launch e-mails. On the caller's handle. */
public final class EvidenceRepository {

    /** The online meeting a session is linked to. */
    public record Meeting(String platform, String meetingId, String setBy, Instant setAt) {
    }

    /** A session linked to a meeting, with its scheduled window. */
    public record Linked(String sessionId, Instant start, Instant end) {
    }

    /** A new delivery. {@code sessionId} null = no linked session matches (kept until one does). */
    public record NewImport(String sessionId, String platform, String source, String meetingId, String instance,
                            Instant meetingStart, Instant meetingEnd, Instant receivedAt, String receivedBy, String note) {
    }

    /** One raw interval as the platform named its participant. */
    public record Row(String personKey, String displayName, boolean moderator, Instant join, Instant leave) {
    }

    public record StoredImport(long id, String source, String meetingId, String instance, Instant receivedAt,
                               String receivedBy, String note, int rows) {
    }

    public Optional<Meeting> meetingOf(Handle h, String sessionId) {
        return h.createQuery("SELECT platform, meeting_id, set_by, set_at FROM session_meeting WHERE session_id = :s")
                .bind("s", sessionId)
                .map((rs, ctx) -> new Meeting(rs.getString("platform"), rs.getString("meeting_id"), rs.getString("set_by"),
                        rs.getTimestamp("set_at").toInstant()))
                .findOne();
    }

    public void linkMeeting(Handle h, String sessionId, String platform, String meetingId, String by, Instant at) {
        h.createUpdate("""
                        INSERT INTO session_meeting (session_id, platform, meeting_id, set_by, set_at)
                        VALUES (:s, :p, :m, :by, :at)
                        ON CONFLICT (session_id) DO UPDATE SET platform = EXCLUDED.platform, meeting_id = EXCLUDED.meeting_id,
                            set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at""")
                .bind("s", sessionId).bind("p", platform).bind("m", meetingId).bind("by", by).bind("at", at)
                .execute();
    }

    /** Links every session of the section that has no meeting yet (cancelled ones excepted); returns their ids. */
    public List<Linked> linkUnlinked(Handle h, String sectionId, String platform, String meetingId, String by, Instant at) {
        return h.createQuery("""
                        INSERT INTO session_meeting (session_id, platform, meeting_id, set_by, set_at)
                        SELECT cs.session_id, :p, :m, :by, :at FROM class_session cs
                        WHERE cs.section_id = :sec AND cs.cancelled_at IS NULL
                          AND NOT EXISTS (SELECT 1 FROM session_meeting sm WHERE sm.session_id = cs.session_id)
                        RETURNING session_id, (SELECT starts_at FROM class_session c WHERE c.session_id = session_meeting.session_id) AS s,
                                  (SELECT ends_at FROM class_session c WHERE c.session_id = session_meeting.session_id) AS e""")
                .bind("sec", sectionId).bind("p", platform).bind("m", meetingId).bind("by", by).bind("at", at)
                .map((rs, ctx) -> new Linked(rs.getString("session_id"), rs.getTimestamp("s").toInstant(), rs.getTimestamp("e").toInstant()))
                .list();
    }

    public void unlinkMeeting(Handle h, String sessionId) {
        h.createUpdate("DELETE FROM session_meeting WHERE session_id = :s").bind("s", sessionId).execute();
    }

    /** Sessions (not cancelled) linked to the meeting, with their windows. */
    public List<Linked> linkedTo(Handle h, String platform, String meetingId) {
        return h.createQuery("""
                        SELECT cs.session_id, cs.starts_at, cs.ends_at FROM session_meeting sm
                        JOIN class_session cs ON cs.session_id = sm.session_id
                        WHERE sm.platform = :p AND sm.meeting_id = :m AND cs.cancelled_at IS NULL
                        ORDER BY cs.starts_at""")
                .bind("p", platform).bind("m", meetingId)
                .map((rs, ctx) -> new Linked(rs.getString("session_id"), rs.getTimestamp("starts_at").toInstant(),
                        rs.getTimestamp("ends_at").toInstant()))
                .list();
    }

    /**
     * Attaches kept, unmatched deliveries of the meeting whose recorded time overlaps [start, end] to the session
     * (a callback that arrived before the teacher linked the meeting). Returns how many.
     */
    public int attachUnmatched(Handle h, String sessionId, String platform, String meetingId, Instant start, Instant end) {
        List<Long> ids = h.createQuery("""
                        SELECT id FROM evidence_import
                        WHERE session_id IS NULL AND platform = :p AND meeting_id = :m AND superseded_at IS NULL
                          AND meeting_start < :end AND COALESCE(meeting_end, meeting_start) > :start
                        ORDER BY id""")
                .bind("p", platform).bind("m", meetingId).bind("start", start).bind("end", end)
                .mapTo(Long.class).list();
        for (long id : ids) {
            String instance = h.createQuery("SELECT instance FROM evidence_import WHERE id = :id").bind("id", id)
                    .mapTo(String.class).one();
            supersede(h, sessionId, platform, instance, id);
            h.createUpdate("UPDATE evidence_import SET session_id = :s WHERE id = :id").bind("s", sessionId).bind("id", id).execute();
        }
        return ids.size();
    }

    /** Stores a delivery and its rows; an earlier active delivery of the same session, platform and instance is superseded. */
    public long store(Handle h, NewImport imp, List<Row> rows) {
        long id = h.createUpdate("""
                        INSERT INTO evidence_import (session_id, platform, source, meeting_id, instance, meeting_start, meeting_end,
                                                     received_at, received_by, note)
                        VALUES (:session, :platform, :source, :meeting, :instance, :mstart, :mend, :at, :by, :note)""")
                .bind("session", imp.sessionId()).bind("platform", imp.platform()).bind("source", imp.source())
                .bind("meeting", imp.meetingId()).bind("instance", imp.instance())
                .bind("mstart", imp.meetingStart()).bind("mend", imp.meetingEnd())
                .bind("at", imp.receivedAt()).bind("by", imp.receivedBy()).bind("note", imp.note())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        if (imp.sessionId() != null) {
            supersede(h, imp.sessionId(), imp.platform(), imp.instance(), id);
        }
        var batch = h.prepareBatch("""
                INSERT INTO evidence_interval (import_id, person_key, display_name, moderator, join_at, leave_at)
                VALUES (:id, :key, :name, :moderator, :join, :leave)""");
        for (Row r : rows) {
            batch.bind("id", id).bind("key", r.personKey()).bind("name", r.displayName()).bind("moderator", r.moderator())
                    .bind("join", r.join()).bind("leave", r.leave()).add();
        }
        if (!rows.isEmpty()) {
            batch.execute();
        }
        return id;
    }

    private void supersede(Handle h, String sessionId, String platform, String instance, long keep) {
        h.createUpdate("""
                        UPDATE evidence_import SET superseded_at = now()
                        WHERE session_id = :s AND platform = :p AND instance = :i AND id <> :keep AND superseded_at IS NULL""")
                .bind("s", sessionId).bind("p", platform).bind("i", instance).bind("keep", keep).execute();
    }

    /** The session's active deliveries, newest first. */
    public List<StoredImport> imports(Handle h, String sessionId) {
        return h.createQuery("""
                        SELECT i.id, i.source, i.meeting_id, i.instance, i.received_at, i.received_by, i.note,
                               (SELECT count(*) FROM evidence_interval v WHERE v.import_id = i.id) AS n
                        FROM evidence_import i WHERE i.session_id = :s AND i.superseded_at IS NULL ORDER BY i.id DESC""")
                .bind("s", sessionId)
                .map((rs, ctx) -> new StoredImport(rs.getLong("id"), rs.getString("source"), rs.getString("meeting_id"),
                        rs.getString("instance"), rs.getTimestamp("received_at").toInstant(), rs.getString("received_by"),
                        rs.getString("note"), rs.getInt("n")))
                .list();
    }

    /** Every raw interval of the session's active deliveries. */
    public List<Row> rows(Handle h, String sessionId) {
        return h.createQuery("""
                        SELECT v.person_key, v.display_name, v.moderator, v.join_at, v.leave_at
                        FROM evidence_interval v JOIN evidence_import i ON i.id = v.import_id
                        WHERE i.session_id = :s AND i.superseded_at IS NULL ORDER BY v.join_at, v.id""")
                .bind("s", sessionId)
                .map((rs, ctx) -> new Row(rs.getString("person_key"), rs.getString("display_name"), rs.getBoolean("moderator"),
                        rs.getTimestamp("join_at").toInstant(), rs.getTimestamp("leave_at").toInstant()))
                .list();
    }

    /** The academic group of each enrolled (not withdrawn) person of the section whose roster named one. */
    public Map<String, String> academicGroups(Handle h, String sectionId) {
        Map<String, String> out = new HashMap<>();
        h.createQuery("""
                        SELECT person_id, academic_group FROM enrolment
                        WHERE section_id = :s AND withdrawn_at IS NULL AND academic_group IS NOT NULL""")
                .bind("s", sectionId)
                .map((rs, ctx) -> Map.entry(rs.getString("person_id"), rs.getString("academic_group")))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Enrolled (not withdrawn) people of the section by role: {@code student} / {@code teacher}. */
    public Map<String, String> enrolled(Handle h, String sectionId) {
        Map<String, String> out = new HashMap<>();
        h.createQuery("SELECT person_id, role FROM enrolment WHERE section_id = :s AND withdrawn_at IS NULL")
                .bind("s", sectionId)
                .map((rs, ctx) -> Map.entry(rs.getString("person_id"), rs.getString("role")))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * What identifies the section's enrolled people on outside platforms: LTI {@code sub}s from launches and NRPS
     * rosters (of the platforms whose courses link to this section; of any platform when none is linked yet), the
     * e-mails launches sent, the display names.
     */
    public ParticipantMatcher.Directory directory(Handle h, String sectionId) {
        Set<String> enrolled = enrolled(h, sectionId).keySet();
        Map<String, Set<String>> bySubject = multi(h, """
                SELECT u.subject AS k, u.person_id AS v FROM lti_user u
                JOIN enrolment e ON e.person_id = u.person_id AND e.section_id = :s AND e.withdrawn_at IS NULL
                WHERE NOT EXISTS (SELECT 1 FROM course_link WHERE section_id = :s)
                   OR u.platform_id IN (SELECT platform_id FROM course_link WHERE section_id = :s)""", sectionId);
        Map<String, Set<String>> byEmail = multi(h, """
                SELECT pe.email AS k, pe.person_id AS v FROM person_email pe
                JOIN enrolment e ON e.person_id = pe.person_id AND e.section_id = :s AND e.withdrawn_at IS NULL""", sectionId);
        Map<String, Set<String>> byName = new HashMap<>();
        h.createQuery("""
                        SELECT p.display_name AS k, p.person_id AS v FROM person p
                        JOIN enrolment e ON e.person_id = p.person_id AND e.section_id = :s AND e.withdrawn_at IS NULL""")
                .bind("s", sectionId)
                .map((rs, ctx) -> Map.entry(ParticipantMatcher.normalName(rs.getString("k")), rs.getString("v")))
                .forEach(e -> byName.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue()));
        return new ParticipantMatcher.Directory(Set.copyOf(enrolled), bySubject, byEmail, byName);
    }

    private static Map<String, Set<String>> multi(Handle h, String sql, String sectionId) {
        Map<String, Set<String>> out = new HashMap<>();
        h.createQuery(sql).bind("s", sectionId)
                .map((rs, ctx) -> Map.entry(rs.getString("k"), rs.getString("v")))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue()));
        return out;
    }

    /** Remembers the e-mail a launch sent for a person (lower-cased); blank ones are ignored. */
    public void rememberEmail(Handle h, String personId, String email, Instant at) {
        if (personId == null || email == null || email.isBlank() || !email.contains("@")) {
            return;
        }
        h.createUpdate("""
                        INSERT INTO person_email (email, person_id, updated_at) VALUES (:e, :p, :at)
                        ON CONFLICT (email, person_id) DO UPDATE SET updated_at = EXCLUDED.updated_at""")
                .bind("e", email.strip().toLowerCase(Locale.ROOT)).bind("p", personId).bind("at", at).execute();
    }
}
