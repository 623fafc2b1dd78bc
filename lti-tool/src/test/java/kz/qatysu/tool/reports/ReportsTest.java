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
import java.util.zip.ZipInputStream;

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
        // headers in the teacher's launch language (Russian), one column per session
        assertThat(lines[0]).startsWith("ID студента,ФИО,2026-09-02 08:00,2026-09-03 08:00").endsWith(",\"Доля пропусков, %\",Состояние,Расчётный,Решение деканата");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("P-1001,Әлия Нұрланқызы,Н,Н,Н,Н,,").endsWith(",4,10,40.00,Заблокировано,Заблокировано,"));
        // a name with quotes and the separator is quoted, not split
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("P-1002,\"Бауыржан \"\"Бауке\"\" Әбілқасымұлы; ҚазҰУ\",,Н,"));
    }

    @Test
    void the_semicolon_csv_uses_decimal_commas_and_quotes_fields_with_semicolons() {
        var r = f.bytes(teacher.browser(), teacher.base() + "/reports/course?format=csv&sep=%3B");
        String csv = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(csv).contains("P-1001;Әлия Нұрланқызы;Н;Н;Н;Н;", ";40,00;Заблокирован", "\"Бауыржан \"\"Бауке\"\" Әбілқасымұлы; ҚазҰУ\"");
    }

    @Test
    void the_xlsx_is_a_workbook_whose_sheet_holds_the_grid() throws Exception {
        var r = f.bytes(teacher.browser(), teacher.base() + "/reports/course?format=xlsx");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow())
                .isEqualTo("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        Map<String, byte[]> parts = unzip(r.body());
        assertThat(parts).containsKeys("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                "xl/styles.xml", "xl/worksheets/sheet1.xml");
        for (byte[] xml : parts.values()) {
            DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml)); // well-formed
        }
        String sheet = new String(parts.get("xl/worksheets/sheet1.xml"), StandardCharsets.UTF_8);
        assertThat(sheet).contains("<t xml:space=\"preserve\">Әлия Нұрланқызы</t>", "<t xml:space=\"preserve\">ФИО</t>",
                "<c r=\"O2\"><v>40.00</v></c>", "Бауыржан &quot;Бауке&quot;");
        assertThat(new String(parts.get("xl/workbook.xml"), StandardCharsets.UTF_8)).contains("Қатысу және прокторинг 101");
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
        assertThat(csv).contains("Ағын,Пән", "ATT101-2025,Қатысу және прокторинг 101,4,10,40.00,Бұғатталған").doesNotContain("P-1002");
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
        Map<String, byte[]> out = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }
}
