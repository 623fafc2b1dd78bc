package kz.qatysu.sync.engine;

import kz.qatysu.connectors.portal.RecordError;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.net.InetAddress;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The run history: one row per run, its planned and applied changes, and the rejected source records. */
public final class RunRepository {
    private final Jdbi jdbi;

    public RunRepository(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    public long start(String job, boolean dryRun, boolean forced, Instant at) {
        return start(job, dryRun, forced, at, false);
    }

    /** @param reconcile a reconciliation run (mode {@code reconcile}) rather than a sync of the source's changes */
    public long start(String job, boolean dryRun, boolean forced, Instant at, boolean reconcile) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO sync_run (job, started_at, status, dry_run, forced, host, mode)
                        VALUES (:job, :at, 'RUNNING', :dryRun, :forced, :host, :mode)""")
                .bind("job", job).bind("at", at.atOffset(ZoneOffset.UTC)).bind("dryRun", dryRun).bind("forced", forced)
                .bind("mode", reconcile ? "reconcile" : "sync")
                .bind("host", host())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    /**
     * Marks runs of {@code job} still RUNNING as CRASHED. Only call while holding the job's lock: then no live
     * process can be running them. Returns their ids.
     */
    public List<Long> markCrashed(String job) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE sync_run SET status = 'CRASHED', finished_at = now(),
                               summary = 'the process stopped mid-run; the next run resumed it'
                        WHERE job = :job AND status = 'RUNNING'""")
                .bind("job", job)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).list());
    }

    public void finish(long runId, RunStatus status, Instant at, String summary, String reportJson) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE sync_run SET status = :status, finished_at = :at, summary = :summary, report = CAST(:report AS jsonb)
                        WHERE id = :id""")
                .bind("id", runId).bind("status", status.name()).bind("at", at.atOffset(ZoneOffset.UTC))
                .bind("summary", summary).bind("report", reportJson).execute());
    }

    public void sourceErrors(long runId, List<RecordError> errors) {
        if (errors.isEmpty()) {
            return;
        }
        jdbi.useTransaction(h -> {
            var batch = h.prepareBatch("""
                    INSERT INTO sync_source_error (run_id, ref, record_key, field, value, reason)
                    VALUES (:run, :ref, :key, :field, :value, :reason)""");
            for (RecordError e : errors) {
                batch.bind("run", runId).bind("ref", e.ref()).bind("key", e.key()).bind("field", e.field())
                        .bind("value", e.value()).bind("reason", e.reason()).add();
            }
            batch.execute();
        });
    }

    /** Saves the records a job left out on purpose: action {@code SKIP}, outcome {@code SKIPPED}, the reason as detail. */
    public void skipped(long runId, List<kz.qatysu.sync.SyncRunReport.Skipped> records) {
        if (records.isEmpty()) {
            return;
        }
        jdbi.useTransaction(h -> {
            var batch = h.prepareBatch("""
                    INSERT INTO sync_run_change (run_id, target, record_key, action, outcome, detail)
                    VALUES (:run, :target, :key, 'SKIP', 'SKIPPED', :detail)""");
            for (var s : records) {
                batch.bind("run", runId).bind("target", s.target()).bind("key", s.key()).bind("detail", s.reason()).add();
            }
            batch.execute();
        });
    }

    /** Saves what a reconciliation found drifted in {@code target}. */
    public void drift(long runId, String target, List<Drift> drifts) {
        if (drifts.isEmpty()) {
            return;
        }
        jdbi.useTransaction(h -> {
            var batch = h.prepareBatch("""
                    INSERT INTO sync_drift (run_id, target, record_key, kind, detail) VALUES (:run, :target, :key, :kind, :detail)""");
            for (Drift d : drifts) {
                batch.bind("run", runId).bind("target", target).bind("key", d.key()).bind("kind", d.kind().label())
                        .bind("detail", d.detail()).add();
            }
            batch.execute();
        });
    }

    /** Saves planned changes without applying them (dry run, refused plan). */
    public void planned(long runId, String target, List<Change> changes, String outcome) {
        jdbi.useTransaction(h -> changes(h, runId, target, changes.stream()
                .map(c -> new ChangeRow(c.key(), c.action(), outcome, c.explain())).toList()));
    }

    static void changes(Handle h, long runId, String target, List<ChangeRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        var batch = h.prepareBatch("""
                INSERT INTO sync_run_change (run_id, target, record_key, action, outcome, detail)
                VALUES (:run, :target, :key, :action, :outcome, :detail)""");
        for (ChangeRow r : rows) {
            batch.bind("run", runId).bind("target", target).bind("key", r.key()).bind("action", r.action().name())
                    .bind("outcome", r.outcome()).bind("detail", r.detail()).add();
        }
        batch.execute();
    }

    record ChangeRow(String key, Action action, String outcome, String detail) {
    }

    /** A past run as the status command shows it. */
    public record RunRow(long id, String job, OffsetDateTime startedAt, OffsetDateTime finishedAt, String status,
                         boolean dryRun, boolean forced, String summary) {
    }

    /** The latest run of each job. */
    public List<RunRow> latestPerJob() {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT DISTINCT ON (job) id, job, started_at, finished_at, status, dry_run, forced, summary
                        FROM sync_run ORDER BY job, started_at DESC, id DESC""")
                .map((rs, ctx) -> new RunRow(rs.getLong(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                        rs.getObject(4, OffsetDateTime.class), rs.getString(5), rs.getBoolean(6), rs.getBoolean(7), rs.getString(8)))
                .list());
    }

    /** How many runs each job had, by status: the run history behind the metrics' counters. */
    public Map<String, Map<String, Long>> countsByJobAndStatus() {
        Map<String, Map<String, Long>> out = new java.util.TreeMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT job, status, count(*) FROM sync_run WHERE status <> 'RUNNING' GROUP BY job, status")
                .map((rs, ctx) -> new Object[] {rs.getString(1), rs.getString(2), rs.getLong(3)})
                .forEach(r -> out.computeIfAbsent((String) r[0], k -> new java.util.TreeMap<>()).put((String) r[1], (Long) r[2])));
        return out;
    }

    public List<RunRow> recent(int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, job, started_at, finished_at, status, dry_run, forced, summary
                        FROM sync_run ORDER BY id DESC LIMIT :limit""")
                .bind("limit", limit)
                .map((rs, ctx) -> new RunRow(rs.getLong(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                        rs.getObject(4, OffsetDateTime.class), rs.getString(5), rs.getBoolean(6), rs.getBoolean(7), rs.getString(8)))
                .list());
    }

    public Optional<String> report(long runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT report::text FROM sync_run WHERE id = :id")
                .bind("id", runId).mapTo(String.class).findOne());
    }

    /** A feed position (e.g. the tool's changes cursor). */
    public Optional<String> cursor(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT value FROM sync_cursor WHERE name = :name")
                .bind("name", name).mapTo(String.class).findOne());
    }

    public void saveCursor(String name, String value) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO sync_cursor (name, value, updated_at) VALUES (:name, :value, now())
                        ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at""")
                .bind("name", name).bind("value", value).execute());
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName() + "/" + ProcessHandle.current().pid();
        } catch (java.net.UnknownHostException e) {
            return "unknown/" + ProcessHandle.current().pid();
        }
    }
}
