package kz.qatysu.sync.engine;

import java.util.List;

/** One target of a job and the state the source wants there. Steps of a job are applied in order. */
public record SyncStep(SyncTarget target, List<Desired> desired) {
    public SyncStep {
        desired = List.copyOf(desired);
    }
}
