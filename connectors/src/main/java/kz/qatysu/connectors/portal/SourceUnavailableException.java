package kz.qatysu.connectors.portal;

/** The source as a whole could not be read (missing file, database down, endpoint failing, truncated paging). */
public class SourceUnavailableException extends RuntimeException {
    public SourceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public SourceUnavailableException(String message) {
        super(message);
    }
}
