package kz.qatysu.connectors.csv;

import de.siegmar.fastcsv.reader.CommentStrategy;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CSV text read strictly (RFC 4180) with FastCSV — parsing CSV is not our product. Quoted fields may hold delimiters,
 * doubled quotes and line breaks; lines end in LF or CRLF; a byte-order mark is dropped; empty lines are skipped.
 * A file whose structure is broken is refused as a whole, never read as a smaller one: {@link Broken} names the line
 * where the broken record starts and what is wrong — a quote never closed, text after a closing quote (an unbalanced
 * quote that pairs with a later one and swallows the lines between), or another number of fields than the header.
 */
public final class StrictCsv {
    /** The line number FastCSV puts into the exception that wraps a parse failure. */
    private static final Pattern STARTED_IN_LINE = Pattern.compile("started in line (\\d+)");

    private StrictCsv() {
    }

    /** One record: the physical line (1-based) where it starts, and its fields as written (unquoted). */
    public record Row(long line, List<String> cells) {
        public Row {
            cells = List.copyOf(cells);
        }

        public boolean blank() {
            return cells.stream().allMatch(String::isBlank);
        }

        /** The field at {@code i}, or "" past the end. */
        public String cell(int i) {
            return i < cells.size() ? cells.get(i) : "";
        }
    }

    /**
     * What is wrong with a broken file, for a reader in any language: {@link Broken#args()} are the numbers the code
     * names ({@code FIELD_COUNT}: the fields found, the header's; {@code OTHER}: the parser's own words).
     */
    public enum Problem { UNCLOSED_QUOTE, TEXT_AFTER_QUOTE, RUNAWAY_QUOTE, FIELD_COUNT, OTHER }

    /**
     * The file's structure is broken at {@link #line()}; the message is {@code line N: what is wrong} (English, for
     * logs); {@link #code()} and {@link #args()} say the same for a page in the user's language.
     */
    public static final class Broken extends RuntimeException {
        private final long line;
        private final String problem;
        private final Problem code;
        private final List<Object> args;

        Broken(long line, Problem code, List<Object> args, String problem, Throwable cause) {
            super("line " + line + ": " + problem, cause);
            this.line = line;
            this.problem = problem;
            this.code = code;
            this.args = List.copyOf(args);
        }

        public Problem code() {
            return code;
        }

        public List<Object> args() {
            return args;
        }

        public long line() {
            return line;
        }

        public String problem() {
            return problem;
        }
    }

    /** Every record of {@code text} split at {@code delimiter}; a broken quote refuses the whole text. */
    public static List<Row> read(String text, char delimiter) {
        String body = !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
        List<Row> rows = new ArrayList<>();
        CsvReader<CsvRecord> reader = CsvReader.builder()
                .fieldSeparator(delimiter)
                .quoteCharacter('"')
                .commentStrategy(CommentStrategy.NONE)
                .skipEmptyLines(true)
                .allowUnclosedQuote(false)
                .allowExtraCharsAfterClosingQuote(false)
                // field counts are checked against the header row (see requireHeaderWidth), which need not be the first
                .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
                .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                .ofCsvRecord(body);
        try (reader) {
            for (CsvRecord r : reader) {
                rows.add(new Row(r.getStartingLineNumber(), r.getFields()));
            }
        } catch (CsvParseException e) {
            throw broken(e, rows.isEmpty() ? 1 : rows.getLast().line());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // not reached: the text is in memory
        }
        return rows;
    }

    /**
     * Refuses the first non-blank row after the header at {@code headerIndex} whose number of fields is not the
     * header's: an unbalanced quote, or one delimiter too many or too few, shifts every value after it.
     */
    public static void requireHeaderWidth(List<Row> rows, int headerIndex) {
        Row header = rows.get(headerIndex);
        for (Row r : rows.subList(headerIndex + 1, rows.size())) {
            if (r.cells().size() != header.cells().size() && !r.blank()) {
                throw new Broken(r.line(), Problem.FIELD_COUNT, List.of(r.cells().size(), header.cells().size()),
                        r.cells().size() + " fields where the header has " + header.cells().size()
                        + " (an unbalanced quote, or a delimiter too many or missing, shifts every value after it)", null);
            }
        }
    }

    /**
     * The delimiter of the first non-empty line: the one of {@code candidates} it holds most often outside quotes
     * (the first candidate on a tie, or when it holds none).
     */
    public static char detectDelimiter(String text, String candidates) {
        int[] counts = new int[candidates.length()];
        boolean quoted = false;
        boolean seen = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                if (seen) {
                    break;
                }
            } else if (!quoted && candidates.indexOf(c) >= 0) {
                counts[candidates.indexOf(c)]++;
                seen = true;
            } else if (!Character.isWhitespace(c) && c != '\uFEFF') {
                seen = true;
            }
        }
        int best = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        return candidates.charAt(best);
    }

    private static Broken broken(CsvParseException e, long lastGoodLine) {
        Matcher m = STARTED_IN_LINE.matcher(String.valueOf(e.getMessage()));
        long line = m.find() ? Long.parseLong(m.group(1)) : String.valueOf(e.getMessage()).contains("first record") ? 1 : lastGoodLine;
        String cause = String.valueOf((e.getCause() != null ? e.getCause() : e).getMessage());
        String problem;
        Problem code;
        if (cause.startsWith("Unclosed quoted field")) {
            code = Problem.UNCLOSED_QUOTE;
            problem = "a quote opened in this record is not closed (an unbalanced quote swallows every line after it)";
        } else if (cause.startsWith("Unexpected character after closing quote")) {
            code = Problem.TEXT_AFTER_QUOTE;
            problem = "an unbalanced quote: a quoted field of this record closes at a later quote and text follows it"
                    + " (a quote inside a field must be doubled, \"\")";
        } else if (cause.contains("maximum buffer size")) {
            code = Problem.RUNAWAY_QUOTE;
            problem = "a quoted field of this record runs on for megabytes: an unbalanced quote";
        } else {
            code = Problem.OTHER;
            problem = cause;
        }
        return new Broken(line, code, code == Problem.OTHER ? List.of(cause) : List.of(), problem, e);
    }
}
