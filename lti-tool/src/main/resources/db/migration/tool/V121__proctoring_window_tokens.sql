-- The examinee's monitoring window (issue 10) runs top-level, outside the LMS iframe, where the launch's partitioned
-- session cookie is not sent. The exam page hands the window a short-lived, single-use token in its URL; the window
-- exchanges it for its own HttpOnly session cookie. Only the token's SHA-256 is kept.
CREATE TABLE proctoring_window_token (
    token_hash   TEXT        PRIMARY KEY,
    attempt_id   TEXT        NOT NULL REFERENCES proctoring_attempt (id) ON DELETE CASCADE,
    launch_key   TEXT        NOT NULL,
    -- the SHA-256 of the session that asked for the window (the window's session copies it)
    session_hash TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    used_at      TIMESTAMPTZ
);
CREATE INDEX proctoring_window_token_expiry ON proctoring_window_token (expires_at);
