-- The verdicts feed (GET /api/v1/proctoring/verdicts, issue 11 "Results back"): every decision of
-- proctoring_verdict_history records its transaction's id, and readers return only entries of transactions that have
-- ended, in (xid, id) order, exactly as the attendance change feed does (V95): a decision that commits late never falls
-- behind a cursor. Decisions recorded before this migration keep xid 0 and come first, in id order.
ALTER TABLE proctoring_verdict_history ADD COLUMN xid BIGINT NOT NULL DEFAULT 0;
ALTER TABLE proctoring_verdict_history ALTER COLUMN xid SET DEFAULT CAST(CAST(pg_current_xact_id() AS TEXT) AS BIGINT);
CREATE INDEX proctoring_verdict_history_xid ON proctoring_verdict_history (xid, id);

