package kz.qatysu.connectors.videoconf;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpFailure;
import kz.qatysu.connectors.http.HttpRequestSpec;
import kz.qatysu.connectors.http.HttpResult;
import kz.qatysu.connectors.http.Json;
import kz.qatysu.connectors.videoconf.PresenceInterval.Source;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Zoom's REST API for attendance evidence ({@code shared/integration/videoconf.md} §4.3): a Server-to-Server OAuth
 * token ({@code POST /oauth/token?grant_type=account_credentials&account_id=…}, Basic client id:secret; no refresh
 * token, so it is cached until a minute before {@code expires_in} and fetched again, also after a 401), the past
 * meeting participants report (one row per join session; waiting-room rows left out) and past meeting instances.
 * 429 with {@code Retry-After} is waited out by the shared {@link HttpConnector}.
 *
 * @see #participants(String)
 */
public final class ZoomClient {
    /** Zoom's code for "Meeting does not exist" — for a report, also "not generated yet" (≤ ~30 min after the end). */
    static final int MEETING_DOES_NOT_EXIST = 3001;

    /** The participants report of one meeting instance, or the news that it is not there yet. */
    public sealed interface Report permits Ready, NotReadyYet {
    }

    /** @param waitingRoomRowsExcluded rows with {@code status: in_waiting_room}, left out of {@code intervals} */
    public record Ready(List<PresenceInterval> intervals, int waitingRoomRowsExcluded) implements Report {
    }

    /** Zoom answered 404 / 3001: retry later (the report appears some time after the meeting ends). */
    public record NotReadyYet(String message) implements Report {
    }

    /** One held occurrence of a (recurring) meeting; its UUID addresses the report. */
    public record Instance(String uuid, Instant startTime) {
    }

    private final HttpConnector api;
    private final HttpConnector oauth;
    private final String accountId;
    private final String clientId;
    private final Secret clientSecret;
    private final Clock clock;
    private String token;
    private Instant tokenExpires = Instant.EPOCH;

