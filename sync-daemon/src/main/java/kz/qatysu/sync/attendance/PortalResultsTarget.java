package kz.qatysu.sync.attendance;

import kz.qatysu.connectors.portal.PortalSink;
import kz.qatysu.sync.engine.Action;
import kz.qatysu.sync.engine.Change;
import kz.qatysu.sync.engine.Outcome;
import kz.qatysu.sync.engine.SyncTarget;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Attendance marks ({@code portal.marks}) or absence standing ({@code portal.standing}) pushed to the portal's sink. */
public final class PortalResultsTarget implements SyncTarget {
    public static final String MARKS = "portal.marks";
    public static final String STANDING = "portal.standing";

    private final String name;
    private final PortalSink sink;

    public PortalResultsTarget(String name, PortalSink sink) {
        this.name = name;
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public String name() {
        return name;
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
            List<Map<String, String>> rows = batch.stream().map(c -> c.desired().fields()).toList();
            if (name.equals(MARKS)) {
                sink.pushMarks(rows.stream().map(f -> new PortalSink.MarkRow(f.get("section"), f.get("session"), f.get("person"),
                        f.get("status"), f.get("lateMinutes").isEmpty() ? null : Integer.valueOf(f.get("lateMinutes")), f.get("reason"))).toList());
            } else {
                sink.pushStanding(rows.stream().map(f -> new PortalSink.StandingRow(f.get("section"), f.get("person"), f.get("state"),
                        f.get("absenceShare"), f.get("absentHours"), f.get("plannedHours"), f.get("reason"))).toList());
            }
        }
        return batch.stream().map(c -> Outcome.ok(c.key(), c.key())).toList();
    }
}
