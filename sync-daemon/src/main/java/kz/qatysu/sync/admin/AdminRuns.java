package kz.qatysu.sync.admin;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What the admin pages read from the run history (sync_run and the rows beside it). Read-only. */
public final class AdminRuns {
    /** Rows of one kind a run's page lists (the run history keeps all of them). */
    public static final int LISTED = 500;

    private final Jdbi jdbi;

    public AdminRuns(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    /** One run as the history lists it; counts are planned changes by action (applied ones for a real run) from its report. */
    public record RunLine(long id, String job, String mode, boolean dryRun, boolean forced, Instant startedAt, Instant finishedAt,
                          String status, String host, String summary, int create, int update, int suspend, int failed, int rejected,
                          int drift) {
    }

    public record Page(List<RunLine> runs, int page, boolean more) {
    }

    private static final String RUN_COLUMNS = """
            r.id, r.job, r.mode, r.dry_run, r.forced, r.started_at, r.finished_at, r.status, r.host, r.summary,
            COALESCE((SELECT sum((t->>'create')::int) FROM jsonb_array_elements(r.report->'targets') t), 0),
            COALESCE((SELECT sum((t->>'update')::int) FROM jsonb_array_elements(r.report->'targets') t), 0),
            COALESCE((SELECT sum((t->>'suspend')::int) FROM jsonb_array_elements(r.report->'targets') t), 0),
            COALESCE((r.report->>'failureCount')::int, 0),
            COALESCE((r.report->>'sourceErrorCount')::int, 0),
            (SELECT count(*) FROM sync_drift d WHERE d.run_id = r.id)""";

    private static RunLine runLine(ResultSet rs, StatementContext ctx) throws SQLException {
        return new RunLine(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getBoolean(5),
                instant(rs.getObject(6, OffsetDateTime.class)), instant(rs.getObject(7, OffsetDateTime.class)), rs.getString(8),
                rs.getString(9), rs.getString(10), rs.getInt(11), rs.getInt(12), rs.getInt(13), rs.getInt(14), rs.getInt(15),
                rs.getInt(16));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    /** Newest first, {@code size} a page; job and outcome (status) filter when given. */
    public Page page(Optional<String> job, Optional<String> status, int page, int size) {
        List<RunLine> rows = jdbi.withHandle(h -> h.createQuery("SELECT " + RUN_COLUMNS + """
                         FROM sync_run r
                        WHERE (CAST(:job AS text) IS NULL OR r.job = :job) AND (CAST(:status AS text) IS NULL OR r.status = :status)
                        ORDER BY r.id DESC LIMIT :limit OFFSET :offset""")
                .bind("job", job.orElse(null)).bind("status", status.orElse(null))
                .bind("limit", size + 1).bind("offset", (long) (page - 1) * size)
                .map(AdminRuns::runLine).list());
        return new Page(rows.size() > size ? rows.subList(0, size) : rows, page, rows.size() > size);
    }

    public Optional<RunLine> run(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + RUN_COLUMNS + " FROM sync_run r WHERE r.id = :id")
                .bind("id", id).map(AdminRuns::runLine).findOne());
    }

