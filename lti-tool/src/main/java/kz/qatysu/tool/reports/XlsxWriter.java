package kz.qatysu.tool.reports;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The XLSX of a {@link ReportTable}, written with fastexcel: a bold header row, the header and the row-naming
 * columns ({@link ReportTable#keyColumns()}) frozen, shares as numbers in a percent format, columns as wide as their
 * content (within limits), and the legend of the codes on a second sheet.
 */
public final class XlsxWriter {
    /** How a share shows in the spreadsheet: 0.3438 → 34.38%. */
    static final String PERCENT = "0.00%";
    static final int MIN_WIDTH = 6;
    static final int MAX_WIDTH = 40;

    private XlsxWriter() {
    }

    public static byte[] write(ReportTable table) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Workbook wb = new Workbook(bytes, "Qatysu", "1.0")) {
            Worksheet ws = wb.newWorksheet(sheetName(table.title(), "Report"));
            List<String> headers = table.headers();
            for (int c = 0; c < headers.size(); c++) {
                ws.value(0, c, clean(headers.get(c)));
            }
            ws.range(0, 0, 0, Math.max(headers.size() - 1, 0)).style().bold().fillColor("F3F5F8").wrapText(true)
                    .verticalAlignment("top").set();
            int r = 1;
            for (List<Object> cells : table.rows()) {
                for (int c = 0; c < cells.size(); c++) {
                    cell(ws, r, c, cells.get(c));
                }
                r++;
            }
            for (int c = 0; c < headers.size(); c++) {
                ws.width(c, width(table, c));
            }
            ws.freezePane(table.keyColumns(), 1);
            if (!table.legend().isEmpty()) {
                Worksheet legend = wb.newWorksheet(sheetName(table.legendTitle(), "Legend"));
                int row = 0;
                for (ReportTable.Legend entry : table.legend()) {
                    legend.value(row, 0, clean(entry.code()));
                    legend.value(row, 1, clean(entry.meaning()));
                    row++;
                }
                legend.style(0).bold().set();
                legend.width(0, 8);
                legend.width(1, 60);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void cell(Worksheet ws, int r, int c, Object cell) {
        if (cell instanceof ReportTable.Share share) {
            ws.value(r, c, share.fraction());
            ws.style(r, c).format(PERCENT).set();
        } else if (cell instanceof Number n) {
            ws.value(r, c, n);
        } else {
            String text = clean(ReportTable.text(cell));
            if (!text.isEmpty()) {
                ws.value(r, c, text);
            }
        }
    }

    /** About as many characters as the column's longest text (the header counts less: it wraps), within limits. */
    static double width(ReportTable table, int column) {
        int longest = Math.min(table.headers().get(column).length(), 14);
        for (List<Object> row : table.rows()) {
            if (column < row.size()) {
                Object cell = row.get(column);
                int length = cell instanceof ReportTable.Share ? 7 : ReportTable.text(cell).length();
                longest = Math.max(longest, length);
            }
        }
        return Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, longest + 2));
    }

    /** Sheet names: at most 31 characters, none of {@code []:*?/\}. */
    static String sheetName(String title, String fallback) {
        String s = title == null ? "" : title.replaceAll("[\\[\\]:*?/\\\\]", " ").strip();
        s = s.isEmpty() ? fallback : s;
        return s.length() > 31 ? s.substring(0, 31).strip() : s;
    }

    /** Drops the control characters XML 1.0 cannot carry at all (a spreadsheet would refuse the file). */
    static String clean(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().filter(cp -> cp >= 0x20 || cp == '\t' || cp == '\n' || cp == '\r').forEach(out::appendCodePoint);
        return out.toString();
    }
}
