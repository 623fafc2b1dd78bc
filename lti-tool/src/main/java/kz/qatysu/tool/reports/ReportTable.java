package kz.qatysu.tool.reports;

import java.util.List;

/**
 * One report as a table: a title, localized headers and rows whose cells are text or numbers. CSV, XLSX and the
 * printable page all render this, so the three always agree.
 *
 * @param fileName an ASCII base name for downloads, e.g. {@code attendance-ATT101-2025}
 */
public record ReportTable(String title, String fileName, List<String> headers, List<List<Object>> rows) {
    public ReportTable {
        headers = List.copyOf(headers);
        rows = rows.stream().map(r -> java.util.Collections.unmodifiableList(new java.util.ArrayList<>(r))).toList();
    }

    public static String text(Object cell) {
        if (cell == null) {
            return "";
        }
        if (cell instanceof java.math.BigDecimal d) {
            return d.toPlainString();
        }
        return cell.toString();
    }
}
