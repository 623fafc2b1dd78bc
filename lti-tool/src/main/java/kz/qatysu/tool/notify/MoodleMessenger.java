package kz.qatysu.tool.notify;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.moodle.MoodleException;
import kz.qatysu.tool.moodle.MoodleSite;
import kz.qatysu.tool.moodle.MoodleWebService;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A Moodle private message through the REST web service {@code core_message_send_instant_messages}
 * (message/externallib.php): the token's user sends it, so that user needs {@code moodle/site:sendmessage} and the
 * site needs messaging enabled. The call itself, and Moodle's HTTP-200 error bodies, are {@link MoodleWebService}'s;
 * {@code msgid: -1} with {@code errormessage} is the failure of one message. The token never appears in an error text.
 */
public final class MoodleMessenger {
    /** FORMAT_PLAIN in Moodle's lib/weblib.php. */
    static final int FORMAT_PLAIN = 2;
    /** \core_message\api::MESSAGE_MAX_LENGTH. */
    static final int MAX_LENGTH = 4096;

    private final MoodleWebService ws;

    public MoodleMessenger(MoodleWebService ws) {
        this.ws = ws;
    }

    /** Sends one message; {@code clientMsgId} is ours (letters, digits, - and _), echoed back by Moodle. */
    public Outcome send(MoodleSite site, String moodleUserId, String clientMsgId, String text) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("messages[0][touserid]", moodleUserId);
        form.put("messages[0][text]", text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH - 1) + "…" : text);
        form.put("messages[0][textformat]", String.valueOf(FORMAT_PLAIN));
        form.put("messages[0][clientmsgid]", clientMsgId);
        JsonNode answer;
        try {
            answer = ws.call(site, "core_message_send_instant_messages", form);
        } catch (MoodleException e) {
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
    public Optional<String> userByIdNumber(MoodleSite site, String personId) throws MoodleException {
        return userByIdNumber(ws, site, personId);
    }

    /** The same lookup for any caller of the shared client (the quiz gate). */
    public static Optional<String> userByIdNumber(MoodleWebService ws, MoodleSite site, String personId) throws MoodleException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("field", "idnumber");
        form.put("values[0]", personId);
        JsonNode answer = ws.call(site, "core_user_get_users_by_field", form);
        if (!answer.isArray()) {
            throw new MoodleException("Moodle: unexpected answer to core_user_get_users_by_field");
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
}
