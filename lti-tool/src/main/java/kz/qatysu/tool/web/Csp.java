package kz.qatysu.tool.web;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The Content-Security-Policy nonce of the request being handled. {@link SecurityHeaders} draws a fresh one before
 * every request and puts it in the header; templates write it on each of their own {@code <script>} and
 * {@code <style>} elements ({@code nonce="${Csp.nonce()}"}), so the browser runs only those — never markup that
 * reached a page some other way. Held per thread: Javalin runs a request's filters, handler and rendering on one.
 */
public final class Csp {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private Csp() {
    }

    /** The current request's nonce, or "" outside a request (a page rendered then runs no script under any CSP). */
    public static String nonce() {
        String n = CURRENT.get();
        return n == null ? "" : n;
    }

    /** Draws the nonce for the request starting on this thread. */
    static String next() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        String n = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        CURRENT.set(n);
        return n;
    }

    static void clear() {
        CURRENT.remove();
    }

    /**
     * The policy of every HTML page: only the tool's own resources and its nonce'd inline scripts and styles; no
     * plugins; {@code frameAncestors} decides who may frame the page.
     */
    public static String policy(String nonce, String frameAncestors) {
        return "default-src 'self'; script-src 'self' 'nonce-" + nonce + "'; style-src 'self' 'nonce-" + nonce + "'; "
                + "img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors " + frameAncestors;
    }
}
