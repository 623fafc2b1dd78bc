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
 */
public record Plan(String target, int known, List<Change> changes, int noops) {

    public Plan {
        changes = List.copyOf(changes);
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
