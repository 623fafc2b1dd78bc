package kz.qatysu.tool.admin;

import kz.qatysu.tool.util.Utc;
import io.javalin.http.Context;
import kz.qatysu.config.Secret;
import kz.qatysu.tool.util.Tokens;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Server-side sessions of the administrator web pages. The cookie holds a random secret; the table holds its
 * SHA-256. The cookie is first-party only ({@code SameSite=Strict}, path {@code /admin}), unlike the launch
 * cookies that must live in an LMS iframe. A session lives only as long as the token it was signed in with: the
 * configured admin token as currently configured, or an issued token that has not been revoked. A staff session
 * ({@link #openStaff}) belongs to a person instead of a token and lives while the person keeps a staff role
 * ({@code kz.qatysu.tool.staff}).
 */
public final class AdminSessions {
    public static final String COOKIE = "qatysu_admin";
    public static final Duration LIFETIME = Duration.ofHours(8);
    private static final String SECRET_ATTRIBUTE = "qatysu.adminSecret";

    private final Jdbi jdbi;
    private final Clock clock;
    private final boolean secureCookies;
    /** SHA-256 of the configured admin token, or a value no token hashes to when none is configured. */
    private final String configuredTokenHash;

    public AdminSessions(Jdbi jdbi, Clock clock, boolean secureCookies, Optional<Secret> adminToken) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.secureCookies = secureCookies;
        this.configuredTokenHash = adminToken.map(t -> Tokens.sha256Hex(t.reveal())).orElse("-");
    }

    /** Opens a session for {@code actor}, signed in with {@code token} (only its hash is kept), and sets its cookie. */
    public void open(Context ctx, String actor, String token) {
        String secret = Tokens.random(32);
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO admin_session (id_hash, actor, created_at, expires_at, token_hash)
                        VALUES (:id, :actor, :now, :expires, :token)""")
                .bind("id", Tokens.sha256Hex(secret)).bind("actor", actor).bind("now", Utc.of(clock.instant()))
                .bind("expires", Utc.of(clock.instant().plus(LIFETIME))).bind("token", Tokens.sha256Hex(token)).execute());
        ctx.res().addHeader("Set-Cookie", cookie(COOKIE, secret, LIFETIME, secureCookies));
    }

    /** Opens a session for the staff member {@code personId} (signed in by a launch or OpenID Connect), sets its cookie. */
    public void openStaff(Context ctx, String personId, String displayName) {
        String secret = Tokens.random(32);
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO admin_session (id_hash, actor, created_at, expires_at, person_id, display_name)
                        VALUES (:id, :actor, :now, :expires, :person, :name)""")
                .bind("id", Tokens.sha256Hex(secret)).bind("actor", "staff:" + personId).bind("now", Utc.of(clock.instant()))
                .bind("expires", Utc.of(clock.instant().plus(LIFETIME))).bind("person", personId).bind("name", displayName)
                .execute());
        ctx.res().addHeader("Set-Cookie", cookie(COOKIE, secret, LIFETIME, secureCookies));
    }

    /** The signed-in administrator's session of this request, if any. */
    public Optional<AdminSession> find(Context ctx) {
        String secret = ctx.cookie(COOKIE);
        if (secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        // the token it was signed in with must still be valid: the configured one, or an issued one not revoked;
        // a staff session's person must still hold a role (granted, or ADVISER: some student's adviser)
        Optional<AdminSession> s = jdbi.withHandle(h -> h.createQuery("""
                        SELECT s.actor, s.expires_at, s.person_id, s.display_name FROM admin_session s
                        WHERE s.id_hash = :id AND s.expires_at > :now
                          AND (s.token_hash = :configured OR EXISTS (SELECT 1 FROM api_token t
                               WHERE t.token_hash = s.token_hash AND t.revoked_at IS NULL)
                               OR (s.person_id IS NOT NULL AND s.token_hash IS NULL
                                   AND (EXISTS (SELECT 1 FROM staff_role r WHERE r.person_id = s.person_id)
                                        OR EXISTS (SELECT 1 FROM student_adviser a WHERE a.adviser_id = s.person_id))))""")
                .bind("id", Tokens.sha256Hex(secret)).bind("now", Utc.of(clock.instant())).bind("configured", configuredTokenHash)
                .map((rs, c) -> new AdminSession(rs.getString(1), secret, rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getString(3), rs.getString(4)))
                .findOne());
        s.ifPresent(session -> ctx.attribute(SECRET_ATTRIBUTE, secret));
        return s;
    }

    public void close(Context ctx) {
        String secret = ctx.cookie(COOKIE);
        if (secret != null) {
            jdbi.useHandle(h -> h.createUpdate("DELETE FROM admin_session WHERE id_hash = :id").bind("id", Tokens.sha256Hex(secret)).execute());
        }
        ctx.res().addHeader("Set-Cookie", cookie(COOKIE, "", Duration.ZERO, secureCookies));
    }

    public int deleteExpired() {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM admin_session WHERE expires_at <= :now")
                .bind("now", Utc.of(clock.instant())).execute());
    }

    /** A first-party cookie for {@code /admin}: Secure on https and loopback, never sent by cross-site requests. */
    public static String cookie(String name, String value, Duration maxAge, boolean secure) {
        return name + "=" + value + "; Path=/admin; Max-Age=" + maxAge.toSeconds() + "; HttpOnly"
                + (secure ? "; Secure" : "") + "; SameSite=Strict";
    }


    /**
     * @param secret      the cookie value (CSRF tokens are derived from it; never rendered)
     * @param personId    the staff member of a staff session; null for a session signed in with a token
     * @param displayName the staff member's name as the sign-in gave it (may be null)
     */
    public record AdminSession(String actor, String secret, Instant expiresAt, String personId, String displayName) {
        public boolean isStaff() {
            return personId != null;
        }

        /**
         * Who acts, for audit rows and change sources: {@code staff:<person id> <name>} for a staff member,
         * {@code web:<token name>} for a session signed in with a token.
         */
        public String auditActor() {
            if (!isStaff()) {
                return "web:" + actor;
            }
            return "staff:" + personId + (displayName == null || displayName.isBlank() || displayName.equals(personId) ? "" : " " + displayName);
        }
    }
}
