package kz.qatysu.tool.attendance.evidence;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Participants CSV files a teacher uploads where no API is available. Pure. Two shapes are read:
 * <ul>
 *   <li><b>Zoom's participants export</b> (web portal → Reports → Usage → Participants → Export): a header row with
 *       {@code Name (Original Name)}, {@code User Email}, {@code Join Time}, {@code Leave Time}, {@code Duration
 *       (Minutes)} and, in newer exports, {@code Guest} and {@code In Waiting Room}; "export with meeting data" puts a
 *       meeting block and an empty line before it, which is skipped. Times are local, in the time zone of the Zoom
 *       profile of whoever exported ({@code 09/24/2025 08:15:02 AM}); they are read in the class session's zone.</li>
 *   <li>a <b>generic</b> file with the header {@code person,join,leave} (optionally {@code name}); {@code person} is a
 *       person id, a platform user id or an e-mail; times ISO-8601 with an offset, or local
 *       ({@code 2026-09-02 08:03}) in the class session's zone.</li>
 * </ul>
 * Comma, semicolon (Excel in Russian locales) or tab separated, RFC 4180 quotes, UTF-8 with or without BOM. A bad
 * row rejects the whole file with an {@link Invalid} naming the line and the column: nothing half-imported.
 */
public final class ParticipantCsv {
    static final int MAX_ROWS = 20_000;

