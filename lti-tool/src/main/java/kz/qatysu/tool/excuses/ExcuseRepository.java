package kz.qatysu.tool.excuses;

import kz.qatysu.tool.util.Utc;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.Array;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Excuses, the sessions they name, and their events. Every method runs on the caller's handle. */
public final class ExcuseRepository {
    private static final String COLUMNS = """
            e.id, e.section_id, e.person_id, e.date_from, e.date_to, e.reason, e.document_file, e.document_type,
            e.document_size, e.status, e.submitted_by, e.submitted_at, e.decide_by, e.decided_by, e.decided_at,
            e.decision_comment,
            ARRAY(SELECT s.session_id FROM excuse_session s WHERE s.excuse_id = e.id ORDER BY s.session_id) AS session_ids""";

    private static final RowMapper<Excuse> EXCUSE = (rs, ctx) -> new Excuse(
            rs.getLong("id"), rs.getString("section_id"), rs.getString("person_id"),
            date(rs.getDate("date_from")), date(rs.getDate("date_to")), strings(rs.getArray("session_ids")),
            rs.getString("reason"), rs.getString("document_file"),
            rs.getString("document_type") == null ? null : DocumentType.valueOf(rs.getString("document_type")),
            (Long) rs.getObject("document_size"), Excuse.Status.valueOf(rs.getString("status")),
            rs.getString("submitted_by"), instant(rs.getObject("submitted_at", OffsetDateTime.class)),
            instant(rs.getObject("decide_by", OffsetDateTime.class)), rs.getString("decided_by"),
            instant(rs.getObject("decided_at", OffsetDateTime.class)), rs.getString("decision_comment"));

    /**
     * A class session as the excuse form offers it: {@code mark} is the student's ABSENT or LATE of a past session,
     * null for a session still to come (a planned absence).
     */
    public record SessionRow(String sessionId, OffsetDateTime start, String kind, int hours, String mark) {
    }

    public long insert(Handle h, Excuse e) {
        long id = h.createQuery("""
                        INSERT INTO excuse (section_id, person_id, date_from, date_to, reason, document_file, document_type,
                                            document_size, status, submitted_by, submitted_at, decide_by)
                        VALUES (:section, :person, :from, :to, :reason, :file, :type, :size, 'PENDING', :by, :at, :decideBy)
                        RETURNING id""")
                .bind("section", e.sectionId()).bind("person", e.personId())
                .bind("from", e.dateFrom()).bind("to", e.dateTo()).bind("reason", e.reason())
                .bind("file", e.documentFile()).bind("type", e.documentType() == null ? null : e.documentType().name())
                .bind("size", e.documentSize()).bind("by", e.submittedBy())
                .bind("at", Utc.ofNullable(e.submittedAt())).bind("decideBy", Utc.ofNullable(e.decideBy()))
                .mapTo(Long.class).one();
        for (String s : e.sessionIds()) {
            h.createUpdate("INSERT INTO excuse_session (excuse_id, session_id) VALUES (:id, :s)").bind("id", id).bind("s", s).execute();
        }
        return id;
    }

    public Optional<Excuse> find(Handle h, long id, boolean forUpdate) {
        return h.createQuery("SELECT " + COLUMNS + " FROM excuse e WHERE e.id = :id" + (forUpdate ? " FOR UPDATE OF e" : ""))
                .bind("id", id).map(EXCUSE).findOne();
    }

    /** Pending first (oldest deadline first), then the most recent decisions. */
    public List<Excuse> ofSection(Handle h, String sectionId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM excuse e WHERE e.section_id = :section " + ORDER + " LIMIT 500")
                .bind("section", sectionId).map(EXCUSE).list();
    }

