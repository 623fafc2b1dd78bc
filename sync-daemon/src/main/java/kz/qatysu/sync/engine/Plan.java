package kz.qatysu.sync.engine;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The changes one target needs so that it matches the source.
 *
 * @param known   records the ledger already knows as active in this target (the base of the safety shares)
 * @param changes every non-NOOP change
 * @param noops   records already in step
 * @param knownItems   for targets whose records are whole lists (a field {@code count}): entries in the known records
 * @param removedItems entries the plan would take out of those lists (shrunk or suspended records)
 */
public record Plan(String target, int known, List<Change> changes, int noops, long knownItems, long removedItems) {

    public Plan {
        changes = List.copyOf(changes);
    }

    public Plan(String target, int known, List<Change> changes, int noops) {
        this(target, known, changes, noops, 0, 0);
    }

    public Map<Action, Integer> counts() {
        Map<Action, Integer> m = new EnumMap<>(Action.class);
        for (Action a : Action.values()) {
            m.put(a, 0);
        }
        changes.forEach(c -> m.merge(c.action(), 1, Integer::sum));
        m.put(Action.NOOP, noops);
        return m;
    }

    public int count(Action action) {
        return counts().get(action);
    }

    public List<Change> of(Action action) {
        return changes.stream().filter(c -> c.action() == action).toList();
    }
}
