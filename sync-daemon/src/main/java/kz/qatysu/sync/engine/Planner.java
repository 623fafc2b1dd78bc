package kz.qatysu.sync.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pure heart of the sync: source state + ledger → plan. No I/O; the same inputs always give the same plan.
 * <ul>
 *   <li>unknown to the ledger → CREATE (unless it is to be suspended: nothing is created just to be suspended)</li>
 *   <li>known, same hash → NOOP; different hash → UPDATE (a suspended record coming back is reactivated by it)</li>
 *   <li>to be suspended and active in the ledger → SUSPEND; already suspended → NOOP</li>
 *   <li>known, active, gone from the source → SUSPEND when the target suspends missing records, else NOOP</li>
 * </ul>
 */
public final class Planner {
    private Planner() {
    }

    public static Plan plan(String target, Collection<Desired> desired, Map<String, LedgerState> ledger, boolean suspendMissing) {
        List<Change> changes = new ArrayList<>();
        int noops = 0;
        Set<String> seen = new HashSet<>();
        for (Desired d : desired) {
            seen.add(d.key());
            LedgerState prev = ledger.get(d.key());
            if (prev == null) {
                if (d.suspended()) {
                    noops++;
                } else {
                    changes.add(new Change(d.key(), Action.CREATE, d, null, List.of(), "new in the portal"));
                }
            } else if (d.suspended()) {
                if (prev.suspended()) {
                    noops++;
                } else {
                    changes.add(new Change(d.key(), Action.SUSPEND, d, prev, List.of(), "suspended in the portal"));
                }
            } else if (!d.hash().equals(prev.hash()) || prev.suspended()) {
                changes.add(new Change(d.key(), Action.UPDATE, d, prev, List.of(),
                        prev.suspended() ? "active again in the portal" : "changed in the portal"));
            } else {
                noops++;
            }
        }
        long knownItems = 0;
        long removedItems = 0;
        for (Change c : changes) {
            LedgerState prev = c.previous();
            if (prev == null || prev.items() == null || prev.suspended()) {
                continue;
            }
            int after = c.action() == Action.SUSPEND || c.desired() == null ? 0 : count(c.desired());
            removedItems += Math.max(0, prev.items() - after);
        }
        int known = 0;
        // a sorted walk keeps plans (and their reports) in a stable order
        for (LedgerState prev : new TreeMap<>(ledger).values()) {
            if (!prev.suspended()) {
                known++;
                knownItems += prev.items() == null ? 0 : prev.items();
            }
            if (seen.contains(prev.key()) || prev.suspended()) {
                continue;
            }
            if (suspendMissing) {
                changes.add(new Change(prev.key(), Action.SUSPEND, null, prev, List.of(), "gone from the portal"));
            } else {
                noops++;
            }
        }
        // suspends of records gone from the source are added after the walk above counted their items
        for (Change c : changes) {
            if (c.desired() == null && c.previous().items() != null && !c.previous().suspended()) {
                removedItems += c.previous().items();
            }
        }
        return new Plan(target, known, changes, noops, knownItems, removedItems);
    }

    private static int count(Desired d) {
        String c = d.get("count");
        return c == null || c.isEmpty() ? 0 : Integer.parseInt(c);
    }

    /** The fields that differ between the last write and the new state. */
    public static List<FieldChange> diff(Map<String, String> before, Desired after) {
        List<FieldChange> out = new ArrayList<>();
        Set<String> names = new java.util.TreeSet<>(before.keySet());
        names.addAll(after.fields().keySet());
        for (String f : names) {
            String b = before.getOrDefault(f, "");
            String a = after.fields().getOrDefault(f, "");
            if (!a.equals(b)) {
                out.add(new FieldChange(f, b, a));
            }
        }
        return out;
    }
}
