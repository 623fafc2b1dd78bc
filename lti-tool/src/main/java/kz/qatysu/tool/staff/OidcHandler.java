package kz.qatysu.tool.staff;

import com.nimbusds.jwt.JWTClaimsSet;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import kz.qatysu.tool.util.Tokens;
import kz.qatysu.tool.util.Utc;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Staff sign-in through the university's OpenID Connect provider: {@code GET /admin/oidc/start} sends the browser to
 * the provider with a fresh state, nonce and PKCE verifier (kept server-side, bound to this browser by a cookie);
 * {@code GET /admin/oidc/callback} spends the state, exchanges the code, validates the id_token
 * ({@link OidcClient}), maps {@code oidc.personClaim} to the person id and opens a staff session when that person
 * holds a role. Answers 404 while {@code oidc.issuer} is not configured.
 */
public final class OidcHandler {
    private static final Logger log = LoggerFactory.getLogger(OidcHandler.class);
    static final String COOKIE = "qatysu_oidc";
    static final Duration LIFETIME = Duration.ofMinutes(10);

    private final Optional<OidcClient> client;
    private final Jdbi jdbi;
    private final StaffDirectory directory;
    private final StaffHandler staff;
    private final URI redirectUri;
    private final Clock clock;
    private final boolean secureCookies;

    public OidcHandler(Optional<OidcClient> client, Jdbi jdbi, StaffDirectory directory, StaffHandler staff, URI publicUrl,
                       Clock clock, boolean secureCookies) {
        this.client = client;
        this.jdbi = jdbi;
        this.directory = directory;
        this.staff = staff;
        this.redirectUri = publicUrl.resolve("/admin/oidc/callback");
        this.clock = clock;
        this.secureCookies = secureCookies;
    }

    public boolean enabled() {
        return client.isPresent();
    }

    public void start(Context ctx) {
        OidcClient c = client.orElseThrow(() -> new NotFoundResponse("OpenID Connect sign-in is not configured (oidc.issuer)"));
        OidcClient.Provider p = provider(c);
        String state = Tokens.random(32);
        String nonce = Tokens.random(32);
        String verifier = Tokens.random(48);
        String browser = Tokens.random(32);
        jdbi.useHandle(h -> {
            h.createUpdate("DELETE FROM oidc_login WHERE expires_at <= :now").bind("now", Utc.of(clock.instant())).execute();
            h.createUpdate("""
                            INSERT INTO oidc_login (state_hash, browser_hash, nonce, verifier, expires_at)
                            VALUES (:state, :browser, :nonce, :verifier, :expires)""")
                    .bind("state", Tokens.sha256Hex(state)).bind("browser", Tokens.sha256Hex(browser)).bind("nonce", nonce)
                    .bind("verifier", verifier).bind("expires", Utc.of(clock.instant().plus(LIFETIME))).execute();
        });
        ctx.res().addHeader("Set-Cookie", cookie(browser, LIFETIME));
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(c.authorizationRequest(p, redirectUri, state, nonce, verifier).toString(), HttpStatus.SEE_OTHER);
    }

    public void callback(Context ctx) {
        OidcClient c = client.orElseThrow(() -> new NotFoundResponse("OpenID Connect sign-in is not configured (oidc.issuer)"));
        String stateParam = ctx.queryParam("state");
        Optional<Map<String, String>> login = stateParam == null || stateParam.isBlank() ? Optional.empty()
                : jdbi.withHandle(h -> h.createQuery("""
                                DELETE FROM oidc_login WHERE state_hash = :state AND expires_at > :now
                                RETURNING browser_hash, nonce, verifier""")
                        .bind("state", Tokens.sha256Hex(stateParam)).bind("now", Utc.of(clock.instant()))
                        .map((rs, x) -> Map.of("browser", rs.getString(1), "nonce", rs.getString(2), "verifier", rs.getString(3)))
                        .findOne());
        ctx.res().addHeader("Set-Cookie", cookie("", Duration.ZERO));
        if (ctx.queryParam("error") != null) {
            log.warn("OpenID Connect sign-in refused by the provider: {}", ctx.queryParam("error"));
            throw new ForbiddenResponse("the sign-in provider refused the sign-in: " + ctx.queryParam("error"));
        }
        if (login.isEmpty()) {
            log.warn("OpenID Connect callback with an unknown, expired or spent state");
            throw new BadRequestResponse("this sign-in is unknown, expired or already used: start again at /admin");
        }
        String browser = ctx.cookie(COOKIE);
        if (browser == null || !MessageDigest.isEqual(Tokens.sha256Hex(browser).getBytes(StandardCharsets.US_ASCII),
                login.get().get("browser").getBytes(StandardCharsets.US_ASCII))) {
            log.warn("OpenID Connect callback in another browser than the one that started the sign-in");
            throw new ForbiddenResponse("this sign-in was started in another browser: start again at /admin");
        }
        String code = ctx.queryParam("code");
        if (code == null || code.isBlank()) {
            throw new BadRequestResponse("the provider sent no authorization code");
        }
        JWTClaimsSet claims;
        try {
            claims = c.exchange(provider(c), code, redirectUri, login.get().get("verifier"), login.get().get("nonce"));
        } catch (OidcClient.Refused e) {
            log.warn("OpenID Connect sign-in refused: {}", e.getMessage());
            throw new ForbiddenResponse("sign-in refused: " + e.getMessage());
        }
        Object claim = claims.getClaim(c.settings().personClaim());
        if (!(claim instanceof String personId) || personId.isBlank()) {
            log.warn("OpenID Connect sign-in of sub {}: no {} claim", claims.getSubject(), c.settings().personClaim());
            throw new ForbiddenResponse("the id_token carries no '" + c.settings().personClaim() + "' claim (oidc.personClaim)");
        }
        String name = name(claims);
        StaffPrincipal p = directory.principal(personId, name).orElseThrow(() -> {
            log.info("OpenID Connect sign-in of {}: no staff role", personId);
            return new ForbiddenResponse("no staff role is granted to person '" + personId + "'");
        });
        log.info("staff sign-in by OpenID Connect: {} roles {}", personId, p.roles());
        staff.entered(ctx, p);
    }

    private static OidcClient.Provider provider(OidcClient c) {
        try {
            return c.provider();
        } catch (OidcClient.Refused e) {
            log.warn("OpenID Connect provider unusable: {}", e.getMessage());
            throw new HttpResponseException(502, "the sign-in provider cannot be used: " + e.getMessage(), Map.of());
        }
    }

    private static String name(JWTClaimsSet claims) {
        Object name = claims.getClaim("name");
        if (name instanceof String n && !n.isBlank()) {
            return n;
        }
        String given = claims.getClaim("given_name") instanceof String g ? g : "";
        String family = claims.getClaim("family_name") instanceof String f ? f : "";
        String joined = (given + " " + family).strip();
        return joined.isEmpty() ? null : joined;
    }

    /** Sent back by the provider's top-level redirect, so SameSite=Lax (Strict would not be), and only to /admin/oidc. */
    private String cookie(String value, Duration maxAge) {
        return COOKIE + "=" + value + "; Path=/admin/oidc; Max-Age=" + maxAge.toSeconds() + "; HttpOnly"
                + (secureCookies ? "; Secure" : "") + "; SameSite=Lax";
    }
}
