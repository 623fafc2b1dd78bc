package kz.qatysu.tool.reports;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * RFC 4180 CSV for spreadsheets: UTF-8 with a byte order mark (without it Excel reads Kazakh letters as
 * cp1251/cp1252 mojibake), CRLF line ends, {@code ,} or {@code ;} (what Excel expects where the decimal mark is a
 * comma, as in kk-KZ and ru-RU). Text that a spreadsheet would run as a formula is prefixed with an apostrophe.
 */
public final class CsvWriter {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private CsvWriter() {
    }

    public static byte[] write(ReportTable table, char separator) {
        StringBuilder out = new StringBuilder();
        line(out, table.headers().stream().map(h -> (Object) h).toList(), separator);
        for (List<Object> row : table.rows()) {
            line(out, row, separator);
        }
        byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[BOM.length + body.length];
        System.arraycopy(BOM, 0, all, 0, BOM.length);
        System.arraycopy(body, 0, all, BOM.length, body.length);
        return all;
    }

    private static void line(StringBuilder out, List<Object> cells, char separator) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(separator);
            }
            Object cell = cells.get(i);
            String s = ReportTable.text(cell);
            if (ReportTable.numeric(cell) && separator == ';') {
                s = s.replace('.', ',');
            } else if (!ReportTable.numeric(cell) && !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
                s = "'" + s;
            }
            if (s.indexOf(separator) >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                s = "\"" + s.replace("\"", "\"\"") + "\"";
            }
            out.append(s);
        }
        out.append("\r\n");
    }
}
