package kz.qatysu.sync.engine;

/** What the ledger remembers of the last successful write of one record to one target. */
public record LedgerState(String key, String hash, String remoteId, boolean suspended) {
}
