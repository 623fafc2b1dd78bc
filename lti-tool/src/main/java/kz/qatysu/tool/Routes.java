package kz.qatysu.tool;

import io.javalin.config.JavalinConfig;
import kz.qatysu.tool.admin.AdminHandler;
import kz.qatysu.tool.api.OpenApiDocument;
import kz.qatysu.tool.attendance.changes.ChangesApi;
import kz.qatysu.tool.attendance.marks.MarksApi;
import kz.qatysu.tool.attendance.sections.SectionsApi;
import kz.qatysu.tool.attendance.sessions.SessionsApi;
import kz.qatysu.tool.attendance.standing.StandingApi;
import kz.qatysu.tool.locks.ExamGateHandler;
import kz.qatysu.tool.course.CourseHandler;
import kz.qatysu.tool.course.mapping.CourseMappingHandler;
import kz.qatysu.tool.deans.DeansHandler;
import kz.qatysu.tool.deans.TokensApi;
import kz.qatysu.tool.excuses.ExcusesHandler;
import kz.qatysu.tool.reports.ReportsHandler;
import kz.qatysu.tool.lti.deeplinking.DeepLinkingHandler;
import kz.qatysu.tool.lti.keys.KeysApi;
import kz.qatysu.tool.lti.launch.LaunchHandler;
import kz.qatysu.tool.lti.login.LoginHandler;
import kz.qatysu.tool.lti.platforms.PlatformsApi;
import kz.qatysu.tool.lti.registration.RegistrationException;
import kz.qatysu.tool.lti.registration.RegistrationHandler;
import kz.qatysu.tool.lti.registration.RegistrationsApi;
import kz.qatysu.tool.web.HttpErrors;
import kz.qatysu.tool.web.SecurityHeaders;
import kz.qatysu.tool.web.ServerTiming;
import kz.qatysu.tool.web.FormInput;
import kz.qatysu.tool.web.UploadSlots;

