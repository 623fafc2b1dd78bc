package kz.qatysu.demo.platform;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
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

/**
 * The tool's public keys, fetched from its JWKS URL the way Moodle does it ({@code lti_verify_with_keyset}):
 * kept in a cache and downloaded again only when a signature cannot be checked with what is cached (an unknown
 * {@code kid}, or a signature that fails), so key rotation needs no action. Downloads are at most one a second.
 */
final class ToolKeySet {
    private static final Logger log = LoggerFactory.getLogger(ToolKeySet.class);
    private static final Duration MIN_REFETCH_INTERVAL = Duration.ofSeconds(1);

    /** Why a tool's JWT was not accepted; the message is what the platform answers with. */
    static final class VerificationException extends Exception {
        VerificationException(String message) {
            super(message);
        }
    }

    private final URI jwksUrl;
    private final HttpClient http;
    private final Clock clock;
    private volatile JWKSet cached;
    private Instant lastFetch = Instant.EPOCH;

    ToolKeySet(URI jwksUrl, HttpClient http, Clock clock) {
        this.jwksUrl = jwksUrl;
        this.http = http;
        this.clock = clock;
    }

    /** Checks that {@code jwt} is RS256 and signed by a key of the tool's key set. */
    void verify(SignedJWT jwt) throws VerificationException {
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new VerificationException("Algorithm not allowed");
        }
        String kid = jwt.getHeader().getKeyID();
        if (kid == null || kid.isEmpty()) {
            throw new VerificationException("No kid in the JWT header");
        }
        JWKSet keys = cached;
        if (keys != null && verifiesWith(keys, kid, jwt)) {
            return;
        }
        JWKSet fresh = refetch();
        if (fresh == null) {
            throw new VerificationException("Could not fetch the tool key set");
        }
        if (fresh.getKeyByKeyId(kid) == null) {
            throw new VerificationException("No key found for kid " + kid);
        }
        if (!verifiesWith(fresh, kid, jwt)) {
            throw new VerificationException("Signature verification failed");
        }
    }

    private static boolean verifiesWith(JWKSet keys, String kid, SignedJWT jwt) {
        JWK jwk = keys.getKeyByKeyId(kid);
        if (!(jwk instanceof RSAKey rsa)) {
            return false;
        }
        try {
            return jwt.verify(new RSASSAVerifier(rsa));
        } catch (JOSEException e) {
            return false;
        }
    }

    private synchronized JWKSet refetch() {
        Instant now = clock.instant();
        if (cached != null && lastFetch.plus(MIN_REFETCH_INTERVAL).isAfter(now)) {
            return cached;
        }
        lastFetch = now;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(jwksUrl).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").header("User-Agent", "QatysuDemoPlatform/1.0").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                log.warn("tool key set {} answered HTTP {}", jwksUrl, r.statusCode());
                return cached;
            }
            cached = JWKSet.parse(r.body());
            return cached;
        } catch (IOException | ParseException e) {
            log.warn("cannot fetch the tool key set {}: {}", jwksUrl, e.toString());
            return cached;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return cached;
        }
    }
}
