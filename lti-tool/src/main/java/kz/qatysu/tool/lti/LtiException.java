package kz.qatysu.tool.lti;

/** A refused login or launch: the reason code, and a detail for the log (never secrets, never the token). */
public final class LtiException extends RuntimeException {
    private final LtiFailure failure;
    private final String locale;

    public LtiException(LtiFailure failure, String detail) {
        this(failure, detail, null);
    }

    public LtiException(LtiFailure failure, String detail, String locale) {
        super(detail, null, false, false);
        this.failure = failure;
        this.locale = locale;
    }

    public LtiFailure failure() {
        return failure;
    }

    /** The locale claim of the refused token when it could be read, so the page speaks the user's language. */
    public String locale() {
        return locale;
    }

    public LtiException withLocale(String locale) {
        return new LtiException(failure, getMessage(), locale);
    }
}
