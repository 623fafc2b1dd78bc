package kz.qatysu.connectors.moodle;

import java.util.Set;

/**
 * Moodle answered a web-service call with its error body — HTTP 200 with
 * {@code {"exception": …, "errorcode": …, "message": …, "debuginfo"?: …}}. For the transactional write functions the
 * whole batch was rolled back.
 */
public class MoodleException extends RuntimeException {
    /** Errors about the token, the service or permissions: no record in the batch can succeed, so do not bisect. */
    private static final Set<String> GLOBAL_CODES = Set.of("invalidtoken", "invalidtimedtoken", "accessexception",
            "servicerequireslogin", "servicenotavailable", "sitemaintenance", "nopermissions", "invalidrecord_external_functions",
            "wsaccessuserdeleted", "wsaccessusersuspended", "wsaccessusernologin");

    private final String function;
    private final String exception;
    private final String errorcode;
    private final String moodleMessage;
    private final String debuginfo;

    public MoodleException(String function, String exception, String errorcode, String moodleMessage, String debuginfo) {
        super("moodle: " + function + ": " + exception + " " + errorcode + ": " + moodleMessage
                + (debuginfo == null || debuginfo.isBlank() ? "" : " (" + firstLine(debuginfo) + ")"));
        this.function = function;
        this.exception = exception;
        this.errorcode = errorcode;
        this.moodleMessage = moodleMessage;
        this.debuginfo = debuginfo;
    }

    public String function() {
        return function;
    }

    /** The PHP class, e.g. {@code core\exception\invalid_parameter_exception} (namespaced since 4.x). */
    public String exception() {
        return exception;
    }

    public String errorcode() {
        return errorcode;
    }

    public String moodleMessage() {
        return moodleMessage;
    }

    public String debuginfo() {
        return debuginfo;
    }

    /** Human reason for one record: Moodle's message plus debug info when the site exposes it. */
    public String reason() {
        return errorcode + ": " + moodleMessage + (debuginfo == null || debuginfo.isBlank() ? "" : " (" + firstLine(debuginfo) + ")");
    }

    /** True when the error concerns the token, the service or the site, not a record: splitting the batch cannot help. */
    public boolean isGlobal() {
        return GLOBAL_CODES.contains(errorcode) || exception.endsWith("webservice_access_exception")
                || (errorcode.equals("invalidrecord") && moodleMessage.contains("external_functions"));
    }

    private static String firstLine(String s) {
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
