-- LTI 1.3 core: platform registrations, login state, nonces, tool keys, sessions, API tokens.
-- Versions V1–V19 belong to the LTI layer; V20–V49 to attendance/locks; V50+ to later features.

CREATE TABLE platform (
    id              BIGSERIAL PRIMARY KEY,
    issuer          TEXT        NOT NULL,
    client_id       TEXT        NOT NULL,
    name            TEXT        NOT NULL,
    auth_login_url  TEXT        NOT NULL,
    auth_token_url  TEXT        NOT NULL,
    key_set_url     TEXT        NOT NULL,
    deployment_ids  TEXT[]      NOT NULL DEFAULT '{}',
    enabled         BOOLEAN     NOT NULL DEFAULT TRUE,
    product_family  TEXT,
    source          TEXT        NOT NULL DEFAULT 'api',
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (issuer, client_id)
);

-- One row per OIDC login initiation; consumed (deleted) by the launch that answers it.
CREATE UNLOGGED TABLE lti_login_state (
    state            TEXT        PRIMARY KEY,
    nonce            TEXT        NOT NULL,
    platform_id      BIGINT      NOT NULL REFERENCES platform (id) ON DELETE CASCADE,
    browser_hash     TEXT        NOT NULL,
    target_link_uri  TEXT        NOT NULL,
    deployment_id    TEXT,
    expires_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX lti_login_state_expires ON lti_login_state (expires_at);

-- Nonces seen in accepted id_tokens, kept until the token could no longer be valid (replay guard).
CREATE UNLOGGED TABLE lti_nonce (
    platform_id BIGINT      NOT NULL,
    nonce       TEXT        NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (platform_id, nonce)
);
CREATE INDEX lti_nonce_expires ON lti_nonce (expires_at);

CREATE TABLE tool_key (
    kid          TEXT        PRIMARY KEY,
    private_jwk  TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    retired_at   TIMESTAMPTZ
);

CREATE TABLE tool_session (
    id_hash                  TEXT        PRIMARY KEY,
    launch_key               TEXT        NOT NULL,
    platform_id              BIGINT      NOT NULL REFERENCES platform (id) ON DELETE CASCADE,
    deployment_id            TEXT        NOT NULL,
    message_type             TEXT        NOT NULL,
    subject                  TEXT        NOT NULL,
    name                     TEXT,
    email                    TEXT,
    role                     TEXT        NOT NULL,
    roles                    TEXT[]      NOT NULL,
    context_id               TEXT,
    context_label            TEXT,
    context_title            TEXT,
    resource_link_id         TEXT,
    resource_link_title      TEXT,
    locale                   TEXT        NOT NULL,
    person_sourcedid         TEXT,
    course_section_sourcedid TEXT,
    username                 TEXT,
    openedx_course_key       TEXT,
    services                 JSONB       NOT NULL DEFAULT '{}',
    created_at               TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at               TIMESTAMPTZ NOT NULL
);
CREATE INDEX tool_session_expires ON tool_session (expires_at);

CREATE TABLE api_token (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT        NOT NULL,
    token_hash  TEXT        NOT NULL UNIQUE,
    scopes      TEXT[]      NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at  TIMESTAMPTZ
);

-- One-time codes an administrator hands to a platform for LTI Dynamic Registration.
CREATE TABLE registration_code (
    code_hash   TEXT        PRIMARY KEY,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ,
    platform_id BIGINT REFERENCES platform (id) ON DELETE SET NULL
);

-- Who changed a platform registration, when, and how (admins must be able to reconstruct it).
CREATE TABLE admin_audit (
    id         BIGSERIAL PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor      TEXT        NOT NULL,
    action     TEXT        NOT NULL,
    subject    TEXT        NOT NULL,
    detail     JSONB       NOT NULL DEFAULT '{}'
);
