package kz.qatysu.tool.lti.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.ApiCaller;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.InputProblems;
import kz.qatysu.tool.api.InputText;
import kz.qatysu.tool.api.Scope;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/admin/platforms}: the administrator's REST API for LTI registrations (qatysu-api.md). */
public final class PlatformsApi {
    private final PlatformService platforms;
    private final ApiAuth auth;
    private final ObjectMapper json;

    public PlatformsApi(PlatformService platforms, ApiAuth auth, ObjectMapper json) {
        this.platforms = platforms;
        this.auth = auth;
        this.json = json;
    }

    public void list(Context ctx) {
        auth.require(ctx, Scope.ADMIN);
        ctx.json(platforms.list().stream().map(PlatformsApi::view).toList());
    }

    public void get(Context ctx) {
        auth.require(ctx, Scope.ADMIN);
        ctx.json(view(platforms.get(id(ctx))));
    }

    public void create(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        Platform p = platforms.register(input(ctx), caller.name(), "api");
        ctx.status(201).header("Location", "/api/v1/admin/platforms/" + p.id()).json(view(p));
    }

    public void update(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        ctx.json(view(platforms.update(id(ctx), input(ctx), caller.name())));
    }

    public void disable(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        ctx.json(view(platforms.disable(id(ctx), caller.name())));
    }

    public static Map<String, Object> view(Platform p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("issuer", p.issuer());
        m.put("clientId", p.clientId());
        m.put("name", p.name());
        m.put("authLoginUrl", p.authLoginUrl().toString());
        m.put("authTokenUrl", p.authTokenUrl().toString());
        m.put("keySetUrl", p.keySetUrl().toString());
        m.put("deploymentIds", p.deploymentIds());
        m.put("enabled", p.enabled());
        m.put("productFamily", p.productFamily());
        m.put("source", p.source());
        m.put("createdAt", p.createdAt().toString());
        m.put("updatedAt", p.updatedAt().toString());
        return m;
    }

    private static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no platform with id '" + ctx.pathParam("id") + "'");
        }
    }

    /** Reads the JSON body field by field, so a wrong type is reported with its field rather than as a parse error. */
    private PlatformInput input(Context ctx) {
        JsonNode body;
        try {
            body = json.readTree(ctx.bodyAsBytes());
        } catch (Exception e) {
            throw ApiException.badRequest("request body is not JSON", List.of(new ApiException.Detail("", e.getClass().getSimpleName())));
        }
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object", List.of());
        }
        InputText.requireStorable(body);
        InputProblems problems = new InputProblems();
        List<String> deployments = new ArrayList<>();
        JsonNode d = body.get("deploymentIds");
        if (d != null && !d.isNull()) {
            if (!d.isArray()) {
                problems.add("deploymentIds", "must be an array of strings");
            } else {
                for (int i = 0; i < d.size(); i++) {
                    if (d.get(i).isTextual() || d.get(i).isNumber()) {
                        deployments.add(d.get(i).asText());
                    } else {
                        problems.add("deploymentIds[" + i + "]", "must be a string");
                    }
                }
            }
        }
        Boolean enabled = null;
        if (body.has("enabled") && !body.get("enabled").isNull()) {
            if (!body.get("enabled").isBoolean()) {
                problems.add("enabled", "must be true or false");
            } else {
                enabled = body.get("enabled").booleanValue();
            }
        }
        PlatformInput in = new PlatformInput(text(body, "issuer", problems), text(body, "clientId", problems),
                text(body, "name", problems), text(body, "authLoginUrl", problems), text(body, "authTokenUrl", problems),
                text(body, "keySetUrl", problems), deployments, enabled);
        problems.throwIfAny("invalid platform registration");
        return in;
    }

    private static String text(JsonNode body, String field, InputProblems problems) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            problems.add(field, "must be a string");
            return null;
        }
        return n.asText();
    }
}
