package kz.qatysu.sync.grades;

import kz.qatysu.connectors.http.Json;
import kz.qatysu.connectors.qatysu.ToolApiException;
import kz.qatysu.connectors.qatysu.ToolClient;
import kz.qatysu.connectors.qatysu.ToolModel.ScoreBody;
import kz.qatysu.sync.engine.Action;
import kz.qatysu.sync.engine.Change;
import kz.qatysu.sync.engine.Outcome;
import kz.qatysu.sync.engine.SyncTarget;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Assessment scores in the Qatysu tool ({@code qatysu.scores}), one record per section, person and component
 * (RK1, MT, RK2, …), for the tool's exam admission. Each batch becomes one {@code PUT /api/v1/sections/{id}/scores}
 * per section, a merge that leaves the section's other scores as they are. A score gone from its source is removed
 * ({@code "points": null}) — guarded, like every suspension, by the safety valve.
 *
 * <p>The tool refuses a request as a whole and names each bad record ({@code [2].points}): those records fail with
 * the tool's reason and the rest of the section is sent again without them, so one bad score never blocks the others.
 */
public final class ToolScoresTarget implements SyncTarget {
    public static final String NAME = "qatysu.scores";

    private final ToolClient tool;

    public ToolScoresTarget(ToolClient tool) {
        this.tool = Objects.requireNonNull(tool, "tool");
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
    public List<Outcome> apply(Action action, List<Change> batch) {
        Map<String, List<Change>> bySection = new LinkedHashMap<>();
        for (Change c : batch) {
            bySection.computeIfAbsent(section(c), k -> new ArrayList<>()).add(c);
        }
        List<Outcome> out = new ArrayList<>();
        bySection.forEach((section, changes) -> out.addAll(put(section, action, changes)));
        return out;
    }

    /** One section's changes: PUT, and while the tool names bad records, fail those and PUT the rest again. */
    private List<Outcome> put(String section, Action action, List<Change> changes) {
        List<Outcome> out = new ArrayList<>();
        List<Change> pending = changes;
        while (!pending.isEmpty()) {
            try {
                tool.putScores(section, pending.stream().map(c -> body(action, c)).toList());
                pending.forEach(c -> out.add(Outcome.ok(c.key(), address(c))));
                return out;
            } catch (ToolApiException e) {
                if (e.status() == 401 || e.status() == 403 || e.status() >= 500) {
                    throw e;
                }
                Map<Integer, List<String>> named = new TreeMap<>();
                for (ToolApiException.Detail d : e.details()) {
                    int i = d.recordIndex();
                    if (i >= 0 && i < pending.size()) {
                        named.computeIfAbsent(i, k -> new ArrayList<>()).add(d.field().isEmpty() ? d.problem() : d.field() + ": " + d.problem());
                    }
                }
                if (e.status() != 400 || named.isEmpty()) {
                    pending.forEach(c -> out.add(Outcome.failed(c.key(), e.getMessage())));
                    return out;
                }
                List<Change> rest = new ArrayList<>();
                for (int i = 0; i < pending.size(); i++) {
                    Change c = pending.get(i);
                    if (named.containsKey(i)) {
                        List<String> p = parts(c);
                        out.add(Outcome.failed(c.key(), "the tool refused the " + p.get(2) + " score of " + p.get(1) + " in " + section
                                + " (" + String.join("; ", named.get(i)) + ")"));
                    } else {
                        rest.add(c);
                    }
                }
                pending = rest;
            }
        }
        return out;
    }

    /**
     * Section, person and component of a change. Portal ids may contain '/', so a record gone from the source is
     * addressed by what the ledger kept on its last write ({@link #address}), not by splitting its key.
     */
    private static List<String> parts(Change c) {
        if (c.desired() != null) {
            Map<String, String> f = c.desired().fields();
            return List.of(f.get("section"), f.get("person"), f.get("component"));
        }
        try {
            return List.of(Json.MAPPER.readValue(c.remoteId(), String[].class));
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalStateException("the ledger's address of score " + c.key() + " is unreadable: " + c.remoteId(), e);
        }
    }

    /** What the ledger keeps as the record's remote id: ["section", "person", "component"]. */
    private static String address(Change c) {
        return Json.write(parts(c));
    }

    private static String section(Change c) {
        return parts(c).get(0);
    }

    private static ScoreBody body(Action action, Change c) {
        List<String> p = parts(c);
        if (action == Action.SUSPEND || c.desired() == null) {
            return ScoreBody.removal(p.get(1), p.get(2));
        }
        Map<String, String> f = c.desired().fields();
        return new ScoreBody(p.get(1), p.get(2), new BigDecimal(f.get("points")), new BigDecimal(f.get("max")));
    }
}
