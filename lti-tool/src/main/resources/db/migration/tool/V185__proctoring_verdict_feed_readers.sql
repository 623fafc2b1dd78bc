-- The results-delivery status page (issue 11, docs/PROCTORING.md "Results delivery"): how far each reader of the verdicts
-- feed (GET /api/v1/proctoring/verdicts; the sync daemon, which writes the portal) has fetched it, as the (xid, id)
-- position of the last entry handed to it, so the page can say of each verdict whether the portal's reader has it yet.
CREATE TABLE proctoring_verdict_feed_reader (
    reader     TEXT        PRIMARY KEY,
    last_xid   BIGINT      NOT NULL,
    last_seq   BIGINT      NOT NULL,
    read_at    TIMESTAMPTZ NOT NULL
);
