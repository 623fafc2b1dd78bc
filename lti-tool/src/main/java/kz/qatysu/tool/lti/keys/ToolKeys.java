package kz.qatysu.tool.lti.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The tool's RSA signing keys, kept in PostgreSQL so every instance behind a load balancer signs with the same key.
 * A key is generated at first start. Rotation makes a new key current at once; the previous one stays published in
 * the JWKS for a grace period, so platforms that cached it (Moodle caches per client and re-downloads on a failed
 * verification) keep verifying messages signed just before the switch. The private keys are stored encrypted
 * ({@link KeyEncryption}); keys stored in plain JSON by an earlier version are encrypted at start.
 */
public final class ToolKeys {
    private static final Logger log = LoggerFactory.getLogger(ToolKeys.class);
    private static final Duration RELOAD_EVERY = Duration.ofSeconds(30);

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration grace;
    private final KeyEncryption encryption;
    private volatile Snapshot snapshot;

    public ToolKeys(Jdbi jdbi, Clock clock, Duration grace, KeyEncryption encryption) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.grace = grace;
        this.encryption = encryption;
    }

    /** Makes sure a current key exists (first start), encrypts keys stored in plain JSON, and loads the key set. */
    public void initialize() {
        jdbi.useTransaction(h -> {
            h.execute("LOCK TABLE tool_key IN EXCLUSIVE MODE");
            record Plain(String kid, String jwk) {
            }
            List<Plain> plain = h.createQuery("SELECT kid, private_jwk FROM tool_key WHERE private_jwk NOT LIKE :sealed")
                    .bind("sealed", KeyEncryption.PREFIX + "%")
                    .map((rs, c) -> new Plain(rs.getString(1), rs.getString(2))).list();
            for (Plain p : plain) {
                h.createUpdate("UPDATE tool_key SET private_jwk = :jwk WHERE kid = :kid")
                        .bind("kid", p.kid()).bind("jwk", encryption.seal(p.kid(), p.jwk())).execute();
            }
            if (!plain.isEmpty()) {
                log.info("Encrypted {} tool signing key(s) stored in plain JSON by an earlier version", plain.size());
            }
            boolean none = h.createQuery("SELECT count(*) FROM tool_key WHERE retired_at IS NULL").mapTo(Integer.class).one() == 0;
            if (none) {
                RSAKey key = generate();
                h.createUpdate("INSERT INTO tool_key (kid, private_jwk) VALUES (:kid, :jwk)")
                        .bind("kid", key.getKeyID()).bind("jwk", encryption.seal(key.getKeyID(), key.toJSONString())).execute();
                log.info("Generated the tool's first signing key, kid {}", key.getKeyID());
            }
        });
        reload();
    }

    /** The key messages are signed with now (private part included; never log it). */
    public RSAKey signingKey() {
        return current().signing;
    }

    /**
     * The public keys to publish: the current one and those retired less than the grace period ago. Read from the
     * database on every call, not from the 30 s snapshot: after a rotation on another node, that node signs with the new
     * key at once, and a platform fetching the JWKS from this node must find it. (Signing here may go on with the
     * previous key for up to 30 s; it stays published for the grace period.)
     */
    public JWKSet publicJwks() {
        reload();
        return snapshot.published;
    }

    /** Makes a new key current; the old one stays published for the grace period. Returns the new kid. */
    public String rotate() {
        RSAKey key = generate();
        jdbi.useTransaction(h -> {
            h.execute("LOCK TABLE tool_key IN EXCLUSIVE MODE");
            h.createUpdate("UPDATE tool_key SET retired_at = :now WHERE retired_at IS NULL")
                    .bind("now", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)).execute();
            h.createUpdate("INSERT INTO tool_key (kid, private_jwk) VALUES (:kid, :jwk)")
                    .bind("kid", key.getKeyID()).bind("jwk", encryption.seal(key.getKeyID(), key.toJSONString())).execute();
        });
        log.info("Rotated the tool signing key; new kid {}, previous key published for {} more", key.getKeyID(), grace);
        reload();
        return key.getKeyID();
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (s == null || s.loadedAt.plus(RELOAD_EVERY).isBefore(clock.instant())) {
            reload();
            s = snapshot;
        }
        return s;
    }

    private synchronized void reload() {
        Instant now = clock.instant();
        record Row(String kid, String jwk, Instant retiredAt) {
        }
        List<Row> rows = jdbi.withHandle(h -> h.createQuery(
                        "SELECT kid, private_jwk, retired_at FROM tool_key WHERE retired_at IS NULL OR retired_at > :cutoff ORDER BY created_at DESC")
                .bind("cutoff", OffsetDateTime.ofInstant(now.minus(grace), ZoneOffset.UTC))
                .map((rs, c) -> new Row(rs.getString(1), rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class) == null ? null : rs.getObject(3, OffsetDateTime.class).toInstant()))
                .list());
        RSAKey signing = null;
        List<com.nimbusds.jose.jwk.JWK> published = new ArrayList<>();
        for (Row row : rows) {
            RSAKey key = parse(encryption.open(row.kid, row.jwk));
            if (row.retiredAt == null && signing == null) {
                signing = key;
            }
            published.add(key.toPublicJWK());
        }
        if (signing == null) {
            throw new IllegalStateException("no current tool signing key; initialize() was not called");
        }
        snapshot = new Snapshot(signing, new JWKSet(published), now);
    }

    private static RSAKey parse(String json) {
        try {
            return RSAKey.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("stored tool key is not a valid RSA JWK", e);
        }
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048)
                    .keyID(UUID.randomUUID().toString())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .issueTime(new java.util.Date())
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }

    private record Snapshot(RSAKey signing, JWKSet published, Instant loadedAt) {
    }
}
