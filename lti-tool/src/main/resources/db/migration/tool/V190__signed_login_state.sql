-- The OIDC login state is a signed value now (kz.qatysu.tool.lti.login.SignedStates): the login initiation writes
-- nothing, the launch checks the state's HMAC, expiry and browser binding; one use per state holds through the nonce
-- recorded once per platform in lti_nonce. Open logins (minutes) started before this migration fail as UNKNOWN_STATE.
DROP TABLE lti_login_state;

-- Secrets every tool node shares, sealed with the key-encryption key (AES-256-GCM, the name as associated data) like
-- tool_key.private_jwk; the first node to start writes one, the others read it.
CREATE TABLE tool_secret (
    name        TEXT        PRIMARY KEY,
    sealed      TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
