package kz.qatysu.connectors.videoconf;

/**
 * An incoming BigBlueButton callback (analytics or webhook) that must not be trusted or could not be read: the
 * handler answers 401 (authenticity) or 400 (shape) and stores nothing.
 */
public class CallbackRejected extends RuntimeException {
    public enum Reason { UNAUTHENTICATED, MALFORMED }

    private final Reason reason;

    public CallbackRejected(Reason reason, String message) {
        this(reason, message, null);
    }

    public CallbackRejected(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
