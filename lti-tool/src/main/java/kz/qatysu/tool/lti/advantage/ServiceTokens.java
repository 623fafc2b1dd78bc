package kz.qatysu.tool.lti.advantage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import kz.qatysu.tool.lti.keys.ToolKeys;
import kz.qatysu.tool.lti.platforms.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

/**
 * Access tokens for the Advantage services: OAuth 2.0 client credentials with a signed JWT as client
 * authentication (RFC 7523 §2.2; 1EdTech Security Framework §4.1). The assertion is RS256, signed with the tool's
 * current key ({@code kid} in the header), {@code iss = sub = client_id}, {@code aud} = the platform's token URL,
 * five minutes of life and a fresh {@code jti}.
 *
 * <p>Tokens are cached per platform and sorted scope set until shortly before {@code expires_in} runs out;
 * callers asking for the same key while a request is in flight wait for that request instead of sending their
 * own. A failed request is not cached: the next caller tries again.
 *
 * <p>Tolerates what real platforms send: Moodle answers with {@code Content-Type: text/html} and
 * {@code token_type: "Bearer"}, Open edX with {@code token_type: "bearer"}.
 */
public final class ServiceTokens {
    public static final String CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(5);
    /** Refresh this long before the platform's expiry (or at half the lifetime, for very short-lived tokens). */
    static final Duration REFRESH_MARGIN = Duration.ofSeconds(60);
    /** When a platform omits {@code expires_in}: reuse the token no longer than this. */
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
    private static final String OPERATION = "token request";
    private static final Logger log = LoggerFactory.getLogger(ServiceTokens.class);

    private final HttpClient http;
    private final ToolKeys keys;
    private final Clock clock;
    private final Duration requestTimeout;
    private final ObjectMapper json = new ObjectMapper();
    private final ConcurrentMap<Key, CompletableFuture<AccessToken>> tokens = new ConcurrentHashMap<>();

