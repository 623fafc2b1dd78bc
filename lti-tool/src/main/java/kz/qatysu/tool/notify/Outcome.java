package kz.qatysu.tool.notify;

/** What one delivery attempt came to. */
public record Outcome(Result result, String detail) {

    public enum Result {
        /** Delivered. */
        SENT,
        /** Cannot be delivered and retrying would not help (no address, no such user): recorded, not retried. */
        SKIPPED,
        /** No longer true: the student's state changed again before delivery; the newer transition is sent instead. */
        OBSOLETE,
        /** Failed; retried with backoff until {@code notify.maxAttempts}. */
        RETRY
    }

    public static Outcome sent(String detail) {
        return new Outcome(Result.SENT, detail);
    }

    public static Outcome skipped(String why) {
        return new Outcome(Result.SKIPPED, why);
    }

    public static Outcome obsolete(String why) {
        return new Outcome(Result.OBSOLETE, why);
    }

    public static Outcome retry(String error) {
        return new Outcome(Result.RETRY, error);
    }
}
