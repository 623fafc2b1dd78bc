package kz.qatysu.tool.lti.registration;

/**
 * Why a dynamic registration was refused: the HTTP status of the page, and the message key of the explanation
 * (i18n {@code registration.error.*}). The name is shown as the reason code for the administrator to quote.
 */
public enum RegistrationFailure {
    CODE_REQUIRED(403, "registration.error.codeRequired"),
    CODE_UNKNOWN(404, "registration.error.codeUnknown"),
    CODE_EXPIRED(410, "registration.error.codeExpired"),
    CODE_USED(410, "registration.error.codeUsed"),
    MISSING_OPENID_CONFIGURATION(400, "registration.error.missingConfiguration"),
    OPENID_CONFIGURATION_URL(400, "registration.error.configurationUrl"),
    OPENID_CONFIGURATION_UNREACHABLE(424, "registration.error.configurationUnreachable"),
    OPENID_CONFIGURATION_INVALID(422, "registration.error.configurationInvalid"),
    ISSUER_MISMATCH(422, "registration.error.issuerMismatch"),
    PLATFORM_REFUSED(424, "registration.error.platformRefused"),
    PLATFORM_ANSWER_INVALID(424, "registration.error.platformAnswer");

    private final int status;
    private final String messageKey;

    RegistrationFailure(int status, String messageKey) {
        this.status = status;
        this.messageKey = messageKey;
    }

    public int status() {
        return status;
    }

    public String messageKey() {
        return messageKey;
    }
}
