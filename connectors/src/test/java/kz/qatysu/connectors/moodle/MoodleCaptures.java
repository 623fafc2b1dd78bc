package kz.qatysu.connectors.moodle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

/**
 * The real Moodle 4.5.6 web-service captures ({@code shared/integration/captures/moodle-4.5/ws_*.json}, copied to
 * test resources): responses are served byte-for-byte as Moodle sent them, with Moodle's headers.
 */
public final class MoodleCaptures {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MoodleCaptures() {
    }

    public static JsonNode capture(String name) {
        try (InputStream in = MoodleCaptures.class.getResourceAsStream("/captures/moodle-4.5/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no capture " + name);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The captured response body as Moodle sent it (HTTP 200 even for exceptions). */
    public static String body(String name) {
        return capture(name).path("response").path("body").toString();
    }

    /** A WireMock response carrying the captured body and Moodle's WS response headers. */
    public static ResponseDefinitionBuilder response(String name) {
        return moodleResponse(body(name));
    }

    public static ResponseDefinitionBuilder moodleResponse(String body) {
        return aResponse().withStatus(200)
                .withHeader("Content-type", "application/json")
                .withHeader("Cache-Control", "private, must-revalidate, pre-check=0, post-check=0, max-age=0")
                .withHeader("Pragma", "no-cache")
                .withHeader("Expires", "Thu, 01 Jan 1970 00:00:00 GMT")
                .withHeader("Accept-Ranges", "none")
                .withBody(body);
    }
}
