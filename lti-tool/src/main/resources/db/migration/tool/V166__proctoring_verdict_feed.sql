-- The verdicts feed (GET /api/v1/proctoring/verdicts, issue 11 "Results back"): every decision of
-- proctoring_verdict_history records its transaction's id, and readers return only entries of transactions that have
-- ended, in (xid, id) order, exactly as the attendance change feed does (V95): a decision that commits late never falls
-- behind a cursor. Decisions recorded before this migration keep xid 0 and come first, in id order.
ALTER TABLE proctoring_verdict_history ADD COLUMN xid BIGINT NOT NULL DEFAULT 0;
ALTER TABLE proctoring_verdict_history ALTER COLUMN xid SET DEFAULT CAST(CAST(pg_current_xact_id() AS TEXT) AS BIGINT);
CREATE INDEX proctoring_verdict_history_xid ON proctoring_verdict_history (xid, id);

-- "Results back": what was last posted to each course link's AGS line items per attempt ("Proctoring": the verdict's
-- score; "Proctoring check passed": 1 when the checks were cleared), compared with the decisions on every pass so a
-- score is posted once and re-posted only when it changes; failures back off.
CREATE TABLE proctoring_result_delivery (
    platform_id      BIGINT      NOT NULL REFERENCES platform (id) ON DELETE CASCADE,
    context_id       TEXT        NOT NULL,
    resource_link_id TEXT        NOT NULL,
    attempt_id       TEXT        NOT NULL REFERENCES proctoring_attempt (id) ON DELETE CASCADE,
    item             TEXT        NOT NULL CHECK (item IN ('VERDICT', 'CHECKS_PASSED')),
    line_item_url    TEXT,
    posted_score     DOUBLE PRECISION,
    posted_comment   TEXT,
    posted_at        TIMESTAMPTZ,
    attempts         INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ,
    last_error       TEXT,
    PRIMARY KEY (platform_id, context_id, resource_link_id, attempt_id, item)
);
