package kz.qatysu.sync.engine;

import java.util.List;

/**
 * One planned change of one record in one target.
 *
 * @param desired  the new state (null only for a SUSPEND of a record gone from the source)
 * @param previous the ledger's state (null for a CREATE)
 * @param diff     the fields that differ from the last write (filled for updates once previous fields are known)
 * @param reason   why, in words, for the audit trail ("new in the portal", "status expelled", "gone from the portal")
 */
public record Change(String key, Action action, Desired desired, LedgerState previous, List<FieldChange> diff, String reason) {

    public Change {
        diff = List.copyOf(diff);
    }

    public Change withDiff(List<FieldChange> d) {
        return new Change(key, action, desired, previous, d, reason);
    }

    public String remoteId() {
        return previous == null ? null : previous.remoteId();
    }

    /** The human explanation stored with the change. */
    public String explain() {
        return diff.isEmpty() ? reason : reason + ": " + String.join("; ", diff.stream().map(FieldChange::toString).toList());
    }
}
