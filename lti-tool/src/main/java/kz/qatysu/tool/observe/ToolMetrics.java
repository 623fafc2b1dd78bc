package kz.qatysu.tool.observe;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import kz.qatysu.tool.attendance.rules.StandingState;
import kz.qatysu.tool.lti.LtiFailure;
import kz.qatysu.tool.web.HttpErrors;
import kz.qatysu.tool.web.UploadRefused;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The tool's Prometheus metrics (docs/OPERATIONS.md "Observability"). Every label combination that a request can
 * hit is resolved once — per failure code, per route (keyed by Javalin's endpoint object), per standing transition —
 * so counting on the launch path is an array read and an atomic add, with no label lookup and no allocation.
 * Gauges that live in the database (the warnings outbox, the analysis queue) are read on scrape with one query each
 * over a partial index.
 */
public final class ToolMetrics {
    private static final Logger log = LoggerFactory.getLogger(ToolMetrics.class);
    /** Latency buckets (seconds): a launch is a few ms, a recording chunk upload may take seconds. */
    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    /** Proctoring uploads by the route that takes them: the last path segment → the {@code kind} label. */
    private static final Map<String, String> INGEST = Map.of(
            "/app/{launch}/exams/{examId}/attempt/snapshots", "snapshot",
            "/app/{launch}/exams/{examId}/attempt/recording/{index}", "recording_chunk",
            "/app/{launch}/exams/{examId}/attempt/identity", "identity_photo",
            "/app/{launch}/exams/{examId}/attempt/room-scan", "room_scan");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final CounterDataPoint launchesAccepted;
    private final CounterDataPoint[] loginRefusals;
    private final CounterDataPoint[] launchRefusals;
    private final Histogram requests;
    private final Counter ingest;
    private final Map<Endpoint, RouteSeries> routes = new ConcurrentHashMap<>();
    private final RouteSeries unmatched;
    private final CounterDataPoint agsPosted;
    private final CounterDataPoint agsFailed;
    private final CounterDataPoint[][] standing;
    private final CounterDataPoint[] uploadRefusals;

    public ToolMetrics() {
        JvmMetrics.builder().register(registry);
        launchesAccepted = Counter.builder().name("qatysu_lti_launches_total")
                .help("LTI launches accepted (a session was opened)").withoutExemplars().register(registry);
        Counter refusals = Counter.builder().name("qatysu_lti_refusals_total")
                .help("LTI login initiations and launches refused, by step and reason code (LtiFailure)")
                .labelNames("step", "reason").withoutExemplars().register(registry);
        LtiFailure[] failures = LtiFailure.values();
        loginRefusals = new CounterDataPoint[failures.length];
        launchRefusals = new CounterDataPoint[failures.length];
        for (LtiFailure f : failures) {
            loginRefusals[f.ordinal()] = refusals.labelValues("login", f.name());
            launchRefusals[f.ordinal()] = refusals.labelValues("launch", f.name());
        }
        requests = Histogram.builder().name("qatysu_http_request_duration_seconds")
                .help("HTTP requests by method, route template (Javalin's matched path) and status class")
                .labelNames("method", "route", "status").classicOnly().classicUpperBounds(BUCKETS)
                .withoutExemplars().register(registry);
        ingest = Counter.builder().name("qatysu_proctoring_ingest_total")
                .help("Proctoring uploads (snapshots, recording chunks, identity photos, room scans) accepted or refused")
                .labelNames("kind", "outcome").withoutExemplars().register(registry);
        for (String kind : new java.util.TreeSet<>(INGEST.values())) {
            ingest.labelValues(kind, "accepted"); // exposed as 0 before the first upload: alerts and rates see the series
            ingest.labelValues(kind, "refused");
        }
        unmatched = new RouteSeries(requests, "ANY", "unmatched", null, null);
        Counter ags = Counter.builder().name("qatysu_ags_posts_total")
                .help("Admission scores posted to LMS gradebooks (AGS), by outcome").labelNames("outcome")
                .withoutExemplars().register(registry);
        agsPosted = ags.labelValues("posted");
        agsFailed = ags.labelValues("failed");
        Counter refusedUploads = Counter.builder().name("qatysu_upload_refusals_total")
                .help("Uploads refused (429/503) by the cap that refused them (the Qatysu-Refused header): per-session, "
                        + "per-address, upload-slots, same-upload, analysis-busy").labelNames("reason")
                .withoutExemplars().register(registry);
        UploadRefused.Reason[] reasons = UploadRefused.Reason.values();
        uploadRefusals = new CounterDataPoint[reasons.length];
        for (UploadRefused.Reason r : reasons) {
            uploadRefusals[r.ordinal()] = refusedUploads.labelValues(r.code());
        }
        Counter transitions = Counter.builder().name("qatysu_standing_transitions_total")
                .help("Absence standing transitions recorded by this process").labelNames("from", "to")
                .withoutExemplars().register(registry);
        StandingState[] states = StandingState.values();
        standing = new CounterDataPoint[states.length][states.length];
        for (StandingState from : states) {
            for (StandingState to : states) {
                standing[from.ordinal()][to.ordinal()] = transitions.labelValues(from.name(), to.name());
            }
        }
    }

    /** One route's latency series per status class, and its ingest counters when it takes proctoring uploads. */
    private static final class RouteSeries {
        final DistributionDataPoint[] byStatusClass = new DistributionDataPoint[STATUS_CLASSES.length];
        final CounterDataPoint accepted;
        final CounterDataPoint refused;
        final boolean launch;

        RouteSeries(Histogram h, String method, String route, Counter ingest, String ingestKind) {
            for (int i = 0; i < STATUS_CLASSES.length; i++) {
                byStatusClass[i] = h.labelValues(method, route, STATUS_CLASSES[i]);
            }
            accepted = ingestKind == null ? null : ingest.labelValues(ingestKind, "accepted");
            refused = ingestKind == null ? null : ingest.labelValues(ingestKind, "refused");
            launch = method.equals("POST") && route.equals("/lti/launch");
        }
    }

    // ---- what the app counts ------------------------------------------------------------------------------------

    /** A refused login initiation ({@code /lti/login}) or launch (everything else). */
    public void refused(String path, LtiFailure failure) {
        (path.startsWith("/lti/login") ? loginRefusals : launchRefusals)[failure.ordinal()].inc();
    }

    /**
     * Javalin's request logger, after everything else of the request: its time by route template, proctoring uploads
     * by outcome, an accepted launch (its 303 to the course pages) or a refused login or launch (the reason code
     * {@link HttpErrors} left on the context).
     */
    public void request(Context ctx, float millis) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        RouteSeries series = endpoint == null ? unmatched : routes.computeIfAbsent(endpoint, e -> new RouteSeries(requests,
                e.method.name(), e.path, ingest, INGEST.get(e.path)));
        int status = ctx.statusCode();
        int cls = Math.min(Math.max(status / 100 - 1, 0), STATUS_CLASSES.length - 1);
        series.byStatusClass[cls].observe(millis / 1000.0);
        if (series.accepted != null) {
            (status < 300 ? series.accepted : series.refused).inc();
        }
        if (series.launch && status == 303) {
            launchesAccepted.inc();
        }
        if (ctx.attribute(HttpErrors.LTI_FAILURE) instanceof LtiFailure failure) {
            refused(ctx.path(), failure);
        }
        if (ctx.attribute(HttpErrors.UPLOAD_REFUSED) instanceof UploadRefused.Reason reason) {
            uploadRefusals[reason.ordinal()].inc();
        }
    }

    public void agsPass(int posted, int failed) {
        if (posted > 0) {
            agsPosted.inc(posted);
        }
        if (failed > 0) {
            agsFailed.inc(failed);
        }
    }

    public void standingTransition(StandingState from, StandingState to) {
        standing[from.ordinal()][to.ordinal()].inc();
    }

    // ---- gauges read on scrape ----------------------------------------------------------------------------------

    /** The warnings outbox and the proctoring analysis queue, read from the database on each scrape. */
    public void watchDatabase(Jdbi jdbi, IntSupplier analysisWorkersQueue) {
        countAndOldest(jdbi, """
                        SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)
                        FROM notification WHERE status IN ('PENDING', 'SENDING')""",
                "qatysu_notify_outbox_pending", "Warnings (Moodle message, e-mail) waiting in the outbox, PENDING or SENDING",
                "qatysu_notify_outbox_oldest_pending_seconds", "Age of the oldest warning still in the outbox (0 when empty)");
        countAndOldest(jdbi, """
                        SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(received_at)), 0)
                        FROM proctoring_snapshot WHERE analysed_at IS NULL AND source = 'CAMERA'""",
                "qatysu_proctoring_analysis_queue", "Camera snapshots received and not yet analysed (all nodes)",
                "qatysu_proctoring_analysis_oldest_seconds", "Age of the oldest camera snapshot awaiting analysis (0 when none)");
        GaugeWithCallback.builder().name("qatysu_proctoring_analysis_workers_queue")
                .help("Pictures waiting for a face analysis worker in this process")
                .callback(cb -> cb.call(analysisWorkersQueue.getAsInt()))
                .register(registry);
    }

    /** HikariCP's pool: connections by state and the maximum. */
    public void watchPool(DataSource dataSource) {
        if (!(dataSource instanceof HikariDataSource hikari)) {
            return;
        }
        GaugeWithCallback.builder().name("qatysu_db_pool_connections")
                .help("Database pool connections by state (active, idle) and threads waiting for one (pending)")
                .labelNames("state")
                .callback(cb -> {
                    HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
                    if (pool != null) {
                        cb.call(pool.getActiveConnections(), "active");
                        cb.call(pool.getIdleConnections(), "idle");
                        cb.call(pool.getThreadsAwaitingConnection(), "pending");
                    }
                })
                .register(registry);
        GaugeWithCallback.builder().name("qatysu_db_pool_max_connections")
                .help("The pool's maximum size").callback(cb -> cb.call(hikari.getMaximumPoolSize())).register(registry);
    }

    private interface Row {
        void accept(double count, double ageSeconds);
    }

    /**
     * Two gauges from one query answering (count, age of the oldest in seconds). Each gauge runs the query on scrape:
     * two cheap reads over a partial index, instead of state shared between callbacks.
     */
    private void countAndOldest(Jdbi jdbi, String sql, String countName, String countHelp, String ageName, String ageHelp) {
        GaugeWithCallback.builder().name(countName).help(countHelp)
                .callback(cb -> query(jdbi, sql, (n, age) -> cb.call(n))).register(registry);
        GaugeWithCallback.builder().name(ageName).help(ageHelp)
                .callback(cb -> query(jdbi, sql, (n, age) -> cb.call(age))).register(registry);
    }

    private static void query(Jdbi jdbi, String sql, Row row) {
        try {
            jdbi.useHandle(h -> h.createQuery(sql).map((rs, c) -> new double[] {rs.getDouble(1), rs.getDouble(2)})
                    .findOne().ifPresent(r -> row.accept(r[0], r[1])));
        } catch (RuntimeException e) {
            // the database is down: the gauge is left out of this scrape (the ready check says why)
            log.debug("metrics query failed: {}", e.getMessage());
        }
    }

    // ---- exposition ---------------------------------------------------------------------------------------------

    public String contentType() {
        return writer.getContentType();
    }

    /** The text exposition format (0.0.4) of everything registered. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        try {
            writer.write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public PrometheusRegistry registry() {
        return registry;
    }
}
