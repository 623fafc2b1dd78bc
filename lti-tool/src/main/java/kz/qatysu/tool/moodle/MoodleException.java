package kz.qatysu.tool.moodle;

import java.util.Optional;

/**
 * A Moodle web service call that failed: Moodle unreachable, a non-200 answer, or Moodle's own error body (HTTP 200
 * with {@code {"exception":…,"errorcode":…,"message":…,"debuginfo":…}}; {@code debuginfo} only on a site with debugging
 * on, and there the reason often is only in it). Never carries the token.
 *
 * @param errorcode Moodle's {@code errorcode} (e.g. {@code nopermissions}, {@code invalidparameter}); empty when the
 *                  call did not get a Moodle error body
 */
public final class MoodleException extends Exception {
    private final String exception;
    private final String errorcode;
    private final String debuginfo;

    public MoodleException(String message) {
        super(message);
        this.exception = null;
        this.errorcode = null;
        this.debuginfo = null;
    }

    MoodleException(String function, String exception, String errorcode, String message, String debuginfo) {
        super("Moodle: " + errorcode + ": " + message + (debuginfo == null ? "" : " (" + debuginfo + ")"));
        this.exception = exception;
        this.errorcode = errorcode;
        this.debuginfo = debuginfo;
    }

    public Optional<String> errorcode() {
        return Optional.ofNullable(errorcode);
    }

    public Optional<String> exceptionClass() {
        return Optional.ofNullable(exception);
    }

    public Optional<String> debuginfo() {
        return Optional.ofNullable(debuginfo);
    }

    /** The token's user lacks a capability ({@code required_capability_exception}, errorcode {@code nopermissions}). */
    public boolean missingCapability() {
        return "nopermissions".equals(errorcode);
    }

    /** The function is not in the token's service or web services are off ({@code webservice_access_exception}). */
    public boolean functionNotAllowed() {
        return "accessexception".equals(errorcode);
    }

    /** A bad or expired token. */
    public boolean badToken() {
        return "invalidtoken".equals(errorcode) || "invalidtimedtoken".equals(errorcode);
    }

    /** Moodle refused the parameters ({@code invalidparameter}); the reason is in {@link #debuginfo()} if anywhere. */
    public boolean invalidParameter() {
        return "invalidparameter".equals(errorcode);
    }

    /** A record does not exist ({@code dml_missing_record_exception}: {@code invalidrecord}, {@code invalidrecordunknown}). */
    public boolean missingRecord() {
        return errorcode != null && errorcode.startsWith("invalidrecord");
    }
}
