package kz.qatysu.sync.engine;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How one record the ledger knows differs from what its target actually holds, as a reconciliation read it — a
 * manual unenrolment, an account re-enabled by hand, a deleted group.
 *
 * @param detail in words, for the run history ("not enrolled in Moodle course #12")
 */
public record Drift(String key, Kind kind, String detail) {

    public enum Kind {
        /** the ledger has it active, the target does not have it at all */
        MISSING,
        /** the ledger has it active, the target has it suspended (or its enrolment inactive) */
        SUSPENDED,
        /** the ledger has it suspended, the target has it active again */
        ACTIVE;

        /** The metric's and the history's label: {@code missing}, {@code suspended}, {@code active}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The ledger as the target really is, so that the ordinary {@link Planner} plans the repair: a missing record
     * is unknown (→ created again), a suspended one has a hash no source matches (→ updated, which reactivates it),
     * an active one the ledger had suspended is active (→ suspended again). Pure.
     */
    public static Map<String, LedgerState> observed(Map<String, LedgerState> ledger, List<Drift> drifts) {
        Map<String, LedgerState> out = new HashMap<>(ledger);
        for (Drift d : drifts) {
            LedgerState s = out.get(d.key());
            if (s == null) {
                continue;
            }
            switch (d.kind()) {
                case MISSING -> out.remove(d.key());
                case SUSPENDED -> out.put(d.key(), new LedgerState(s.key(), "drift:suspended", s.remoteId(), false, s.items()));
                case ACTIVE -> out.put(d.key(), new LedgerState(s.key(), s.hash(), s.remoteId(), false, s.items()));
            }
        }
        return out;
    }
}