/** The route table: read it as the index of the tool's features. */
record Routes(HttpErrors errors, SecurityHeaders headers, ServerTiming timing, LoginHandler login, LaunchHandler launch, KeysApi keys,
              PlatformsApi platforms, CourseHandler course, DeepLinkingHandler deepLinking,
              RegistrationHandler registration,
              RegistrationsApi registrations, AdminHandler admin,
              Attendance attendance, OpenApiDocument openApi, ExamGateHandler examGate,
              kz.qatysu.tool.checkin.CheckinRoutes checkin,
              DeansOffice deans, CourseMappingHandler courseMapping,
              kz.qatysu.tool.notify.NotificationsHandler notifications,
              kz.qatysu.tool.attendance.evidence.EvidenceHandler evidence,
              kz.qatysu.tool.reports.GroupReportsHandler groupReports,
              kz.qatysu.tool.course.roster.RosterHandler roster,
              kz.qatysu.tool.admission.AdmissionApi admission,
              UploadSlots uploads,
              kz.qatysu.tool.admission.AdmissionPages admissionPages,
              kz.qatysu.tool.proctoring.analysis.AnalysisApi faceAnalysis,
              kz.qatysu.tool.staff.StaffRoutes staff,
              kz.qatysu.tool.proctoring.examinee.ExamineeRoutes examinee,
              ProctorSide proctorSide,
              kz.qatysu.tool.backup.BackupsApi backups,
              kz.qatysu.tool.proctoring.lms.openedx.OpenEdxRoutes openedx,
              LmsSide lmsSide,
              kz.qatysu.tool.deans.UnmarkedSessions unmarkedSessions,
              kz.qatysu.tool.observe.ObservabilityHandler observe) {

    /** Proctoring inside the LMS (issue 11): the Moodle quiz gate and the verdicts feed. */
    record LmsSide(kz.qatysu.tool.proctoring.lms.moodle.QuizGateHandler moodleGate,
                   kz.qatysu.tool.proctoring.results.VerdictsApi verdicts,
                   kz.qatysu.tool.proctoring.lms.moodle.QuizPages quizPages,
                   kz.qatysu.tool.proctoring.results.DeliveryPages delivery) {
    }

    /** Proctoring for teachers, the dean's office and proctors: exams, attempt review, a person's data. */
    record ProctorSide(kz.qatysu.tool.proctoring.exams.ExamsApi examsApi, kz.qatysu.tool.proctoring.exams.ExamPages examPages,
                       kz.qatysu.tool.proctoring.review.ReviewApi reviewApi,
                       kz.qatysu.tool.proctoring.review.ReviewPages reviewPages) {
    }


    /** The attendance REST API's handlers (qatysu-api.md, "Timetable, enrolments, marks, standing"). */
    record Attendance(SectionsApi sections, SessionsApi sessions, MarksApi marks, StandingApi standing,
                      ChangesApi changes, kz.qatysu.tool.attendance.policy.SectionPolicyApi policy) {
    }

    /** Excuses, the dean's-office pages, API tokens and reports. */
    record DeansOffice(ExcusesHandler excuses, DeansHandler standing, TokensApi tokens, ReportsHandler reports) {
    }

    void register(JavalinConfig config) {
        errors.register(config);
        config.routes.before(timing::start);
        config.routes.before(headers::apply);
        config.routes.before(FormInput::checkUrlEncoded);
        config.routes.after(timing::finish);
        config.routes.after(headers::clear);

        // LTI 1.3: OIDC login initiation, launch, the tool's public keys
        config.routes.get("/lti/login", login::handle);
        config.routes.post("/lti/login", login::handle);
        config.routes.post("/lti/launch", launch::handle);
        config.routes.get("/.well-known/jwks.json", keys::jwks);

        // LTI Dynamic Registration: the platform opens the URL, the administrator confirms
        config.routes.exception(RegistrationException.class, registration::failed);
        config.routes.get("/lti/register", registration::show);
        config.routes.post("/lti/register", registration::confirm);
        config.routes.get("/lti/register/{code}", registration::show);
        config.routes.post("/lti/register/{code}", registration::confirm);

        // Course pages, keyed to a launch
        config.routes.get("/app/{launch}/", course::home);
        config.routes.get("/app/{launch}/sessions/{sessionId}", course::marking);
        config.routes.post("/app/{launch}/sessions/{sessionId}/marks", course::saveMarks);
        config.routes.get("/app/{launch}/timetable/new", course::newSessions);
        config.routes.get("/app/{launch}/roster", roster::page);
        config.routes.post("/app/{launch}/roster/import", roster::importRoster);
        config.routes.post("/app/{launch}/timetable", course::createSessions);
        config.routes.get("/app/{launch}/deep-linking", deepLinking::show);
        config.routes.get("/app/{launch}/exam-gate", examGate::show);
        config.routes.post("/app/{launch}/deep-linking", deepLinking::respond);

        // Excuses and reports inside a course (students: their own; the section's teacher: the section's)
        config.routes.get("/app/{launch}/excuses", deans.excuses()::course);
        config.routes.post("/app/{launch}/excuses", uploads.limit(deans.excuses()::submit));
        config.routes.post("/app/{launch}/excuses/{id}/{decision}", deans.excuses()::decide);
        config.routes.get("/app/{launch}/excuses/{id}/document", deans.excuses()::document);
        config.routes.get("/app/{launch}/reports/course", deans.reports()::course);
        config.routes.get("/app/{launch}/reports/sessions/{sessionId}", deans.reports()::session);
        config.routes.get("/app/{launch}/reports/me", deans.reports()::me);

        // Administrator API
        config.routes.get("/api/v1/admin/platforms", platforms::list);
        config.routes.post("/api/v1/admin/platforms", platforms::create);
        config.routes.get("/api/v1/admin/platforms/{id}", platforms::get);
        config.routes.put("/api/v1/admin/platforms/{id}", platforms::update);
        config.routes.delete("/api/v1/admin/platforms/{id}", platforms::disable);
        config.routes.post("/api/v1/admin/keys/rotate", keys::rotate);
        config.routes.post("/api/v1/admin/registrations", registrations::create);
        config.routes.post("/api/v1/admin/tokens", deans.tokens()::issue);
        config.routes.delete("/api/v1/admin/tokens/{id}", deans.tokens()::revoke);
        // Backup while running: a consistent snapshot of the database + files + keys into backup.dir (docs/OPERATIONS.md)
        config.routes.post("/api/v1/admin/backups", backups::create);

        // Administrator web pages
        config.routes.before("/admin", admin::headers);
        config.routes.before("/admin/*", admin::headers);
        config.routes.get("/admin", admin::index);
        config.routes.post("/admin/signin", admin::signIn);
        config.routes.post("/admin/signout", admin::signOut);
        config.routes.post("/admin/platforms", admin::addPlatform);
        config.routes.post("/admin/platforms/{id}/disable", admin::disablePlatform);
        config.routes.post("/admin/registrations", admin::createRegistration);

        // Dean's office (admin sign-in): excuses, standing with overrides, state history, reports
        config.routes.get("/admin/excuses", deans.excuses()::adminList);
        config.routes.post("/admin/excuses/{id}/{decision}", deans.excuses()::adminDecide);
        config.routes.get("/admin/excuses/{id}/document", deans.excuses()::adminDocument);
        config.routes.get("/admin/sections", deans.standing()::sections);
        config.routes.get("/admin/sections/{sectionId}", deans.standing()::section);
        config.routes.post("/admin/sections/{sectionId}/overrides", deans.standing()::setOverride);
        config.routes.post("/admin/sections/{sectionId}/overrides/{personId}/withdraw", deans.standing()::withdrawOverride);
        config.routes.get("/admin/sections/{sectionId}/students/{personId}", deans.standing()::history);
        config.routes.get("/admin/reports/sections/{sectionId}", deans.reports()::adminSection);
        config.routes.get("/admin/reports/sessions/{sessionId}", deans.reports()::adminSession);
        config.routes.get("/admin/reports/students/{personId}", deans.reports()::adminStudent);

        // Courses that launched without a portal section code, mapped to their portal section later
        config.routes.get("/admin/courses", courseMapping::page);
        config.routes.post("/admin/courses/{localSectionId}/map", courseMapping::mapFromPage);
        config.routes.get("/api/v1/admin/course-mappings", courseMapping::list);
        config.routes.put("/api/v1/admin/course-mappings/{localSectionId}", courseMapping::map);
        // Dean's office (admin sign-in): reports per academic group (enrolment.academic_group)
        config.routes.get("/admin/reports/groups", groupReports::list);
        config.routes.get("/admin/reports/groups/{group}", groupReports::group);
        // Dean's office (admin sign-in): sections with held sessions that are over and nobody marked, by faculty
        config.routes.get("/admin/unmarked-sessions", unmarkedSessions::page);

        // Attendance API: the sync daemon's uploads, standing, dean's-office overrides, the change feed
        config.routes.put("/api/v1/sections/{sectionId}", attendance.sections()::putSection);
        config.routes.put("/api/v1/sections/{sectionId}/enrolments", attendance.sections()::putEnrolments);
        config.routes.put("/api/v1/sections/{sectionId}/sessions", attendance.sessions()::putSessions);
        config.routes.put("/api/v1/sessions/{sessionId}/marks", attendance.marks()::putMarks);
        config.routes.get("/api/v1/sections/{sectionId}/standing", attendance.standing()::standing);
        config.routes.get("/api/v1/sections/{sectionId}/standing/{personId}/history", attendance.standing()::history);
        config.routes.post("/api/v1/sections/{sectionId}/overrides", attendance.standing()::setOverride);
        config.routes.delete("/api/v1/sections/{sectionId}/overrides/{personId}", attendance.standing()::withdrawOverride);
        config.routes.get("/api/v1/sections/{sectionId}/policy", attendance.policy()::get);
        config.routes.put("/api/v1/sections/{sectionId}/policy", attendance.policy()::put);
        config.routes.delete("/api/v1/sections/{sectionId}/policy", attendance.policy()::delete);
        config.routes.get("/api/v1/changes", attendance.changes()::list);
        // Assessment scores and the final exam admission (the sync daemon's grades job, the dean's office)
        config.routes.put("/api/v1/sections/{sectionId}/scores", admission::putScores);
        config.routes.get("/api/v1/sections/{sectionId}/admission", admission::admission);
        config.routes.get("/api/v1/sections/{sectionId}/admission/{personId}/history", admission::history);
        config.routes.post("/api/v1/sections/{sectionId}/admission-overrides", admission::setOverride);
        config.routes.delete("/api/v1/sections/{sectionId}/admission-overrides/{personId}", admission::withdrawOverride);
        config.routes.get("/api/v1/sections/{sectionId}/rating-policy", admission::getPolicy);
        // ... and its pages: the teacher's and the dean's office's admission table (HTML, CSV, XLSX), admission overrides
        config.routes.get("/app/{launch}/reports/admission", admissionPages::courseReport);
        config.routes.get("/admin/reports/sections/{sectionId}/admission", admissionPages::adminReport);
        config.routes.get("/admin/sections/{sectionId}/admission", admissionPages::deansPage);
        config.routes.post("/admin/sections/{sectionId}/admission-overrides", admissionPages::setOverride);
        config.routes.post("/admin/sections/{sectionId}/admission-overrides/{personId}/withdraw", admissionPages::withdrawOverride);
        config.routes.put("/api/v1/sections/{sectionId}/rating-policy", admission::putPolicy);
        config.routes.delete("/api/v1/sections/{sectionId}/rating-policy", admission::deletePolicy);
        config.routes.get("/api/v1/openapi.json", openApi::serve);

        // Dean's office: a section's absence policy (the policy API's validation and recompute, admin sign-in + CSRF)
        config.routes.post("/admin/sections/{sectionId}/policy", deans.standing()::setPolicy);
        config.routes.post("/admin/sections/{sectionId}/policy/reset", deans.standing()::resetPolicy);

        // Self check-in (rotating code, QR) and roll call
        checkin.register(config);

        // Warnings by Moodle message and e-mail: the dean's office's list of undelivered ones
        config.routes.get("/admin/notifications", notifications::problems);
        // Online attendance evidence: a session's BBB / Zoom meeting, imports, proposals; BBB's analytics callback
        config.routes.get("/app/{launch}/sessions/{sessionId}/evidence", evidence::page);
        config.routes.post("/app/{launch}/sessions/{sessionId}/evidence/meeting", evidence::linkMeeting);
        config.routes.post("/app/{launch}/sessions/{sessionId}/evidence/zoom", evidence::importZoom);
        config.routes.post("/app/{launch}/sessions/{sessionId}/evidence/csv", uploads.limit(evidence::uploadCsv));
        config.routes.post("/app/{launch}/sessions/{sessionId}/evidence/take", evidence::take);
        config.routes.post("/api/v1/videoconf/bbb/analytics", evidence::bbbAnalytics);
        // Proctoring: the server's face analysis of one picture, for administrators calibrating the match threshold
        config.routes.post("/api/v1/proctoring/analysis", uploads.limit(faceAnalysis::analyse));
        // Staff as people: roles granted to person ids, sign-in by launch or OpenID Connect (kz.qatysu.tool.staff)
        staff.register(config);
        // Proctoring, the examinee's path: exam gate → consent → checks → top-level monitoring window → end
        examinee.register(config);
        registerProctorSide(config);
        // Proctoring inside Open edX (LTI Proctoring Services): the learner's tab, an exam's Open edX links, their API
        openedx.register(config);
        // Proctoring inside the LMS (docs/PROCTORING.md "Moodle: the quiz gate", "Results back", "Verdicts API"):
        // the examinee's quiz password beside the quiz, an exam's Moodle quiz (API scope admin), the verdicts feed
        config.routes.get("/app/{launch}/exams/{examId}/attempt/quiz-password", lmsSide.moodleGate()::password);
        config.routes.get("/api/v1/exams/{examId}/moodle", lmsSide.moodleGate()::apiGet);
        config.routes.put("/api/v1/exams/{examId}/moodle", lmsSide.moodleGate()::apiPut);
        config.routes.delete("/api/v1/exams/{examId}/moodle", lmsSide.moodleGate()::apiDelete);
        config.routes.get("/api/v1/proctoring/verdicts", lmsSide.verdicts()::list);
        // an exam's Moodle quiz on pages (the section's teachers in their course, the dean's office; CSRF, audited)
        config.routes.get("/app/{launch}/exams/{examId}/moodle", lmsSide.quizPages()::courseQuiz);
        config.routes.post("/app/{launch}/exams/{examId}/moodle", lmsSide.quizPages()::courseSave);
        config.routes.post("/app/{launch}/exams/{examId}/moodle/remove", lmsSide.quizPages()::courseRemove);
        config.routes.get("/admin/sections/{sectionId}/exams/{examId}/moodle", lmsSide.quizPages()::adminQuiz);
        config.routes.post("/admin/sections/{sectionId}/exams/{examId}/moodle", lmsSide.quizPages()::adminSave);
        config.routes.post("/admin/sections/{sectionId}/exams/{examId}/moodle/remove", lmsSide.quizPages()::adminRemove);
        // an exam's results delivery (Moodle override, AGS scores, ACS, portal feed) and "retry now" for failed items
        config.routes.get("/app/{launch}/exams/{examId}/delivery", lmsSide.delivery()::coursePage);
        config.routes.post("/app/{launch}/exams/{examId}/delivery/retry", lmsSide.delivery()::courseRetry);
        config.routes.get("/admin/sections/{sectionId}/exams/{examId}/delivery", lmsSide.delivery()::adminPage);
        config.routes.post("/admin/sections/{sectionId}/exams/{examId}/delivery/retry", lmsSide.delivery()::adminRetry);
        config.routes.get("/api/v1/exams/{examId}/delivery", lmsSide.delivery()::apiGet);
        config.routes.post("/api/v1/exams/{examId}/delivery/retry", lmsSide.delivery()::apiRetry);

        // Observability (docs/OPERATIONS.md): liveness and readiness for proxies and orchestrators (no sign-in, no
        // details), Prometheus metrics (a bearer API token with the scope metrics)
        config.routes.get("/health", observe::health);
        config.routes.get("/ready", observe::ready);
        config.routes.get("/metrics", observe::metrics);
    }

    /**
     * Proctoring, the teachers', dean's office's and proctors' side (docs/PROCTORING.md "Exams", "Reviewing attempts",
     * "A person's data"): exams of a section (course pages, admin pages, API), attempt review (course pages for the
     * section's teachers, admin pages for the dean's office, the proctor API), a person's export and deletion.
     */
    private void registerProctorSide(JavalinConfig config) {
        var exams = proctorSide.examPages();
        var review = proctorSide.reviewPages();
        // exams: the section's teachers in their course ...
        config.routes.get("/app/{launch}/exams", exams::courseList);
        config.routes.post("/app/{launch}/exams", exams::courseCreate);
        config.routes.get("/app/{launch}/exams/{examId}/edit", exams::courseEdit);
        config.routes.post("/app/{launch}/exams/{examId}/edit", exams::courseUpdate);
        config.routes.post("/app/{launch}/exams/{examId}/proctors", exams::courseAssign);
        config.routes.post("/app/{launch}/exams/{examId}/proctors/{personId}/remove", exams::courseUnassign);
        // ... the dean's office (admin sign-in) ...
        config.routes.get("/admin/sections/{sectionId}/exams", exams::adminList);
        config.routes.post("/admin/sections/{sectionId}/exams", exams::adminCreate);
        config.routes.get("/admin/sections/{sectionId}/exams/{examId}/edit", exams::adminEdit);
        config.routes.post("/admin/sections/{sectionId}/exams/{examId}/edit", exams::adminUpdate);
        config.routes.post("/admin/sections/{sectionId}/exams/{examId}/proctors", exams::adminAssign);
        config.routes.post("/admin/sections/{sectionId}/exams/{examId}/proctors/{personId}/remove", exams::adminUnassign);
        // ... and the API (scope admin)
        config.routes.get("/api/v1/sections/{sectionId}/exams", proctorSide.examsApi()::list);
        config.routes.post("/api/v1/sections/{sectionId}/exams", proctorSide.examsApi()::create);
        config.routes.get("/api/v1/exams/{examId}", proctorSide.examsApi()::get);
        config.routes.put("/api/v1/exams/{examId}", proctorSide.examsApi()::update);
        config.routes.put("/api/v1/exams/{examId}/proctors/{personId}", proctorSide.examsApi()::assign);
        config.routes.delete("/api/v1/exams/{examId}/proctors/{personId}", proctorSide.examsApi()::unassign);
        // attempt review: the section's teachers in their course ...
        config.routes.get("/app/{launch}/exams/{examId}/attempts", review::courseAttempts);
        config.routes.get("/app/{launch}/exams/{examId}/attempts/{attemptId}", review::courseAttempt);
        config.routes.post("/app/{launch}/exams/{examId}/attempts/{attemptId}/verdict", review::courseVerdict);
        config.routes.get("/app/{launch}/exams/{examId}/attempts/{attemptId}/media/{kind}/{id}", review::courseMedia);
        config.routes.get("/app/{launch}/exams/{examId}/attempts/{attemptId}/recording", review::courseRecording);
        // ... the dean's office (and staff proctors assigned to the exam, once staff sign-in is wired) ...
        config.routes.get("/admin/proctoring/exams/{examId}", review::adminAttempts);
        config.routes.get("/admin/proctoring/exams/{examId}/attempts/{attemptId}", review::adminAttempt);
        config.routes.post("/admin/proctoring/exams/{examId}/attempts/{attemptId}/verdict", review::adminVerdict);
        config.routes.get("/admin/proctoring/exams/{examId}/attempts/{attemptId}/media/{kind}/{id}", review::adminMedia);
        config.routes.get("/admin/proctoring/exams/{examId}/attempts/{attemptId}/recording", review::adminRecording);
        // ... and the proctor API (scope proctor or admin)
        config.routes.get("/api/v1/proctoring/attempts", proctorSide.reviewApi()::attempts);
        config.routes.get("/api/v1/proctoring/attempts/{attemptId}/events", proctorSide.reviewApi()::events);
        config.routes.put("/api/v1/proctoring/attempts/{attemptId}/verdict", proctorSide.reviewApi()::verdict);
        // a person's proctoring data on request: export and deletion (the dean's office; API scope admin)
        config.routes.get("/admin/proctoring/persons/{personId}", review::person);
        config.routes.get("/admin/proctoring/persons/{personId}/export", review::exportPerson);
        config.routes.post("/admin/proctoring/persons/{personId}/delete", review::deletePerson);
        config.routes.get("/api/v1/proctoring/persons/{personId}/export", proctorSide.reviewApi()::export);
        config.routes.delete("/api/v1/proctoring/persons/{personId}/media", proctorSide.reviewApi()::deleteMedia);
    }
}
