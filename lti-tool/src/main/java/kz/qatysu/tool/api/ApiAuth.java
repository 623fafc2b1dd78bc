package kz.qatysu.tool.api;

import io.javalin.http.Context;
import kz.qatysu.config.Secret;
import kz.qatysu.tool.util.Tokens;
import org.jdbi.v3.core.Jdbi;

import java.sql.Array;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer-token authentication of {@code /api/v1}: no or wrong token → 401, a token without the scope → 403.
 * Issued tokens are stored as SHA-256 hashes only; neither kind is ever logged.
 *
 * <p>Each node remembers what it read about a token for at most {@link #CACHE_AGE} (one query per token and node
 * in that time, not one per request). A token revoked through one node is refused there at once and by every other
 * node within {@link #CACHE_AGE} (docs/OPERATIONS.md). The memory is bounded: at most {@link #CACHE_ENTRIES} tokens,
 * so a client sending made-up tokens cannot grow it.
 */
public final class ApiAuth {
    public static final String CALLER = "qatysu.apiCaller";
    /** How long a node trusts what it read about a token: the bound on a revocation reaching the other nodes. */
    public static final Duration CACHE_AGE = Duration.ofSeconds(5);
    static final int CACHE_ENTRIES = 10_000;

    private final Optional<Secret> adminToken;
    private final Jdbi jdbi;
    private final int maxEntries;
    private final ConcurrentHashMap<String, CachedCaller> cache = new ConcurrentHashMap<>();

    public ApiAuth(Optional<Secret> adminToken, Jdbi jdbi) {
        this(adminToken, jdbi, CACHE_ENTRIES);
    }

    ApiAuth(Optional<Secret> adminToken, Jdbi jdbi, int maxEntries) {
        this.adminToken = adminToken;
        this.jdbi = jdbi;
        this.maxEntries = maxEntries;
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
        long now = System.nanoTime();
        if (cached != null && now - cached.loadedAt < CACHE_AGE.toNanos()) {
            return cached.caller.orElseThrow(() -> new ApiException(401, "invalid or revoked token"));
        }
        Optional<ApiCaller> caller = jdbi.withHandle(h -> h.createQuery(
                        "SELECT name, scopes, person_id FROM api_token WHERE token_hash = :hash AND revoked_at IS NULL")
                .bind("hash", hash)
                .map((rs, c) -> new ApiCaller(rs.getString("name"), scopes(rs.getArray("scopes")),
                        Optional.ofNullable(rs.getString("person_id"))))
                .findOne());
        if (cache.size() >= maxEntries) {
            cache.values().removeIf(c -> now - c.loadedAt >= CACHE_AGE.toNanos());
            if (cache.size() >= maxEntries) {
                cache.clear(); // all fresh: a flood of made-up tokens; starting over costs one query per real token
            }
        }
        cache.put(hash, new CachedCaller(caller, now));
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

    /** How many tokens this node remembers (for tests). */
    int cachedTokens() {
        return cache.size();
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
