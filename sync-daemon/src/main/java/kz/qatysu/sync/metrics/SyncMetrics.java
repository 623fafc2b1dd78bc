package kz.qatysu.sync.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.engine.RunRepository;
import kz.qatysu.sync.engine.RunStatus;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The daemon's Prometheus metrics (docs/SYNC.md "Logs and metrics"), on the Prometheus Java client: runs by job and
 * status, changes by target, action and outcome, rejected source records, HTTP requests, retries and failures per
 * target, and the last run's time, duration, status and safety valve per job. Every counter is persisted with the
 * run history ({@code sync_counter}; run counts are {@code sync_run} itself), so the totals add up across processes —
 * a cron installation starts one per run. Served on {@code /metrics} (see {@link MetricsServer}) and written to a
 * node-exporter textfile after every run.
 */
public final class SyncMetrics {
    private static final Logger log = LoggerFactory.getLogger(SyncMetrics.class);
    static final String PLANNED = "qatysu_sync_planned_changes";
    static final String APPLIED = "qatysu_sync_applied_changes";
    static final String FAILED = "qatysu_sync_failed_changes";
    static final String REJECTED = "qatysu_sync_rejected_source_records";
    static final String DRIFT = "qatysu_sync_drift";
    static final String HTTP_REQUESTS = "qatysu_sync_http_requests";
    static final String HTTP_RETRIES = "qatysu_sync_http_retries";
    static final String HTTP_FAILURES = "qatysu_sync_http_failures";

    private final Jdbi jdbi;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final List<HttpConnector> connectors = new CopyOnWriteArrayList<>();
    /** Per connector: the counts already added to {@code sync_counter} (requests, retries, failures). */
    private final Map<HttpConnector, long[]> persisted = new HashMap<>();
    private final Gauge records;
    private final Gauge lastRunTimestamp;
    private final Gauge lastRunDuration;
    private final Gauge lastRunExitCode;
    private final Gauge safetyValveRefused;

    public SyncMetrics(Jdbi jdbi) {
        this.jdbi = jdbi;
        JvmMetrics.builder().register(registry);
        CounterWithCallback.builder().name("qatysu_sync_runs_total").help("Runs by job and status (the run history)")
                .labelNames("job", "status")
                .callback(cb -> safely(() -> new RunRepository(jdbi).countsByJobAndStatus()
                        .forEach((job, byStatus) -> byStatus.forEach((status, n) -> cb.call(n, job, status)))))
                .register(registry);
        persistedCounter(PLANNED, "Changes planned, by job, target and action", "job", "target", "action");
        persistedCounter(APPLIED, "Changes applied, by job and target", "job", "target");
        persistedCounter(FAILED, "Changes that failed to apply, by job and target", "job", "target");
        persistedCounter(DRIFT, "Records a reconciliation found different in their target, by job, target and kind (missing, suspended, active)",
                "job", "target", "kind");
        persistedCounter(REJECTED, "Source records rejected, by job", "job");
        httpCounter(HTTP_REQUESTS, "HTTP requests to outside systems by target, every attempt counted", 0);
        httpCounter(HTTP_RETRIES, "HTTP requests retried, by target", 1);
        httpCounter(HTTP_FAILURES, "HTTP requests that failed after their retries, by target", 2);
        records = Gauge.builder().name("qatysu_sync_records").help("Records the last run planned for, by job and target")
                .labelNames("job", "target").register(registry);
        lastRunTimestamp = Gauge.builder().name("qatysu_sync_last_run_timestamp_seconds")
                .help("When the last run of the job finished (Unix time)").labelNames("job").register(registry);
        lastRunDuration = Gauge.builder().name("qatysu_sync_last_run_duration_seconds")
                .help("How long the last run of the job took").labelNames("job").register(registry);
        lastRunExitCode = Gauge.builder().name("qatysu_sync_last_run_exit_code")
                .help("The last run's exit code: 0 succeeded or dry run, 1 partial, 2 refused by the safety valve, 65 source failed, 69 target failed, 70 failed, 75 locked")
                .labelNames("job").register(registry);
        safetyValveRefused = Gauge.builder().name("qatysu_sync_safety_valve_refused")
                .help("1 when the job's last run was refused by the safety valve").labelNames("job").register(registry);
    }

    private void persistedCounter(String name, String help, String... labelNames) {
        CounterWithCallback.builder().name(name + "_total").help(help).labelNames(labelNames)
                .callback(cb -> safely(() -> stored(name).forEach((labels, v) -> cb.call(v, labels.toArray(String[]::new)))))
                .register(registry);
    }

    /** The stored total plus what this process counted since it last stored (a long-lived daemon between runs). */
    private void httpCounter(String name, String help, int index) {
        CounterWithCallback.builder().name(name + "_total").help(help).labelNames("target")
                .callback(cb -> safely(() -> {
                    Map<String, Double> totals = new HashMap<>();
                    stored(name).forEach((labels, v) -> totals.merge(labels.get(0), v, Double::sum));
                    synchronized (persisted) {
                        for (HttpConnector c : connectors) {
                            long[] now = counts(c);
                            long[] before = persisted.getOrDefault(c, new long[3]);
                            totals.merge(c.name(), (double) (now[index] - before[index]), Double::sum);
                        }
                    }
                    totals.forEach((target, v) -> cb.call(v, target));
                }))
                .register(registry);
    }

