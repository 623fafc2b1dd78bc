package kz.qatysu.sync.engine;

import java.util.Map;
import java.util.Objects;

/**
 * A per-run cache of another target's ids from the ledger (e.g. Moodle user ids by portal person id), loaded on
 * first use after {@link #reset()}. Targets that address records created by an earlier step use it.
 */
public final class RemoteIds {
    private final Ledger ledger;
    private final String target;
    private Map<String, String> ids;

    public RemoteIds(Ledger ledger, String target) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.target = target;
    }

    public synchronized void reset() {
        ids = null;
    }

    public synchronized String get(String key) {
        if (ids == null) {
            ids = ledger.remoteIds(target);
        }
        return ids.get(key);
    }

    public synchronized void put(String key, String id) {
        get(key);
        ids.put(key, id);
    }
}
