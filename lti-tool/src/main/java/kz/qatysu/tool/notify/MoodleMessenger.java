package kz.qatysu.tool.notify;

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
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A Moodle private message through the REST web service {@code core_message_send_instant_messages}
 * (message/externallib.php): the token's user sends it, so that user needs {@code moodle/site:sendmessage} and the
 * site needs messaging enabled. Moodle answers HTTP 200 for errors too: an {@code {"exception":…}} body is a failure
 * of the call, {@code msgid: -1} with {@code errormessage} the failure of one message. The token travels in the POST
 * body and never appears in an error text.
 */
public final class MoodleMessenger {
    static final String REST_PATH = "/webservice/rest/server.php";
    /** FORMAT_PLAIN in Moodle's lib/weblib.php. */
    static final int FORMAT_PLAIN = 2;
    /** \core_message\api::MESSAGE_MAX_LENGTH. */
    static final int MAX_LENGTH = 4096;

    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper json;

    public MoodleMessenger(HttpClient http, Duration timeout, ObjectMapper json) {
        this.http = http;
        this.timeout = timeout;
        this.json = json;
    }

    /** Thrown when Moodle could not be asked or answered with an error: worth a retry. */
    public static final class MoodleCallException extends Exception {
        MoodleCallException(String message) {
            super(message);
        }
    }

    /** Sends one message; {@code clientMsgId} is ours (letters, digits, - and _), echoed back by Moodle. */
    public Outcome send(NotifySettings.MoodleSite site, String moodleUserId, String clientMsgId, String text) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("messages[0][touserid]", moodleUserId);
        form.put("messages[0][text]", text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH - 1) + "…" : text);
        form.put("messages[0][textformat]", String.valueOf(FORMAT_PLAIN));
        form.put("messages[0][clientmsgid]", clientMsgId);
        JsonNode answer;
        try {
            answer = call(site, "core_message_send_instant_messages", form);
        } catch (MoodleCallException e) {
            return Outcome.retry(e.getMessage());
        }
        if (!answer.isArray() || answer.isEmpty()) {
            return Outcome.retry("Moodle: unexpected answer to core_message_send_instant_messages");
        }
        JsonNode result = answer.get(0);
        long msgId = result.path("msgid").asLong(-1);
        if (msgId <= 0) {
            return Outcome.retry("Moodle: message not sent: " + result.path("errormessage").asText("no error message"));
        }
        return Outcome.sent("Moodle message " + msgId);
    }

    /** The Moodle user whose {@code idnumber} is our person id ({@code core_user_get_users_by_field}), if any. */
    public Optional<String> userByIdNumber(NotifySettings.MoodleSite site, String personId) throws MoodleCallException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("field", "idnumber");
        form.put("values[0]", personId);
        JsonNode answer = call(site, "core_user_get_users_by_field", form);
        if (!answer.isArray()) {
            throw new MoodleCallException("Moodle: unexpected answer to core_user_get_users_by_field");
        }
        // idnumber is only returned to a token user who may see it (moodle/user:viewalldetails); the search was by
        // idnumber, so a user without the field is taken, one with another idnumber is not
        for (JsonNode user : answer) {
            String idNumber = user.path("idnumber").asText(null);
            if ((idNumber == null || personId.equals(idNumber)) && user.hasNonNull("id")) {
                return Optional.of(user.get("id").asText());
            }
        }
        return Optional.empty();
    }

    private JsonNode call(NotifySettings.MoodleSite site, String function, Map<String, String> params) throws MoodleCallException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("wstoken", site.token().reveal());
        form.put("wsfunction", function);
        form.put("moodlewsrestformat", "json");
        form.putAll(params);
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        String base = site.url().toString().replaceAll("/+$", "");
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + REST_PATH)).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new MoodleCallException("Moodle " + site.url().getHost() + " unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MoodleCallException("interrupted");
        }
        if (response.statusCode() != 200) {
            throw new MoodleCallException("Moodle " + site.url().getHost() + " answered HTTP " + response.statusCode());
        }
        JsonNode node;
        try {
            node = json.readTree(response.body());
        } catch (IOException e) {
            throw new MoodleCallException("Moodle answered something that is not JSON (is moodlewsrestformat=json honoured?)");
        }
        if (node != null && node.isObject() && node.has("exception")) {
            throw new MoodleCallException("Moodle: " + node.path("errorcode").asText(node.path("exception").asText())
                    + ": " + node.path("message").asText(""));
        }
        if (node == null) {
            throw new MoodleCallException("Moodle answered an empty body");
        }
        return node;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
