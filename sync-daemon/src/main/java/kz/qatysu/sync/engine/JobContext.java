package kz.qatysu.sync.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a job sees of the run it is part of: the ledger (read-only use), and a place for report notes. */
public final class JobContext {
    private final Ledger ledger;
    private final boolean dryRun;
    private final Map<String, Object> notes = new LinkedHashMap<>();

    public JobContext(Ledger ledger, boolean dryRun) {
        this.ledger = ledger;
        this.dryRun = dryRun;
    }

    public Ledger ledger() {
        return ledger;
    }

    public boolean dryRun() {
        return dryRun;
    }

    /** Adds a named section to the run report (e.g. the video-capacity report, people without an Open edX account). */
    public synchronized void note(String name, Object value) {
        notes.put(name, value);
    }

    /** A report section whose content is known only after applying (e.g. who was pre-enrolled without an account). */
    public synchronized void noteLater(String name, java.util.function.Supplier<?> value) {
        notes.put(name, value);
    }

    public synchronized Map<String, Object> notes() {
        Map<String, Object> out = new LinkedHashMap<>();
        notes.forEach((k, v) -> out.put(k, v instanceof java.util.function.Supplier<?> s ? s.get() : v));
        return out;
    }
}
