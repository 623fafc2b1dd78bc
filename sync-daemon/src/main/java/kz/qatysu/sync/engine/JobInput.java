package kz.qatysu.sync.engine;

import kz.qatysu.connectors.portal.RecordError;

import java.util.List;

/** What a job prepared from its sources: the steps to plan and apply, and how the source reads went. */
public record JobInput(List<SyncStep> steps, List<SourceRead> reads, List<Runnable> afterSuccess) {
    public JobInput {
        steps = List.copyOf(steps);
        reads = List.copyOf(reads);
        afterSuccess = List.copyOf(afterSuccess);
    }

    public JobInput(List<SyncStep> steps, List<SourceRead> reads) {
        this(steps, reads, List.of());
    }

    /** Something to do only once every record was applied (e.g. move a feed cursor past what was pushed). */
    public JobInput thenOnSuccess(Runnable r) {
        var list = new java.util.ArrayList<>(afterSuccess);
        list.add(r);
        return new JobInput(steps, reads, list);
    }

    public List<RecordError> sourceErrors() {
        return reads.stream().flatMap(r -> r.errors().stream()).toList();
    }
}
