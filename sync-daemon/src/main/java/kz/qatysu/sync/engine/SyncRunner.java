package kz.qatysu.sync.engine;

import kz.qatysu.connectors.http.HttpFailure;
import kz.qatysu.connectors.moodle.MoodleException;
import kz.qatysu.connectors.portal.SourceUnavailableException;
import kz.qatysu.connectors.qatysu.ToolApiException;
import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.SyncRunReport.Failure;
import kz.qatysu.sync.SyncRunReport.PlannedChange;
import kz.qatysu.sync.SyncRunReport.TargetReport;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * Runs one job end to end, the same way for every job and every caller (scheduler, CLI, demo):
 * lock → mark crashed predecessors → read the source → plan every step against the ledger → safety valve →
 * (dry run: save the plan and stop) → apply in batches, recording each record's outcome and the ledger in one
 * transaction per batch → report. Nothing is written to a target before the whole plan passed the valve.
 */
public final class SyncRunner {
    private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);
    private static final List<Action> ORDER = List.of(Action.CREATE, Action.UPDATE, Action.SUSPEND);

    private final Jdbi jdbi;
    private final Ledger ledger;
    private final RunRepository runs;
    private final SafetyLimits limits;
    private final Clock clock;
    private final Consumer<SyncRunReport> listener;
    private final ToIntFunction<String> concurrency;

    /** @param listener told about every finished run (metrics, alerts) */
    public SyncRunner(Jdbi jdbi, SafetyLimits limits, Clock clock, Consumer<SyncRunReport> listener) {
        this(jdbi, limits, clock, listener, target -> 1);
    }

    /**
     * @param concurrency how many batches of a target may be in flight at once, by target name ({@code moodle.users} →
     *                    {@code sync.moodle.concurrency}); 1 sends one request at a time
     */
    public SyncRunner(Jdbi jdbi, SafetyLimits limits, Clock clock, Consumer<SyncRunReport> listener, ToIntFunction<String> concurrency) {
        this.concurrency = Objects.requireNonNull(concurrency, "concurrency");
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.ledger = new Ledger(jdbi);
        this.runs = new RunRepository(jdbi);
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    public Ledger ledger() {
        return ledger;
    }

    public RunRepository runs() {
        return runs;
    }

    public SyncRunReport run(SyncJob job, boolean dryRun, boolean force) {
        return run(job, dryRun, force, false);
    }

    /**
     * A reconciliation run of {@code job}: every {@link Reconcilable} target's actual state is read, the ledger is
     * corrected to it ({@link Drift#observed}), and only the drifted records are planned — by the same planner, under
     * the same lock, safety valve (plus {@link SafetyValve#checkDrift}) and dry run. Targets that cannot be read
     * back plan nothing. Drift is saved per record ({@code sync_drift}) and reported as its own figure.
     */
    public SyncRunReport reconcile(SyncJob job, boolean dryRun, boolean force) {
        return run(job, dryRun, force, true);
    }

    private SyncRunReport run(SyncJob job, boolean dryRun, boolean force, boolean reconcile) {
        Instant started = clock.instant();
        Optional<JobLock> lock = JobLock.tryAcquire(jdbi, job.name());
        if (lock.isEmpty()) {
            var report = new SyncRunReport(0, job.name(), RunStatus.LOCKED, dryRun, force, started, clock.instant(), List.of(),
                    0, List.of(), 0, List.of(), 0, List.of(), List.of(), Map.of(), "another run of '" + job.name() + "' is in progress; nothing was done", List.of());
            listener.accept(report);
            return report;
        }
        try (JobLock ignored = lock.get()) {
            List<Long> crashed = runs.markCrashed(job.name());
            long runId = runs.start(job.name(), dryRun, force, started, reconcile);
            MDC.put("job", job.name());
            MDC.put("run", Long.toString(runId));
            try {
                Attempt attempt = new Attempt(job, runId, dryRun, force, started, reconcile);
                if (!crashed.isEmpty()) {
                    attempt.message = "resumed after interrupted run(s) " + crashed + "; already applied records are no-ops";
                    log.warn("job={} resuming after crashed runs {}", job.name(), crashed);
                }
                SyncRunReport report;
                try {
                    report = attempt.execute();
                } catch (RuntimeException e) {
                    log.error("job={} run={} failed unexpectedly", job.name(), runId, e);
                    report = attempt.report(RunStatus.FAILED, append(attempt.message, "unexpected error: " + e));
                }
                runs.finish(runId, report.status(), report.finishedAt(), firstLine(report.summary()), report.toJson());
                log.info("job={} run={} status={} durationMs={} {}", job.name(), runId, report.status(), report.durationMillis(),
                        report.targets().stream().map(t -> t.target() + "[c" + t.create() + " u" + t.update() + " s" + t.suspend()
                                + " n" + t.noop() + " ok" + t.applied() + " x" + t.failed() + "]").toList());
                listener.accept(report);
                return report;
            } finally {
                MDC.remove("job");
                MDC.remove("run");
            }
        }
    }

    /** One run's mutable working state. */
    private final class Attempt {
        final SyncJob job;
        final long runId;
        final boolean dryRun;
        final boolean force;
        final Instant started;
        final List<TargetReport> targets = new ArrayList<>();
        final List<Failure> failures = new ArrayList<>();
        final List<String> refusals = new ArrayList<>();
        final List<PlannedChange> listed = new ArrayList<>();
        List<kz.qatysu.connectors.portal.RecordError> sourceErrors = List.of();
        List<SyncRunReport.Skipped> skipped = List.of();
        final boolean reconcile;
        final List<SyncRunReport.DriftRow> drift = new ArrayList<>();
        final Map<String, Integer> driftCounts = new java.util.TreeMap<>();
        JobContext context;
        String message;

        Attempt(SyncJob job, long runId, boolean dryRun, boolean force, Instant started, boolean reconcile) {
            this.reconcile = reconcile;
            this.job = job;
            this.runId = runId;
            this.dryRun = dryRun;
            this.force = force;
            this.started = started;
        }

        SyncRunReport execute() {
            context = new JobContext(ledger, dryRun);
            JobInput input;
            try {
                input = job.prepare(context);
            } catch (SourceUnavailableException e) {
                log.error("job={} source unavailable: {}", job.name(), e.getMessage());
                return report(RunStatus.SOURCE_FAILED, "source unavailable, nothing was written: " + e.getMessage());
            } catch (HttpFailure | MoodleException | ToolApiException e) {
                return report(RunStatus.TARGET_FAILED, "a target could not be read, nothing was written: " + e.getMessage());
            } catch (RuntimeException e) {
                log.error("job={} failed while reading its sources", job.name(), e);
                return report(RunStatus.FAILED, "unexpected error while reading the sources, nothing was written: " + e);
            }
            sourceErrors = input.sourceErrors();
            runs.sourceErrors(runId, sourceErrors);
            skipped = input.skipped();
            runs.skipped(runId, skipped);
            for (SourceRead read : input.reads()) {
                String r = SafetyValve.checkErrors(read.source(), read.rows(), read.errors().size(), limits);
                if (r != null) {
                    refusals.add(r);
                }
            }
            List<Plan> plans = new ArrayList<>();
            Map<String, SyncTarget> byName = new HashMap<>();
            for (SyncStep step : input.steps()) {
                String name = step.target().name();
                Map<String, LedgerState> states = ledger.states(name);
                Plan plan;
                if (reconcile) {
                    try {
                        plan = reconcile(step, states);
                    } catch (HttpFailure | MoodleException | ToolApiException e) {
                        log.error("job={} target={} could not be read back: {}", job.name(), name, e.getMessage());
                        return report(RunStatus.TARGET_FAILED, append(message, name + " could not be read back, nothing was written: "
                                + e.getMessage()));
                    }
                } else {
                    plan = explain(Planner.plan(name, step.desired(), states, step.target().suspendsMissing()));
                }
                plans.add(plan);
                byName.put(plan.target(), step.target());
                refusals.addAll(SafetyValve.check(plan, limits));
                plan.changes().stream().limit(Math.max(0, SyncRunReport.PLAN_LISTED - listed.size()))
                        .forEach(c -> listed.add(new PlannedChange(plan.target(), c.key(), c.action().name(), c.explain())));
            }
            if (!refusals.isEmpty() && !force) {
                plans.forEach(p -> {
                    runs.planned(runId, p.target(), p.changes(), "REFUSED");
                    targets.add(targetReport(p, 0, 0));
                });
                refusals.forEach(r -> log.error("ALERT job={} run={} safety valve refused the plan: {}", job.name(), runId, r));
                return report(RunStatus.REFUSED, "the safety valve refused the plan; nothing was written");
            }
            if (dryRun) {
                plans.forEach(p -> {
                    runs.planned(runId, p.target(), p.changes(), "PLANNED");
                    targets.add(targetReport(p, 0, 0));
                });
                return report(RunStatus.DRY_RUN, append(message, "dry run: the plan was saved, nothing was written"));
            }
            if (!refusals.isEmpty()) {
                refusals.forEach(r -> log.warn("job={} run={} safety valve overridden by --force: {}", job.name(), runId, r));
            }
            for (Plan plan : plans) {
                try {
                    apply(plan, byName.get(plan.target()));
                } catch (HttpFailure | MoodleException | ToolApiException e) {
                    log.error("job={} target={} stopped: {}", job.name(), plan.target(), e.getMessage());
                    plans.subList(plans.indexOf(plan) + 1, plans.size()).forEach(p -> targets.add(targetReport(p, 0, 0)));
                    return report(RunStatus.TARGET_FAILED, append(message, plan.target() + " stopped the run: " + e.getMessage()
                            + " — applied records are recorded; the next run continues from there"));
                } catch (RuntimeException e) {
                    log.error("job={} target={} failed unexpectedly", job.name(), plan.target(), e);
                    return report(RunStatus.FAILED, append(message, plan.target() + ": unexpected " + e));
                }
            }
            if (failures.isEmpty() && !reconcile) {
                input.afterSuccess().forEach(Runnable::run);
            }
            return report(failures.isEmpty() ? RunStatus.SUCCEEDED : RunStatus.PARTIAL, message);
        }

        /**
         * Reads the target back, plans the drifted records against the ledger corrected to what the target holds,
         * and keeps only those changes, each explained by its drift. A target that cannot be read back plans nothing.
         */
        Plan reconcile(SyncStep step, Map<String, LedgerState> states) {
            String name = step.target().name();
            if (!(step.target() instanceof Reconcilable r) || states.isEmpty()) {
                return new Plan(name, (int) states.values().stream().filter(x -> !x.suspended()).count(), List.of(), 0);
            }
            List<Drift> drifts = r.observe(states);
            Map<String, Drift> byKey = new HashMap<>();
            drifts.forEach(d -> byKey.put(d.key(), d));
            runs.drift(runId, name, drifts);
            drifts.forEach(d -> {
                driftCounts.merge(name + " " + d.kind().label(), 1, Integer::sum);
                if (drift.size() < SyncRunReport.ERRORS_LISTED) {
                    drift.add(new SyncRunReport.DriftRow(name, d.key(), d.kind().label(), d.detail()));
                }
            });
            Plan full = Planner.plan(name, step.desired(), Drift.observed(states, drifts), step.target().suspendsMissing());
            List<Change> repairs = full.changes().stream().filter(c -> byKey.containsKey(c.key()))
                    .map(c -> new Change(c.key(), c.action(), c.desired(), c.previous(), List.of(),
                            "drift: " + byKey.get(c.key()).detail()))
                    .toList();
            int known = (int) states.values().stream().filter(x -> !x.suspended()).count();
            String refusal = SafetyValve.checkDrift(name, states.size(), drifts.size(), limits);
            if (refusal != null) {
                refusals.add(refusal);
            }
            log.info("job={} target={} reconcile: {} of {} ledger records drifted, {} repairs planned", job.name(), name,
                    drifts.size(), states.size(), repairs.size());
            return new Plan(name, known, repairs, states.size() - repairs.size());
        }

        /** Adds the field-by-field difference to every update, from the fields the ledger kept. */
        Plan explain(Plan plan) {
            List<String> keys = plan.changes().stream().filter(c -> c.action() == Action.UPDATE).map(Change::key).toList();
            if (keys.isEmpty()) {
                return plan;
            }
            Map<String, Map<String, String>> before = ledger.fields(plan.target(), keys);
            List<Change> changes = plan.changes().stream()
                    .map(c -> c.action() == Action.UPDATE && before.containsKey(c.key())
                            ? c.withDiff(Planner.diff(before.get(c.key()), c.desired())) : c)
                    .toList();
            return new Plan(plan.target(), plan.known(), changes, plan.noops());
        }

        /**
         * Applies one target's plan: creates, then updates, then suspends (each action finished before the next
         * starts), each action's batches with up to {@code concurrency} in flight. Targets are applied one after the
         * other in the job's order, so what a later step needs (an account before its enrolment, a group before its
         * members) is always there: the steps are the dependency waves. Each batch's outcomes and ledger rows are one
         * transaction of their own, whichever thread finishes it.
         */
        void apply(Plan plan, SyncTarget target) {
            AtomicInteger applied = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            if (!plan.changes().isEmpty()) {
                target.beginRun();
            }
            int parallel = Math.max(1, concurrency.applyAsInt(plan.target()));
            try {
                for (Action action : ORDER) {
                    List<Change> all = plan.of(action);
                    List<List<Change>> batches = new ArrayList<>();
                    for (int i = 0; i < all.size(); i += target.batchSize()) {
                        batches.add(all.subList(i, Math.min(all.size(), i + target.batchSize())));
                    }
                    if (parallel == 1 || batches.size() < 2) {
                        for (List<Change> batch : batches) {
                            applyBatch(plan.target(), target, action, batch, applied, failed);
                        }
                    } else {
                        applyConcurrently(plan.target(), target, action, batches, Math.min(parallel, batches.size()), applied, failed);
                    }
                }
            } finally {
                targets.add(targetReport(plan, applied.get(), failed.get()));
            }
        }

        void applyBatch(String name, SyncTarget target, Action action, List<Change> batch, AtomicInteger applied, AtomicInteger failed) {
            List<Outcome> outcomes = target.apply(action, batch);
            int[] counts = record(name, action, batch, outcomes);
            applied.addAndGet(counts[0]);
            failed.addAndGet(counts[1]);
        }

        /**
         * Up to {@code parallel} batches in flight. When one throws (the target stopped answering), no further batch
         * starts; those in flight finish and are recorded, then the first exception ends the target as it would
         * sequentially.
         */
        void applyConcurrently(String name, SyncTarget target, Action action, List<List<Change>> batches, int parallel,
                               AtomicInteger applied, AtomicInteger failed) {
            Map<String, String> mdc = MDC.getCopyOfContextMap();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger seq = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
                Thread t = new Thread(r, "sync-" + name + "-" + seq.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (List<Change> batch : batches) {
                    futures.add(pool.submit(() -> {
                        if (stop.get()) {
                            return;
                        }
                        if (mdc != null) {
                            MDC.setContextMap(mdc);
                        }
                        try {
                            applyBatch(name, target, action, batch, applied, failed);
                        } catch (RuntimeException e) {
                            stop.set(true);
                            throw e;
                        } finally {
                            MDC.clear();
                        }
                    }));
                }
                RuntimeException first = null;
                for (Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        if (first == null) {
                            first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        stop.set(true);
                        throw new IllegalStateException("interrupted while applying " + name, e);
                    }
                }
                if (first != null) {
                    throw first;
                }
            } finally {
                pool.shutdownNow();
            }
        }

        /** Ledger + audit rows of one batch, in one transaction. Returns {applied, failed}. */
        int[] record(String target, Action action, List<Change> batch, List<Outcome> outcomes) {
            Map<String, Outcome> byKey = new HashMap<>();
            outcomes.forEach(o -> byKey.put(o.key(), o));
            List<Ledger.Written> written = new ArrayList<>();
            List<RunRepository.ChangeRow> rows = new ArrayList<>();
            int ok = 0;
            int bad = 0;
            for (Change c : batch) {
                Outcome o = byKey.getOrDefault(c.key(), Outcome.failed(c.key(), "the target adapter returned no outcome"));
                if (o.ok()) {
                    ok++;
                    Map<String, String> fields = c.desired() != null ? c.desired().fields() : Map.of();
                    boolean suspended = action == Action.SUSPEND;
                    String hash = c.desired() != null ? Desired.hash(fields, suspended) : c.previous().hash();
                    if (c.desired() == null) {
                        // gone from the source: keep the last fields so a return is explained against them
                        written.add(new Ledger.Written(c.key(), hash, null, o.remoteId(), true));
                    } else {
                        written.add(new Ledger.Written(c.key(), hash, fields, o.remoteId(), suspended));
                    }
                    rows.add(new RunRepository.ChangeRow(c.key(), action, "APPLIED", c.explain()));
                } else {
                    bad++;
                    synchronized (failures) {
                        failures.add(new Failure(target, c.key(), action.name(), o.error()));
                    }
                    rows.add(new RunRepository.ChangeRow(c.key(), action, "FAILED", c.explain() + " — " + o.error()));
                    log.warn("target={} record={} action={} failed: {}", target, c.key(), action, o.error());
                }
            }
            jdbi.useTransaction(h -> {
                Ledger.record(h, target, runId, written);
                RunRepository.changes(h, runId, target, rows);
            });
            return new int[] {ok, bad};
        }

        TargetReport targetReport(Plan p, int applied, int failed) {
            return new TargetReport(p.target(), p.known(), p.count(Action.CREATE), p.count(Action.UPDATE), p.count(Action.SUSPEND),
                    p.noops(), applied, failed);
        }

        SyncRunReport report(RunStatus status, String msg) {
            return new SyncRunReport(runId, job.name(), status, dryRun, force, started, clock.instant(), List.copyOf(targets),
                    sourceErrors.size(), sourceErrors, failures.size(), List.copyOf(failures), skipped.size(), skipped, List.copyOf(refusals),
                    context == null ? Map.of() : context.notes(), msg, List.copyOf(listed), reconcile, driftCounts, List.copyOf(drift));
        }
    }

    private static String append(String a, String b) {
        return a == null || a.isBlank() ? b : a + "; " + b;
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("");
    }
}
