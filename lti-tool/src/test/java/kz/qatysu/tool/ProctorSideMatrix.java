package kz.qatysu.tool;

import kz.qatysu.tool.proctoring.attempts.Attempt;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.proctoring.review.ProctoredAttempts;
import kz.qatysu.tool.testing.RunningTool;

import java.util.LinkedHashMap;
import java.util.Map;

import static kz.qatysu.tool.AuthorizationMatrixTest.SECTION2;
import static kz.qatysu.tool.AuthorizationMatrixTest.f;
import static kz.qatysu.tool.AuthorizationMatrixTest.ids;
import static kz.qatysu.tool.AuthorizationMatrixTest.tokens;
import static kz.qatysu.tool.excuses.DeansFixture.SECTION;
import static kz.qatysu.tool.excuses.DeansFixture.ok;

/**
 * The matrix rows of proctoring's teacher / dean's office / proctor side: exams (course pages, admin pages, API), attempt
 * review (course pages, admin pages, the proctor API) and a person's data. Students (even of their own attempt), guests
 * and teachers of another section never reach the evidence; a {@code proctor} token issued for a person sees only the
 * exams that person proctors.
 */
final class ProctorSideMatrix {
    private ProctorSideMatrix() {
    }

    /** Exams and attempts made through the tool's services, and the two proctor tokens. */
    static void setUp() {
        ProctoredAttempts made = new ProctoredAttempts(f.tool.app(), f.tool.database().jdbi());
        Exam s1 = made.exam("exam-m-s1", SECTION);
        Attempt a1 = made.monitored(s1, "P-1001");
        Exam s2 = made.exam("exam-m-s2", SECTION2);
        Attempt a2 = made.consented(s2, "P-2001");
        made.exam("exam-m-edit", SECTION);
        made.exam("exam-m-api", SECTION2);
        ids.put("examS1", s1.id());
        ids.put("examS2", s2.id());
        ids.put("attS1", a1.id());
        ids.put("attS2", a2.id());
        ids.put("mediaS1", a1.livePhotoKey().orElseThrow());
        tokens.put("proctor", AuthorizationMatrixTest.issue("proctoring integration", "proctor"));
        ok(AuthorizationMatrixTest.api("PUT", "/api/v1/exams/" + s1.id() + "/proctors/PR-1", null, RunningTool.ADMIN_TOKEN));
        tokens.put("proctorP", ok(AuthorizationMatrixTest.api("POST", "/api/v1/admin/tokens",
                "{\"name\":\"proctor PR-1\",\"scopes\":[\"proctor\"],\"personId\":\"PR-1\"}", RunningTool.ADMIN_TOKEN)).path("token").asText());
    }

