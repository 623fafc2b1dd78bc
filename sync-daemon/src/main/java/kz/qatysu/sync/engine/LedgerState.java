package kz.qatysu.sync.engine;

/**
 * What the ledger remembers of the last successful write of one record to one target.
 *
 * @param items for a record that stands for a list (a section's roster or timetable, sent whole), how many entries it
 *              held; null otherwise
 */
public record LedgerState(String key, String hash, String remoteId, boolean suspended, Integer items) {
    public LedgerState(String key, String hash, String remoteId, boolean suspended) {
        this(key, hash, remoteId, suspended, null);
    }
}
