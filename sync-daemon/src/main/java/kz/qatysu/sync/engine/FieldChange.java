package kz.qatysu.sync.engine;

/** One field's old and new value: how a plan explains an update. */
public record FieldChange(String field, String before, String after) {
    @Override
    public String toString() {
        return field + ": '" + before + "' → '" + after + "'";
    }
}
