package kz.qatysu.tool.api;

import io.javalin.http.Context;
import kz.qatysu.config.Secret;
import kz.qatysu.tool.util.Tokens;
import org.jdbi.v3.core.Jdbi;

import java.sql.Array;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer-token authentication of {@code /api/v1}: no or wrong token → 401, a token without the scope → 403.
 * Issued tokens are stored as SHA-256 hashes only; neither kind is ever logged.
 */
public final class ApiAuth {
    public static final String CALLER = "qatysu.apiCaller";

    private final Optional<Secret> adminToken;
    private final Jdbi jdbi;
    private final ConcurrentHashMap<String, CachedCaller> cache = new ConcurrentHashMap<>();

    public ApiAuth(Optional<Secret> adminToken, Jdbi jdbi) {
        this.adminToken = adminToken;
        this.jdbi = jdbi;
    }

    /** Authenticates the request and checks {@code scope}; stores the caller on the context for audit. */
    public ApiCaller require(Context ctx, Scope scope) {
        ApiCaller caller = authenticate(ctx.header("Authorization"));
        if (!caller.has(scope)) {
            throw new ApiException(403, "this token lacks the scope '" + scope.wire() + "'");
        }
        ctx.attribute(CALLER, caller);
        return caller;
    }

    /** Like {@link #require} for an endpoint open to any of {@code scopes}. */
    public ApiCaller requireAny(Context ctx, Scope... scopes) {
        ApiCaller caller = authenticate(ctx.header("Authorization"));
        if (java.util.Arrays.stream(scopes).noneMatch(caller::has)) {
            throw new ApiException(403, "this token lacks one of the scopes " + java.util.Arrays.stream(scopes)
                    .map(Scope::wire).collect(java.util.stream.Collectors.joining(", ")));
        }
        ctx.attribute(CALLER, caller);
        return caller;
    }

    public ApiCaller authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(401, "missing bearer token");
        }
        String token = authorization.substring(7).trim();
        if (adminToken.isPresent() && adminToken.get().matches(token)) {
            return new ApiCaller("admin", EnumSet.of(Scope.ADMIN));
        }
        String hash = Tokens.sha256Hex(token);
        CachedCaller cached = cache.get(hash);
        if (cached != null && cached.loadedAt > System.nanoTime() - 30_000_000_000L) {
            return cached.caller.orElseThrow(() -> new ApiException(401, "invalid or revoked token"));
        }
        Optional<ApiCaller> caller = jdbi.withHandle(h -> h.createQuery(
                        "SELECT name, scopes, person_id FROM api_token WHERE token_hash = :hash AND revoked_at IS NULL")
                .bind("hash", hash)
                .map((rs, c) -> new ApiCaller(rs.getString("name"), scopes(rs.getArray("scopes")),
                        Optional.ofNullable(rs.getString("person_id"))))
                .findOne());
        cache.put(hash, new CachedCaller(caller, System.nanoTime()));
        return caller.orElseThrow(() -> new ApiException(401, "invalid or revoked token"));
    }

    /** Issues a new token; the plain value is returned once and only its hash is kept. */
    public IssuedToken issue(String name, Set<Scope> scopes) {
        return issue(name, scopes, Optional.empty());
    }

    /** Issues a new token standing for {@code personId} when given (a proctor's own token); see {@link Scope#PROCTOR}. */
    public IssuedToken issue(String name, Set<Scope> scopes, Optional<String> personId) {
        String token = "qat_" + Tokens.random(32);
        long id = jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO api_token (name, token_hash, scopes, person_id) VALUES (:name, :hash, :scopes, :person)
                        RETURNING id""")
                .bind("name", name).bind("hash", Tokens.sha256Hex(token))
                .bind("scopes", scopes.stream().map(Scope::wire).toArray(String[]::new))
                .bind("person", personId.orElse(null))
                .mapTo(Long.class).one());
        return new IssuedToken(id, name, token, List.copyOf(scopes), personId);
    }

    public boolean revoke(long id) {
        cache.clear();
        return jdbi.withHandle(h -> h.createUpdate("UPDATE api_token SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL")
                .bind("id", id).execute()) == 1;
    }

    public boolean adminTokenConfigured() {
        return adminToken.isPresent();
    }

    private static Set<Scope> scopes(Array array) throws java.sql.SQLException {
        EnumSet<Scope> out = EnumSet.noneOf(Scope.class);
        Arrays.stream((String[]) array.getArray()).map(Scope::fromWire).forEach(out::add);
        return out;
    }

    public record IssuedToken(long id, String name, String token, List<Scope> scopes, Optional<String> personId) {
    }

    private record CachedCaller(Optional<ApiCaller> caller, long loadedAt) {
    }
}
