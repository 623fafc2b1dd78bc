-- Reconciliation (issue 13 §7): a run either syncs the source's changes ('sync') or reads the target's actual state
-- and repairs what drifted there ('reconcile'); drift is kept per record beside the run's changes.
ALTER TABLE sync_run ADD COLUMN mode text NOT NULL DEFAULT 'sync';

CREATE TABLE sync_drift (
    run_id     bigint NOT NULL REFERENCES sync_run (id),
    target     text   NOT NULL,
    record_key text   NOT NULL,
    kind       text   NOT NULL,
    detail     text   NOT NULL
);
CREATE INDEX sync_drift_run ON sync_drift (run_id);