    public List<Excuse> ofStudent(Handle h, String sectionId, String personId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM excuse e WHERE e.section_id = :section AND e.person_id = :person "
                        + ORDER).bind("section", sectionId).bind("person", personId).map(EXCUSE).list();
    }

    public List<Excuse> all(Handle h) {
        return h.createQuery("SELECT " + COLUMNS + " FROM excuse e " + ORDER + " LIMIT 500").map(EXCUSE).list();
    }

    private static final String ORDER = "ORDER BY (e.status = 'PENDING') DESC, "
            + "CASE WHEN e.status = 'PENDING' THEN e.decide_by END ASC, e.decided_at DESC, e.id DESC";

    public void decide(Handle h, long id, Excuse.Status status, String by, Instant at, String comment) {
        h.createUpdate("""
                        UPDATE excuse SET status = :status, decided_by = :by, decided_at = :at, decision_comment = :comment
                        WHERE id = :id AND status = 'PENDING'""")
                .bind("status", status.name()).bind("by", by).bind("at", Utc.ofNullable(at)).bind("comment", comment).bind("id", id)
                .execute();
    }

    public void event(Handle h, long excuseId, String event, String actor, Instant at, String detail) {
        h.createUpdate("INSERT INTO excuse_event (excuse_id, event, actor, at, detail) VALUES (:id, :event, :actor, :at, :detail)")
                .bind("id", excuseId).bind("event", event).bind("actor", actor).bind("at", Utc.ofNullable(at))
                .bind("detail", detail == null ? "" : detail).execute();
    }

    /** The section's sessions that are not cancelled, in timetable order, with their local start. */
    /**
     * The sessions a student may ask to excuse: those of the section that apply to them (no academic group, or their
     * own), not cancelled, and either started by {@code now} with the student marked ABSENT or LATE, or still to come.
     */
    public List<SessionRow> excusable(Handle h, String sectionId, String personId, Instant now) {
        return h.createQuery("""
                        SELECT s.session_id, s.starts_at, s.start_offset, s.kind, s.hours, m.status
                        FROM class_session s
                        JOIN enrolment en ON en.section_id = s.section_id AND en.person_id = :person
                        LEFT JOIN mark m ON m.session_id = s.session_id AND m.person_id = :person
                        WHERE s.section_id = :section AND s.cancelled_at IS NULL
                          AND (s.academic_group IS NULL OR s.academic_group = en.academic_group)
                          AND (s.starts_at > :now OR m.status IN ('ABSENT', 'LATE'))
                        ORDER BY s.starts_at, s.session_id""")
                .bind("section", sectionId).bind("person", personId).bind("now", Utc.of(now))
                .map((rs, ctx) -> new SessionRow(rs.getString("session_id"),
                        rs.getObject("starts_at", OffsetDateTime.class)
                                .withOffsetSameInstant(ZoneOffset.ofTotalSeconds(rs.getInt("start_offset"))),
                        rs.getString("kind"), rs.getInt("hours"),
                        rs.getObject("starts_at", OffsetDateTime.class).toInstant().isAfter(now) ? null : rs.getString("status")))
                .list();
    }

    /**
     * The sessions an excuse covers now: the chosen ones, or those whose calendar day in the institution's zone
     * ({@code ui.timeZone}) is in the range — of those, the ones that apply to the student (no academic group, or the
     * student's own).
     */
    public List<String> covered(Handle h, Excuse e) {
        if (e.dateFrom() == null) {
            return h.createQuery("""
                            SELECT s.session_id FROM excuse_session x JOIN class_session s ON s.session_id = x.session_id
                            WHERE x.excuse_id = :id AND s.cancelled_at IS NULL""" + FOR_STUDENT + """
                            ORDER BY s.starts_at""")
                    .bind("id", e.id()).bind("section", e.sectionId()).bind("person", e.personId())
                    .mapTo(String.class).list();
        }
        return h.createQuery("""
                        SELECT s.session_id FROM class_session s
                        WHERE s.section_id = :section AND s.cancelled_at IS NULL
                          AND (s.starts_at AT TIME ZONE :zone)::date BETWEEN :from AND :to
                        """ + FOR_STUDENT + """
                        ORDER BY s.starts_at""")
                .bind("section", e.sectionId()).bind("person", e.personId()).bind("from", e.dateFrom()).bind("to", e.dateTo())
                .bind("zone", zone())
                .mapTo(String.class).list();
    }

    /** Keeps the sessions {@code s} that apply to the student {@code :person} of section {@code :section}. */
    private static final String FOR_STUDENT = """

              AND (s.academic_group IS NULL OR s.academic_group = (SELECT en.academic_group FROM enrolment en
                                                                   WHERE en.section_id = :section AND en.person_id = :person))
            """;

    /**
     * The reason of the newest approved excuse of each given student covering {@code sessionId} — the same coverage
     * as {@link #covered}: the chosen sessions, or the session's calendar day (institution's zone) within the range.
     */
    public java.util.Map<String, String> approvedCovering(Handle h, String sessionId, java.util.Collection<String> persons) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        h.createQuery("""
                        SELECT DISTINCT ON (e.person_id) e.person_id, e.reason
                        FROM class_session s
                        JOIN excuse e ON e.section_id = s.section_id
                        WHERE s.session_id = :session AND s.cancelled_at IS NULL
                          AND e.status = 'APPROVED' AND e.person_id = ANY(:persons)
                          AND (EXISTS (SELECT 1 FROM excuse_session x WHERE x.excuse_id = e.id AND x.session_id = s.session_id)
                               OR (s.starts_at AT TIME ZONE :zone)::date BETWEEN e.date_from AND e.date_to)
                        ORDER BY e.person_id, e.decided_at DESC, e.id DESC""")
                .bind("session", sessionId).bind("persons", persons.toArray(String[]::new)).bind("zone", zone())
                .map((rs, ctx) -> java.util.Map.entry(rs.getString("person_id"), rs.getString("reason")))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * The zone a date range's days are read in: the institution's ({@code ui.timeZone}), the zone the pages show the
     * sessions' days in and the student picked the dates by — not the offset the timetable was sent in.
     */
    private static String zone() {
        return kz.qatysu.tool.web.Messages.zone().getId();
    }

    private static LocalDate date(Date d) {
        return d == null ? null : d.toLocalDate();
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static List<String> strings(Array a) throws java.sql.SQLException {
        return a == null ? List.of() : Arrays.asList((String[]) a.getArray());
    }
}