    static void rows(AuthorizationMatrixTest.M m) {
        String exam = "/app/{launch}/exams/{examS1}";
        String attempt = exam + "/attempts/{attS1}";
        // exams in a course: the section's teachers only; another section's teacher does not see the exam
        m.route("GET /app/{launch}/exams")
                .as("anon", "/app/{launch:T1}/exams", 401).as("A", "/app/{launch}/exams", 403).as("G", "/app/{launch}/exams", 403)
                .expect("T1", "/app/{launch}/exams", status(200).showing("Final exam-m-s1").hiding("Final exam-m-s2"))
                .expect("T2", "/app/{launch}/exams", status(200).showing("Final exam-m-s2").hiding("Final exam-m-s1"));
        m.route("POST /app/{launch}/exams")
                .post("anon", "/app/{launch:T1}/exams", exam(null, null), 401)
                .post("T1", "/app/{launch}/exams", exam(null, null), 403)
                .post("A", "/app/{launch}/exams", exam("{csrf}", null), 403)
                .post("G", "/app/{launch}/exams", exam("{csrf}", null), 403)
                .post("T1", "/app/{launch}/exams", exam("{csrf}", null), 303);
        m.route("GET /app/{launch}/exams/{examId}/edit")
                .as("anon", "/app/{launch:T1}/exams/{examS1}/edit", 401).as("A", exam + "/edit", 403).as("T2", exam + "/edit", 404).as("T1", exam + "/edit", 200);
        m.route("POST /app/{launch}/exams/{examId}/edit")
                .post("anon", "/app/{launch:T1}/exams/exam-m-edit/edit", exam(null, "1"), 401)
                .post("A", "/app/{launch}/exams/exam-m-edit/edit", exam("{csrf}", "1"), 403)
                .post("T2", "/app/{launch}/exams/exam-m-edit/edit", exam("{csrf}", "1"), 404)
                .post("T1", "/app/{launch}/exams/exam-m-edit/edit", exam(null, "1"), 403)
                .post("T1", "/app/{launch}/exams/exam-m-edit/edit", exam("{csrf}", "1"), 303);
        m.route("POST /app/{launch}/exams/{examId}/proctors")
                .post("anon", "/app/{launch:T1}/exams/{examS1}/proctors", Map.of("personId", "PR-3"), 401)
                .post("A", exam + "/proctors", Map.of("_csrf", "{csrf}", "personId", "PR-3"), 403)
                .post("T2", exam + "/proctors", Map.of("_csrf", "{csrf}", "personId", "PR-3"), 404)
                .post("T1", exam + "/proctors", Map.of("personId", "PR-3"), 403)
                .post("T1", exam + "/proctors", Map.of("_csrf", "{csrf}", "personId", "PR-3"), 303);
        m.route("POST /app/{launch}/exams/{examId}/proctors/{personId}/remove")
                .post("anon", "/app/{launch:T1}/exams/{examS1}/proctors/PR-3/remove", Map.of(), 401)
                .post("A", exam + "/proctors/PR-3/remove", Map.of("_csrf", "{csrf}"), 403)
                .post("T1", exam + "/proctors/PR-3/remove", Map.of("_csrf", "{csrf}"), 303);
        // attempt review in a course: never students (not even of their own attempt), guests, other sections' teachers
        m.route("GET /app/{launch}/exams/{examId}/attempts")
                .as("anon", "/app/{launch:T1}/exams/{examS1}/attempts", 401).as("A", exam + "/attempts", 403)
                .as("B", exam + "/attempts", 403).as("G", exam + "/attempts", 403).as("T2", exam + "/attempts", 404)
                .expect("T1", exam + "/attempts", status(200).showing("P-1001").hiding("P-2001"));
        m.route("GET /app/{launch}/exams/{examId}/attempts/{attemptId}")
                .as("anon", "/app/{launch:T1}/exams/{examS1}/attempts/{attS1}", 401).as("A", attempt, 403).as("B", attempt, 403)
                .as("T2", attempt, 404).as("T2", "/app/{launch}/exams/{examS2}/attempts/{attS1}", 404)
                .expect("T1", attempt, status(200).showing("P-1001", "id=\"recording\""));
        m.route("POST /app/{launch}/exams/{examId}/attempts/{attemptId}/verdict")
                .post("anon", "/app/{launch:T1}/exams/{examS1}/attempts/{attS1}/verdict", Map.of("verdict", "CLEAN"), 401)
                .post("A", attempt + "/verdict", Map.of("_csrf", "{csrf}", "verdict", "CLEAN"), 403)
                .post("T2", attempt + "/verdict", Map.of("_csrf", "{csrf}", "verdict", "CLEAN"), 404)
                .post("T1", attempt + "/verdict", Map.of("verdict", "CLEAN"), 403)
                .post("T1", attempt + "/verdict", Map.of("_csrf", "{csrf}", "verdict", "CLEAN", "comment", ""), 303);
        m.route("GET /app/{launch}/exams/{examId}/attempts/{attemptId}/media/{kind}/{id}")
                .as("anon", "/app/{launch:T1}/exams/{examS1}/attempts/{attS1}/media/{mediaS1}", 401)
                .as("A", attempt + "/media/{mediaS1}", 403).as("B", attempt + "/media/{mediaS1}", 403)
                .as("G", attempt + "/media/{mediaS1}", 403).as("T2", attempt + "/media/{mediaS1}", 404)
                .as("T1", attempt + "/media/{mediaS1}", 200);
        m.route("GET /app/{launch}/exams/{examId}/attempts/{attemptId}/recording")
                .as("anon", "/app/{launch:T1}/exams/{examS1}/attempts/{attS1}/recording", 401)
                .as("A", attempt + "/recording", 403).as("B", attempt + "/recording", 403).as("T2", attempt + "/recording", 404)
                .as("T1", attempt + "/recording", 200);

        // the dean's office: a section's exams (admin sign-in, CSRF)
        String adminExams = "/admin/sections/" + SECTION + "/exams";
        m.route("GET /admin/sections/{sectionId}/exams")
                .as("anon", adminExams, 401).as("T1", adminExams, 401)
                .expect("admin", adminExams, status(200).showing("Final exam-m-s1"));
        m.route("POST /admin/sections/{sectionId}/exams")
                .post("anon", adminExams, exam(null, null), 401).post("T1", adminExams, exam("{csrf}", null), 401)
                .post("admin", adminExams, exam(null, null), 403).post("admin", adminExams, exam("{csrf}", null), 303);
        m.route("GET /admin/sections/{sectionId}/exams/{examId}/edit")
                .as("anon", adminExams + "/{examS1}/edit", 401).as("admin", "/admin/sections/" + SECTION2 + "/exams/{examS1}/edit", 404)
                .as("admin", adminExams + "/{examS1}/edit", 200);
        m.route("POST /admin/sections/{sectionId}/exams/{examId}/edit")
                .post("anon", adminExams + "/exam-m-edit/edit", exam(null, "2"), 401)
                .post("admin", adminExams + "/exam-m-edit/edit", exam(null, "2"), 403)
                .post("admin", adminExams + "/exam-m-edit/edit", exam("{csrf}", "2"), 303);
        m.route("POST /admin/sections/{sectionId}/exams/{examId}/proctors")
                .post("anon", adminExams + "/{examS1}/proctors", Map.of("personId", "PR-4"), 401)
                .post("admin", adminExams + "/{examS1}/proctors", Map.of("personId", "PR-4"), 403)
                .post("admin", adminExams + "/{examS1}/proctors", Map.of("_csrf", "{csrf}", "personId", "PR-4"), 303);
        m.route("POST /admin/sections/{sectionId}/exams/{examId}/proctors/{personId}/remove")
                .post("anon", adminExams + "/{examS1}/proctors/PR-4/remove", Map.of(), 401)
                .post("admin", adminExams + "/{examS1}/proctors/PR-4/remove", Map.of("_csrf", "{csrf}"), 303);
        // ... attempt review in the admin area
        String review = "/admin/proctoring/exams/{examS1}";
        String reviewAttempt = review + "/attempts/{attS1}";
        m.route("GET /admin/proctoring/exams/{examId}")
                .as("anon", review, 401).as("A", review, 401).as("T1", review, 401)
                .expect("admin", review, status(200).showing("P-1001").hiding("P-2001"));
        m.route("GET /admin/proctoring/exams/{examId}/attempts/{attemptId}")
                .as("anon", reviewAttempt, 401).as("T1", reviewAttempt, 401)
                .as("admin", "/admin/proctoring/exams/{examS2}/attempts/{attS1}", 404).as("admin", reviewAttempt, 200);
        m.route("POST /admin/proctoring/exams/{examId}/attempts/{attemptId}/verdict")
                .post("anon", reviewAttempt + "/verdict", Map.of("verdict", "CLEAN"), 401)
                .post("T1", reviewAttempt + "/verdict", Map.of("_csrf", "{csrf}", "verdict", "CLEAN"), 401)
                .post("admin", reviewAttempt + "/verdict", Map.of("verdict", "CLEAN"), 403)
                .post("admin", reviewAttempt + "/verdict", Map.of("_csrf", "{csrf}", "verdict", "CLEAN"), 303);
        m.route("GET /admin/proctoring/exams/{examId}/attempts/{attemptId}/media/{kind}/{id}")
                .as("anon", reviewAttempt + "/media/{mediaS1}", 401).as("A", reviewAttempt + "/media/{mediaS1}", 401)
                .as("admin", reviewAttempt + "/media/id-photo/not-a-key", 404).as("admin", reviewAttempt + "/media/{mediaS1}", 200);
        m.route("GET /admin/proctoring/exams/{examId}/attempts/{attemptId}/recording")
                .as("anon", reviewAttempt + "/recording", 401).as("A", reviewAttempt + "/recording", 401)
                .as("T1", reviewAttempt + "/recording", 401).as("admin", reviewAttempt + "/recording", 200);
        // ... a person's data (export, deletion on request)
        m.route("GET /admin/proctoring/persons/{personId}")
                .as("anon", "/admin/proctoring/persons/P-2001", 401).as("T1", "/admin/proctoring/persons/P-2001", 401)
                .expect("admin", "/admin/proctoring/persons/P-2001", status(200).showing("{attS2}").hiding("{attS1}"));
        m.route("GET /admin/proctoring/persons/{personId}/export")
                .as("anon", "/admin/proctoring/persons/P-2001/export", 401).as("A", "/admin/proctoring/persons/P-2001/export", 401)
                .as("admin", "/admin/proctoring/persons/P-2001/export", 200);
        m.route("POST /admin/proctoring/persons/{personId}/delete")
                .post("anon", "/admin/proctoring/persons/P-2001/delete", Map.of("confirm", "P-2001"), 401)
                .post("T1", "/admin/proctoring/persons/P-2001/delete", Map.of("_csrf", "{csrf}", "confirm", "P-2001"), 401)
                .post("admin", "/admin/proctoring/persons/P-2001/delete", Map.of("confirm", "P-2001"), 403)
                .post("admin", "/admin/proctoring/persons/P-2001/delete", Map.of("_csrf", "{csrf}", "confirm", "P-2001"), 303);

        // the exams API (scope admin)
        adminApi(m, "GET /api/v1/sections/{sectionId}/exams", "/api/v1/sections/" + SECTION + "/exams", null, 200);
        adminApi(m, "POST /api/v1/sections/{sectionId}/exams", "/api/v1/sections/" + SECTION2 + "/exams", EXAM_JSON, 201);
        adminApi(m, "GET /api/v1/exams/{examId}", "/api/v1/exams/{examS2}", null, 200);
        adminApi(m, "PUT /api/v1/exams/{examId}", "/api/v1/exams/exam-m-api", EXAM_JSON.replace("{", "{\"version\":1,"), 200);
        adminApi(m, "PUT /api/v1/exams/{examId}/proctors/{personId}", "/api/v1/exams/{examS2}/proctors/PR-8", null, 201);
        adminApi(m, "DELETE /api/v1/exams/{examId}/proctors/{personId}", "/api/v1/exams/{examS2}/proctors/PR-8", null, 204);
        // the proctor API: scope proctor (admin sees all); a token issued for PR-1 sees only PR-1's exam
        m.api("GET /api/v1/proctoring/attempts", "/api/v1/proctoring/attempts", null, "proctor", 200);
        m.rows.add(row(m, "token:proctorP", "/api/v1/proctoring/attempts", null, status(200).showing("{attS1}").hiding("{attS2}")));
        m.rows.add(row(m, "token:admin", "/api/v1/proctoring/attempts", null, status(200).showing("{attS1}", "{attS2}")));
        m.api("GET /api/v1/proctoring/attempts/{attemptId}/events", "/api/v1/proctoring/attempts/{attS1}/events", null, "proctor", 200);
        m.rows.add(row(m, "token:proctorP", "/api/v1/proctoring/attempts/{attS2}/events", null, status(403)));
        m.rows.add(row(m, "token:proctorP", "/api/v1/proctoring/attempts/{attS1}/events", null, status(200).showing("MULTIPLE_FACES")));
        m.api("PUT /api/v1/proctoring/attempts/{attemptId}/verdict", "/api/v1/proctoring/attempts/{attS1}/verdict",
                "{\"verdict\":\"CLEAN\",\"comment\":\"\"}", "proctor", 200);
        m.rows.add(row(m, "token:proctorP", "/api/v1/proctoring/attempts/{attS2}/verdict", "{\"verdict\":\"CLEAN\"}", status(403)));
        // a person's data through the API (scope admin)
        adminApi(m, "GET /api/v1/proctoring/persons/{personId}/export", "/api/v1/proctoring/persons/P-2001/export", null, 200);
        adminApi(m, "DELETE /api/v1/proctoring/persons/{personId}/media", "/api/v1/proctoring/persons/P-2001/media", null, 200);
        // proctoring inside the LMS: an exam's Moodle quiz (scope admin; no quiz mapped here) and the verdicts feed
        // (platform 1 is the fixture's, configured as moodle[0] with a Moodle that does not answer: the mapping is kept)
        adminApi(m, "PUT /api/v1/exams/{examId}/moodle", "/api/v1/exams/{examS1}/moodle",
                "{\"platformId\":1,\"courseId\":127,\"quizId\":4,\"mode\":\"QUIZ_OVERRIDE\"}", 200);
        m.rows.add(row(m, "token:admin", "/api/v1/exams/{examS1}/moodle", "{\"mode\":\"QUIZ_OVERRIDE\"}", status(400)));
        adminApi(m, "GET /api/v1/exams/{examId}/moodle", "/api/v1/exams/{examS1}/moodle", null, 200);
        adminApi(m, "DELETE /api/v1/exams/{examId}/moodle", "/api/v1/exams/{examS1}/moodle", null, 204);
        m.rows.add(row(m, "token:admin", "/api/v1/exams/{examS1}/moodle", null, status(404)));
        m.api("GET /api/v1/proctoring/verdicts", "/api/v1/proctoring/verdicts", null, "proctor", 200);
        m.rows.add(row(m, "token:proctorP", "/api/v1/proctoring/verdicts", null, status(403)));
        m.rows.add(row(m, "token:admin", "/api/v1/proctoring/verdicts?since=0", null, status(200).showing("{attS1}")));
    }

