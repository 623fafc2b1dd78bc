package kz.qatysu.tool.attendance;

import kz.qatysu.tool.testing.Api;
import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/changes}: every mark and standing change once, in order, paged by a cursor. */
class ChangesFeedTest {
    static RunningTool tool;
    static Api api;

    @BeforeAll
    static void start() {
        tool = RunningTool.start();
        api = Api.admin(tool);
    }

    @AfterAll
    static void stop() {
        tool.close();
    }

    @Test
    void the_feed_pages_through_every_change_once_and_then_stays_at_its_cursor() {
        JsonNode empty = api.ok(api.get("/api/v1/changes"));
        assertThat(empty.path("changes")).isEmpty();
        assertThat(empty.path("cursor").asText()).isEqualTo("0");

        api.ok(api.put("/api/v1/sections/FEED", Fixture.section("Feed")));
        api.ok(api.put("/api/v1/sections/FEED/enrolments", Fixture.students("P-1", "P-2", "P-3")));
        api.ok(api.put("/api/v1/sections/FEED/sessions", Fixture.sessions("FEED", 4)));
        api.ok(api.put("/api/v1/sessions/FEED-1/marks", Fixture.absent("P-1", "P-2", "P-3")));
        // 3 initial standings (enrolment) + 3 changed standings (planned hours) + 3 marks + 3 standings
        List<JsonNode> all = new ArrayList<>();
        String cursor = "0";
        int pages = 0;
        while (true) {
            JsonNode page = api.ok(api.get("/api/v1/changes?since=" + cursor + "&limit=5"));
            page.path("changes").forEach(all::add);
            pages++;
            String next = page.path("cursor").asText();
            if (!page.path("hasMore").asBoolean()) {
                cursor = next;
                break;
            }
            cursor = next;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(all).hasSize(12);
        assertThat(all).extracting(c -> c.path("seq").asLong()).isSorted().doesNotHaveDuplicates();
        assertThat(all).filteredOn(c -> c.path("type").asText().equals("mark"))
                .extracting(c -> c.path("personId").asText()).containsExactly("P-1", "P-2", "P-3");
        assertThat(all).filteredOn(c -> c.path("type").asText().equals("mark"))
                .allSatisfy(c -> assertThat(c.has("state")).isFalse());
        assertThat(all.get(all.size() - 1).path("seq").asText()).isEqualTo(cursor);

        JsonNode none = api.ok(api.get("/api/v1/changes?since=" + cursor));
        assertThat(none.path("changes")).isEmpty();
        assertThat(none.path("cursor").asText()).isEqualTo(cursor);

        api.ok(api.put("/api/v1/sessions/FEED-2/marks", "[{\"personId\":\"P-2\",\"status\":\"PRESENT\"}]"));
        JsonNode fresh = api.ok(api.get("/api/v1/changes?since=" + cursor));
        assertThat(fresh.path("changes")).hasSize(1);
        assertThat(fresh.path("changes").get(0).path("status").asText()).isEqualTo("PRESENT");
        assertThat(Long.parseLong(fresh.path("cursor").asText())).isGreaterThan(Long.parseLong(cursor));
    }

    @Test
    void a_bad_cursor_or_limit_is_refused_by_name() {
        Api.Response since = api.get("/api/v1/changes?since=yesterday");
        assertThat(since.status()).isEqualTo(400);
        assertThat(since.json().path("details").get(0).path("path").asText()).isEqualTo("since");
        Api.Response unknown = api.get("/api/v1/changes?since=987654321");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("details").get(0).path("path").asText()).isEqualTo("since");
        assertThat(unknown.json().path("details").get(0).path("problem").asText()).contains("987654321");
        Api.Response limit = api.get("/api/v1/changes?limit=5001");
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.json().path("details").get(0).path("path").asText()).isEqualTo("limit");
        assertThat(api.get("/api/v1/changes?limit=5000").status()).isEqualTo(200);
    }
}
