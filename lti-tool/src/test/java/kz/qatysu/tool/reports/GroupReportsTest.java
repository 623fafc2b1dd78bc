package kz.qatysu.tool.reports;

import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dean's office's report per academic group over real HTTP: ИС-21-1 has P-1001 (LOCKED in ATT101, OK in PHY)
 * and P-1002 (OK in ATT101, WARNING in PHY, whose upload sent no group for them); ВТ-24-1 has P-1003 in PHY only;
 * P-1004 was in ИС-21-1 but is withdrawn, so does not count.
 */
class GroupReportsTest {
    static final String PHY = "PHY201-2025";
    static final String IS = "ИС-21-1";
    static DeansFixture f;
    static Browser dean;
    static DeansFixture.Launch student;

    @BeforeAll
    static void start() {
        f = DeansFixture.start(Map.of());
        put("/api/v1/sections/" + DeansFixture.SECTION + "/enrolments", """
                [{"personId":"P-1001","role":"student","group":"ИС-21-1"},{"personId":"P-1002","role":"student","group":"ИС-21-1"},
                 {"personId":"T-7","role":"teacher"}]""");
        put("/api/v1/sections/" + PHY, "{\"title\": \"Физика\", \"termStart\": \"2026-09-01\", \"termEnd\": \"2026-12-25\"}");
        List<String> sessions = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            LocalDate day = LocalDate.of(2026, 9, 1).plusDays(i);
            sessions.add("{\"sessionId\":\"PHY-" + i + "\",\"start\":\"" + day + "T10:00:00+05:00\",\"end\":\"" + day
                    + "T10:50:00+05:00\",\"kind\":\"lecture\",\"hours\":1,\"room\":\"B-1\",\"onlineUrl\":null}");
        }
        put("/api/v1/sections/" + PHY + "/sessions", "[" + String.join(",", sessions) + "]");
        put("/api/v1/sections/" + PHY + "/enrolments", """
                [{"personId":"P-1001","role":"student","group":"ИС-21-1"},{"personId":"P-1002","role":"student"},
                 {"personId":"P-1003","role":"student","group":"ВТ-24-1"},{"personId":"P-1004","role":"student","group":"ИС-21-1"}]""");
        put("/api/v1/sections/" + PHY + "/enrolments", """
                [{"personId":"P-1001","role":"student","group":"ИС-21-1"},{"personId":"P-1002","role":"student"},
                 {"personId":"P-1003","role":"student","group":"ВТ-24-1"}]""");
        f.absent("P-1001", "S-1", "S-2", "S-3", "S-4");
        f.absent("P-1002", "S-2", "PHY-1", "PHY-2");
        // final exam rating: P-1002 passes both disciplines, P-1001 only physics (and is locked in ATT101 anyway)
        String pass = "[{\"personId\":\"%s\",\"component\":\"RK1\",\"points\":50},{\"personId\":\"%1$s\",\"component\":\"MT\",\"points\":50},"
                + "{\"personId\":\"%1$s\",\"component\":\"RK2\",\"points\":50}]";
        put("/api/v1/sections/" + PHY + "/scores", pass.formatted("P-1001"));
        put("/api/v1/sections/" + PHY + "/scores", pass.formatted("P-1002"));
        put("/api/v1/sections/" + DeansFixture.SECTION + "/scores", pass.formatted("P-1002"));
        f.student("P-1001", "5", "Әлия Нұрланқызы");
        student = f.student("P-1002", "6", "Бауыржан");
        dean = f.admin();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static void put(String path, String json) {
        DeansFixture.ok(f.api("PUT", path, json, RunningTool.ADMIN_TOKEN));
    }

