package kz.qatysu.sync;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.moodle.MoodleClient;
import kz.qatysu.connectors.openedx.OpenEdxClient;
import kz.qatysu.connectors.portal.CsvOutboxSink;
import kz.qatysu.connectors.portal.CsvPortalSource;
import kz.qatysu.connectors.portal.JdbcPortalSource;
import kz.qatysu.connectors.portal.JdbcStagingSink;
import kz.qatysu.connectors.portal.PortalReader;
import kz.qatysu.connectors.portal.PortalSink;
import kz.qatysu.connectors.portal.PortalSource;
import kz.qatysu.connectors.portal.RestPortalSource;
import kz.qatysu.connectors.qatysu.ToolClient;
import kz.qatysu.database.Database;
import kz.qatysu.sync.accounts.AccountRules;
import kz.qatysu.sync.alerts.Alerts;
import kz.qatysu.sync.accounts.AccountsJob;
import kz.qatysu.sync.accounts.MoodleUsersTarget;
import kz.qatysu.sync.attendance.AttendanceJob;
import kz.qatysu.sync.attendance.LockGroups;
import kz.qatysu.sync.attendance.PortalResultsTarget;
import kz.qatysu.sync.engine.SyncJob;
import kz.qatysu.sync.engine.SyncRunner;
import kz.qatysu.sync.engine.SyncTarget;
import kz.qatysu.sync.grades.GradesJob;
import kz.qatysu.sync.grades.MoodleGradesTarget;
import kz.qatysu.sync.grades.PortalJournalTarget;
import kz.qatysu.sync.grades.ToolScoresTarget;
import kz.qatysu.sync.metrics.MetricsServer;
import kz.qatysu.sync.metrics.SyncMetrics;
import kz.qatysu.sync.schedule.SyncScheduler;
import kz.qatysu.sync.sections.MoodleCoursesTarget;
import kz.qatysu.sync.sections.MoodleEnrolmentsTarget;
import kz.qatysu.sync.sections.MoodleGroupMembersTarget;
import kz.qatysu.sync.sections.MoodleGroupsTarget;
import kz.qatysu.sync.sections.OpenEdxCohortsTarget;
import kz.qatysu.sync.sections.OpenEdxEnrolmentsTarget;
import kz.qatysu.sync.sections.SectionRules;
import kz.qatysu.sync.sections.SectionsJob;
import kz.qatysu.sync.sections.ToolSectionsTarget;
import kz.qatysu.sync.timetable.MoodleEventsTarget;
import kz.qatysu.sync.timetable.TimetableJob;
import kz.qatysu.sync.timetable.TimetableRules;
import kz.qatysu.sync.timetable.ToolSessionsTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The daemon's one wiring class: settings → database → connectors → targets → jobs → runner → Quartz, all with
 * {@code new}, in that order. {@link #create} builds everything without contacting any outside system;
 * {@link #start} starts the scheduler (and the metrics endpoint); {@link #runNow} runs a job at once in the calling
 * thread, under the same lock the scheduler uses.
 */
public final class SyncDaemonApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SyncDaemonApp.class);

    private final SyncSettings settings;
    private final Database database;
    private final List<AutoCloseable> resources;
    private final Map<String, SyncJob> jobs;
    private final SyncRunner runner;
    private final SyncMetrics metrics;
    private final SyncScheduler scheduler;
    private final PortalReader portal;
    private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
    private MetricsServer metricsServer;
    private final kz.qatysu.database.Migrations migrations;

    private SyncDaemonApp(SyncSettings settings, Database database, List<AutoCloseable> resources, Map<String, SyncJob> jobs,
                          SyncRunner runner, SyncMetrics metrics, SyncScheduler scheduler, PortalReader portal) {
        this.settings = settings;
        this.portal = portal;
        this.database = database;
        this.resources = resources;
        this.jobs = jobs;
        this.runner = runner;
        this.metrics = metrics;
        this.scheduler = scheduler;
        this.migrations = new kz.qatysu.database.Migrations(database.dataSource(), "sync");
    }

    /** Builds the daemon from validated settings (see {@link SyncSettings#read}); opens (and migrates) its database. */
    public static SyncDaemonApp create(SyncSettings s) {
        Objects.requireNonNull(s, "settings");
        Database db = Database.open("sync", s.process().db(), s.process().dataDir());
        return create(s, db, Clock.systemDefaultZone());
    }

    /** Builds the daemon on an already open database (tests, the demo). */
    public static SyncDaemonApp create(SyncSettings s, Database db, Clock clock) {
        List<AutoCloseable> resources = new ArrayList<>();
        SyncMetrics metrics = new SyncMetrics(db.jdbi());

        PortalSource source = portalSource(s, resources, metrics);
        resources.add(source);
        PortalReader portal = new PortalReader(source, s.zone());
        Optional<PortalSink> sink = portalSink(s, resources, clock);

        Optional<MoodleClient> moodle = s.moodle().map(m -> new MoodleClient(connector(m.http(), resources, metrics), m.token(),
                m.options().maxInputVars()));
        Optional<OpenEdxClient> openEdx = s.openEdx().map(o -> new OpenEdxClient(connector(o.http(), resources, metrics),
                o.clientId(), o.clientSecret(), clock));
        Optional<ToolClient> tool = s.tool().map(t -> new ToolClient(connector(t.http(), resources, metrics), t.token()));

        Path reports = s.stateDir().resolve("reports");
        Optional<Alerts> alerts = s.alertWebhook().map(w -> new Alerts(connector(w, resources, metrics)));
        SyncRunner runner = new SyncRunner(db.jdbi(), s.safety(), clock, report -> {
            metrics.record(report);
            alerts.ifPresent(a -> a.onRun(report));
            saveReport(reports, report);
            try {
                metrics.writeTo(s.stateDir().resolve("metrics.prom"));
            } catch (IOException e) {
                log.warn("cannot write the metrics textfile: {}", e.getMessage());
            }
        }, s::concurrency);
        metrics.seed(runner.runs());
        var ledger = runner.ledger();

        Map<String, SyncJob> jobs = new LinkedHashMap<>();
        var moodleOptions = s.moodle().map(SyncSettings.MoodleSettings::options);
        var accountRules = new AccountRules(moodleOptions.map(o -> o.nameScript()).orElse(kz.qatysu.connectors.portal.Person.Script.KK),
                s.suspendStatuses(), moodleOptions.map(o -> o.auth()).orElse("oauth2"), moodleOptions.flatMap(o -> o.lang()).orElse(null));
        jobs.put(AccountsJob.NAME, new AccountsJob(portal, accountRules,
                moodle.map(m -> (SyncTarget) new MoodleUsersTarget(m, moodleOptions.orElseThrow())), openEdx));
        jobs.put(SectionsJob.NAME, new SectionsJob(portal, new SectionRules(s.zone(),
                moodleOptions.map(o -> o.nameScript()).orElse(kz.qatysu.connectors.portal.Person.Script.KK)), accountRules,
                moodle.map(m -> {
                    var o = moodleOptions.orElseThrow();
                    return new SectionsJob.MoodleTargets(new MoodleCoursesTarget(m, o), new MoodleEnrolmentsTarget(m, o, ledger),
                            new MoodleGroupsTarget(m, o, ledger), MoodleGroupMembersTarget.academicGroups(m, o, ledger), o);
                }),
                openEdx.map(x -> new SectionsJob.OpenEdxTargets(new OpenEdxCohortsTarget(x), new OpenEdxEnrolmentsTarget(x, ledger))),
                tool.map(t -> new SectionsJob.ToolTargets(ToolSectionsTarget.sections(t), ToolSectionsTarget.enrolments(t)))));
        jobs.put(TimetableJob.NAME, new TimetableJob(portal, new TimetableRules(),
                moodle.map(m -> new MoodleEventsTarget(m, moodleOptions.orElseThrow(), ledger)), tool.map(ToolSessionsTarget::new),
                s.capacityWithCameras(), s.capacityWithoutCameras()));
        jobs.put(GradesJob.NAME, new GradesJob(portal, s.gradeDirections(), moodle,
                moodle.map(m -> new MoodleGradesTarget(m, ledger)), sink.map(PortalJournalTarget::new), openEdx,
                tool.map(t -> new GradesJob.ToTool(new ToolScoresTarget(t), s.gradeComponents()))));
        tool.ifPresent(t -> jobs.put(AttendanceJob.NAME, new AttendanceJob(t, runner.runs(),
                moodle.map(m -> (SyncTarget) LockGroups.target(m, moodleOptions.orElseThrow(), ledger, s.moodle().get().lockGroupName())),
                sink.map(k -> (SyncTarget) new PortalResultsTarget(PortalResultsTarget.STANDING, k)),
                sink.map(k -> (SyncTarget) new PortalResultsTarget(PortalResultsTarget.MARKS, k)))));

        // proctoring verdicts from the tool's feed → the portal sink beside the grades (needs both)
        tool.ifPresent(t -> sink.ifPresent(k -> jobs.put(kz.qatysu.sync.proctoring.VerdictsJob.NAME,
                new kz.qatysu.sync.proctoring.VerdictsJob(t, runner.runs(), new kz.qatysu.sync.proctoring.PortalVerdictsTarget(k)))));

        boolean reconcilable = moodle.isPresent();
        SyncScheduler scheduler = new SyncScheduler(db.dataSource(), s.scheduler(),
                job -> SyncSettings.RECONCILE.equals(job) ? worst(reconcile(runner, jobs, reconcilable, false, false))
                        : runner.run(jobs.get(job), false, false));
        return new SyncDaemonApp(s, db, resources, jobs, runner, metrics, scheduler, portal);
    }

    /** The jobs a reconciliation reads back, in order: their Moodle targets can be read (accounts, then sections). */
    public static final List<String> RECONCILED_JOBS = List.of(AccountsJob.NAME, SectionsJob.NAME);

    private static List<SyncRunReport> reconcile(SyncRunner runner, Map<String, SyncJob> jobs, boolean moodle, boolean dryRun,
                                                 boolean force) {
        List<SyncRunReport> out = new ArrayList<>();
        if (!moodle) {
            return out;
        }
        for (String name : RECONCILED_JOBS) {
            SyncRunReport r = runner.reconcile(jobs.get(name), dryRun, force);
            out.add(r);
            if (r.exitCode() >= 64 || r.status() == kz.qatysu.sync.engine.RunStatus.REFUSED) {
                break; // the sections' repairs need the accounts in order first
            }
        }
        return out;
    }

    /** The report with the highest exit code (the first of equals); an empty list → a no-op report. */
    static SyncRunReport worst(List<SyncRunReport> reports) {
        return reports.stream().reduce((a, b) -> b.exitCode() > a.exitCode() ? b : a)
                .orElseGet(() -> new SyncRunReport(0, SyncSettings.RECONCILE, kz.qatysu.sync.engine.RunStatus.SUCCEEDED, false, false,
                        java.time.Instant.now(), java.time.Instant.now(), List.of(), 0, List.of(), 0, List.of(), 0, List.of(), List.of(),
                        Map.of(), "nothing to reconcile: no target that can be read back (Moodle) is configured", List.of()));
    }

    /**
     * A reconciliation now, in the calling thread: the accounts job, then the sections job, each reading its Moodle
     * targets back and repairing the drift (stops after a refused or failed one). Empty without Moodle.
     */
    public List<SyncRunReport> reconcileNow(boolean dryRun, boolean force) {
        return reconcile(runner, jobs, settings.moodle().isPresent(), dryRun, force);
    }

    private static HttpConnector connector(kz.qatysu.connectors.http.HttpSettings http, List<AutoCloseable> resources, SyncMetrics metrics) {
        HttpConnector c = new HttpConnector(http);
        resources.add(c);
        metrics.watch(c);
        return c;
    }

    private static PortalSource portalSource(SyncSettings s, List<AutoCloseable> resources, SyncMetrics metrics) {
        var p = s.portal();
        return switch (p.kind()) {
            case CSV -> new CsvPortalSource(p.csvFolder(), p.files(), p.mapping(), p.csvFormat());
            case JDBC -> new JdbcPortalSource(portalDataSource(p.jdbc().orElseThrow(), resources),
                    kz.qatysu.connectors.portal.SqlDialect.fromUrl(p.jdbc().get().url()), p.views(), p.mapping(),
                    kz.qatysu.config.DatabaseSettings.maskJdbcPassword(p.jdbc().get().url()));
            case REST -> new RestPortalSource(connector(p.rest().orElseThrow(), resources, metrics), p.endpoints(), p.mapping(),
                    p.restAuthHeader(), p.restToken());
        };
    }

    private static Optional<PortalSink> portalSink(SyncSettings s, List<AutoCloseable> resources, Clock clock) {
        var p = s.portal();
        return switch (p.sink()) {
            case NONE -> Optional.empty();
            case CSV -> Optional.of(new CsvOutboxSink(p.outbox(), clock));
            case JDBC -> Optional.of(new JdbcStagingSink(portalDataSource(p.jdbc().orElseThrow(), resources),
                    kz.qatysu.connectors.portal.SqlDialect.fromUrl(p.jdbc().get().url()), clock,
                    p.stagingTables().get("grades"), p.stagingTables().get("marks"), p.stagingTables().get("standing"),
                    p.stagingTables().get("verdicts")));
        };
    }

    private static HikariDataSource portalDataSource(SyncSettings.JdbcSettings jdbc, List<AutoCloseable> resources) {
        for (AutoCloseable r : resources) {
            if (r instanceof HikariDataSource h && h.getJdbcUrl().equals(jdbc.url())) {
                return h;
            }
        }
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("portal");
        cfg.setJdbcUrl(kz.qatysu.connectors.portal.SqlDialect.driverUrl(jdbc.url())); // jdbc:mysql: → MariaDB's driver
        cfg.setUsername(jdbc.user());
        jdbc.password().ifPresent(pw -> cfg.setPassword(pw.reveal()));
        cfg.setMaximumPoolSize(3);
        // connect lazily: a portal database that is down fails the run that needs it, not the daemon's start
        cfg.setInitializationFailTimeout(-1);
        HikariDataSource ds = new HikariDataSource(cfg);
        resources.add(ds);
        return ds;
    }

    private static void saveReport(Path folder, SyncRunReport report) {
        if (report.runId() == 0) {
            return;
        }
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(report.job() + "-" + report.runId() + ".json"), report.toJson(), StandardCharsets.UTF_8);
            Files.writeString(folder.resolve(report.job() + "-last.txt"), report.summary(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.warn("cannot save the run report in {}: {}", folder, e.getMessage());
        }
    }

    /** Schedules every enabled job and starts Quartz (and {@code /metrics} when {@code sync.metrics.port} is set). */
    public void start() {
        // a job this configuration cannot run (e.g. verdicts without a tool and a portal sink) is scheduled as disabled
        Map<String, SyncSettings.JobSchedule> runnable = new LinkedHashMap<>();
        settings.jobs().forEach((name, schedule) -> runnable.put(name, jobs.containsKey(name)
                || (SyncSettings.RECONCILE.equals(name) && settings.moodle().isPresent()) ? schedule
                : new SyncSettings.JobSchedule(false, schedule.cron())));
        scheduler.schedule(runnable, settings.zone());
        scheduler.start();
        if (settings.metricsPort() > 0) {
            try {
                metricsServer = new MetricsServer(metrics, this::readiness, settings.metricsBind(), settings.metricsPort());
                log.info("metrics on http://{}/metrics", hostAndPort(metricsServer.address()));
                settings.adminToken().ifPresent(token -> {
                    // issue 13 §4: the administrator's pages of sync runs, on the same endpoint (docs/SYNC.md "Admin pages")
                    var adminJobs = new kz.qatysu.sync.admin.AdminJobs(scheduler, database.jdbi(), runnable,
                            job -> SyncSettings.RECONCILE.equals(job) ? reconcileNow(true, false) : List.of(runNow(job, true, false)),
                            RECONCILED_JOBS);
                    metricsServer.mount("/admin", new kz.qatysu.sync.admin.AdminHandler(token,
                            new kz.qatysu.sync.admin.AdminRuns(database.jdbi()), adminJobs, settings.zone(), Clock.systemUTC()));
                    log.info("admin pages on http://{}/admin/runs", hostAndPort(metricsServer.address()));
                });
            } catch (IOException e) {
                throw new IllegalStateException("cannot listen for metrics on " + settings.metricsBind() + " port "
                        + settings.metricsPort() + ": " + e.getMessage(), e);
            }
        }
        log.info("sync daemon started: jobs {}, state in {}", jobs.keySet(), settings.stateDir());
    }

    /** {@code GET /ready}: the database answers, every migration of this build is applied, the scheduler runs. */
    public Map<String, String> readiness() {
        Map<String, String> out = new LinkedHashMap<>();
        boolean db;
        try {
            db = database.jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            log.warn("ready check: the database is not reachable: {}", e.getMessage());
            db = false;
        }
        out.put("database", db ? "up" : "down");
        boolean migrated = false;
        try {
            migrated = db && migrations.applied();
        } catch (Exception e) {
            log.warn("ready check: cannot read the migration history: {}", e.getMessage());
        }
        out.put("migrations", migrated ? "up" : "down");
        out.put("scheduler", scheduler.running() ? "up" : "down");
        return out;
    }

    /** Stops the scheduler (waiting for running jobs), the metrics endpoint, the connectors and the database. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        scheduler.close();
        if (metricsServer != null) {
            metricsServer.close();
        }
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                log.debug("closing {}: {}", r, e.getMessage());
            }
        }
        database.close();
    }

    @Override
    public void close() {
        stop();
    }

    /** Runs {@code job} now in this thread. */
    public SyncRunReport runNow(String job, boolean dryRun, boolean force) {
        SyncJob j = jobs.get(job);
        if (j == null) {
            throw new IllegalArgumentException("unknown job '" + job + "'; jobs: " + String.join(", ", jobs.keySet()));
        }
        return runner.run(j, dryRun, force);
    }

    public List<String> jobNames() {
        return List.copyOf(jobs.keySet());
    }

    public SyncRunner runner() {
        return runner;
    }

    public SyncMetrics metrics() {
        return metrics;
    }

    /** Where {@code GET /metrics} listens, once {@link #start} has started it ({@code sync.metrics.port} set). */
    public Optional<java.net.InetSocketAddress> metricsAddress() {
        return Optional.ofNullable(metricsServer).map(MetricsServer::address);
    }

    private static String hostAndPort(java.net.InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    public SyncScheduler scheduler() {
        return scheduler;
    }

    public PortalReader portal() {
        return portal;
    }

    public SyncSettings settings() {
        return settings;
    }
}
