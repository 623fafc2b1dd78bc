package kz.qatysu.sync;

import com.fasterxml.jackson.annotation.JsonIgnore;
import kz.qatysu.connectors.http.Json;
import kz.qatysu.connectors.portal.RecordError;
import kz.qatysu.sync.engine.RunStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one run of one job: counts by target and action, every rejected source record and every record
 * that failed to apply, the safety valve's reasons, notes (e.g. the video-capacity report), and the duration.
 * Saved as JSON in the run history and printed as a human summary.
 *
 * @param runId    the run's id in the history, or 0 when no run was recorded (lock held)
 * @param targets  per target: planned counts by action, applied and failed
 * @param sourceErrorCount all rejected source records ({@code sourceErrors} lists the first {@value #ERRORS_LISTED})
 * @param failureCount     all records that failed to apply ({@code failures} lists the first {@value #ERRORS_LISTED})
 * @param skippedCount     all records left out on purpose, with the reason — not failures ({@code skipped} lists the first
 *                         {@value #ERRORS_LISTED})
 */
public record SyncRunReport(long runId, String job, RunStatus status, boolean dryRun, boolean forced, Instant startedAt,
                            Instant finishedAt, List<TargetReport> targets, int sourceErrorCount, List<RecordError> sourceErrors,
                            int failureCount, List<Failure> failures, int skippedCount, List<Skipped> skipped,
                            List<String> refusals, Map<String, Object> notes,
                            String message, List<PlannedChange> plan, boolean reconcile, Map<String, Integer> driftCounts, List<DriftRow> drift) {

    /** How many planned changes, rejected records and failures the report lists in full (the database keeps all). */
    public static final int PLAN_LISTED = 1000;
    public static final int ERRORS_LISTED = 1000;

    /** A run of the source's changes (not a reconciliation). */
    public SyncRunReport(long runId, String job, RunStatus status, boolean dryRun, boolean forced, Instant startedAt,
                         Instant finishedAt, List<TargetReport> targets, int sourceErrorCount, List<RecordError> sourceErrors,
                         int failureCount, List<Failure> failures, int skippedCount, List<Skipped> skipped,
                         List<String> refusals, Map<String, Object> notes, String message, List<PlannedChange> plan) {
        this(runId, job, status, dryRun, forced, startedAt, finishedAt, targets, sourceErrorCount, sourceErrors, failureCount,
                failures, skippedCount, skipped, refusals, notes, message, plan, false, Map.of(), List.of());
    }

    public SyncRunReport {
        drift = List.copyOf(drift.size() > ERRORS_LISTED ? drift.subList(0, ERRORS_LISTED) : drift);
        driftCounts = Map.copyOf(driftCounts);
        sourceErrors = List.copyOf(sourceErrors.size() > ERRORS_LISTED ? sourceErrors.subList(0, ERRORS_LISTED) : sourceErrors);
        failures = List.copyOf(failures.size() > ERRORS_LISTED ? failures.subList(0, ERRORS_LISTED) : failures);
        skipped = List.copyOf(skipped.size() > ERRORS_LISTED ? skipped.subList(0, ERRORS_LISTED) : skipped);
    }

    public record TargetReport(String target, int known, int create, int update, int suspend, int noop, int applied, int failed) {
    }

    public record Failure(String target, String key, String action, String error) {
    }

    /** A record a job left out on purpose (e.g. the enrolment of someone the accounts job gives no account), and why. */
    public record Skipped(String target, String key, String reason) {
    }

    /** A record a reconciliation found different in its target ({@code kind}: missing, suspended, active). */
    public record DriftRow(String target, String key, String kind, String detail) {
    }

    /** A planned change as shown by {@code sync plan} and {@code --dry-run}. */
    public record PlannedChange(String target, String key, String action, String explanation) {
    }

    /** Records a reconciliation found drifted, all targets and kinds ({@code driftCounts}: by "target kind"). */
    public int driftCount() {
        return driftCounts.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int exitCode() {
        return status.exitCode();
    }

    @JsonIgnore
    public Duration duration() {
        return finishedAt == null ? Duration.ZERO : Duration.between(startedAt, finishedAt);
    }

    public long durationMillis() {
        return duration().toMillis();
    }

    public String toJson() {
        return Json.write(this);
    }

    /** The human summary: what happened, counts by target and action, errors by record. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "sync %s%s: %s%s%s in %.1f s%s%n", reconcile ? "reconcile " : "", job, status,
                dryRun ? " (dry run)" : "", forced ? " (forced)" : "", duration().toMillis() / 1000.0,
                runId > 0 ? " — run #" + runId : ""));
        if (message != null && !message.isBlank()) {
            sb.append("  ").append(message).append('\n');
        }
        if (!targets.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "  %-24s %8s %8s %8s %8s %8s %8s%n", "target", "create", "update", "suspend",
                    "no-op", "applied", "failed"));
            for (TargetReport t : targets) {
                sb.append(String.format(Locale.ROOT, "  %-24s %8d %8d %8d %8d %8d %8d%n", t.target(), t.create(), t.update(),
                        t.suspend(), t.noop(), t.applied(), t.failed()));
            }
        }
        for (String r : refusals) {
            sb.append("  REFUSED: ").append(r).append('\n');
        }
        if (!refusals.isEmpty() && !forced) {
            sb.append("  Nothing was written. Check the source; if the change is real, run again with --force.\n");
        }
        if (reconcile) {
            int total = driftCount();
            sb.append("  drift: ").append(total).append(" record(s) differ in their target").append(total == 0 ? "\n" : ":\n");
            new java.util.TreeMap<>(driftCounts).forEach((k, n) -> sb.append("    ").append(k).append(": ").append(n).append('\n'));
            appendLimited(sb, "drifted records", total, drift.stream()
                    .map(d -> d.target() + " " + d.key() + " (" + d.kind() + "): " + d.detail()).toList());
        }
        appendLimited(sb, "rejected source records", sourceErrorCount, sourceErrors.stream().map(RecordError::toString).toList());
        appendLimited(sb, "records that failed to apply", failureCount, failures.stream()
                .map(f -> f.target() + " " + f.key() + " (" + f.action().toLowerCase(Locale.ROOT) + "): " + f.error()).toList());
        appendLimited(sb, "records skipped on purpose (not failures)", skippedCount, skipped.stream()
                .map(s -> s.target() + " " + s.key() + ": " + s.reason()).toList());
        notes.forEach((k, v) -> {
            if (v instanceof List<?> list) {
                appendLimited(sb, k, list.size(), list.stream().map(String::valueOf).toList());
            } else {
                sb.append("  ").append(k).append(": ").append(v).append('\n');
            }
        });
        return sb.toString();
    }

    private static void appendLimited(StringBuilder sb, String title, int total, List<String> lines) {
        if (total == 0) {
            return;
        }
        sb.append("  ").append(total).append(' ').append(title).append(":\n");
        lines.stream().limit(50).forEach(l -> sb.append("    - ").append(l).append('\n'));
        if (total > 50) {
            sb.append("    … and ").append(total - 50).append(" more (the JSON report lists up to ").append(ERRORS_LISTED)
                    .append(", the run history all of them)\n");
        }
    }
}
