package kz.qatysu.tool.reports;

import kz.qatysu.tool.web.Messages;
import org.jdbi.v3.core.Jdbi;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Attendance per academic group, the group being the code the enrolments upload sends with each student
 * ({@code enrolment.academic_group}): the list of groups with how many of their students stand at WARNING or
 * LOCKED, and one group's students × the sections (disciplines) they take. A student belongs to a group when an
 * active (not withdrawn) student enrolment of theirs carries its code; the columns are every section such a
 * student actively takes. Reads only; the handler decides who may see it.
 */
public final class GroupReports {
    private final Jdbi jdbi;
    private final PersonNames names;

    public GroupReports(Jdbi jdbi, PersonNames names) {
        this.jdbi = jdbi;
        this.names = names;
    }

    /** One line of the list of groups; {@code warning} and {@code locked} count students by their worst state. */
    public record GroupRow(String group, int students, int sections, int warning, int locked) {
    }

    /** Every academic group an active student enrolment carries, by code. */
    public List<GroupRow> groups() {
        return jdbi.withHandle(h -> h.createQuery("""
                        WITH member AS (
                            SELECT DISTINCT academic_group AS grp, person_id FROM enrolment
                            WHERE academic_group IS NOT NULL AND role = 'student' AND withdrawn_at IS NULL),
                        taken AS (
                            SELECT m.grp, m.person_id, e.section_id,
                                   CASE st.state WHEN 'LOCKED' THEN 2 WHEN 'WARNING' THEN 1 ELSE 0 END AS severity
                            FROM member m
                            JOIN enrolment e ON e.person_id = m.person_id AND e.role = 'student' AND e.withdrawn_at IS NULL
                            LEFT JOIN standing st ON st.section_id = e.section_id AND st.person_id = e.person_id),
                        worst AS (
                            SELECT grp, person_id, max(severity) AS severity FROM taken GROUP BY grp, person_id)
                        SELECT w.grp, count(*) AS students,
                               (SELECT count(DISTINCT t.section_id) FROM taken t WHERE t.grp = w.grp) AS sections,
                               count(*) FILTER (WHERE w.severity = 1) AS warning,
                               count(*) FILTER (WHERE w.severity = 2) AS locked
                        FROM worst w GROUP BY w.grp ORDER BY w.grp""")
                .map((rs, c) -> new GroupRow(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5)))
                .list());
    }

    private record Cell(String personId, String sectionId, String title, BigDecimal share, String state, int planned,
                        int unexcused, Boolean admitted) {
    }

    /**
     * The group's students × the sections they take: each cell is the absence share, state and unexcused /
     * planned hours; the last column is the student's worst state. Empty when no active student carries the code.
     */
    public Optional<ReportTable> group(String group, Messages t) {
        return jdbi.withHandle(h -> {
            List<String> students = h.createQuery("""
                            SELECT DISTINCT person_id FROM enrolment
                            WHERE academic_group = :group AND role = 'student' AND withdrawn_at IS NULL
                            ORDER BY person_id""")
                    .bind("group", group).mapTo(String.class).list();
            if (students.isEmpty()) {
                return Optional.<ReportTable>empty();
            }
            students = names.sorted(students, t);
            List<Cell> cells = h.createQuery("""
                            SELECT e.person_id, e.section_id, x.title, st.absence_share, st.state, st.planned_hours,
                                   st.absent_hours + st.late_absence_hours, a.admitted
                            FROM enrolment e JOIN section x ON x.section_id = e.section_id
                            LEFT JOIN standing st ON st.section_id = e.section_id AND st.person_id = e.person_id
                            LEFT JOIN admission a ON a.section_id = e.section_id AND a.person_id = e.person_id
                            WHERE e.role = 'student' AND e.withdrawn_at IS NULL AND e.person_id IN (
                                SELECT person_id FROM enrolment
                                WHERE academic_group = :group AND role = 'student' AND withdrawn_at IS NULL)
                            ORDER BY x.title, e.section_id, e.person_id""")
                    .bind("group", group)
                    .map((rs, c) -> new Cell(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBigDecimal(4),
                            rs.getString(5), rs.getInt(6), rs.getInt(7), (Boolean) rs.getObject(8)))
                    .list();
            Map<String, String> sections = new LinkedHashMap<>();
            Map<String, Map<String, Cell>> byStudent = new HashMap<>();
            for (Cell c : cells) {
                sections.putIfAbsent(c.sectionId(), c.title() + " (" + c.sectionId() + ")");
                byStudent.computeIfAbsent(c.personId(), k -> new HashMap<>()).put(c.sectionId(), c);
            }
            Map<String, String> known = names.of(students);
            // the summary (worst state, admission) first, beside the name; then one column per section
            List<String> headers = new ArrayList<>(List.of(t.t("report.student"), t.t("report.name"),
                    t.t("report.group.worst"), t.t("report.group.admission")));
            headers.addAll(sections.values());
            List<List<Object>> rows = new ArrayList<>();
            for (String person : students) {
                List<Object> row = new ArrayList<>(List.of(person, known.getOrDefault(person, "")));
                List<Object> perSection = new ArrayList<>();
                Map<String, Cell> own = byStudent.getOrDefault(person, Map.of());
                String worst = null;
                List<String> notAdmitted = new ArrayList<>();
                boolean anyDecision = false;
                for (String sectionId : sections.keySet()) {
                    Cell c = own.get(sectionId);
                    perSection.add(c == null || c.state() == null ? "" : cell(t, c));
                    if (c != null && c.state() != null) {
                        worst = worse(worst, c.state());
                    }
                    if (c != null && c.admitted() != null) {
                        anyDecision = true;
                        if (!c.admitted()) {
                            notAdmitted.add(sectionId);
                        }
                    }
                }
                row.add(worst == null ? "" : t.t("state." + worst));
                row.add(!anyDecision ? "" : notAdmitted.isEmpty() ? t.t("report.group.admittedAll")
                        : t.t("report.group.notAdmittedIn", String.join(", ", notAdmitted)));
                row.addAll(perSection);
                rows.add(row);
            }
            return Optional.of(new ReportTable(t.t("report.group.title", group), "group-" + fileName(group), headers, rows,
                    2, "", List.of()));
        });
    }

    /** {@code 40.00 % · Locked · 4/10 h}: the share, the state, unexcused of planned hours. */
    private static String cell(Messages t, Cell c) {
        String share = c.share().movePointRight(2).setScale(2, RoundingMode.HALF_UP).toPlainString();
        return t.t("report.group.cell", share, t.t("state." + c.state()), Integer.toString(c.unexcused()),
                Integer.toString(c.planned()));
    }

    /** The worse of two states (OK &lt; WARNING &lt; LOCKED); {@code a} may be null. */
    static String worse(String a, String b) {
        return a == null || severity(b) > severity(a) ? b : a;
    }

    private static int severity(String state) {
        return switch (state) {
            case "LOCKED" -> 2;
            case "WARNING" -> 1;
            default -> 0;
        };
    }

    private static final String[][] LATIN = {
            {"а", "a"}, {"ә", "a"}, {"б", "b"}, {"в", "v"}, {"г", "g"}, {"ғ", "g"}, {"д", "d"}, {"е", "e"}, {"ё", "e"},
            {"ж", "zh"}, {"з", "z"}, {"и", "i"}, {"й", "i"}, {"к", "k"}, {"қ", "q"}, {"л", "l"}, {"м", "m"}, {"н", "n"},
            {"ң", "n"}, {"о", "o"}, {"ө", "o"}, {"п", "p"}, {"р", "r"}, {"с", "s"}, {"т", "t"}, {"у", "u"}, {"ұ", "u"},
            {"ү", "u"}, {"ф", "f"}, {"х", "kh"}, {"һ", "h"}, {"ц", "ts"}, {"ч", "ch"}, {"ш", "sh"}, {"щ", "shch"},
            {"ъ", ""}, {"ы", "y"}, {"і", "i"}, {"ь", ""}, {"э", "e"}, {"ю", "iu"}, {"я", "ia"}};

    /** An ASCII file name for a group code: Kazakh and Russian letters transliterated ({@code ИС-21-1} → {@code IS-21-1}). */
    static String fileName(String group) {
        StringBuilder out = new StringBuilder();
        group.codePoints().forEach(cp -> {
            String ch = new String(Character.toChars(cp));
            String lower = ch.toLowerCase(java.util.Locale.ROOT);
            String latin = null;
            for (String[] pair : LATIN) {
                if (pair[0].equals(lower)) {
                    latin = pair[1];
                    break;
                }
            }
            if (latin == null) {
                out.append(ch);
            } else if (!lower.equals(ch) && !latin.isEmpty()) {
                out.append(Character.toUpperCase(latin.charAt(0))).append(latin.substring(1));
            } else {
                out.append(latin);
            }
        });
        return ReportService.ascii(out.toString());
    }
}
