package kz.qatysu.sync.engine;

import kz.qatysu.connectors.portal.RecordError;

import java.util.List;

/** What a job prepared from its sources: the steps to plan and apply, and how the source reads went. */
public record JobInput(List<SyncStep> steps, List<SourceRead> reads) {
    public JobInput {
        steps = List.copyOf(steps);
        reads = List.copyOf(reads);
    }

    public List<RecordError> sourceErrors() {
        return reads.stream().flatMap(r -> r.errors().stream()).toList();
    }
}