    /**
     * @param api   base URL {@code https://api.zoom.us/v2}
     * @param oauth base URL {@code https://zoom.us}
     */
    public ZoomClient(HttpConnector api, HttpConnector oauth, String accountId, String clientId, Secret clientSecret, Clock clock) {
        this.api = Objects.requireNonNull(api, "api");
        this.oauth = Objects.requireNonNull(oauth, "oauth");
        this.accountId = Objects.requireNonNull(accountId, "accountId");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * {@code GET /report/meetings/{uuid}/participants}, all pages of 300. Pass the <em>instance UUID</em> for a
     * recurring meeting (a numeric id gives only the latest instance). Each row becomes one interval keyed by
     * {@code customer_key}, else the lower-cased e-mail, else null (display name only); reconnect rows stay separate.
     */
    public Report participants(String meetingIdOrUuid) {
        if (meetingIdOrUuid == null || meetingIdOrUuid.isBlank()) {
            throw new IllegalArgumentException("meetingIdOrUuid is required");
        }
        String base = "/report/meetings/" + encodeMeetingId(meetingIdOrUuid) + "/participants?page_size=300";
        List<PresenceInterval> intervals = new ArrayList<>();
        int waiting = 0;
        String next = "";
        for (int page = 0; page < 10_000; page++) {
            String path = next.isEmpty() ? base : base + "&next_page_token=" + enc(next);
            HttpResult r = authorized(HttpRequestSpec.get(path).describedAs("Zoom participants report of " + meetingIdOrUuid));
            if (page == 0 && r.status() == 404 && errorCode(r) == MEETING_DOES_NOT_EXIST) {
                return new NotReadyYet(r.excerpt(300));
            }
            JsonNode b = ok("Zoom participants report of " + meetingIdOrUuid, r);
            for (JsonNode p : b.path("participants")) {
                if ("in_waiting_room".equals(p.path("status").asText())) {
                    waiting++;
                    continue;
                }
                intervals.add(row(p));
            }
            next = b.path("next_page_token").asText("");
            if (next.isEmpty()) {
                return new Ready(List.copyOf(intervals), waiting);
            }
        }
        throw new HttpFailure(api.name(), HttpFailure.Kind.MALFORMED, 200, 1,
                "Zoom participants report of " + meetingIdOrUuid + ": more than 10000 pages, giving up", null);
    }

    /** {@code GET /past_meetings/{meetingId}/instances}: the UUIDs of every held occurrence. */
    public List<Instance> pastInstances(String meetingId) {
        String what = "Zoom past instances of " + meetingId;
        JsonNode b = ok(what, authorized(HttpRequestSpec.get("/past_meetings/" + encodeMeetingId(meetingId) + "/instances").describedAs(what)));
        List<Instance> out = new ArrayList<>();
        b.path("meetings").forEach(m -> out.add(new Instance(m.path("uuid").asText(),
                m.hasNonNull("start_time") ? Instant.parse(m.path("start_time").asText()) : null)));
        return out;
    }

    /**
     * A meeting id or UUID as a path segment: URL-encoded once, or <b>twice</b> when the UUID starts with {@code /}
     * or contains {@code //} (Zoom's rule; otherwise Zoom reads it as a different path and answers 404).
     */
    static String encodeMeetingId(String id) {
        String once = enc(id);
        return id.startsWith("/") || id.contains("//") ? enc(once) : once;
    }

    private PresenceInterval row(JsonNode p) {
        String name = p.path("name").asText(null);
        String key = firstNonBlank(p.path("customer_key").asText(""), p.path("user_email").asText("").toLowerCase(Locale.ROOT));
        Instant join = instant(p, "join_time");
        Instant leave = p.hasNonNull("leave_time") && !p.path("leave_time").asText().isBlank()
                ? instant(p, "leave_time") : join.plusSeconds(p.path("duration").asLong(0));
        return new PresenceInterval(key, name, join, leave, Source.ZOOM_REPORT);
    }

    private Instant instant(JsonNode p, String field) {
        try {
            return Instant.parse(p.path(field).asText());
        } catch (DateTimeParseException e) {
            throw new HttpFailure(api.name(), HttpFailure.Kind.MALFORMED, 200, 1, "Zoom participant row has "
                    + field + " '" + p.path(field).asText() + "', expected ISO-8601 UTC", e);
        }
    }

    private HttpResult authorized(HttpRequestSpec spec) {
        HttpResult r = api.send(spec.withHeader("Authorization", "Bearer " + token()));
        if (r.status() == 401) {
            synchronized (this) {
                tokenExpires = Instant.EPOCH; // expired early or revoked: one fresh token, one more try
            }
            r = api.send(spec.withHeader("Authorization", "Bearer " + token()));
        }
        return r;
    }

    synchronized String token() {
        if (token != null && clock.instant().isBefore(tokenExpires)) {
            return token;
        }
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + clientSecret.reveal()).getBytes(StandardCharsets.UTF_8));
        HttpRequestSpec spec = new HttpRequestSpec("POST", "/oauth/token?grant_type=account_credentials&account_id=" + enc(accountId),
                java.util.Map.of("Authorization", "Basic " + basic, "Accept", "application/json"), new byte[0],
                "application/x-www-form-urlencoded", true, "Zoom POST /oauth/token (account " + accountId + ")");
        HttpResult r = oauth.send(spec);
        if (!r.isSuccess()) {
            throw new HttpFailure(oauth.name(), HttpFailure.Kind.STATUS, r.status(), 1, "Zoom Server-to-Server OAuth token for account '"
                    + accountId + "' (client '" + clientId + "') answered HTTP " + r.status() + ": " + r.excerpt(200), null);
        }
        JsonNode b = Json.parse(oauth.name(), "Zoom POST /oauth/token", r);
        String t = b.path("access_token").asText("");
        if (t.isEmpty()) {
            throw new HttpFailure(oauth.name(), HttpFailure.Kind.MALFORMED, r.status(), 1, "Zoom token answer has no access_token", null);
        }
        token = t;
        tokenExpires = clock.instant().plus(Duration.ofSeconds(Math.max(0, b.path("expires_in").asLong(3600) - 60)));
        return token;
    }

    private JsonNode ok(String what, HttpResult r) {
        if (!r.isSuccess()) {
            throw new HttpFailure(api.name(), HttpFailure.Kind.STATUS, r.status(), 1, what + " answered HTTP " + r.status() + ": " + r.excerpt(300), null);
        }
        return Json.parse(api.name(), what, r);
    }

    private int errorCode(HttpResult r) {
        try {
            return Json.MAPPER.readTree(r.body()).path("code").asInt(0);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static String firstNonBlank(String a, String b) {
        return !a.isBlank() ? a : !b.isBlank() ? b : null;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
