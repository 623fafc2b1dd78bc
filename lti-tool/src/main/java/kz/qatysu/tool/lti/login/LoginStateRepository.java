package kz.qatysu.tool.lti.login;

import kz.qatysu.tool.util.Utc;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/** Login states (single use) and seen nonces. Both tables are UNLOGGED: losing them in a crash only fails open logins. */
public final class LoginStateRepository {
    private final Jdbi jdbi;

    public LoginStateRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void insert(LoginState s) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO lti_login_state (state, nonce, platform_id, browser_hash, target_link_uri, deployment_id, expires_at)
                        VALUES (:state, :nonce, :platformId, :browserHash, :target, :deploymentId, :expiresAt)""")
                .bind("state", s.state()).bind("nonce", s.nonce()).bind("platformId", s.platformId())
                .bind("browserHash", s.browserHash()).bind("target", s.targetLinkUri())
                .bind("deploymentId", s.deploymentId()).bind("expiresAt", Utc.of(s.expiresAt()))
                .execute());
    }

    /** Takes the state out (single use): a second launch with the same state finds nothing. */
    public Optional<LoginState> consume(Handle h, String state) {
        return h.createQuery("""
                        DELETE FROM lti_login_state WHERE state = :state
                        RETURNING state, nonce, platform_id, browser_hash, target_link_uri, deployment_id, expires_at""")
                .bind("state", state)
                .map((rs, c) -> new LoginState(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getObject(7, OffsetDateTime.class).toInstant()))
                .findOne();
    }

    /** Records a nonce as used; false when it was already (a replayed id_token). */
    public boolean rememberNonce(Handle h, long platformId, String nonce, Instant keepUntil) {
        return h.createUpdate("""
                        INSERT INTO lti_nonce (platform_id, nonce, expires_at) VALUES (:p, :n, :e)
                        ON CONFLICT DO NOTHING""")
                .bind("p", platformId).bind("n", nonce).bind("e", Utc.of(keepUntil)).execute() == 1;
    }

    public int deleteExpired(Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM lti_login_state WHERE expires_at < :now").bind("now", Utc.of(now)).execute()
                + h.createUpdate("DELETE FROM lti_nonce WHERE expires_at < :now").bind("now", Utc.of(now)).execute());
    }
}