    private static String groupPath(String group) {
        return "/admin/reports/groups/" + URLEncoder.encode(group, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A GET as the signed-in dean with a chosen browser language, the body kept as bytes. */
    private static HttpResponse<byte[]> get(String path, String language) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.tool.baseUrl() + path))
                    .header("Accept-Language", language)
                    .header("Cookie", dean.cookies().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining("; ")))
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String text(HttpResponse<byte[]> r) {
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void the_list_of_groups_counts_students_by_their_worst_state_and_links_to_each_group() {
        String page = text(get("/admin/reports/groups", "en"));

        assertThat(page).contains("Academic groups", "href=\"" + groupPath(IS) + "\"", "href=\"" + groupPath("ВТ-24-1") + "\"");
        String is = page.substring(page.indexOf("id=\"group-ИС-21-1\""));
        is = is.substring(0, is.indexOf("</tr>"));
        // two students (the withdrawn P-1004 is not one), two disciplines, P-1002 WARNING, P-1001 LOCKED
        assertThat(is).contains("<td>2</td><td>2</td>", "<td class=\"warning\">1</td>", "<td class=\"locked\">1</td>");
        String vt = page.substring(page.indexOf("id=\"group-ВТ-24-1\""));
        vt = vt.substring(0, vt.indexOf("</tr>"));
        assertThat(vt).contains("<td>1</td><td>1</td>", "<td class=\"warning\">0</td>", "<td class=\"locked\">0</td>");
        assertThat(text(get("/admin/reports/groups", "kk"))).contains("Академиялық топтар");
    }

    @Test
    void the_group_csv_has_a_column_per_discipline_with_share_state_and_hours_the_worst_state_and_the_admission() {
        var r = get(groupPath(IS) + "?format=csv", "ru");
        assertThat(r.headers().firstValue("Content-Disposition").orElseThrow()).contains("group-IS-21-1.csv");
        String[] lines = text(r).substring(1).split("\r\n");

        // the summary (worst state, admission) first, beside the name
        assertThat(lines[0]).isEqualTo("ID студента,ФИО,Худшее состояние,Допуск к итоговому экзамену,Физика (PHY201-2025),"
                + "Қатысу және прокторинг 101 (ATT101-2025)");
        assertThat(lines).hasSize(3);
        assertThat(lines[1]).isEqualTo("P-1001,Әлия Нұрланқызы,Заблокировано,не допущен: ATT101-2025,0.00 % · Норма · 0/10 ч,40.00 % · Заблокировано · 4/10 ч");
        assertThat(lines[2]).isEqualTo("P-1002,Бауыржан,Предупреждение,допущен по всем дисциплинам,20.00 % · Предупреждение · 2/10 ч,10.00 % · Норма · 1/10 ч");
    }

    @Test
    void the_group_xlsx_is_a_workbook_whose_sheet_holds_the_grid() throws Exception {
        var r = get(groupPath(IS) + "?format=xlsx", "en");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow())
                .isEqualTo("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        Map<String, byte[]> parts = unzip(r.body());
        assertThat(parts).containsKeys("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml");
        for (byte[] xml : parts.values()) {
            if (xml.length > 0 && xml[0] == '<') {
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml));
            }
        }
        assertThat(new String(parts.get("xl/worksheets/sheet1.xml"), StandardCharsets.UTF_8))
                .as("header row and the id and name columns frozen").contains("xSplit=\"2\"", "ySplit=\"1\"", "state=\"frozen\"");
        try (var wb = new org.dhatim.fastexcel.reader.ReadableWorkbook(new ByteArrayInputStream(r.body()),
                new org.dhatim.fastexcel.reader.ReadingOptions(true, false))) {
            var sheet = wb.getFirstSheet();
            assertThat(sheet.getName()).isEqualTo("Academic group ИС-21-1");
            var rows = sheet.read();
            assertThat(rows.get(0).getCellText(2)).isEqualTo("Worst state");
            assertThat(rows.get(0).getCellText(4)).isEqualTo("Физика (PHY201-2025)");
            assertThat(rows).anySatisfy(row -> assertThat(row.getCellText(5)).isEqualTo("40.00 % · Locked · 4/10 h"));
            assertThat(rows).anySatisfy(row -> assertThat(row.getCellText(0)).isEqualTo("P-1002"));
        }
    }

    @Test
    void the_printable_group_page_has_print_css_downloads_and_the_students_only() {
        String page = text(get(groupPath(IS), "kk"));
        assertThat(page).contains("@media print", "id=\"csv\"", "id=\"xlsx\"", "ИС-21-1 академиялық тобы", "Бұғатталған",
                "Ең нашар күйі", "P-1001", "P-1002").doesNotContain("P-1003", "P-1004");
        assertThat(get(groupPath("ЖОҚ-00"), "en").statusCode()).isEqualTo(404);
    }

    @Test
    void the_course_report_and_the_deans_section_page_show_each_students_group() {
        String csv = text(get("/admin/reports/sections/" + DeansFixture.SECTION + "?format=csv", "en"));
        assertThat(csv).contains("Student ID,Name,Academic group,\"Absence share, %\",State,", ",Dean's office decision,02.09.2026 08:00",
                "P-1001,Әлия Нұрланқызы,ИС-21-1,40.00,Locked,4,10,Locked,,A,A,A,A,");
        String section = text(get("/admin/sections/" + PHY, "en"));
        assertThat(section).contains("<th>Academic group</th>", "<a href=\"" + groupPath(IS) + "\">ИС-21-1</a>", "ВТ-24-1");
    }

    @Test
    void only_the_signed_in_deans_office_gets_the_group_reports() {
        Browser stranger = new Browser();
        assertThat(f.bytes(stranger, "/admin/reports/groups").statusCode()).isEqualTo(401);
        assertThat(f.bytes(stranger, groupPath(IS) + "?format=csv").statusCode()).isEqualTo(401);
        assertThat(f.bytes(student.browser(), groupPath(IS) + "?format=xlsx").statusCode()).isEqualTo(401);
        assertThat(f.bytes(student.browser(), "/admin/reports/groups").statusCode()).isEqualTo(401);
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
