package kz.qatysu.tool.web;

/**
 * An upload refused because one of the tool's caps is full (mapped once by {@link HttpErrors}): the status (429 for
 * the upload slots, 503 for a busy face analysis), {@code Retry-After}, and which cap refused — the
 * {@value #HEADER} header and, on the JSON routes, the body's {@code "refused"} — counted by reason in
 * {@code /metrics} ({@code qatysu_upload_refusals_total}). Nothing of a refused upload is stored.
 */
public final class UploadRefused extends RuntimeException {
    /** The response header naming the cap that refused: a {@link Reason#code()}. */
    public static final String HEADER = "Qatysu-Refused";

    /** Which cap refused, with its machine-readable code. */
    public enum Reason {
        /** this course session already sends {@code http.maxConcurrentUploadsPerSession} uploads */
        PER_SESSION("per-session"),
        /** this client address already sends {@code http.maxConcurrentUploadsPerAddress} uploads */
        PER_ADDRESS("per-address"),
        /** the tool already receives {@code http.maxConcurrentUploads} uploads and none ended within {@code http.uploadSlotWait} */
        UPLOAD_SLOTS("upload-slots"),
        /** the same snapshot or chunk (same id or index) is still being received from an earlier send */
        SAME_UPLOAD("same-upload"),
        /** the face analysis of pictures a person waits for (identity) has a full queue */
        ANALYSIS_BUSY("analysis-busy");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final int status;
    private final Reason reason;
    private final int retryAfterSeconds;
    private final boolean json;

    /**
     * @param json whether the route answers JSON (the examinee's scripts) rather than a page (a form's upload)
     */
    public UploadRefused(int status, Reason reason, int retryAfterSeconds, boolean json, String message) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
        this.json = json;
    }

    public int status() {
        return status;
    }

    public Reason reason() {
        return reason;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public boolean json() {
        return json;
    }
}
