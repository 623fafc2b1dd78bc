package kz.qatysu.connectors.videoconf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.Json;
import kz.qatysu.connectors.videoconf.CallbackRejected.Reason;
import kz.qatysu.connectors.videoconf.PresenceInterval.Source;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What BigBlueButton sends to us ({@code shared/integration/videoconf.md} §4.1), verified before it is read:
 * <ul>
 *   <li>the <b>learning-analytics callback</b> — {@code Authorization: Bearer <JWT>}, HS512 with the shared secret,
 *       payload only {@code exp} (the body is not inside the token); the JSON body lists each attendee's
 *       {@code joins}/{@code leaves} in Ruby {@code Time#to_s} format ({@code 2023-08-07 14:06:14 -0300});</li>
 *   <li><b>webhooks</b> ({@code bbb-webhooks}) — a form {@code event=<JSON>&timestamp=…&domain=…} whose {@code event} is
 *       an object or (older releases) an array, signed by {@code ?checksum=sha1(callbackURL + body + secret)}.</li>
 * </ul>
 * A callback that fails verification or cannot be read throws {@link CallbackRejected}; nothing of it is used.
 */
public final class BigBlueButtonAnalytics {
    /** Tolerated clock difference between BigBlueButton and us when checking {@code exp}. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private static final DateTimeFormatter RUBY_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss xx", Locale.ROOT);
    private static final DateTimeFormatter RUBY_UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    public record Attendee(String extUserId, String name, boolean moderator, long durationSeconds,
                           List<PresenceInterval> intervals) {
    }

    /** One analytics callback: the meeting, its recorded start and finish, and every attendee's intervals. */
    public record AnalyticsReport(String meetingId, String internalMeetingId, Instant start, Instant finish,
                                  List<Attendee> attendees) {
        public List<PresenceInterval> intervals() {
            return attendees.stream().flatMap(a -> a.intervals().stream()).toList();
        }
    }

    /** One webhook event. {@code timestamp} is {@code event.ts}: the webhook process's clock when it mapped the event. */
    public record WebhookEvent(String id, String internalMeetingId, String externalMeetingId, String internalUserId,
                               String externalUserId, String name, String role, Instant timestamp) {
    }

    private final Secret secret;
    private final Clock clock;

    public BigBlueButtonAnalytics(Secret secret, Clock clock) {
        this.secret = Objects.requireNonNull(secret, "secret");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ---------------------------------------------------------------- analytics callback

    /** Verifies the {@code Authorization} header, then reads the body. */
    public AnalyticsReport readAnalytics(String authorizationHeader, String body) {
        verifyBearer(authorizationHeader);
        return parseAnalytics(body);
    }

    /**
     * Accepts only {@code Bearer <JWT>} with header {@code alg} HS512, a valid HMAC-SHA512 signature by the shared
     * secret, and a numeric {@code exp} not in the past (60 s of clock skew allowed).
     */
    public void verifyBearer(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthenticated("analytics callback without an 'Authorization: Bearer' token");
        }
        String token = authorizationHeader.substring(7).strip();
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw unauthenticated("analytics callback token is not a signed JWT (three dot-separated parts)");
        }
        JsonNode header = jwtPart(parts[0], "header");
        // only HS512 — never "none", and never another algorithm the sender may have picked for us
        if (!"HS512".equals(header.path("alg").asText())) {
            throw unauthenticated("analytics callback token uses alg '" + header.path("alg").asText() + "', expected HS512");
        }
        byte[] expected = hmac("HmacSHA512", secret.reveal(), parts[0] + "." + parts[1]);
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw unauthenticated("analytics callback token signature is not base64url");
        }
        if (!MessageDigest.isEqual(expected, given)) {
            throw unauthenticated("analytics callback token signature does not match the shared secret");
        }
        JsonNode exp = jwtPart(parts[1], "payload").path("exp");
        if (!exp.isNumber()) {
            throw unauthenticated("analytics callback token has no numeric exp");
        }
        Instant expires = Instant.ofEpochSecond(exp.asLong());
        if (!clock.instant().isBefore(expires.plus(CLOCK_SKEW))) {
            throw unauthenticated("analytics callback token expired at " + expires);
        }
    }

    /** Reads the callback body (no verification: use {@link #readAnalytics}). */
    public static AnalyticsReport parseAnalytics(String body) {
        JsonNode root = json(body, "analytics callback body");
        JsonNode data = root.path("data");
        if (!data.isObject() || !data.path("attendees").isArray()) {
            throw new CallbackRejected(Reason.MALFORMED, "analytics callback body has no data.attendees array");
        }
        Instant start = optionalTime(data.path("start"), "data.start");
        Instant finish = optionalTime(data.path("finish"), "data.finish");
        List<Attendee> attendees = new ArrayList<>();
        int index = 0;
        for (JsonNode a : data.path("attendees")) {
            String where = "data.attendees[" + index++ + "]";
            String ext = scalar(a.path("ext_user_id"));
            String name = a.path("name").asText(null);
            List<Instant[]> pairs = a.path("sessions").isObject() && !a.path("sessions").isEmpty()
                    ? sessionPairs(a.path("sessions"), finish, where)
                    : pair(times(a.path("joins"), where + ".joins"), times(a.path("leaves"), where + ".leaves"), finish);
            List<PresenceInterval> intervals = pairs.stream()
                    .map(p -> new PresenceInterval(ext, name, p[0], p[1], Source.BBB_ANALYTICS)).toList();
            attendees.add(new Attendee(ext, name, a.path("moderator").asBoolean(false), a.path("duration").asLong(0), intervals));
        }
        return new AnalyticsReport(root.path("meeting_id").asText(null), root.path("internal_meeting_id").asText(null),
                start, finish, List.copyOf(attendees));
    }

    /** {@code sessions}: one entry per internal user id (a reconnect gets a new one); pairs are made per entry. */
    private static List<Instant[]> sessionPairs(JsonNode sessions, Instant finish, String where) {
        List<Instant[]> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = sessions.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> s = it.next();
            String w = where + ".sessions." + s.getKey();
            out.addAll(pair(eventTimes(s.getValue().path("joins"), w + ".joins"), eventTimes(s.getValue().path("lefts"), w + ".lefts"), finish));
        }
        out.sort(Comparator.comparing(p -> p[0]));
        return out;
    }

    /**
     * Pairs each join with the first unused leave at or after it; a join without one (the leave was never recorded,
     * or the meeting was cut) lasts until the meeting's finish, or is dropped when the finish is unknown.
     */
    static List<Instant[]> pair(List<Instant> joins, List<Instant> leaves, Instant finish) {
        List<Instant> js = joins.stream().sorted().toList();
        List<Instant> ls = new ArrayList<>(leaves.stream().sorted().toList());
        List<Instant[]> out = new ArrayList<>();
        for (Instant j : js) {
            Instant leave = null;
            for (Iterator<Instant> it = ls.iterator(); it.hasNext(); ) {
                Instant l = it.next();
                if (!l.isBefore(j)) {
                    leave = l;
                    it.remove();
                    break;
                }
            }
            if (leave == null && finish != null && !finish.isBefore(j)) {
                leave = finish;
            }
            if (leave != null) {
                out.add(new Instant[]{j, leave});
            }
        }
        return out;
    }

    private static List<Instant> times(JsonNode array, String where) {
        List<Instant> out = new ArrayList<>();
        array.forEach(t -> out.add(time(t, where)));
        return out;
    }

    private static List<Instant> eventTimes(JsonNode array, String where) {
        List<Instant> out = new ArrayList<>();
        array.forEach(e -> out.add(time(e.isObject() ? e.path("timestamp") : e, where)));
        return out;
    }

    private static Instant optionalTime(JsonNode node, String where) {
        return node.isMissingNode() || node.isNull() || node.asText().isBlank() ? null : time(node, where);
    }

    /**
     * Ruby {@code Time#to_s} ({@code 2023-08-07 14:06:14 -0300}, or {@code … UTC} for UTC times) — what the callback
     * sends; ISO-8601 and epoch milliseconds are accepted too, for {@code sessions} entries of other bbbevents versions.
     */
    static Instant time(JsonNode node, String where) {
        if (node.isIntegralNumber()) {
            return Instant.ofEpochMilli(node.asLong());
        }
        String s = node.asText("").strip();
        try {
            if (s.endsWith(" UTC")) {
                return RUBY_UTC.parse(s, Instant::from);
            }
            if (s.length() > 10 && s.charAt(10) == 'T') {
                return OffsetDateTime.parse(s).toInstant();
            }
            if (s.matches("\\d{12,}")) {
                return Instant.ofEpochMilli(Long.parseLong(s));
            }
            return OffsetDateTime.parse(s, RUBY_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new CallbackRejected(Reason.MALFORMED, where + ": '" + s + "' is not a time like 2023-08-07 14:06:14 -0300", e);
        }
    }

    // ---------------------------------------------------------------- webhooks

    /**
     * Verifies a webhook delivery and reads its events.
     *
     * @param callbackUrl the URL registered with {@code hooks/create}, exactly (without the added {@code checksum})
     * @param body        the raw request body, exactly as received
     * @param checksum    the {@code checksum} query parameter of the delivery
     */
    public List<WebhookEvent> readWebhook(String callbackUrl, String body, String checksum) {
        Objects.requireNonNull(callbackUrl, "callbackUrl");
        if (body == null || checksum == null || checksum.isBlank()) {
            throw unauthenticated("webhook delivery without a checksum");
        }
        String expected = HexFormat.of().formatHex(sha1(callbackUrl + body + secret.reveal()));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                checksum.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw unauthenticated("webhook checksum does not match sha1(callbackURL + body + secret)");
        }
        return parseWebhook(body);
    }

    /** Reads the {@code event} form field (object or array of events); no verification: use {@link #readWebhook}. */
    public static List<WebhookEvent> parseWebhook(String formBody) {
        String event = form(formBody).get("event");
        if (event == null) {
            throw new CallbackRejected(Reason.MALFORMED, "webhook body has no 'event' field");
        }
        JsonNode root = json(event, "webhook event");
        List<WebhookEvent> out = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(e -> out.add(webhookEvent(e)));
        } else {
            out.add(webhookEvent(root));
        }
        return out;
    }

    private static WebhookEvent webhookEvent(JsonNode node) {
        JsonNode d = node.has("data") ? node.path("data") : node;
        String id = d.path("id").asText(null);
        if (id == null) {
            throw new CallbackRejected(Reason.MALFORMED, "webhook event has no data.id");
        }
        JsonNode attrs = d.path("attributes");
        JsonNode meeting = attrs.path("meeting");
        JsonNode user = attrs.path("user");
        JsonNode ts = d.path("event").path("ts");
        return new WebhookEvent(id, meeting.path("internal-meeting-id").asText(null), meeting.path("external-meeting-id").asText(null),
                user.path("internal-user-id").asText(null), blankToNull(scalar(user.path("external-user-id"))),
                user.path("name").asText(null), user.path("role").asText(null), ts.isNumber() ? Instant.ofEpochMilli(ts.asLong()) : null);
    }

    /**
     * Presence intervals from a meeting's webhook events, in any order: {@code user-joined} opens one per internal user
     * id, {@code user-left} closes it, {@code meeting-ended} closes all; still open ones are closed at {@code openUntil}
     * (e.g. now, or the class end), or dropped when it is null. Events without a time are skipped.
     */
    public static List<PresenceInterval> webhookIntervals(List<WebhookEvent> events, Instant openUntil) {
        List<WebhookEvent> sorted = events.stream().filter(e -> e.timestamp() != null)
                .sorted(Comparator.comparing(WebhookEvent::timestamp)).toList();
        Map<String, WebhookEvent> open = new LinkedHashMap<>();
        List<PresenceInterval> out = new ArrayList<>();
        for (WebhookEvent e : sorted) {
            String user = e.internalUserId() != null ? e.internalUserId() : e.externalUserId();
            switch (e.id()) {
                case "user-joined" -> {
                    if (user != null) {
                        open.putIfAbsent(user, e);
                    }
                }
                case "user-left" -> {
                    WebhookEvent joined = user == null ? null : open.remove(user);
                    if (joined != null) {
                        out.add(interval(joined, e.timestamp()));
                    }
                }
                case "meeting-ended" -> {
                    open.values().forEach(j -> out.add(interval(j, e.timestamp())));
                    open.clear();
                }
                default -> { }
            }
        }
        if (openUntil != null) {
            open.values().stream().filter(j -> !openUntil.isBefore(j.timestamp())).forEach(j -> out.add(interval(j, openUntil)));
        }
        out.sort(Comparator.comparing(PresenceInterval::join));
        return out;
    }

    private static PresenceInterval interval(WebhookEvent joined, Instant leave) {
        return new PresenceInterval(joined.externalUserId(), joined.name(), joined.timestamp(), leave, Source.BBB_WEBHOOK);
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body == null) {
            return out;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(k, v);
            } catch (IllegalArgumentException e) {
                throw new CallbackRejected(Reason.MALFORMED, "webhook body is not form-encoded", e);
            }
        }
        return out;
    }

    /** {@code ext_user_id} comes as a string or a number (Moodle passes its numeric user id): both become text. */
    private static String scalar(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static JsonNode json(String text, String what) {
        try {
            JsonNode n = text == null ? null : Json.MAPPER.readTree(text);
            if (n == null || n.isMissingNode()) {
                throw new CallbackRejected(Reason.MALFORMED, what + " is empty");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new CallbackRejected(Reason.MALFORMED, what + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode jwtPart(String b64, String what) {
        try {
            JsonNode n = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(b64));
            if (n == null || !n.isObject()) {
                throw unauthenticated("analytics callback token " + what + " is not a JSON object");
            }
            return n;
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new CallbackRejected(Reason.UNAUTHENTICATED, "analytics callback token " + what + " is unreadable", e);
        }
    }

    private static byte[] hmac(String alg, String key, String data) {
        try {
            Mac mac = Mac.getInstance(alg);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), alg));
            return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(alg + " is not available in this JVM", e);
        }
    }

    private static byte[] sha1(String text) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is not available in this JVM", e);
        }
    }

    private static CallbackRejected unauthenticated(String message) {
        return new CallbackRejected(Reason.UNAUTHENTICATED, message);
    }
}
