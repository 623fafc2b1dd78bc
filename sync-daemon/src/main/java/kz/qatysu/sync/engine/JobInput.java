package kz.qatysu.sync.engine;

import kz.qatysu.connectors.portal.RecordError;
import kz.qatysu.sync.SyncRunReport.Skipped;

import java.util.List;

/**
 * What a job prepared from its sources: the steps to plan and apply, how the source reads went, and the records it
 * leaves out on purpose ({@code skipped}: reported with their reason, neither planned nor failures).
 */
public record JobInput(List<SyncStep> steps, List<SourceRead> reads, List<Runnable> afterSuccess, List<Skipped> skipped) {
    public JobInput {
        steps = List.copyOf(steps);
        reads = List.copyOf(reads);
        afterSuccess = List.copyOf(afterSuccess);
        skipped = List.copyOf(skipped);
    }

    public JobInput(List<SyncStep> steps, List<SourceRead> reads) {
        this(steps, reads, List.of(), List.of());
    }

    public JobInput withSkipped(List<Skipped> records) {
        return new JobInput(steps, reads, afterSuccess, records);
    }

    /** Something to do only once every record was applied (e.g. move a feed cursor past what was pushed). */
    public JobInput thenOnSuccess(Runnable r) {
        var list = new java.util.ArrayList<>(afterSuccess);
        list.add(r);
        return new JobInput(steps, reads, list, skipped);
    }

    public List<RecordError> sourceErrors() {
        return reads.stream().flatMap(r -> r.errors().stream()).toList();
    }
}
