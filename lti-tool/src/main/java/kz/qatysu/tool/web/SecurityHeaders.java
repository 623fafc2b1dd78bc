package kz.qatysu.tool.web;

import io.javalin.http.Context;
import kz.qatysu.tool.lti.platforms.PlatformService;

/**
 * Headers on every response. Pages may be framed only by registered platforms (the LMS that embeds the tool),
 * never by anyone else (clickjacking); they run only the tool's own scripts and styles, inline ones with the
 * request's nonce ({@link Csp}). Course pages ({@code /app/…}) carry student data: never stored by a cache. When the
 * public URL is https (the tool behind a TLS proxy), every response carries HSTS, so a browser that once reached the
 * tool never again asks for it over plain http.
 */
public final class SecurityHeaders {
    /** One year; no {@code includeSubDomains}: the tool's host decides for itself only. */
    static final String HSTS = "max-age=31536000";

    private final PlatformService platforms;
    private final boolean https;

    public SecurityHeaders(PlatformService platforms) {
        this(platforms, false);
    }

    /** @param https the public URL is https: send {@code Strict-Transport-Security} */
    public SecurityHeaders(PlatformService platforms, boolean https) {
        this.platforms = platforms;
        this.https = https;
    }

    public void apply(Context ctx) {
        String nonce = Csp.next();
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "strict-origin-when-cross-origin");
        if (https) {
            ctx.header("Strict-Transport-Security", HSTS);
        }
        if (!ctx.path().startsWith("/api/") && !ctx.path().startsWith("/.well-known/")) {
            StringBuilder ancestors = new StringBuilder("'self'");
            for (String origin : platforms.enabledOrigins()) {
                ancestors.append(' ').append(origin);
            }
            ctx.header("Content-Security-Policy", Csp.policy(nonce, ancestors.toString()));
        }
        if (ctx.path().startsWith("/app/")) {
            ctx.header("Cache-Control", "no-store");
        }
    }

    /** After the response: the thread may serve another request next. */
    public void clear(Context ctx) {
        Csp.clear();
    }
}
