package kz.qatysu.tool.lti;

/**
 * Every reason a login initiation or a launch is refused. The name is the reason code written to the log and
 * shown on the error page; the status is what the browser gets (4xx: 401/403 for key, signature, nonce and
 * state problems, 400 for claim shapes, 503 only when the platform's key set cannot be fetched).
 */
public enum LtiFailure {
    // OIDC third-party login initiation (1EdTech Security Framework §5.1.1)
    MISSING_LOGIN_PARAMETER(400, "missingLoginParameter"),
    UNKNOWN_PLATFORM(400, "unknownPlatform"),
    PLATFORM_DISABLED(403, "platformDisabled"),
    UNKNOWN_DEPLOYMENT(403, "unknownDeployment"),
    // Authentication response (Security Framework §5.1.3, OIDC Core §3.1.3.7)
    PLATFORM_ERROR(400, "platformError"),
    MISSING_ID_TOKEN(400, "malformed"),
    MISSING_STATE(400, "state"),
    UNKNOWN_STATE(401, "state"),
    STATE_NOT_BOUND_TO_BROWSER(401, "stateBrowser"),
    MALFORMED_JWT(400, "malformed"),
    ALG_NOT_RS256(401, "signature"),
    MISSING_KID(401, "signature"),
    UNKNOWN_KID(401, "signature"),
    BAD_SIGNATURE(401, "signature"),
    JWKS_UNAVAILABLE(503, "jwksUnavailable"),
    ISSUER_MISMATCH(401, "issuer"),
    AUD_MISMATCH(401, "audience"),
    AZP_MISMATCH(401, "audience"),
    AZP_MISSING(401, "audience"),
    MISSING_EXP_OR_IAT(400, "expired"),
    EXPIRED(401, "expired"),
    ISSUED_IN_FUTURE(401, "expired"),
    NONCE_MISMATCH(401, "nonce"),
    NONCE_REPLAYED(401, "nonce"),
    // LTI 1.3 core §5.3 required message claims
    MISSING_VERSION(400, "claims"),
    WRONG_VERSION(400, "claims"),
    MISSING_MESSAGE_TYPE(400, "claims"),
    UNSUPPORTED_MESSAGE_TYPE(400, "messageType"),
    MISSING_DEPLOYMENT_ID(400, "claims"),
    DEPLOYMENT_MISMATCH(400, "claims"),
    MISSING_SUB(400, "claims"),
    MISSING_ROLES(400, "claims"),
    MISSING_RESOURCE_LINK_ID(400, "claims"),
    MISSING_TARGET_LINK_URI(400, "claims"),
    TARGET_LINK_URI_MISMATCH(400, "claims"),
    INVALID_CONTEXT(400, "claims"),
    MISSING_DEEP_LINKING_SETTINGS(400, "claims"),
    // LTI Proctoring Services (LtiStartProctoring / LtiEndAssessment, as Open edX sends them)
    MISSING_START_ASSESSMENT_URL(400, "claims"),
    MISSING_SESSION_DATA(400, "claims"),
    INVALID_ATTEMPT_NUMBER(400, "claims"),
    INVALID_PROCTORING_SETTINGS(400, "claims"),
    INVALID_ACS(400, "claims"),
    UNKNOWN_PROCTORED_EXAM(404, "proctoredExamUnknown"),
    PROCTORED_EXAM_NOT_OPEN(409, "proctoredExamNotOpen"),
    UNKNOWN_PROCTORING_ATTEMPT(404, "proctoringAttemptUnknown");

    private final int status;
    private final String messageKey;

    LtiFailure(int status, String messageKey) {
        this.status = status;
        this.messageKey = messageKey;
    }

    public int status() {
        return status;
    }

    /** Key of the user-facing explanation in {@code i18n/messages_*.properties} ({@code lti.error.<key>}). */
    public String messageKey() {
        return "lti.error." + messageKey;
    }
}
