package kz.qatysu.tool.reports;

import kz.qatysu.tool.web.Messages;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the attendance reports as {@link ReportTable}s in the reader's language: a section's students × sessions
 * grid with each student's share and state (and academic group, when the roster upload named any), one session's
 * marks, and one student across their sections. Reads
 * only; who may see which report is the handler's business.
 */
public final class ReportService {
    /** A session's start as every page shows times (02.09.2026 08:00), in the timetable's own offset (its local time). */
    /** A session as column headers and titles show it, in the institution's zone ({@code ui.timeZone}). */
    private static final DateTimeFormatter SESSION = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm");

    private final Jdbi jdbi;
    private final PersonNames names;

    public ReportService(Jdbi jdbi, PersonNames names) {
        this.jdbi = jdbi;
        this.names = names;
    }

    /** A session column; {@code group}: the academic group a group session is for, else null. */
    private record SessionCol(String sessionId, OffsetDateTime start, int hours, String group) {
        boolean appliesTo(String academicGroup) {
            return group == null || group.equals(academicGroup);
        }
    }

    /** The cell of a group session for a student of another group: the session is not theirs. */
    static final String NOT_THEIRS = "—";

    /** A stored standing as the report shows it; {@code override} empty when the dean's office made no decision. */
    private record StandingRow(BigDecimal share, String state, int planned, int unexcused, int excused,
                               String computed, Optional<kz.qatysu.tool.attendance.rules.StandingOverride> override) {
    }

