package kz.qatysu.connectors.moodle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Batching for Moodle's transactional write functions, where one bad record rolls back the whole call:
 * {@link #chunks} keeps each call under both a record count and the {@code max_input_vars} budget, and
 * {@link #isolating} splits a failed batch in halves until the bad records stand alone, so one bad record never
 * blocks the others ({@code log2(n)} extra calls per bad record).
 */
public final class MoodleBatches {
    private MoodleBatches() {
    }

    /** Per-record result of {@link #isolating}: the successful sub-batches with their answers, and each failed record. */
    public record Outcome<T, R>(List<Done<T, R>> done, List<Failed<T>> failed) {
    }

    public record Done<T, R>(List<T> items, R result) {
    }

    public record Failed<T>(T item, MoodleException error) {
    }

    /**
     * Calls {@code call} with {@code items}; on a record-level {@link MoodleException} splits and retries each half.
     * Global errors (bad token, function not allowed) and transport failures are rethrown at once.
     */
    public static <T, R> Outcome<T, R> isolating(List<T> items, Function<List<T>, R> call) {
        List<Done<T, R>> done = new ArrayList<>();
        List<Failed<T>> failed = new ArrayList<>();
        run(items, call, done, failed);
        return new Outcome<>(done, failed);
    }

    private static <T, R> void run(List<T> items, Function<List<T>, R> call, List<Done<T, R>> done, List<Failed<T>> failed) {
        if (items.isEmpty()) {
            return;
        }
        try {
            done.add(new Done<>(items, call.apply(items)));
        } catch (MoodleException e) {
            if (e.isGlobal()) {
                throw e;
            }
            if (items.size() == 1) {
                failed.add(new Failed<>(items.getFirst(), e));
                return;
            }
            int mid = items.size() / 2;
            run(items.subList(0, mid), call, done, failed);
            run(items.subList(mid, items.size()), call, done, failed);
        }
    }

    /**
     * Splits {@code items} into consecutive chunks of at most {@code maxRecords} records whose form variables
     * ({@code varsPerItem}) plus {@code overhead} stay within {@code maxVars}.
     */
    public static <T> List<List<T>> chunks(List<T> items, int maxRecords, int maxVars, int overhead, ToIntFunction<T> varsPerItem) {
        List<List<T>> out = new ArrayList<>();
        List<T> current = new ArrayList<>();
        int vars = overhead;
        for (T item : items) {
            int v = varsPerItem.applyAsInt(item);
            if (!current.isEmpty() && (current.size() >= maxRecords || vars + v > maxVars)) {
                out.add(current);
                current = new ArrayList<>();
                vars = overhead;
            }
            current.add(item);
            vars += v;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    /** Form variables one record map becomes (nested lists and maps counted leaf by leaf). */
    public static int vars(Map<String, Object> record) {
        return MoodleParams.countVars(record);
    }
}
