package kz.qatysu.sync.grades;

import kz.qatysu.connectors.portal.PortalSink;
import kz.qatysu.sync.engine.Action;
import kz.qatysu.sync.engine.Change;
import kz.qatysu.sync.engine.Outcome;
import kz.qatysu.sync.engine.SyncTarget;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** LMS grades into the portal's journal through its {@link PortalSink} ({@code portal.journal}); nothing is withdrawn. */
public final class PortalJournalTarget implements SyncTarget {
    public static final String NAME = "portal.journal";

    private final PortalSink sink;

    public PortalJournalTarget(PortalSink sink) {
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

    @Override
    public boolean suspendsMissing() {
        return false;
    }

    @Override
    public List<Outcome> apply(Action action, List<Change> batch) {
        if (action != Action.SUSPEND) {
            sink.pushGrades(batch.stream().map(c -> {
                Map<String, String> f = c.desired().fields();
                return new PortalSink.GradeRow(f.get("section"), f.get("person"), f.get("item"), f.get("score"), f.get("max"), f.get("letter"));
            }).toList());
        }
        return batch.stream().map(c -> Outcome.ok(c.key(), c.key())).toList();
    }
}
