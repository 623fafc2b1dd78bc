-- What was last written to each target, per record (the delta engine's memory).
CREATE TABLE sync_ledger (
    target       text        NOT NULL,
    record_key   text        NOT NULL,
    content_hash text        NOT NULL,
    fields       jsonb       NOT NULL,
    remote_id    text,
    suspended    boolean     NOT NULL DEFAULT false,
    updated_at   timestamptz NOT NULL,
    run_id       bigint,
    PRIMARY KEY (target, record_key)
);

-- One row per run of a job (also dry runs and refused runs): the run history.
CREATE TABLE sync_run (
    id          bigserial PRIMARY KEY,
    job         text        NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    status      text        NOT NULL,
    dry_run     boolean     NOT NULL,
    forced      boolean     NOT NULL,
    host        text,
    summary     text,
    report      jsonb
);
CREATE INDEX sync_run_job_started ON sync_run (job, started_at DESC);

-- Every planned change and its outcome: the audit trail ("explain every change").
CREATE TABLE sync_run_change (
    run_id     bigint NOT NULL REFERENCES sync_run (id),
    target     text   NOT NULL,
    record_key text   NOT NULL,
    action     text   NOT NULL,
    outcome    text   NOT NULL,
    detail     text,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sync_run_change_run ON sync_run_change (run_id);
CREATE INDEX sync_run_change_record ON sync_run_change (target, record_key);

-- Source records that were rejected, with field, value and reason.
CREATE TABLE sync_source_error (
    run_id     bigint NOT NULL REFERENCES sync_run (id),
    ref        text   NOT NULL,
    record_key text,
    field      text,
    value      text,
    reason     text   NOT NULL
);
CREATE INDEX sync_source_error_run ON sync_source_error (run_id);

-- Positions in incremental feeds (e.g. the tool's /api/v1/changes cursor).
CREATE TABLE sync_cursor (
    name       text PRIMARY KEY,
    value      text,
    updated_at timestamptz NOT NULL
);
