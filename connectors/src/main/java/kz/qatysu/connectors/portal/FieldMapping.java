package kz.qatysu.connectors.portal;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which source column (CSV header, SQL column, JSON pointer) holds each canonical field. Unmapped fields are looked
 * up under their canonical name, so a source that already uses our names needs no mapping at all.
 */
public final class FieldMapping {
    private final Map<Entity, Map<String, String>> columns = new EnumMap<>(Entity.class);

    public static FieldMapping identity() {
        return new FieldMapping();
    }

    /** Maps canonical {@code field} of {@code entity} to the source's {@code column}. */
    public FieldMapping map(Entity entity, String field, String column) {
        if (!entity.fields().contains(field)) {
            throw new IllegalArgumentException(entity.key() + " has no field '" + field + "'; fields are " + entity.fields());
        }
        columns.computeIfAbsent(entity, e -> new HashMap<>()).put(field, column);
        return this;
    }

    public String column(Entity entity, String field) {
        return columns.getOrDefault(entity, Map.of()).getOrDefault(field, field);
    }

    /** Renames one source row (column → value, column names compared case-insensitively) to canonical fields. */
    public Map<String, String> toCanonical(Entity entity, Map<String, String> row) {
        Map<String, String> lower = new HashMap<>();
        row.forEach((k, v) -> lower.put(k.strip().toLowerCase(Locale.ROOT), v));
        Map<String, String> out = new HashMap<>();
        for (String field : entity.fields()) {
            String v = lower.get(column(entity, field).toLowerCase(Locale.ROOT));
            if (v != null) {
                out.put(field, v);
            }
        }
        return out;
    }
}
