package kz.qatysu.tool.proctoring.media;

/**
 * An upload or request the media service refuses, naming the record and field, with the HTTP status it maps to:
 * 400 invalid, 404 unknown recording/object, 409 conflict (another chunk under that index, gaps at finish),
 * 413 too large, 415 not an accepted type. Nothing is stored when this is thrown.
 */
public final class MediaRefused extends RuntimeException {
    private final int status;
    private final String field;

    public MediaRefused(int status, String field, String message) {
        super(field + ": " + message, null, false, false);
        this.status = status;
        this.field = field;
    }

    public int status() {
        return status;
    }

    /** The record and field, e.g. {@code chunk.sha256}. */
    public String field() {
        return field;
    }
}
