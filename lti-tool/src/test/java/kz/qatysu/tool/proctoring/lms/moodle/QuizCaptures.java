package kz.qatysu.tool.proctoring.lms.moodle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * Moodle 4.5's quiz-override captures ({@code shared/integration/captures/moodle-4.5/ws_quiz_overrides_*.json}, copied
 * to test resources) as WireMock stubs: each stub answers the captured body (HTTP 200 also for exceptions) with
 * Moodle's headers to a POST carrying every captured form field; {@link #form} reads back what the client sent.
 */
public final class QuizCaptures {
    public static final String PATH = "/webservice/rest/server.php";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private QuizCaptures() {
    }

    static JsonNode capture(String name) {
        try (InputStream in = QuizCaptures.class.getResourceAsStream("/captures/moodle-4.5/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no capture " + name);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The captured form with {@code <token>} / {@code <token-of-wsnocap>} replaced by {@code token}. */
    static Map<String, String> capturedForm(String name, String token) {
        Map<String, String> form = new LinkedHashMap<>();
        capture(name).path("request").path("form").properties().forEach(e -> form.put(e.getKey(),
                e.getKey().equals("wstoken") ? token : e.getValue().asText()));
        return form;
    }

    public static ResponseDefinitionBuilder response(String name) {
        return moodleResponse(capture(name).path("response").path("body").toString());
    }

    static ResponseDefinitionBuilder moodleResponse(String body) {
        return aResponse().withStatus(200).withHeader("Content-type", "application/json")
                .withHeader("Cache-Control", "private, must-revalidate, pre-check=0, post-check=0, max-age=0")
                .withHeader("Pragma", "no-cache").withHeader("Expires", "Thu, 01 Jan 1970 00:00:00 GMT")
                .withHeader("Accept-Ranges", "none").withBody(body);
    }

    /** Stubs the capture: a POST whose body has every captured field (the token as given) gets the captured answer. */
    static void stub(WireMockServer moodle, String name, String token) {
        var mapping = post(urlPathEqualTo(PATH));
        for (Map.Entry<String, String> e : capturedForm(name, token).entrySet()) {
            mapping = mapping.withRequestBody(containing(enc(e.getKey()) + "=" + enc(e.getValue())));
        }
        moodle.stubFor(mapping.willReturn(response(name)));
    }

    /** Every form the client posted, decoded, in order. */
    static List<Map<String, String>> forms(WireMockServer moodle) {
        return moodle.findAll(postRequestedFor(urlPathEqualTo(PATH))).stream().map(QuizCaptures::form).toList();
    }

    static Map<String, String> form(LoggedRequest r) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : r.getBodyAsString().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
