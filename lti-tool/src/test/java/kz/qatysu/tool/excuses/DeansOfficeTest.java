package kz.qatysu.tool.excuses;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static kz.qatysu.tool.excuses.DeansFixture.SECTION;
import static kz.qatysu.tool.excuses.DeansFixture.csrf;
import static kz.qatysu.tool.excuses.DeansFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

class DeansOfficeTest {
    static DeansFixture f;

    @BeforeAll
    static void start() {
        f = DeansFixture.start(Map.of());
        f.absent("P-1001", "S-1", "S-2", "S-3", "S-4");
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void the_section_page_lists_standing_and_an_override_needs_csrf_and_a_reason() {
        Browser dean = f.admin();
        String page = dean.get(f.tool.baseUrl() + "/admin/sections/" + SECTION).body();
        assertThat(page).contains("student-P-1001", "student-P-1002");
        String url = f.tool.baseUrl() + "/admin/sections/" + SECTION + "/overrides";

        var noCsrf = dean.postForm(url, Map.of("personId", "P-1001", "decision", "ADMITTED", "reason", "Бұйрық №45"));
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        var noReason = dean.postForm(url, Map.of("_csrf", csrf(page), "personId", "P-1001", "decision", "ADMITTED", "reason", "  "));
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(noReason.body()).contains("An override needs a reason");
        assertThat(f.standingOf("P-1001").path("override").isNull()).isTrue();
        var notEnrolled = dean.postForm(url, Map.of("_csrf", csrf(page), "personId", "P-9999", "decision", "ADMITTED", "reason", "x"));
        assertThat(notEnrolled.statusCode()).isEqualTo(400);

        var set = dean.postForm(url, Map.of("_csrf", csrf(page), "personId", "P-1001", "decision", "ADMITTED", "reason", "Бұйрық №45"));
        assertThat(set.statusCode()).isEqualTo(303);
        JsonNode standing = f.standingOf("P-1001");
        assertThat(standing.path("state").asText()).isEqualTo("OK");
        assertThat(standing.path("computedState").asText()).isEqualTo("LOCKED");
        assertThat(standing.path("override").path("reason").asText()).isEqualTo("Бұйрық №45");
        assertThat(standing.path("override").path("by").asText()).isEqualTo("web:admin");

        String history = dean.get(f.tool.baseUrl() + "/admin/sections/" + SECTION + "/students/P-1001").body();
        assertThat(history).contains("Locked → OK", "office made a decision", "<td>the dean");

        var withdraw = dean.postForm(f.tool.baseUrl() + "/admin/sections/" + SECTION + "/overrides/P-1001/withdraw",
                Map.of("_csrf", csrf(page)));
        assertThat(withdraw.statusCode()).isEqualTo(303);
        assertThat(f.standingOf("P-1001").path("state").asText()).isEqualTo("LOCKED");
        var none = dean.postForm(f.tool.baseUrl() + "/admin/sections/" + SECTION + "/overrides/P-1001/withdraw",
                Map.of("_csrf", csrf(page)));
        assertThat(none.statusCode()).isEqualTo(404);
    }

    @Test
    void dean_pages_need_the_admin_sign_in() {
        assertThat(new Browser().get(f.tool.baseUrl() + "/admin/sections").statusCode()).isEqualTo(401);
        assertThat(new Browser().get(f.tool.baseUrl() + "/admin/excuses").statusCode()).isEqualTo(401);
        var student = f.student("P-1002", "6", "Бауыржан");
        // a launch cookie is no admin session
        assertThat(student.browser().get(f.tool.baseUrl() + "/admin/sections/" + SECTION).statusCode()).isEqualTo(401);
        assertThat(f.admin().get(f.tool.baseUrl() + "/admin/sections").body()).contains(SECTION, DeansFixture.SECTION_TITLE);
    }

    @Test
    void tokens_are_issued_with_scopes_refused_beyond_them_and_revoked() {
        var issued = f.api("POST", "/api/v1/admin/tokens", "{\"name\":\"sync-daemon\",\"scopes\":[\"sync\",\"standing:read\"]}",
                RunningTool.ADMIN_TOKEN);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        JsonNode body = ok(issued);
        String token = body.path("token").asText();
        long id = body.path("id").asLong();
        assertThat(token).startsWith("qat_");
        assertThat(body.path("scopes").toString()).contains("sync", "standing:read");

        assertThat(f.api("GET", "/api/v1/sections/" + SECTION + "/standing", null, token).statusCode()).isEqualTo(200);
        assertThat(f.api("POST", "/api/v1/sections/" + SECTION + "/overrides",
                "{\"personId\":\"P-1001\",\"state\":\"ADMITTED\",\"reason\":\"x\"}", token).statusCode()).isEqualTo(403);
        assertThat(f.api("POST", "/api/v1/admin/tokens", "{\"name\":\"x\",\"scopes\":[\"admin\"]}", token).statusCode()).isEqualTo(403);
        assertThat(f.api("DELETE", "/api/v1/admin/tokens/" + id, null, token).statusCode()).isEqualTo(403);

        var bad = f.api("POST", "/api/v1/admin/tokens", "{\"name\":\"\",\"scopes\":[\"root\"]}", RunningTool.ADMIN_TOKEN);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"path\":\"name\"", "\"path\":\"scopes[0]\"", "unknown scope 'root'");
        assertThat(f.api("POST", "/api/v1/admin/tokens", "{\"name\":\"x\",\"scopes\":[]}", null).statusCode()).isEqualTo(401);

        assertThat(f.api("DELETE", "/api/v1/admin/tokens/" + id, null, RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(204);
        assertThat(f.api("GET", "/api/v1/sections/" + SECTION + "/standing", null, token).statusCode()).isEqualTo(401);
        assertThat(f.api("DELETE", "/api/v1/admin/tokens/" + id, null, RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(404);

        long audited = f.tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM admin_audit WHERE action IN ('token.issue', 'token.revoke') AND subject = :s")
                .bind("s", "api_token/" + id).mapTo(Long.class).one());
        assertThat(audited).isEqualTo(2);
    }
}
