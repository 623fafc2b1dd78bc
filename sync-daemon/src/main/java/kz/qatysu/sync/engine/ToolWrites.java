package kz.qatysu.sync.engine;

import kz.qatysu.connectors.qatysu.ToolApiException;

/**
 * One write to the tool as an outcome: a refusal of the record (400, 404) fails that record only; a refusal of the
 * daemon (401, 403) or a server error stops the run.
 */
public final class ToolWrites {
    /** A PUT that may fail on bad plan data. */
    public interface Put {
        void run() throws java.io.IOException;
    }

    private ToolWrites() {
    }

    public static Outcome put(String key, Put put) {
        try {
            put.run();
            return Outcome.ok(key, key);
        } catch (ToolApiException e) {
            if (e.status() == 401 || e.status() == 403 || e.status() >= 500) {
                throw e;
            }
            return Outcome.failed(key, e.getMessage());
        } catch (java.io.IOException e) {
            return Outcome.failed(key, "unreadable list in the plan: " + e.getMessage());
        }
    }
}
