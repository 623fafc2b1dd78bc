package kz.qatysu.launcher;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** QATYSU_LOG_FORMAT=json with the distribution's logback.xml: one JSON object per line, request ids, no secrets. */
class JsonLogsTest {

    @Test
    void json_logs_carry_the_request_id_and_never_a_token() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setProperty("QATYSU_LOG_FORMAT", "json");
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        RunningTool tool = null;
        try {
            reconfigure();
            tool = RunningTool.start();
            HttpClient http = HttpClient.newHttpClient();
            // an issued token (its value is in this one response), a sign-in with a wrong token, a forged launch
            var issued = http.send(HttpRequest.newBuilder(URI.create(tool.baseUrl() + "/api/v1/admin/tokens"))
                    .header("Authorization", "Bearer " + RunningTool.ADMIN_TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"reader\",\"scopes\":[\"standing:read\"]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String token = new ObjectMapper().readTree(issued.body()).path("token").asText();
            assertThat(token).startsWith("qat_");
            http.send(HttpRequest.newBuilder(URI.create(tool.baseUrl() + "/api/v1/changes")).header("Authorization", "Bearer " + token)
                    .build(), HttpResponse.BodyHandlers.ofString());
            Browser browser = new Browser();
            browser.postForm(tool.baseUrl() + "/admin/signin", Map.of("token", "wrong-secret-token-42"));
            var forged = browser.postForm(tool.baseUrl() + "/lti/launch", Map.of("id_token", "x.y.z", "state", "forged"));
            String requestId = forged.headers().firstValue("X-Request-Id").orElseThrow();

            String out = captured.toString(StandardCharsets.UTF_8);
            List<JsonNode> lines = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (!line.isBlank()) {
                    assertThat(line).as("every line is one JSON object").startsWith("{");
                    lines.add(new ObjectMapper().readTree(line));
                }
            }
            assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l.has("level") && l.has("loggerName")).isTrue());
            assertThat(lines).anySatisfy(l -> {
                assertThat(l.path("formattedMessage").asText()).startsWith("LTI refused [UNKNOWN_STATE]");
                assertThat(l.path("mdc").path("requestId").asText()).isEqualTo(requestId);
            });
            assertThat(out).doesNotContain(RunningTool.ADMIN_TOKEN).doesNotContain(token).doesNotContain("wrong-secret-token-42");
        } finally {
            if (tool != null) {
                tool.close();
            }
            System.setOut(original);
            System.clearProperty("QATYSU_LOG_FORMAT");
            reconfigure();
        }
    }

    @Test
    void an_unknown_log_format_is_refused_naming_the_variable() {
        var r = MainTest.run(Map.of("QATYSU_LOG_FORMAT", "xml"), "config", "check");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("QATYSU_LOG_FORMAT: 'xml' is not a log format (text or json)");
    }

    private static void reconfigure() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(JsonLogsTest.class.getResource("/logback.xml"));
    }
}
