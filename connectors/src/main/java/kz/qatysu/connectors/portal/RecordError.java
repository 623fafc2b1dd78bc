package kz.qatysu.connectors.portal;

/**
 * Why one source record was not taken: which record (where it came from and its key when known), which field,
 * the offending value, and the reason. The rest of the batch goes on without it.
 */
public record RecordError(String ref, String key, String field, String value, String reason) {
    @Override
    public String toString() {
        return ref + (key == null ? "" : " (" + key + ")") + ": " + field
                + (value == null ? "" : " = '" + value + "'") + ": " + reason;
    }
}
