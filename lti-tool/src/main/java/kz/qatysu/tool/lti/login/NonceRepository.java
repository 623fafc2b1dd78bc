package kz.qatysu.tool.lti.login;

import kz.qatysu.tool.util.Utc;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;

/**
 * Seen nonces ({@code lti_nonce}, UNLOGGED: losing it in a crash only matters for tokens still alive, minutes). The
 * login states themselves are signed values ({@link SignedStates}), not rows.
 */
public final class NonceRepository {
    private final Jdbi jdbi;

    public NonceRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Records a nonce as used; false when it was already (a replayed id_token, or a state already spent). */
    public boolean rememberNonce(Handle h, long platformId, String nonce, Instant keepUntil) {
        return h.createUpdate("""
                        INSERT INTO lti_nonce (platform_id, nonce, expires_at) VALUES (:p, :n, :e)
                        ON CONFLICT DO NOTHING""")
                .bind("p", platformId).bind("n", nonce).bind("e", Utc.of(keepUntil)).execute() == 1;
    }

    public int deleteExpired(Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM lti_nonce WHERE expires_at < :now").bind("now", Utc.of(now)).execute());
    }
}
