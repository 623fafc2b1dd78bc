package kz.qatysu.tool.lti.advantage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kz.qatysu.tool.lti.platforms.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * One authorized call to an Advantage service: gets the bearer token, sends with the exact media types, and
 * retries once with a new token when the platform answers 401 (the cached token may have been revoked, or the
 * platform restarted and forgot it). Status handling is left to the caller.
 */
final class ServiceClient {
    private static final Logger log = LoggerFactory.getLogger(ServiceClient.class);

    private final HttpClient http;
    private final ServiceTokens tokens;
    private final Duration requestTimeout;
    private final ObjectMapper json = new ObjectMapper();

    ServiceClient(HttpClient http, ServiceTokens tokens, Duration requestTimeout) {
        this.http = Objects.requireNonNull(http, "http");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** The answer of a service: status, headers, raw body and (when it is JSON) the parsed body. */
    record Reply(URI url, int status, HttpHeaders headers, String body, JsonNode json) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * Sends one request. {@code contentType}/{@code body} are null for GET; {@code accept} may be null. Answers of any status come back as a
     * {@link Reply}; no answer at all (timeout, connection) is an {@link AdvantageException}.
     */
    Reply send(Platform platform, Set<String> scopes, String operation, String method, URI url,
               String accept, String contentType, String body) {
        AccessToken token = tokens.token(platform, scopes);
        Reply reply = sendOnce(platform, operation, method, url, accept, contentType, body, token);
        if (reply.status() == 401) {
            log.info("Platform {}: {} {} answered 401; requesting a new token and retrying once",
                    platform.id(), operation, url);
            tokens.invalidate(platform, scopes, token);
            reply = sendOnce(platform, operation, method, url, accept, contentType, body, tokens.token(platform, scopes));
        }
        return reply;
    }

    /** Like {@link #send} but anything other than a 2xx is an {@link AdvantageException}. */
    Reply expectOk(Platform platform, Set<String> scopes, String operation, String method, URI url,
                   String accept, String contentType, String body) {
        Reply reply = send(platform, scopes, operation, method, url, accept, contentType, body);
        if (!reply.ok()) {
            throw AdvantageException.http(platform, operation, url, reply.status(), errorValue(reply.json()));
        }
        return reply;
    }

    String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    ObjectMapper json() {
        return json;
    }

    private Reply sendOnce(Platform platform, String operation, String method, URI url, String accept,
                           String contentType, String body, AccessToken token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url)
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + token.value());
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw AdvantageException.noAnswer(platform, operation, url, "no answer within " + requestTimeout, e);
        } catch (IOException e) {
            throw AdvantageException.noAnswer(platform, operation, url, e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AdvantageException.noAnswer(platform, operation, url, "interrupted", e);
        }
        return new Reply(url, response.statusCode(), response.headers(), response.body(), parse(response.body()));
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The platform's error value: OAuth's {@code error} (a string, or an object with a message), else Moodle's
     * service {@code reason}; {@code null} when the body is not a JSON object.
     */
    static String errorValue(JsonNode body) {
        if (body == null || !body.isObject()) {
            return null;
        }
        JsonNode error = body.get("error");
        if (error != null && error.isTextual()) {
            return error.asText();
        }
        if (error != null && error.isObject() && error.hasNonNull("message")) {
            return error.get("message").asText();
        }
        JsonNode reason = body.get("reason");
        return reason != null && reason.isTextual() ? reason.asText() : null;
    }
}
