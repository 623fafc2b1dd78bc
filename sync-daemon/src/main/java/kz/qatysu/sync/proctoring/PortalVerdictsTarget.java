package kz.qatysu.sync.proctoring;

import kz.qatysu.connectors.portal.PortalSink;
import kz.qatysu.sync.engine.Action;
import kz.qatysu.sync.engine.Change;
import kz.qatysu.sync.engine.Outcome;
import kz.qatysu.sync.engine.SyncTarget;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Proctoring verdicts ({@code portal.verdicts}) pushed to the portal's sink beside the grades, one row per attempt. */
public final class PortalVerdictsTarget implements SyncTarget {
    public static final String NAME = "portal.verdicts";

    private final PortalSink sink;

    public PortalVerdictsTarget(PortalSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int batchSize() {
        return 500;
    }

    /** A verdict is never taken back by its absence from the feed (the feed brings only what changed). */
    @Override
    public boolean suspendsMissing() {
        return false;
    }

    @Override
    public List<Outcome> apply(Action action, List<Change> batch) {
        if (action != Action.SUSPEND) {
            sink.pushVerdicts(batch.stream().map(c -> row(c.desired().fields())).toList());
        }
        return batch.stream().map(c -> Outcome.ok(c.key(), c.key())).toList();
    }

    private static PortalSink.VerdictRow row(Map<String, String> f) {
        return new PortalSink.VerdictRow(f.get("section"), f.get("person"), f.get("exam"), f.get("examTitle"), f.get("attempt"),
                f.get("verdict"), f.get("score"), f.get("decidedAt"));
    }
}
