package kz.qatysu.sync;

import kz.qatysu.config.ConfigException;
import kz.qatysu.config.ConfigProblem;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.database.Database;
import kz.qatysu.sync.engine.RunRepository;
import kz.qatysu.sync.engine.RunStatus;

import java.io.PrintStream;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./qatysu sync …}: run a job now, show its plan, show the run history, or run the daemon.
 *
 * <pre>
 * sync run &lt;job&gt; [--dry-run] [--force] [--json]   run one job now (accounts, sections, timetable, grades, attendance)
 * sync plan &lt;job&gt; [--json]                        the plan, saved, nothing written (same as run --dry-run)
 * sync reconcile [--dry-run] [--force] [--json]  read Moodle's actual state back and repair the drift (accounts, sections)
 * sync status                                    the last run of every job and the ten latest runs
 * sync check                                     reach every configured system once, read-only, and explain problems
 * sync daemon                                    the scheduler (Quartz), until stopped (SIGTERM / Ctrl-C)
 * sync help
 * </pre>
 * Every command takes {@code --config <file>} (or {@code QATYSU_CONFIG}); environment variables override the file.
 * Exit codes are those of {@link RunStatus} (0 ok, 1 some records failed, 2 refused by the safety valve, 65 source
 * unreadable, 69 target unavailable, 70 internal error, 75 job already running) plus 64 usage and 78 configuration.
 */
public final class SyncCli {
    public static final int EX_OK = 0;
    public static final int EX_USAGE = 64;
    public static final int EX_CONFIG = 78;
    public static final int EX_SOFTWARE = 70;
    public static final int EX_UNAVAILABLE = 69;

