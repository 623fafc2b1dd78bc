package kz.qatysu.tool.moodle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Moodle's REST web service ({@code webservice/rest/server.php}, webservice/rest/locallib.php): a form POST with
 * {@code wstoken}, {@code wsfunction}, {@code moodlewsrestformat=json} and the function's parameters in PHP bracket
 * syntax. Moodle answers HTTP 200 for errors too: an object with {@code exception} is a failure, turned into a
 * {@link MoodleException} here, once for every caller. The token travels in the POST body and never appears in an error.
 */
public final class MoodleWebService {
    public static final String REST_PATH = "/webservice/rest/server.php";

    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper json;

    public MoodleWebService(HttpClient http, Duration timeout, ObjectMapper json) {
        this.http = http;
        this.timeout = timeout;
        this.json = json;
    }

    /** Calls {@code function} with {@code params} (already in bracket syntax, in order); the JSON answer. */
    public JsonNode call(MoodleSite site, String function, Map<String, String> params) throws MoodleException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("wstoken", site.token().reveal());
        form.put("wsfunction", function);
        form.put("moodlewsrestformat", "json");
        form.putAll(params);
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        String base = site.url().toString().replaceAll("/+$", "");
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + REST_PATH + "?moodlewsrestformat=json")).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new MoodleException("Moodle " + site.url().getHost() + " unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MoodleException("interrupted");
        }
        if (response.statusCode() != 200) {
            throw new MoodleException("Moodle " + site.url().getHost() + " answered HTTP " + response.statusCode()
                    + " to " + function);
        }
        JsonNode node;
        try {
            node = json.readTree(response.body());
        } catch (IOException e) {
            throw new MoodleException("Moodle answered " + function + " with something that is not JSON "
                    + "(is moodlewsrestformat=json honoured?)");
        }
        if (node == null || node.isMissingNode()) {
            throw new MoodleException("Moodle answered " + function + " with an empty body");
        }
        if (node.isObject() && node.has("exception")) {
            throw new MoodleException(function, node.path("exception").asText(), node.path("errorcode").asText(""),
                    node.path("message").asText(""), node.hasNonNull("debuginfo") ? node.get("debuginfo").asText() : null);
        }
        return node;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
