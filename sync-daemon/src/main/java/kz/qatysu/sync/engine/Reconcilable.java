package kz.qatysu.sync.engine;

import java.util.List;
import java.util.Map;

/**
 * A target whose actual state can be read back: a reconciliation run ({@code sync reconcile}) asks it how the records
 * the ledger knows have drifted, and repairs them through the ordinary planner, safety valve and dry run. Reads only.
 */
public interface Reconcilable {

    /**
     * Reads the target and returns every record of {@code known} (the ledger's, active and suspended) that differs
     * there. A record the target cannot be asked about is left out, not reported.
     */
    List<Drift> observe(Map<String, LedgerState> known);
}
