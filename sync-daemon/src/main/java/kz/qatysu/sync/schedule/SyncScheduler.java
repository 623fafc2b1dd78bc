package kz.qatysu.sync.schedule;

import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.SyncSettings;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.function.Function;

/**
 * Quartz 2.5.2 with the JDBC job store on the daemon's PostgreSQL (tables from migration V2), one cron trigger per
 * enabled job, jobs made by our own {@link JobFactory} (no reflection-built jobs, no statics of ours). Clustered mode
 * is {@code sync.scheduler.clustered: true} on every node (same database, same instance name, distinct instance ids).
 */
public final class SyncScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SyncScheduler.class);
    public static final String GROUP = "sync";
    public static final String INSTANCE_NAME = "qatysu-sync";

    private final Scheduler scheduler;
    private final String dataSourceName;

    public SyncScheduler(DataSource dataSource, SyncSettings.SchedulerSettings settings, Function<String, SyncRunReport> runner) {
        // Quartz looks data sources up by name in its own registry; the name is unique per scheduler instance
        this.dataSourceName = "qatysu-sync-" + Integer.toHexString(System.identityHashCode(this));
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public void shutdown() {
                // the pool belongs to the Database, which closes it
            }

            @Override
            public void initialize() {
            }
        });
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", INSTANCE_NAME);
        p.setProperty("org.quartz.scheduler.instanceId", settings.instanceId());
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(settings.threads()));
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.useProperties", "true");
        p.setProperty("org.quartz.jobStore.isClustered", Boolean.toString(settings.clustered()));
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(settings.checkinInterval().toMillis()));
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        try {
            StdSchedulerFactory factory = new StdSchedulerFactory(p);
            this.scheduler = factory.getScheduler();
            ScheduledSyncJob job = new ScheduledSyncJob(runner);
            scheduler.setJobFactory(new JobFactory() {
                @Override
                public org.quartz.Job newJob(TriggerFiredBundle bundle, Scheduler s) {
                    return job;
                }
            });
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot create the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    /** Stores (or replaces) the job and trigger of every enabled job and removes disabled ones. */
    public void schedule(Map<String, SyncSettings.JobSchedule> jobs, ZoneId zone) {
        try {
            for (var e : jobs.entrySet()) {
                JobKey key = JobKey.jobKey(e.getKey(), GROUP);
                if (!e.getValue().enabled()) {
                    if (scheduler.deleteJob(key)) {
                        log.info("job={} disabled: removed from the schedule", e.getKey());
                    }
                    continue;
                }
                JobDetail detail = JobBuilder.newJob(ScheduledSyncJob.class).withIdentity(key).storeDurably()
                        .requestRecovery(true).withDescription("Qatysu sync job " + e.getKey()).build();
                Trigger trigger = TriggerBuilder.newTrigger().withIdentity(e.getKey(), GROUP).forJob(key)
                        .withSchedule(CronScheduleBuilder.cronSchedule(e.getValue().cron()).inTimeZone(TimeZone.getTimeZone(zone))
                                .withMisfireHandlingInstructionFireAndProceed())
                        .build();
                scheduler.scheduleJob(detail, Set.of(trigger), true);
                log.info("job={} cron=\"{}\" zone={} next={}", e.getKey(), e.getValue().cron(), zone, trigger.getFireTimeAfter(new java.util.Date()));
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule the sync jobs: " + e.getMessage(), e);
        }
    }

    public void start() {
        try {
            scheduler.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    /** Started and neither in stand-by nor shut down (the daemon's ready check). */
    public boolean running() {
        try {
            return scheduler.isStarted() && !scheduler.isInStandbyMode() && !scheduler.isShutdown();
        } catch (org.quartz.SchedulerException e) {
            return false;
        }
    }

    public Scheduler quartz() {
        return scheduler;
    }

    @Override
    public void close() {
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            log.warn("Quartz did not shut down cleanly: {}", e.getMessage());
        }
    }
}