    /**
     * @param http           the client to call token endpoints with (its connect timeout applies)
     * @param requestTimeout how long to wait for a token endpoint's answer
     */
    public ServiceTokens(HttpClient http, ToolKeys keys, Clock clock, Duration requestTimeout) {
        this.http = Objects.requireNonNull(http, "http");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** A token for these scopes at this platform: cached, shared with concurrent callers, or freshly requested. */
    public AccessToken token(Platform platform, Collection<String> scopes) {
        Key key = Key.of(platform, scopes);
        while (true) {
            CompletableFuture<AccessToken> existing = tokens.get(key);
            if (existing != null) {
                AccessToken token = awaitShared(existing);
                if (token != null && token.usableAt(clock.instant())) {
                    return token;
                }
                tokens.remove(key, existing);
                continue;
            }
            CompletableFuture<AccessToken> mine = new CompletableFuture<>();
            if (tokens.putIfAbsent(key, mine) != null) {
                continue;
            }
            try {
                AccessToken token = request(platform, key.scopes());
                mine.complete(token);
                return token;
            } catch (RuntimeException | Error e) {
                // complete even on an Error, or the callers waiting on this request would wait forever
                tokens.remove(key, mine);
                mine.completeExceptionally(e);
                throw e;
            }
        }
    }

    /**
     * Forgets {@code token} (e.g. after a service answered 401 with it), so the next call requests a new one.
     * A newer token cached meanwhile by another caller is kept.
     */
    public void invalidate(Platform platform, Collection<String> scopes, AccessToken token) {
        Key key = Key.of(platform, scopes);
        CompletableFuture<AccessToken> cached = tokens.get(key);
        if (cached != null && cached.isDone() && !cached.isCompletedExceptionally() && cached.join() == token) {
            tokens.remove(key, cached);
        }
    }

    /** Waits for a request another caller started; {@code null} when it failed before this caller joined. */
    private static AccessToken awaitShared(CompletableFuture<AccessToken> future) {
        boolean doneBefore = future.isDone();
        try {
            return future.join();
        } catch (CompletionException | CancellationException e) {
            if (doneBefore) {
                return null; // a stale failure: the owner is removing it; try again
            }
            if (e.getCause() instanceof AdvantageException ae) {
                throw ae; // the request we waited for failed: same answer for everyone who waited
            }
            throw e;
        }
    }

    private AccessToken request(Platform platform, List<String> scopes) {
        URI tokenUrl = platform.authTokenUrl();
        if (tokenUrl == null) {
            throw AdvantageException.badAnswer(platform, OPERATION, URI.create(""), 0, "the platform has no token URL");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_assertion_type", CLIENT_ASSERTION_TYPE);
        form.put("client_assertion", assertion(platform, tokenUrl));
        form.put("scope", String.join(" ", scopes));
        HttpRequest request = HttpRequest.newBuilder(tokenUrl)
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(form)))
                .build();
        Instant sentAt = clock.instant();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw AdvantageException.noAnswer(platform, OPERATION, tokenUrl, "no answer within " + requestTimeout, e);
        } catch (IOException e) {
            throw AdvantageException.noAnswer(platform, OPERATION, tokenUrl, e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AdvantageException.noAnswer(platform, OPERATION, tokenUrl, "interrupted", e);
        }
        JsonNode body = parse(response.body());
        int status = response.statusCode();
        if (status != 200) {
            throw AdvantageException.http(platform, OPERATION, tokenUrl, status, ServiceClient.errorValue(body));
        }
        if (body == null || !body.isObject()) {
            throw AdvantageException.badAnswer(platform, OPERATION, tokenUrl, status, "the answer is not a JSON object ("
                    + response.headers().firstValue("Content-Type").orElse("no content type") + ")");
        }
        String value = body.path("access_token").asText("");
        if (value.isBlank()) {
            throw AdvantageException.badAnswer(platform, OPERATION, tokenUrl, status, "no access_token in the answer");
        }
        String type = body.path("token_type").asText("");
        if (!type.equalsIgnoreCase("bearer")) {
            throw AdvantageException.badAnswer(platform, OPERATION, tokenUrl, status,
                    "token_type \"" + type + "\" is not a bearer token");
        }
        Duration lifetime = body.path("expires_in").canConvertToLong() && body.path("expires_in").asLong() > 0
                ? Duration.ofSeconds(body.path("expires_in").asLong())
                : DEFAULT_LIFETIME;
        Duration margin = lifetime.dividedBy(2).compareTo(REFRESH_MARGIN) < 0 ? lifetime.dividedBy(2) : REFRESH_MARGIN;
        Set<String> granted = body.hasNonNull("scope")
                ? new LinkedHashSet<>(Arrays.asList(body.path("scope").asText().trim().split("\\s+")))
                : new LinkedHashSet<>(scopes);
        granted.remove("");
        log.debug("Platform {}: token for {} granted {}, valid {}", platform.id(), scopes, granted, lifetime);
        return new AccessToken(value, granted, sentAt.plus(lifetime).minus(margin));
    }

    /** RFC 7523 §3 client assertion. */
    private String assertion(Platform platform, URI tokenUrl) {
        RSAKey key = keys.signingKey();
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(platform.clientId())
                .subject(platform.clientId())
                .audience(tokenUrl.toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ASSERTION_LIFETIME)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        return kz.qatysu.tool.lti.keys.ToolJwt.sign(key, claims, "the client assertion");
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

    private static String formEncode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** Cache key: a platform's token endpoint and client, and the sorted scope set. */
    private record Key(long platformId, String clientId, URI tokenUrl, List<String> scopes) {
        static Key of(Platform platform, Collection<String> scopes) {
            if (scopes.isEmpty()) {
                throw new IllegalArgumentException("a token needs at least one scope");
            }
            return new Key(platform.id(), platform.clientId(), platform.authTokenUrl(), List.copyOf(new TreeSet<>(scopes)));
        }
    }
}
