-- The daemon's counters, persisted with the run history so they add up across processes: a cron installation
-- starts one process per run, and every run adds its changes and HTTP requests here. GET /metrics and the
-- node-exporter textfile both show these totals (run counts come from sync_run itself).
CREATE TABLE sync_counter (
    name   text             NOT NULL,
    labels text[]           NOT NULL,
    value  double precision NOT NULL,
    PRIMARY KEY (name, labels)
);
