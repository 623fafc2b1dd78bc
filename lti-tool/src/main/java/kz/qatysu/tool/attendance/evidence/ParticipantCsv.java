package kz.qatysu.tool.attendance.evidence;

import kz.qatysu.connectors.csv.StrictCsv;

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
 *       profile of whoever exported ({@code 09/24/2025 08:15:02 AM}); they are read in the zone given to
 *       {@link #parse}: the institution's ({@code ui.timeZone}), where the tool's own accounts are.</li>
 *   <li>a <b>generic</b> file with the header {@code person,join,leave} (optionally {@code name}); {@code person} is a
 *       person id, a platform user id or an e-mail; times ISO-8601 with an offset, or local
 *       ({@code 2026-09-02 08:03}) in that zone too.</li>
 * </ul>
 * Comma, semicolon (Excel in Russian locales) or tab separated (the first line decides), RFC 4180 quotes read strictly
 * by {@link StrictCsv}, UTF-8 with or without BOM. A bad row, or a broken structure (a quote never closed or
 * unbalanced, a row with another number of fields than the header), rejects the whole file with an {@link Invalid}
 * naming the line and what is wrong: nothing half-imported, never read as a shorter list.
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

    /**
     * The file cannot be read; {@code line} is 1-based (0 when the whole file is at fault). The message is English
     * (logs, tests); {@link #code()} and {@link #args()} are what a page renders in the user's language
     * ({@code csv.error.<code>}, see {@link #describe}).
     */
    public static final class Invalid extends RuntimeException {
        private final int line;
        private final String code;
        private final List<Object> args;

        Invalid(long line, String code, List<Object> args, String message) {
            super(line > 0 ? "line " + line + ": " + message : message);
            this.line = Math.toIntExact(line);
            this.code = code;
            this.args = List.copyOf(args);
        }

        public int line() {
            return line;
        }

        /** {@code EMPTY}, {@code NO_HEADER}, {@code NO_ROWS}, {@code TOO_MANY_ROWS}, {@code EMPTY_COLUMN}, … */
        public String code() {
            return code;
        }

        public List<Object> args() {
            return args;
        }
    }

    /**
     * What is wrong, in the reader's language: {@code csv.error.<code>} with the arguments, prefixed with the line
     * ({@code csv.error.atLine}) when one line is at fault. Instants are shown in {@code zone} (the institution's).
     */
    public static String describe(kz.qatysu.tool.web.Messages t, Invalid e, ZoneId zone) {
        Object[] args = e.args().stream().map(a -> a instanceof Instant i
                ? DateTimeFormatter.ofPattern("dd.MM.uuuu HH:mm").format(i.atZone(zone)) : String.valueOf(a)).toArray();
        String what = t.t("csv.error." + e.code(), args);
        return e.line() > 0 ? t.t("csv.error.atLine", String.valueOf(e.line()), what) : what;
    }

    public static Parsed parse(String text, ZoneId zone) {
        if (text == null || text.isBlank()) {
            throw new Invalid(0, "EMPTY", List.of(), "the file is empty");
        }
        try {
            List<StrictCsv.Row> records = StrictCsv.read(text, StrictCsv.detectDelimiter(text, ",;\t"));
            for (int i = 0; i < records.size(); i++) {
                List<String> header = lower(records.get(i).cells());
                int join = header.indexOf("join time");
                int leave = header.indexOf("leave time");
                boolean isZoom = join >= 0 && leave >= 0;
                if (isZoom || header.contains("person") && header.contains("join") && header.contains("leave")) {
                    // rows before the header (Zoom's meeting block) have their own width
                    StrictCsv.requireHeaderWidth(records, i);
                    List<StrictCsv.Row> rows = records.subList(i + 1, records.size());
                    return isZoom ? zoom(rows, header, join, leave, zone) : generic(rows, header, zone);
                }
            }
        } catch (StrictCsv.Broken e) {
            throw new Invalid(e.line(), e.code().name(), e.args(), e.problem());
        }
        throw new Invalid(0, "NO_HEADER", List.of(), "no header row found: expected Zoom's participants export (Join Time, Leave Time columns) "
                + "or the columns person,join,leave");
    }

    private static Parsed zoom(List<StrictCsv.Row> rows, List<String> header, int join, int leave, ZoneId zone) {
        int name = firstStarting(header, "name");
        int email = header.indexOf("user email") >= 0 ? header.indexOf("user email") : header.indexOf("email");
        int waiting = header.indexOf("in waiting room");
        List<Row> out = new ArrayList<>();
        int excluded = 0;
        for (StrictCsv.Row r : rows) {
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

    private static Parsed generic(List<StrictCsv.Row> rows, List<String> header, ZoneId zone) {
        int person = header.indexOf("person");
        int name = header.indexOf("name");
        int join = header.indexOf("join");
        int leave = header.indexOf("leave");
        List<Row> out = new ArrayList<>();
        for (StrictCsv.Row r : rows) {
            if (r.blank()) {
                continue;
            }
            String key = cell(r, person);
            String display = name < 0 ? "" : cell(r, name);
            if (key.isEmpty() && display.isEmpty()) {
                throw new Invalid(r.line(), "EMPTY_COLUMN", List.of("person"), "column person is empty");
            }
            out.add(row(r, key, display, time(r, join, "join", zone), time(r, leave, "leave", zone)));
        }
        return new Parsed(Format.GENERIC, limit(out), 0);
    }

    private static Row row(StrictCsv.Row r, String key, String name, Instant join, Instant leave) {
        if (leave.isBefore(join)) {
            throw new Invalid(r.line(), "LEAVES_BEFORE_JOIN", List.of(leave, join), "leaves (" + leave + ") before joining (" + join + ")");
        }
        return new Row(key.isEmpty() ? null : key, name.isEmpty() ? null : name, join, leave);
    }

    private static List<Row> limit(List<Row> rows) {
        if (rows.isEmpty()) {
            throw new Invalid(0, "NO_ROWS", List.of(), "the file has a header but no participant rows");
        }
        if (rows.size() > MAX_ROWS) {
            throw new Invalid(0, "TOO_MANY_ROWS", List.of(MAX_ROWS), "more than " + MAX_ROWS + " participant rows");
        }
        return List.copyOf(rows);
    }

    static Instant time(StrictCsv.Row r, int column, String columnName, ZoneId zone) {
        String v = cell(r, column);
        if (v.isEmpty()) {
            throw new Invalid(r.line(), "EMPTY_COLUMN", List.of(columnName), "column " + columnName + " is empty");
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
        throw new Invalid(r.line(), "NOT_A_TIME", List.of(columnName, v), "column " + columnName + ": '" + v + "' is not a time like 09/24/2025 08:15:02 AM or "
                + "2026-09-02 08:03 or 2026-09-02T08:03:00+05:00");
    }

    private static String cell(StrictCsv.Row r, int i) {
        return r.cell(i).strip();
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
}
