package kz.qatysu.tool.lti.jwks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import kz.qatysu.tool.lti.LtiException;
import kz.qatysu.tool.lti.LtiFailure;
import kz.qatysu.tool.lti.platforms.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Platform public keys by {@code kid}, from each platform's JWKS URL: cached, fetched again once when a token names
 * a kid the cache does not know (key rotation on the platform), never more often than {@code minRefetch} per
 * platform, and with timeouts. A key set that cannot be fetched fails the launch closed (503), never open.
 * JWKs without {@code alg} (Open edX publishes none) are taken as RS256; non-RSA keys are ignored.
 */
public final class PlatformKeySets {
    private static final Logger log = LoggerFactory.getLogger(PlatformKeySets.class);

    private final HttpClient http;
    private final Clock clock;
    private final Duration ttl;
    private final Duration minRefetch;
    private final Duration timeout;
    private final Map<Long, Cached> cache = new ConcurrentHashMap<>();

    public PlatformKeySets(HttpClient http, Clock clock, Duration ttl, Duration minRefetch, Duration timeout) {
        this.http = http;
        this.clock = clock;
        this.ttl = ttl;
        this.minRefetch = minRefetch;
        this.timeout = timeout;
    }

    /** The verifier for {@code kid} of {@code platform}, or a refusal naming why there is none. */
    public RSASSAVerifier verifier(Platform platform, String kid) {
        Cached cached = cache.get(platform.id());
        Instant now = clock.instant();
        if (cached == null || !cached.url.equals(platform.keySetUrl()) || cached.fetchedAt.plus(ttl).isBefore(now)) {
            cached = refresh(platform, cached);
        }
        RSASSAVerifier verifier = cached.verifiers.get(kid);
        if (verifier == null && cached.fetchedAt.plus(minRefetch).isBefore(now)) {
            // An unknown kid may be a key the platform rotated in since we cached: fetch once more.
            cached = refresh(platform, cached);
            verifier = cached.verifiers.get(kid);
        }
        if (verifier == null) {
            throw new LtiException(LtiFailure.UNKNOWN_KID, "kid '" + kid + "' is not in the key set of platform "
                    + platform.id() + " (" + platform.keySetUrl() + ")");
        }
        return verifier;
    }

    public void forget(long platformId) {
        cache.remove(platformId);
    }

    private Cached refresh(Platform platform, Cached previous) {
        synchronized (lockFor(platform.id())) {
            Cached again = cache.get(platform.id());
            if (again != null && again != previous && again.url.equals(platform.keySetUrl())) {
                return again; // another request refreshed it while we waited
            }
            Cached fresh = fetch(platform);
            cache.put(platform.id(), fresh);
            return fresh;
        }
    }

    private final Map<Long, Object> locks = new ConcurrentHashMap<>();

    private Object lockFor(long platformId) {
        return locks.computeIfAbsent(platformId, id -> new Object());
    }

    private Cached fetch(Platform platform) {
        URI url = platform.keySetUrl();
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(url).timeout(timeout)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unavailable(platform, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(platform, "interrupted");
        }
        if (response.statusCode() != 200) {
            throw unavailable(platform, "HTTP " + response.statusCode());
        }
        JWKSet set;
        try {
            set = JWKSet.parse(response.body());
        } catch (ParseException e) {
            throw unavailable(platform, "not a JWK set: " + e.getMessage());
        }
        Map<String, RSASSAVerifier> verifiers = new ConcurrentHashMap<>();
        for (JWK jwk : set.getKeys()) {
            if (jwk instanceof RSAKey rsa && jwk.getKeyID() != null
                    && (jwk.getAlgorithm() == null || "RS256".equals(jwk.getAlgorithm().getName()))) {
                try {
                    verifiers.put(jwk.getKeyID(), new RSASSAVerifier(rsa));
                } catch (JOSEException e) {
                    log.warn("platform {}: skipping unusable key {}: {}", platform.id(), jwk.getKeyID(), e.getMessage());
                }
            }
        }
        log.debug("platform {}: fetched {} keys from {}", platform.id(), verifiers.size(), url);
        return new Cached(url, Map.copyOf(verifiers), clock.instant());
    }

    private static LtiException unavailable(Platform platform, String why) {
        log.warn("platform {}: key set {} unavailable: {}", platform.id(), platform.keySetUrl(), why);
        return new LtiException(LtiFailure.JWKS_UNAVAILABLE, "key set " + platform.keySetUrl() + " unavailable: " + why);
    }

    private record Cached(URI url, Map<String, RSASSAVerifier> verifiers, Instant fetchedAt) {
    }
}
