package kz.qatysu.demo.platform;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.javalin.Javalin;

import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tool side of the platform tests: serves a key set at {@code /.well-known/jwks.json} (counting downloads) and
 * signs what a tool signs — client assertions and deep-linking responses. Its key can be rotated.
 */
final class FakeTool implements AutoCloseable {
    private final Javalin app;
    private final AtomicInteger jwksDownloads = new AtomicInteger();
    private volatile RSAKey key = newKey("tool-key-1");

    FakeTool() {
        app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.routes.get("/.well-known/jwks.json", ctx -> {
                jwksDownloads.incrementAndGet();
                ctx.contentType("application/json").result(new JWKSet(key.toPublicJWK()).toString());
            });
        }).start("127.0.0.1", 0);
    }

    String baseUrl() {
        return "http://localhost:" + app.port();
    }

    int jwksDownloads() {
        return jwksDownloads.get();
    }

    RSAKey key() {
        return key;
    }

    void rotateKey(String kid) {
        key = newKey(kid);
    }

    String clientAssertion(String clientId, String tokenUrl) {
        return sign(key, new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(tokenUrl)
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString()).build());
    }

    static String sign(RSAKey signingKey, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                    .keyID(signingKey.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(signingKey));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String sign(Map<String, Object> claims) {
        try {
            return sign(key, JWTClaimsSet.parse(claims));
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static RSAKey newKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
