-- Which token an administrator web session was signed in with (SHA-256, like api_token.token_hash): a session of
-- an issued token ends when that token is revoked, one of the configured admin token when the configuration changes.
-- Sessions from before this column have no token and are signed out (they expire within 8 hours anyway).
ALTER TABLE admin_session ADD COLUMN token_hash TEXT;
