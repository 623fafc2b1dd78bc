package kz.qatysu.tool.lti.advantage;

import kz.qatysu.tool.testing.SteppedClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import kz.qatysu.tool.lti.keys.ToolKeys;
import kz.qatysu.tool.lti.platforms.Platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A platform played by WireMock with Moodle's recorded answers, the tool's real keys over a fresh embedded
 * PostgreSQL, and a clock the test moves.
 */
final class AdvantageFixture implements AutoCloseable {
    static final String TOKEN_PATH = "/mod/lti/token.php";
    static final String CLIENT_ID = "c5dFF2OU3Si4N9D";
    /** Generous, so a busy build machine does not fail tests that expect an answer. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** For the tests where the platform is too slow on purpose (its answer is delayed by {@link #SLOW_ANSWER_MS}). */
    static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);
    static final int SLOW_ANSWER_MS = 3000;
    private static final ObjectMapper JSON = new ObjectMapper();

    final WireMockServer wm = new WireMockServer(options().dynamicPort());
    final Database database = TestPostgres.freshDatabase("tool");
    final ToolKeys keys = new ToolKeys(database.jdbi(), Clock.systemUTC(), Duration.ofDays(7),
            kz.qatysu.tool.lti.keys.KeyEncryption.of(new byte[32]));
    final SteppedClock clock = new SteppedClock(Instant.parse("2026-11-24T02:02:52Z"));
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    AdvantageFixture() {
        wm.start();
        keys.initialize();
    }

    void reset() {
        wm.resetAll();
        wm.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(captured("advantage_01_token_request_ok.json")));
    }

    Platform platform() {
        return platform(1, CLIENT_ID);
    }

    Platform platform(long id, String clientId) {
        return new Platform(id, "http://moodle.test", clientId, "Moodle test", URI.create(url("/mod/lti/auth.php")),
                URI.create(url(TOKEN_PATH)), URI.create(url("/mod/lti/certs.php")), List.of("1"), true, "moodle",
                "manual", Instant.EPOCH, Instant.EPOCH);
    }

    String url(String pathAndQuery) {
        return wm.baseUrl() + pathAndQuery;
    }

    ServiceTokens tokens() {
        return new ServiceTokens(http, keys, clock, TIMEOUT);
    }

    /** The recorded answer of a capture, status, content type and body as Moodle sent them. */
    static ResponseDefinitionBuilder captured(String file) {
        JsonNode response = capture(file).get("response");
        return aResponse().withStatus(response.get("status").asInt())
                .withHeader("Content-Type", response.path("headers").path("content-type").asText("application/json"))
                .withBody(body(file));
    }

    /** The recorded response body, as text. */
    static String body(String file) {
        JsonNode body = capture(file).get("response").get("body");
        return body.isTextual() ? body.asText() : body.toString();
    }

    static JsonNode capture(String file) {
        try (InputStream in = AdvantageFixture.class.getResourceAsStream("/advantage/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no capture " + file);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    @Override
    public void close() {
        wm.stop();
        database.close();
    }

}
