package kz.qatysu.tool.proctoring.examinee;

import kz.qatysu.tool.lti.session.SessionRepository;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.util.Tokens;
import org.jdbi.v3.core.Jdbi;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Single-use, short-lived tokens that carry an examinee's course session into the monitoring window. The window runs
 * top-level (Moodle's LTI iframe does not grant display capture), where the launch's cookie — partitioned under the
 * LMS's site — is not sent; the exam page asks for a token, the window's first request exchanges it for a session of
 * its own (same person, same launch, same expiry). Only the token's SHA-256 is stored; a token works once and for
 * {@link #LIFETIME}.
 */
public final class WindowTokens {
    /** Long enough to open a window, short enough that a token in a browser's history is useless. */
    static final Duration LIFETIME = Duration.ofMinutes(2);

    private final Jdbi jdbi;
    private final SessionRepository sessions;
    private final Clock clock;

    public WindowTokens(Jdbi jdbi, SessionRepository sessions, Clock clock) {
        this.jdbi = jdbi;
        this.sessions = sessions;
        this.clock = clock;
    }

    /** A new token for {@code attemptId}'s window, on behalf of the session whose secret hashes to {@code sessionHash}. */
    public String issue(String attemptId, String launchKey, String sessionHash) {
        String token = Tokens.random(24);
        Instant now = clock.instant();
        jdbi.useHandle(h -> {
            h.createUpdate("DELETE FROM proctoring_window_token WHERE expires_at < :now")
                    .bind("now", Timestamp.from(now)).execute();
            h.createUpdate("""
                            INSERT INTO proctoring_window_token (token_hash, attempt_id, launch_key, session_hash, created_at, expires_at)
                            VALUES (:hash, :attempt, :launch, :session, :now, :expires)""")
                    .bind("hash", Tokens.sha256Hex(token)).bind("attempt", attemptId).bind("launch", launchKey)
                    .bind("session", sessionHash).bind("now", Timestamp.from(now))
                    .bind("expires", Timestamp.from(now.plus(LIFETIME))).execute();
        });
        return token;
    }

    /**
     * The session the token was issued for, when the token is one of {@code launchKey}'s, unused and unexpired (and
     * that session still valid); the token is used up either way.
     */
    public Optional<ToolSession> redeem(String token, String launchKey) {
        if (token == null || token.isBlank() || token.length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<String> sessionHash = jdbi.withHandle(h -> h.createQuery("""
                        UPDATE proctoring_window_token SET used_at = :now
                        WHERE token_hash = :hash AND launch_key = :launch AND used_at IS NULL AND expires_at > :now
                        RETURNING session_hash""")
                .bind("now", Timestamp.from(now)).bind("hash", Tokens.sha256Hex(token)).bind("launch", launchKey)
                .mapTo(String.class).findOne());
        return sessionHash.flatMap(hash -> sessions.find(hash, launchKey, now));
    }

    /** A session of the monitoring window: the redeemed session's copy under a new secret (returned for the cookie). */
    public String openSession(Sessions sessions, ToolSession s) {
        return jdbi.inTransaction(h -> sessions.open(h, s));
    }
}