    static final String EXAM_JSON = "{\"title\":\"Matrix exam\",\"kind\":\"MIDTERM\",\"opensAt\":\"2026-11-02T04:00:00Z\","
            + "\"closesAt\":\"2026-11-02T06:00:00Z\"}";

    /** {@link AuthorizationMatrixTest.M#api} for scope admin, plus the proctor tokens' 403. */
    private static void adminApi(AuthorizationMatrixTest.M m, String route, String path, String json, int ok) {
        m.api(route, path, json, "admin", ok);
        // the admin row stays last (a DELETE after it would find nothing): the proctor rows go before it
        AuthorizationMatrixTest.Row admin = m.rows.removeLast();
        m.rows.add(row(m, "token:proctor", path, json, status(403)));
        m.rows.add(row(m, "token:proctorP", path, json, status(403)));
        m.rows.add(admin);
    }

    private static AuthorizationMatrixTest.Row row(AuthorizationMatrixTest.M m, String actor, String path, String json,
                                                   AuthorizationMatrixTest.Expect expect) {
        return new AuthorizationMatrixTest.Row(m.route, actor, path, null, json, false, expect);
    }

    private static AuthorizationMatrixTest.Expect status(int s) {
        return AuthorizationMatrixTest.Expect.status(s);
    }

    /** The exam form: a valid midterm; {@code csrf} null leaves the token out, {@code version} null for a new exam. */
    private static Map<String, String> exam(String csrf, String version) {
        Map<String, String> m = new LinkedHashMap<>();
        if (csrf != null) {
            m.put("_csrf", csrf);
        }
        if (version != null) {
            m.put("version", version);
        }
        m.put("title", "Matrix midterm");
        m.put("kind", "MIDTERM");
        m.put("opensAt", "2026-11-02T09:00");
        m.put("closesAt", "2026-11-02T11:00");
        m.put("proctored", "on");
        m.put("idPhoto", "on");
        m.put("faceMatch", "on");
        return m;
    }
}
