package kz.qatysu.connectors.portal;

import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 reader for portal exports: UTF-8 with or without a byte-order mark, {@code ;} or {@code ,}
 * (whichever the header line uses), quoted fields with doubled quotes and line breaks inside, CRLF or LF.
 */
public final class Csv {
    /** One parsed line: its cells and the physical line number where it starts (1-based). */
    public record Line(int lineNumber, List<String> cells) {
    }

    private Csv() {
    }

    public static List<Line> parse(String text) {
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        char delimiter = detectDelimiter(text);
        List<Line> lines = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int line = 1;
        int start = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    cell.append(c);
                }
            } else if (c == '"' && cell.isEmpty()) {
                quoted = true;
                any = true;
            } else if (c == delimiter) {
                cells.add(cell.toString());
                cell.setLength(0);
                any = true;
            } else if (c == '\r') {
                // part of CRLF; a bare CR is ignored as well
            } else if (c == '\n') {
                cells.add(cell.toString());
                if (any || !cell.isEmpty()) {
                    lines.add(new Line(start, List.copyOf(cells)));
                }
                cells.clear();
                cell.setLength(0);
                any = false;
                line++;
                start = line;
            } else {
                cell.append(c);
                any = true;
            }
        }
        if (any || !cell.isEmpty()) {
            cells.add(cell.toString());
            lines.add(new Line(start, List.copyOf(cells)));
        }
        return lines;
    }

    /** The delimiter the header line uses: {@code ;} when it has more semicolons than commas outside quotes. */
    static char detectDelimiter(String text) {
        int semicolons = 0;
        int commas = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '\n') {
                break;
            } else if (!quoted && c == ';') {
                semicolons++;
            } else if (!quoted && c == ',') {
                commas++;
            }
        }
        return semicolons > commas ? ';' : ',';
    }
}
