package kz.qatysu.tool.web;

import io.javalin.http.Context;

import java.util.Locale;

/**
 * Adds a W3C {@code Server-Timing: app;dur=<ms>} header to API answers: the time from the first before-handler to
 * the last after-handler (routing, authentication, JSON, the transaction), without the network. Benchmarks and
 * operators read it to tell server time from round trip. Only on {@code /api/} paths: pages need not show it.
 */
public final class ServerTiming {
    private static final String STARTED = "qatysu.serverTiming.started";

    public void start(Context ctx) {
        ctx.attribute(STARTED, System.nanoTime());
    }

    public void finish(Context ctx) {
        Long started = ctx.attribute(STARTED);
        if (started != null && ctx.path().startsWith("/api/")) {
            double ms = (System.nanoTime() - started) / 1_000_000.0;
            ctx.header("Server-Timing", String.format(Locale.ROOT, "app;dur=%.2f", ms));
        }
    }
}
