package kz.qatysu.demo.platform;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The platform's RSA signing key, like Moodle's site key pair behind {@code /mod/lti/certs.php}: a 2048-bit key
 * with a 20-hex-digit {@code kid}, generated at start or kept (private part included) in a file under the data
 * directory so that a restarted demo keeps its registration valid.
 */
final class PlatformKey {
    private static final Logger log = LoggerFactory.getLogger(PlatformKey.class);
    static final String FILE_NAME = "platform-key.jwk.json";

    private final RSAKey key;
    private final RSASSASigner signer;
    private final String jwksJson;

    private PlatformKey(RSAKey key) {
        this.key = key;
        try {
            this.signer = new RSASSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("unusable RSA key " + key.getKeyID(), e);
        }
        this.jwksJson = new JWKSet(key.toPublicJWK()).toString(true);
    }

    static PlatformKey generate() {
        return new PlatformKey(newKey());
    }

    /** Reads the key kept in {@code dir}, or generates one and keeps it there (owner-readable only). */
    static PlatformKey loadOrCreate(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                RSAKey key = RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
                if (!key.isPrivate()) {
                    throw new IllegalStateException(file + " holds no private key");
                }
                return new PlatformKey(key);
            }
            Files.createDirectories(dir);
            RSAKey key = newKey();
            Path tmp = Files.createTempFile(dir, "platform-key", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                log.warn("cannot restrict the permissions of {} on this file system", tmp);
            }
            Files.writeString(tmp, key.toJSONString(), StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            log.info("demo platform: new signing key {} kept in {}", key.getKeyID(), file);
            return new PlatformKey(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the demo platform key in " + dir, e);
        } catch (ParseException e) {
            throw new IllegalStateException(file + " is not an RSA JWK: " + e.getMessage(), e);
        }
    }

    private static RSAKey newKey() {
        byte[] kid = new byte[10];
        new SecureRandom().nextBytes(kid);
        try {
            return new RSAKeyGenerator(2048)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyID(HexFormat.of().formatHex(kid))
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }

    String kid() {
        return key.getKeyID();
    }

    RSAKey rsaKey() {
        return key;
    }

    /** The public key set, as {@code /mod/lti/certs.php} serves it. */
    String jwksJson() {
        return jwksJson;
    }

    /** Signs {@code claims} with the header Moodle uses: {@code {"typ":"JWT","alg":"RS256","kid":...}}. */
    String sign(Map<String, Object> claims, String kid) {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(kid).build();
        try {
            SignedJWT jwt = new SignedJWT(header, JWTClaimsSet.parse(claims));
            jwt.sign(signer);
            return jwt.serialize();
        } catch (ParseException e) {
            throw new IllegalArgumentException("claims cannot form a JWT: " + e.getMessage(), e);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }
}
