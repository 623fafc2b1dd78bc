package kz.qatysu.tool.web;

import io.javalin.Javalin;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The slow-body check closes clients that trickle a body, not requests whose body has arrived whole while the tool
 * works on them: a key rotation (an empty POST) that took over 5 s on a busy node lost its answer this way (CI:
 * TwoToolNodesBehindNginxTest, "HTTP/1.1 header parser received no bytes").
 */
class SlowClientsTest {

    @Test
    void a_request_whose_body_arrived_whole_is_answered_however_long_the_handler_takes() throws Exception {
        HttpLimits limits = new HttpLimits(Duration.ofSeconds(30), Duration.ofSeconds(10), 2048, 32, 2, 16, Duration.ofSeconds(1));
        Javalin app = Javalin.create(config -> {
            limits.apply(config);
            config.routes.post("/slow", ctx -> {
                Thread.sleep(SlowClients.BODY_WINDOW.toMillis() + 2_500); // the handler works before it reads the body
                ctx.result("done " + ctx.body().length());
            });
        }).start("127.0.0.1", 0);
        try {
            HttpClient http = HttpClient.newHttpClient();
            String url = "http://127.0.0.1:" + app.port() + "/slow";
            List<CompletableFuture<HttpResponse<String>>> sent = List.of(
                    http.sendAsync(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                            HttpResponse.BodyHandlers.ofString()),
                    http.sendAsync(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"includeKeys\": true}")).build(), HttpResponse.BodyHandlers.ofString()));
            assertThat(sent.get(0).get().body()).isEqualTo("done 0");
            assertThat(sent.get(1).get().body()).isEqualTo("done 21");
        } finally {
            app.stop();
        }
    }
}
