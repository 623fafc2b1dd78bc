package kz.qatysu.sync.metrics;

import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.engine.RunRepository;
import kz.qatysu.sync.engine.RunStatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Prometheus metrics of the daemon in the text exposition format (0.0.4): runs by job and status, changes by target,
 * action and outcome, the last run's time, duration and status per job, and HTTP requests, retries and failures per
 * target. Served on {@code /metrics} (see {@link MetricsServer}) and written to a node-exporter textfile after every
 * run, for cron-driven installations.
 */
public final class SyncMetrics {
    private final Map<String, Double> counters = new ConcurrentHashMap<>();
    private final Map<String, Double> gauges = new ConcurrentHashMap<>();
    private final List<HttpConnector> connectors = new CopyOnWriteArrayList<>();

    public void watch(HttpConnector connector) {
        connectors.add(connector);
    }

    /**
     * Starts the run counters and last-run gauges from the run history, so a process started by cron reports the
     * same totals as the long-running daemon would.
     */
    public void seed(RunRepository runs) {
        runs.countsByJobAndStatus().forEach((job, byStatus) -> byStatus.forEach((status, n) ->
                counters.put("qatysu_sync_runs_total{job=\"" + job + "\",status=\"" + status + "\"}", n.doubleValue())));
        for (RunRepository.RunRow r : runs.latestPerJob()) {
            if (r.finishedAt() != null) {
                gauges.put("qatysu_sync_last_run_timestamp_seconds{job=\"" + r.job() + "\"}", r.finishedAt().toInstant().toEpochMilli() / 1000.0);
                gauges.put("qatysu_sync_last_run_duration_seconds{job=\"" + r.job() + "\"}",
                        java.time.Duration.between(r.startedAt(), r.finishedAt()).toMillis() / 1000.0);
            }
            try {
                gauges.put("qatysu_sync_last_run_exit_code{job=\"" + r.job() + "\"}", (double) RunStatus.valueOf(r.status()).exitCode());
            } catch (IllegalArgumentException e) {
                // a status written by a newer version: leave the gauge out
            }
        }
    }

    public void record(SyncRunReport r) {
        add("qatysu_sync_runs_total{job=\"" + r.job() + "\",status=\"" + r.status() + "\"}", 1);
        for (var t : r.targets()) {
            String base = "job=\"" + r.job() + "\",target=\"" + t.target() + "\"";
            add("qatysu_sync_planned_changes_total{" + base + ",action=\"create\"}", t.create());
            add("qatysu_sync_planned_changes_total{" + base + ",action=\"update\"}", t.update());
            add("qatysu_sync_planned_changes_total{" + base + ",action=\"suspend\"}", t.suspend());
            add("qatysu_sync_applied_changes_total{" + base + "}", t.applied());
            add("qatysu_sync_failed_changes_total{" + base + "}", t.failed());
            gauges.put("qatysu_sync_records{" + base + "}", (double) (t.create() + t.update() + t.noop()));
        }
        add("qatysu_sync_rejected_source_records_total{job=\"" + r.job() + "\"}", r.sourceErrorCount());
        if (r.finishedAt() != null) {
            gauges.put("qatysu_sync_last_run_timestamp_seconds{job=\"" + r.job() + "\"}", r.finishedAt().toEpochMilli() / 1000.0);
        }
        gauges.put("qatysu_sync_last_run_duration_seconds{job=\"" + r.job() + "\"}", r.durationMillis() / 1000.0);
        gauges.put("qatysu_sync_last_run_exit_code{job=\"" + r.job() + "\"}", (double) r.exitCode());
        gauges.put("qatysu_sync_safety_valve_refused{job=\"" + r.job() + "\"}", r.refusals().isEmpty() || r.forced() ? 0.0 : 1.0);
    }

    private void add(String key, double v) {
        counters.merge(key, v, Double::sum);
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        Map<String, Double> all = new TreeMap<>(counters);
        for (HttpConnector c : connectors) {
            String l = "{target=\"" + c.name() + "\"}";
            all.put("qatysu_sync_http_requests_total" + l, (double) c.requestCount());
            all.put("qatysu_sync_http_retries_total" + l, (double) c.retryCount());
            all.put("qatysu_sync_http_failures_total" + l, (double) c.failureCount());
        }
        String last = "";
        for (var e : all.entrySet()) {
            String name = e.getKey().substring(0, e.getKey().indexOf('{'));
            if (!name.equals(last)) {
                sb.append("# TYPE ").append(name).append(" counter\n");
                last = name;
            }
            sb.append(e.getKey()).append(' ').append(format(e.getValue())).append('\n');
        }
        last = "";
        for (var e : new TreeMap<>(gauges).entrySet()) {
            String name = e.getKey().substring(0, e.getKey().indexOf('{'));
            if (!name.equals(last)) {
                sb.append("# TYPE ").append(name).append(" gauge\n");
                last = name;
            }
            sb.append(e.getKey()).append(' ').append(format(e.getValue())).append('\n');
        }
        return sb.toString();
    }

    /** Writes the metrics atomically to {@code file} (node-exporter's textfile collector reads *.prom files). */
    public void writeTo(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, render(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }
}