    public Optional<String> sectionTitle(String sectionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT title FROM section WHERE section_id = :id")
                .bind("id", sectionId).mapTo(String.class).findOne());
    }

    public Optional<String> sectionOfSession(String sessionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT section_id FROM class_session WHERE session_id = :id")
                .bind("id", sessionId).mapTo(String.class).findOne());
    }

    /** Students × sessions of a section; empty when there is no such section. */
    public Optional<ReportTable> course(String sectionId, Messages t) {
        Optional<String> title = sectionTitle(sectionId);
        if (title.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(jdbi.withHandle(h -> {
            List<SessionCol> sessions = h.createQuery("""
                            SELECT session_id, starts_at, start_offset, hours, academic_group FROM class_session
                            WHERE section_id = :id AND cancelled_at IS NULL ORDER BY starts_at, session_id""")
                    .bind("id", sectionId)
                    .map((rs, c) -> new SessionCol(rs.getString(1), rs.getObject(2, OffsetDateTime.class)
                            .withOffsetSameInstant(ZoneOffset.ofTotalSeconds(rs.getInt(3))), rs.getInt(4), rs.getString(5)))
                    .list();
            List<String> students = names.sorted(students(h, sectionId), t);
            Map<String, Map<String, String>> marks = new HashMap<>();
            h.createQuery("""
                            SELECT m.person_id, m.session_id, m.status, m.late_minutes FROM mark m
                            JOIN class_session s ON s.session_id = m.session_id WHERE s.section_id = :id""")
                    .bind("id", sectionId)
                    .map((rs, c) -> new String[]{rs.getString(1), rs.getString(2), shortMark(t, rs.getString(3), (Integer) rs.getObject(4))})
                    .forEach(r -> marks.computeIfAbsent(r[0], k -> new HashMap<>()).put(r[1], r[2]));
            Map<String, StandingRow> standing = standing(h, sectionId);
            Map<String, String> known = names.of(students);
            Map<String, String> groups = groups(h, sectionId);

            List<String> headers = new ArrayList<>(List.of(t.t("report.student"), t.t("report.name")));
            if (!groups.isEmpty()) {
                headers.add(t.t("report.group"));
            }
            int keyColumns = headers.size();
            headers.addAll(summaryHeaders(t));
            sessions.forEach(s -> headers.add(SESSION.format(s.start().atZoneSameInstant(Messages.zone())) + (s.group() == null ? "" : " · " + s.group())));
            List<List<Object>> rows = new ArrayList<>();
            for (String person : students) {
                List<Object> row = new ArrayList<>(List.of(person, known.getOrDefault(person, "")));
                if (!groups.isEmpty()) {
                    row.add(groups.getOrDefault(person, ""));
                }
                addStanding(t, row, standing.get(person));
                Map<String, String> own = marks.getOrDefault(person, Map.of());
                String group = groups.get(person);
                sessions.forEach(s -> row.add(s.appliesTo(group) ? own.getOrDefault(s.sessionId(), "") : NOT_THEIRS));
                rows.add(row);
            }
            return new ReportTable(title.get() + " (" + sectionId + ")", "attendance-" + ascii(sectionId), headers, rows,
                    keyColumns, t.t("report.legend"), markLegend(t));
        }));
    }

    /** The summary columns every standing report starts with (share, state, hours), then the decision. */
    private static List<String> summaryHeaders(Messages t) {
        return List.of(t.t("report.share"), t.t("report.state"), t.t("report.unexcused"), t.t("report.planned"),
                t.t("deans.computed"), t.t("course.override"));
    }

    /** What the cells of a students × sessions grid mean: the mark codes (a late one with its minutes) and "—". */
    static List<ReportTable.Legend> markLegend(Messages t) {
        List<ReportTable.Legend> out = new ArrayList<>();
        for (String status : List.of("PRESENT", "LATE", "ABSENT", "EXCUSED")) {
            out.add(new ReportTable.Legend(t.t("mark.short." + status), t.t("mark." + status)
                    + ("LATE".equals(status) ? " — " + t.t("report.legend.lateMinutes") : "")));
        }
        out.add(new ReportTable.Legend(NOT_THEIRS, t.t("report.legend.notTheirs")));
        return out;
    }

    /** One session's marks for every student of its section; empty when there is no such session. */
    public Optional<ReportTable> session(String sessionId, Messages t) {
        return jdbi.withHandle(h -> {
            Optional<Object[]> found = h.createQuery("""
                            SELECT s.section_id, x.title, s.starts_at, s.start_offset, s.academic_group FROM class_session s
                            JOIN section x ON x.section_id = s.section_id WHERE s.session_id = :id""")
                    .bind("id", sessionId)
                    .map((rs, c) -> new Object[]{rs.getString(1), rs.getString(2),
                            rs.getObject(3, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.ofTotalSeconds(rs.getInt(4))),
                            rs.getString(5)})
                    .findOne();
            if (found.isEmpty()) {
                return Optional.empty();
            }
            String sectionId = (String) found.get()[0];
            String sessionGroup = (String) found.get()[3];
            Map<String, String> groups = groups(h, sectionId);
            // a group session's report lists the students of its academic group only
            List<String> students = names.sorted(students(h, sectionId).stream()
                    .filter(p -> sessionGroup == null || sessionGroup.equals(groups.get(p))).toList(), t);
            Map<String, Object[]> marks = new HashMap<>();
            h.createQuery("SELECT person_id, status, late_minutes, reason FROM mark WHERE session_id = :id")
                    .bind("id", sessionId)
                    .map((rs, c) -> new Object[]{rs.getString(1), rs.getString(2), rs.getObject(3), rs.getString(4)})
                    .forEach(r -> marks.put((String) r[0], r));
            Map<String, String> known = names.of(students);
            List<List<Object>> rows = new ArrayList<>();
            for (String person : students) {
                Object[] m = marks.get(person);
                rows.add(new ArrayList<>(List.of(person, known.getOrDefault(person, ""),
                        m == null ? t.t("mark.none") : t.t("mark." + m[1]),
                        m == null || m[2] == null ? "" : (Number) m[2],
                        m == null || m[3] == null ? "" : m[3])));
            }
            String title = found.get()[1] + " · " + SESSION.format(((OffsetDateTime) found.get()[2]).atZoneSameInstant(Messages.zone()))
                    + (sessionGroup == null ? "" : " · " + sessionGroup);
            return Optional.of(new ReportTable(title, "session-" + ascii(sessionId),
                    List.of(t.t("report.student"), t.t("report.name"), t.t("report.mark"), t.t("report.lateMinutes"), t.t("report.reason")),
                    rows, 2, "", List.of()));
        });
    }

    /** One student across every section they study in. */
    public ReportTable student(String personId, Messages t) {
        return jdbi.withHandle(h -> {
            List<List<Object>> rows = new ArrayList<>();
            h.createQuery("""
                            SELECT e.section_id, x.title, st.absence_share, st.state, st.planned_hours,
                                   st.absent_hours + st.late_absence_hours, st.excused_hours, st.computed_state,
                                   st.override_decision, st.override_reason, st.override_by, st.override_at
                            FROM enrolment e JOIN section x ON x.section_id = e.section_id
                            LEFT JOIN standing st ON st.section_id = e.section_id AND st.person_id = e.person_id
                            WHERE e.person_id = :person AND e.role = 'student' AND e.withdrawn_at IS NULL
                            ORDER BY e.section_id""")
                    .bind("person", personId)
                    .map((rs, c) -> {
                        List<Object> row = new ArrayList<>(List.of(rs.getString(1), rs.getString(2)));
                        addStanding(t, row, rs.getBigDecimal(3) == null ? null : new StandingRow(rs.getBigDecimal(3),
                                rs.getString(4), rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getString(8), override(rs, 9)));
                        return row;
                    })
                    .forEach(rows::add);
            String name = names.of(personId);
            List<String> headers = new ArrayList<>(List.of(t.t("report.section"), t.t("report.title")));
            headers.addAll(summaryHeaders(t));
            return new ReportTable((name.isEmpty() ? "" : name + " ") + "(" + personId + ")", "student-" + ascii(personId),
                    headers, rows, 2, "", List.of());
        });
    }

    /** The override stored with a standing row: decision, reason, by, at from column {@code first} on. */
    private static Optional<kz.qatysu.tool.attendance.rules.StandingOverride> override(java.sql.ResultSet rs, int first)
            throws java.sql.SQLException {
        String decision = rs.getString(first);
        return decision == null ? Optional.empty() : Optional.of(new kz.qatysu.tool.attendance.rules.StandingOverride(
                kz.qatysu.tool.attendance.rules.StandingOverride.Decision.valueOf(decision), rs.getString(first + 1),
                rs.getString(first + 2), rs.getObject(first + 3, OffsetDateTime.class).toInstant()));
    }

    private static void addStanding(Messages t, List<Object> row, StandingRow s) {
        if (s == null) {
            row.addAll(List.of("", "", "", "", "", ""));
            return;
        }
        row.add(new ReportTable.Share(s.share()));
        row.add(s.override().map(o -> t.t("override." + o.decision().name())).orElseGet(() -> t.t("state." + s.state())));
        row.add(s.unexcused());
        row.add(s.planned());
        row.add(t.t("state." + s.computed()));
        row.add(s.override().map(o -> t.t("standing.decision", t.t("standing.decision." + o.decision().name())) + ". "
                + t.t("standing.decidedBy", o.by(), t.dateTime(o.at())) + ". " + t.t("standing.why", o.reason())).orElse(""));
    }

    private static List<String> students(Handle h, String sectionId) {
        return h.createQuery("""
                        SELECT person_id FROM enrolment WHERE section_id = :id AND role = 'student' AND withdrawn_at IS NULL
                        ORDER BY person_id""").bind("id", sectionId).mapTo(String.class).list();
    }

    /** The academic group of each active student of the section whose upload named one (none: no group column). */
    private static Map<String, String> groups(Handle h, String sectionId) {
        Map<String, String> out = new HashMap<>();
        h.createQuery("""
                        SELECT person_id, academic_group FROM enrolment WHERE section_id = :id AND role = 'student'
                        AND withdrawn_at IS NULL AND academic_group IS NOT NULL""")
                .bind("id", sectionId)
                .map((rs, c) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static Map<String, StandingRow> standing(Handle h, String sectionId) {
        Map<String, StandingRow> out = new LinkedHashMap<>();
        h.createQuery("""
                        SELECT person_id, absence_share, state, planned_hours, absent_hours + late_absence_hours, excused_hours,
                               computed_state, override_decision, override_reason, override_by, override_at
                        FROM standing WHERE section_id = :id""")
                .bind("id", sectionId)
                .map((rs, c) -> Map.entry(rs.getString(1), new StandingRow(rs.getBigDecimal(2), rs.getString(3),
                        rs.getInt(4), rs.getInt(5), rs.getInt(6), rs.getString(7), override(rs, 8))))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static String shortMark(Messages t, String status, Integer lateMinutes) {
        String s = t.t("mark.short." + status);
        return lateMinutes == null ? s : s + " " + lateMinutes;
    }

    static String ascii(String s) {
        String a = s.replaceAll("[^A-Za-z0-9._-]", "_");
        return a.length() > 80 ? a.substring(0, 80) : a;
    }
}
