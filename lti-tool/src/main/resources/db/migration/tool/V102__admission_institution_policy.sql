-- The institution's rating policy (admission.* in the configuration) that the stored decisions (table admission,
-- V100) were last computed under. At start-up the tool compares it with the configured policy; when they differ it
-- recomputes the sections whose effective policy changed (history cause POLICY_CHANGED) and then stores the new one.
-- One row at most. policy: {"threshold": "0.5", "components": [{"name": "RK1", "max": "100", "aliases": [...]}, ...]}.
CREATE TABLE admission_institution_policy (
    id         SMALLINT    PRIMARY KEY CHECK (id = 1),
    policy     JSONB       NOT NULL,
    stored_at  TIMESTAMPTZ NOT NULL
);
