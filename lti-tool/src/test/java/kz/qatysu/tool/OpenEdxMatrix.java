package kz.qatysu.tool;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static kz.qatysu.tool.AuthorizationMatrixTest.SECTION2;
import static kz.qatysu.tool.AuthorizationMatrixTest.f;
import static kz.qatysu.tool.AuthorizationMatrixTest.ids;
import static kz.qatysu.tool.excuses.DeansFixture.SECTION;

/**
 * The matrix rows of Open edX LTI Proctoring Services: the learner's tab (only a session of an LtiStartProctoring or
 * LtiEndAssessment launch), an exam's Open edX links (the section's teachers, the dean's office; CSRF) and their API
 * (scope admin), edx-exams' roster posted by the exam's page (its staff, CSRF) and that page's script. A course launch's
 * student or teacher never reaches the learner's tab.
 */
final class OpenEdxMatrix {
    static final String LINK_PAGE = "block-v1:mx+OEX+2026+type@lti_consumer+block@page";
    static final String LINK_ADMIN = "block-v1:mx+OEX+2026+type@lti_consumer+block@admin";
    static final String LINK_API = "block-v1:mx+OEX+2026+type@lti_consumer+block@api";

    private OpenEdxMatrix() {
    }

    /** Three resource links an LtiStartProctoring named unlinked, from the matrix's platform. */
    static void setUp() {
        long platform = f.tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT id FROM platform WHERE issuer = :i AND client_id = :c")
                .bind("i", f.platform.issuer).bind("c", f.platform.clientId).mapTo(Long.class).one());
        ids.put("oexPlatform", String.valueOf(platform));
        var repository = f.tool.app().openedxProctoring().repository();
        for (String link : new String[]{LINK_PAGE, LINK_ADMIN, LINK_API}) {
            repository.jdbi().useHandle(h -> repository.seenUnlinked(h, platform, link, "course-v1:mx+OEX+2026", "OEX", null,
                    Instant.now()));
        }
        if (repository.unlinked(Optional.of(platform), 10).size() != 3) {
            throw new AssertionError("the unlinked resource links were not recorded");
        }
    }

    static void rows(AuthorizationMatrixTest.M m) {
        // the learner's tab: a session of an Open edX proctoring launch only (a course launch is refused)
        m.route("GET /app/{launch}/openedx")
                .as("anon", "/app/{launch:A}/openedx", 401).as("A", "/app/{launch}/openedx", 403)
                .as("T1", "/app/{launch}/openedx", 403);
        m.route("POST /app/{launch}/openedx/start-assessment")
                .post("anon", "/app/{launch:A}/openedx/start-assessment", Map.of(), 401)
                .post("A", "/app/{launch}/openedx/start-assessment", Map.of("_csrf", "{csrf}"), 403)
                .post("T1", "/app/{launch}/openedx/start-assessment", Map.of("_csrf", "{csrf}"), 403);
        // an exam's Open edX links in a course: the section's teachers (their platform's links), CSRF
        String page = "/app/{launch}/exams/{examS1}/openedx";
        m.route("GET /app/{launch}/exams/{examId}/openedx")
                .as("anon", "/app/{launch:T1}/exams/{examS1}/openedx", 401).as("A", page, 403).as("G", page, 403)
                .as("T2", page, 404).expect("T1", page, AuthorizationMatrixTest.Expect.status(200).showing(LINK_PAGE));
        Map<String, String> link = Map.of("_csrf", "{csrf}", "platformId", "{oexPlatform}", "resourceLinkId", LINK_PAGE);
        m.route("POST /app/{launch}/exams/{examId}/openedx/link")
                .post("anon", "/app/{launch:T1}/exams/{examS1}/openedx/link", Map.of("platformId", "{oexPlatform}"), 401)
                .post("A", page + "/link", link, 403).post("T2", page + "/link", link, 404)
                .post("T1", page + "/link", Map.of("platformId", "{oexPlatform}", "resourceLinkId", LINK_PAGE), 403)
                .post("T1", page + "/link", link, 303);
        m.route("POST /app/{launch}/exams/{examId}/openedx/unlink")
                .post("anon", "/app/{launch:T1}/exams/{examS1}/openedx/unlink", Map.of("platformId", "{oexPlatform}"), 401)
                .post("A", page + "/unlink", link, 403).post("T2", page + "/unlink", link, 404)
                .post("T1", page + "/unlink", Map.of("platformId", "{oexPlatform}", "resourceLinkId", LINK_PAGE), 403)
                .post("T1", page + "/unlink", link, 303);
        // edx-exams' roster the page's script posts (JSON, X-CSRF-Token): the exam's staff only; a form body is no roster
        m.route("POST /app/{launch}/exams/{examId}/openedx/roster")
                .post("anon", "/app/{launch:T1}/exams/{examS1}/openedx/roster", Map.of(), 401)
                .post("A", page + "/roster", Map.of("_csrf", "{csrf}"), 403).post("G", page + "/roster", Map.of("_csrf", "{csrf}"), 403)
                .post("T2", page + "/roster", Map.of("_csrf", "{csrf}"), 404)
                .post("T1", page + "/roster", Map.of(), 403)
                .post("T1", page + "/roster", Map.of("_csrf", "{csrf}"), 400);
        m.route("GET /assets/openedx/{name}").as("anon", "/assets/openedx/roster.js", 200)
                .as("anon", "/assets/openedx/secret.properties", 404);
        // ... the dean's office (admin sign-in, CSRF)
        String admin = "/admin/sections/" + SECTION + "/exams/{examS1}/openedx";
        Map<String, String> adminLink = Map.of("_csrf", "{csrf}", "platformId", "{oexPlatform}", "resourceLinkId", LINK_ADMIN);
        m.route("GET /admin/sections/{sectionId}/exams/{examId}/openedx")
                .as("anon", admin, 401).as("T1", admin, 401)
                .as("admin", "/admin/sections/" + SECTION2 + "/exams/{examS1}/openedx", 404).as("admin", admin, 200);
        m.route("POST /admin/sections/{sectionId}/exams/{examId}/openedx/link")
                .post("anon", admin + "/link", adminLink, 401).post("T1", admin + "/link", adminLink, 401)
                .post("admin", admin + "/link", Map.of("platformId", "{oexPlatform}", "resourceLinkId", LINK_ADMIN), 403)
                .post("admin", admin + "/link", adminLink, 303);
        m.route("POST /admin/sections/{sectionId}/exams/{examId}/openedx/unlink")
                .post("anon", admin + "/unlink", adminLink, 401)
                .post("admin", admin + "/unlink", Map.of("platformId", "{oexPlatform}", "resourceLinkId", LINK_ADMIN), 403)
                .post("admin", admin + "/unlink", adminLink, 303);
        // ... and the API (scope admin)
        m.api("GET /api/v1/exams/{examId}/openedx-links", "/api/v1/exams/{examS1}/openedx-links", null, "admin", 200);
        m.api("PUT /api/v1/exams/{examId}/openedx-links", "/api/v1/exams/{examS1}/openedx-links",
                "{\"platformId\":" + ids.get("oexPlatform") + ",\"resourceLinkId\":\"" + LINK_API + "\"}", "admin", 201);
        m.api("DELETE /api/v1/exams/{examId}/openedx-links", "/api/v1/exams/{examS1}/openedx-links?platformId={oexPlatform}"
                + "&resourceLinkId=" + java.net.URLEncoder.encode(LINK_API, java.nio.charset.StandardCharsets.UTF_8), null, "admin", 204);
    }
}
