package kz.qatysu.connectors.videoconf;

/**
 * BigBlueButton answered {@code <returncode>FAILED</returncode>} (with HTTP 200, as it always does). The
 * {@code messageKey} says why, e.g. {@code notFound} (no such running meeting — also after it ended),
 * {@code checksumError} (wrong shared secret or algorithm).
 */
public class BigBlueButtonException extends RuntimeException {
    private final String call;
    private final String messageKey;

    public BigBlueButtonException(String call, String messageKey, String message) {
        super("BigBlueButton " + call + " failed: " + messageKey + (message == null || message.isBlank() ? "" : " — " + message));
        this.call = call;
        this.messageKey = messageKey;
    }

    public String call() {
        return call;
    }

    public String messageKey() {
        return messageKey;
    }

    /** The meeting is not running (never started, or already ended): polling is over. */
    public boolean notFound() {
        return "notFound".equals(messageKey);
    }
}
