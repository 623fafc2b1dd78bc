package kz.qatysu.tool.proctoring.lms.openedx;

import com.fasterxml.jackson.databind.ObjectMapper;
import kz.qatysu.tool.lti.advantage.AccessToken;
import kz.qatysu.tool.lti.advantage.ServiceTokens;
import kz.qatysu.tool.lti.platforms.Platform;
import kz.qatysu.tool.lti.platforms.PlatformService;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Assessment Control Service (LTI Proctoring Services 1.0 §5) towards a platform that offered it in
 * LtiStartProctoring's {@code acs} claim, as edx-exams' {@code acs} view takes it: a JSON POST with a bearer token of
 * scope {@code …/lti-ap/scope/control.all} (client credentials at the platform's token URL, {@link ServiceTokens}),
 * {@code user.sub}, {@code resource_link.id}, {@code attempt_number}, {@code action} and, for {@code terminate},
 * {@code reason_code}, {@code incident_time}, {@code incident_severity}.
 *
 * <p>A durable outbox: each pass first queues what is due — {@code terminate} (reason code 1, severity 1.0: edx-exams
 * sends such an attempt to second review) for an attempt whose proctor gave the VIOLATION verdict, {@code flag}
 * (severity 0.5) for each VIOLATION-severity event — once per cause, only where the platform listed the action; then
 * sends the due rows. A failure (the LMS down, a refused token, an error answer) is kept with its reason and retried
 * with exponential backoff up to an hour, so no action is lost while the LMS is away.
 */
public final class AcsOutbox {
    private static final Logger log = LoggerFactory.getLogger(AcsOutbox.class);
    public static final String SCOPE = "https://purl.imsglobal.org/spec/lti-ap/scope/control.all";
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(30);
    static final Duration MAX_BACKOFF = Duration.ofHours(1);

    private final Jdbi jdbi;
    private final PlatformService platforms;
    private final ServiceTokens tokens;
    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper json;
    private final Clock clock;

    public AcsOutbox(Jdbi jdbi, PlatformService platforms, ServiceTokens tokens, HttpClient http, Duration timeout,
                     ObjectMapper json, Clock clock) {
        this.jdbi = jdbi;
        this.platforms = platforms;
        this.tokens = tokens;
        this.http = http;
        this.timeout = timeout;
        this.json = json;
        this.clock = clock;
    }

    /** What one pass did. */
    public record Pass(int queued, int delivered, int failed) {
    }

    /** Queues what is due, then sends up to {@code max} due actions. */
    public Pass run(int max) {
        int queued = enqueue();
        int delivered = 0;
        int failed = 0;
        for (Due d : due(max)) {
            if (deliver(d)) {
                delivered++;
            } else {
                failed++;
            }
        }
        return new Pass(queued, delivered, failed);
    }

    /** Queues terminate for VIOLATION verdicts and flag for VIOLATION-severity events (each cause once). */
    int enqueue() {
        Timestamp now = Timestamp.from(clock.instant());
        return jdbi.inTransaction(h -> h.createUpdate("""
                        INSERT INTO openedx_acs_action (openedx_attempt, action, cause, reason_code, incident_time,
                                                        incident_severity, created_at, next_attempt_at)
                        SELECT o.id, 'terminate', 'verdict:VIOLATION', '1', v.decided_at, 1.0, :now, :now
                        FROM openedx_attempt o JOIN proctoring_verdict v ON v.attempt_id = o.attempt_id
                        WHERE v.verdict = 'VIOLATION' AND o.acs_url IS NOT NULL AND 'terminate' = ANY (o.acs_actions)
                        ON CONFLICT (openedx_attempt, action, cause) DO NOTHING""").bind("now", now).execute()
                + h.createUpdate("""
                        INSERT INTO openedx_acs_action (openedx_attempt, action, cause, reason_code, incident_time,
                                                        incident_severity, created_at, next_attempt_at)
                        SELECT o.id, 'flag', 'event:' || e.id, '1', e.at, 0.5, :now, :now
                        FROM openedx_attempt o JOIN proctoring_event e ON e.attempt_id = o.attempt_id
                        WHERE e.severity = 'VIOLATION' AND o.acs_url IS NOT NULL AND 'flag' = ANY (o.acs_actions)
                        ON CONFLICT (openedx_attempt, action, cause) DO NOTHING""").bind("now", now).execute());
    }

    /** A queued action with where it goes. */
    record Due(long id, String action, String reasonCode, Instant incidentTime, BigDecimal severity, int attempts,
               long platformId, String resourceLinkId, String subject, int attemptNumber, String acsUrl) {
    }

    private List<Due> due(int max) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT a.id, a.action, a.reason_code, a.incident_time, a.incident_severity, a.attempts,
                               o.platform_id, o.resource_link_id, o.subject, o.attempt_number, o.acs_url
                        FROM openedx_acs_action a JOIN openedx_attempt o ON o.id = a.openedx_attempt
                        WHERE a.delivered_at IS NULL AND a.next_attempt_at <= :now
                        ORDER BY a.next_attempt_at, a.id LIMIT :max""")
                .bind("now", Timestamp.from(clock.instant())).bind("max", max)
                .map((rs, ctx) -> new Due(rs.getLong("id"), rs.getString("action"), rs.getString("reason_code"),
                        rs.getTimestamp("incident_time").toInstant(), rs.getBigDecimal("incident_severity"),
                        rs.getInt("attempts"), rs.getLong("platform_id"), rs.getString("resource_link_id"),
                        rs.getString("subject"), rs.getInt("attempt_number"), rs.getString("acs_url")))
                .list());
    }

    /** The JSON body edx-exams' acs view reads. */
    static Map<String, Object> body(Due d) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", Map.of("sub", d.subject()));
        body.put("resource_link", Map.of("id", d.resourceLinkId()));
        body.put("attempt_number", d.attemptNumber());
        body.put("action", d.action());
        body.put("reason_code", d.reasonCode());
        body.put("incident_time", d.incidentTime().toString());
        body.put("incident_severity", d.severity());
        return body;
    }

    private boolean deliver(Due d) {
        Instant now = clock.instant();
        Optional<Platform> platform = platforms.byId(d.platformId());
        if (platform.isEmpty() || !platform.get().enabled()) {
            return failed(d, null, "platform " + d.platformId() + " is not registered or disabled", now);
        }
        AccessToken token = null;
        try {
            token = tokens.token(platform.get(), Set.of(SCOPE));
            HttpRequest request = HttpRequest.newBuilder(URI.create(d.acsUrl())).timeout(timeout)
                    .header("Authorization", "Bearer " + token.value())
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body(d)))).build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 == 2) {
                jdbi.useHandle(h -> h.createUpdate("""
                                UPDATE openedx_acs_action SET delivered_at = :now, attempts = attempts + 1, last_status = :status,
                                    last_error = NULL WHERE id = :id""")
                        .bind("now", Timestamp.from(now)).bind("status", r.statusCode()).bind("id", d.id()).execute());
                log.info("ACS {} delivered: platform={} link={} attempt_number={} status={}", d.action(), d.platformId(),
                        d.resourceLinkId(), d.attemptNumber(), r.statusCode());
                return true;
            }
            if (r.statusCode() == 401) {
                tokens.invalidate(platform.get(), Set.of(SCOPE), token);
            }
            String excerpt = r.body() == null ? "" : r.body().strip();
            return failed(d, r.statusCode(), "HTTP " + r.statusCode()
                    + (excerpt.isEmpty() ? "" : ": " + excerpt.substring(0, Math.min(200, excerpt.length()))), now);
        } catch (IOException e) {
            return failed(d, null, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), now);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(d, null, "interrupted", now);
        } catch (RuntimeException e) {
            return failed(d, null, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), now);
        }
    }

    private boolean failed(Due d, Integer status, String error, Instant now) {
        int tries = d.attempts() + 1;
        Instant next = now.plus(backoff(tries));
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE openedx_acs_action SET attempts = :tries, next_attempt_at = :next, last_status = :status,
                            last_error = :error WHERE id = :id""")
                .bind("tries", tries).bind("next", Timestamp.from(next)).bind("status", status)
                .bind("error", error.length() > 500 ? error.substring(0, 500) : error).bind("id", d.id()).execute());
        log.warn("ACS {} to platform {} failed (try {}), next try at {}: {}", d.action(), d.platformId(), tries, next, error);
        return false;
    }

    /** 30 s, 1 min, 2 min, … at most an hour. */
    static Duration backoff(int tries) {
        Duration d = FIRST_BACKOFF.multipliedBy(1L << Math.min(Math.max(tries - 1, 0), 20));
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    /** The actions of an Open edX attempt (for the API and tests): action, cause, delivered or the last error. */
    public record Action(long id, String action, String cause, int attempts, Optional<Instant> deliveredAt,
                         Optional<String> lastError, Instant nextAttemptAt) {
    }

    public List<Action> actionsOf(String openedxAttemptId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM openedx_acs_action WHERE openedx_attempt = :o ORDER BY id")
                .bind("o", openedxAttemptId)
                .map((rs, ctx) -> new Action(rs.getLong("id"), rs.getString("action"), rs.getString("cause"),
                        rs.getInt("attempts"), Optional.ofNullable(rs.getTimestamp("delivered_at")).map(Timestamp::toInstant),
                        Optional.ofNullable(rs.getString("last_error")), rs.getTimestamp("next_attempt_at").toInstant()))
                .list());
    }
}
