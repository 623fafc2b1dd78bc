package kz.qatysu.sync.moodle;

import kz.qatysu.connectors.moodle.MoodleBatches;
import kz.qatysu.sync.engine.Change;
import kz.qatysu.sync.engine.Outcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The one way every Moodle target writes: split the changes so each call stays under {@code max_input_vars}, call,
 * and when Moodle rejects a batch, bisect until each bad record fails on its own with Moodle's reason.
 */
public final class MoodleWrites {
    private static final int WS_OVERHEAD = 3; // wstoken, wsfunction, moodlewsrestformat

    private MoodleWrites() {
    }

    /**
     * @param record   the Moodle record (e.g. {@code users[i]}) of one change
     * @param call     the web-service call for a list of records
     * @param outcomes turns a successful call's answer into per-change outcomes
     */
    public static <R> List<Outcome> write(List<Change> changes, int maxInputVars, Function<Change, Map<String, Object>> record,
                                          Function<List<Map<String, Object>>, R> call,
                                          BiFunction<List<Change>, R, List<Outcome>> outcomes) {
        List<Outcome> out = new ArrayList<>();
        int perCall = maxInputVars - WS_OVERHEAD - 10;
        for (List<Change> chunk : MoodleBatches.chunks(changes, Integer.MAX_VALUE, perCall, 0, c -> MoodleBatches.vars(record.apply(c)))) {
            var result = MoodleBatches.isolating(chunk, part -> call.apply(part.stream().map(record).toList()));
            result.done().forEach(d -> out.addAll(outcomes.apply(d.items(), d.result())));
            result.failed().forEach(f -> out.add(Outcome.failed(f.item().key(), f.error().reason())));
        }
        return out;
    }

    /** Outcomes for a create call whose answer lists the new ids in the order the records were sent. */
    public static List<Outcome> inOrder(List<Change> changes, List<Long> ids) {
        List<Outcome> ok = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            ok.add(Outcome.ok(changes.get(i).key(), Long.toString(ids.get(i))));
        }
        return ok;
    }

    /** Outcomes for a void call: every change in it succeeded, keeping the id the ledger already had. */
    public static List<Outcome> allOk(List<Change> changes) {
        return changes.stream().map(c -> Outcome.ok(c.key(), c.remoteId())).toList();
    }
}
