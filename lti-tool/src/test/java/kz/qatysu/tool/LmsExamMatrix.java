package kz.qatysu.tool;

import java.util.Map;

import static kz.qatysu.tool.AuthorizationMatrixTest.SECTION2;
import static kz.qatysu.tool.excuses.DeansFixture.SECTION;

/**
 * The matrix rows of an exam's Moodle quiz pages (the section's teachers in their course, the dean's office; CSRF) and
 * its results-delivery pages and API (scope admin). The matrix's Moodle is not there (port 9): a mapping is stored
 * all the same, the page shows Moodle's problem.
 */
final class LmsExamMatrix {
    private LmsExamMatrix() {
    }

    static void rows(AuthorizationMatrixTest.M m) {
        String page = "/app/{launch}/exams/{examS1}/moodle";
        m.route("GET /app/{launch}/exams/{examId}/moodle")
                .as("anon", "/app/{launch:T1}/exams/{examS1}/moodle", 401).as("A", page, 403).as("G", page, 403)
                .as("T2", page, 404).expect("T1", page, AuthorizationMatrixTest.Expect.status(200).showing("id=\"quiz-form\""));
        Map<String, String> quiz = Map.of("_csrf", "{csrf}", "courseId", "127", "quizId", "4", "mode", "GRADE_RESTRICTION");
        m.route("POST /app/{launch}/exams/{examId}/moodle")
                .post("anon", "/app/{launch:T1}/exams/{examS1}/moodle", Map.of("courseId", "127"), 401)
                .post("A", page, quiz, 403).post("T2", page, quiz, 404)
                .post("T1", page, Map.of("courseId", "127", "quizId", "4", "mode", "GRADE_RESTRICTION"), 403)
                .post("T1", page, quiz, 303);
        m.route("POST /app/{launch}/exams/{examId}/moodle/remove")
                .post("anon", "/app/{launch:T1}/exams/{examS1}/moodle/remove", Map.of(), 401)
                .post("A", page + "/remove", Map.of("_csrf", "{csrf}"), 403).post("T2", page + "/remove", Map.of("_csrf", "{csrf}"), 404)
                .post("T1", page + "/remove", Map.of(), 403).post("T1", page + "/remove", Map.of("_csrf", "{csrf}"), 303);
        String admin = "/admin/sections/" + SECTION + "/exams/{examS1}/moodle";
        Map<String, String> adminQuiz = Map.of("_csrf", "{csrf}", "platformId", "{oexPlatform}", "courseId", "127", "quizId", "4",
                "mode", "GRADE_RESTRICTION");
        m.route("GET /admin/sections/{sectionId}/exams/{examId}/moodle")
                .as("anon", admin, 401).as("T1", admin, 401)
                .as("admin", "/admin/sections/" + SECTION2 + "/exams/{examS1}/moodle", 404).as("admin", admin, 200);
        m.route("POST /admin/sections/{sectionId}/exams/{examId}/moodle")
                .post("anon", admin, adminQuiz, 401).post("T1", admin, adminQuiz, 401)
                .post("admin", admin, Map.of("platformId", "{oexPlatform}", "courseId", "127", "quizId", "4"), 403)
                .post("admin", admin, adminQuiz, 303);
        m.route("POST /admin/sections/{sectionId}/exams/{examId}/moodle/remove")
                .post("anon", admin + "/remove", Map.of("_csrf", "{csrf}"), 401)
                .post("admin", admin + "/remove", Map.of(), 403)
                .post("admin", admin + "/remove", Map.of("_csrf", "{csrf}"), 303);

        String delivery = "/app/{launch}/exams/{examS1}/delivery";
        m.route("GET /app/{launch}/exams/{examId}/delivery")
                .as("anon", "/app/{launch:T1}/exams/{examS1}/delivery", 401).as("A", delivery, 403).as("G", delivery, 403)
                .as("T2", delivery, 404).as("T1", delivery, 200);
        m.route("POST /app/{launch}/exams/{examId}/delivery/retry")
                .post("anon", "/app/{launch:T1}/exams/{examS1}/delivery/retry", Map.of(), 401)
                .post("A", delivery + "/retry", Map.of("_csrf", "{csrf}"), 403)
                .post("T2", delivery + "/retry", Map.of("_csrf", "{csrf}"), 404)
                .post("T1", delivery + "/retry", Map.of(), 403).post("T1", delivery + "/retry", Map.of("_csrf", "{csrf}"), 303);
        String adminDelivery = "/admin/sections/" + SECTION + "/exams/{examS1}/delivery";
        m.route("GET /admin/sections/{sectionId}/exams/{examId}/delivery")
                .as("anon", adminDelivery, 401).as("T1", adminDelivery, 401)
                .as("admin", "/admin/sections/" + SECTION2 + "/exams/{examS1}/delivery", 404).as("admin", adminDelivery, 200);
        m.route("POST /admin/sections/{sectionId}/exams/{examId}/delivery/retry")
                .post("anon", adminDelivery + "/retry", Map.of("_csrf", "{csrf}"), 401)
                .post("admin", adminDelivery + "/retry", Map.of(), 403)
                .post("admin", adminDelivery + "/retry", Map.of("_csrf", "{csrf}"), 303);
        m.api("GET /api/v1/exams/{examId}/delivery", "/api/v1/exams/{examS1}/delivery", null, "admin", 200);
        m.api("POST /api/v1/exams/{examId}/delivery/retry", "/api/v1/exams/{examS1}/delivery/retry", null, "admin", 200);
    }
}
