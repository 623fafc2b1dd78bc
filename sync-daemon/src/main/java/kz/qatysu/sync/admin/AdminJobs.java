package kz.qatysu.sync.admin;

import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.SyncSettings;
import kz.qatysu.sync.engine.JobLock;
import kz.qatysu.sync.schedule.SyncScheduler;
import org.jdbi.v3.core.Jdbi;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The jobs as the admin pages see and steer them: their schedule and next fire time from Quartz, whether one is
 * running (its advisory lock, any node), a dry run computed now, and "run now" handed to Quartz.
 */
public final class AdminJobs {
    /** One job as the jobs page shows it. */
    public record JobLine(String name, boolean enabled, String cron, Instant nextFire, AdminRuns.RunLine last, boolean running) {
    }

    /** What "run now" did. */
    public enum Started { TRIGGERED, RUNNING, NOT_SCHEDULED }

    private final SyncScheduler scheduler;
    private final Jdbi jdbi;
    private final Map<String, SyncSettings.JobSchedule> schedules;
    private final Function<String, List<SyncRunReport>> dryRun;
    private final List<String> reconciled;

    /**
     * @param schedules every job the daemon knows, as scheduled (a job this configuration cannot run is disabled)
     * @param dryRun    computes and saves the plan of a job now, writing nothing (a reconciliation: one report per job)
     * @param reconciled the jobs a reconciliation runs (their locks say whether it is running)
     */
    public AdminJobs(SyncScheduler scheduler, Jdbi jdbi, Map<String, SyncSettings.JobSchedule> schedules,
                     Function<String, List<SyncRunReport>> dryRun, List<String> reconciled) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.schedules = Map.copyOf(schedules);
        this.dryRun = Objects.requireNonNull(dryRun, "dryRun");
        this.reconciled = List.copyOf(reconciled);
        this.order = List.copyOf(schedules.keySet());
    }

    private final List<String> order;

    public List<String> names() {
        return order;
    }

    public boolean knows(String job) {
        return schedules.containsKey(job);
    }

    public SyncSettings.JobSchedule schedule(String job) {
        return schedules.get(job);
    }

    /** The trigger's next fire time, empty when the job is not scheduled here. */
    public Optional<Instant> nextFire(String job) {
        try {
            Trigger t = scheduler.quartz().getTrigger(TriggerKey.triggerKey(job, SyncScheduler.GROUP));
            return Optional.ofNullable(t).map(Trigger::getNextFireTime).map(java.util.Date::toInstant);
        } catch (SchedulerException e) {
            return Optional.empty();
        }
    }

    /** A run of the job holds its lock (any node, or a shell), or Quartz runs it on this node now. */
    public boolean running(String job) {
        boolean locked = SyncSettings.RECONCILE.equals(job) ? reconciled.stream().anyMatch(j -> JobLock.held(jdbi, j))
                : JobLock.held(jdbi, job);
        if (locked) {
            return true;
        }
        try {
            for (JobExecutionContext c : scheduler.quartz().getCurrentlyExecutingJobs()) {
                if (c.getJobDetail().getKey().equals(JobKey.jobKey(job, SyncScheduler.GROUP))) {
                    return true;
                }
            }
        } catch (SchedulerException e) {
            return false;
        }
        return false;
    }

    /** The plan now, saved as a dry run in the history; nothing is written to any target. */
    public List<SyncRunReport> dryRun(String job) {
        return dryRun.apply(job);
    }

    /**
     * Hands the job to Quartz to run now, unless a run of it is going on. In a cluster any node may take it; the
     * job's lock still keeps two runs apart.
     */
    public Started runNow(String job) {
        if (running(job)) {
            return Started.RUNNING;
        }
        JobKey key = JobKey.jobKey(job, SyncScheduler.GROUP);
        try {
            if (!scheduler.quartz().checkExists(key)) {
                return Started.NOT_SCHEDULED;
            }
            scheduler.quartz().triggerJob(key);
            return Started.TRIGGERED;
        } catch (SchedulerException e) {
            throw new IllegalStateException("Quartz could not start " + job + ": " + e.getMessage(), e);
        }
    }
}