    private static final List<DateTimeFormatter> LOCAL_FORMATS = List.of(
            DateTimeFormatter.ofPattern("MM/dd/uuuu hh:mm:ss a", Locale.US),
            DateTimeFormatter.ofPattern("MM/dd/uuuu hh:mm a", Locale.US),
            DateTimeFormatter.ofPattern("MM/dd/uuuu HH:mm:ss", Locale.ROOT),
            DateTimeFormatter.ofPattern("MM/dd/uuuu HH:mm", Locale.ROOT),
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT),
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm", Locale.ROOT),
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT),
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm", Locale.ROOT),
            DateTimeFormatter.ofPattern("dd.MM.uuuu HH:mm:ss", Locale.ROOT),
            DateTimeFormatter.ofPattern("dd.MM.uuuu HH:mm", Locale.ROOT));

    private ParticipantCsv() {
    }

    public enum Format { ZOOM, GENERIC }

    /** One row: {@code personKey} is the e-mail (Zoom) or the {@code person} column (generic), null when empty. */
    public record Row(String personKey, String displayName, Instant join, Instant leave) {
    }

    public record Parsed(Format format, List<Row> rows, int waitingRoomRowsExcluded) {
    }

    /** The file cannot be read; {@code line} is 1-based (0 when the whole file is at fault). */
    public static final class Invalid extends RuntimeException {
        private final int line;

        Invalid(int line, String message) {
            super(line > 0 ? "line " + line + ": " + message : message);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    public static Parsed parse(String text, ZoneId zone) {
        if (text == null || text.isBlank()) {
            throw new Invalid(0, "the file is empty");
        }
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        char delimiter = delimiter(body);
        List<Record> records = records(body, delimiter);
        for (int i = 0; i < records.size(); i++) {
            List<String> header = lower(records.get(i).cells());
            int join = header.indexOf("join time");
            int leave = header.indexOf("leave time");
            if (join >= 0 && leave >= 0) {
                return zoom(records.subList(i + 1, records.size()), header, join, leave, zone);
            }
            if (header.contains("person") && header.contains("join") && header.contains("leave")) {
                return generic(records.subList(i + 1, records.size()), header, zone);
            }
        }
        throw new Invalid(0, "no header row found: expected Zoom's participants export (Join Time, Leave Time columns) "
                + "or the columns person,join,leave");
    }

    private static Parsed zoom(List<Record> rows, List<String> header, int join, int leave, ZoneId zone) {
        int name = firstStarting(header, "name");
        int email = header.indexOf("user email") >= 0 ? header.indexOf("user email") : header.indexOf("email");
        int waiting = header.indexOf("in waiting room");
        List<Row> out = new ArrayList<>();
        int excluded = 0;
        for (Record r : rows) {
            if (r.blank()) {
                continue;
            }
            if (waiting >= 0 && cell(r, waiting).equalsIgnoreCase("yes")) {
                excluded++;
                continue;
            }
            out.add(row(r, email < 0 ? "" : cell(r, email).toLowerCase(Locale.ROOT), name < 0 ? "" : cell(r, name),
                    time(r, join, "Join Time", zone), time(r, leave, "Leave Time", zone)));
        }
        return new Parsed(Format.ZOOM, limit(out), excluded);
    }

    private static Parsed generic(List<Record> rows, List<String> header, ZoneId zone) {
        int person = header.indexOf("person");
        int name = header.indexOf("name");
        int join = header.indexOf("join");
        int leave = header.indexOf("leave");
        List<Row> out = new ArrayList<>();
        for (Record r : rows) {
            if (r.blank()) {
                continue;
            }
            String key = cell(r, person);
            String display = name < 0 ? "" : cell(r, name);
            if (key.isEmpty() && display.isEmpty()) {
                throw new Invalid(r.line(), "column person is empty");
            }
            out.add(row(r, key, display, time(r, join, "join", zone), time(r, leave, "leave", zone)));
        }
        return new Parsed(Format.GENERIC, limit(out), 0);
    }

    private static Row row(Record r, String key, String name, Instant join, Instant leave) {
        if (leave.isBefore(join)) {
            throw new Invalid(r.line(), "leaves (" + leave + ") before joining (" + join + ")");
        }
        return new Row(key.isEmpty() ? null : key, name.isEmpty() ? null : name, join, leave);
    }

    private static List<Row> limit(List<Row> rows) {
        if (rows.isEmpty()) {
            throw new Invalid(0, "the file has a header but no participant rows");
        }
        if (rows.size() > MAX_ROWS) {
            throw new Invalid(0, "more than " + MAX_ROWS + " participant rows");
        }
        return List.copyOf(rows);
    }

    static Instant time(Record r, int column, String columnName, ZoneId zone) {
        String v = cell(r, column);
        if (v.isEmpty()) {
            throw new Invalid(r.line(), "column " + columnName + " is empty");
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException ignored) {
            // not ISO-8601 with an offset: try the local formats below
        }
        for (DateTimeFormatter f : LOCAL_FORMATS) {
            try {
                return LocalDateTime.parse(v.toUpperCase(Locale.ROOT), f).atZone(zone).toInstant();
            } catch (DateTimeParseException ignored) {
                // next format
            }
        }
        throw new Invalid(r.line(), "column " + columnName + ": '" + v + "' is not a time like 09/24/2025 08:15:02 AM or "
                + "2026-09-02 08:03 or 2026-09-02T08:03:00+05:00");
    }

    // ---- CSV tokenising ---------------------------------------------------------------------------------

    record Record(int line, List<String> cells) {
        boolean blank() {
            return cells.stream().allMatch(String::isBlank);
        }
    }

    private static String cell(Record r, int i) {
        return i < r.cells().size() ? r.cells().get(i).strip() : "";
    }

    private static List<String> lower(List<String> cells) {
        return cells.stream().map(c -> c.strip().toLowerCase(Locale.ROOT)).toList();
    }

    private static int firstStarting(List<String> header, String prefix) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /** The separator of the first non-empty line: the most frequent of comma, semicolon, tab. */
    private static char delimiter(String body) {
        String first = body.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
        long commas = first.chars().filter(c -> c == ',').count();
        long semis = first.chars().filter(c -> c == ';').count();
        long tabs = first.chars().filter(c -> c == '\t').count();
        return tabs > commas && tabs > semis ? '\t' : semis > commas ? ';' : ',';
    }

    /** RFC 4180: quoted cells may hold separators, doubled quotes and line breaks. */
    static List<Record> records(String body, char delimiter) {
        List<Record> out = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        int line = 1;
        int recordLine = 1;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < body.length() && body.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    cell.append(c);
                }
            } else if (c == '"' && cell.isEmpty()) {
                quoted = true;
            } else if (c == delimiter) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < body.length() && body.charAt(i + 1) == '\n') {
                    i++;
                }
                cells.add(cell.toString());
                cell.setLength(0);
                out.add(new Record(recordLine, List.copyOf(cells)));
                cells.clear();
                line++;
                recordLine = line;
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new Invalid(recordLine, "a quoted cell is not closed");
        }
        if (!cell.isEmpty() || !cells.isEmpty()) {
            cells.add(cell.toString());
            out.add(new Record(recordLine, List.copyOf(cells)));
        }
        return out;
    }
}
