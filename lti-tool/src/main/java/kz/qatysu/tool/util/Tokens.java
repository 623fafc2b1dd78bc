package kz.qatysu.tool.util;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Random identifiers, hashes and MACs for states, nonces, session ids, CSRF and check-in codes and API tokens. */
public final class Tokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    /** {@code bytes} random bytes, base64url without padding. */
    public static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static String sha256Hex(String value) {
        return HexFormat.of().formatHex(sha256(value));
    }

    public static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A short, URL-safe key derived from {@code value} (not secret: used to name cookies and paths). */
    public static String shortKey(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(value)).substring(0, 12)
                .replace('-', 'x').replace('_', 'y');
    }

    /**
     * HMAC-SHA256 (RFC 2104) of the {@code parts} joined, under {@code key}: the one place the tool's MACs are made
     * (signed OIDC states, CSRF tokens, check-in codes, S3 request signatures). Compare results with
     * {@link MessageDigest#isEqual} (constant time), never {@code equals}.
     */
    public static byte[] hmacSha256(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
