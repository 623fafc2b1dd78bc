package kz.qatysu.tool.web;

import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class ServerTimingTest {
    static RunningTool tool;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        tool = RunningTool.start();
    }

    @AfterAll
    static void stop() {
        tool.close();
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tool.baseUrl() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void api_answers_carry_the_server_time_in_milliseconds_even_when_refused() throws Exception {
        var ok = get("/api/v1/admin/platforms", RunningTool.ADMIN_TOKEN);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Server-Timing")).hasValueSatisfying(v -> {
            assertThat(v).matches("app;dur=\\d+\\.\\d{2}");
            assertThat(Double.parseDouble(v.substring(8))).isPositive().isLessThan(10_000);
        });
        var refused = get("/api/v1/admin/platforms", null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Server-Timing")).isPresent();
    }

    @Test
    void pages_do_not_show_it() throws Exception {
        var page = get("/admin", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Server-Timing")).isEmpty();
    }
}
