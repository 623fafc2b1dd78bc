package kz.qatysu.tool.lti.keys;

import io.javalin.http.Context;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.Scope;

import java.util.Map;

/** {@code GET /.well-known/jwks.json} (public) and {@code POST /api/v1/admin/keys/rotate} (administrator). */
public final class KeysApi {
    private final ToolKeys keys;
    private final ApiAuth auth;

    public KeysApi(ToolKeys keys, ApiAuth auth) {
        this.keys = keys;
        this.auth = auth;
    }

    public void jwks(Context ctx) {
        ctx.header("Cache-Control", "public, max-age=300");
        ctx.contentType("application/json").result(keys.publicJwks().toString(true));
    }

    public void rotate(Context ctx) {
        auth.require(ctx, Scope.ADMIN);
        String kid = keys.rotate();
        ctx.json(Map.of("kid", kid, "published", keys.publicJwks().getKeys().size()));
    }
}
