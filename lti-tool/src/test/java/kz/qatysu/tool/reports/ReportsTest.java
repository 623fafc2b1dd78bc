package kz.qatysu.tool.reports;

import kz.qatysu.tool.excuses.DeansFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

class ReportsTest {
    static DeansFixture f;
    static DeansFixture.Launch student;
    static DeansFixture.Launch other;
    static DeansFixture.Launch teacher;

    @BeforeAll
    static void start() {
        f = DeansFixture.start(Map.of());
        f.absent("P-1001", "S-1", "S-2", "S-3", "S-4");
        f.absent("P-1002", "S-2");
        student = f.student("P-1001", "5", "Әлия Нұрланқызы");
        other = f.student("P-1002", "6", "Бауыржан \"Бауке\" Әбілқасымұлы; ҚазҰУ");
        teacher = f.teacher();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void the_course_csv_is_utf8_with_a_bom_and_kazakh_names_survive_the_round_trip() {
        var r = f.bytes(teacher.browser(), teacher.base() + "/reports/course?format=csv");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(r.headers().firstValue("Content-Disposition").orElseThrow()).contains("attendance-ATT101-2025.csv");
        byte[] body = r.body();
        assertThat(Arrays.copyOf(body, 3)).containsExactly(0xEF, 0xBB, 0xBF);
        String csv = new String(body, 3, body.length - 3, StandardCharsets.UTF_8);
        String[] lines = csv.split("\r\n");
        // headers in the teacher's launch language (Russian): the summary (share, state, hours) first, then one column per session
        assertThat(lines[0]).startsWith("ID студента,ФИО,\"Доля пропусков, %\",Состояние,").contains(",Расчётный,Решение деканата,02.09.2026 08:00,03.09.2026 08:00");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("P-1001,Әлия Нұрланқызы,40.00,Заблокировано,4,10,Заблокировано,,Н,Н,Н,Н,,"));
        // a name with quotes and the separator is quoted, not split
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("P-1002,\"Бауыржан \"\"Бауке\"\" Әбілқасымұлы; ҚазҰУ\",10.00,"));
    }

    @Test
    void the_semicolon_csv_uses_decimal_commas_and_quotes_fields_with_semicolons() {
        var r = f.bytes(teacher.browser(), teacher.base() + "/reports/course?format=csv&sep=%3B");
        String csv = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(csv).contains("P-1001;Әлия Нұрланқызы;40,00;Заблокирован", ";Н;Н;Н;Н;", "\"Бауыржан \"\"Бауке\"\" Әбілқасымұлы; ҚазҰУ\"");
    }

    @Test
    void the_xlsx_has_the_summary_first_frozen_panes_percent_shares_widths_and_a_legend_sheet() throws Exception {
        var r = f.bytes(teacher.browser(), teacher.base() + "/reports/course?format=xlsx");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow())
                .isEqualTo("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        // read back with the library's reader: the same data as the CSV, the summary columns first
        try (var wb = new org.dhatim.fastexcel.reader.ReadableWorkbook(new ByteArrayInputStream(r.body()),
                new org.dhatim.fastexcel.reader.ReadingOptions(true, false))) {
            var sheets = wb.getSheets().toList();
            assertThat(sheets).extracting(org.dhatim.fastexcel.reader.Sheet::getName)
                    .containsExactly("Қатысу және прокторинг 101 (ATT", "Условные обозначения");
            var rows = sheets.get(0).read();
            assertThat(rows.get(0).getCell(2).asString()).isEqualTo("Доля пропусков, %");
            assertThat(rows.get(0).getCell(3).asString()).isEqualTo("Состояние");
            assertThat(rows.get(0).getCell(8).asString()).isEqualTo("02.09.2026 08:00");
            var aliya = rows.stream().filter(row -> "P-1001".equals(row.getCell(0).asString())).findFirst().orElseThrow();
            assertThat(aliya.getCell(1).asString()).isEqualTo("Әлия Нұрланқызы");
            assertThat(aliya.getCell(2).asNumber()).isEqualByComparingTo("0.4");
            assertThat(aliya.getCell(2).getDataFormatString()).isEqualTo("0.00%");
            assertThat(aliya.getCell(3).asString()).isEqualTo("Заблокировано");
            assertThat(aliya.getCell(4).asNumber()).isEqualByComparingTo("4");
            assertThat(aliya.getCell(5).asNumber()).isEqualByComparingTo("10");
            assertThat(aliya.getCell(8).asString()).isEqualTo("Н");
            assertThat(rows).anySatisfy(row -> assertThat(row.getCellText(1)).isEqualTo("Бауыржан \"Бауке\" Әбілқасымұлы; ҚазҰУ"));
            var legend = sheets.get(1).read();
            assertThat(legend).extracting(row -> row.getCellText(0) + " = " + row.getCellText(1))
                    .contains("Н = Отсутствовал", "— = занятие другой академической группы: этому студенту не засчитывается");
        }
        // what the reader does not report: the frozen header row and name columns, the widths, the bold header
        Map<String, byte[]> parts = unzip(r.body());
        String sheet = new String(parts.get("xl/worksheets/sheet1.xml"), StandardCharsets.UTF_8);
        assertThat(sheet).contains("xSplit=\"2\"", "ySplit=\"1\"", "topLeftCell=\"C2\"", "state=\"frozen\"", "<cols>");
        assertThat(new String(parts.get("xl/styles.xml"), StandardCharsets.UTF_8)).contains("formatCode=\"0.00%\"", "<b");
        for (byte[] xml : parts.values()) {
            if (xml.length > 0 && xml[0] == '<') {
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml)); // well-formed
            }
        }
    }

    @Test
    void the_printable_page_shows_the_legend_of_the_codes() {
        String page = teacher.browser().get(f.tool.baseUrl() + teacher.base() + "/reports/course").body();
        assertThat(page).contains("id=\"legend\"", "Условные обозначения", "<dt>Н</dt><dd>Отсутствовал</dd>");
    }

    @Test
    void the_printable_page_has_print_css_and_download_links() {
        String page = teacher.browser().get(f.tool.baseUrl() + teacher.base() + "/reports/course").body();
        assertThat(page).contains("@media print", "id=\"csv\"", "id=\"xlsx\"", "Әлия Нұрланқызы", "Заблокирован");
        var session = teacher.browser().get(f.tool.baseUrl() + teacher.base() + "/reports/sessions/S-2?format=csv");
        assertThat(session.statusCode()).isEqualTo(200);
        assertThat(session.body()).contains("P-1001,Әлия Нұрланқызы,Отсутствовал");
    }

    @Test
    void a_student_cannot_download_the_course_report_but_sees_their_own() {
        assertThat(f.bytes(student.browser(), student.base() + "/reports/course?format=csv").statusCode()).isEqualTo(403);
        assertThat(f.bytes(student.browser(), student.base() + "/reports/course?format=xlsx").statusCode()).isEqualTo(403);
        assertThat(f.bytes(student.browser(), student.base() + "/reports/sessions/S-2?format=csv").statusCode()).isEqualTo(403);
        var own = f.bytes(student.browser(), student.base() + "/reports/me?format=csv");
        assertThat(own.statusCode()).isEqualTo(200);
        String csv = new String(own.body(), StandardCharsets.UTF_8);
        // the student's launch is Kazakh
        assertThat(csv).contains("Ағын,Пән", "ATT101-2025,Қатысу және прокторинг 101,40.00,Бұғатталған,4,10").doesNotContain("P-1002");
        assertThat(f.bytes(new kz.qatysu.tool.testing.Browser(), student.base() + "/reports/course?format=csv").statusCode()).isEqualTo(401);
    }

    @Test
    void the_deans_office_gets_every_report_in_the_browsers_language() {
        var dean = f.admin();
        var section = dean.get(f.tool.baseUrl() + "/admin/reports/sections/ATT101-2025?format=csv");
        assertThat(section.statusCode()).isEqualTo(200);
        assertThat(section.body()).contains("Student ID,Name", "Әлия Нұрланқызы");
        assertThat(dean.get(f.tool.baseUrl() + "/admin/reports/students/P-1002").body()).contains("Бауыржан", "ATT101-2025");
        assertThat(dean.get(f.tool.baseUrl() + "/admin/reports/sessions/S-1?format=csv").body()).contains("P-1001,Әлия Нұрланқызы,Absent");
        assertThat(dean.get(f.tool.baseUrl() + "/admin/reports/sections/NOPE").statusCode()).isEqualTo(404);
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        // ZipFile, not ZipInputStream: the writer streams its parts with the sizes in data descriptors
        java.nio.file.Path file = java.nio.file.Files.createTempFile("report", ".xlsx");
        try {
            java.nio.file.Files.write(file, zip);
            Map<String, byte[]> out = new HashMap<>();
            try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(file.toFile())) {
                for (ZipEntry e : java.util.Collections.list(z.entries())) {
                    try (var in = z.getInputStream(e)) {
                        out.put(e.getName(), in.readAllBytes());
                    }
                }
            }
            return out;
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }
}
