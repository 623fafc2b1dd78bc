package kz.qatysu.tool.reports;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * One report as a table: a title, localized headers and rows whose cells are text, numbers or {@link Share}s. CSV,
 * XLSX and the printable page all render this, so the three always agree.
 *
 * @param fileName   an ASCII base name for downloads, e.g. {@code attendance-ATT101-2025}
 * @param keyColumns how many leading columns name the row (id, name, group): the XLSX freezes them with the header
 * @param legendTitle the legend's heading (and the XLSX's second sheet's name), in the reader's language
 * @param legend     what the codes in the cells mean (mark codes, "—"); shown under the page's table and on the
 *                   XLSX's second sheet; empty = no legend
 */
public record ReportTable(String title, String fileName, List<String> headers, List<List<Object>> rows, int keyColumns,
                          String legendTitle, List<Legend> legend) {
    public ReportTable {
        headers = List.copyOf(headers);
        rows = rows.stream().map(r -> java.util.Collections.unmodifiableList(new java.util.ArrayList<>(r))).toList();
        legend = List.copyOf(legend);
        if (keyColumns < 0 || keyColumns > headers.size()) {
            throw new IllegalArgumentException("keyColumns " + keyColumns + " outside 0.." + headers.size());
        }
    }

    public ReportTable(String title, String fileName, List<String> headers, List<List<Object>> rows) {
        this(title, fileName, headers, rows, 0, "", List.of());
    }

    /** One code of the report and what it means, in the reader's language. */
    public record Legend(String code, String meaning) {
    }

    /**
     * A share of planned hours ({@code 0.3438}): the page and the CSV show it as a percentage number ({@code 34.38}),
     * the XLSX as the fraction in a percent format, so a spreadsheet computes with it.
     */
    public record Share(BigDecimal fraction) {
        public BigDecimal percent() {
            return fraction.movePointRight(2).setScale(2, RoundingMode.HALF_UP);
        }
    }

    /** Whether a cell is a number (a spreadsheet's number, right-aligned; a decimal comma in the {@code ;} CSV). */
    public static boolean numeric(Object cell) {
        return cell instanceof Number || cell instanceof Share;
    }

    public static String text(Object cell) {
        if (cell == null) {
            return "";
        }
        if (cell instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (cell instanceof Share s) {
            return s.percent().toPlainString();
        }
        return cell.toString();
    }
}
