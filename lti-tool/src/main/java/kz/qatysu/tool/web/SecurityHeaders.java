package kz.qatysu.tool.web;

import io.javalin.http.Context;
import kz.qatysu.tool.lti.platforms.PlatformService;

/**
 * Headers on every response. Pages may be framed only by registered platforms (the LMS that embeds the tool),
 * never by anyone else (clickjacking).
 */
public final class SecurityHeaders {
    private final PlatformService platforms;

    public SecurityHeaders(PlatformService platforms) {
        this.platforms = platforms;
    }

    public void apply(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "strict-origin-when-cross-origin");
        if (!ctx.path().startsWith("/api/") && !ctx.path().startsWith("/.well-known/")) {
            StringBuilder ancestors = new StringBuilder("frame-ancestors 'self'");
            for (String origin : platforms.enabledOrigins()) {
                ancestors.append(' ').append(origin);
            }
            ctx.header("Content-Security-Policy", ancestors + "; object-src 'none'; base-uri 'self'");
        }
    }
}
