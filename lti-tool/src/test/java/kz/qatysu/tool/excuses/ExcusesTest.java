package kz.qatysu.tool.excuses;

import kz.qatysu.tool.testing.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static kz.qatysu.tool.excuses.DeansFixture.csrf;
import static kz.qatysu.tool.excuses.DeansFixture.form;
import static org.assertj.core.api.Assertions.assertThat;

class ExcusesTest {
    static final int MAX_BYTES = 64 * 1024;
    static final byte[] PDF = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    static DeansFixture f;

    @BeforeAll
    static void start() {
        f = DeansFixture.start(Map.of("QATYSU_UPLOADS_MAX_BYTES", String.valueOf(MAX_BYTES), "QATYSU_EXCUSES_DECISION_DAYS", "3"));
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static HttpResult submit(DeansFixture.Launch s, String from, String to, List<String> sessions, String reason,
                                     String fileName, byte[] file) {
        String page = s.browser().get(f.tool.baseUrl() + s.base() + "/excuses").body();
        var r = f.multipart(s.browser(), s.base() + "/excuses", form(csrf(page), from, to, sessions, reason), fileName, file);
        return new HttpResult(r.statusCode(), r.body());
    }

    record HttpResult(int status, String body) {
    }

    @Test
    void a_student_sends_an_excuse_with_a_pdf_and_sees_it_pending_with_its_deadline() {
        var student = f.student("P-1001", "5", "Әлия Нұрланқызы");
        long before = f.excuseCount();
        var r = submit(student, "2026-09-09", "2026-09-09", List.of(), "Ауырдым — анықтама №12", "анықтама.pdf", PDF);
        assertThat(r.status()).as(r.body()).isEqualTo(303);
        assertThat(f.excuseCount()).isEqualTo(before + 1);
        assertThat(f.storedDocuments()).anySatisfy(p -> assertThat(p.getFileName().toString()).matches("[0-9a-f]{32}\\.pdf"));
        String page = student.browser().get(f.tool.baseUrl() + student.base() + "/excuses").body();
        assertThat(page).contains("Ауырдым — анықтама №12", "Қаралуда", "09.09.2026 – 09.09.2026");
    }

    @Test
    void a_file_that_is_not_pdf_jpeg_or_png_by_its_bytes_is_refused_whatever_its_name() {
        var student = f.student("P-1001", "5", "Әлия Нұрланқызы");
        long before = f.excuseCount();
        int files = f.storedDocuments().size();
        var r = submit(student, "2026-09-10", "2026-09-10", List.of(), "Ауырдым", "certificate.pdf",
                "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.body()).contains("PDF, JPEG немесе PNG емес");
        assertThat(f.excuseCount()).isEqualTo(before);
        assertThat(f.storedDocuments()).hasSize(files);
    }

    @Test
    void a_document_over_uploads_max_bytes_is_refused_and_nothing_is_kept() {
        var student = f.student("P-1001", "5", "Әлия Нұрланқызы");
        long before = f.excuseCount();
        int files = f.storedDocuments().size();
        byte[] big = Arrays.copyOf(PDF, MAX_BYTES + 1);
        var r = submit(student, "2026-09-10", "2026-09-10", List.of(), "Ауырдым", "big.pdf", big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.body()).contains("65536 B артық: ештеңе сақталмады");
        assertThat(f.excuseCount()).isEqualTo(before);
        assertThat(f.storedDocuments()).hasSize(files);

        // far over the limit: refused from the Content-Length alone
        var huge = submit(student, "2026-09-10", "2026-09-10", List.of(), "Ауырдым", "huge.pdf", Arrays.copyOf(PDF, MAX_BYTES * 4));
        assertThat(huge.status()).isEqualTo(413);
        assertThat(f.excuseCount()).isEqualTo(before);
    }

    @Test
    void a_form_without_a_reason_or_with_both_range_and_sessions_stores_nothing() {
        var student = f.student("P-1001", "5", "Әлия Нұрланқызы");
        long before = f.excuseCount();
        int files = f.storedDocuments().size();
        assertThat(submit(student, "2026-09-10", "2026-09-10", List.of(), " ", "a.pdf", PDF).status()).isEqualTo(400);
        var both = submit(student, "2026-09-10", "2026-09-10", List.of("S-9"), "Ауырдым", null, null);
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.body()).contains("біреуін ғана");
        assertThat(f.excuseCount()).isEqualTo(before);
        assertThat(f.storedDocuments()).hasSize(files);
    }

    @Test
    void approval_by_the_teacher_turns_covered_marks_excused_and_the_standing_drops() {
        f.absent("P-1001", "S-1", "S-2", "S-3", "S-4");
        assertThat(f.standingOf("P-1001").path("state").asText()).isEqualTo("LOCKED");
        var student = f.student("P-1001", "5", "Әлия Нұрланқызы");
        var r = submit(student, "2026-09-02", "2026-09-03", List.of(), "Ауруханада болдым", "a.png", PNG);
        assertThat(r.status()).as(r.body()).isEqualTo(303);
        long id = f.newestExcuse();

        var teacher = f.teacher();
        String page = teacher.browser().get(f.tool.baseUrl() + teacher.base() + "/excuses").body();
        assertThat(page).contains("excuse-" + id, "Әлия Нұрланқызы", "Ауруханада болдым");
        var approve = teacher.browser().postForm(f.tool.baseUrl() + teacher.base() + "/excuses/" + id + "/approve",
                Map.of("_csrf", csrf(page), "comment", "Анықтама тексерілді"));
        assertThat(approve.statusCode()).as(approve.body()).isEqualTo(303);

        assertThat(f.mark("S-1", "P-1001")).containsEntry("status", "EXCUSED").containsEntry("reason", "Ауруханада болдым")
                .containsEntry("updated_by", "excuse #" + id);
        assertThat(f.mark("S-2", "P-1001")).containsEntry("status", "EXCUSED");
        assertThat(f.mark("S-3", "P-1001")).containsEntry("status", "ABSENT");
        var standing = f.standingOf("P-1001");
        assertThat(standing.path("state").asText()).isEqualTo("WARNING");
        assertThat(standing.path("excusedHours").asInt()).isEqualTo(2);

        // decided once: a second decision is a conflict
        var again = teacher.browser().postForm(f.tool.baseUrl() + teacher.base() + "/excuses/" + id + "/reject",
                Map.of("_csrf", csrf(page), "comment", "no"));
        assertThat(again.statusCode()).isEqualTo(409);
        // audited
        List<String> events = f.tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT event || ':' || actor FROM excuse_event WHERE excuse_id = :id ORDER BY id").bind("id", id).mapTo(String.class).list());
        assertThat(events).containsExactly("SUBMITTED:lti:P-1001", "APPROVED:lti:T-7");
    }

    @Test
    void rejection_by_the_deans_office_needs_a_comment_and_keeps_the_marks() {
        f.absent("P-1002", "S-5");
        var other = f.student("P-1002", "6", "Бауыржан Әбілқасымұлы");
        assertThat(submit(other, null, null, List.of("S-5"), "Жарыс", null, null).status()).isEqualTo(303);
        long id = f.newestExcuse();

        Browser dean = f.admin();
        String page = dean.get(f.tool.baseUrl() + "/admin/excuses").body();
        assertThat(page).contains("excuse-" + id, "Жарыс");
        var noComment = dean.postForm(f.tool.baseUrl() + "/admin/excuses/" + id + "/reject", Map.of("_csrf", csrf(page), "comment", ""));
        assertThat(noComment.statusCode()).isEqualTo(400);
        var noCsrf = dean.postForm(f.tool.baseUrl() + "/admin/excuses/" + id + "/reject", Map.of("comment", "x"));
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        var reject = dean.postForm(f.tool.baseUrl() + "/admin/excuses/" + id + "/reject",
                Map.of("_csrf", csrf(page), "comment", "Құжат жоқ"));
        assertThat(reject.statusCode()).isEqualTo(303);
        assertThat(f.mark("S-5", "P-1002")).containsEntry("status", "ABSENT");
        assertThat(other.browser().get(f.tool.baseUrl() + other.base() + "/excuses").body()).contains("Қабылданбады", "Құжат жоқ");
    }

    @Test
    void the_document_is_served_to_its_student_the_teacher_and_admins_only_never_to_another_student() {
        var student = f.student("P-1001", "5", "Әлия Нұрланқызы");
        assertThat(submit(student, "2026-09-11", "2026-09-11", List.of(), "Отбасылық жағдай", "doc.pdf", PDF).status()).isEqualTo(303);
        long id = f.newestExcuse();

        var own = f.bytes(student.browser(), student.base() + "/excuses/" + id + "/document");
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).isEqualTo(PDF);
        assertThat(own.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/pdf");
        assertThat(own.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment;");
        assertThat(own.headers().firstValue("X-Content-Type-Options").orElseThrow()).isEqualTo("nosniff");

        var other = f.student("P-1002", "6", "Бауыржан Әбілқасымұлы");
        assertThat(f.bytes(other.browser(), other.base() + "/excuses/" + id + "/document").statusCode()).isEqualTo(403);
        var teacher = f.teacher();
        assertThat(f.bytes(teacher.browser(), teacher.base() + "/excuses/" + id + "/document").statusCode()).isEqualTo(200);
        assertThat(f.bytes(f.admin(), "/admin/excuses/" + id + "/document").statusCode()).isEqualTo(200);
        assertThat(f.bytes(new Browser(), "/admin/excuses/" + id + "/document").statusCode()).isEqualTo(401);
        assertThat(f.bytes(new Browser(), student.base() + "/excuses/" + id + "/document").statusCode()).isEqualTo(401);
    }

    @Test
    void a_student_cannot_decide_an_excuse() {
        var student = f.student("P-1002", "6", "Бауыржан Әбілқасымұлы");
        f.absent("P-1002", "S-6"); // the form offers the student's own absences (and sessions to come)
        assertThat(submit(student, null, null, List.of("S-6"), "Жарыс", null, null).status()).isEqualTo(303);
        long id = f.newestExcuse();
        String page = student.browser().get(f.tool.baseUrl() + student.base() + "/excuses").body();
        var r = student.browser().postForm(f.tool.baseUrl() + student.base() + "/excuses/" + id + "/approve", Map.of("_csrf", csrf(page)));
        assertThat(r.statusCode()).isEqualTo(403);
    }

    @Test
    void a_nul_in_the_reason_or_the_document_name_is_a_400_naming_the_field_and_nothing_is_kept() {
        var student = f.student("P-1001", "5", "Әлия Нұрланқызы");
        long before = f.excuseCount();
        int files = f.storedDocuments().size();
        var reason = submit(student, "2026-09-10", "2026-09-10", List.of(), "Ауырдым\u0000", "a.pdf", PDF);
        assertThat(reason.status()).as(reason.body()).isEqualTo(400);
        assertThat(reason.body()).contains("reason", "NUL");
        var name = submit(student, "2026-09-10", "2026-09-10", List.of(), "Ауырдым", "a\u0000.pdf", PDF);
        assertThat(name.status()).as(name.body()).isEqualTo(400);
        // a NUL in a part's header is refused by the multipart parser itself, before any field is read
        assertThat(name.body()).contains("the multipart form could not be read");
        assertThat(f.excuseCount()).isEqualTo(before);
        assertThat(f.storedDocuments()).hasSize(files);
    }
}
