package kz.qatysu.tool.util;

import java.time.Duration;

/** Set-Cookie values for a tool that lives in a third-party iframe. */
public final class Cookies {
    private Cookies() {
    }

    /**
     * A cookie sent on cross-site requests (the platform's auto-POST of the id_token) and kept inside an LMS iframe:
     * {@code SameSite=None} requires {@code Secure}, and {@code Partitioned} (CHIPS) keeps it in the embedding
     * site's partition where third-party cookies are otherwise blocked. Browsers accept Secure cookies on
     * http://localhost, so the same flags work in the demo.
     */
    public static String crossSite(String name, String value, String path, Duration maxAge, boolean secure) {
        StringBuilder sb = new StringBuilder(160).append(name).append('=').append(value)
                .append("; Path=").append(path)
                .append("; Max-Age=").append(maxAge.toSeconds())
                .append("; HttpOnly");
        if (secure) {
            sb.append("; Secure; SameSite=None; Partitioned");
        } else {
            sb.append("; SameSite=Lax");
        }
        return sb.toString();
    }
}