    private static long[] counts(HttpConnector c) {
        return new long[] {c.requestCount(), c.retryCount(), c.failureCount()};
    }

    private Map<List<String>, Double> stored(String name) {
        Map<List<String>, Double> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT labels, value FROM sync_counter WHERE name = :name").bind("name", name)
                .map((rs, ctx) -> Map.entry(List.of((String[]) rs.getArray(1).getArray()), rs.getDouble(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    private static void safely(Runnable read) {
        try {
            read.run();
        } catch (RuntimeException e) {
            // the database is down: these series are left out of this scrape
            log.debug("metrics: cannot read the stored counters: {}", e.getMessage());
        }
    }

    public void watch(HttpConnector connector) {
        connectors.add(connector);
    }

    /** Starts the last-run gauges from the run history, so a process started by cron reports them too. */
    public void seed(RunRepository runs) {
        for (RunRepository.RunRow r : runs.latestPerJob()) {
            if (r.finishedAt() != null) {
                lastRunTimestamp.labelValues(r.job()).set(r.finishedAt().toInstant().toEpochMilli() / 1000.0);
                lastRunDuration.labelValues(r.job()).set(java.time.Duration.between(r.startedAt(), r.finishedAt()).toMillis() / 1000.0);
            }
            try {
                lastRunExitCode.labelValues(r.job()).set(RunStatus.valueOf(r.status()).exitCode());
            } catch (IllegalArgumentException e) {
                // a status written by a newer version: leave the gauge out
            }
        }
    }

    /** A finished run: its counts are added to the stored counters (with the HTTP requests since the last run). */
    public void record(SyncRunReport r) {
        List<Increment> inc = new ArrayList<>();
        for (var t : r.targets()) {
            inc.add(new Increment(PLANNED, List.of(r.job(), t.target(), "create"), t.create()));
            inc.add(new Increment(PLANNED, List.of(r.job(), t.target(), "update"), t.update()));
            inc.add(new Increment(PLANNED, List.of(r.job(), t.target(), "suspend"), t.suspend()));
            inc.add(new Increment(APPLIED, List.of(r.job(), t.target()), t.applied()));
            inc.add(new Increment(FAILED, List.of(r.job(), t.target()), t.failed()));
            records.labelValues(r.job(), t.target()).set(t.create() + t.update() + t.noop());
        }
        inc.add(new Increment(REJECTED, List.of(r.job()), r.sourceErrorCount()));
        if (r.reconcile() && !r.dryRun()) {
            // a dry run's drift is counted when the reconciliation that repairs it runs
            r.driftCounts().forEach((targetAndKind, n) -> {
                int sp = targetAndKind.lastIndexOf(' ');
                inc.add(new Increment(DRIFT, List.of(r.job(), targetAndKind.substring(0, sp), targetAndKind.substring(sp + 1)), n));
            });
        }
        synchronized (persisted) {
            Map<HttpConnector, long[]> now = new HashMap<>();
            for (HttpConnector c : connectors) {
                long[] n = counts(c);
                long[] before = persisted.getOrDefault(c, new long[3]);
                inc.add(new Increment(HTTP_REQUESTS, List.of(c.name()), n[0] - before[0]));
                inc.add(new Increment(HTTP_RETRIES, List.of(c.name()), n[1] - before[1]));
                inc.add(new Increment(HTTP_FAILURES, List.of(c.name()), n[2] - before[2]));
                now.put(c, n);
            }
            try {
                jdbi.useTransaction(h -> add(h, inc));
                persisted.putAll(now);
            } catch (RuntimeException e) {
                log.warn("cannot store the run's metric counters: {}", e.getMessage());
            }
        }
        if (r.finishedAt() != null) {
            lastRunTimestamp.labelValues(r.job()).set(r.finishedAt().toEpochMilli() / 1000.0);
        }
        lastRunDuration.labelValues(r.job()).set(r.durationMillis() / 1000.0);
        lastRunExitCode.labelValues(r.job()).set(r.exitCode());
        safetyValveRefused.labelValues(r.job()).set(r.refusals().isEmpty() || r.forced() ? 0 : 1);
    }

    private record Increment(String name, List<String> labels, double by) {
    }

    /** Adds to the stored counters; a zero increment still creates the series (so it is exposed as 0). */
    private static void add(Handle h, List<Increment> increments) {
        var batch = h.prepareBatch("""
                INSERT INTO sync_counter (name, labels, value) VALUES (:name, :labels, :by)
                ON CONFLICT (name, labels) DO UPDATE SET value = sync_counter.value + EXCLUDED.value""");
        for (Increment i : increments) {
            batch.bind("name", i.name()).bind("labels", i.labels().toArray(String[]::new)).bind("by", i.by()).add();
        }
        batch.execute();
    }

    public String contentType() {
        return writer.getContentType();
    }

    public String render() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The daemon's series only, without the JVM's (the node-exporter textfile of a cron run). */
    public String renderOwn() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape(n -> n.startsWith("qatysu_")), EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Writes the metrics atomically to {@code file} (node-exporter's textfile collector reads *.prom files). */
    public void writeTo(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, renderOwn(), java.nio.charset.StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
