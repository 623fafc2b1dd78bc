package kz.qatysu.sync.schedule;

import kz.qatysu.sync.SyncRunReport;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

import java.util.Objects;
import java.util.function.Function;

/**
 * The one Quartz job class: a thin adapter that runs the sync job named by its JobKey. Quartz never sees more than
 * this; planning, applying and recording are the runner's. Non-concurrent per JobKey — cluster-wide with the JDBC
 * store — and the runner's advisory lock also keeps out runs started from the CLI.
 */
@DisallowConcurrentExecution
public final class ScheduledSyncJob implements Job {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ScheduledSyncJob.class);
    private final Function<String, SyncRunReport> runner;

    public ScheduledSyncJob(Function<String, SyncRunReport> runner) {
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        String job = context.getJobDetail().getKey().getName();
        if (context.isRecovering()) {
            // requestRecovery: the node that was running it stopped (kill -9, power); the runner marks its run CRASHED
            // and resumes from the ledger, so what that node already wrote is not written again
            log.warn("job={} recovering: it was running on a cluster node that stopped; running it again on this node", job);
        }
        try {
            SyncRunReport report = runner.apply(job);
            context.setResult(report.status().name());
            if (report.exitCode() >= 64) {
                // no refire: the next scheduled run (or an operator) picks it up; the report says why
                throw new JobExecutionException("sync job " + job + " ended " + report.status() + ": " + report.message(), false);
            }
        } catch (RuntimeException e) {
            throw new JobExecutionException("sync job " + job + " failed: " + e.getMessage(), e, false);
        }
    }
}
