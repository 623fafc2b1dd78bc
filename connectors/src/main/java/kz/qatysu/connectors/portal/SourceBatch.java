package kz.qatysu.connectors.portal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What one read of one entity produced: the good records (unique by key, first occurrence wins) and an error for
 * every record that was rejected — malformed, or a duplicate of an earlier key.
 */
public record SourceBatch<T>(List<T> records, List<RecordError> errors, int rowsRead) {

    public SourceBatch {
        records = List.copyOf(records);
        errors = List.copyOf(errors);
    }

    /** Parses every raw record, keeps one record per key and reports the rest. */
    public static <T> SourceBatch<T> parse(List<RawRecord> rows, Function<RawRecord, Parsed<T>> parser, Function<T, String> key) {
        Map<String, T> byKey = new LinkedHashMap<>();
        Map<String, String> firstRef = new LinkedHashMap<>();
        List<RecordError> errors = new ArrayList<>();
        for (RawRecord row : rows) {
            Parsed<T> p = parser.apply(row);
            if (!p.errors().isEmpty()) {
                errors.addAll(p.errors());
                continue;
            }
            String k = key.apply(p.value());
            if (byKey.containsKey(k)) {
                errors.add(new RecordError(row.ref(), k, "key", k, "duplicate: the same key already came from "
                        + firstRef.get(k) + "; this record was ignored"));
                continue;
            }
            byKey.put(k, p.value());
            firstRef.put(k, row.ref());
        }
        return new SourceBatch<>(new ArrayList<>(byKey.values()), errors, rows.size());
    }

    /** Either a value or the errors that stopped it. */
    public record Parsed<T>(T value, List<RecordError> errors) {
        public static <T> Parsed<T> ok(T value) {
            return new Parsed<>(value, List.of());
        }

        public static <T> Parsed<T> rejected(List<RecordError> errors) {
            return new Parsed<>(null, errors);
        }
    }
}