    /** The latest run of a job in a mode ({@code sync}), or the latest reconciliation of any job ({@code reconcile}). */
    public Optional<RunLine> latest(String job, boolean reconcile) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + RUN_COLUMNS + """
                         FROM sync_run r
                        WHERE (:reconcile AND r.mode = 'reconcile') OR (NOT :reconcile AND r.mode = 'sync' AND r.job = :job)
                        ORDER BY r.id DESC LIMIT 1""")
                .bind("job", job).bind("reconcile", reconcile).map(AdminRuns::runLine).findOne());
    }

    /** Every job name the history knows (for the filter). */
    public List<String> jobs() {
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT job FROM sync_run ORDER BY job").mapTo(String.class).list());
    }

    public record TargetCount(String target, int known, int create, int update, int suspend, int noop, int applied, int failed) {
    }

    public record SourceError(String ref, String record, String field, String value, String reason) {
    }

    /** A change of the run: failed ones (outcome FAILED), or a dry run's plan (PLANNED, REFUSED). */
    public record ChangeLine(String target, String record, String action, String outcome, String detail) {
    }

    public record DriftLine(String target, String record, String kind, String detail) {
    }

    /** One run's page: its counters by target, why it stopped, and the records behind them (first {@value #LISTED} of each). */
    public record RunDetail(RunLine run, String message, List<String> refusals, List<TargetCount> targets, List<SourceError> sourceErrors,
                            int sourceErrorTotal, List<ChangeLine> failures, int failureTotal, List<DriftLine> drift, int driftTotal,
                            List<ChangeLine> planned, int plannedTotal) {
    }

    public Optional<RunDetail> detail(long id) {
        return run(id).map(run -> jdbi.withHandle(h -> {
            String message = h.createQuery("SELECT report->>'message' FROM sync_run WHERE id = :id").bind("id", id)
                    .mapTo(String.class).findOne().orElse(null);
            List<String> refusals = h.createQuery("""
                            SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(report->'refusals') = 'array'
                                   THEN report->'refusals' ELSE '[]'::jsonb END) FROM sync_run WHERE id = :id""")
                    .bind("id", id).mapTo(String.class).list();
            List<TargetCount> targets = h.createQuery("""
                            SELECT t.target, t.known, t."create", t.update, t.suspend, t.noop, t.applied, t.failed
                            FROM sync_run r, jsonb_to_recordset(CASE WHEN jsonb_typeof(r.report->'targets') = 'array'
                                 THEN r.report->'targets' ELSE '[]'::jsonb END)
                                 AS t(target text, known int, "create" int, update int, suspend int, noop int, applied int, failed int)
                            WHERE r.id = :id""")
                    .bind("id", id).map((rs, c) -> new TargetCount(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4),
                            rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getInt(8))).list();
            List<SourceError> errors = h.createQuery("""
                            SELECT ref, record_key, field, value, reason FROM sync_source_error WHERE run_id = :id
                            ORDER BY ctid LIMIT :limit""")
                    .bind("id", id).bind("limit", LISTED)
                    .map((rs, c) -> new SourceError(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)))
                    .list();
            int errorTotal = count(h, "SELECT count(*) FROM sync_source_error WHERE run_id = :id", id);
            List<ChangeLine> failures = changes(h, id, "outcome = 'FAILED'");
            int failureTotal = count(h, "SELECT count(*) FROM sync_run_change WHERE run_id = :id AND outcome = 'FAILED'", id);
            List<DriftLine> drift = h.createQuery("""
                            SELECT target, record_key, kind, detail FROM sync_drift WHERE run_id = :id ORDER BY target, record_key
                            LIMIT :limit""")
                    .bind("id", id).bind("limit", LISTED)
                    .map((rs, c) -> new DriftLine(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4))).list();
            int driftTotal = count(h, "SELECT count(*) FROM sync_drift WHERE run_id = :id", id);
            List<ChangeLine> planned = changes(h, id, "outcome IN ('PLANNED', 'REFUSED')");
            int plannedTotal = count(h, "SELECT count(*) FROM sync_run_change WHERE run_id = :id AND outcome IN ('PLANNED', 'REFUSED')", id);
            return new RunDetail(run, message, refusals, targets, errors, errorTotal, failures, failureTotal, drift, driftTotal,
                    planned, plannedTotal);
        }));
    }

    private static List<ChangeLine> changes(org.jdbi.v3.core.Handle h, long id, String outcomes) {
        // outcomes is one of two constant conditions above, never input
        return h.createQuery("SELECT target, record_key, action, outcome, detail FROM sync_run_change WHERE run_id = :id AND "
                        + outcomes + " ORDER BY target, action, record_key LIMIT :limit")
                .bind("id", id).bind("limit", LISTED)
                .map((rs, c) -> new ChangeLine(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)))
                .list();
    }

    private static int count(org.jdbi.v3.core.Handle h, String sql, long id) {
        return h.createQuery(sql).bind("id", id).mapTo(Integer.class).one();
    }

    /** Whether a run of the job is marked RUNNING, with its id and host. */
    public Optional<RunLine> running(String job) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + RUN_COLUMNS + """
                         FROM sync_run r WHERE r.job = :job AND r.status = 'RUNNING' ORDER BY r.id DESC LIMIT 1""")
                .bind("job", job).map(AdminRuns::runLine).findOne());
    }
}
