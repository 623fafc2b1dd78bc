package kz.qatysu.tool.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A platform's signing side for tests: an RSA key, its JWKS served over real HTTP on loopback (counting fetches),
 * and signing of arbitrary headers and payloads — including the broken ones the certification suite sends.
 */
public final class TestPlatform implements AutoCloseable {
    public final String issuer;
    public final String clientId;
    public final String deploymentId;
    private final RSAKey key;
    private volatile JWKSet published;
    private final HttpServer server;
    private final AtomicInteger jwksFetches = new AtomicInteger();

    public TestPlatform(String issuer, String clientId, String deploymentId) {
        this.issuer = issuer;
        this.clientId = clientId;
        this.deploymentId = deploymentId;
        this.key = newKey("platform-key-1");
        this.published = new JWKSet(key.toPublicJWK());
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/jwks", ex -> {
            jwksFetches.incrementAndGet();
            byte[] body = published.toString(true).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    public static RSAKey newKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public String keySetUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
    }

    public String authLoginUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/auth";
    }

    public String tokenUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    public RSAKey key() {
        return key;
    }

    public int jwksFetches() {
        return jwksFetches.get();
    }

    /** Publishes another key set (key rotation on the platform side). */
    public void publish(JWKSet set) {
        this.published = set;
    }

    /** The JSON body of {@code POST /api/v1/admin/platforms} for this platform. */
    public String registrationJson() {
        return """
                {"issuer": "%s", "clientId": "%s", "name": "Test platform",
                 "authLoginUrl": "%s", "authTokenUrl": "%s", "keySetUrl": "%s", "deploymentIds": ["%s"]}"""
                .formatted(issuer, clientId, authLoginUrl(), tokenUrl(), keySetUrl(), deploymentId);
    }

    public String sign(Map<String, Object> claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims, key);
    }

    public static String sign(JWSHeader header, Map<String, Object> claims, RSAKey signingKey) {
        try {
            SignedJWT jwt = new SignedJWT(header, JWTClaimsSet.parse(claims));
            jwt.sign(new RSASSASigner(signingKey));
            return jwt.serialize();
        } catch (JOSEException | java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs a raw header JSON (e.g. with no kid, or {@code {}}) over a raw payload, the way the cert suite's bad cases do. */
    public String signRaw(String headerJson, String payloadJson) {
        try {
            Base64URL h = Base64URL.encode(headerJson);
            Base64URL p = Base64URL.encode(payloadJson);
            java.security.Signature s = java.security.Signature.getInstance("SHA256withRSA");
            s.initSign(key.toRSAPrivateKey());
            s.update((h + "." + p).getBytes(StandardCharsets.US_ASCII));
            return h + "." + p + "." + Base64URL.encode(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
