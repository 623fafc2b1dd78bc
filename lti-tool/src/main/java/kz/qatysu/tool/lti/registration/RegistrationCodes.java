package kz.qatysu.tool.lti.registration;

import kz.qatysu.tool.util.Utc;
import kz.qatysu.tool.util.Tokens;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * One-time codes that make a registration URL ({@code /lti/register/<code>}) usable by one platform. Only the
 * SHA-256 of a code is stored; the plain code is shown once, to the administrator who asked for it.
 */
public final class RegistrationCodes {
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(24);
    public static final Duration MIN_LIFETIME = Duration.ofMinutes(5);
    public static final Duration MAX_LIFETIME = Duration.ofDays(30);

    private final Jdbi jdbi;
    private final Clock clock;
    private final URI publicUrl;

    public RegistrationCodes(Jdbi jdbi, Clock clock, URI publicUrl) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.publicUrl = publicUrl;
    }

    /** Issues a code valid for {@code lifetime}; writes the audit row in the same transaction. */
    public IssuedCode issue(String actor, Duration lifetime) {
        if (lifetime.compareTo(MIN_LIFETIME) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("a registration URL must be valid between 5 minutes and 30 days, not " + lifetime);
        }
        String code = Tokens.random(24);
        Instant expiresAt = clock.instant().plus(lifetime);
        String hash = Tokens.sha256Hex(code);
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                            INSERT INTO registration_code (code_hash, created_at, expires_at, created_by)
                            VALUES (:hash, :now, :expires, :actor)""")
                    .bind("hash", hash).bind("now", Utc.of(clock.instant())).bind("expires", Utc.of(expiresAt))
                    .bind("actor", actor).execute();
            h.createUpdate("INSERT INTO admin_audit (actor, action, subject, detail) VALUES (:actor, 'registration.code.issue', :subject, CAST(:detail AS jsonb))")
                    .bind("actor", actor).bind("subject", "registration_code:" + hash.substring(0, 12))
                    .bind("detail", "{\"expiresAt\":\"" + expiresAt + "\"}").execute();
        });
        return new IssuedCode(publicUrl.resolve("/lti/register/" + code), expiresAt);
    }

    /** Refuses a code that is unknown, used or expired; does not consume it. */
    public void check(String code) {
        record Row(Instant expiresAt, boolean used) {
        }
        Optional<Row> row = jdbi.withHandle(h -> h.createQuery(
                        "SELECT expires_at, used_at IS NOT NULL AS used FROM registration_code WHERE code_hash = :hash")
                .bind("hash", Tokens.sha256Hex(code))
                .map((rs, c) -> new Row(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getBoolean(2)))
                .findOne());
        if (row.isEmpty()) {
            throw new RegistrationException(RegistrationFailure.CODE_UNKNOWN, "no such registration code");
        }
        if (row.get().used()) {
            throw new RegistrationException(RegistrationFailure.CODE_USED, "this registration URL was already used");
        }
        if (!row.get().expiresAt().isAfter(clock.instant())) {
            throw new RegistrationException(RegistrationFailure.CODE_EXPIRED, "expired at " + row.get().expiresAt());
        }
    }

    /**
     * Marks the code used by {@code platformId} inside the caller's transaction. Fails (so the caller's transaction
     * rolls back) when another registration consumed it first or it expired meanwhile.
     */
    public void consume(Handle h, String code, long platformId) {
        int n = h.createUpdate("""
                        UPDATE registration_code SET used_at = :now, platform_id = :platform
                        WHERE code_hash = :hash AND used_at IS NULL AND expires_at > :now""")
                .bind("now", Utc.of(clock.instant())).bind("platform", platformId).bind("hash", Tokens.sha256Hex(code))
                .execute();
        if (n != 1) {
            throw new RegistrationException(RegistrationFailure.CODE_USED, "the registration URL was used or expired during the registration");
        }
    }


    /** The URL to give to the platform's administrator, and when it stops working. */
    public record IssuedCode(URI url, Instant expiresAt) {
        public Map<String, Object> json() {
            return Map.of("url", url.toString(), "expiresAt", expiresAt.toString());
        }
    }
}
