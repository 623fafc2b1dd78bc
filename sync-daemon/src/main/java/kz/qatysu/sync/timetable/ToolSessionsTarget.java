package kz.qatysu.sync.timetable;

import kz.qatysu.connectors.http.Json;
import kz.qatysu.connectors.qatysu.ToolClient;
import kz.qatysu.connectors.qatysu.ToolModel;
import kz.qatysu.sync.engine.Action;
import kz.qatysu.sync.engine.Change;
import kz.qatysu.sync.engine.Outcome;
import kz.qatysu.sync.engine.SyncTarget;
import kz.qatysu.sync.engine.ToolWrites;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The planned sessions of each section in the tool ({@code qatysu.sessions}): one PUT of the full list per section.
 * The tool cancels sessions missing from a later list but keeps any marks they have; a section whose whole timetable
 * disappeared gets an empty list (guarded, like every suspension, by the safety valve).
 */
public final class ToolSessionsTarget implements SyncTarget {
    public static final String NAME = "qatysu.sessions";

    private final ToolClient tool;

    public ToolSessionsTarget(ToolClient tool) {
        this.tool = Objects.requireNonNull(tool, "tool");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int batchSize() {
        return 20;
    }

    @Override
    public List<Outcome> apply(Action action, List<Change> batch) {
        List<Outcome> out = new ArrayList<>();
        for (Change c : batch) {
            out.add(ToolWrites.put(c.key(), () -> tool.putSessions(c.key(), action == Action.SUSPEND ? List.of()
                    : List.of(Json.MAPPER.readValue(c.desired().get("sessions"), ToolModel.SessionBody[].class)))));
        }
        return out;
    }
}
