-- The change feed without a global write lock (issue 8 §6). Writers of different sections run side by side, so
-- sequence numbers no longer commit in order. Each entry records the id of the transaction that wrote it; a reader
-- returns only entries of transactions that have ended (xid below its snapshot's xmin) in (xid, seq) order, so an
-- entry that commits late can never fall behind a cursor. Entries written before this migration were committed in
-- seq order under the old lock and keep xid 0: they come first, in seq order, and old cursors stay valid.
ALTER TABLE attendance_change ADD COLUMN xid BIGINT NOT NULL DEFAULT 0;
ALTER TABLE attendance_change ALTER COLUMN xid SET DEFAULT CAST(CAST(pg_current_xact_id() AS TEXT) AS BIGINT);
CREATE INDEX attendance_change_xid_seq ON attendance_change (xid, seq);