    private SyncCli() {
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        List<String> words = new ArrayList<>();
        boolean dryRun = false;
        boolean force = false;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--config" -> i++;
                case "--dry-run" -> dryRun = true;
                case "--force" -> force = true;
                case "--json" -> json = true;
                default -> {
                    if (a.startsWith("--config=")) {
                        continue;
                    }
                    if (a.startsWith("--")) {
                        err.println("sync: unknown option " + a);
                        usage(err);
                        return EX_USAGE;
                    }
                    words.add(a);
                }
            }
        }
        String command = words.isEmpty() ? "help" : words.getFirst();
        if (command.equals("help") || command.equals("-h")) {
            usage(out);
            return EX_OK;
        }
        if ((command.equals("run") || command.equals("plan")) && words.size() != 2) {
            err.println("sync " + command + ": name one job (" + String.join(", ", SyncSettings.JOBS) + ")");
            return EX_USAGE;
        }
        if (command.equals("reconcile") && words.size() != 1) {
            err.println("sync reconcile takes no job: it reconciles " + String.join(" and ", SyncDaemonApp.RECONCILED_JOBS));
            return EX_USAGE;
        }
        if (!List.of("run", "plan", "status", "daemon", "check", "reconcile").contains(command)) {
            err.println("sync: unknown command '" + command + "'");
            usage(err);
            return EX_USAGE;
        }
        SyncSettings settings;
        try {
            ConfigSource source = ConfigSource.load(ConfigSource.locate(args, env).orElse(null), env);
            ConfigProblems problems = new ConfigProblems();
            settings = SyncSettings.read(new ConfigReader(source, problems));
            if (!problems.isEmpty()) {
                err.println("sync: invalid configuration (" + source.origin() + "), " + problems.list().size() + " problem(s):");
                for (ConfigProblem p : problems.list()) {
                    err.println("  - " + p + "   [env " + ConfigSource.envName(p.path()) + "]");
                }
                return EX_CONFIG;
            }
        } catch (ConfigException e) {
            err.println("sync: " + e.getMessage());
            return EX_CONFIG;
        }
        if ((command.equals("run") || command.equals("plan")) && words.get(1).equals(SyncSettings.RECONCILE)) {
            // 'sync run reconcile' = 'sync reconcile', so a timer template (qatysu-sync-run@reconcile) can run it
            command = "reconcile";
            dryRun = dryRun || words.getFirst().equals("plan");
            words = List.of("reconcile");
        }
        if (words.size() == 2 && !SyncSettings.JOBS.contains(words.get(1))) {
            err.println("sync " + command + ": unknown job '" + words.get(1) + "'; jobs: " + String.join(", ", SyncSettings.JOBS));
            return EX_USAGE;
        }
        SyncDaemonApp app;
        try {
            app = SyncDaemonApp.create(settings);
        } catch (Database.DatabaseUnavailableException e) {
            err.println("sync: " + e.getMessage());
            return EX_UNAVAILABLE;
        }
        try {
            return switch (command) {
                case "run", "plan" -> runJob(app, words.get(1), dryRun || command.equals("plan"), force, json, out, err);
                case "reconcile" -> reconcile(app, dryRun, force, json, out, err);
                case "status" -> status(app, out);
                case "check" -> {
                    out.println("checking every configured system (read-only):");
                    int failed = SyncCheck.run(settings, app.portal(), out);
                    yield failed == 0 ? EX_OK : EX_UNAVAILABLE;
                }
                default -> daemon(app, out);
            };
        } catch (IllegalArgumentException e) {
            err.println("sync: " + e.getMessage());
            return EX_USAGE;
        } catch (RuntimeException e) {
            err.println("sync: internal error: " + e);
            return EX_SOFTWARE;
        } finally {
            if (!command.equals("daemon")) {
                app.stop();
            }
        }
    }

    private static int runJob(SyncDaemonApp app, String job, boolean dryRun, boolean force, boolean json, PrintStream out, PrintStream err) {
        SyncRunReport report = app.runNow(job, dryRun, force);
        if (json) {
            out.println(report.toJson());
        } else {
            out.print(report.summary());
            if (dryRun && !report.plan().isEmpty()) {
                out.println("  planned changes" + (report.plan().size() >= SyncRunReport.PLAN_LISTED ? " (first " + SyncRunReport.PLAN_LISTED + ")" : "") + ":");
                report.plan().forEach(p -> out.println("    " + p.action().toLowerCase() + " " + p.target() + " " + p.key() + ": " + p.explanation()));
            }
        }
        if (report.status() == RunStatus.REFUSED || report.status() == RunStatus.LOCKED) {
            err.println("sync " + job + ": " + report.status() + " — " + report.message());
        }
        return report.exitCode();
    }

    /** Every reconciled job's report; the exit code is the highest of them (nothing configured to read back: 0). */
    private static int reconcile(SyncDaemonApp app, boolean dryRun, boolean force, boolean json, PrintStream out, PrintStream err) {
        List<SyncRunReport> reports = app.reconcileNow(dryRun, force);
        if (reports.isEmpty()) {
            out.println("sync reconcile: nothing to reconcile — no target that can be read back (sync.moodle) is configured");
            return EX_OK;
        }
        int exit = EX_OK;
        for (SyncRunReport report : reports) {
            if (json) {
                out.println(report.toJson());
            } else {
                out.print(report.summary());
                if (dryRun && !report.plan().isEmpty()) {
                    out.println("  planned repairs:");
                    report.plan().forEach(p -> out.println("    " + p.action().toLowerCase() + " " + p.target() + " " + p.key() + ": " + p.explanation()));
                }
            }
            if (report.status() == RunStatus.REFUSED || report.status() == RunStatus.LOCKED) {
                err.println("sync reconcile " + report.job() + ": " + report.status() + " — " + report.message());
            }
            exit = Math.max(exit, report.exitCode());
        }
        return exit;
    }

    private static int status(SyncDaemonApp app, PrintStream out) {
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        RunRepository runs = app.runner().runs();
        out.println("last run of each job:");
        List<RunRepository.RunRow> latest = runs.latestPerJob();
        if (latest.isEmpty()) {
            out.println("  (no runs yet)");
        }
        for (var r : latest) {
            out.printf("  %-11s #%-5d %-13s %s%s  %s%n", r.job(), r.id(), r.status(), f.format(r.startedAt().atZoneSameInstant(app.settings().zone())),
                    r.dryRun() ? " (dry run)" : "", r.summary() == null ? "" : r.summary());
        }
        out.println("jobs: " + String.join(", ", app.jobNames()) + "; schedule:");
        app.settings().jobs().forEach((job, s) -> out.printf("  %-11s %s %s%n", job, s.enabled() ? "enabled " : "disabled", s.cron()));
        out.println("recent runs:");
        for (var r : runs.recent(10)) {
            out.printf("  #%-5d %-11s %-13s %s%n", r.id(), r.job(), r.status(), f.format(r.startedAt().atZoneSameInstant(app.settings().zone())));
        }
        return EX_OK;
    }

    private static int daemon(SyncDaemonApp app, PrintStream out) {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            app.stop();
            stopped.countDown();
        }, "sync-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        app.start();
        out.println("sync daemon running; jobs " + app.jobNames() + " (stop with SIGTERM / Ctrl-C)");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            app.stop();
        }
        return EX_OK;
    }

    private static void usage(PrintStream out) {
        out.println("""
                usage: ./qatysu sync <command> [--config <file>]
                  run <job> [--dry-run] [--force] [--json]   run one job now
                  plan <job> [--json]                        compute, save and print the plan; write nothing
                  reconcile [--dry-run] [--force] [--json]   read Moodle back and repair drift (accounts, sections)
                  status                                     last run of each job, schedule, recent runs
                  check                                      reach the portal, Moodle and Open edX once (read-only)
                  daemon                                     run the scheduled jobs until stopped
                  help                                       this text
                jobs: accounts, sections, timetable, grades, attendance
                exit codes: 0 ok · 1 some records failed (the rest applied) · 2 refused by the safety valve (nothing written)
                            64 usage · 65 source unreadable or broken · 69 target unavailable · 70 internal error
                            75 the job is already running · 78 invalid configuration
                configuration: docs/SYNC.md (every key also as QATYSU_ + UPPER_SNAKE environment variable)""");
    }
}
