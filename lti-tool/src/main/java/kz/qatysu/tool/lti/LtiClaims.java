package kz.qatysu.tool.lti;

/** Claim names of LTI 1.3 and LTI Advantage messages. */
public final class LtiClaims {
    private LtiClaims() {
    }

    public static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";
    public static final String MESSAGE_TYPE = LTI + "message_type";
    public static final String VERSION = LTI + "version";
    public static final String DEPLOYMENT_ID = LTI + "deployment_id";
    public static final String TARGET_LINK_URI = LTI + "target_link_uri";
    public static final String RESOURCE_LINK = LTI + "resource_link";
    public static final String ROLES = LTI + "roles";
    public static final String CONTEXT = LTI + "context";
    public static final String TOOL_PLATFORM = LTI + "tool_platform";
    public static final String LAUNCH_PRESENTATION = LTI + "launch_presentation";
    public static final String CUSTOM = LTI + "custom";
    public static final String LIS = LTI + "lis";
    public static final String EXT = LTI + "ext";
    public static final String AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";
    public static final String NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";
    public static final String DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings";
    public static final String DL_CONTENT_ITEMS = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items";
    public static final String DL_DATA = "https://purl.imsglobal.org/spec/lti-dl/claim/data";
    public static final String DL_MSG = "https://purl.imsglobal.org/spec/lti-dl/claim/msg";

    // LTI Proctoring Services 1.0 (Open edX's LtiProctoringConsumer)
    public static final String AP = "https://purl.imsglobal.org/spec/lti-ap/claim/";
    public static final String AP_START_ASSESSMENT_URL = AP + "start_assessment_url";
    public static final String AP_SESSION_DATA = AP + "session_data";
    public static final String AP_ATTEMPT_NUMBER = AP + "attempt_number";
    public static final String AP_PROCTORING_SETTINGS = AP + "proctoring_settings";
    public static final String AP_ACS = AP + "acs";
    public static final String AP_VERIFIED_USER = AP + "verified_user";
    public static final String AP_END_ASSESSMENT_RETURN = AP + "end_assessment_return";

    public static final String RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest";
    public static final String START_PROCTORING = "LtiStartProctoring";
    public static final String START_ASSESSMENT = "LtiStartAssessment";
    public static final String END_ASSESSMENT = "LtiEndAssessment";
    public static final String DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest";
    public static final String DEEP_LINKING_RESPONSE = "LtiDeepLinkingResponse";
    public static final String LTI_VERSION = "1.3.0";
}
