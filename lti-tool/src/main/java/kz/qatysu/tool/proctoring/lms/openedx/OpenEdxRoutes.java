package kz.qatysu.tool.proctoring.lms.openedx;

import io.javalin.config.JavalinConfig;

/** Open edX LTI Proctoring Services' routes (registered from {@code Routes}; docs/PROCTORING.md "Open edX"). */
public record OpenEdxRoutes(OpenEdxHandler handler) {

    public void register(JavalinConfig config) {
        // the learner's tab Open edX opened (LtiStartProctoring / LtiEndAssessment): where the attempt stands, and on
        // to the exam with LtiStartAssessment once the monitoring runs
        config.routes.get("/app/{launch}/openedx", handler::learner);
        config.routes.post("/app/{launch}/openedx/start-assessment", handler::startAssessment);
        // an exam's Open edX links: the section's teachers in their course, the dean's office, the API (scope admin)
        config.routes.get("/app/{launch}/exams/{examId}/openedx", handler::courseLinks);
        config.routes.post("/app/{launch}/exams/{examId}/openedx/link", handler::courseLink);
        config.routes.post("/app/{launch}/exams/{examId}/openedx/unlink", handler::courseUnlink);
        // edx-exams' roster, read by the page's script in the staff's browser and posted here (CSRF header)
        config.routes.post("/app/{launch}/exams/{examId}/openedx/roster", handler::courseRoster);
        config.routes.get("/assets/openedx/{name}", handler::asset);
        config.routes.get("/admin/sections/{sectionId}/exams/{examId}/openedx", handler::adminLinks);
        config.routes.post("/admin/sections/{sectionId}/exams/{examId}/openedx/link", handler::adminLink);
        config.routes.post("/admin/sections/{sectionId}/exams/{examId}/openedx/unlink", handler::adminUnlink);
        config.routes.get("/api/v1/exams/{examId}/openedx-links", handler::apiList);
        config.routes.put("/api/v1/exams/{examId}/openedx-links", handler::apiLink);
        config.routes.delete("/api/v1/exams/{examId}/openedx-links", handler::apiUnlink);
    }
}
