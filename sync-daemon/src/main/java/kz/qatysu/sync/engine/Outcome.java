package kz.qatysu.sync.engine;

/**
 * How applying one change went. A successful outcome carries the target's id for the record (Moodle user id, event
 * id, …) so later steps and runs can address it; a failed one carries the reason in the target's own words.
 */
public record Outcome(String key, boolean ok, String remoteId, String error) {
    public static Outcome ok(String key, String remoteId) {
        return new Outcome(key, true, remoteId, null);
    }

    public static Outcome failed(String key, String error) {
        return new Outcome(key, false, null, error);
    }
}
