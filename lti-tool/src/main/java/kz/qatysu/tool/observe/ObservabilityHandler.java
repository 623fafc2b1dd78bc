package kz.qatysu.tool.observe;

import io.javalin.http.Context;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.Scope;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /health} (liveness: the process serves HTTP; no database), {@code GET /ready} (readiness, see
 * {@link Readiness}: 200 or 503 with each component's status) — both unauthenticated and without details — and
 * {@code GET /metrics} (Prometheus; a bearer API token with the scope {@code metrics}, or the administrator's).
 */
public final class ObservabilityHandler {
    private final ToolMetrics metrics;
    private final Readiness readiness;
    private final ApiAuth auth;

    public ObservabilityHandler(ToolMetrics metrics, Readiness readiness, ApiAuth auth) {
        this.metrics = metrics;
        this.readiness = readiness;
        this.auth = auth;
    }

    public void health(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.json(Map.of("status", "ok"));
    }

    public void ready(Context ctx) {
        Map<String, String> components = readiness.check();
        Map<String, Object> body = new LinkedHashMap<>();
        boolean ready = Readiness.ready(components);
        body.put("status", ready ? "ready" : "not ready");
        body.put("components", components);
        ctx.header("Cache-Control", "no-store");
        ctx.status(ready ? 200 : 503).json(body);
    }

    public void metrics(Context ctx) {
        auth.require(ctx, Scope.METRICS);
        ctx.header("Cache-Control", "no-store");
        ctx.contentType(metrics.contentType()).result(metrics.scrape());
    }
}
