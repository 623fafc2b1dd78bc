package kz.qatysu.demo.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks every LTI Advantage service request goes through in Moodle's {@code services.php}, with its error
 * bodies: a request whose {@code Accept} (reads) or {@code Content-Type} (writes) names no handler gets 400
 * "No handler found", a missing, unknown or under-scoped bearer token gets 401 "Unauthorized"
 * (captures {@code advantage_11/12/26_*.json}).
 */
final class ServiceGuard {
    private static final String SERVICES_PREFIX = PlatformUrls.SERVICES;

    private final AccessTokens tokens;
    private final ObjectMapper json = new ObjectMapper();

    ServiceGuard(AccessTokens tokens) {
        this.tokens = tokens;
    }

    /** True when the request's {@code Accept} names {@code mediaType} (or is absent / a wildcard); else answers 400. */
    boolean accepts(Context ctx, String mediaType) throws Exception {
        String accept = ctx.header("Accept");
        if (accept == null || accept.isBlank() || accept.contains(mediaType) || accept.trim().equals("*/*")) {
            return true;
        }
        noHandler(ctx);
        return false;
    }

    /** True when the request body is declared as {@code mediaType}; else answers 400. */
    boolean sends(Context ctx, String mediaType) throws Exception {
        String contentType = ctx.contentType();
        if (contentType != null && contentType.split(";", 2)[0].trim().equalsIgnoreCase(mediaType)) {
            return true;
        }
        noHandler(ctx);
        return false;
    }

    /** True when the bearer token grants one of {@code scopes}; else answers 401. */
    boolean authorized(Context ctx, List<String> scopes) throws Exception {
        boolean ok = tokens.fromAuthorizationHeader(ctx.header("Authorization"))
                .map(g -> scopes.stream().anyMatch(g::allows))
                .orElse(false);
        if (!ok) {
            error(ctx, 401, "Unauthorized");
        }
        return ok;
    }

    /** A {@code limit} / {@code from} paging parameter: absent = 0, not a non-negative integer = 400. */
    static int paging(Context ctx, String name) {
        int v = ctx.queryParamAsClass(name, Integer.class).getOrDefault(0);
        if (v < 0) {
            throw new BadRequestResponse(name + " must not be negative");
        }
        return v;
    }

    void notFound(Context ctx) throws Exception {
        error(ctx, 404, "Not Found");
    }

    void badRequest(Context ctx, String reason) throws Exception {
        error(ctx, 400, reason);
    }

    private void noHandler(Context ctx) throws Exception {
        String path = ctx.path().startsWith(SERVICES_PREFIX) ? ctx.path().substring(SERVICES_PREFIX.length()) : ctx.path();
        String accept = ctx.header("Accept") == null ? "" : ctx.header("Accept");
        String contentType = ctx.contentType() == null || "GET".equals(ctx.method().name()) ? "" : ctx.contentType();
        error(ctx, 400, "No handler found for " + path + " " + accept + " " + contentType);
    }

    private void error(Context ctx, int status, String reason) throws Exception {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("method", ctx.method().name());
        request.put("url", ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString()));
        request.put("accept", ctx.header("Accept") == null ? "" : ctx.header("Accept"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("reason", reason);
        body.put("request", request);
        ctx.status(status).contentType("application/json; charset=utf-8").result(json.writeValueAsString(body));
    }
}
