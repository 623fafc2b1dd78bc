package kz.qatysu.connectors.http;

/**
 * A request to an outside system that did not get a usable answer: the target could not be reached, timed out,
 * kept failing after every retry, or answered with an error status. The message names the target, the request
 * and what happened; it never contains credentials.
 */
public class HttpFailure extends RuntimeException {
    public enum Kind { CONNECT, TIMEOUT, IO, STATUS, MALFORMED, INTERRUPTED }

    private final String target;
    private final Kind kind;
    private final int status;
    private final int attempts;

    public HttpFailure(String target, Kind kind, int status, int attempts, String message, Throwable cause) {
        super(target + ": " + message, cause);
        this.target = target;
        this.kind = kind;
        this.status = status;
        this.attempts = attempts;
    }

    public String target() {
        return target;
    }

    public Kind kind() {
        return kind;
    }

    /** The last HTTP status seen, or 0 when none arrived. */
    public int status() {
        return status;
    }

    public int attempts() {
        return attempts;
    }
}
