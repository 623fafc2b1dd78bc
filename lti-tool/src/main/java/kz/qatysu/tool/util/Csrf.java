package kz.qatysu.tool.util;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * CSRF tokens derived from a cookie secret: the form carries {@code HMAC(secret, purpose)}, so a page on another
 * site can neither read nor forge it, and the secret itself never appears in HTML.
 */
public final class Csrf {
    private Csrf() {
    }

    public static String tokenFor(String secret, String purpose) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                Tokens.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), purpose.getBytes(StandardCharsets.UTF_8)));
    }

    /** True when {@code given} is the token of {@code secret} for {@code purpose}; false when either is missing. */
    public static boolean matches(String secret, String purpose, String given) {
        if (secret == null || secret.isBlank() || given == null) {
            return false;
        }
        return MessageDigest.isEqual(tokenFor(secret, purpose).getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
