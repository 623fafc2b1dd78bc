-- Administrator web sessions (/admin): the cookie holds a random secret, only its SHA-256 is stored.
CREATE TABLE admin_session (
    id_hash     TEXT        PRIMARY KEY,
    actor       TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX admin_session_expires ON admin_session (expires_at);

-- Who asked for a dynamic registration code and how it was used (registration_code is from V1).
ALTER TABLE registration_code ADD COLUMN created_by TEXT;
